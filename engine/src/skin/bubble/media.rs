//! Photos (one at its aspect, or a grid) and voice notes.

use super::BubbleChat;
use super::body::Body;
use crate::conversation::Post;
use crate::icons::Icon;
use crate::layout::Cx;
use crate::scene::{Item, Rect, Shape};
use crate::skin::parts::Waveform;
use crate::text::TextStyle;

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
        let max_w = if inside { 232.0 } else { 240.0 };
        let max_h = 300.0;
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
        if d.time_inside {
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
