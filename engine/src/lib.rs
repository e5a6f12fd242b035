//! Mockly's rendering engine: a chat conversation as JSON in, a screenshot out.
//!
//! ```text
//! JSON ──parse+validate──▶ Payload ──layout──▶ Scene ──raster──▶ Pixmap ──encode──▶ PNG
//! ```
//!
//! ```no_run
//! use mockly_engine::{Engine, Payload};
//!
//! let engine = Engine::new(); // loads the bundled fonts once; share it
//! let json = std::fs::read("examples/imessage-dm-light.json").unwrap();
//! let payload = Payload::from_json(&json).unwrap(); // errors name the bad field
//! let image = engine.render_png(&payload).unwrap();
//! std::fs::write("out.png", &image.png).unwrap();
//! ```
//!
//! The engine reads no clock, no environment and no system fonts: the same payload
//! renders the same bytes. Pictures come through an injected [`ImageSource`].

mod cancel;
mod canvases;
mod conversation;
mod device;
mod encode;
pub use encode::{png as encode_png, png_with_threads as encode_png_with_threads};
mod error;
mod estimate;
mod fonts;
mod frame;
pub use frame::RenderedFrame;
mod icons;
pub mod image_source;
mod layout;
mod limits;
pub mod payload;
mod pictures;
mod raster;
pub mod scene;
mod skin;
mod text;
mod time;
pub mod timeline;
#[cfg(feature = "video")]
pub mod video;

#[cfg(test)]
mod testing;

use std::fmt;

use conversation::{Conversation, View};
use layout::Cx;
use layout::page::{self, Framing, Viewport};
use tiny_skia::Pixmap;

pub use cancel::Cancel;
/// cosmic-text, whose laid-out glyphs a [`scene::TextBlock`] holds.
pub use cosmic_text;
pub use error::Error;
pub use estimate::Estimate;
pub use image_source::{DataUrls, ImageError, ImageSource};
pub use limits::Limits;
pub use payload::{Payload, PayloadError, Warning};
pub use scene::Scene;
pub use timeline::Timeline;
/// tiny-skia, whose `Pixmap` the engine paints into and returns.
pub use tiny_skia;

/// A rendered picture.
#[derive(Debug, Clone)]
pub struct RenderedImage {
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// Things the client may want to know (ignored fields, substituted skins).
    pub warnings: Vec<Warning>,
}

/// A render before encoding: the pixels and the warnings.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub pixmap: Pixmap,
    pub warnings: Vec<Warning>,
}

/// The renderer. Build it once (it loads fonts and icons) and share it between
/// threads; renders run in parallel.
pub struct Engine {
    fonts: fonts::Fonts,
    /// Stills' pixel buffers, kept for the next still.
    canvases: canvases::Canvases,
    icons: icons::IconCache,
    images: Box<dyn ImageSource>,
    limits: Limits,
    gate: pictures::DecodeGate,
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine")
            .field("fonts", &self.fonts)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl Default for Engine {
    fn default() -> Engine {
        Engine::new()
    }
}

impl Engine {
    /// An engine that reads pictures from `data:` URLs only.
    pub fn new() -> Engine {
        Engine::with_image_source(DataUrls)
    }

    /// An engine that gets pictures from `source` (e.g. an HTTP fetcher).
    pub fn with_image_source(source: impl ImageSource + 'static) -> Engine {
        let limits = Limits::default();
        Engine {
            fonts: fonts::Fonts::load(),
            canvases: canvases::Canvases::default(),
            icons: icons::IconCache::default(),
            images: Box::new(source),
            gate: pictures::DecodeGate::new(limits.decode_pixels_in_flight),
            limits,
        }
    }

