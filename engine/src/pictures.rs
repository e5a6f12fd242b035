//! Every picture a payload refers to, fetched and decoded once before layout, then
//! scaled to the exact pixel size each use needs (scaling while painting costs far
//! more, and would be repeated on every video frame).
//!
//! Pictures are the cheapest way to ask for a lot of memory: a 2 KB WebP can decode
//! to 200 MB. So each picture is checked by its header before it is decoded, waits
//! for room in the engine-wide [`DecodeGate`] (parallel renders cannot decode more
//! than [`Limits::decode_pixels_in_flight`] pixels at once), and is scaled down right
//! after decoding to the largest size its skin draws it at. A render's pictures are
//! budgeted as decoded ([`Limits::max_decoded_pixels`]) and as kept
//! ([`Limits::max_kept_pixels`]).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use fast_image_resize as fir;
use image::{DynamicImage, RgbaImage};
use tiny_skia::Pixmap;

use crate::image_source::{self, ImageError, ImageSource};
use crate::payload::Payload;
use crate::{Cancel, Error, Limits};

/// How large each kind of picture is drawn at most, in points (a skin's answer).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PictureSizes {
    /// Avatars and group images (drawn as a square, cropped).
    pub avatar: f32,
    /// Photos of image messages (the longer side).
    pub photo: f32,
}

impl Default for PictureSizes {
    fn default() -> PictureSizes {
        PictureSizes {
            avatar: 64.0,
            photo: 300.0,
        }
    }
}

/// Scaled copies at most this many pixels are kept for reuse (avatars repeat on
/// many rows); larger ones (photos) are made where they are drawn, so a long video
/// does not keep every photo it ever showed.
const MAX_SHARED_COPY_PIXELS: u32 = 256 * 256;

/// Decoded pictures by URL, and the scaled copies made from them.
#[derive(Debug, Default, Clone)]
pub(crate) struct Pictures {
    decoded: HashMap<String, Arc<RgbaImage>>,
    scaled: HashMap<(String, u32, u32), Arc<Pixmap>>,
}

/// How many pictures are fetched and decoded at once.
const PARALLEL_FETCHES: usize = 8;

/// What a render may spend on pictures, and what it has spent.
struct Budget<'a> {
    limits: &'a Limits,
    gate: &'a DecodeGate,
    cancel: &'a Cancel,
    scale: f32,
    decoded: AtomicU64,
    kept: AtomicU64,
}

