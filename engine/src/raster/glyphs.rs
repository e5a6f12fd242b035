//! Shaped text onto pixels: each glyph's image from the swash cache, blended as a
//! coverage mask in the text's colour or, for colour emoji, as RGBA.

use cosmic_text::{PhysicalGlyph, SwashContent};
use tiny_skia::PixmapMut;

use super::{Brush, div255, div255_u16};
use crate::fonts::FontContext;
use crate::scene::{Color, Item, Rect, Shape};
use crate::text::{TextBlock, TextLine, from_ct};

/// Where each glyph of a line lands on the canvas (before any band's or layer's
/// shift, which is whole pixels: the glyph images do not depend on it).
fn placed(
    line: &TextLine,
    origin: (f32, f32),
    s: f32,
) -> impl Iterator<Item = (&cosmic_text::LayoutGlyph, PhysicalGlyph)> {
    // Whole-pixel origins keep glyph edges as crisp as the font's hinting allows.
    let (ox, oy) = ((origin.0 * s).round(), (origin.1 * s).round());
    line.glyphs
        .iter()
        .map(move |g| (g, g.physical((ox, oy + line.baseline * s), s)))
}

/// Makes the image of every glyph in `items` (and their groups), so that painting
/// can share the cache between threads without changing it.
pub(super) fn warm(fonts: &mut FontContext, items: &[Item], scale: f32, offset: (f32, f32)) {
    for item in items {
        match item {
            Item::Text { origin, block } => {
                let at = (origin.0 + offset.0, origin.1 + offset.1);
                let FontContext { system, swash, .. } = &mut *fonts;
                for line in &block.lines {
                    for (_, phys) in placed(line, at, scale) {
                        swash.get_image(system, phys.cache_key);
                    }
                }
            }
            Item::Group {
                items,
                offset: inner,
                ..
            } => warm(
                fonts,
                items,
                scale,
                (offset.0 + inner.0, offset.1 + inner.1),
            ),
            _ => {}
        }
    }
}

impl Brush<'_> {
    /// Draws shaped text; `origin` is the block's top-left corner in points.
    pub(super) fn text(
        &mut self,
        pixmap: &mut PixmapMut<'_>,
        block: &TextBlock,
        origin: (f32, f32),
    ) {
        let s = self.scale;
        let (sx, sy) = (self.shift.0 as i32, self.shift.1 as i32);
        for line in &block.lines {
            for (r, color) in &line.highlights {
                let r = Rect::new(origin.0 + r.x, origin.1 + r.y, r.w, r.h);
                self.item(
                    pixmap,
                    &Item::fill(Shape::RoundRect(r, 3.0), *color),
                    (0.0, 0.0),
                );
            }
            for (g, phys) in placed(line, origin, s) {
                let color = g.color_opt.map(from_ct).unwrap_or(block.color);
                let Some(Some(img)) = self.glyphs.image_cache.get(&phys.cache_key) else {
                    continue;
                };
                let x = phys.x + img.placement.left + sx;
                let y = phys.y - img.placement.top + sy;
                let (w, h) = (img.placement.width, img.placement.height);
                match img.content {
                    SwashContent::Mask => blend_mask(pixmap, x, y, w, h, &img.data, color),
                    SwashContent::Color => blend_rgba(pixmap, x, y, w, h, &img.data, color.a),
                    SwashContent::SubpixelMask => {}
                }
            }
            for (rule, color) in &line.rules {
                let r = Rect::new(
                    origin.0 + rule.x,
                    origin.1 + rule.y,
                    rule.w,
                    rule.h.max(1.0 / s),
                );
                self.item(pixmap, &Item::rect(r, *color), (0.0, 0.0));
            }
        }
    }
}

