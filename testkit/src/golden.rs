//! Comparing a render with its reference picture, and blessing new references.
//!
//! One set of named tolerances for every picture test. On a mismatch the expected
//! picture, a map of the differing pixels and the actual render are written side by
//! side to `target/golden-failures/<name>.png`; `MOCKLY_BLESS=1` writes the render
//! as the new reference instead.

use std::path::{Path, PathBuf};

use image::{Rgba, RgbaImage};

/// How far a render may stray from its reference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerance {
    /// A pixel differs when any channel moves by more than this.
    pub channel: u8,
    /// Share of pixels allowed to differ.
    pub share: f64,
}

impl Tolerance {
    /// Anti-aliasing noise across CPUs (SIMD paths round differently), nothing more.
    pub const ANTIALIAS: Tolerance = Tolerance {
        channel: 24,
        share: 0.002,
    };
    /// Video frames: the same, after a lossy round trip is not involved (frames are
    /// compared as painted).
    pub const FRAME: Tolerance = Tolerance::ANTIALIAS;
}

/// Whether references are being rewritten (`MOCKLY_BLESS=1`). Only `1` counts: an
/// empty or stray value left in a shell must not rewrite them unseen.
pub fn blessing() -> bool {
    std::env::var_os("MOCKLY_BLESS").is_some_and(|v| v == "1")
}

/// Where failure pictures go.
pub fn failure_dir() -> PathBuf {
    super::root().join("target/golden-failures")
}

/// Compares `actual` (PNG bytes) with the reference at `reference`; with
/// `MOCKLY_BLESS=1`, writes it there (optimised) instead. `Err` says what differs.
pub fn check_png(
    name: &str,
    actual_png: &[u8],
    reference: &Path,
    tolerance: Tolerance,
) -> Result<(), String> {
    let actual = image::load_from_memory(actual_png)
        .map_err(|e| format!("{name}: the render is not a PNG: {e}"))?
        .to_rgba8();
    check_image(name, &actual, reference, tolerance)
}

/// [`check_png`] for a picture already decoded (or made smaller for its reference).
pub fn check_image(
    name: &str,
    actual: &image::RgbaImage,
    reference: &Path,
    tolerance: Tolerance,
) -> Result<(), String> {
    if blessing() {
        if let Some(dir) = reference.parent() {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        std::fs::write(reference, reference_png(actual)).map_err(|e| e.to_string())?;
        return Ok(());
    }
    let expected = match std::fs::read(reference) {
        Ok(b) => image::load_from_memory(&b)
            .map_err(|e| format!("{name}: reference unreadable: {e}"))?
            .to_rgba8(),
        Err(_) => {
            return Err(format!(
                "{name}: no reference at {} (run with MOCKLY_BLESS=1, then look at it)",
                reference.display()
            ));
        }
    };
    compare(name, &expected, actual, tolerance)
}

/// Compares two pictures; on a mismatch writes expected | difference | actual.
pub fn compare(
    name: &str,
    expected: &RgbaImage,
    actual: &RgbaImage,
    tolerance: Tolerance,
) -> Result<(), String> {
    if expected.dimensions() != actual.dimensions() {
        save_failure(name, expected, None, actual);
        return Err(format!(
            "{name}: size {:?}, reference {:?}",
            actual.dimensions(),
            expected.dimensions()
        ));
    }
    let mut diff = RgbaImage::from_pixel(actual.width(), actual.height(), Rgba([0, 0, 0, 255]));
    let mut different = 0usize;
    for (x, y, a) in actual.enumerate_pixels() {
        let e = expected.get_pixel(x, y);
        let worst = (0..4).map(|c| a.0[c].abs_diff(e.0[c])).max().unwrap_or(0);
        if worst > tolerance.channel {
            different += 1;
            diff.put_pixel(x, y, Rgba([255, 40, 40, 255]));
        } else if worst > 0 {
            diff.put_pixel(x, y, Rgba([90, 90, 90, 255]));
        }
    }
    let share = different as f64 / f64::from(actual.width() * actual.height()).max(1.0);
    if share > tolerance.share {
        save_failure(name, expected, Some(&diff), actual);
        return Err(format!(
            "{name}: {different} pixels differ ({:.3}%, allowed {:.3}%); see {}",
            share * 100.0,
            tolerance.share * 100.0,
            failure_dir().join(format!("{name}.png")).display()
        ));
    }
    Ok(())
}

/// Expected, difference and actual side by side (the difference map is black
/// where a reference is missing a size match).
fn save_failure(name: &str, expected: &RgbaImage, diff: Option<&RgbaImage>, actual: &RgbaImage) {
    let gap = 8;
    let h = expected.height().max(actual.height());
    let w = expected.width() * 2 + actual.width() + 2 * gap;
    let mut sheet = RgbaImage::from_pixel(w, h, Rgba([255, 0, 255, 255]));
    let mut at = 0;
    let empty = RgbaImage::from_pixel(expected.width(), expected.height(), Rgba([0, 0, 0, 255]));
    for part in [expected, diff.unwrap_or(&empty), actual] {
        image::imageops::replace(&mut sheet, part, i64::from(at), 0);
        at += part.width() + gap;
    }
    let dir = failure_dir();
    let _ = std::fs::create_dir_all(&dir);
    let _ = sheet.save(dir.join(format!("{name}.png")));
}

/// How a reference stores each channel: its top four bits (and the middle of the
/// range below them), so that the flat colours and gradients of a chat screen make
/// long runs and references stay small. A stored channel is within
/// [`QUANTIZATION_ERROR`] of the render, well inside every tolerance.
pub fn quantize(v: u8) -> u8 {
    (v & 0xF0) | 0x08
}

/// The most a reference's channel differs from the render it was made from.
pub const QUANTIZATION_ERROR: u8 = 8;

/// A reference picture: quantized ([`quantize`]) and compressed hard.
pub fn reference_png(img: &RgbaImage) -> Vec<u8> {
    let mut q = img.clone();
    for p in q.pixels_mut() {
        for c in &mut p.0[..3] {
            *c = quantize(*c);
        }
        // Alpha keeps its fully transparent and fully opaque ends.
        if p.0[3] != 0 && p.0[3] != 255 {
            p.0[3] = quantize(p.0[3]);
        }
    }
    small_png(&q)
}

/// A PNG as small as the png crate makes it, pixels unchanged.
pub fn small_png(img: &RgbaImage) -> Vec<u8> {
    let opaque = img.pixels().all(|p| p.0[3] == 255);
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, img.width(), img.height());
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::High);
    enc.set_filter(png::Filter::Adaptive);
    let data: Vec<u8> = if opaque {
        enc.set_color(png::ColorType::Rgb);
        img.pixels()
            .flat_map(|p| [p.0[0], p.0[1], p.0[2]])
            .collect()
    } else {
        enc.set_color(png::ColorType::Rgba);
        img.as_raw().clone()
    };
    let mut writer = enc.write_header().expect("PNG header");
    writer.write_image_data(&data).expect("PNG data");
    writer.finish().expect("PNG end");
    out
}
