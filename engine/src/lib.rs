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

mod conversation;
mod encode;
mod fonts;
mod icons;
pub mod image_source;
mod layout;
pub mod payload;
mod pictures;
mod raster;
pub mod scene;
mod skin;
mod text;
pub mod time;
pub mod timeline;
#[cfg(feature = "video")]
pub mod video;

#[cfg(test)]
mod testing;

use std::fmt;

use conversation::{Conversation, View};
use layout::page::{self, Chrome, Look, Transcript, Viewport};
use layout::{Cx, MOBILE_WIDTH};
use tiny_skia::Pixmap;

pub use image_source::{DataUrls, ImageError, ImageSource};
pub use payload::{Payload, PayloadError, Warning};
pub use raster::MAX_CANVAS_PIXELS;
pub use scene::Scene;
pub use timeline::Timeline;

/// Why a render failed. Everything but [`Error::Encode`] is the client's to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The payload is invalid; the message names the field.
    Payload(PayloadError),
    /// A picture could not be fetched or decoded.
    Image { path: String, error: ImageError },
    /// The picture would be too large to allocate.
    TooLarge { width: u32, height: u32 },
    /// Encoding the output failed (an internal error).
    Encode(String),
    /// The video encoder failed (an internal error).
    Video(String),
    /// The caller stopped the render.
    Cancelled,
}

impl Error {
    /// Dotted path of the field at fault, when there is one.
    pub fn path(&self) -> Option<&str> {
        match self {
            Error::Payload(e) => Some(&e.path),
            Error::Image { path, .. } => Some(path),
            Error::TooLarge { .. } | Error::Encode(_) | Error::Video(_) | Error::Cancelled => None,
        }
    }

    /// True when the request, not the renderer, is at fault.
    pub fn is_client_error(&self) -> bool {
        !matches!(self, Error::Encode(_) | Error::Video(_) | Error::Cancelled)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Payload(e) => write!(f, "{e}"),
            Error::Image { path, error } => write!(f, "Invalid image at {path}: {error}"),
            Error::TooLarge { width, height } => write!(
                f,
                "The picture would be {width}×{height} pixels, over the limit of \
                 {MAX_CANVAS_PIXELS} pixels; use a smaller resolutionScale or fewer messages"
            ),
            Error::Encode(m) => write!(f, "encoding failed: {m}"),
            Error::Video(m) => write!(f, "video encoding failed: {m}"),
            Error::Cancelled => f.write_str("the render was stopped"),
        }
    }
}

impl std::error::Error for Error {}

impl From<PayloadError> for Error {
    fn from(e: PayloadError) -> Error {
        Error::Payload(e)
    }
}

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
    icons: icons::IconCache,
    images: Box<dyn ImageSource>,
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine")
            .field("fonts", &self.fonts)
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
        Engine {
            fonts: fonts::Fonts::load(),
            icons: icons::IconCache::default(),
            images: Box::new(source),
        }
    }

    /// Renders the payload as a still and encodes it as PNG.
    pub fn render_png(&self, payload: &Payload) -> Result<RenderedImage, Error> {
        let scale = payload.export.resolution_scale.factor();
        let rendered = self.render(payload)?;
        let png = encode::png(&rendered.pixmap, scale).map_err(|e| Error::Encode(e.0))?;
        Ok(RenderedImage {
            png,
            width: rendered.pixmap.width(),
            height: rendered.pixmap.height(),
            warnings: rendered.warnings,
        })
    }

    /// Renders the payload as a still into pixels.
    pub fn render(&self, payload: &Payload) -> Result<Rendered, Error> {
        let (scene, warnings) = self.scene(payload)?;
        let mut pixmap = self.paint(&scene)?;
        let props = payload.props();
        if props.transparent_background && !props.show_device_frame {
            pixmap = crop_transparent_bottom(pixmap);
        }
        Ok(Rendered { pixmap, warnings })
    }

    /// Lays the payload out for video: every moment of the conversation, once.
    pub fn timeline(&self, payload: &Payload) -> Result<(Timeline, Vec<Warning>), Error> {
        let (timeline, warnings) =
            self.lay_out(payload, |cx, skin| Timeline::build(cx, skin, payload))?;
        let (w, h) = timeline.pixel_size();
        if u64::from(w) * u64::from(h) > MAX_CANVAS_PIXELS {
            return Err(Error::TooLarge {
                width: w,
                height: h,
            });
        }
        Ok((timeline, warnings))
    }

    /// Paints a scene (a still, or one frame of a timeline) into pixels.
    pub fn paint(&self, scene: &Scene) -> Result<Pixmap, Error> {
        let mut ctx = self.fonts.context();
        raster::Painter::new(&mut ctx, &self.icons, scene.scale)
            .paint(scene)
            .map_err(|e| Error::TooLarge {
                width: e.width,
                height: e.height,
            })
    }

    /// Lays the payload out as a still: the display list before painting.
    pub fn scene(&self, payload: &Payload) -> Result<(Scene, Vec<Warning>), Error> {
        let (scene, warnings) = self.lay_out(payload, |cx, skin| still(cx, skin, payload))?;
        let (w, h) = scene.pixel_size();
        if u64::from(w) * u64::from(h) > MAX_CANVAS_PIXELS {
            return Err(Error::TooLarge {
                width: w,
                height: h,
            });
        }
        Ok((scene, warnings))
    }
}

