//! Where the delivery state of the owner's messages shows.

use super::BubbleChat;
use crate::conversation::Post;
use crate::icons::Icon;
use crate::layout::{Block, Cx};
use crate::payload::DeliveryStatus;
use crate::scene::{Color, Item, Rect, Shape};
use crate::text::{Bounds, Span};
use crate::time::clock;

/// Where the delivery state of the owner's messages shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Receipts {
    /// "Delivered" / "Read 9:41 AM" under the last sent message (iMessage).
    Caption,
    /// "Sent" / "Seen" under the last sent message (Instagram).
    Seen,
    /// "Seen" under the last sent message once read, nothing before (TikTok).
    SeenOnly,
    /// "Sent" and a check-mark badge in this colour under the last sent message,
    /// "Read 4:32 PM" once read (Tinder).
    SentBadge(Color),
    /// A small eye under the last sent message once read, a circled check before
    /// (Microsoft Teams).
    SeenEye,
    /// A tiny avatar of the reader, or a check in a circle, under it (Messenger).
    SeenAvatar,
    /// Ticks beside the time inside every sent bubble (WhatsApp, Telegram).
    Ticks { pending: Color, read: Color },
    /// Checks in circles beside the time inside every sent bubble, in the time's
    /// colour: one outlined (sent), two outlined (delivered), two filled (read)
    /// (Signal).
    Circles,
    /// None at all (WeChat).
    Hidden,
}

impl BubbleChat {
    /// The receipt under the owner's last message. Returns the new `y`.
    pub(super) fn receipt(
        &self,
        cx: &mut Cx<'_>,
        b: &mut Block,
        s: &Post<'_>,
        status: DeliveryStatus,
        y: f32,
    ) -> f32 {
        let d = &self.design;
        let w = cx.width;
        let notation = cx.props().time_notation;
        match d.receipts {
            Receipts::Ticks { .. } | Receipts::Circles | Receipts::Hidden => y,
            Receipts::Caption => {
                let at = clock(&s.time, notation);
                let spans: Vec<Span<'_>> = match status {
                    DeliveryStatus::Delivered => vec![Span::plain("Delivered").weight(600)],
                    DeliveryStatus::Read => {
                        vec![
                            Span::plain("Read").weight(600),
                            Span::plain(" "),
                            Span::plain(&at),
                        ]
                    }
                    DeliveryStatus::Sent => return y,
                };
                let t = cx.text(&spans, &self.small(d.meta), Bounds::default());
                b.push(Item::text(w - d.side_margin - 2.0 - t.width, y + 3.0, t));
                y + 16.0
            }
            Receipts::SeenOnly if status != DeliveryStatus::Read => y,
            Receipts::SeenEye => {
                let size = 14.0;
                let (x, top) = (w - d.side_margin - size, y + 3.0);
                if status == DeliveryStatus::Read {
                    b.push(Item::Icon {
                        icon: Icon::Eye,
                        rect: Rect::new(x, top, size, size),
                        color: d.meta,
                    });
                } else {
                    let c = (x + size / 2.0, top + size / 2.0);
                    b.push(Item::Stroke {
                        shape: Shape::Circle {
                            cx: c.0,
                            cy: c.1,
                            r: size / 2.0 - 1.0,
                        },
                        color: d.meta,
                        width: 1.1,
                    });
                    b.push(Item::Icon {
                        icon: Icon::Check,
                        rect: Rect::new(c.0 - 3.5, c.1 - 2.5, 7.0, 5.0),
                        color: d.meta,
                    });
                }
                y + size + 5.0
            }
            Receipts::SentBadge(_) if status == DeliveryStatus::Read => {
                let at = clock(&s.time, notation);
                let t = cx.line(&format!("Read {at}"), &self.small(d.meta).size(12.0, 15.0));
                b.push(Item::text(w - d.side_margin - 2.0 - t.width, y + 4.0, t));
                y + 19.0
            }
            Receipts::SentBadge(badge) => {
                let size = 15.0;
                let cxr = w - d.side_margin - size / 2.0;
                let cy = y + 4.0 + 7.5;
                b.push(Item::fill(
                    Shape::Circle {
                        cx: cxr,
                        cy,
                        r: size / 2.0,
                    },
                    badge,
                ));
                b.push(Item::Icon {
                    icon: Icon::CheckDouble,
                    rect: Rect::new(cxr - 5.0, cy - 3.5, 10.0, 7.0),
                    color: Color::WHITE,
                });
                let t = cx.line("Sent", &self.small(d.meta).size(12.0, 15.0));
                b.push(Item::text(cxr - size / 2.0 - 4.0 - t.width, y + 4.0, t));
                y + 21.0
            }
            Receipts::Seen | Receipts::SeenOnly => {
                let word = if status == DeliveryStatus::Read {
                    "Seen"
                } else {
                    "Sent"
                };
                let t = cx.line(word, &self.small(d.meta).size(12.0, 15.0));
                b.push(Item::text(w - d.side_margin - 2.0 - t.width, y + 4.0, t));
                y + 19.0
            }
            Receipts::SeenAvatar => {
                let size = 14.0;
                let cxr = w - d.side_margin - size / 2.0 + 1.0;
                let cy = y + 4.0 + size / 2.0;
                match status {
                    DeliveryStatus::Read => {
                        let reader = cx.props().receivers[0].clone();
                        b.items
                            .extend(crate::skin::parts::avatar(cx, &reader, cxr, cy, size));
                    }
                    DeliveryStatus::Delivered => {
                        b.push(Item::fill(
                            Shape::Circle {
                                cx: cxr,
                                cy,
                                r: size / 2.0,
                            },
                            d.meta,
                        ));
                        b.push(Item::Icon {
                            icon: Icon::Check,
                            rect: Rect::new(cxr - 4.5, cy - 3.2, 9.0, 6.4),
                            color: d.page,
                        });
                    }
                    DeliveryStatus::Sent => {
                        b.push(Item::Stroke {
                            shape: Shape::Circle {
                                cx: cxr,
                                cy,
                                r: size / 2.0 - 0.6,
                            },
                            color: d.meta,
                            width: 1.2,
                        });
                        b.push(Item::Icon {
                            icon: Icon::Check,
                            rect: Rect::new(cxr - 4.0, cy - 3.0, 8.0, 6.0),
                            color: d.meta,
                        });
                    }
                }
                y + size + 6.0
            }
        }
    }
}

