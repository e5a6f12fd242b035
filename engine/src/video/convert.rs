//! Painted frames (premultiplied RGBA) turned into what each codec is fed: YUV
//! 4:2:0 for H.264, VP9 and WebP (with an alpha plane when the video has one),
//! 10-bit YUV 4:4:4 with alpha for ProRes 4444, palette indices for GIF (written
//! by our own GIF writer, not FFmpeg).

use std::sync::mpsc;

use ffmpeg::{format, frame};
use ffmpeg_next as ffmpeg;
use yuvutils_rs::{
    BufferStoreMut, YuvConversionMode, YuvPlanarImageMut, YuvRange, YuvStandardMatrix,
    rgba_to_yuv420, rgba_to_yuv444,
};

use super::palette::Palette;
use super::{Container, Picture};
use crate::Error;
use crate::payload::VideoFormat;

/// Turns frames of one size into one pixel format. Buffers are kept between
/// frames; each call fills an FFmpeg frame the encoder sent back when it has one
/// (see [`Converter::recycle`]), or a new one.
pub(super) struct Converter {
    width: u32,
    height: u32,
    kind: Kind,
    /// Colour with alpha divided out (the codecs with alpha want it straight).
    straight: Vec<u8>,
    planes: [Vec<u8>; 4],
    /// Frames the encoder is done with.
    recycled: Option<mpsc::Receiver<frame::Video>>,
}

pub(super) enum Kind {
    /// BT.709 limited range 4:2:0; an alpha plane when `alpha`.
    Yuv420 { alpha: bool },
    /// BT.709 limited range 4:4:4, 10 bits, with alpha (ProRes 4444).
    Yuva444p10,
    /// Indices into one palette.
    Pal8(Box<Palette>),
}

impl Kind {
    /// What a container's codec is fed. `samples` (a few painted frames) is asked
    /// for only by GIF, whose palette is learnt from them.
    pub(super) fn of(
        container: Container,
        samples: impl FnOnce() -> Result<Vec<Vec<u8>>, Error>,
    ) -> Result<Kind, Error> {
        Ok(match container.format {
            VideoFormat::Mp4 | VideoFormat::Webm | VideoFormat::Webp => Kind::Yuv420 {
                alpha: container.alpha,
            },
            VideoFormat::Mov => Kind::Yuva444p10,
            VideoFormat::Gif => {
                let samples = samples()?;
                let samples: Vec<&[u8]> = samples.iter().map(Vec::as_slice).collect();
                Kind::Pal8(Box::new(Palette::learn(&samples, container.alpha)))
            }
        })
    }

    pub(super) fn pixel(&self) -> format::Pixel {
        match self {
            Kind::Yuv420 { alpha: false } => format::Pixel::YUV420P,
            Kind::Yuv420 { alpha: true } => format::Pixel::YUVA420P,
            Kind::Yuva444p10 => format::Pixel::YUVA444P10LE,
            Kind::Pal8(_) => format::Pixel::PAL8,
        }
    }
}

impl Converter {
    pub(super) fn new(width: u32, height: u32, kind: Kind) -> Converter {
        let (w, h) = (width as usize, height as usize);
        let (cw, ch) = match kind {
            Kind::Yuv420 { .. } => (w.div_ceil(2), h.div_ceil(2)),
            Kind::Yuva444p10 => (w, h),
            Kind::Pal8(_) => (0, 0),
        };
        let alpha = matches!(kind, Kind::Yuv420 { alpha: true } | Kind::Yuva444p10);
        let luma = if matches!(kind, Kind::Pal8(_)) {
            0
        } else {
            w * h
        };
        Converter {
            width,
            height,
            kind,
            straight: Vec::new(),
            planes: [
                vec![0; luma],
                vec![0; cw * ch],
                vec![0; cw * ch],
                if alpha { vec![0; w * h] } else { Vec::new() },
            ],
            recycled: None,
        }
    }

    /// Where the encoder sends the frames it is done with, to be filled again. At
    /// most the frames in flight exist at once: a new one is made only when none
    /// has come back.
    pub(super) fn recycle(&mut self) -> mpsc::Sender<frame::Video> {
        let (tx, rx) = mpsc::channel();
        self.recycled = Some(rx);
        tx
    }

    pub(super) fn pixel(&self) -> format::Pixel {
        self.kind.pixel()
    }

