//! Reactions as chips under a message: each emoji once with how many reacted, the
//! owner's own reactions outlined in the accent colour.

use super::RowChat;
use crate::fonts::Family;
use crate::layout::{Block, Cx};
use crate::payload::Reaction;
use crate::scene::{Item, Rect, Shape};
use crate::text::TextStyle;

/// Distinct reactions shown at most.
const MAX_CHIPS: usize = 8;

impl RowChat {
    /// The chips from `y`, wrapping within the column; returns the new `y`.
    pub(super) fn chips(
        &self,
        cx: &mut Cx<'_>,
        b: &mut Block,
        reactions: &[Reaction],
        y: f32,
    ) -> f32 {
        let d = &self.design;
        let c = d.chips;
        let owner = cx.props().sender.id.clone();
        // Each emoji once, in first-seen order: (emoji, count, the owner's).
        let mut groups: Vec<(&str, usize, bool)> = Vec::new();
        for r in reactions {
            let e = r.emoji.trim();
            let mine = r.user_id == owner;
            match groups.iter_mut().find(|(g, _, _)| *g == e) {
                Some(g) => {
                    g.1 += 1;
                    g.2 |= mine;
                }
                None => groups.push((e, 1, mine)),
            }
        }
        let right = cx.width - d.right_pad;
        let (mut x, mut top) = (d.column, y);
        for (emoji, count, mine) in groups.into_iter().take(MAX_CHIPS) {
            let e = cx.line(
                emoji,
                &TextStyle::new(Family::Emoji, 15.0, 18.0, 400, c.ink),
            );
            let ink = if mine { c.mine_ink } else { c.ink };
            let n = cx.line(&count.to_string(), &self.small(14.0, 600, ink));
            let w = (8.0 + e.width + 6.0 + n.width + 8.0).ceil();
            if x + w > right && x > d.column {
                x = d.column;
                top += c.height + 4.0;
            }
            let chip = Rect::new(x, top, w, c.height);
            let (fill, ring) = if mine {
                (c.mine_fill, c.mine_ring)
            } else {
                (c.fill, c.ring)
            };
            b.push(Item::fill(Shape::RoundRect(chip, c.radius), fill));
            b.push(Item::Stroke {
                shape: Shape::RoundRect(chip.inset(0.5), c.radius - 0.5),
                color: ring,
                width: 1.0,
            });
            let ew = e.width;
            b.push(Item::text(x + 8.0, top + (c.height - e.height) / 2.0, e));
            b.push(Item::text(
                x + 8.0 + ew + 6.0,
                top + (c.height - n.height) / 2.0,
                n,
            ));
            x += w + 4.0;
        }
        top + c.height + 2.0
    }
}