impl Pictures {
    /// Fetches and decodes every picture of the payload, several at a time, within
    /// the limits; each is kept at the size of its largest use in `sizes`.
    pub fn resolve<'p>(
        payload: &'p Payload,
        source: &dyn ImageSource,
        (limits, gate): (&Limits, &DecodeGate),
        sizes: PictureSizes,
        cancel: &Cancel,
    ) -> Result<Pictures, Error> {
        let props = payload.props();
        // (path of the first use, url, largest drawn size in points)
        let mut wanted: Vec<(String, &'p str, f32)> = Vec::new();
        let mut want = |path: String, url: &'p str, size: f32| match wanted
            .iter_mut()
            .find(|(_, u, _)| *u == url)
        {
            Some(w) => w.2 = w.2.max(size),
            None => wanted.push((path, url, size)),
        };
        if let Some(url) = &props.sender.image {
            want("props.sender.image".to_owned(), url, sizes.avatar);
        }
        for (i, u) in props.receivers.iter().enumerate() {
            if let Some(url) = &u.image {
                want(format!("props.receivers.{i}.image"), url, sizes.avatar);
            }
        }
        if let Some(url) = props
            .group_chat_settings
            .as_ref()
            .and_then(|g| g.image.as_ref())
        {
            want(
                "props.groupChatSettings.image".to_owned(),
                url,
                sizes.avatar,
            );
        }
        // Only a desktop window draws the sidebar.
        if crate::device::Device::of(props) == crate::device::Device::Desktop {
            for (i, chat) in props.sidebar.iter().flatten().enumerate() {
                if let Some(url) = &chat.image {
                    want(format!("props.sidebar.{i}.image"), url, sizes.avatar);
                }
            }
        }
        for (i, m) in props.messages.iter().enumerate() {
            for (j, url) in m.images.iter().flatten().enumerate() {
                want(format!("props.messages.{i}.images.{j}"), url, sizes.photo);
            }
        }

        // A video's canvas backdrop, at the canvas's size.
        let video = payload.export().render_kind == crate::payload::RenderKind::Video;
        if video
            && let Some(canvas) = crate::layout::canvas::Canvas::of(props)
            && let crate::layout::canvas::Backdrop::Image(_) = canvas.backdrop
            && let Some(url) = props.video.as_ref().and_then(|v| v.background.as_deref())
        {
            let device = crate::device::Device::of(props);
            let natural = crate::layout::canvas::device_size(device, props.show_device_frame);
            let (w, h) = canvas.size(natural);
            want("props.video.background".to_owned(), url, w.max(h));
        }
        // Display Zoom draws every picture that much larger.
        let zoom = props
            .video
            .as_ref()
            .and_then(|v| v.zoom)
            .filter(|_| video)
            .unwrap_or(1.0) as f32;
        let budget = Budget {
            limits,
            gate,
            cancel,
            scale: payload.export().resolution_scale.factor() * zoom,
            decoded: AtomicU64::new(0),
            kept: AtomicU64::new(0),
        };
        let mut decoded = HashMap::new();
        for chunk in wanted.chunks(PARALLEL_FETCHES) {
            cancel.check()?;
            let failed = |(path, _, _): &(String, &str, f32), error| Error::Image {
                path: path.clone(),
                error,
            };
            // Fetch and read each picture's size first: a payload whose pictures
            // are too large together is refused before any is decoded.
            let fetched = parallel(chunk, |&(_, url, _)| budget.fetch(source, url));
            cancel.check()?;
            let mut loaded = Vec::with_capacity(chunk.len());
            for (want, result) in chunk.iter().zip(fetched) {
                let (bytes, w, h) = result.map_err(|e| failed(want, e))?;
                budget.count_decoded(w, h).map_err(|e| failed(want, e))?;
                loaded.push((bytes, want.2));
            }
            let images = parallel(&loaded, |(bytes, size)| budget.decode(bytes, *size));
            cancel.check()?;
            for (want, result) in chunk.iter().zip(images) {
                decoded.insert(
                    want.1.to_owned(),
                    Arc::new(result.map_err(|e| failed(want, e))?),
                );
            }
        }
        Ok(Pictures {
            decoded,
            scaled: HashMap::new(),
        })
    }

    /// Width / height of a picture, for laying it out with its aspect kept.
    pub fn aspect(&self, url: &str) -> Option<f32> {
        self.decoded
            .get(url)
            .map(|i| i.width() as f32 / i.height().max(1) as f32)
    }

    /// The picture cropped to the aspect of `w`×`h` pixels (centred, like CSS
    /// `object-fit: cover`) and scaled to exactly that size.
    pub fn cover(&mut self, url: &str, w: u32, h: u32) -> Option<Arc<Pixmap>> {
        let (w, h) = (w.max(1), h.max(1));
        let key = (url.to_owned(), w, h);
        if let Some(p) = self.scaled.get(&key) {
            return Some(p.clone());
        }
        let src = self.decoded.get(url)?;
        let (left, top, cw, ch) = cover_crop(src.dimensions(), (w, h));
        let scaled = if (cw, ch) == (w, h) {
            // Already shrunk to this size at decode: a copy, not a resampling.
            image::imageops::crop_imm(&**src, left, top, cw, ch).to_image()
        } else {
            resample(src, (left, top, cw, ch), (w, h))?
        };
        let pixmap = Arc::new(to_pixmap(&scaled)?);
        if w * h <= MAX_SHARED_COPY_PIXELS {
            self.scaled.insert(key, pixmap.clone());
        }
        Some(pixmap)
    }
}

/// The centred crop (left, top, width, height) of a `src`-sized picture with the
/// aspect of `size`.
fn cover_crop((sw, sh): (u32, u32), (w, h): (u32, u32)) -> (u32, u32, u32, u32) {
    let target = w as f32 / h as f32;
    let (cw, ch) = if sw as f32 / sh as f32 > target {
        (((sh as f32 * target).round() as u32).clamp(1, sw), sh)
    } else {
        (sw, ((sw as f32 / target).round() as u32).clamp(1, sh))
    };
    ((sw - cw) / 2, (sh - ch) / 2, cw, ch)
}

/// A painted picture (premultiplied) cropped to cover `size` pixels and resampled
/// to it.
pub(crate) fn cover_pixmap(src: &Pixmap, size: (u32, u32)) -> Option<Pixmap> {
    // Resampling premultiplied pixels as if they were straight is exact for opaque
    // ones and close for the rest (a backdrop is opaque where it matters).
    let img = RgbaImage::from_raw(src.width(), src.height(), src.data().to_vec())?;
    let crop = cover_crop(img.dimensions(), size);
    let out = resample(&img, crop, size)?;
    Pixmap::from_vec(out.into_raw(), tiny_skia::IntSize::from_wh(size.0, size.1)?)
}

