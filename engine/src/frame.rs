//! One frame of a video, painted as a still: what a preview shows while someone
//! scrubs through a video, without encoding it (and without FFmpeg).

use crate::{Cancel, Engine, Error, Payload, RenderedImage};

/// One frame of a video as a PNG, with where it sits in the video.
#[derive(Debug, Clone)]
pub struct RenderedFrame {
    pub image: RenderedImage,
    /// The frame shown (the one on screen at the time asked for).
    pub frame: u64,
    /// Its time, milliseconds.
    pub at_ms: f64,
    /// The whole video's length, milliseconds.
    pub duration_ms: f64,
    pub fps: u32,
}

impl Engine {
    /// The frame of the payload's video on screen at `t_ms` (clamped to the video),
    /// as a PNG: what a preview shows while someone scrubs through a video without
    /// encoding it. The pixels are the ones the video's frame is made from.
    pub fn render_frame_png(
        &self,
        payload: &Payload,
        t_ms: f64,
        cancel: &Cancel,
    ) -> Result<RenderedFrame, Error> {
        let (timeline, warnings) = self.timeline_with(payload, cancel)?;
        let last = timeline.frame_count.saturating_sub(1);
        // NaN is the start; anything past the end (infinity too) the last frame.
        let wanted = if t_ms.is_nan() { 0.0 } else { t_ms.max(0.0) };
        // A hair of tolerance: a slider stepping by 1000/30 ms asks for 8833.333… and
        // means frame 265, not 264.
        let n = ((wanted * f64::from(timeline.fps) / 1000.0 + 1e-6).floor() as u64).min(last);
        let at_ms = timeline.frame_time(n);
        cancel.check()?;
        let pixmap = self.paint_reusing(&timeline.scene_at(at_ms), None, cancel)?;
        let scale = payload.export().resolution_scale.factor();
        let png = crate::encode::png(&pixmap, scale, cancel)?;
        Ok(RenderedFrame {
            image: RenderedImage {
                png,
                width: pixmap.width(),
                height: pixmap.height(),
                warnings,
            },
            frame: n,
            at_ms,
            duration_ms: timeline.frame_count as f64 * 1000.0 / f64::from(timeline.fps),
            fps: timeline.fps,
        })
    }
}
