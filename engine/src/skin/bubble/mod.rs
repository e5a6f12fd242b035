//! Bubble chats (iMessage, WhatsApp, Messenger, Instagram, Telegram, and the bubble
//! apps to come): one renderer driven by a [`Design`], split by what it draws.
//!
//! A row stacks the pieces of a message in its column ([`row`], placed by
//! [`place`]): names, quotes ([`quotes`]), bubbles with their text and meta line
//! ([`body`]), photos and voice notes ([`media`]), big emoji, typing dots
//! ([`typing`]), in outlines with tails ([`outline`]); reactions ([`reactions`])
//! and receipts ([`receipts`]) around them; separators and notices ([`labels`])
//! between them. Each design axis's enum lives in the file that draws it. What
//! differs per platform beyond the tokens (header, composer, wallpaper) comes from
//! its [`Chrome`].

mod body;
mod design;
mod labels;
mod media;
pub(crate) mod outline;
mod place;
mod quotes;
mod reactions;
mod receipts;
mod row;
mod typing;

pub(crate) use design::{Design, Fill, Pad, Times};
pub(crate) use labels::Label;
pub(crate) use media::Voice;
pub(crate) use outline::Tail;
pub(crate) use place::{Avatars, Names};
pub(crate) use quotes::Replies;
pub(crate) use reactions::Reactions;
pub(crate) use receipts::Receipts;
pub(crate) use typing::Typing;

use super::{Chrome, Motion, Skin, Wallpaper, fnv};
use crate::conversation::{Entry, Grouping};
use crate::layout::{Block, Cx};
use crate::payload::{DeliveryStatus, MessageType, User};
use crate::scene::Color;
use crate::text::{self, Span, TextStyle};

/// A bubble chat: tokens plus the platform's own pieces.
pub(crate) struct BubbleChat {
    pub design: Design,
    pub chrome: Box<dyn Chrome<Design>>,
}

impl Skin for BubbleChat {
    fn grouping(&self) -> Grouping {
        Grouping {
            separators: self.design.separator_rule,
            run_break_minutes: self.design.run_break_minutes,
        }
    }

    fn default_status(&self) -> DeliveryStatus {
        self.design.default_status
    }

    fn page_color(&self) -> Color {
        self.design.page
    }

    fn status_ink(&self) -> Color {
        self.design.ink
    }

    fn header(&self, cx: &mut Cx<'_>, status_height: f32) -> Block {
        self.chrome.header(cx, &self.design, status_height)
    }

    fn composer(&self, cx: &mut Cx<'_>, draft: Option<&str>) -> Block {
        self.chrome.composer(cx, &self.design, draft)
    }

    fn motion(&self) -> Motion {
        self.design.motion
    }

    fn window(&self, cx: &mut Cx<'_>) -> Option<crate::layout::window::Window> {
        self.chrome.window(cx, &self.design)
    }

    fn wallpaper(&self, cx: &mut Cx<'_>) -> Option<Wallpaper> {
        self.chrome.wallpaper(cx, &self.design)
    }

    fn transcript_padding(&self) -> (f32, f32) {
        (10.0, 12.0)
    }

    fn bare_bottom(&self, _cx: &mut Cx<'_>) -> Block {
        Block::new(16.0)
    }

    fn text_metrics(&self, width: f32) -> crate::estimate::TextMetrics {
        let d = &self.design;
        let small = d.meta_size + 1.0;
        crate::estimate::TextMetrics {
            size: d.text_size,
            line_height: d.line_height,
            wrap: width * d.max_width - 2.0 * d.pad.side,
            row: d.run_gap + d.pad.top + d.pad.bottom,
            notice: 12.0 + small * 1.2,
        }
    }

    fn entry(&self, cx: &mut Cx<'_>, entry: &Entry<'_>, prev: Option<&Entry<'_>>) -> Block {
        let block = self.row(cx, entry, prev);
        match prev
            .is_none()
            .then(|| self.chrome.opening(cx, &self.design))
        {
            Some(Some(mut opening)) => {
                let top = opening.height;
                opening.height += block.height;
                opening.push(crate::scene::Item::group(block.items, (0.0, top)));
                opening
            }
            _ => block,
        }
    }
}

impl BubbleChat {
    /// One transcript row without what may open the conversation above it.
    fn row(&self, cx: &mut Cx<'_>, entry: &Entry<'_>, prev: Option<&Entry<'_>>) -> Block {
        match entry {
            Entry::Separator { time, .. } => self.separator(cx, time, prev.is_some()),
            Entry::Message(s) if s.kind() == MessageType::System => {
                let after_label = matches!(prev, None | Some(Entry::Separator { .. }));
                let gap = if after_label {
                    0.0
                } else {
                    self.design.new_run_gap
                };
                self.notice(cx, s.text(), gap)
            }
            Entry::Message(s) => self.message(cx, s, prev),
        }
    }
}

// Text styles and colours every part uses.
impl BubbleChat {
    pub(super) fn body(&self, color: Color) -> TextStyle {
        let d = &self.design;
        TextStyle::new(d.font, d.text_size, d.line_height, 400, color).tracking(d.tracking)
    }

    pub(super) fn small(&self, color: Color) -> TextStyle {
        let s = self.design.meta_size;
        TextStyle::new(self.design.font, s, (s * 1.2).round(), 400, color).tracking(0.01)
    }

    pub(super) fn fill_of(&self, outgoing: bool) -> Fill {
        if outgoing {
            self.design.sent
        } else {
            self.design.received
        }
    }

    pub(super) fn ink_of(&self, outgoing: bool) -> Color {
        if outgoing {
            self.design.sent_text
        } else {
            self.design.received_text
        }
    }

    pub(super) fn meta_ink(&self, outgoing: bool) -> Color {
        if outgoing {
            self.design.sent_meta
        } else {
            self.design.received_meta
        }
    }

    /// A user's name colour in groups: their own, else one picked by their id.
    pub(super) fn name_color(&self, user: &User) -> Color {
        user.color
            .as_deref()
            .and_then(Color::from_hex)
            .unwrap_or_else(|| {
                let colors = self.design.name_colors;
                colors[(fnv(user.id.as_bytes()) % colors.len() as u64) as usize]
            })
    }

    /// Text with its links found, links in the design's link colour.
    pub(super) fn rich<'t>(&self, text: &'t str) -> Vec<Span<'t>> {
        let mut spans = text::with_links(text);
        if let Some(link) = self.design.link {
            for s in spans.iter_mut().filter(|s| s.underline) {
                s.color = Some(link);
            }
        }
        spans
    }
}
