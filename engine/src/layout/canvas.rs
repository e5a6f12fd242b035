//! A short-form video's canvas: the screen (or the framed device) placed on a
//! 9:16, 1:1, 4:5 or 16:9 frame over a backdrop, inside the platform's safe zone.
//!
//! One scene, one scale: a canvas of `W × H` pixels is laid out at `scale × zoom ×
//! fit` with the screen `zoom` times smaller in points, so Display Zoom makes text
//! and bubbles bigger in the same screen, and a safe zone that needs the device
//! smaller (`fit` < 1) shrinks it without resampling a pixel.

use std::sync::Arc;

use tiny_skia::Pixmap;

use crate::device::Device;
use crate::payload::{Props, SafeZone, VideoFrame};
use crate::scene::{Color, Item, Rect, Scene, Shape};

/// Room around the device on a canvas that fits it.
const MARGIN: f32 = 1.08;

/// What fills the canvas around the device.
#[derive(Debug, Clone, PartialEq)]
pub enum Backdrop {
    /// The app's light or dark page colour (transparent with a transparent
    /// background).
    Theme,
    Color(Color),
    /// A picture, covering the canvas.
    Image(String),
    /// The conversation's last frame, blurred, covering the canvas.
    Blur,
}

/// A video's canvas.
#[derive(Debug, Clone, PartialEq)]
pub struct Canvas {
    /// Width and height in proportion.
    pub aspect: (f32, f32),
    pub safe: Option<SafeZone>,
    pub backdrop: Backdrop,
}

/// The part of a 1080 × 1920 frame a platform's own captions and buttons leave
/// clear: (left, top, right, bottom) margins in pixels of that frame. Estimates
/// from the apps' published safe-zone guides and screenshots.
fn margins(zone: SafeZone) -> (f32, f32, f32, f32) {
    match zone {
        // The caption and sound line at the bottom, the like/comment/share column.
        SafeZone::Tiktok => (60.0, 150.0, 150.0, 480.0),
        SafeZone::Reels => (60.0, 220.0, 120.0, 420.0),
        // Shorts' column of buttons is wider, its title line lower.
        SafeZone::Shorts => (60.0, 150.0, 190.0, 400.0),
    }
}

impl Canvas {
    /// The canvas `props.video` asks for: a frame other than the screen, or a
    /// safe zone (which puts the screen on a 9:16 frame).
    pub fn of(props: &Props) -> Option<Canvas> {
        let v = props.video.as_ref()?;
        let aspect = match (v.frame, v.safe_zone) {
            (None, Some(_)) | (Some(VideoFrame::Portrait9x16), _) => (9.0, 16.0),
            (Some(VideoFrame::Square1x1), _) => (1.0, 1.0),
            (Some(VideoFrame::Portrait4x5), _) => (4.0, 5.0),
            (Some(VideoFrame::Landscape16x9), _) => (16.0, 9.0),
            (None | Some(VideoFrame::Screen), _) => return None,
        };
        let backdrop = match v.background.as_deref() {
            None => Backdrop::Theme,
            Some("blur") => Backdrop::Blur,
            Some(s) if s.starts_with('#') => {
                Color::from_hex(s).map_or(Backdrop::Theme, Backdrop::Color)
            }
            Some(url) => Backdrop::Image(url.to_owned()),
        };
        Some(Canvas {
            aspect,
            // Safe zones are laid out for vertical video only.
            safe: v.safe_zone.filter(|_| aspect == (9.0, 16.0)),
            backdrop,
        })
    }

    /// The canvas, points at the payload's scale: the smallest of its shape that
    /// holds the device at its own size with a margin.
    pub fn size(&self, device: (f32, f32)) -> (f32, f32) {
        let (w, h) = device;
        let (ax, ay) = self.aspect;
        let mut ch = h * MARGIN;
        let mut cw = ch * ax / ay;
        if cw < w * MARGIN {
            cw = w * MARGIN;
            ch = cw * ay / ax;
        }
        (cw, ch)
    }

    /// The safe rectangle of a canvas of `size`: all of it without a safe zone.
    fn safe_rect(&self, (cw, ch): (f32, f32)) -> Rect {
        match self.safe {
            None => Rect::new(0.0, 0.0, cw, ch),
            Some(zone) => {
                let (l, t, r, b) = margins(zone);
                let (sx, sy) = (cw / 1080.0, ch / 1920.0);
                Rect::new(l * sx, t * sy, cw - (l + r) * sx, ch - (t + b) * sy)
            }
        }
    }

    /// How much smaller than its own size the device is drawn so that it fits the
    /// safe zone's width and its bottom (the newest message, the composer) stays
    /// above the zone's bottom edge: 1 when it fits. `natural`: the device at the
    /// payload's scale; `zoomed`: at Display Zoom `zoom` (its screen `zoom` times
    /// smaller in points).
    pub fn fit(&self, natural: (f32, f32), zoomed: (f32, f32), zoom: f32) -> f32 {
        let canvas = self.size(natural);
        let safe = self.safe_rect(canvas);
        // In the scene's points the canvas is `canvas / (zoom × fit)`.
        let by_width = safe.w / (zoom * zoomed.0);
        let by_height = safe.bottom() / (zoom * zoomed.1);
        by_width.min(by_height).min(1.0)
    }

