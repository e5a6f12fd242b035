//! Reactions: tapback badges on the corner, a pill on the bottom edge, pills
//! inside the bubble, or a heart beside it.

use super::BubbleChat;
use crate::fonts::Family;
use crate::icons::Icon;
use crate::layout::{Block, Cx};
use crate::payload::Reaction;
use crate::scene::{Color, Item, Rect, Shape};
use crate::text::TextStyle;

/// Where reactions go.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Reactions {
    /// iMessage tapback badges on the top corner.
    Tapback,
    /// A small pill overlapping the bubble's bottom edge: on the sender's side, or
    /// `inward`, on the side facing the middle of the screen (Signal).
    Below {
        fill: Color,
        ring: Color,
        inward: bool,
    },
    /// Pills inside the bubble, under the text (Telegram).
    Inside,
    /// None shown (WeChat has no reactions).
    Hidden,
    /// A heart beside each of the other side's bubbles: outlined in `idle`, filled
    /// in `liked` once it has a reaction (Tinder).
    Heart { liked: Color, idle: Color },
}

impl BubbleChat {
    /// iMessage tapbacks: badges on the top corner away from the tail side.
    pub(super) fn tapbacks(
        &self,
        cx: &mut Cx<'_>,
        b: &mut Block,
        reactions: &[Reaction],
        r: Rect,
        outgoing: bool,
    ) {
        let d = &self.design;
        let sender = cx.props().sender.id.clone();
        let radius = 15.0;
        for (i, reaction) in reactions.iter().take(3).enumerate().rev() {
            let step = i as f32 * 15.0;
            let (bx, dir) = if outgoing {
                (r.x - 3.0 + step, 1.0)
            } else {
                (r.right() + 3.0 - step, -1.0)
            };
            let by = r.y - 8.0;
            let mine = reaction.user_id == sender;
            let fill = if mine { d.accent } else { d.received.color() };
            let ring = d.page;
            let dots = [(dir * 9.5, 12.5, 4.0), (dir * 13.0, 17.0, 1.9)];
            for (dx, dy, rr) in dots {
                b.push(Item::fill(
                    Shape::Circle {
                        cx: bx + dx,
                        cy: by + dy,
                        r: rr + 1.5,
                    },
                    ring,
                ));
            }
            b.push(Item::fill(
                Shape::Circle {
                    cx: bx,
                    cy: by,
                    r: radius + 2.0,
                },
                ring,
            ));
            for (dx, dy, rr) in dots {
                b.push(Item::fill(
                    Shape::Circle {
                        cx: bx + dx,
                        cy: by + dy,
                        r: rr,
                    },
                    fill,
                ));
            }
            b.push(Item::fill(
                Shape::Circle {
                    cx: bx,
                    cy: by,
                    r: radius,
                },
                fill,
            ));
            let style = TextStyle::new(Family::Emoji, 15.0, 18.0, 400, Color::WHITE);
            let t = cx.line(reaction.emoji.trim(), &style);
            b.push(Item::text(bx - t.width / 2.0, by - 9.0, t));
        }
    }

    /// Distinct emoji of the reactions (up to three) and how many reacted.
    pub(super) fn reaction_summary(reactions: &[Reaction]) -> (String, usize) {
        let mut distinct: Vec<&str> = Vec::new();
        for r in reactions {
            let e = r.emoji.trim();
            if !distinct.contains(&e) && distinct.len() < 3 {
                distinct.push(e);
            }
        }
        (distinct.concat(), reactions.len())
    }

