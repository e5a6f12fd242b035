//! How a video plays: `props.video` and its defaults.

use unicode_segmentation::UnicodeSegmentation;

use crate::payload::{Message, Payload};

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
}

impl Pace {
    pub fn of(payload: &Payload) -> Pace {
        let v = payload.props().video.as_ref();
        Pace {
            fps: v.and_then(|v| v.fps).unwrap_or(30),
            start_delay_ms: v.and_then(|v| v.start_delay_ms).unwrap_or(500.0),
            message_delay_ms: v.and_then(|v| v.message_delay_ms).unwrap_or(900.0),
            typing_indicator: v.and_then(|v| v.typing_indicator).unwrap_or(true),
            typing_ms: v.and_then(|v| v.typing_ms),
            type_outgoing: v.and_then(|v| v.type_outgoing).unwrap_or(true),
            end_hold_ms: v.and_then(|v| v.end_hold_ms).unwrap_or(2000.0),
        }
    }

    /// How long someone types `m`: fixed, or by its length, 0.6–2 s.
    pub(crate) fn typing_for(&self, m: &Message) -> f64 {
        self.typing_ms.unwrap_or_else(|| {
            let chars = m.text.as_deref().map_or(12, |t| t.graphemes(true).count());
            (400.0 + 40.0 * chars as f64).clamp(600.0, 2000.0)
        })
    }

    /// Frames in a video of `duration_ms`.
    pub(crate) fn frame_count(&self, duration_ms: f64) -> u64 {
        (duration_ms * f64::from(self.fps) / 1000.0).ceil().max(1.0) as u64
    }
}
