//! Video: the conversation played out over time, like a screen recording.
//!
//! Everything is laid out once, up front: the [`script`] says what happens when;
//! each moment of the conversation (so many messages shown, someone typing, a
//! receipt) becomes a state of positioned [`rows`], and each draft that frames show
//! in the composer a block ([`drafts`]). A frame then only picks the states around
//! its time and moves rows between them ([`Timeline::scene_at`]).

mod drafts;
mod pace;
mod rows;
mod script;
mod timing;

use std::collections::HashMap;
use std::sync::Arc;

use crate::conversation::View;
use crate::device::Device;
use crate::layout::canvas::{self, Canvas};
use crate::layout::page::{self, Fixed, Framing, Placed};
use crate::layout::window::Window;
use crate::layout::{Block, Cx};
use crate::payload::{DeliveryStatus, Message, MessageType, Payload, PayloadError};
use crate::scene::Scene;
use crate::skin::{Motion, Skin};
use crate::{Error, Limits};

pub use pace::Pace;
use rows::{Rows, State, TYPING_PHASES};
use script::{Event, script};
pub use timing::{Appearance, Span, Timing, TypingSpan};

/// Text typed into the composer between two times.
#[derive(Debug, Clone)]
struct Typing {
    /// Index of the composer block of `counts[0]` letters; the next ones follow.
    first: usize,
    /// Letters of each draft laid out, growing.
    counts: Vec<usize>,
    letters: usize,
    start: f64,
    end: f64,
}

/// From `at` on, the screen shows `state` (rows that are new in it enter).
#[derive(Debug, Clone)]
struct Step {
    at: f64,
    state: usize,
    typing: Option<Typing>,
    /// The desktop window drawn around this step (index in `Timeline::windows`).
    window: usize,
}

/// How long the video of this payload lasts, milliseconds, without laying it out.
pub fn planned_duration_ms(payload: &Payload) -> f64 {
    let limits = Limits::default();
    script(
        payload,
        &Pace::of(payload),
        DeliveryStatus::Delivered,
        limits.max_typed_chars,
    )
    .duration_ms
}

/// Refuses a video longer than the limits allow, or costlier to encode (frames ×
/// pixels), before anything is laid out.
pub(crate) fn check_budget(payload: &Payload, limits: &Limits) -> Result<(), Error> {
    let pace = Pace::of(payload);
    let ms = script(
        payload,
        &pace,
        DeliveryStatus::Delivered,
        limits.max_typed_chars,
    )
    .duration_ms;
    if ms > limits.max_video_ms {
        return Err(PayloadError::detailed(
            "props.messages",
            "Video too long",
            format!(
                "it would last {:.0} seconds, over the limit of {:.0}; shorten the \
                 conversation or its delays",
                ms / 1000.0,
                limits.max_video_ms / 1000.0
            ),
        )
        .into());
    }
    let props = payload.props();
    let scale = f64::from(payload.export().resolution_scale.factor());
    let device = Device::of(props);
    let natural = canvas::device_size(device, props.show_device_frame);
    let (w, h) = Canvas::of(props).map_or(natural, |c| c.size(natural));
    let (fw, fh) = ((f64::from(w) * scale).ceil(), (f64::from(h) * scale).ceil());
    let frame_pixels = fw * fh;
    if frame_pixels > limits.max_video_frame_pixels as f64 {
        // The scales whose frames fit (a desktop window's are larger than a phone's).
        let fits: Vec<String> = [1.0f64, 2.0]
            .into_iter()
            .filter(|s| {
                (f64::from(w) * s).ceil() * (f64::from(h) * s).ceil()
                    <= limits.max_video_frame_pixels as f64
            })
            .map(|s| format!("{s}x"))
            .collect();
        let advice = if fits.is_empty() {
            "render it as a still".to_owned()
        } else {
            format!("render this video at {}", fits.join(" or "))
        };
        return Err(PayloadError::detailed(
            "resolutionScale",
            "Video too large",
            format!(
                "frames of {fw}×{fh} pixels are over the limit of {} pixels a frame; {advice}",
                limits.max_video_frame_pixels
            ),
        )
        .into());
    }
    let total = frame_pixels * pace.frame_count(ms) as f64;
    if total > limits.max_video_pixels as f64 {
        return Err(PayloadError::detailed(
            "props.video",
            "Video too large",
            format!(
                "{:.0} seconds at {} fps and resolutionScale {}x would encode {:.1} billion \
                 pixels, over the limit of {:.1} billion; lower the fps, the \
                 resolutionScale or the length",
                ms / 1000.0,
                pace.fps,
                scale,
                total / 1e9,
                limits.max_video_pixels as f64 / 1e9
            ),
        )
        .into());
    }
    Ok(())
}