    /// The palette and whether it has a transparent entry, for an indexed video.
    pub(super) fn palette(&self) -> Option<(Vec<u8>, bool)> {
        match &self.kind {
            Kind::Pal8(p) => Some((p.rgb().to_vec(), p.alpha())),
            _ => None,
        }
    }

    /// Converts one premultiplied RGBA frame into an FFmpeg frame, or palette
    /// indices for GIF. With `rows` (top inclusive, bottom exclusive), only those
    /// rows changed since the frame converted before: only they are converted
    /// again (the planes keep the rest).
    pub(super) fn frame(
        &mut self,
        rgba: &[u8],
        rows: Option<&[(u32, u32)]>,
    ) -> Result<Picture, String> {
        let (w, h) = (self.width, self.height);
        if let Kind::Pal8(palette) = &mut self.kind {
            let mut indices = vec![0; w as usize * h as usize];
            palette.map(rgba, w as usize, &mut indices, w as usize);
            return Ok(Picture::Indexed(indices));
        }
        let pixel = self.pixel();
        let mut out = self
            .recycled
            .as_ref()
            .and_then(|r| r.try_recv().ok())
            .filter(|f| (f.format(), f.width(), f.height()) == (pixel, w, h))
            .unwrap_or_else(|| frame::Video::new(pixel, w, h));
        let all = [(0, h)];
        let rows = rows.unwrap_or(&all);
        match self.kind {
            Kind::Yuv420 { alpha } => {
                for &span in rows {
                    // Whole pairs of rows: chroma is shared by two.
                    let span = (span.0 & !1, (span.1 + (span.1 & 1)).min(h));
                    if alpha {
                        self.unpremultiply(rgba, span);
                    }
                    self.yuv(rgba, alpha, false, span)?;
                }
                let planes = if alpha { 4 } else { 3 };
                self.copy_planes(&mut out, planes, |p| p == 1 || p == 2);
            }
            Kind::Yuva444p10 | Kind::Pal8(_) => {
                for &span in rows {
                    let span = (span.0, span.1.min(h));
                    self.unpremultiply(rgba, span);
                    self.yuv(rgba, true, true, span)?;
                }
                self.widen_planes(&mut out);
            }
        }
        Ok(Picture::Video(out))
    }

    /// Copies the four 8-bit 4:4:4 planes into a 10-bit frame: limited-range levels
    /// stay in place (16 → 64, 235 → 940), full-range alpha spans 0–1023.
    fn widen_planes(&self, out: &mut frame::Video) {
        let w = self.width as usize;
        for p in 0..4 {
            let stride = out.stride(p);
            let dst = out.data_mut(p);
            for (row_in, row_out) in self.planes[p].chunks_exact(w).zip(dst.chunks_mut(stride)) {
                for (v, o) in row_in.iter().zip(row_out.chunks_exact_mut(2)) {
                    let v = u16::from(*v);
                    let wide = if p == 3 { (v << 2) | (v >> 6) } else { v << 2 };
                    o.copy_from_slice(&wide.to_le_bytes());
                }
            }
        }
    }

    /// The rows `top..bottom` of `rgba` as straight colour into `self.straight`,
    /// alpha into the fourth plane (the codecs with alpha want colour undivided).
    fn unpremultiply(&mut self, rgba: &[u8], (top, bottom): (u32, u32)) {
        let w = self.width as usize;
        let (from, to) = (top as usize * w, bottom as usize * w);
        self.straight.resize(rgba.len(), 0);
        let src = &rgba[from * 4..to * 4];
        for (o, p) in self.straight[from * 4..to * 4]
            .chunks_exact_mut(4)
            .zip(src.chunks_exact(4))
        {
            let a = u16::from(p[3]);
            if a == 0 || a == 255 {
                o.copy_from_slice(p);
            } else {
                let un = |c: u8| ((u16::from(c) * 255 + a / 2) / a).min(255) as u8;
                o.copy_from_slice(&[un(p[0]), un(p[1]), un(p[2]), p[3]]);
            }
        }
        for (dst, src) in self.planes[3][from..to].iter_mut().zip(src.chunks_exact(4)) {
            *dst = src[3];
        }
    }

