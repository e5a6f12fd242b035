//! One message row: for a run's first message the author's avatar, name and time
//! (and, for a reply, the quoted line above joined by the spine); then the
//! message's text, jumbo emoji, photos or voice note in the text column, and its
//! reactions.

use tiny_skia::PathBuilder;

use super::{RowChat, RowReplies};
use crate::conversation::{Entry, Post};
use crate::fonts::Family;
use crate::icons::Icon;
use crate::layout::{Block, Cx};
use crate::payload::{Message, MessageType, Thread, User};
use crate::scene::{Color, Item, Rect, Shape};
use crate::skin::fnv;
use crate::skin::parts::Waveform;
use crate::skin::parts::avatar::{initials, monogram};
use crate::text::{self, Bounds, Span, TextStyle};

/// Height of the quoted line above a reply's heading.
const REPLY_LINE: f32 = 22.0;

impl RowChat {
    pub(super) fn message(&self, cx: &mut Cx<'_>, s: &Post<'_>, prev: Option<&Entry<'_>>) -> Block {
        let d = &self.design;
        let column_w = cx.width - d.column - d.right_pad;
        let mut b = Block::new(0.0);
        let heading = s.first_in_run || s.reply_to.is_some();
        let mut y = match prev {
            None | Some(Entry::Separator { .. }) => 4.0,
            _ if heading => d.run_gap,
            _ => d.line_gap,
        };
        if let (Some(quoted), RowReplies::Spine) = (s.reply_to, d.replies) {
            self.quoted_line(cx, &mut b, quoted, y);
            y += REPLY_LINE;
        }
        let mut least = 0.0f32;
        let content_top = y;
        if heading {
            let top = y;
            least = top + d.avatar_size;
            self.avatar(cx, &mut b, s.author, (d.avatar_x, top));
            let name_style = TextStyle::new(
                d.font,
                d.name_size,
                20.0,
                d.name_weight,
                self.name_color(cx, s.author),
            );
            let name = cx.line_within(&s.author.name, &name_style, column_w - 90.0);
            let stamp = {
                let today = cx.today(&s.time);
                let (a, b) = d.stamps.label(&s.time, today, cx.props().time_notation);
                format!("{a}{b}")
            };
            let time = cx.line(&stamp, &self.small(d.time_size, 400, d.muted));
            let baseline = top + name.first_baseline;
            b.push(Item::text(
                d.column + name.width + 6.0,
                baseline - time.first_baseline,
                time,
            ));
            b.push(Item::text(d.column, top, name));
            y = top + 22.0;
        }
        if let (Some(quoted), RowReplies::Quote) = (s.reply_to, d.replies) {
            y = self.quote(cx, &mut b, quoted, y, column_w);
        }
        y = self.content(cx, &mut b, s, y, column_w);
        if let Some(reactions) = s.message.reactions.as_deref().filter(|r| !r.is_empty()) {
            y = self.chips(cx, &mut b, reactions, y + 4.0);
        }
        if let (Some(thread), true) = (&s.message.thread, d.threads) {
            y = self.thread(cx, &mut b, thread, y + 6.0);
        }
        // A heading's row is at least as tall as its avatar.
        b.height = y.max(least);
        if let Some((tint, bar)) = d.mentioned_row
            && s.author.id != cx.props().sender.id
            && Self::mentions_owner(cx, s.text())
        {
            // Under everything else of the row, from edge to edge.
            let r = Rect::new(
                0.0,
                content_top - 2.0,
                cx.width,
                b.height - content_top + 4.0,
            );
            let marks = [
                Item::rect(r, tint),
                Item::rect(Rect::new(0.0, r.y, 2.0, r.h), bar),
            ];
            b.items.splice(0..0, marks);
        }
        b
    }

    /// The message itself in the text column from `y`; returns the new `y`.
    fn content(&self, cx: &mut Cx<'_>, b: &mut Block, s: &Post<'_>, y: f32, column_w: f32) -> f32 {
        let d = &self.design;
        match s.kind() {
            MessageType::Image => {
                // Discord puts a message's words above its attachments.
                let urls = s.message.images.clone().unwrap_or_default();
                let caption = s.text().trim();
                let y = if caption.is_empty() {
                    y
                } else {
                    self.text_block(cx, b, caption, y, column_w) + 4.0
                };
                self.photos(cx, b, &urls, y, column_w)
            }
            MessageType::Voice => self.voice(cx, b, s, y),
            _ => match text::emoji_only_count(s.text()) {
                Some(n) if n <= 27 => {
                    let style = TextStyle::new(Family::Emoji, d.jumbo, d.jumbo + 8.0, 400, d.text);
                    let t = cx.text(
                        &[Span::plain(s.text().trim())],
                        &style,
                        Bounds::width(column_w),
                    );
                    let h = t.height;
                    b.push(Item::text(d.column, y + 2.0, t));
                    y + h + 4.0
                }
                _ => self.text_block(cx, b, s.text(), y, column_w),
            },
        }
    }

