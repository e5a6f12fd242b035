//! The choreography of a video, before any layout: a pause, then typing (the other
//! side's indicator, or the owner's draft in the composer), then the message, then
//! its receipt. Pure: payload and pace in, timed events out.

use unicode_segmentation::UnicodeSegmentation;

use super::Pace;
use crate::conversation::Receipt;
use crate::payload::{DeliveryStatus, MessageType, Payload};

/// Receipts appear this long after a message is sent ("Delivered"), and turn to
/// "Read" this long after.
pub(crate) const DELIVERED_AFTER_MS: f64 = 700.0;
pub(crate) const READ_AFTER_MS: f64 = 1700.0;

/// What happens at a moment.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Event {
    /// The first `visible` messages, maybe someone typing, and a receipt.
    Show {
        visible: usize,
        typing: Option<String>,
        receipt: Receipt,
    },
    /// The owner types message `message` into the composer until `until`.
    Compose { message: usize, until: f64 },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Scheduled {
    pub at: f64,
    pub event: Event,
}

/// Every scheduled in time order, and the video's length.
#[derive(Debug, Clone)]
pub(crate) struct Script {
    pub events: Vec<Scheduled>,
    pub duration_ms: f64,
}

/// Plans the video. The owner's messages are typed letter by letter while the
/// letters typed so far stay within `max_typed` graphemes; later ones are sent
/// without being typed (a long story is still bounded in layout work).
pub(crate) fn script(
    payload: &Payload,
    pace: &Pace,
    default_status: DeliveryStatus,
    max_typed: usize,
) -> Script {
    let props = payload.props();
    let messages = &props.messages;
    let pause = |i: usize| {
        messages[i]
            .delay_ms
            .unwrap_or(if i == 0 { 0.0 } else { pace.message_delay_ms })
    };
    let show = |visible, typing, receipt| Event::Show {
        visible,
        typing,
        receipt,
    };
    let mut events = vec![Scheduled {
        at: 0.0,
        event: show(0, None, Receipt::Hidden),
    }];
    let mut t = pace.start_delay_ms;
    let mut typed = 0usize;
    // The receipt reached so far (it stays while the other side types).
    let mut receipt = Receipt::Hidden;
    for (i, m) in messages.iter().enumerate() {
        t += pause(i);
        let outgoing = m.user_id == props.sender.id;
        let letters = || m.text.as_deref().unwrap_or("").graphemes(true).count();
        match m.kind {
            MessageType::Typing | MessageType::System => {}
            MessageType::Text if outgoing && pace.type_outgoing => {
                let n = letters();
                if typed + n <= max_typed {
                    typed += n;
                    let took = pace.typing_for(m);
                    events.push(Scheduled {
                        at: t,
                        event: Event::Compose {
                            message: i,
                            until: t + took,
                        },
                    });
                    t += took;
                }
            }
            _ if !outgoing && pace.typing_indicator => {
                events.push(Scheduled {
                    at: t,
                    event: show(i, Some(m.user_id.clone()), receipt),
                });
                t += pace.typing_for(m);
            }
            _ => {}
        }
        // A new message takes the receipt away; a typing indicator does not.
        if m.kind != MessageType::Typing {
            receipt = Receipt::Hidden;
        }
        events.push(Scheduled {
            at: t,
            event: show(i + 1, None, receipt),
        });
        // The owner's message is delivered, then read, unless the story moves on.
        let next = if i + 1 < messages.len() {
            t + pause(i + 1)
        } else {
            t + pace.end_hold_ms
        };
        let status = m.status.unwrap_or(default_status);
        if outgoing && m.kind != MessageType::System && status != DeliveryStatus::Sent {
            if t + DELIVERED_AFTER_MS < next {
                receipt = if status == DeliveryStatus::Delivered {
                    Receipt::Final
                } else {
                    Receipt::Delivered
                };
                events.push(Scheduled {
                    at: t + DELIVERED_AFTER_MS,
                    event: show(i + 1, None, receipt),
                });
            }
            if status == DeliveryStatus::Read && t + READ_AFTER_MS < next {
                receipt = Receipt::Final;
                events.push(Scheduled {
                    at: t + READ_AFTER_MS,
                    event: show(i + 1, None, receipt),
                });
            }
        }
    }
    Script {
        events,
        duration_ms: t + pace.end_hold_ms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::payload_with;

    fn pace() -> Pace {
        Pace {
            fps: 30,
            start_delay_ms: 500.0,
            message_delay_ms: 900.0,
            typing_indicator: true,
            typing_ms: Some(1000.0),
            type_outgoing: true,
            end_hold_ms: 2000.0,
        }
    }

    fn shown(visible: usize, typing: Option<&str>, receipt: Receipt) -> Event {
        Event::Show {
            visible,
            typing: typing.map(str::to_owned),
            receipt,
        }
    }

    #[test]
    fn incoming_typing_then_owner_composing_then_receipts() {
        let p = payload_with(&[
            ("you", "text", "2024-05-01T09:41:00Z"),
            ("me", "text", "2024-05-01T09:42:00Z"),
        ]);
        let s = script(&p, &pace(), DeliveryStatus::Read, usize::MAX);
        let got: Vec<(f64, Event)> = s.events.into_iter().map(|c| (c.at, c.event)).collect();
        use Receipt::*;
        assert_eq!(
            got,
            [
                (0.0, shown(0, None, Hidden)),
                (500.0, shown(0, Some("you"), Hidden)),
                (1500.0, shown(1, None, Hidden)),
                (
                    2400.0,
                    Event::Compose {
                        message: 1,
                        until: 3400.0
                    }
                ),
                (3400.0, shown(2, None, Hidden)),
                (4100.0, shown(2, None, Delivered)),
                (5100.0, shown(2, None, Final)),
            ]
        );
        assert_eq!(s.duration_ms, 5400.0);
    }

    #[test]
    fn typing_stops_when_the_budget_of_letters_is_spent() {
        // Each message says "hello": five letters.
        let p = payload_with(&[
            ("me", "text", "2024-05-01T09:41:00Z"),
            ("me", "text", "2024-05-01T09:42:00Z"),
            ("me", "text", "2024-05-01T09:43:00Z"),
        ]);
        let s = script(&p, &pace(), DeliveryStatus::Sent, 10);
        let composed = s
            .events
            .iter()
            .filter(|c| matches!(c.event, Event::Compose { .. }))
            .count();
        assert_eq!(composed, 2, "the third message is sent without typing");
        let untyped = script(&p, &pace(), DeliveryStatus::Sent, 0);
        assert_eq!(untyped.duration_ms, s.duration_ms - 2000.0);
    }

    #[test]
    fn a_quick_reply_keeps_the_receipt_from_showing() {
        let p = payload_with(&[
            ("me", "text", "2024-05-01T09:41:00Z"),
            ("you", "text", "2024-05-01T09:42:00Z"),
        ]);
        let mut quick = pace();
        quick.message_delay_ms = 100.0;
        quick.typing_indicator = false;
        let s = script(&p, &quick, DeliveryStatus::Read, usize::MAX);
        assert!(
            s.events.iter().all(
                |c| !matches!(&c.event, Event::Show { receipt, .. } if *receipt != Receipt::Hidden)
            ),
            "{:?}",
            s.events
        );
    }
}
