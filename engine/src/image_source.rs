//! Where pictures (avatars, photos, group images) come from, and how they are decoded.
//!
//! The engine does no network I/O itself: the caller injects an [`ImageSource`]. The
//! default, [`DataUrls`], serves `data:` URLs only; the server wraps it with an HTTP
//! fetcher that has its own limits and SSRF guard.

use std::fmt;
use std::io::Cursor;

use base64::Engine as _;
use image::{DynamicImage, ImageFormat, ImageReader, RgbaImage};

/// Why a picture could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImageError {
    /// The URL's form is wrong (bad data URL, unsupported scheme).
    InvalidUrl(String),
    /// The source could not deliver the bytes (network error, refused address, too big).
    Fetch(String),
    /// The bytes are not a PNG, JPEG, WebP or GIF picture we can decode.
    Decode(String),
    /// The picture, or all pictures together, would decode to more pixels than the
    /// limits allow.
    TooLarge(String),
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImageError::InvalidUrl(m) => write!(f, "invalid image URL: {m}"),
            ImageError::Fetch(m) => write!(f, "could not fetch the image: {m}"),
            ImageError::Decode(m) => write!(f, "could not decode the image: {m}"),
            ImageError::TooLarge(m) => write!(f, "too large: {m}"),
        }
    }
}

impl std::error::Error for ImageError {}

/// Delivers the encoded bytes behind an image URL.
pub trait ImageSource: Send + Sync {
    fn fetch(&self, url: &str) -> Result<Vec<u8>, ImageError>;
}

/// Serves `data:` URLs and refuses everything else.
#[derive(Debug, Default, Clone, Copy)]
pub struct DataUrls;

impl ImageSource for DataUrls {
    fn fetch(&self, url: &str) -> Result<Vec<u8>, ImageError> {
        if url.starts_with("data:") {
            Ok(DataUrl::parse(url)?.bytes)
        } else {
            Err(ImageError::Fetch(
                "this renderer only reads data: URLs (remote images are fetched by the server)"
                    .to_owned(),
            ))
        }
    }
}

/// A parsed `data:image/…;base64,…` URL.
#[derive(Debug, Clone)]
pub struct DataUrl {
    pub mime: String,
    pub bytes: Vec<u8>,
}

impl DataUrl {
    /// A picture's data URL (PNG, JPEG, WebP or GIF).
    pub fn parse(url: &str) -> Result<DataUrl, ImageError> {
        const TYPES: [&str; 5] = [
            "image/png",
            "image/jpeg",
            "image/jpg",
            "image/webp",
            "image/gif",
        ];
        DataUrl::parse_as(
            url,
            |mime| TYPES.contains(&mime),
            "image/png, image/jpeg, image/webp or image/gif",
        )
    }

    /// A sound's data URL (any `audio/…` type, or Ogg); FFmpeg tells what is inside.
    pub fn parse_audio(url: &str) -> Result<DataUrl, ImageError> {
        DataUrl::parse_as(
            url,
            |mime| mime.starts_with("audio/") || mime == "application/ogg",
            "an audio/… type",
        )
    }

    fn parse_as(
        url: &str,
        accepts: impl Fn(&str) -> bool,
        expected: &str,
    ) -> Result<DataUrl, ImageError> {
        let rest = url
            .strip_prefix("data:")
            .ok_or_else(|| ImageError::InvalidUrl("expected a data: URL".to_owned()))?;
        let (header, data) = rest.split_once(',').ok_or_else(|| {
            ImageError::InvalidUrl("a data URL needs a ',' before its data".to_owned())
        })?;
        let mut parts = header.split(';');
        let mime = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        if !parts.any(|p| p.trim().eq_ignore_ascii_case("base64")) {
            return Err(ImageError::InvalidUrl(
                "only base64 data URLs are supported (data:image/png;base64,…)".to_owned(),
            ));
        }
        if !accepts(&mime) {
            return Err(ImageError::InvalidUrl(format!(
                "unsupported media type '{mime}' (expected {expected})"
            )));
        }
        let cleaned: String = data.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        let bytes = LENIENT_BASE64
            .decode(cleaned)
            .map_err(|e| ImageError::InvalidUrl(format!("bad base64 data: {e}")))?;
        if bytes.is_empty() {
            return Err(ImageError::InvalidUrl("the data URL is empty".to_owned()));
        }
        Ok(DataUrl { mime, bytes })
    }
}