    fn text_block(&self, cx: &mut Cx<'_>, b: &mut Block, text: &str, y: f32, column_w: f32) -> f32 {
        let d = &self.design;
        let spans = self.rich(cx, text);
        let t = cx.text(&spans, &self.body(d.text), Bounds::width(column_w));
        let h = t.height;
        b.push(Item::text(d.column, y, t));
        y + h
    }

    /// A round avatar with its top-left at `at`: the photo, or initials on a
    /// colour picked from the user's id.
    pub(super) fn avatar(&self, cx: &mut Cx<'_>, b: &mut Block, user: &User, (x, y): (f32, f32)) {
        let size = self.design.avatar_size;
        self.avatar_sized(cx, b, user, (x, y), size);
    }

    fn avatar_sized(&self, cx: &mut Cx<'_>, b: &mut Block, user: &User, at: (f32, f32), size: f32) {
        avatar_of(&self.design, cx, b, user, at, size);
    }

    /// The quoted message above a reply's heading: the spine curving from above the
    /// avatar to a small avatar, the author's name and one line of the quote.
    fn quoted_line(&self, cx: &mut Cx<'_>, b: &mut Block, quoted: &Message, y: f32) {
        let d = &self.design;
        let props = cx.props();
        let author = props
            .user(&quoted.user_id)
            .cloned()
            .unwrap_or_else(|| props.sender.clone());
        let mid = y + REPLY_LINE / 2.0 - 1.0;
        // The spine: down from the quoted line into the top of the avatar below.
        let sx = d.avatar_x + d.avatar_size / 2.0;
        let mut pb = PathBuilder::new();
        pb.move_to(sx, y + REPLY_LINE + 2.0);
        pb.line_to(sx, mid + 6.0);
        pb.quad_to(sx, mid, sx + 6.0, mid);
        pb.line_to(d.column - 6.0, mid);
        if let Some(path) = pb.finish() {
            b.push(Item::Stroke {
                shape: Shape::path(path),
                color: d.spine,
                width: 2.0,
            });
        }
        let mini = 16.0;
        self.avatar_sized(cx, b, &author, (d.column, mid - mini / 2.0), mini);
        let name_style = self.small(14.0, 500, self.name_color(cx, &author));
        let name = cx.line_within(&format!("@{}", author.name), &name_style, 140.0);
        let nx = d.column + mini + 4.0;
        let top = mid - name.height / 2.0;
        let quote = match quoted.kind {
            MessageType::Image => "Click to see attachment".to_owned(),
            MessageType::Voice => "Voice message".to_owned(),
            _ => quoted.text.clone().unwrap_or_default().replace('\n', " "),
        };
        let room = cx.width - d.right_pad - (nx + name.width + 6.0);
        let preview = cx.line_within(&quote, &self.small(14.0, 400, d.muted), room.max(20.0));
        b.push(Item::text(nx + name.width + 6.0, top, preview));
        b.push(Item::text(nx, top, name));
    }

    /// A thread under its message: the repliers' small avatars, then "3 replies"
    /// in the link colour. Returns the new `y`.
    fn thread(&self, cx: &mut Cx<'_>, b: &mut Block, thread: &Thread, y: f32) -> f32 {
        let d = &self.design;
        let size = 22.0;
        let mut x = d.column;
        let props = cx.props();
        let repliers: Vec<User> = thread
            .user_ids
            .iter()
            .filter_map(|id| props.user(id).cloned())
            .take(4)
            .collect();
        for u in &repliers {
            avatar_of(d, cx, b, u, (x, y), size);
            x += size + 4.0;
        }
        let n = thread.replies;
        let words = if n == 1 {
            "1 reply".to_owned()
        } else {
            format!("{n} replies")
        };
        let t = cx.line(&words, &self.small(13.0, 700, d.link));
        let th = t.height;
        b.push(Item::text(x + 4.0, y + (size - th) / 2.0, t));
        y + size + 2.0
    }

    /// A quote under the heading: a bar in the divider's colour, the quoted
    /// author's name and one line of what they said. Returns the new `y`.
    fn quote(
        &self,
        cx: &mut Cx<'_>,
        b: &mut Block,
        quoted: &Message,
        y: f32,
        column_w: f32,
    ) -> f32 {
        let d = &self.design;
        let props = cx.props();
        let author = props
            .user(&quoted.user_id)
            .map_or_else(String::new, |u| u.name.clone());
        let said = match quoted.kind {
            MessageType::Image => "Image".to_owned(),
            MessageType::Voice => "Voice message".to_owned(),
            _ => quoted.text.clone().unwrap_or_default().replace('\n', " "),
        };
        let name = cx.line_within(&author, &self.small(13.0, 700, d.muted), column_w - 12.0);
        let line = cx.line_within(&said, &self.small(13.0, 400, d.muted), column_w - 12.0);
        let top = y + 2.0;
        let h = name.height + line.height;
        b.push(Item::fill(
            Shape::RoundRect(Rect::new(d.column, top, 3.0, h), 1.5),
            d.divider,
        ));
        b.push(Item::text(d.column + 10.0, top, name.clone()));
        b.push(Item::text(d.column + 10.0, top + name.height, line));
        top + h + 4.0
    }