/// Signal's receipt: one circle with a check (sent), or two overlapping ones
/// (delivered), filled with the check cut out in `knockout` when read. Items from
/// (x, top), 12 points tall; returns them and their width.
pub(super) fn circled_checks(
    status: DeliveryStatus,
    (x, top): (f32, f32),
    ink: Color,
    knockout: Color,
) -> (Vec<Item>, f32) {
    let r = 5.4;
    let count = if status == DeliveryStatus::Sent { 1 } else { 2 };
    let filled = status == DeliveryStatus::Read;
    let mut items = Vec::new();
    // Drawn right to left so the left circle overlaps the right one, as Signal's do.
    for i in (0..count).rev() {
        let (cx, cy) = (x + 6.0 + i as f32 * 6.0, top + 6.0);
        if i + 1 < count {
            // A ring of the bubble's colour keeps the two circles apart.
            let ring = if filled { r + 1.0 } else { r + 0.6 };
            items.push(Item::fill(Shape::Circle { cx, cy, r: ring }, knockout));
        }
        if filled {
            items.push(Item::fill(Shape::Circle { cx, cy, r }, ink));
        } else {
            items.push(Item::Stroke {
                shape: Shape::Circle { cx, cy, r: r - 0.5 },
                color: ink,
                width: 1.1,
            });
        }
        items.push(Item::Icon {
            icon: Icon::Check,
            rect: Rect::new(cx - 3.0, cy - 2.2, 6.0, 4.4),
            color: if filled { knockout } else { ink },
        });
    }
    (items, 12.0 + (count - 1) as f32 * 6.0)
}