/// A conversation laid out for video: frame times, states and steps.
pub struct Timeline {
    pub fps: u32,
    pub frame_count: u64,
    pub duration_ms: f64,
    /// The beats: when each message appears, who types when, the final hold.
    timing: Timing,
    /// Every frame's size, even as encoders need.
    pixel_size: (u32, u32),
    framing: Framing,
    fixed: Fixed,
    /// The idle composer, then the drafts frames show.
    composers: Vec<Block>,
    /// A desktop window's looks as the video goes: its chat list previews the last
    /// message sent so far. The first is the whole conversation's.
    windows: Vec<Option<Arc<Window>>>,
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

impl Timeline {
    /// Plans the video: every state and shown draft laid out, every step timed.
    /// Stops early with [`Error::Cancelled`] when the render is cancelled.
    pub(crate) fn build(
        cx: &mut Cx<'_>,
        skin: &dyn Skin,
        payload: &Payload,
    ) -> Result<Timeline, Error> {
        let pace = Pace::of(payload);
        let props = payload.props();
        let fixed = Fixed::layout(cx, skin);
        let mut composers = vec![fixed.bottom.clone()];
        let framing = Framing::new(cx, skin, Canvas::of(props));
        let typing_rows: HashMap<&str, Message> = std::iter::once(&props.sender)
            .chain(&props.receivers)
            .map(|u| (u.id.as_str(), typing_message(&u.id)))
            .collect();

        let max_typed = cx.limits.max_typed_chars;
        let plan = script(payload, &pace, skin.default_status(), max_typed);
        let frame_count = pace.frame_count(plan.duration_ms);
        let timing = Timing::of(payload, &plan, pace.fps, frame_count);
        let mut rows = Rows::new(cx, skin, payload);
        let mut steps: Vec<Step> = Vec::with_capacity(plan.events.len());
        let mut windows = Windows::new(&framing);
        for scheduled in plan.events {
            rows.cx.cancel.check()?;
            match scheduled.event {
                Event::Show {
                    visible,
                    typing,
                    receipt,
                } => {
                    let typing = typing.and_then(|u| typing_rows.get(u.as_str()));
                    let state = rows.state(View {
                        visible,
                        typing,
                        receipt,
                    });
                    let window = windows.after(rows.cx, skin, visible);
                    steps.push(Step {
                        at: scheduled.at,
                        state,
                        typing: None,
                        window,
                    });
                }
                Event::Compose { message, until } => {
                    let text = props.messages[message].text.as_deref().unwrap_or("");
                    let letters =
                        unicode_segmentation::UnicodeSegmentation::graphemes(text, true).count();
                    let counts = drafts::shown_counts(letters, (scheduled.at, until), pace.fps);
                    let first = composers.len();
                    for &k in &counts {
                        rows.cx.cancel.check()?;
                        composers.push(skin.composer(rows.cx, Some(drafts::draft(text, k))));
                    }
                    let (state, window) = steps.last().map_or((0, 0), |s| (s.state, s.window));
                    steps.push(Step {
                        at: scheduled.at,
                        state,
                        window,
                        typing: Some(Typing {
                            first,
                            counts,
                            letters,
                            start: scheduled.at,
                            end: until,
                        }),
                    });
                }
            }
        }
        rows.cx.cancel.check()?;
        let scale = rows.cx.scale;
        let states = rows.states;
        let mut timeline = Timeline {
            fps: pace.fps,
            frame_count,
            duration_ms: plan.duration_ms,
            timing,
            pixel_size: (0, 0),
            framing,
            fixed,
            composers,
            windows: windows.list,
            states,
            steps,
            motion: skin.motion(),
            scale,
        };
        // Every frame has the first frame's size (scene_at evens it out).
        timeline.pixel_size = timeline.scene_at(0.0).pixel_size();
        Ok(timeline)
    }

    /// Whether the canvas's backdrop is the blurred conversation, still to be made
    /// (by painting a frame: see [`Timeline::set_backdrop`]).
    pub(crate) fn wants_blurred_backdrop(&self) -> bool {
        self.framing
            .canvas
            .as_ref()
            .is_some_and(|p| p.canvas.backdrop == canvas::Backdrop::Blur && p.backdrop.is_none())
    }

    /// Runs `f` on this timeline with its frames unframed by the canvas.
    pub(crate) fn without_canvas<R>(&mut self, f: impl FnOnce(&Timeline) -> R) -> R {
        let canvas = self.framing.canvas.take();
        let out = f(self);
        self.framing.canvas = canvas;
        out
    }

    /// The picture behind the device on the canvas.
    pub(crate) fn set_backdrop(&mut self, backdrop: Option<Arc<tiny_skia::Pixmap>>) {
        if let Some(p) = &mut self.framing.canvas {
            p.backdrop = backdrop;
        }
    }