    /// One photo at its aspect, or a two-column grid, in the text column.
    fn photos(
        &self,
        cx: &mut Cx<'_>,
        b: &mut Block,
        urls: &[String],
        y: f32,
        column_w: f32,
    ) -> f32 {
        let d = &self.design;
        let radius = 8.0;
        if let [url] = urls {
            let aspect = cx.pictures.aspect(url).unwrap_or(1.0).clamp(0.3, 4.0);
            let max_w = column_w.min(300.0);
            let (mut w, mut h) = (max_w, max_w / aspect);
            if h > 300.0 {
                h = 300.0;
                w = (h * aspect).max(80.0);
            }
            let rect = Rect::new(d.column, y + 2.0, w.round(), h.round());
            b.items
                .extend(cx.picture(url, rect, Shape::RoundRect(rect, radius)));
            return rect.bottom() + 2.0;
        }
        let gap = 4.0;
        let tile = ((column_w.min(300.0) - gap) / 2.0).floor();
        for (i, url) in urls.iter().enumerate() {
            let (col, row) = ((i % 2) as f32, (i / 2) as f32);
            let mut rect = Rect::new(
                d.column + col * (tile + gap),
                y + 2.0 + row * (tile + gap),
                tile,
                tile,
            );
            if i + 1 == urls.len() && i % 2 == 0 {
                rect.w = tile * 2.0 + gap;
            }
            b.items
                .extend(cx.picture(url, rect, Shape::RoundRect(rect, radius)));
        }
        let rows = urls.len().div_ceil(2) as f32;
        y + 2.0 + rows * tile + (rows - 1.0) * gap + 2.0
    }

    /// A voice message: a rounded panel with a play button, the waveform and the
    /// duration.
    fn voice(&self, cx: &mut Cx<'_>, b: &mut Block, s: &Post<'_>, y: f32) -> f32 {
        let d = &self.design;
        let panel = Rect::new(d.column, y + 4.0, 260.0, 48.0);
        b.push(Item::fill(Shape::RoundRect(panel, 24.0), d.surface));
        let cy = panel.center_y();
        b.push(Item::fill(
            Shape::Circle {
                cx: panel.x + 24.0,
                cy,
                r: 16.0,
            },
            d.accent,
        ));
        b.push(Item::Icon {
            icon: Icon::Play,
            rect: Rect::new(panel.x + 20.0, cy - 7.0, 11.0, 14.0),
            color: Color::WHITE,
        });
        let wave = Waveform {
            bars: 28,
            pitch: 5.0,
            bar_width: 3.0,
            depth: 18.0,
        };
        b.items
            .extend(wave.draw(&s.message.id, panel.x + 50.0, cy, d.muted));
        let secs = s.message.duration_sec.unwrap_or(1.0).round() as u64;
        let t = cx.line(
            &format!("{}:{:02}", secs / 60, secs % 60),
            &self.small(14.0, 500, d.muted),
        );
        let tw = t.width;
        b.push(Item::text(panel.right() - 16.0 - tw, cy - 9.0, t));
        panel.bottom() + 4.0
    }
}

/// A round avatar of `size` with its top-left at `(x, y)`: the photo, or the
/// design's default (initials or its face) on a colour picked from the user's id.
pub(crate) fn avatar_of(
    d: &super::RowDesign,
    cx: &mut Cx<'_>,
    b: &mut Block,
    user: &User,
    (x, y): (f32, f32),
    size: f32,
) {
    let rect = Rect::new(x, y, size, size);
    let clip = match d.avatar_corner {
        Some(corner) => Shape::RoundRect(rect, corner),
        None => Shape::Circle {
            cx: x + size / 2.0,
            cy: y + size / 2.0,
            r: size / 2.0,
        },
    };
    if let Some(url) = &user.image
        && let Some(item) = cx.picture(url, rect, clip.clone())
    {
        b.push(item);
        return;
    }
    let colors = d.avatar_colors;
    let fill = colors[(fnv(user.id.as_bytes()) % colors.len() as u64) as usize];
    if let Some(face) = d.avatar_face {
        b.push(Item::fill(clip, fill));
        let s = size * 0.74;
        b.push(Item::Icon {
            icon: face,
            rect: Rect::new(x + (size - s) / 2.0, y + size * 0.16, s, s),
            color: Color::WHITE,
        });
        return;
    }
    let mut items = monogram(cx, &initials(&user.name), rect);
    // The monogram's grey gradient gives way to the platform's default colour.
    if let Some(first) = items.first_mut() {
        *first = Item::fill(clip, fill);
    }
    b.items.extend(items);
}