/// The still of a payload: the whole conversation, as a tall screenshot or one screen.
fn still(cx: &mut Cx<'_>, skin: &dyn skin::Skin, payload: &Payload) -> Scene {
    let conv = Conversation::build(
        payload,
        skin.separator_rule(),
        skin.default_status(),
        View::all(),
    );
    let chrome = Chrome::layout(cx, skin);
    let transcript = Transcript::layout(cx, skin, &conv);
    let viewport = if payload.props().show_device_frame {
        Viewport::Screen
    } else {
        Viewport::FullHeight
    };
    let look = Look::new(cx, skin, false);
    page::compose_still(&look, &chrome, &transcript, viewport)
}

impl Engine {
    /// Runs `f` with a layout context for the payload (its skin, pictures and fonts),
    /// returning what it made and the warnings.
    fn lay_out<R>(
        &self,
        payload: &Payload,
        f: impl FnOnce(&mut Cx<'_>, &dyn skin::Skin) -> R,
    ) -> Result<(R, Vec<Warning>), Error> {
        let mut warnings = payload.warnings.clone();
        let (skin, mut pictures) = self.prepare(payload, &mut warnings)?;
        let mut ctx = self.fonts.context();
        let mut cx = Cx {
            fonts: &mut ctx,
            pictures: &mut pictures,
            payload,
            scale: payload.export.resolution_scale.factor(),
            width: MOBILE_WIDTH,
            phase: None,
        };
        Ok((f(&mut cx, &*skin), warnings))
    }

    /// The skin for the payload and its pictures, fetched and decoded; notes what
    /// cannot be drawn as asked.
    fn prepare(
        &self,
        payload: &Payload,
        warnings: &mut Vec<Warning>,
    ) -> Result<(Box<dyn skin::Skin>, pictures::Pictures), Error> {
        let props = payload.props();
        let pictures =
            pictures::Pictures::resolve(payload, &*self.images).map_err(|e| Error::Image {
                path: e.path,
                error: e.error,
            })?;
        let (skin, substituted) = skin::for_platform(props);
        if let Some(message) = substituted {
            warnings.push(Warning {
                path: "props.platform".to_owned(),
                message,
            });
        }
        if !props.mobile_view {
            warnings.push(Warning {
                path: "props.mobileView".to_owned(),
                message: "the desktop layout is not available yet; drawn as mobile".to_owned(),
            });
        }
        Ok((skin, pictures))
    }
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
    let bytes = w * 4 * keep as usize;
    let data = pixmap.data()[..bytes].to_vec();
    Pixmap::from_vec(
        data,
        tiny_skia::IntSize::from_wh(pixmap.width(), keep).expect("non-zero size"),
    )
    .unwrap_or(pixmap)
}