    /// BT.709 limited-range Y, U and V planes of the rows `top..bottom` (whole
    /// pairs for 4:2:0) of `rgba`, or of its straight copy when `straight` (SIMD).
    fn yuv(
        &mut self,
        rgba: &[u8],
        straight: bool,
        full_chroma: bool,
        (top, bottom): (u32, u32),
    ) -> Result<(), String> {
        let w = self.width;
        let (cw, (c0, c1)) = if full_chroma {
            (w, (top, bottom))
        } else {
            (w.div_ceil(2), (top / 2, bottom.div_ceil(2)))
        };
        let (wu, cwu) = (w as usize, cw as usize);
        let source = if straight { &self.straight[..] } else { rgba };
        let source = &source[top as usize * wu * 4..bottom as usize * wu * 4];
        let [y, u, v, _] = &mut self.planes;
        let mut image = YuvPlanarImageMut {
            y_plane: BufferStoreMut::Borrowed(&mut y[top as usize * wu..bottom as usize * wu]),
            y_stride: w,
            u_plane: BufferStoreMut::Borrowed(&mut u[c0 as usize * cwu..c1 as usize * cwu]),
            u_stride: cw,
            v_plane: BufferStoreMut::Borrowed(&mut v[c0 as usize * cwu..c1 as usize * cwu]),
            v_stride: cw,
            width: w,
            height: bottom - top,
        };
        let convert = if full_chroma {
            rgba_to_yuv444
        } else {
            rgba_to_yuv420
        };
        convert(
            &mut image,
            source,
            w * 4,
            YuvRange::Limited,
            YuvStandardMatrix::Bt709,
            YuvConversionMode::Balanced,
        )
        .map_err(|e| format!("colour conversion: {e:?}"))
    }

    /// Copies the first `planes` 8-bit planes into the frame (its rows may be
    /// padded); `half` says which planes are subsampled.
    fn copy_planes(&self, out: &mut frame::Video, planes: usize, half: impl Fn(usize) -> bool) {
        let (w, h) = (self.width as usize, self.height as usize);
        for p in 0..planes {
            let (pw, ph) = if half(p) {
                (w.div_ceil(2), h.div_ceil(2))
            } else {
                (w, h)
            };
            let stride = out.stride(p);
            let dst = out.data_mut(p);
            for row in 0..ph {
                dst[row * stride..row * stride + pw]
                    .copy_from_slice(&self.planes[p][row * pw..(row + 1) * pw]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Premultiplied RGBA noise, `alpha` varied or opaque.
    fn noise(w: usize, h: usize, seed: u32, alpha: bool) -> Vec<u8> {
        let mut s = seed;
        let mut out = Vec::with_capacity(w * h * 4);
        for _ in 0..w * h {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            let [r, g, b, a] = s.to_le_bytes();
            let a = if alpha { a } else { 255 };
            let pm = |c: u8| ((u16::from(c) * u16::from(a) + 127) / 255) as u8;
            out.extend_from_slice(&[pm(r), pm(g), pm(b), a]);
        }
        out
    }

    /// Converting only the rows that changed since the frame before gives the
    /// planes a whole conversion gives: spans starting and ending on odd rows, one
    /// reaching the last row of an odd height, in every 8-bit and 10-bit layout.
    #[test]
    fn converting_changed_rows_gives_the_planes_of_a_whole_conversion() {
        let (w, h) = (21usize, 37usize);
        let rows = [(3u32, 8u32), (20, 37)];
        for kind in [
            Kind::Yuv420 { alpha: false },
            Kind::Yuv420 { alpha: true },
            Kind::Yuva444p10,
        ] {
            let alpha = !matches!(kind, Kind::Yuv420 { alpha: false });
            let before = noise(w, h, 7, alpha);
            let fresh = noise(w, h, 99, alpha);
            // The next frame: the first one with the rows of `rows` changed.
            let mut after = before.clone();
            for &(top, bottom) in &rows {
                let range = top as usize * w * 4..bottom as usize * w * 4;
                after[range.clone()].copy_from_slice(&fresh[range]);
            }
            let again = |k: &Kind| match k {
                Kind::Yuv420 { alpha } => Kind::Yuv420 { alpha: *alpha },
                _ => Kind::Yuva444p10,
            };
            let mut partial = Converter::new(w as u32, h as u32, again(&kind));
            let mut whole = Converter::new(w as u32, h as u32, kind);
            partial.frame(&before, None).unwrap();
            partial.frame(&after, Some(&rows)).unwrap();
            whole.frame(&after, None).unwrap();
            assert!(partial.planes == whole.planes, "{:?}", whole.pixel());
            // And the test can fail: the first frame's planes are not these.
            let mut stale = Converter::new(w as u32, h as u32, again(&whole.kind));
            stale.frame(&before, None).unwrap();
            assert!(stale.planes != whole.planes);
        }
    }
}
