//! The conversation as chat apps see it: who said what on which side, runs of
//! consecutive messages from one person, where the time separators fall, and which
//! message carries the delivery receipt. Platform-neutral; skins decide the look.

use crate::payload::{DeliveryStatus, Message, MessageType, Payload, User};
use crate::time::LocalTime;

/// How a platform groups a transcript: where time separators fall, and how long
/// a pause ends a run of one author's messages.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grouping {
    pub separators: SeparatorRule,
    /// A run ends when its author pauses this many minutes or more (Discord,
    /// Slack); `None`: only another author, a separator or a notice ends it.
    pub run_break_minutes: Option<i64>,
}

/// When a skin puts a time separator between two messages.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SeparatorRule {
    /// When the calendar day changes (WhatsApp, Telegram).
    NewDay,
    /// When the calendar day changes, and above the first message only when it is
    /// not from today (Signal).
    DayChange,
    /// When the day changes or the gap since the previous message exceeds this many
    /// minutes (iMessage shows a new timestamp after about an hour).
    NewDayOrGap { minutes: i64 },
}

/// One row of the transcript.
#[derive(Debug, Clone)]
pub enum Entry<'p> {
    /// A centred time label before the message at `before`.
    Separator {
        time: LocalTime,
        before: usize,
    },
    Message(Post<'p>),
}

/// A message in context.
#[derive(Debug, Clone)]
pub struct Post<'p> {
    /// Position in `props.messages` (`usize::MAX` for a typing indicator added by a
    /// video).
    pub index: usize,
    pub message: &'p Message,
    pub author: &'p User,
    /// Sent by the device owner: drawn on the right.
    pub outgoing: bool,
    pub time: LocalTime,
    /// First and last of a run of consecutive messages by one author.
    pub first_in_run: bool,
    pub last_in_run: bool,
    /// The receipt to show under this message, if it carries the conversation's one.
    pub receipt: Option<DeliveryStatus>,
    /// It would carry the receipt, but in this moment of a video it is not
    /// delivered yet.
    pub pending: bool,
    /// The message this one replies to.
    pub reply_to: Option<&'p Message>,
}

impl Post<'_> {
    pub fn kind(&self) -> MessageType {
        self.message.kind
    }

    pub fn text(&self) -> &str {
        self.message.text.as_deref().unwrap_or("")
    }
}

/// Which receipt the owner's last message shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Receipt {
    /// The message's own (or the platform's default) status: a still.
    Final,
    /// None yet: the message was just sent.
    Hidden,
    /// "Delivered", whatever comes later.
    Delivered,
}

/// A moment of the conversation: how much of it is shown.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    /// The first `visible` messages are shown.
    pub visible: usize,
    /// A typing indicator after them (a `typing` message by its author).
    pub typing: Option<&'a Message>,
    pub receipt: Receipt,
}

impl View<'_> {
    /// Everything, as in a still.
    pub fn all() -> View<'static> {
        View {
            visible: usize::MAX,
            typing: None,
            receipt: Receipt::Final,
        }
    }
}

/// The transcript, in order.
#[derive(Debug, Clone)]
pub struct Conversation<'p> {
    pub entries: Vec<Entry<'p>>,
}

impl<'p> Conversation<'p> {
    /// Builds the transcript of the first `visible` messages (all of them for a
    /// still; fewer while a video plays the conversation out).
    pub fn build(
        payload: &'p Payload,
        grouping: Grouping,
        default_status: DeliveryStatus,
        view: View<'p>,
    ) -> Conversation<'p> {
        let rule = grouping.separators;
        let props = payload.props();
        let messages = &props.messages[..view.visible.min(props.messages.len())];
        let times = &payload.times.messages;
        let mut entries = Vec::with_capacity(messages.len() + 4);
        let mut prev: Option<(usize, &str)> = None;

        for (i, m) in messages.iter().enumerate() {
            let t = times[i];
            let new_section = match prev {
                // "Today" is the day of the last message, as the labels count it.
                None if rule == SeparatorRule::DayChange => times
                    .last()
                    .is_some_and(|last| last.date_naive() != t.date_naive()),
                None => true,
                Some((p, _)) => {
                    let before = times[p];
                    let gap = t.signed_duration_since(before).num_minutes();
                    t.date_naive() != before.date_naive()
                        || matches!(rule, SeparatorRule::NewDayOrGap { minutes } if gap >= minutes)
                }
            };
            if props.show_dates && new_section && m.kind != MessageType::Typing {
                entries.push(Entry::Separator { time: t, before: i });
            }
            let author = props.user(&m.user_id).unwrap_or(&props.sender);
            // System notices and typing indicators stand alone: they end the run
            // before them and start none.
            let stands_alone = matches!(m.kind, MessageType::System | MessageType::Typing);
            let paused = match (prev, grouping.run_break_minutes) {
                (Some((p, _)), Some(minutes)) => {
                    t.signed_duration_since(times[p]).num_minutes() >= minutes
                }
                _ => false,
            };
            let same_author = !(stands_alone || paused || props.show_dates && new_section)
                && prev.is_some_and(|(_, uid)| uid == m.user_id);
            if !same_author {
                close_run(&mut entries);
            }
            entries.push(Entry::Message(Post {
                index: i,
                message: m,
                author,
                outgoing: m.user_id == props.sender.id,
                time: t,
                first_in_run: !same_author,
                last_in_run: false,
                receipt: None,
                pending: false,
                reply_to: m
                    .reply_to_id
                    .as_ref()
                    .and_then(|id| messages[..i].iter().find(|o| &o.id == id)),
            }));
            let run_owner = if stands_alone { "" } else { m.user_id.as_str() };
            prev = Some((i, run_owner));
        }
        close_run(&mut entries);
        if let Some(typing) = view.typing {
            let author = props.user(&typing.user_id).unwrap_or(&props.sender);
            let time = times.get(messages.len()).or(times.last()).copied();
            if let Some(time) = time {
                entries.push(Entry::Message(Post {
                    index: usize::MAX,
                    message: typing,
                    author,
                    outgoing: typing.user_id == props.sender.id,
                    time,
                    first_in_run: true,
                    last_in_run: true,
                    receipt: None,
                    pending: false,
                    reply_to: None,
                }));
            }
        }