/// The `crop` (left, top, width, height) of a picture resampled to `size` pixels
/// with a Catmull-Rom filter, alpha-weighted. fast_image_resize's SIMD kernels:
/// `image`'s generic resize took ~0.5 ms per avatar, a third of laying out a
/// desktop window that draws one avatar at four sizes.
fn resample(src: &RgbaImage, crop: (u32, u32, u32, u32), size: (u32, u32)) -> Option<RgbaImage> {
    let view = fir::images::ImageRef::new(
        src.width(),
        src.height(),
        src.as_raw(),
        fir::PixelType::U8x4,
    )
    .ok()?;
    let mut out = fir::images::Image::new(size.0, size.1, fir::PixelType::U8x4);
    let options = fir::ResizeOptions::new()
        .resize_alg(fir::ResizeAlg::Convolution(fir::FilterType::CatmullRom))
        .crop(
            f64::from(crop.0),
            f64::from(crop.1),
            f64::from(crop.2),
            f64::from(crop.3),
        );
    fir::Resizer::new().resize(&view, &mut out, &options).ok()?;
    RgbaImage::from_raw(size.0, size.1, out.into_vec())
}

/// Runs `f` on every item at once (one thread each: a chunk is a few pictures);
/// a lone item (a chat's one avatar) on this thread, since starting one took
/// ~0.1 ms here, longer than fetching a small picture.
fn parallel<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> Result<R, ImageError> + Sync,
) -> Vec<Result<R, ImageError>> {
    let failed = || Err(ImageError::Decode("the decoder failed".to_owned()));
    if let [item] = items {
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(item)));
        return vec![caught.unwrap_or_else(|_| failed())];
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = items.iter().map(|item| s.spawn(|| f(item))).collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| failed()))
            .collect()
    })
}

impl Budget<'_> {
    /// The picture's bytes and its size from its header, refused when one
    /// picture alone is too large.
    fn fetch(
        &self,
        source: &dyn ImageSource,
        url: &str,
    ) -> Result<(Vec<u8>, u32, u32), ImageError> {
        if self.cancel.is_cancelled() {
            return Err(stopped());
        }
        let bytes = source.fetch(url)?;
        let (w, h) = image_source::dimensions(&bytes)?;
        image_source::check_pixels(w, h, self.limits.max_picture_pixels)?;
        Ok((bytes, w, h))
    }

    /// Adds a picture to the pixels this render decodes; refuses past the budget.
    fn count_decoded(&self, w: u32, h: u32) -> Result<(), ImageError> {
        let pixels = u64::from(w) * u64::from(h);
        let total = self.decoded.fetch_add(pixels, Ordering::Relaxed) + pixels;
        if total > self.limits.max_decoded_pixels {
            return Err(ImageError::TooLarge(format!(
                "the payload's pictures would decode to more than {} pixels together; \
                 send smaller pictures",
                self.limits.max_decoded_pixels
            )));
        }
        Ok(())
    }

    /// Decodes within the engine's gate and scales down at once to what a use of
    /// `size` points needs.
    fn decode(&self, bytes: &[u8], size: f32) -> Result<RgbaImage, ImageError> {
        let (w, h) = image_source::dimensions(bytes)?;
        let pixels = u64::from(w) * u64::from(h);
        let img = {
            let _room = self.gate.enter(pixels, self.cancel).ok_or_else(stopped)?;
            let img = image_source::decode_any(bytes, self.limits.max_picture_pixels)?;
            shrink(img, size * self.scale)
        };
        let img = img.to_rgba8();
        let kept = u64::from(img.width()) * u64::from(img.height());
        let total = self.kept.fetch_add(kept, Ordering::Relaxed) + kept;
        if total > self.limits.max_kept_pixels {
            return Err(ImageError::TooLarge(format!(
                "the payload's pictures need more than {} pixels together at this \
                 resolutionScale; send fewer pictures or use a smaller resolutionScale",
                self.limits.max_kept_pixels
            )));
        }
        Ok(img)
    }
}

fn stopped() -> ImageError {
    ImageError::Fetch("the render was stopped".to_owned())
}

