//! Centred rows: time separators (in the design's day wording) and system notices,
//! as plain text or in chips.

use super::BubbleChat;
use crate::layout::{Block, Cx};
use crate::scene::{Color, Item, Rect, Shape};
use crate::text::{Bounds, Span};
use crate::time::LocalTime;

/// How a centred label (time separator, system notice) looks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Label {
    /// Plain small text.
    Text,
    /// Small text between two hairlines across the screen (Microsoft Teams).
    Ruled(Color),
    /// Text in a rounded chip.
    Chip {
        fill: Color,
        ink: Color,
        shadow: bool,
    },
}

impl BubbleChat {
    /// A centred label at `top`, in `size` points, with `after` points below it.
    pub(super) fn label_chip(
        &self,
        cx: &mut Cx<'_>,
        spans: &[Span<'_>],
        style: Label,
        (top, size, after): (f32, f32, f32),
    ) -> Block {
        let w = cx.width;
        match style {
            Label::Text => {
                let text_style = self
                    .small(self.design.meta)
                    .size(size, (size * 1.25).round());
                let t = cx.text(spans, &text_style, Bounds::width(w - 60.0).centered());
                let mut b = Block::new(top + t.height + after);
                b.push(Item::text((w - t.width) / 2.0, top, t));
                b
            }
            Label::Ruled(rule) => {
                let text_style = self
                    .small(self.design.meta)
                    .size(size, (size * 1.25).round());
                let t = cx.text(spans, &text_style, Bounds::width(w - 120.0).centered());
                let mut b = Block::new(top + t.height + after);
                let (x0, x1) = ((w - t.width) / 2.0, (w + t.width) / 2.0);
                let y = top + t.height / 2.0;
                b.push(Item::rect(
                    Rect::new(16.0, y, (x0 - 12.0 - 16.0).max(0.0), 0.5),
                    rule,
                ));
                b.push(Item::rect(
                    Rect::new(x1 + 12.0, y, (w - 16.0 - x1 - 12.0).max(0.0), 0.5),
                    rule,
                ));
                b.push(Item::text(x0, top, t));
                b
            }
            Label::Chip { fill, ink, shadow } => {
                let style = self
                    .small(ink)
                    .size(self.design.meta_size + 1.0, self.design.meta_size + 5.0);
                let t = cx.text(spans, &style, Bounds::width(w - 90.0).centered());
                let (cw, ch) = (t.width.ceil() + 20.0, t.height + 10.0);
                let chip = Rect::new(((w - cw) / 2.0).round(), top, cw, ch);
                let mut b = Block::new(top + ch + after);
                if shadow {
                    b.push(Item::fill(
                        Shape::RoundRect(chip.translate(0.0, 0.8), 8.0),
                        Color::rgba(0x0B, 0x14, 0x1A, 0x20),
                    ));
                }
                b.push(Item::fill(
                    Shape::RoundRect(chip, ch.min(16.0) / 2.0 + 1.0),
                    fill,
                ));
                b.push(Item::text(chip.x + (cw - t.width) / 2.0, top + 5.0, t));
                b
            }
        }
    }

    pub(super) fn separator(
        &self,
        cx: &mut Cx<'_>,
        time: &LocalTime,
        after_something: bool,
    ) -> Block {
        let today = cx.today(time);
        let (day, rest) = self
            .design
            .days
            .label(time, today, cx.props().time_notation);
        let spans = [Span::plain(&day).weight(600), Span::plain(&rest)];
        let top = if after_something { 14.0 } else { 4.0 };
        let size = self.design.meta_size;
        let mut b = self.label_chip(cx, &spans, self.design.separator, (top, size, 8.0));
        if matches!(self.design.separator, Label::Text | Label::Ruled(_)) {
            // Text separators sit on the line height of captions.
            b.height = top + (size * 1.2).round() + 8.0;
        }
        b
    }

    pub(super) fn notice(&self, cx: &mut Cx<'_>, text: &str, gap: f32) -> Block {
        let spans = self.rich(text);
        self.label_chip(
            cx,
            &spans,
            self.design.system,
            (gap + 6.0, self.design.meta_size + 1.0, 6.0),
        )
    }
}
