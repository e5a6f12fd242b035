//! Every picture a payload refers to, fetched and decoded once before layout, then
//! scaled to the exact pixel size each use needs (scaling while painting costs far
//! more, and would be repeated on every video frame).

use std::collections::HashMap;
use std::sync::Arc;

use image::RgbaImage;
use image::imageops::FilterType;
use tiny_skia::Pixmap;

use crate::image_source::{self, ImageError, ImageSource};
use crate::payload::Payload;

/// A picture that failed, with the field that named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PictureError {
    pub path: String,
    pub error: ImageError,
}

/// Decoded pictures by URL, and the scaled copies made from them.
#[derive(Debug, Default)]
pub(crate) struct Pictures {
    decoded: HashMap<String, Arc<RgbaImage>>,
    scaled: HashMap<(String, u32, u32), Arc<Pixmap>>,
}

/// How many pictures are fetched and decoded at once.
const PARALLEL_FETCHES: usize = 8;

impl Pictures {
    /// Fetches and decodes every picture of the payload, several at a time.
    pub fn resolve<'p>(
        payload: &'p Payload,
        source: &dyn ImageSource,
    ) -> Result<Pictures, PictureError> {
        let props = payload.props();
        let mut wanted: Vec<(String, &str)> = Vec::new();
        fn add<'a>(wanted: &mut Vec<(String, &'a str)>, path: String, url: &'a str) {
            if !wanted.iter().any(|(_, u)| *u == url) {
                wanted.push((path, url));
            }
        }
        let mut want = |path: String, url: &'p str| add(&mut wanted, path, url);
        if let Some(url) = &props.sender.image {
            want("props.sender.image".to_owned(), url.as_str());
        }
        for (i, u) in props.receivers.iter().enumerate() {
            if let Some(url) = &u.image {
                want(format!("props.receivers.{i}.image"), url.as_str());
            }
        }
        if let Some(url) = props
            .group_chat_settings
            .as_ref()
            .and_then(|g| g.image.as_ref())
        {
            want("props.groupChatSettings.image".to_owned(), url.as_str());
        }
        for (i, m) in props.messages.iter().enumerate() {
            for (j, url) in m.images.iter().flatten().enumerate() {
                want(format!("props.messages.{i}.images.{j}"), url.as_str());
            }
        }

        let mut decoded = HashMap::new();
        for chunk in wanted.chunks(PARALLEL_FETCHES) {
            let results: Vec<Result<RgbaImage, ImageError>> = std::thread::scope(|s| {
                let handles: Vec<_> = chunk
                    .iter()
                    .map(|(_, url)| s.spawn(|| image_source::decode(&source.fetch(url)?)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| {
                        h.join().unwrap_or_else(|_| {
                            Err(ImageError::Decode("the decoder failed".to_owned()))
                        })
                    })
                    .collect()
            });
            for ((path, url), result) in chunk.iter().zip(results) {
                let img = result.map_err(|error| PictureError {
                    path: path.clone(),
                    error,
                })?;
                decoded.insert((*url).to_owned(), Arc::new(img));
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
        let (sw, sh) = src.dimensions();
        let target = w as f32 / h as f32;
        let (cw, ch) = if sw as f32 / sh as f32 > target {
            (((sh as f32 * target).round() as u32).clamp(1, sw), sh)
        } else {
            (sw, ((sw as f32 / target).round() as u32).clamp(1, sh))
        };
        let cropped = image::imageops::crop_imm(&**src, (sw - cw) / 2, (sh - ch) / 2, cw, ch);
        let scaled = if cw > w * 2 {
            // Large reductions: area averaging is fast and does not alias.
            image::imageops::thumbnail(&*cropped, w, h)
        } else {
            image::imageops::resize(&*cropped, w, h, FilterType::CatmullRom)
        };
        let pixmap = Arc::new(to_pixmap(&scaled)?);
        self.scaled.insert(key, pixmap.clone());
        Some(pixmap)
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