    /// A pill with the reactions overlapping the bubble's bottom edge; returns how
    /// far it hangs below the bubble.
    pub(super) fn reaction_pill(
        &self,
        cx: &mut Cx<'_>,
        b: &mut Block,
        reactions: &[Reaction],
        r: Rect,
        outgoing: bool,
        (fill, ring, inward): (Color, Color, bool),
    ) -> f32 {
        let (emoji, count) = Self::reaction_summary(reactions);
        let e = cx.line(
            &emoji,
            &TextStyle::new(Family::Emoji, 14.0, 17.0, 400, Color::BLACK),
        );
        let n = (count > 1).then(|| {
            cx.line(
                &count.to_string(),
                &self.small(self.design.meta).size(12.0, 15.0),
            )
        });
        let pw = 12.0 + e.width + n.as_ref().map_or(0.0, |n| n.width + 4.0);
        let ph = 24.0;
        let x = match (outgoing, inward) {
            (true, false) => r.right() - pw - 10.0,
            (false, false) => r.x + 10.0,
            (true, true) => r.x + 6.0,
            (false, true) => r.right() - pw - 6.0,
        };
        // An inward pill sits 7 into the bubble (Signal's); the others 4.
        let overlap = if inward { 7.0 } else { 4.0 };
        let pill = Rect::new(x, r.bottom() - overlap, pw, ph);
        b.push(Item::fill(
            Shape::RoundRect(pill.inset(-2.0).translate(0.0, 0.8), ph / 2.0 + 2.0),
            Color::rgba(0, 0, 0, 0x1C),
        ));
        b.push(Item::fill(
            Shape::RoundRect(pill.inset(-2.0), ph / 2.0 + 2.0),
            ring,
        ));
        b.push(Item::fill(Shape::RoundRect(pill, ph / 2.0), fill));
        b.push(Item::text(pill.x + 6.0, pill.y + 3.5, e.clone()));
        if let Some(n) = n {
            b.push(Item::text(pill.x + 6.0 + e.width + 4.0, pill.y + 4.5, n));
        }
        // The ring's outer edge.
        pill.bottom() + 2.0 - r.bottom()
    }

    /// Telegram: reaction pills inside the bubble. Items at (0, 0), width, height.
    pub(super) fn reaction_pills_inside(
        &self,
        cx: &mut Cx<'_>,
        reactions: &[Reaction],
        outgoing: bool,
    ) -> (Vec<Item>, f32, f32) {
        let d = &self.design;
        let mut groups: Vec<(&str, usize)> = Vec::new();
        for r in reactions {
            let e = r.emoji.trim();
            match groups.iter_mut().find(|(g, _)| *g == e) {
                Some(g) => g.1 += 1,
                None => groups.push((e, 1)),
            }
        }
        let tint = if outgoing {
            d.sent_meta.fade(0.25)
        } else {
            d.accent.fade(0.14)
        };
        let ink = if outgoing { d.sent_meta } else { d.accent };
        let mut items = Vec::new();
        let mut x = 0.0;
        let h = 26.0;
        for (emoji, n) in groups.into_iter().take(4) {
            let e = cx.line(emoji, &TextStyle::new(Family::Emoji, 15.0, 18.0, 400, ink));
            let count = cx.line(
                &n.to_string(),
                &self.small(ink).weight(600).size(13.0, 16.0),
            );
            let w = 10.0 + e.width + 5.0 + count.width + 10.0;
            let pill = Rect::new(x, 0.0, w, h);
            items.push(Item::fill(Shape::RoundRect(pill, h / 2.0), tint));
            items.push(Item::text(x + 10.0, 4.0, e.clone()));
            items.push(Item::text(x + 15.0 + e.width, 5.0, count));
            x += w + 6.0;
        }
        (items, x - 6.0, h)
    }
}

impl BubbleChat {
    /// Tinder's like: a heart right of the other side's bubble, outlined, or
    /// filled when the message has a reaction.
    pub(super) fn like(&self, b: &mut Block, liked: bool, r: Rect, (on, off): (Color, Color)) {
        let (icon, ink) = if liked {
            (Icon::Heart, on)
        } else {
            (Icon::HeartOutline, off)
        };
        b.push(Item::Icon {
            icon,
            rect: Rect::new(
                r.right() + 8.0,
                r.bottom() - r.h.min(40.0) / 2.0 - 10.0,
                20.0,
                20.0,
            ),
            color: ink,
        });
    }
}