    /// Places the device's scene (`inner`, in points of the layout scale) on the
    /// canvas. `natural`: the device at the payload's scale; `shrink`: zoom × fit,
    /// how many of the layout's points make one of the canvas's natural points.
    pub fn place(
        &self,
        inner: Scene,
        (natural, shrink): ((f32, f32), f32),
        (theme, backdrop): (Option<Color>, Option<&Arc<Pixmap>>),
    ) -> Scene {
        let (nw, nh) = self.size(natural);
        let (w, h) = (nw / shrink, nh / shrink);
        let safe = self.safe_rect((w, h));
        let dx = (safe.x + (safe.w - inner.width) / 2.0).round();
        let dy = if inner.height <= safe.h {
            safe.y + (safe.h - inner.height) / 2.0
        } else {
            // Taller than the safe zone: the bottom (the newest message) stays
            // clear of the captions; the top reaches under the app's top bar.
            safe.bottom() - inner.height
        }
        .round();
        let mut items = Vec::with_capacity(2);
        if let Some(bg) = inner.background {
            items.push(Item::rect(
                Rect::new(0.0, 0.0, inner.width, inner.height),
                bg,
            ));
        }
        items.extend(inner.items);
        let all = Rect::new(0.0, 0.0, w, h);
        let mut canvas_items = Vec::with_capacity(2);
        let background = match (&self.backdrop, backdrop) {
            (Backdrop::Color(c), _) => Some(*c),
            (Backdrop::Image(_) | Backdrop::Blur, Some(pixels)) => {
                canvas_items.push(Item::Image {
                    rect: all,
                    clip: Shape::Rect(all),
                    pixels: pixels.clone(),
                });
                theme
            }
            _ => theme,
        };
        // Clipped to the device: rows scrolled past the screen's top edge end there,
        // as they do when the screen is the whole picture.
        let device = Rect::new(0.0, 0.0, inner.width, inner.height);
        canvas_items.push(Item::Group {
            items,
            opacity: 1.0,
            offset: (dx, dy),
            clip: Some(Shape::Rect(device)),
            bounds: None,
        });
        Scene {
            width: w,
            height: h,
            scale: inner.scale,
            background,
            items: canvas_items,
        }
    }
}

/// The device's size at the payload's scale: its screen, or the device around it.
pub fn device_size(device: Device, framed: bool) -> (f32, f32) {
    zoomed_size(device, framed, 1.0)
}

/// The device's size with its screen `zoom` times smaller (Display Zoom).
pub fn zoomed_size(device: Device, framed: bool, zoom: f32) -> (f32, f32) {
    let (w, h) = device.screen();
    let screen = (w / zoom, h / zoom);
    if framed {
        device.framed_size(screen)
    } else {
        screen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canvas(aspect: (f32, f32), safe: Option<SafeZone>) -> Canvas {
        Canvas {
            aspect,
            safe,
            backdrop: Backdrop::Theme,
        }
    }

    #[test]
    fn every_shape_holds_the_phone_with_a_margin() {
        for aspect in [(9.0, 16.0), (1.0, 1.0), (4.0, 5.0), (16.0, 9.0)] {
            let (w, h) = canvas(aspect, None).size((390.0, 844.0));
            assert!((w / h - aspect.0 / aspect.1).abs() < 1e-4, "{aspect:?}");
            assert!(w >= 390.0 * MARGIN - 0.01 && h >= 844.0 * MARGIN - 0.01);
            assert!(w <= 390.0 * MARGIN + 0.01 || h <= 844.0 * MARGIN + 0.01);
        }
    }

    #[test]
    fn a_safe_zone_shrinks_the_phone_until_its_bottom_is_clear() {
        let phone = (390.0, 844.0);
        assert_eq!(canvas((9.0, 16.0), None).fit(phone, phone, 1.0), 1.0);
        for zone in [SafeZone::Tiktok, SafeZone::Reels, SafeZone::Shorts] {
            let c = canvas((9.0, 16.0), Some(zone));
            let f = c.fit(phone, phone, 1.0);
            assert!(f < 1.0 && f > 0.6, "{zone:?}: {f}");
            let (cw, ch) = c.size(phone);
            let safe = c.safe_rect((cw / f, ch / f));
            assert!(phone.0 <= safe.w + 0.01, "{zone:?} width");
            assert!(phone.1 <= safe.bottom() + 0.01, "{zone:?} bottom");
        }
        // Display Zoom leaves the device's size on the canvas alone.
        let zoomed = (390.0 / 1.5, 844.0 / 1.5);
        assert_eq!(canvas((16.0, 9.0), None).fit(phone, zoomed, 1.5), 1.0);
    }
}