/// The part of a `w`×`h` image at (`x`, `y`) that falls inside the pixmap (empty
/// when it lies wholly outside):
/// (first column, first row, last column, last row) of the image, exclusive ends.
fn visible(pixmap: &PixmapMut<'_>, x: i32, y: i32, w: u32, h: u32) -> (usize, usize, usize, usize) {
    let (pw, ph) = (pixmap.width() as i64, pixmap.height() as i64);
    let (x, y, w, h) = (i64::from(x), i64::from(y), i64::from(w), i64::from(h));
    let c0 = (-x).clamp(0, w);
    let r0 = (-y).clamp(0, h);
    let c1 = (pw - x).clamp(c0, w);
    let r1 = (ph - y).clamp(r0, h);
    (c0 as usize, r0 as usize, c1 as usize, r1 as usize)
}

/// Source-over of a coverage mask in one colour (premultiplied destination).
fn blend_mask(
    pixmap: &mut PixmapMut<'_>,
    x: i32,
    y: i32,
    w: u32,
    h: u32,
    mask: &[u8],
    color: Color,
) {
    let (c0, r0, c1, r1) = visible(pixmap, x, y, w, h);
    if c0 >= c1 || r0 >= r1 {
        // Wholly outside the canvas (a glyph of a line wider than the picture).
        return;
    }
    let stride = pixmap.width() as usize * 4;
    let data = pixmap.data_mut();
    let ca = u16::from(color.a);
    // The colour's channels, and 255 for alpha: `div255(255 × a) == a`, so one
    // formula serves all four lanes of a pixel.
    let src: [u16; 16] = std::array::from_fn(|i| match i % 4 {
        0 => u16::from(color.r),
        1 => u16::from(color.g),
        2 => u16::from(color.b),
        _ => 255,
    });
    let solid = [color.r, color.g, color.b, 255];
    for row in r0..r1 {
        let coverage = &mask[row * w as usize + c0..row * w as usize + c1];
        let start = (y as i64 + row as i64) as usize * stride + (x as i64 + c0 as i64) as usize * 4;
        let dst = &mut data[start..start + coverage.len() * 4];
        // Four pixels at a time in 16-bit lanes without branches per pixel, so
        // the compiler can use vectors (as `fill::blend_pixels`); a pixel of no
        // coverage comes out as it was (`div255(d × 255) == d`).
        let mut quads = dst.chunks_exact_mut(16);
        let mut covs = coverage.chunks_exact(4);
        for (quad, cov) in (&mut quads).zip(&mut covs) {
            let c = u32::from_le_bytes([cov[0], cov[1], cov[2], cov[3]]);
            if c == 0 {
                continue; // the empty margin of a glyph's box
            }
            if c == u32::MAX && ca == 255 {
                // Four fully covered pixels of an opaque colour: the colour itself.
                for px in quad.chunks_exact_mut(4) {
                    px.copy_from_slice(&solid);
                }
                continue;
            }
            let a: [u16; 16] = std::array::from_fn(|i| div255_u16(u16::from(cov[i / 4]) * ca));
            for i in 0..16 {
                quad[i] = (div255_u16(src[i] * a[i])
                    + div255_u16(u16::from(quad[i]) * (255 - a[i])))
                    as u8;
            }
        }
        let rest = quads.into_remainder();
        for (px, &cov) in rest.chunks_exact_mut(4).zip(covs.remainder()) {
            if cov == 0 {
                continue;
            }
            let a = div255_u16(u16::from(cov) * ca);
            for ch in 0..4 {
                px[ch] =
                    (div255_u16(src[ch] * a) + div255_u16(u16::from(px[ch]) * (255 - a))) as u8;
            }
        }
    }
}

