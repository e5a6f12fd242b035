//! Video: the conversation played out over time, like a screen recording.
//!
//! Everything is laid out once, up front: each moment of the conversation (so many
//! messages shown, someone typing, a receipt) is a [`State`] of positioned rows, and
//! each draft being typed into the composer is a block. A frame then only picks the
//! states around its time and moves rows between them ([`Timeline::scene_at`]).

use std::collections::HashMap;
use std::sync::Arc;

use unicode_segmentation::UnicodeSegmentation;

use crate::conversation::{Conversation, Entry, Receipt, View};
use crate::layout::page::{self, Chrome, Look, Placed};
use crate::layout::{Block, Cx, MOBILE_HEIGHT};
use crate::payload::{DeliveryStatus, Message, MessageType, Payload, VideoFrame};
use crate::scene::Scene;
use crate::skin::{Motion, Skin};

/// Typing indicators are drawn at this many moments of their loop.
const TYPING_PHASES: usize = 12;
/// Receipts appear this long after a message is sent ("Delivered"), and turn to
/// "Read" this long after.
const DELIVERED_AFTER_MS: f64 = 700.0;
const READ_AFTER_MS: f64 = 1700.0;

/// How a video plays, from `props.video` and its defaults.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    pub fps: u32,
    pub start_delay_ms: f64,
    pub message_delay_ms: f64,
    pub typing_indicator: bool,
    /// Fixed typing time; by text length when `None`.
    pub typing_ms: Option<f64>,
    pub type_outgoing: bool,
    pub end_hold_ms: f64,
    pub portrait: bool,
}

impl Pace {
    pub fn of(payload: &Payload) -> Pace {
        let v = payload
            .props()
            .video
            .clone()
            .unwrap_or(crate::payload::VideoSettings {
                fps: None,
                start_delay_ms: None,
                message_delay_ms: None,
                typing_indicator: None,
                typing_ms: None,
                type_outgoing: None,
                end_hold_ms: None,
                frame: None,
            });
        Pace {
            fps: v.fps.unwrap_or(30),
            start_delay_ms: v.start_delay_ms.unwrap_or(500.0),
            message_delay_ms: v.message_delay_ms.unwrap_or(900.0),
            typing_indicator: v.typing_indicator.unwrap_or(true),
            typing_ms: v.typing_ms,
            type_outgoing: v.type_outgoing.unwrap_or(true),
            end_hold_ms: v.end_hold_ms.unwrap_or(2000.0),
            portrait: v.frame == Some(VideoFrame::Portrait9x16),
        }
    }

    /// How long someone types `m`: fixed, or by its length, 0.6–2 s.
    fn typing_for(&self, m: &Message) -> f64 {
        self.typing_ms.unwrap_or_else(|| {
            let chars = m.text.as_deref().map_or(12, |t| t.graphemes(true).count());
            (400.0 + 40.0 * chars as f64).clamp(600.0, 2000.0)
        })
    }
}

/// Which row this is, across states: how a row is recognised as new (it enters)
/// or as the same row moved.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum RowId {
    Separator(usize),
    Message(usize),
    Typing(String),
}

/// What a row's look depends on: the key of the layout cache.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct RowKey {
    id: RowId,
    first_in_run: bool,
    last_in_run: bool,
    receipt: Option<DeliveryStatus>,
    after: u8,
}

#[derive(Debug, Clone)]
struct Row {
    id: RowId,
    y: f32,
    /// One block, or one per moment of a looping animation.
    blocks: Arc<[Block]>,
}

/// One moment of the conversation, laid out.
#[derive(Debug, Clone)]
struct State {
    rows: Vec<Row>,
    content: f32,
}

/// Text typed into the composer between two times.
#[derive(Debug, Clone, Copy)]
struct Typing {
    /// Composer block of the first grapheme; the next ones follow it.
    first: usize,
    graphemes: usize,
    start: f64,
    end: f64,
}

/// From `at` on, the screen shows `state` (rows that are new in it enter).
#[derive(Debug, Clone, Copy)]
struct Step {
    at: f64,
    state: usize,
    typing: Option<Typing>,
}

/// What happens when, before any layout.
#[derive(Debug, Clone)]
enum Cue {
    /// The first `visible` messages, maybe someone typing, and a receipt.
    Show {
        visible: usize,
        typing: Option<String>,
        receipt: Receipt,
    },
    /// The owner types message `message` into the composer until `until`.
    Compose { message: usize, until: f64 },
}