    /// The same engine with other limits (payloads are then best parsed with
    /// [`Payload::from_json_with`] and the same limits).
    pub fn with_limits(mut self, limits: Limits) -> Engine {
        self.gate = pictures::DecodeGate::new(limits.decode_pixels_in_flight);
        self.limits = limits;
        self
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Renders the payload as a still and encodes it as PNG.
    pub fn render_png(&self, payload: &Payload) -> Result<RenderedImage, Error> {
        self.render_png_with(payload, &Cancel::new())
    }

    /// [`Engine::render_png`] that stops when `cancel` is raised.
    pub fn render_png_with(
        &self,
        payload: &Payload,
        cancel: &Cancel,
    ) -> Result<RenderedImage, Error> {
        let scale = payload.export().resolution_scale.factor();
        let (scene, warnings) = self.scene_with(payload, cancel)?;
        let (pixmap, png) = if is_opaque(&scene) {
            // Compressed band by band as it is painted (an opaque still is never
            // cropped: only transparent rows are).
            let stripes = encode::BandStripes::new(scene.pixel_size().0, true);
            let (pixmap, encoded) = self.paint_encoding(&scene, Some(&stripes), cancel)?;
            let png = if encoded {
                stripes.png((pixmap.width(), pixmap.height()), scale)?
            } else {
                encode::png_of(&pixmap, scale, Some(true), cancel)?
            };
            (pixmap, png)
        } else {
            let pixmap = self.finish_still(payload, self.paint_with(&scene, cancel)?);
            let png = encode::png_of(&pixmap, scale, None, cancel)?;
            (pixmap, png)
        };
        let (width, height) = (pixmap.width(), pixmap.height());
        self.canvases.give(pixmap.take());
        Ok(RenderedImage {
            png,
            width,
            height,
            warnings,
        })
    }

    /// Renders the payload as a still into pixels.
    pub fn render(&self, payload: &Payload) -> Result<Rendered, Error> {
        self.render_with(payload, &Cancel::new())
    }

    /// [`Engine::render`] that stops when `cancel` is raised.
    pub fn render_with(&self, payload: &Payload, cancel: &Cancel) -> Result<Rendered, Error> {
        self.render_still(payload, cancel)
    }

    /// The still's pixels.
    fn render_still(&self, payload: &Payload, cancel: &Cancel) -> Result<Rendered, Error> {
        let (scene, warnings) = self.scene_with(payload, cancel)?;
        let pixmap = self.finish_still(payload, self.paint_with(&scene, cancel)?);
        Ok(Rendered { pixmap, warnings })
    }

    /// A painted still as it is delivered: a transparent one without a device
    /// frame loses its empty rows at the bottom.
    fn finish_still(&self, payload: &Payload, pixmap: Pixmap) -> Pixmap {
        let props = payload.props();
        if props.transparent_background && !props.show_device_frame {
            crop_transparent_bottom(pixmap)
        } else {
            pixmap
        }
    }

    /// Lays the payload out for video: every moment of the conversation, once.
    pub fn timeline(&self, payload: &Payload) -> Result<(Timeline, Vec<Warning>), Error> {
        self.timeline_with(payload, &Cancel::new())
    }

    /// [`Engine::timeline`] that stops when `cancel` is raised.
    pub fn timeline_with(
        &self,
        payload: &Payload,
        cancel: &Cancel,
    ) -> Result<(Timeline, Vec<Warning>), Error> {
        timeline::check_budget(payload, &self.limits)?;
        let (timeline, warnings) = self.lay_out_video(payload, cancel, |cx, skin| {
            Timeline::build(cx, skin, payload)
        })?;
        let mut timeline = timeline?;
        let (w, h) = timeline.pixel_size();
        self.check_canvas(w, h, false)?;
        if timeline.wants_blurred_backdrop() {
            // The conversation's last frame, without its canvas, blurred behind it.
            let t = timeline.frame_time(timeline.frame_count.saturating_sub(1));
            let device = timeline.without_canvas(|tl| self.paint_with(&tl.scene_at(t), cancel))?;
            let backdrop = raster::blurred_cover(&device, (w, h));
            timeline.set_backdrop(backdrop.map(std::sync::Arc::new));
        }
        Ok((timeline, warnings))
    }

    /// Paints a scene (a still, or one frame of a timeline) into pixels.
    pub fn paint(&self, scene: &Scene) -> Result<Pixmap, Error> {
        self.paint_with(scene, &Cancel::new())
    }

    /// Paints into a kept canvas when one is large enough.
    fn paint_with(&self, scene: &Scene, cancel: &Cancel) -> Result<Pixmap, Error> {
        Ok(self.paint_encoding(scene, None, cancel)?.0)
    }

    /// [`Engine::paint_with`] handing each band to `encode` as it is painted when
    /// the scene is painted in bands alone; returns whether it was.
    fn paint_encoding(
        &self,
        scene: &Scene,
        encode: Option<&encode::BandStripes>,
        cancel: &Cancel,
    ) -> Result<(Pixmap, bool), Error> {
        let (w, h) = scene.pixel_size();
        // Checked before a kept canvas is taken, so a refused picture keeps none.
        self.check_canvas(w, h, false)?;
        let bytes = (w as usize).saturating_mul(h as usize).saturating_mul(4);
        let reuse = self.canvases.take(bytes);
        let mut ctx = self.fonts.context();
        raster::Painter::new(&mut ctx, &self.icons).paint_encoding(scene, reuse, encode, cancel)
    }

    /// Paints into `reuse` (the buffer of an earlier picture at least as large)
    /// when given.
    fn paint_reusing(
        &self,
        scene: &Scene,
        reuse: Option<Vec<u8>>,
        cancel: &Cancel,
    ) -> Result<Pixmap, Error> {
        let (w, h) = scene.pixel_size();
        self.check_canvas(w, h, false)?;
        let mut ctx = self.fonts.context();
        raster::Painter::new(&mut ctx, &self.icons).paint(scene, reuse, cancel)
    }

    /// Paints `scene` over `canvas` (the picture of an earlier scene of the same
    /// size) in the rows `rows` only: a video frame that changed in places.
    #[cfg(feature = "video")]
    fn repaint(
        &self,
        scene: &Scene,
        canvas: Vec<u8>,
        rows: &[(u32, u32)],
        cancel: &Cancel,
    ) -> Result<Pixmap, Error> {
        let (w, h) = scene.pixel_size();
        self.check_canvas(w, h, false)?;
        let mut ctx = self.fonts.context();
        raster::Painter::new(&mut ctx, &self.icons).repaint(scene, canvas, rows, cancel)
    }

    /// Lays the payload out as a still: the display list before painting.
    pub fn scene(&self, payload: &Payload) -> Result<(Scene, Vec<Warning>), Error> {
        self.scene_with(payload, &Cancel::new())
    }

    fn scene_with(
        &self,
        payload: &Payload,
        cancel: &Cancel,
    ) -> Result<(Scene, Vec<Warning>), Error> {
        // A picture that cannot fit is refused before any text is shaped.
        let estimate = self.estimate(payload);
        if !payload.props().show_device_frame {
            let (w, h) = estimate.min_pixel_size;
            self.check_canvas(w, h, true)?;
        }
        let (scene, warnings) = self.lay_out(payload, cancel, |cx, skin| {
            still(cx, skin, payload, (&self.fonts, cores()))
        })?;
        cancel.check()?;
        let (w, h) = scene.pixel_size();
        self.check_canvas(w, h, false)?;
        Ok((scene, warnings))
    }

    /// Refuses a video longer than the limits allow, or costlier to encode, without
    /// laying anything out: what a queue checks before it accepts a job.
    pub fn check_video(&self, payload: &Payload) -> Result<(), Error> {
        timeline::check_budget(payload, &self.limits)
    }

    /// Fetches and decodes the payload's pictures within the limits, and drops them:
    /// what a queued video checks before it is accepted.
    pub fn check_pictures(&self, payload: &Payload, cancel: &Cancel) -> Result<(), Error> {
        let skin = skin::for_platform(payload.props());
        pictures::Pictures::resolve(
            payload,
            &*self.images,
            (&self.limits, &self.gate),
            skin.picture_sizes(),
            cancel,
        )
        .map(drop)
    }

    /// What rendering the payload will take, known before any layout: a lower bound
    /// of the still's size, and the amounts that make a render heavy.
    pub fn estimate(&self, payload: &Payload) -> Estimate {
        let skin = skin::for_platform(payload.props());
        estimate::estimate(payload, &*skin)
    }

    fn check_canvas(&self, width: u32, height: u32, estimated: bool) -> Result<(), Error> {
        let limit = self.limits.max_canvas_pixels;
        if u64::from(width) * u64::from(height) > limit {
            return Err(Error::TooLarge {
                width,
                height,
                limit,
                estimated,
            });
        }
        Ok(())
    }
}

/// The still of a payload: the whole conversation, as a tall screenshot or one screen.
/// The rows may be laid out on `threads` (at most two), with font contexts from
/// `fonts`; the scene does not depend on it.
fn still(
    cx: &mut Cx<'_>,
    skin: &dyn skin::Skin,
    payload: &Payload,
    (fonts, threads): (&fonts::Fonts, usize),
) -> Scene {
    let conv = Conversation::build(payload, skin.grouping(), skin.default_status(), View::all());
    let (fixed, transcript) = page::fixed_and_transcript(cx, skin, &conv, fonts, threads);
    let viewport = if payload.props().show_device_frame {
        Viewport::Screen
    } else {
        Viewport::FullHeight
    };
    let framing = Framing::new(cx, skin, None);
    page::compose_still(&framing, &fixed, &transcript, viewport)
}

impl Engine {
    /// Runs `f` with a layout context for the payload (its skin, pictures and fonts),
    /// returning what it made and the warnings.
    fn lay_out<R>(
        &self,
        payload: &Payload,
        cancel: &Cancel,
        f: impl FnOnce(&mut Cx<'_>, &dyn skin::Skin) -> R,
    ) -> Result<(R, Vec<Warning>), Error> {
        self.lay_out_zoomed(payload, cancel, (1.0, 1.0), f)
    }

    /// [`Engine::lay_out`] for a video: with `props.video.zoom` (Display Zoom: the
    /// screen that many times smaller in points, laid out that many times larger)
    /// and the fit a safe zone asks of its canvas.
    fn lay_out_video<R>(
        &self,
        payload: &Payload,
        cancel: &Cancel,
        f: impl FnOnce(&mut Cx<'_>, &dyn skin::Skin) -> R,
    ) -> Result<(R, Vec<Warning>), Error> {
        let props = payload.props();
        let zoom = props.video.as_ref().and_then(|v| v.zoom).unwrap_or(1.0) as f32;
        let device = device::Device::of(props);
        let framed = props.show_device_frame;
        let fit = layout::canvas::Canvas::of(props).map_or(1.0, |c| {
            c.fit(
                layout::canvas::device_size(device, framed),
                layout::canvas::zoomed_size(device, framed, zoom),
                zoom,
            )
        });
        self.lay_out_zoomed(payload, cancel, (zoom, fit), f)
    }

    /// Lays out with the screen `zoom` times smaller in points and the scale
    /// `zoom × fit` times the payload's.
    fn lay_out_zoomed<R>(
        &self,
        payload: &Payload,
        cancel: &Cancel,
        (zoom, fit): (f32, f32),
        f: impl FnOnce(&mut Cx<'_>, &dyn skin::Skin) -> R,
    ) -> Result<(R, Vec<Warning>), Error> {
        let mut warnings = payload.warnings.clone();
        let (skin, mut pictures) = self.prepare(payload, &mut warnings, cancel)?;
        let mut ctx = self.fonts.context();
        let device = device::Device::of(payload.props());
        let (width, height) = device.screen();
        let (width, height) = (width / zoom, height / zoom);
        let mut cx = Cx {
            fonts: &mut ctx,
            icons: &self.icons,
            pictures: &mut pictures,
            payload,
            scale: payload.export().resolution_scale.factor() * zoom * fit,
            device,
            width,
            height,
            window: None,
            phase: None,
            shown: None,
            cancel,
            limits: &self.limits,
        };
        // A desktop app lays out its window's columns first; the rest is drawn in
        // the pane they leave.
        if let Some(window) = skin.window(&mut cx) {
            (cx.width, cx.height) = window.pane_size((width, height));
            cx.window = Some(std::sync::Arc::new(window));
        }
        Ok((f(&mut cx, &*skin), warnings))
    }

    /// The skin for the payload and its pictures, fetched and decoded; notes what
    /// cannot be drawn as asked.
    fn prepare(
        &self,
        payload: &Payload,
        warnings: &mut Vec<Warning>,
        cancel: &Cancel,
    ) -> Result<(Box<dyn skin::Skin>, pictures::Pictures), Error> {
        let props = payload.props();
        let skin = skin::for_platform(props);
        let pictures = pictures::Pictures::resolve(
            payload,
            &*self.images,
            (&self.limits, &self.gate),
            skin.picture_sizes(),
            cancel,
        )?;
        if !props.mobile_view && !props.platform.has_desktop_window() {
            let with: Vec<&str> = payload::Platform::ALL
                .iter()
                .filter(|p| p.has_desktop_window())
                .map(|p| p.id())
                .collect();
            warnings.push(Warning {
                path: "props.mobileView".to_owned(),
                message: format!(
                    "{} has no desktop window yet (drawn for: {}); drawn as mobile",
                    props.platform.name(),
                    with.join(", ")
                ),
            });
        }
        Ok((skin, pictures))
    }
}

/// The cores this process may use, asked once: std asks the kernel and reads the
/// cgroup's CPU quota on every call (~20 µs on the build machine, measured), and a
/// still asks for its layout and its bands.
pub(crate) fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Whether the scene's still is surely opaque: painted over an opaque background,
/// where every item only blends over what is there (source-over, the only blend
/// used), so no pixel can lose any alpha.
fn is_opaque(scene: &Scene) -> bool {
    scene.background.is_some_and(|c| c.a == 255)
}

/// Drops trailing rows that are fully transparent (transparent backgrounds only).
fn crop_transparent_bottom(pixmap: Pixmap) -> Pixmap {
    let w = pixmap.width() as usize;
    let last = pixmap
        .pixels()
        .chunks_exact(w)
        .rposition(|row| row.iter().any(|p| p.alpha() != 0));
    let keep = last.map_or(1, |r| r + 1) as u32;
    if keep == pixmap.height() {
        return pixmap;
    }
    let size = tiny_skia::IntSize::from_wh(pixmap.width(), keep).expect("non-zero size");
    let mut data = pixmap.take();
    // Shrinking in place: no second copy of a picture that may be 250 MB.
    data.truncate(w * 4 * keep as usize);
    data.shrink_to_fit();
    Pixmap::from_vec(data, size).expect("the size matches the data")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every example laid out on one thread and on two gives the same scene (their
    /// rows split before, at and after time separators, replies look back at
    /// earlier rows, desktop windows lay out a pane).
    #[test]
    fn a_still_laid_out_on_two_threads_is_the_one_laid_out_on_one() {
        let engine = Engine::new();
        let cancel = Cancel::new();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
        let mut shared = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let example = path.display();
            let payload = Payload::from_json(&std::fs::read(&path).unwrap()).unwrap();
            let scene = |threads| {
                let (scene, _) = engine
                    .lay_out(&payload, &cancel, |cx, skin| {
                        still(cx, skin, &payload, (&engine.fonts, threads))
                    })
                    .unwrap();
                format!("{scene:?}")
            };
            let one = scene(1);
            assert_eq!(one, scene(2), "{example}");
            shared += 1;
        }
        assert!(shared >= 86, "{shared} examples");
    }
}
