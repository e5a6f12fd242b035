//! Message lists (Discord, and Slack and Reddit to come): no bubbles, every message
//! on the left, the owner's too. A run opens with the author's avatar, name and the
//! time ([`message`]); the run's later messages are text alone in the same column.
//! Reactions are chips under the text ([`reactions`]); days are divided by a rule
//! with the date, notices and the typing line sit in the column ([`labels`]).
//! What differs per platform beyond the tokens ([`RowDesign`]) comes from its
//! [`Chrome`].

mod design;
mod labels;
mod message;
mod reactions;

pub(crate) use design::{Chips, RowDesign, RowNotices, RowReplies};
pub(crate) use message::avatar_of;

use super::{Chrome, Motion, Skin, Wallpaper, fnv};
use crate::conversation::{Entry, Grouping};
use crate::layout::{Block, Cx};
use crate::payload::{DeliveryStatus, MessageType, User};
use crate::scene::Color;
use crate::text::{self, Span, TextStyle};

/// A message-list chat: tokens plus the platform's own pieces.
pub(crate) struct RowChat {
    pub design: RowDesign,
    pub chrome: Box<dyn Chrome<RowDesign>>,
}

impl Skin for RowChat {
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

    fn wallpaper(&self, cx: &mut Cx<'_>) -> Option<Wallpaper> {
        self.chrome.wallpaper(cx, &self.design)
    }

    fn window(&self, cx: &mut Cx<'_>) -> Option<crate::layout::window::Window> {
        self.chrome.window(cx, &self.design)
    }

    fn transcript_padding(&self) -> (f32, f32) {
        (4.0, 16.0)
    }

    fn bare_bottom(&self, _cx: &mut Cx<'_>) -> Block {
        Block::new(16.0)
    }

    fn text_metrics(&self, width: f32) -> crate::estimate::TextMetrics {
        let d = &self.design;
        crate::estimate::TextMetrics {
            size: d.text_size,
            line_height: d.line_height,
            wrap: width - d.column - d.right_pad,
            row: d.line_gap,
            notice: d.line_gap + d.line_height,
        }
    }

    fn entry(&self, cx: &mut Cx<'_>, entry: &Entry<'_>, prev: Option<&Entry<'_>>) -> Block {
        match entry {
            Entry::Separator { time, .. } => self.separator(cx, time, prev.is_some()),
            Entry::Message(s)
                if s.kind() == MessageType::System
                    && self.design.notices == RowNotices::Message =>
            {
                self.message(cx, s, prev)
            }
            Entry::Message(s) if s.kind() == MessageType::System => self.notice(cx, s, prev),
            Entry::Message(s) if s.kind() == MessageType::Typing => self.typing(cx, s),
            Entry::Message(s) => self.message(cx, s, prev),
        }
    }
}

impl RowChat {
    /// Message text in `color`.
    fn body(&self, color: Color) -> TextStyle {
        let d = &self.design;
        TextStyle::new(d.font, d.text_size, d.line_height, 400, color)
    }

    /// Small text (times, notices) in `color`.
    fn small(&self, size: f32, weight: u16, color: Color) -> TextStyle {
        TextStyle::new(self.design.font, size, (size * 1.34).round(), weight, color)
    }

    /// A user's name colour: their own, a role colour in groups, else plain.
    fn name_color(&self, cx: &Cx<'_>, user: &User) -> Color {
        if let Some(c) = user.color.as_deref().and_then(Color::from_hex) {
            return c;
        }
        let colors = self.design.name_colors;
        if cx.props().is_group() && !colors.is_empty() {
            colors[(fnv(user.id.as_bytes()) % colors.len() as u64) as usize]
        } else {
            self.design.name
        }
    }

    /// Whether `text` mentions the owner (`@` and their first name).
    fn mentions_owner(cx: &Cx<'_>, text: &str) -> bool {
        let Some(first) = cx.props().sender.name.split_whitespace().next() else {
            return false;
        };
        text.match_indices('@')
            .any(|(at, _)| text[at + 1..].starts_with(first))
    }

    /// Text with its links (in the link colour) and mentions of the conversation's
    /// people (`@Sam`) marked.
    fn rich<'t>(&self, cx: &Cx<'_>, text: &'t str) -> Vec<Span<'t>> {
        let d = &self.design;
        let props = cx.props();
        let names: Vec<&str> = std::iter::once(&props.sender)
            .chain(&props.receivers)
            .filter_map(|u| u.name.split_whitespace().next())
            .collect();
        let owner = names.first().copied();
        let mut spans = Vec::new();
        for s in text::with_links(text) {
            if s.underline {
                spans.push(Span {
                    color: Some(d.link),
                    underline: false,
                    ..s
                });
                continue;
            }
            // Split `@Name` mentions out of plain runs.
            let mut rest = s.text;
            while let Some(at) = rest.find('@') {
                let after = &rest[at + 1..];
                let name = names
                    .iter()
                    .find(|n| after.starts_with(**n) && !n.is_empty())
                    .copied();
                let Some(name) = name else {
                    spans.push(Span::plain(&rest[..at + 1]));
                    rest = after;
                    continue;
                };
                if at > 0 {
                    spans.push(Span::plain(&rest[..at]));
                }
                let end = at + 1 + name.len();
                let (fill, ink) = match d.mention_me {
                    Some(me) if Some(name) == owner => me,
                    _ => (d.mention_fill, d.mention_ink),
                };
                spans.push(Span {
                    color: Some(ink),
                    highlight: Some(fill),
                    ..Span::plain(&rest[at..end]).weight(500)
                });
                rest = &rest[end..];
            }
            if !rest.is_empty() {
                spans.push(Span::plain(rest));
            }
        }
        spans
    }
}