#[derive(Debug, Clone)]
struct Timed {
    at: f64,
    what: Cue,
}

fn messages_text(payload: &Payload, i: usize) -> &str {
    payload.props().messages[i].text.as_deref().unwrap_or("")
}

/// The choreography: a pause, then typing (the other side's indicator, or the owner's
/// draft), then the message, then its receipt. Returns the cues and the length.
fn script(payload: &Payload, pace: &Pace, default_status: DeliveryStatus) -> (Vec<Timed>, f64) {
    let props = payload.props();
    let messages = &props.messages;
    let pause = |i: usize| {
        messages[i]
            .delay_ms
            .unwrap_or(if i == 0 { 0.0 } else { pace.message_delay_ms })
    };
    let show = |visible, typing, receipt| Cue::Show {
        visible,
        typing,
        receipt,
    };
    let mut cues = vec![Timed {
        at: 0.0,
        what: show(0, None, Receipt::Hidden),
    }];
    let mut t = pace.start_delay_ms;
    // The receipt reached so far (it stays while the other side types).
    let mut receipt = Receipt::Hidden;
    for (i, m) in messages.iter().enumerate() {
        t += pause(i);
        let outgoing = m.user_id == props.sender.id;
        match m.kind {
            MessageType::Typing | MessageType::System => {}
            MessageType::Text if outgoing && pace.type_outgoing => {
                let took = pace.typing_for(m);
                cues.push(Timed {
                    at: t,
                    what: Cue::Compose {
                        message: i,
                        until: t + took,
                    },
                });
                t += took;
            }
            _ if !outgoing && pace.typing_indicator => {
                cues.push(Timed {
                    at: t,
                    what: show(i, Some(m.user_id.clone()), receipt),
                });
                t += pace.typing_for(m);
            }
            _ => {}
        }
        // A new message takes the receipt away; a typing indicator does not.
        if m.kind != MessageType::Typing {
            receipt = Receipt::Hidden;
        }
        cues.push(Timed {
            at: t,
            what: show(i + 1, None, receipt),
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
                cues.push(Timed {
                    at: t + DELIVERED_AFTER_MS,
                    what: show(i + 1, None, receipt),
                });
            }
            if status == DeliveryStatus::Read && t + READ_AFTER_MS < next {
                receipt = Receipt::Final;
                cues.push(Timed {
                    at: t + READ_AFTER_MS,
                    what: show(i + 1, None, receipt),
                });
            }
        }
    }
    (cues, t + pace.end_hold_ms)
}

/// How long the video of this payload lasts, milliseconds, without laying it out.
pub fn planned_duration_ms(payload: &Payload) -> f64 {
    script(payload, &Pace::of(payload), DeliveryStatus::Delivered).1
}

/// A conversation laid out for video: frame times, states and steps.
pub struct Timeline {
    pub fps: u32,
    pub frame_count: u64,
    pub duration_ms: f64,
    /// Every frame's size, even as encoders need.
    pixel_size: (u32, u32),
    look: Look,
    chrome: Chrome,
    /// The idle composer, then one per typed prefix.
    composers: Vec<Block>,
    states: Vec<State>,
    steps: Vec<Step>,
    motion: Motion,
    scale: f32,
}

impl std::fmt::Debug for Timeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Timeline")
            .field("fps", &self.fps)
            .field("frame_count", &self.frame_count)
            .field("duration_ms", &self.duration_ms)
            .field("states", &self.states.len())
            .field("steps", &self.steps.len())
            .finish_non_exhaustive()
    }
}

/// Lays out rows of conversation moments, reusing rows whose look did not change.
struct Builder<'a, 'c, 'p> {
    cx: &'a mut Cx<'c>,
    skin: &'a dyn Skin,
    payload: &'p Payload,
    cache: HashMap<RowKey, Arc<[Block]>>,
    states: Vec<State>,
}