/// Source-over of a straight-alpha RGBA image (colour emoji), faded by `alpha`.
fn blend_rgba(pixmap: &mut PixmapMut<'_>, x: i32, y: i32, w: u32, h: u32, rgba: &[u8], alpha: u8) {
    let (c0, r0, c1, r1) = visible(pixmap, x, y, w, h);
    if c0 >= c1 || r0 >= r1 {
        // Wholly outside the canvas (a glyph of a line wider than the picture).
        return;
    }
    let stride = pixmap.width() as usize * 4;
    let data = pixmap.data_mut();
    let fade = u32::from(alpha);
    for row in r0..r1 {
        let src = &rgba[(row * w as usize + c0) * 4..(row * w as usize + c1) * 4];
        let start = (y as i64 + row as i64) as usize * stride + (x as i64 + c0 as i64) as usize * 4;
        let dst = &mut data[start..start + src.len()];
        for (px, s) in dst.chunks_exact_mut(4).zip(src.chunks_exact(4)) {
            let a = div255(u32::from(s[3]) * fade);
            if a == 0 {
                continue;
            }
            let inv = 255 - a;
            for ch in 0..3 {
                px[ch] = (div255(u32::from(s[ch]) * a) + div255(u32::from(px[ch]) * inv)) as u8;
            }
            px[3] = (a + div255(u32::from(px[3]) * inv)) as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The per-pixel source-over the vector code must match exactly.
    fn blend_one(px: &mut [u8], cov: u8, color: Color) {
        if cov == 0 {
            return;
        }
        let a = div255(u32::from(cov) * u32::from(color.a));
        let inv = 255 - a;
        let rgb = [color.r, color.g, color.b];
        for ch in 0..3 {
            px[ch] = (div255(u32::from(rgb[ch]) * a) + div255(u32::from(px[ch]) * inv)) as u8;
        }
        px[3] = (a + div255(u32::from(px[3]) * inv)) as u8;
    }

    #[test]
    fn a_mask_blends_as_source_over_pixel_by_pixel() {
        // A 7-pixel-wide mask (a whole quad and a remainder per row) of every kind
        // of coverage, over a premultiplied backdrop, in opaque and faded colours.
        let (w, h) = (7u32, 40u32);
        let mut seed = 7u32;
        let mut next = || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 16) as u8
        };
        let mask: Vec<u8> = (0..w * h)
            .map(|i| match (i / w) % 4 {
                0 => 0,
                1 => 255,
                _ => next(),
            })
            .collect();
        for color in [
            Color::rgba(20, 200, 90, 255),
            Color::rgba(250, 10, 128, 77),
            Color::rgba(0, 0, 0, 0),
        ] {
            let mut pixmap = tiny_skia::Pixmap::new(w + 2, h).unwrap();
            for px in pixmap.data_mut().chunks_exact_mut(4) {
                let a = next();
                let c = [next(), next(), next()].map(|v| div255(u32::from(v) * u32::from(a)) as u8);
                px.copy_from_slice(&[c[0], c[1], c[2], a]);
            }
            let mut want = pixmap.clone();
            let stride = (w as usize + 2) * 4;
            for row in 0..h as usize {
                for col in 0..w as usize {
                    let at = row * stride + (col + 1) * 4;
                    blend_one(
                        &mut want.data_mut()[at..at + 4],
                        mask[row * w as usize + col],
                        color,
                    );
                }
            }
            blend_mask(&mut pixmap.as_mut(), 1, 0, w, h, &mask, color);
            assert_eq!(pixmap.data(), want.data(), "{color:?}");
        }
    }

    #[test]
    fn images_wholly_outside_the_canvas_are_skipped() {
        let mut pixmap = tiny_skia::Pixmap::new(10, 10).unwrap();
        let rgba = vec![255u8; 4 * 4 * 4];
        let mask = vec![255u8; 4 * 4];
        for (x, y) in [(-20, 2), (30, 2), (2, -20), (2, 30), (-4, -4), (10, 10)] {
            blend_rgba(&mut pixmap.as_mut(), x, y, 4, 4, &rgba, 255);
            blend_mask(&mut pixmap.as_mut(), x, y, 4, 4, &mask, Color::BLACK);
        }
        assert!(pixmap.pixels().iter().all(|p| p.alpha() == 0));
        blend_mask(&mut pixmap.as_mut(), -2, -2, 4, 4, &mask, Color::BLACK);
        assert_eq!(
            pixmap.pixel(1, 1).unwrap().alpha(),
            255,
            "the visible corner is drawn"
        );
    }
}
