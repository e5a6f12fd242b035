//! The backdrop blur of bar materials: three box blurs approximate a Gaussian.

use tiny_skia::PixmapMut;

use crate::scene::Rect;

/// Three box blurs approximate a Gaussian of the given radius; `rect` and `radius`
/// in pixels.
pub(super) fn blur_region(pixmap: &mut PixmapMut<'_>, rect: Rect, radius: f32) {
    let (pw, ph) = (pixmap.width() as i32, pixmap.height() as i32);
    let x0 = (rect.x.floor() as i32).clamp(0, pw) as usize;
    let y0 = (rect.y.floor() as i32).clamp(0, ph) as usize;
    let x1 = (rect.right().ceil() as i32).clamp(0, pw) as usize;
    let y1 = (rect.bottom().ceil() as i32).clamp(0, ph) as usize;
    let (w, h) = (x1.saturating_sub(x0), y1.saturating_sub(y0));
    let r = (radius / 2.0).round().max(1.0) as usize;
    if w < 2 || h < 2 {
        return;
    }
    let stride = pw as usize * 4;
    let data = pixmap.data_mut();
    // A plain backdrop (a bar over the empty top of a chat, the usual case) blurs to
    // itself: every window averages one colour.
    let first = &data[y0 * stride + x0 * 4..y0 * stride + x0 * 4 + 4];
    let first = u32::from_ne_bytes([first[0], first[1], first[2], first[3]]);
    let plain = (y0..y1).all(|y| {
        let row = &data[y * stride + x0 * 4..y * stride + x1 * 4];
        row.chunks_exact(4).fold(true, |same, px| {
            same & (u32::from_ne_bytes([px[0], px[1], px[2], px[3]]) == first)
        })
    });
    if plain {
        return;
    }
    // The rounded mean of every possible window sum, looked up instead of four
    // integer divisions per pixel and pass (which were most of a bar's cost).
    let window = 2 * r + 1;
    let means: Vec<u8> = (0..=255 * window)
        .map(|sum| ((sum + window / 2) / window) as u8)
        .collect();
    let mut line = vec![[0u8; 4]; w.max(h)];
    let mut out = vec![[0u8; 4]; w.max(h)];
    for _ in 0..3 {
        for y in 0..h {
            let start = (y0 + y) * stride + x0 * 4;
            for (x, px) in line[..w].iter_mut().enumerate() {
                px.copy_from_slice(&data[start + x * 4..start + x * 4 + 4]);
            }
            box_blur(&line[..w], &mut out[..w], r, &means);
            for (x, px) in out[..w].iter().enumerate() {
                data[start + x * 4..start + x * 4 + 4].copy_from_slice(px);
            }
        }
        for x in 0..w {
            let start = y0 * stride + (x0 + x) * 4;
            for (y, px) in line[..h].iter_mut().enumerate() {
                px.copy_from_slice(&data[start + y * stride..start + y * stride + 4]);
            }
            box_blur(&line[..h], &mut out[..h], r, &means);
            for (y, px) in out[..h].iter().enumerate() {
                data[start + y * stride..start + y * stride + 4].copy_from_slice(px);
            }
        }
    }
}

/// One box blur of a line of pixels with a running sum; edges are clamped. `means`
/// maps a window's sum to its rounded mean.
fn box_blur(src: &[[u8; 4]], dst: &mut [[u8; 4]], r: usize, means: &[u8]) {
    let n = src.len();
    let at = |i: isize| src[i.clamp(0, n as isize - 1) as usize];
    let mut sum = [0u32; 4];
    for i in -(r as isize)..=r as isize {
        let p = at(i);
        for c in 0..4 {
            sum[c] += u32::from(p[c]);
        }
    }
    for (i, out) in dst.iter_mut().enumerate() {
        for c in 0..4 {
            out[c] = means[sum[c] as usize];
        }
        let (add, sub) = (at(i as isize + r as isize + 1), at(i as isize - r as isize));
        for c in 0..4 {
            sum[c] = sum[c] + u32::from(add[c]) - u32::from(sub[c]);
        }
    }
}