impl Builder<'_, '_, '_> {
    fn state(&mut self, view: View<'_>) -> usize {
        let conv = Conversation::build(
            self.payload,
            self.skin.separator_rule(),
            self.skin.default_status(),
            view,
        );
        let (pad_top, pad_bottom) = self.skin.transcript_padding();
        let mut y = pad_top;
        let mut rows = Vec::with_capacity(conv.entries.len());
        for (i, entry) in conv.entries.iter().enumerate() {
            let prev = i.checked_sub(1).map(|p| &conv.entries[p]);
            let (id, first, last, receipt, typing) = match entry {
                Entry::Separator { before, .. } => {
                    (RowId::Separator(*before), false, false, None, false)
                }
                Entry::Message(s) if s.index == usize::MAX => (
                    RowId::Typing(s.message.user_id.clone()),
                    true,
                    true,
                    None,
                    true,
                ),
                Entry::Message(s) => (
                    RowId::Message(s.index),
                    s.first_in_run,
                    s.last_in_run,
                    s.receipt,
                    s.kind() == MessageType::Typing,
                ),
            };
            let key = RowKey {
                id: id.clone(),
                first_in_run: first,
                last_in_run: last,
                receipt,
                after: match prev {
                    None => 0,
                    Some(Entry::Separator { .. }) => 1,
                    Some(Entry::Message(_)) => 2,
                },
            };
            let blocks = match self.cache.get(&key) {
                Some(b) => b.clone(),
                None => {
                    let phases: Vec<Option<f32>> = if typing {
                        (0..TYPING_PHASES)
                            .map(|p| Some(p as f32 / TYPING_PHASES as f32))
                            .collect()
                    } else {
                        vec![None]
                    };
                    let blocks: Arc<[Block]> = phases
                        .into_iter()
                        .map(|phase| {
                            self.cx.phase = phase;
                            self.skin.entry(self.cx, entry, prev)
                        })
                        .collect();
                    self.cx.phase = None;
                    self.cache.insert(key, blocks.clone());
                    blocks
                }
            };
            let h = blocks[0].height;
            rows.push(Row { id, y, blocks });
            y += h;
        }
        self.states.push(State {
            rows,
            content: y + pad_bottom,
        });
        self.states.len() - 1
    }
}

impl Timeline {
    /// Plans the video: every state and composer draft laid out, every step timed.
    pub(crate) fn build(cx: &mut Cx<'_>, skin: &dyn Skin, payload: &Payload) -> Timeline {
        let pace = Pace::of(payload);
        let props = payload.props();
        let chrome = Chrome::layout(cx, skin);
        let mut composers = vec![chrome.bottom.clone()];
        let look = Look::new(cx, skin, pace.portrait);
        let typing_rows: HashMap<&str, Message> = std::iter::once(&props.sender)
            .chain(&props.receivers)
            .map(|u| {
                let m = Message {
                    id: format!("typing:{}", u.id),
                    kind: MessageType::Typing,
                    user_id: u.id.clone(),
                    text: None,
                    timestamp: String::new(),
                    images: None,
                    status: None,
                    reactions: None,
                    reply_to_id: None,
                    duration_sec: None,
                    delay_ms: None,
                };
                (u.id.as_str(), m)
            })
            .collect();

        let mut b = Builder {
            cx,
            skin,
            payload,
            cache: HashMap::new(),
            states: Vec::new(),
        };
        let (cues, duration_ms) = script(payload, &pace, skin.default_status());
        let mut steps: Vec<Step> = Vec::with_capacity(cues.len());
        for cue in cues {
            match cue.what {
                Cue::Show {
                    visible,
                    typing,
                    receipt,
                } => {
                    let typing = typing.and_then(|u| typing_rows.get(u.as_str()));
                    let state = b.state(View {
                        visible,
                        typing,
                        receipt,
                    });
                    steps.push(Step {
                        at: cue.at,
                        state,
                        typing: None,
                    });
                }
                Cue::Compose { message, until } => {
                    let text = messages_text(payload, message);
                    let first = composers.len();
                    let mut graphemes = 0;
                    for (start, g) in text.grapheme_indices(true) {
                        let draft = &text[..start + g.len()];
                        composers.push(skin.composer(b.cx, Some(draft)));
                        graphemes += 1;
                    }
                    let state = steps.last().map_or(0, |s| s.state);
                    steps.push(Step {
                        at: cue.at,
                        state,
                        typing: Some(Typing {
                            first,
                            graphemes,
                            start: cue.at,
                            end: until,
                        }),
                    });
                }
            }
        }
        let frame_count = (duration_ms * f64::from(pace.fps) / 1000.0).ceil().max(1.0) as u64;
        let states = b.states;
        let mut timeline = Timeline {
            fps: pace.fps,
            frame_count,
            duration_ms,
            pixel_size: (0, 0),
            look,
            chrome,
            composers,
            states,
            steps,
            motion: skin.motion(),
            scale: b.cx.scale,
        };
        // Every frame has the first frame's size (scene_at evens it out).
        timeline.pixel_size = timeline.scene_at(0.0).pixel_size();
        timeline
    }