/// Scales a picture down so that it still covers a square of `side` pixels (what
/// a cropped avatar or a photo of that size needs), its longer side at most four
/// times that (photos are drawn at aspect ratios up to 4:1). Never scales up.
///
/// A small picture less than twice the size it needs is kept as decoded: it costs
/// little memory, and scaling it twice (here by a fraction, then to each size it
/// is drawn at) took longer than laying out the rest of the chat.
fn shrink(img: DynamicImage, side: f32) -> DynamicImage {
    let (w, h) = (img.width() as f32, img.height() as f32);
    let side = side.max(1.0);
    let f = (side / w).max(side / h).min(4.0 * side / w.max(h));
    if f >= 1.0 || (f >= 0.5 && w * h <= SMALL_PICTURE_PIXELS) {
        return img;
    }
    let nw = ((w * f).round() as u32).max(1);
    let nh = ((h * f).round() as u32).max(1);
    // Area averaging, in the picture's own pixel format.
    img.thumbnail_exact(nw, nh)
}

/// Pictures up to this size (an avatar, a thumbnail) are not shrunk at decode when
/// they are less than twice the size they need: 200 of them stay within
/// [`Limits::max_kept_pixels`](crate::Limits).
const SMALL_PICTURE_PIXELS: f32 = 512.0 * 512.0;

/// Bounds the pixels being decoded at once across every render of an engine.
#[derive(Debug)]
pub(crate) struct DecodeGate {
    capacity: u64,
    in_use: Mutex<u64>,
    freed: Condvar,
}

/// Room taken in a [`DecodeGate`], given back when dropped.
pub(crate) struct Room<'a> {
    gate: &'a DecodeGate,
    pixels: u64,
}

impl DecodeGate {
    pub fn new(capacity: u64) -> DecodeGate {
        DecodeGate {
            capacity: capacity.max(1),
            in_use: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    /// Waits until `pixels` fit (a picture larger than the whole gate waits until
    /// it is alone). `None` when the render is cancelled while waiting.
    pub fn enter<'a>(&'a self, pixels: u64, cancel: &Cancel) -> Option<Room<'a>> {
        let pixels = pixels.min(self.capacity);
        let mut in_use = self.in_use.lock().unwrap_or_else(|p| p.into_inner());
        while *in_use + pixels > self.capacity {
            if cancel.is_cancelled() {
                return None;
            }
            in_use = self
                .freed
                .wait_timeout(in_use, Duration::from_millis(50))
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        *in_use += pixels;
        Some(Room { gate: self, pixels })
    }
}

impl Drop for Room<'_> {
    fn drop(&mut self) {
        let mut in_use = self.gate.in_use.lock().unwrap_or_else(|p| p.into_inner());
        *in_use -= self.pixels;
        self.gate.freed.notify_all();
    }
}

/// Straight RGBA → tiny-skia's premultiplied pixmap.
fn to_pixmap(img: &RgbaImage) -> Option<Pixmap> {
    let mut data = img.as_raw().clone();
    for px in data.chunks_exact_mut(4) {
        let a = u16::from(px[3]);
        if a < 255 {
            for c in &mut px[..3] {
                *c = ((u16::from(*c) * a + 127) / 255) as u8;
            }
        }
    }
    Pixmap::from_vec(
        data,
        tiny_skia::IntSize::from_wh(img.width(), img.height())?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_pictures_shrink_to_what_is_drawn() {
        let img = DynamicImage::new_rgb8(4000, 3000);
        let small = shrink(img, 600.0);
        assert_eq!((small.width(), small.height()), (800, 600));
        let wide = shrink(DynamicImage::new_rgb8(10_000, 1000), 600.0);
        assert_eq!((wide.width(), wide.height()), (2400, 240));
        let tiny = shrink(DynamicImage::new_rgb8(100, 50), 600.0);
        assert_eq!((tiny.width(), tiny.height()), (100, 50), "never scaled up");
    }

    #[test]
    fn the_gate_waits_for_room_and_gives_way_to_cancel() {
        let gate = DecodeGate::new(100);
        let cancel = Cancel::new();
        let a = gate.enter(80, &cancel).unwrap();
        std::thread::scope(|s| {
            let waiter = s.spawn(|| gate.enter(50, &cancel).map(|r| r.pixels));
            std::thread::sleep(Duration::from_millis(120));
            drop(a);
            assert_eq!(waiter.join().unwrap(), Some(50));
        });
        let _b = gate.enter(100, &cancel).unwrap();
        cancel.cancel();
        assert!(gate.enter(1, &cancel).is_none());
    }
}
