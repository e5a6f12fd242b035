//! Pixmap → PNG bytes.
//!
//! PNG encoding dominates a still render at default settings (35–60 ms for a phone
//! screenshot), so this uses the png crate's fast mode (fdeflate), an order of
//! magnitude quicker at a modest size cost. Opaque pictures are written as RGB.

use std::io::Write;

use tiny_skia::Pixmap;

use crate::{Cancel, Error};

/// Encodes a premultiplied pixmap as a PNG. `scale` is recorded as the pixel density
/// (72 dpi × scale), so image viewers show a 2x screenshot at its point size.
///
/// Rows are converted and compressed one at a time: a 250 MB canvas does not get a
/// second full-size copy on its way out, and a phone screenshot encodes as fast as
/// it did whole.
pub fn png(pixmap: &Pixmap, scale: f32, cancel: &Cancel) -> Result<Vec<u8>, Error> {
    let (w, h) = (pixmap.width(), pixmap.height());
    let opaque = pixmap.pixels().iter().all(|p| p.alpha() == 255);
    let mut out = Vec::with_capacity((w as usize * h as usize) / 2);
    let err = |e: png::EncodingError| Error::Encode(e.to_string());
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(if opaque {
        png::ColorType::Rgb
    } else {
        png::ColorType::Rgba
    });
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    enc.set_source_srgb(png::SrgbRenderingIntent::Perceptual);
    let ppm = (72.0 * scale / 0.0254).round() as u32;
    enc.set_pixel_dims(Some(png::PixelDimensions {
        xppu: ppm,
        yppu: ppm,
        unit: png::Unit::Meter,
    }));
    let mut writer = enc.write_header().map_err(err)?;
    let channels = if opaque { 3 } else { 4 };
    // Written as iterators, which the compiler turns into vector code (a push per
    // pixel made the encode of a phone screenshot 40% slower).
    let to_bytes = |row: &[tiny_skia::PremultipliedColorU8], line: &mut Vec<u8>| {
        if opaque {
            line.extend(row.iter().flat_map(|p| [p.red(), p.green(), p.blue()]));
        } else {
            line.extend(row.iter().flat_map(|p| {
                let c = p.demultiply();
                [c.red(), c.green(), c.blue(), c.alpha()]
            }));
        }
    };
    let mut stream = writer
        .stream_writer_with_size(w as usize * channels * 16)
        .map_err(err)?;
    let mut line = Vec::with_capacity(w as usize * channels);
    for (y, row) in pixmap.pixels().chunks_exact(w as usize).enumerate() {
        if y % 256 == 0 {
            cancel.check()?;
        }
        line.clear();
        to_bytes(row, &mut line);
        stream
            .write_all(&line)
            .map_err(|e| Error::Encode(e.to_string()))?;
    }
    stream.finish().map_err(err)?;
    writer.finish().map_err(err)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opaque_is_rgb_and_transparent_is_rgba() {
        let mut pm = Pixmap::new(4, 3).unwrap();
        pm.fill(tiny_skia::Color::from_rgba8(10, 20, 30, 255));
        let bytes = png(&pm, 2.0, &Cancel::new()).unwrap();
        let img = image::load_from_memory(&bytes).unwrap();
        assert_eq!(img.color(), image::ColorType::Rgb8);
        assert_eq!(img.to_rgb8().get_pixel(3, 2).0, [10, 20, 30]);

        pm.fill(tiny_skia::Color::from_rgba8(200, 100, 0, 128));
        let img = image::load_from_memory(&png(&pm, 1.0, &Cancel::new()).unwrap()).unwrap();
        assert_eq!(img.color(), image::ColorType::Rgba8);
        let px = img.to_rgba8().get_pixel(0, 0).0;
        assert_eq!(px[3], 128);
        assert!((i32::from(px[0]) - 200).abs() <= 1, "{px:?}");
    }
}
