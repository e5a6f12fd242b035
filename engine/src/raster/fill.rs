//! The fast path for the largest fills of a picture (backgrounds, bars, wallpapers):
//! rectangles on whole pixels in a solid colour, a vertical gradient or a tile,
//! written straight into the pixels without tiny-skia's path pipeline.

use tiny_skia::{PixmapMut, Transform};

use super::{div255, div255_u16};
use crate::scene::{Color, Paint, Rect};

/// Fills a rectangle (in pixels) whose edges fall on whole pixels without the path
/// pipeline: backgrounds, bars and wallpapers, the largest fills of a picture, in a
/// solid colour, a vertical gradient or a repeated tile. Returns false, having drawn
/// nothing, when the edges are fractional or the paint is of another kind. `ts` maps
/// the paint's coordinates to pixels.
pub(super) fn fill_aligned_rect(
    pixmap: &mut PixmapMut<'_>,
    r: Rect,
    paint: &Paint,
    ts: Transform,
) -> bool {
    let Some((x0, y0, x1, y1)) = aligned(pixmap, r) else {
        return false;
    };
    let stride = pixmap.width() as usize * 4;
    match paint {
        Paint::Solid(c) => {
            if c.a == 0 || x0 >= x1 || y0 >= y1 {
                return true;
            }
            let src = premultiplied(*c);
            let data = pixmap.data_mut();
            for y in y0..y1 {
                blend_span(&mut data[y * stride + x0 * 4..y * stride + x1 * 4], src);
            }
            true
        }
        Paint::Linear { .. } => {
            let Some(row_color) = RowColor::of(paint, ts) else {
                return false;
            };
            let data = pixmap.data_mut();
            for y in y0..y1 {
                blend_span(
                    &mut data[y * stride + x0 * 4..y * stride + x1 * 4],
                    premultiplied(row_color.at(y)),
                );
            }
            true
        }
        Paint::Tile { .. } => tile_rows(pixmap, (x0, y0, x1, y1), paint, ts, None),
    }
}

/// The pixel bounds of `r` when its edges fall on whole pixels.
pub(super) fn aligned(pixmap: &PixmapMut<'_>, r: Rect) -> Option<(usize, usize, usize, usize)> {
    let edges = [r.x, r.y, r.right(), r.bottom()];
    if edges.iter().any(|e| (e - e.round()).abs() > 1e-3) {
        return None;
    }
    let (pw, ph) = (pixmap.width() as i64, pixmap.height() as i64);
    Some((
        (edges[0].round() as i64).clamp(0, pw) as usize,
        (edges[1].round() as i64).clamp(0, ph) as usize,
        (edges[2].round() as i64).clamp(0, pw) as usize,
        (edges[3].round() as i64).clamp(0, ph) as usize,
    ))
}

/// Blends a tile's rows over the pixels `x0..x1` × `y0..y1`, or over the rows of
/// an opaque `base` written in the same pass. False when the tile is transformed.
pub(super) fn tile_rows(
    pixmap: &mut PixmapMut<'_>,
    (x0, y0, x1, y1): (usize, usize, usize, usize),
    paint: &Paint,
    ts: Transform,
    base: Option<&RowColor<'_>>,
) -> bool {
    let Paint::Tile { pixels, origin } = paint else {
        return false;
    };
    if ts.kx != 0.0 || ts.ky != 0.0 {
        return false;
    }
    let mut o = tiny_skia::Point::from_xy(origin.0, origin.1);
    ts.map_point(&mut o);
    // A pixmap is never empty (tiny-skia refuses a zero side).
    let (tw, th) = (pixels.width() as i64, pixels.height() as i64);
    let stride = pixmap.width() as usize * 4;
    let (ox, oy) = (o.x.round() as i64, o.y.round() as i64);
    let tile = pixels.data();
    let data = pixmap.data_mut();
    for y in y0..y1 {
        let ty = (y as i64 - oy).rem_euclid(th) as usize;
        let src_row = &tile[ty * tw as usize * 4..(ty + 1) * tw as usize * 4];
        let mut dst = &mut data[y * stride + x0 * 4..y * stride + x1 * 4];
        let mut tx = (x0 as i64 - ox).rem_euclid(tw) as usize;
        let under = base.map(|b| {
            let c = premultiplied(b.at(y));
            [c[0] as u8, c[1] as u8, c[2] as u8, c[3] as u8]
        });
        // The row in runs up to the tile's right edge, each blended whole.
        while !dst.is_empty() {
            let n = (tw as usize - tx).min(dst.len() / 4);
            let (run, rest) = dst.split_at_mut(n * 4);
            let src = &src_row[tx * 4..(tx + n) * 4];
            match under {
                Some(px) => blend_pixels_over(run, src, px),
                None => blend_pixels(run, src),
            }
            dst = rest;
            tx = 0;
        }
    }
    true
}

/// The colour of each pixel row under a solid or vertical-gradient paint.
pub(super) enum RowColor<'a> {
    Solid(Color),
    /// The gradient's stops, and where it starts and how far it runs (pixels).
    Vertical(&'a [(f32, Color)], f32, f32),
}