    /// When each message appears, who types when, and the final hold: what the
    /// timing file and the captions are made of.
    pub fn timing(&self) -> &Timing {
        &self.timing
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
        match &step.typing {
            Some(ty) if !ty.counts.is_empty() && t >= ty.start => {
                let typed = drafts::typed_at(t, ty.letters, (ty.start, ty.end));
                let shown = ty.counts.partition_point(|&k| k <= typed).max(1);
                ty.first + shown - 1
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

        let height = self.framing.height;
        let top = self.fixed.top_inset;
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
        let later;
        let framing = if step.window == 0 {
            &self.framing
        } else {
            later = Framing {
                window: self.windows[step.window].clone(),
                ..self.framing.clone()
            };
            &later
        };
        let mut scene = page::assemble(framing, &self.fixed, composer, &placed, height);
        // Encoders need even sizes: grow the canvas by a pixel where needed.
        let (w, h) = scene.pixel_size();
        scene.width += (w % 2) as f32 / self.scale;
        scene.height += (h % 2) as f32 / self.scale;
        scene
    }
}

/// Most desktop windows one video lays out: a long conversation's list previews
/// every few messages instead of every one (never a message not yet sent), so the
/// memory and layout time they take stay bounded (each is a whole window's columns,
/// laid out in 1–3 ms).
const MAX_WINDOWS: usize = 64;

/// The desktop windows of a video, one per last message sent (none for a phone).
struct Windows {
    list: Vec<Option<Arc<Window>>>,
    /// Index in `list` by the number of messages sent.
    by_sent: HashMap<usize, usize>,
}

impl Windows {
    fn new(framing: &Framing) -> Windows {
        Windows {
            list: vec![framing.window.clone()],
            by_sent: HashMap::new(),
        }
    }

    /// The window once the first `sent` messages are in: laid out again by the
    /// skin, around the same pane, with its chat list previewing the last of them.
    fn after(&mut self, cx: &mut Cx<'_>, skin: &dyn Skin, sent: usize) -> usize {
        let Some(whole) = self.list[0].clone() else {
            return 0;
        };
        let all = cx.props().messages.len();
        if sent >= all {
            return 0;
        }
        // At most MAX_WINDOWS of them: round down to a multiple of the stride.
        let stride = all.div_ceil(MAX_WINDOWS).max(1);
        let sent = sent / stride * stride;
        if let Some(&i) = self.by_sent.get(&sent) {
            return i;
        }
        let pane = (cx.width, cx.height);
        (cx.width, cx.height) = whole.screen_size(pane);
        let outer = cx.window.take();
        cx.shown = Some(sent);
        let window = skin.window(cx).map(Arc::new);
        (cx.width, cx.height, cx.window, cx.shown) = (pane.0, pane.1, outer, None);
        self.list.push(window);
        self.by_sent.insert(sent, self.list.len() - 1);
        self.list.len() - 1
    }
}

/// The typing indicator of a user, as a message the skins can draw.
fn typing_message(user: &str) -> Message {
    Message {
        id: format!("typing:{user}"),
        kind: MessageType::Typing,
        user_id: user.to_owned(),
        text: None,
        timestamp: String::new(),
        images: None,
        status: None,
        reactions: None,
        reply_to_id: None,
        duration_sec: None,
        delay_ms: None,
        thread: None,
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

    #[test]
    fn a_long_desktop_video_lays_out_a_bounded_number_of_windows() {
        let messages: Vec<serde_json::Value> = (0..300)
            .map(|i| {
                serde_json::json!({"id": i.to_string(), "type": "text",
                    "userId": if i % 2 == 0 { "you" } else { "me" }, "text": format!("m{i}"),
                    "timestamp": "2024-05-01T09:41:00Z"})
            })
            .collect();
        let doc = serde_json::json!({
            "mockupType": "chats", "platform": "whatsapp", "renderKind": "video",
            "resolutionScale": "1x", "rendererVersion": "mockly-native-v1",
            "props": {"platform": "whatsapp", "mobileView": false,
                "sender": {"id": "me", "name": "Alex"},
                "receivers": [{"id": "you", "name": "Sam"}],
                "messages": messages,
                "video": {"typingIndicator": false, "typeOutgoing": false,
                          "messageDelayMs": 100}}
        });
        let payload = Payload::from_json(doc.to_string().as_bytes()).unwrap();
        let (t, _) = crate::Engine::new().timeline(&payload).unwrap();
        assert!(t.windows.len() <= MAX_WINDOWS + 1, "{}", t.windows.len());
        assert!(t.windows.len() > MAX_WINDOWS / 2, "{}", t.windows.len());
        // Steps go through the windows in order; the last is the whole conversation.
        assert!(
            t.steps
                .windows(2)
                .all(|w| w[0].window <= w[1].window || w[1].window == 0)
        );
    }
}
