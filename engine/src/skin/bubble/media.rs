//! Photos (one at its aspect, or a grid) and voice notes.

use super::BubbleChat;
use super::body::Body;
use super::design::Times;
use crate::conversation::Post;
use crate::icons::Icon;
use crate::layout::Cx;
use crate::scene::{Item, Rect, Shape};
use crate::skin::parts::Waveform;
use crate::text::TextStyle;

/// How a voice message looks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Voice {
    /// A play button, a waveform and the duration.
    Waveform,
    /// A bubble as long as the message is, with sound waves at the tail and the
    /// seconds (`12″`) beside it (WeChat).
    Seconds,
}

/// A bubble's waveform: 34 thin bars.
const WAVE: Waveform = Waveform {
    bars: 34,
    pitch: 3.5,
    bar_width: 2.0,
    depth: 17.0,
};

impl BubbleChat {
    /// One photo at its aspect, or a two-column grid of square tiles; items at (0, 0).
    pub(super) fn photos(&self, cx: &mut Cx<'_>, urls: &[String], inside: bool) -> Body {
        let d = &self.design;
        let max_w = if inside { 232.0 } else { d.photo_width };
        let max_h = if inside { 300.0 } else { d.photo_width * 1.25 };
        let radius = if inside {
            (d.photo_radius - 3.0).max(4.0)
        } else {
            d.photo_radius
        };
        let mut items = Vec::new();
        if let [url] = urls {
            let aspect = cx.pictures.aspect(url).unwrap_or(1.0).clamp(0.3, 4.0);
            let (mut pw, mut ph) = (max_w, max_w / aspect);
            if ph > max_h {
                ph = max_h;
                pw = (ph * aspect).max(80.0);
            }
            let rect = Rect::new(0.0, 0.0, pw.round(), ph.round());
            items.extend(cx.picture(url, rect, Shape::RoundRect(rect, radius)));
            return Body {
                w: rect.w,
                h: rect.h,
                items,
            };
        }
        let gap = 3.0;
        let tile = ((max_w - gap) / 2.0).floor();
        for (i, url) in urls.iter().enumerate() {
            let (col, row) = ((i % 2) as f32, (i / 2) as f32);
            let mut rect = Rect::new(col * (tile + gap), row * (tile + gap), tile, tile);
            if i + 1 == urls.len() && i % 2 == 0 {
                rect.w = tile * 2.0 + gap;
            }
            items.extend(cx.picture(url, rect, Shape::RoundRect(rect, radius.min(14.0))));
        }
        let rows = urls.len().div_ceil(2) as f32;
        Body {
            w: tile * 2.0 + gap,
            h: rows * tile + (rows - 1.0) * gap,
            items,
        }
    }

    /// An audio message: play button, waveform and duration (and time, where shown).
    pub(super) fn voice(&self, cx: &mut Cx<'_>, s: &Post<'_>, name_inside: bool) -> Body {
        let d = &self.design;
        if d.voice == Voice::Seconds {
            return self.voice_seconds(cx, s);
        }
        let ink = self.ink_of(s.outgoing);
        let secs = s.message.duration_sec.unwrap_or(1.0).round() as u64;
        let label = format!("{}:{:02}", secs / 60, secs % 60);
        let style = TextStyle::new(d.font, 15.0, 20.0, 500, ink);
        let t = cx.line(&label, &style);
        let mut items = Vec::new();
        let mut top = 0.0;
        if name_inside {
            let color = self.name_color(s.author);
            let name_style = self
                .small(color)
                .weight(600)
                .size(d.meta_size + 2.0, d.meta_size + 6.0);
            let name = cx.line(&s.author.name, &name_style);
            items.push(Item::text(d.pad.side, d.pad.top - 1.0, name));
            top = d.meta_size + 8.0;
        }
        items.push(Item::Icon {
            icon: Icon::Play,
            rect: Rect::new(16.0, top + 13.0, 12.0, 14.0),
            color: ink,
        });
        items.extend(WAVE.draw(&s.message.id, 42.0, top + 20.0, ink.fade(0.9)));
        let mut w = 42.0 + WAVE.width() + 10.0 + t.width + 14.0;
        let mut h = top + 40.0;
        if d.times == Times::Inside {
            // Duration under the waveform, time and ticks at the right.
            let duration = cx.line(&label, &self.small(self.meta_ink(s.outgoing)));
            items.push(Item::text(42.0, top + 38.0, duration));
            let (meta, mw, mh) = self.meta_line(cx, s);
            w = w.max(42.0 + 40.0 + mw + d.pad.side + 20.0) - 30.0;
            items.push(Item::group(meta, (w - d.pad.side - mw + 2.0, top + 40.0)));
            h += mh + 4.0;
        } else {
            items.push(Item::text(w - 14.0 - t.width, top + 10.0, t));
        }
        Body { w, h, items }
    }
}

impl BubbleChat {
    /// WeChat's voice message: a bubble that grows with the seconds, three arcs of
    /// sound spreading from its tail end, the seconds outside it on the inner side.
    fn voice_seconds(&self, cx: &mut Cx<'_>, s: &Post<'_>) -> Body {
        let d = &self.design;
        let secs = s
            .message
            .duration_sec
            .unwrap_or(1.0)
            .round()
            .clamp(1.0, 60.0) as f32;
        let h = d.line_height + d.pad.top + d.pad.bottom;
        let w = (66.0 + (secs - 1.0) / 59.0 * (cx.width * 0.6 - 66.0)).round();
        let ink = self.ink_of(s.outgoing);
        // The waves spread from a point near the tail towards the bubble's middle.
        let dir: f32 = if s.outgoing { -1.0 } else { 1.0 };
        let x0 = if s.outgoing { w - 16.0 } else { 16.0 };
        let cy = h / 2.0;
        let mut items = vec![Item::fill(
            Shape::Circle {
                cx: x0 + dir * 1.5,
                cy,
                r: 1.8,
            },
            ink,
        )];
        for (i, r) in [6.0_f32, 10.5].into_iter().enumerate() {
            let mut pb = tiny_skia::PathBuilder::new();
            let (a0, a1): (f32, f32) = if s.outgoing {
                (180.0 - 42.0, 180.0 + 42.0)
            } else {
                (-42.0, 42.0)
            };
            let start = (
                x0 + r * a0.to_radians().cos(),
                cy + r * a0.to_radians().sin(),
            );
            pb.move_to(start.0, start.1);
            super::outline::arc(&mut pb, (x0, cy), (r, r), a0, a1);
            if let Some(path) = pb.finish() {
                items.push(Item::Stroke {
                    shape: Shape::path(path),
                    color: ink,
                    width: if i == 0 { 1.9 } else { 2.0 },
                });
            }
        }
        let label = format!("{secs}\u{2033}");
        let t = cx.line(&label, &self.small(d.meta).size(15.0, 18.0));
        let tx = if s.outgoing { -8.0 - t.width } else { w + 8.0 };
        items.push(Item::text(tx, cy - 9.0, t));
        Body { w, h, items }
    }
}