impl<'a> RowColor<'a> {
    pub(super) fn of(paint: &'a Paint, ts: Transform) -> Option<RowColor<'a>> {
        match paint {
            Paint::Solid(c) => Some(RowColor::Solid(*c)),
            Paint::Linear {
                from, to, stops, ..
            } if from.0 == to.0 && ts.kx == 0.0 => {
                let (mut a, mut b) = (
                    tiny_skia::Point::from_xy(from.0, from.1),
                    tiny_skia::Point::from_xy(to.0, to.1),
                );
                ts.map_point(&mut a);
                ts.map_point(&mut b);
                let span = (b.y - a.y).abs().max(1e-3) * (b.y - a.y).signum();
                Some(RowColor::Vertical(stops, a.y, span))
            }
            _ => None,
        }
    }

    fn at(&self, y: usize) -> Color {
        match *self {
            RowColor::Solid(c) => c,
            RowColor::Vertical(stops, start, span) => {
                gradient_at(stops, ((y as f32 + 0.5 - start) / span).clamp(0.0, 1.0))
            }
        }
    }

    pub(super) fn opaque(&self) -> bool {
        match self {
            RowColor::Solid(c) => c.a == 255,
            RowColor::Vertical(stops, ..) => stops.iter().all(|(_, c)| c.a == 255),
        }
    }
}

/// A colour premultiplied by its alpha, as the pixmap stores it.
fn premultiplied(c: Color) -> [u32; 4] {
    let a = u32::from(c.a);
    [
        div255(u32::from(c.r) * a),
        div255(u32::from(c.g) * a),
        div255(u32::from(c.b) * a),
        a,
    ]
}

/// Source-over of one premultiplied colour along a row of pixels.
// Kept out of line: inlined into its caller the loop below lost its vectorisation
// and the 12-message still took 20% longer to paint.
#[inline(never)]
fn blend_span(row: &mut [u8], src: [u32; 4]) {
    if src[3] == 255 {
        let px = [src[0] as u8, src[1] as u8, src[2] as u8, 255];
        for dst in row.chunks_exact_mut(4) {
            dst.copy_from_slice(&px);
        }
        return;
    }
    let inv = 255 - src[3];
    // Four pixels at a time, channel by channel, in 16-bit lanes (255 × 255 and
    // the rounding fit), so the compiler can use vectors twice as wide as u32's.
    let wide: [u16; 16] = std::array::from_fn(|i| src[i % 4] as u16);
    let inv16 = inv as u16;
    let mut quads = row.chunks_exact_mut(16);
    for quad in &mut quads {
        for (d, s) in quad.iter_mut().zip(wide) {
            *d = (s + div255_u16(u16::from(*d) * inv16)) as u8;
        }
    }
    for px in quads.into_remainder().chunks_exact_mut(4) {
        for ch in 0..4 {
            px[ch] = (src[ch] + div255(u32::from(px[ch]) * inv)) as u8;
        }
    }
}

/// Source-over of premultiplied pixels `src` onto `dst`, pixel for pixel.
#[inline(never)]
fn blend_pixels(dst: &mut [u8], src: &[u8]) {
    blend_run::<false>(dst, src, [0; 4]);
}

/// [`blend_pixels`] of `src` over a run of the opaque pixel `under`, which `dst`
/// need not hold: it is only written.
#[inline(never)]
fn blend_pixels_over(dst: &mut [u8], src: &[u8], under: [u8; 4]) {
    blend_run::<true>(dst, src, under);
}

/// Source-over of `src` onto what `dst` holds, or (`OVER`) onto `under`. Four
/// pixels at a time, channel by channel and without branches, so the compiler can
/// use vectors; a transparent source pixel leaves what was under it
/// (`div255(d * 255) == d`).
#[inline(always)]
fn blend_run<const OVER: bool>(dst: &mut [u8], src: &[u8], under: [u8; 4]) {
    let wide: [u8; 16] = std::array::from_fn(|i| under[i % 4]);
    let mut dst_quads = dst.chunks_exact_mut(16);
    let mut src_quads = src.chunks_exact(16);
    for (d, s) in (&mut dst_quads).zip(&mut src_quads) {
        if s[3] | s[7] | s[11] | s[15] == 0 {
            // Four transparent pixels (most of a doodle tile).
            if OVER {
                d.copy_from_slice(&wide);
            }
            continue;
        }
        // In 16-bit lanes, as in `blend_span`.
        let inv: [u16; 16] = std::array::from_fn(|i| 255 - u16::from(s[i / 4 * 4 + 3]));
        for i in 0..16 {
            let below = if OVER { wide[i] } else { d[i] };
            d[i] = (u16::from(s[i]) + div255_u16(u16::from(below) * inv[i])) as u8;
        }
    }
    let (d, s) = (dst_quads.into_remainder(), src_quads.remainder());
    for (dp, sp) in d.chunks_exact_mut(4).zip(s.chunks_exact(4)) {
        let inv = 255 - u32::from(sp[3]);
        for ch in 0..4 {
            let below = if OVER { under[ch] } else { dp[ch] };
            dp[ch] = (u32::from(sp[ch]) + div255(u32::from(below) * inv)) as u8;
        }
    }
}

/// The colour of a gradient at `t` (0–1) between its stops.
fn gradient_at(stops: &[(f32, Color)], t: f32) -> Color {
    let Some(first) = stops.first() else {
        return Color::TRANSPARENT;
    };
    let mut prev = *first;
    for &(pos, c) in stops {
        if t <= pos {
            let k = if pos > prev.0 {
                (t - prev.0) / (pos - prev.0)
            } else {
                1.0
            };
            let mix =
                |a: u8, b: u8| (f32::from(a) + (f32::from(b) - f32::from(a)) * k).round() as u8;
            return Color::rgba(
                mix(prev.1.r, c.r),
                mix(prev.1.g, c.g),
                mix(prev.1.b, c.b),
                mix(prev.1.a, c.a),
            );
        }
        prev = (pos, c);
    }
    prev.1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_16_bit_division_by_255_agrees_with_the_32_bit_one() {
        for a in 0..=255u16 {
            for b in 0..=255u16 {
                assert_eq!(u32::from(div255_u16(a * b)), div255(u32::from(a * b)));
            }
        }
    }
}
