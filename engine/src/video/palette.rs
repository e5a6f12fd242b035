//! A GIF's 256 colours: one palette for the whole video, learnt from a few frames
//! (the empty chat, the middle, the end: a conversation's colours are its bubbles,
//! text and background, and they are all on screen by the end), then every frame's
//! pixels mapped to it. No dithering: flat UI colours stay flat, text stays crisp,
//! and unchanged areas stay byte-identical between frames, which is what keeps an
//! animated GIF small.

use std::collections::HashMap;

use color_quant::NeuQuant;

/// Index of the transparent entry when the video has alpha.
pub(super) const CLEAR: u8 = 255;

/// How many times one colour counts at most when the palette is learnt.
const WEIGHT_CAP: u32 = 64;

/// How many of the most frequent colours are made exact in the palette.
const EXACT: usize = 32;

/// A palette and a memo of the colours mapped so far.
pub(super) struct Palette {
    quant: NeuQuant,
    /// RGB triples, 256 of them.
    rgb: Vec<u8>,
    alpha: bool,
    /// Index + 1 of every 24-bit colour seen (0: not looked up yet). Zeroed pages
    /// are only touched for colours that occur, a few hundred kilobytes in practice.
    memo: Vec<u16>,
}

impl Palette {
    /// Learns the palette from premultiplied RGBA samples. With `alpha`, the last
    /// entry is reserved for transparent pixels (alpha under one half).
    pub(super) fn learn(samples: &[&[u8]], alpha: bool) -> Palette {
        // Each colour weighs as often as it occurs, up to a cap: the background
        // alone would otherwise pull most entries to its few shades and leave a
        // red heart or an avatar's tint a muddy neighbour.
        let mut counts: HashMap<[u8; 3], u32> = HashMap::new();
        for sample in samples {
            for p in sample.chunks_exact(4) {
                if let Some(rgb) = opaque(p, alpha) {
                    *counts.entry(rgb).or_default() += 1;
                }
            }
        }
        let mut weighted: Vec<([u8; 3], u32)> = counts.into_iter().collect();
        // Deterministic order (a hash map's is not).
        weighted.sort_unstable();
        let mut pixels = Vec::new();
        for &(rgb, n) in &weighted {
            for _ in 0..n.min(WEIGHT_CAP) {
                pixels.extend_from_slice(&[rgb[0], rgb[1], rgb[2], 255]);
            }
        }
        if pixels.is_empty() {
            pixels.extend_from_slice(&[0, 0, 0, 255]);
        }
        let colours = if alpha { 255 } else { 256 };
        // Sample factor 10: the quality NeuQuant's author recommends at a tenth
        // of the full-sample time; a few frames are plenty of pixels.
        let quant = NeuQuant::new(10, colours, &pixels);
        let mut rgb = quant.color_map_rgb();
        // The transparent entry (with alpha) and any NeuQuant left unused: black.
        rgb.resize(256 * 3, 0);
        // The background, bubbles and text colours cover most of every frame: the
        // entry each of them maps to becomes that colour exactly (the most frequent
        // first; an entry taken stays taken).
        weighted.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut taken = [false; 256];
        for &(c, _) in weighted.iter().take(EXACT) {
            let i = quant.index_of(&[c[0], c[1], c[2], 255]);
            if !taken[i] {
                taken[i] = true;
                rgb[i * 3..i * 3 + 3].copy_from_slice(&c);
            }
        }
        Palette {
            quant,
            rgb,
            alpha,
            memo: vec![0; 1 << 24],
        }
    }

    /// RGB triples, as GIF's colour table holds them.
    pub(super) fn rgb(&self) -> &[u8] {
        &self.rgb
    }

    /// Whether index [`CLEAR`] stands for transparent pixels.
    pub(super) fn alpha(&self) -> bool {
        self.alpha
    }

    /// Maps one frame's premultiplied RGBA pixels to palette indices, row by row
    /// into `out` (rows `stride` bytes apart).
    pub(super) fn map(&mut self, rgba: &[u8], width: usize, out: &mut [u8], stride: usize) {
        for (src, dst) in rgba.chunks_exact(width * 4).zip(out.chunks_mut(stride)) {
            for (p, index) in src.chunks_exact(4).zip(dst.iter_mut()) {
                *index = match opaque(p, self.alpha) {
                    None => CLEAR,
                    Some(rgb) => {
                        let key = (usize::from(rgb[0]) << 16)
                            | (usize::from(rgb[1]) << 8)
                            | usize::from(rgb[2]);
                        match self.memo[key] {
                            0 => {
                                let i = self.quant.index_of(&[rgb[0], rgb[1], rgb[2], 255]) as u8;
                                self.memo[key] = u16::from(i) + 1;
                                i
                            }
                            m => (m - 1) as u8,
                        }
                    }
                };
            }
        }
    }
}

/// A pixel's straight colour, or `None` when it counts as transparent.
fn opaque(p: &[u8], alpha: bool) -> Option<[u8; 3]> {
    let a = u16::from(p[3]);
    if !alpha || a == 255 {
        return Some([p[0], p[1], p[2]]);
    }
    if a < 128 {
        return None;
    }
    let un = |c: u8| ((u16::from(c) * 255 + a / 2) / a).min(255) as u8;
    Some([un(p[0]), un(p[1]), un(p[2])])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn solid(rgba: [u8; 4], n: usize) -> Vec<u8> {
        rgba.iter().copied().cycle().take(n * 4).collect()
    }

    #[test]
    fn flat_colours_map_to_themselves() {
        let mut sample = solid([255, 255, 255, 255], 500);
        sample.extend(solid([0, 122, 255, 255], 300));
        sample.extend(solid([0, 0, 0, 255], 200));
        let mut palette = Palette::learn(&[&sample], false);
        let mut out = vec![0; 3];
        let frame = [255, 255, 255, 255, 0, 122, 255, 255, 0, 0, 0, 255];
        palette.map(&frame, 3, &mut out, 3);
        for (i, want) in [[255, 255, 255], [0, 122, 255], [0, 0, 0]]
            .iter()
            .enumerate()
        {
            let at = usize::from(out[i]) * 3;
            let got = &palette.rgb()[at..at + 3];
            for c in 0..3 {
                assert!(
                    got[c].abs_diff(want[c]) <= 4,
                    "pixel {i}: {got:?} for {want:?}"
                );
            }
        }
    }

    #[test]
    fn transparent_pixels_take_the_clear_entry() {
        let mut sample = solid([0, 0, 0, 0], 100);
        sample.extend(solid([200, 10, 10, 255], 100));
        let mut palette = Palette::learn(&[&sample], true);
        assert!(palette.alpha());
        let mut out = vec![0; 2];
        palette.map(&[0, 0, 0, 0, 200, 10, 10, 255], 2, &mut out, 2);
        assert_eq!(out[0], CLEAR);
        assert_ne!(out[1], CLEAR);
    }
}