/// Standard base64 that accepts data with or without its `=` padding, which clients
/// often leave off.
const LENIENT_BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);

/// Decodes PNG, JPEG, WebP or GIF (first frame), judged by the bytes, not by any
/// declared type, refusing pictures of more than 50 million pixels.
pub fn decode(bytes: &[u8]) -> Result<RgbaImage, ImageError> {
    let max = crate::Limits::default().max_picture_pixels;
    let (w, h) = dimensions(bytes)?;
    check_pixels(w, h, max)?;
    Ok(decode_any(bytes, max)?.to_rgba8())
}

/// Width and height from the picture's header, without decoding it.
pub(crate) fn dimensions(bytes: &[u8]) -> Result<(u32, u32), ImageError> {
    reader(bytes)?
        .into_dimensions()
        .map_err(|e| ImageError::Decode(e.to_string()))
}

/// Refuses a picture of more than `max` pixels.
pub(crate) fn check_pixels(w: u32, h: u32, max: u64) -> Result<(), ImageError> {
    if u64::from(w) * u64::from(h) > max {
        return Err(ImageError::TooLarge(format!(
            "{w}×{h} is larger than the {max}-pixel limit"
        )));
    }
    Ok(())
}

/// Decodes in the picture's own pixel format (RGB stays 3 bytes a pixel), so that
/// a large photo can be scaled down before it is widened to RGBA.
pub(crate) fn decode_any(bytes: &[u8], max_pixels: u64) -> Result<DynamicImage, ImageError> {
    let mut reader = reader(bytes)?;
    let mut limits = image::Limits::default();
    // Room for the decoded picture at 8 bytes a pixel (16-bit formats) and the
    // decoder's own buffers.
    limits.max_alloc = Some(max_pixels * 8 + (64 << 20));
    reader.limits(limits);
    reader
        .decode()
        .map_err(|e| ImageError::Decode(e.to_string()))
}

fn reader(bytes: &[u8]) -> Result<ImageReader<Cursor<&[u8]>>, ImageError> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ImageError::Decode(e.to_string()))?;
    match reader.format() {
        Some(ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP | ImageFormat::Gif) => {
            Ok(reader)
        }
        _ => Err(ImageError::Decode(
            "not a PNG, JPEG, WebP or GIF picture".to_owned(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_url_round_trip() {
        let png = crate::testing::tiny_png();
        let b64 = base64::engine::general_purpose::STANDARD.encode(&png);
        let url = format!("data:image/png;base64,{b64}");
        let parsed = DataUrl::parse(&url).unwrap();
        assert_eq!(parsed.bytes, png);
        let img = decode(&parsed.bytes).unwrap();
        assert_eq!(img.dimensions(), (3, 2));
    }

    #[test]
    fn data_url_errors_are_specific() {
        let e = |u: &str| DataUrl::parse(u).unwrap_err().to_string();
        assert!(e("data:image/png,abc").contains("only base64"));
        assert!(e("data:text/html;base64,PGI+").contains("unsupported media type"));
        assert!(e("data:image/png;base64,***").contains("bad base64"));
        assert!(e("data:image/png;base64").contains("','"));
    }

    #[test]
    fn garbage_bytes_do_not_decode() {
        assert!(matches!(
            decode(b"definitely not a picture"),
            Err(ImageError::Decode(_))
        ));
    }
}