        // The receipt sits under the device owner's last message, as long as nobody
        // has written since (a typing indicator does not count).
        let last_real = entries.iter_mut().rev().find_map(|e| match e {
            Entry::Message(s) if !matches!(s.kind(), MessageType::Typing) => Some(s),
            _ => None,
        });
        if let Some(s) = last_real
            && s.outgoing
            && s.kind() != MessageType::System
        {
            s.receipt = match view.receipt {
                Receipt::Final => Some(s.message.status.unwrap_or(default_status)),
                Receipt::Hidden => None,
                Receipt::Delivered => Some(DeliveryStatus::Delivered),
            };
            s.pending = view.receipt == Receipt::Hidden;
        }
        Conversation { entries }
    }

    #[cfg(test)]
    pub fn messages(&self) -> impl Iterator<Item = &Post<'p>> {
        self.entries.iter().filter_map(|e| match e {
            Entry::Message(s) => Some(s),
            Entry::Separator { .. } => None,
        })
    }
}

/// Marks the latest message as the end of its run.
fn close_run(entries: &mut [Entry<'_>]) {
    let last = entries.iter_mut().rev().find_map(|e| match e {
        Entry::Message(s) => Some(s),
        Entry::Separator { .. } => None,
    });
    if let Some(s) = last {
        s.last_in_run = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::payload_with;

    #[test]
    fn runs_separators_and_receipt() {
        let p = payload_with(&[
            ("me", "text", "2024-05-01T09:00:00Z"),
            ("me", "text", "2024-05-01T09:01:00Z"),
            ("you", "text", "2024-05-01T09:02:00Z"),
            ("me", "text", "2024-05-01T11:00:00Z"),
        ]);
        let c = Conversation::build(
            &p,
            Grouping {
                separators: SeparatorRule::NewDayOrGap { minutes: 60 },
                run_break_minutes: None,
            },
            DeliveryStatus::Delivered,
            View::all(),
        );
        let shape: Vec<String> = c
            .entries
            .iter()
            .map(|e| match e {
                Entry::Separator { .. } => "|".to_owned(),
                Entry::Message(s) => format!(
                    "{}{}{}{}",
                    if s.outgoing { "R" } else { "L" },
                    if s.first_in_run { "f" } else { "" },
                    if s.last_in_run { "l" } else { "" },
                    if s.receipt.is_some() { "*" } else { "" },
                ),
            })
            .collect();
        assert_eq!(shape, ["|", "Rf", "Rl", "Lfl", "|", "Rfl*"]);
    }

    #[test]
    fn a_long_pause_ends_a_run_where_the_platform_says_so() {
        let p = payload_with(&[
            ("you", "text", "2024-05-01T09:00:00Z"),
            ("you", "text", "2024-05-01T09:05:00Z"),
            ("you", "text", "2024-05-01T09:15:00Z"),
        ]);
        let firsts = |run_break_minutes| {
            let grouping = Grouping {
                separators: SeparatorRule::NewDay,
                run_break_minutes,
            };
            Conversation::build(&p, grouping, DeliveryStatus::Read, View::all())
                .messages()
                .map(|s| s.first_in_run)
                .collect::<Vec<_>>()
        };
        assert_eq!(firsts(None), [true, false, false]);
        assert_eq!(firsts(Some(7)), [true, false, true]);
    }

    #[test]
    fn no_receipt_when_the_other_side_wrote_last() {
        let p = payload_with(&[
            ("me", "text", "2024-05-01T09:00:00Z"),
            ("you", "text", "2024-05-01T09:01:00Z"),
        ]);
        let c = Conversation::build(
            &p,
            Grouping {
                separators: SeparatorRule::NewDayOrGap { minutes: 60 },
                run_break_minutes: None,
            },
            DeliveryStatus::Read,
            View::all(),
        );
        assert!(c.messages().all(|s| s.receipt.is_none()));
    }
}