    /// Time of frame `n`, milliseconds: exact for every frame rate.
    pub fn frame_time(&self, n: u64) -> f64 {
        n as f64 * 1000.0 / f64::from(self.fps)
    }

    /// Pixel size of every frame (even, as video encoders need).
    pub fn pixel_size(&self) -> (u32, u32) {
        self.pixel_size
    }

    fn step_at(&self, t: f64) -> usize {
        self.steps.partition_point(|s| s.at <= t).saturating_sub(1)
    }

    /// Frames with the same key look the same: a still stretch of the video (no row
    /// moving, no dots pulsing, no letter typed). `None` while anything moves.
    pub fn still_key(&self, t: f64) -> Option<(usize, usize)> {
        let j = self.step_at(t);
        let step = &self.steps[j];
        let settled = t - step.at >= self.motion.enter_ms.max(self.motion.shift_ms);
        let animated = self.states[step.state]
            .rows
            .iter()
            .any(|r| r.blocks.len() > 1);
        (settled && !animated).then(|| (j, self.composer_index(step, t)))
    }

    fn composer_index(&self, step: &Step, t: f64) -> usize {
        match step.typing {
            Some(ty) if ty.graphemes > 0 && t >= ty.start => {
                let share = ((t - ty.start) / (ty.end - ty.start).max(1.0)).clamp(0.0, 1.0);
                let typed = ((share * ty.graphemes as f64).ceil() as usize).clamp(1, ty.graphemes);
                ty.first + typed - 1
            }
            _ => 0,
        }
    }

    /// The frame at `t` milliseconds.
    pub fn scene_at(&self, t: f64) -> Scene {
        let j = self.step_at(t);
        let step = &self.steps[j];
        let state = &self.states[step.state];
        let prev = &self.states[self.steps[j.saturating_sub(1)].state];
        let since = t - step.at;
        let m = &self.motion;
        let composer = &self.composers[self.composer_index(step, t)];

        let height = MOBILE_HEIGHT;
        let top = self.chrome.top_inset;
        let shift = ease_out(since / m.shift_ms);
        let scroll_from = page::scroll_for(top, composer.height, prev.content, height);
        let scroll_to = page::scroll_for(top, composer.height, state.content, height);
        let scroll = lerp(scroll_from, scroll_to, shift);
        let phase = ((t / m.typing_cycle_ms).fract() * TYPING_PHASES as f64) as usize;

        let placed: Vec<Placed<'_>> = state
            .rows
            .iter()
            .map(|row| {
                let block = &row.blocks[phase.min(row.blocks.len() - 1)];
                let (y, opacity) = match prev.rows.iter().find(|p| p.id == row.id) {
                    Some(p) => (lerp(p.y, row.y, shift), 1.0),
                    None => {
                        let e = (since / m.enter_ms).clamp(0.0, 1.0);
                        let rise = m.rise * (1.0 - spring(e, m.overshoot));
                        (row.y + rise, ease_out(e * 1.6))
                    }
                };
                Placed {
                    block,
                    top: scroll + y,
                    opacity,
                }
            })
            .collect();
        let mut scene = page::assemble(&self.look, &self.chrome, composer, &placed, height);
        // Encoders need even sizes: grow the canvas by a pixel where needed.
        let (w, h) = scene.pixel_size();
        scene.width += (w % 2) as f32 / self.scale;
        scene.height += (h % 2) as f32 / self.scale;
        scene
    }
}

fn lerp(a: f32, b: f32, t: f32) -> f32 {
    a + (b - a) * t
}

/// Cubic ease-out on 0–1.
fn ease_out(t: f64) -> f32 {
    let t = t.clamp(0.0, 1.0);
    (1.0 - (1.0 - t).powi(3)) as f32
}

/// A damped spring from 0 to 1 that overshoots by about `overshoot` once.
fn spring(t: f64, overshoot: f32) -> f32 {
    let t = t.clamp(0.0, 1.0);
    let base = 1.0 - (1.0 - t).powi(3);
    let swing = f64::from(overshoot) * (std::f64::consts::PI * t).sin() * (1.0 - t);
    (base + swing) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easing_ends_where_it_should() {
        assert_eq!(ease_out(0.0), 0.0);
        assert_eq!(ease_out(1.0), 1.0);
        assert_eq!(ease_out(2.0), 1.0);
        assert!((spring(1.0, 0.2) - 1.0).abs() < 1e-6);
        assert!(
            (0..100).any(|i| spring(i as f64 / 100.0, 0.2) > 1.0),
            "it overshoots"
        );
    }
}
