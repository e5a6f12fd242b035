//! The other side typing: three pulsing dots in a received bubble.

use super::BubbleChat;
use super::row::RunPlace;
use crate::layout::Block;
use crate::scene::{Item, Rect, Shape};

/// How the other side typing shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Typing {
    /// Three dots in a received bubble.
    Dots,
    /// Dots in a bubble trailing two small circles (iMessage's thought bubble).
    Thought,
    /// No row in the transcript (WeChat says "Typing..." in its title; LINE shows
    /// nothing).
    NoRow,
}

impl BubbleChat {
    /// The typing indicator: three pulsing dots in a received bubble.
    pub(super) fn typing(
        &self,
        b: &mut Block,
        r: Rect,
        incoming: bool,
        (phase, screen_h): (Option<f32>, f32),
    ) {
        let d = &self.design;
        let fill = d.received;
        if d.typing == Typing::Thought {
            for (cx, cy, rad) in [
                (r.x + 2.5, r.bottom() - 1.5, 7.0),
                (r.x - 3.0, r.bottom() + 5.5, 3.3),
            ] {
                b.push(Item::fill(
                    Shape::Circle { cx, cy, r: rad },
                    fill.paint(screen_h),
                ));
            }
            b.push(Item::fill(
                Shape::RoundRect(r, r.h / 2.0),
                fill.paint(screen_h),
            ));
        } else {
            let place = RunPlace {
                first: true,
                last: true,
            };
            let shape = self.bubble_shape(r, place, incoming);
            let paint = fill.paint(screen_h);
            b.items.extend(self.shadow(&shape, r, &paint));
            b.push(Item::fill(shape, paint));
        }
        let alphas = match phase {
            Some(p) => [0.0, 1.0, 2.0].map(|i| {
                let wave = ((p - i * 0.18) * std::f32::consts::TAU).cos() * 0.5 + 0.5;
                0.35 + 0.65 * wave
            }),
            None => [0.45, 0.7, 1.0],
        };
        let dot = d.received_meta;
        let spacing = 13.0;
        let x0 = r.center_x() - spacing;
        for (i, alpha) in alphas.into_iter().enumerate() {
            b.push(Item::fill(
                Shape::Circle {
                    cx: x0 + i as f32 * spacing,
                    cy: r.center_y(),
                    r: 4.2,
                },
                dot.fade(alpha),
            ));
        }
    }
}
