//! Pixmap → PNG bytes.
//!
//! PNG encoding is most of a still render's time (the png crate's default settings
//! take 35–60 ms for a phone screenshot; its fast mode several milliseconds on one
//! core), so the picture is cut into stripes of rows that are filtered and
//! compressed on every core at once ([`deflate`]) and joined into one zlib stream.
//! Opaque pictures are written as RGB.

mod deflate;
mod filter;

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use tiny_skia::{Pixmap, PremultipliedColorU8};

use crate::{Cancel, Error};

/// Rows per stripe. A stripe's bytes depend only on its rows, so this (not the
/// number of cores) decides the output: the same picture gives the same bytes on
/// every machine. 128 rows of a 2x phone screenshot are ~300 KB: enough for a
/// stripe's own Huffman code to pay for its ~150-byte header, small enough to
/// share out evenly between cores.
const STRIPE_ROWS: usize = 128;
/// Threads one encode uses at most (the server runs several renders at once).
const MAX_THREADS: usize = 4;
/// IDAT chunks are written once this many bytes are ready (decoders read any size).
const IDAT_BYTES: usize = 1 << 20;

/// Encodes a premultiplied pixmap as a PNG. `scale` is recorded as the pixel density
/// (72 dpi × scale), so image viewers show a 2x screenshot at its point size.
///
/// Each stripe is converted, filtered and compressed by one thread at a time, and
/// handed to the PNG as soon as the stripes are joined: a 250 MB canvas gets no
/// second full-size copy on its way out, and its compressed bytes are held once.
pub fn png(pixmap: &Pixmap, scale: f32, cancel: &Cancel) -> Result<Vec<u8>, Error> {
    png_of(pixmap, scale, None, cancel)
}

/// [`png`] of a picture known to be opaque (`Some(true)`: painted over an opaque
/// background), which spares looking at every alpha byte (a twentieth of the
/// encode); `None` looks.
pub(crate) fn png_of(
    pixmap: &Pixmap,
    scale: f32,
    opaque: Option<bool>,
    cancel: &Cancel,
) -> Result<Vec<u8>, Error> {
    let threads = crate::cores();
    encode(pixmap, scale, threads.min(MAX_THREADS), opaque, cancel)
}

/// [`png`] on at most `threads` threads; the bytes are the same for any number.
#[doc(hidden)] // for the benchmarks' one-core comparison
pub fn png_with_threads(
    pixmap: &Pixmap,
    scale: f32,
    threads: usize,
    cancel: &Cancel,
) -> Result<Vec<u8>, Error> {
    encode(pixmap, scale, threads, None, cancel)
}

fn encode(
    pixmap: &Pixmap,
    scale: f32,
    threads: usize,
    opaque: Option<bool>,
    cancel: &Cancel,
) -> Result<Vec<u8>, Error> {
    let (w, h) = (pixmap.width(), pixmap.height());
    debug_assert!(opaque.is_none() || opaque == Some(is_opaque(pixmap.data())));
    let opaque = opaque.unwrap_or_else(|| is_opaque(pixmap.data()));
    let rows: Vec<&[PremultipliedColorU8]> = pixmap.pixels().chunks_exact(w as usize).collect();
    let stripes = compress_stripes(&rows, opaque, threads, cancel)?;
    assemble(stripes, (w, h), opaque, scale)
}

/// The PNG of a picture `size` pixels whose rows are compressed in `stripes`, in
/// order (the last one compressed as the last).
fn assemble(
    stripes: Vec<deflate::Stripe>,
    (w, h): (u32, u32),
    opaque: bool,
    scale: f32,
) -> Result<Vec<u8>, Error> {
    let compressed: usize = stripes.iter().map(|s| s.bytes.len()).sum();
    let mut out = Vec::with_capacity(compressed + 256);
    let err = |e: png::EncodingError| Error::Encode(e.to_string());
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(if opaque {
        png::ColorType::Rgb
    } else {
        png::ColorType::Rgba
    });
    enc.set_depth(png::BitDepth::Eight);
    enc.set_source_srgb(png::SrgbRenderingIntent::Perceptual);
    let ppm = (72.0 * scale / 0.0254).round() as u32;
    enc.set_pixel_dims(Some(png::PixelDimensions {
        xppu: ppm,
        yppu: ppm,
        unit: png::Unit::Meter,
    }));
    let mut writer = enc.write_header().map_err(err)?;
    // Pieces of the zlib stream gathered into IDAT chunks of about IDAT_BYTES (a
    // chunk may end anywhere in the stream).
    let mut pending = Vec::with_capacity(IDAT_BYTES);
    deflate::zlib_pieces(stripes, |piece| {
        pending.extend_from_slice(piece);
        if pending.len() >= IDAT_BYTES {
            writer.write_chunk(png::chunk::IDAT, &pending)?;
            pending.clear();
        }
        Ok(())
    })
    .map_err(err)?;
    writer
        .write_chunk(png::chunk::IDAT, &pending)
        .map_err(err)?;
    writer.finish().map_err(err)?;
    Ok(out)
}

/// A still's PNG compressed band by band while it is painted: once a band is
/// painted, its stripes are filtered and compressed at once, while its rows are
/// still in cache, instead of every row being read back from memory after the
/// whole picture is done (and one more round of threads started for it). Each
/// stripe is a task of its own, so a core that has run out of bands to paint
/// helps with the stripes of a band another core has painted.
///
/// A band's first row is filtered without the row above it (another band's, maybe
/// not painted yet); the bands depend only on the scene, so the bytes are the
/// same on every machine whatever the number of cores, and whichever thread
/// compresses which stripe.
pub(crate) struct BandStripes {
    width: u32,
    opaque: bool,
    /// Every stripe compressed so far: its band, its place in the band, its rows.
    done: Mutex<Vec<(usize, usize, u32, deflate::Stripe)>>,
}

/// What a thread compressing stripes keeps from one stripe to the next (the
/// filter's rows, so they are not allocated again).
#[derive(Default)]
pub(crate) struct StripeScratch(filter::Filter);

impl BandStripes {
    /// Stripes of a picture `width` pixels wide, written as RGB when `opaque`
    /// (the caller knows every pixel will be).
    pub(crate) fn new(width: u32, opaque: bool) -> Self {
        BandStripes {
            width,
            opaque,
            done: Mutex::new(Vec::new()),
        }
    }

    /// How many stripes a band of pixels `data` is compressed in.
    pub(crate) fn stripes_in(&self, data: &[u8]) -> usize {
        (data.len() / (self.width as usize * 4)).div_ceil(STRIPE_ROWS)
    }

    /// Compresses stripe `stripe` of band `band` (`last`: the picture's last band),
    /// the band's pixels being `data`, once `cancel` is not raised.
    pub(crate) fn stripe(
        &self,
        (band, stripe): (usize, usize),
        last: bool,
        data: &[u8],
        scratch: &mut StripeScratch,
        cancel: &Cancel,
    ) -> Result<(), Error> {
        cancel.check()?;
        let w = self.width as usize;
        let height = data.len() / (w * 4);
        let pixels = tiny_skia::PixmapRef::from_bytes(data, self.width, height as u32)
            .ok_or_else(|| Error::Encode(format!("a band of {height} rows")))?
            .pixels();
        let rows: Vec<&[PremultipliedColorU8]> = pixels.chunks_exact(w).collect();
        let count = height.div_ceil(STRIPE_ROWS);
        let first = (stripe * STRIPE_ROWS).min(height);
        let rows_in = (height - first).min(STRIPE_ROWS);
        debug_assert!(
            !self.opaque || is_opaque(&data[first * w * 4..(first + rows_in) * w * 4]),
            "an opaque still is opaque"
        );
        let compressed = compress_stripe(
            &rows,
            stripe,
            self.opaque,
            last && stripe + 1 == count,
            &mut scratch.0,
        );
        self.done.lock().unwrap_or_else(|e| e.into_inner()).push((
            band,
            stripe,
            rows_in as u32,
            compressed,
        ));
        Ok(())
    }

    /// The PNG of the picture (`size` pixels; every band compressed), at `scale`.
    pub(crate) fn png(self, size: (u32, u32), scale: f32) -> Result<Vec<u8>, Error> {
        let mut done = self.done.into_inner().unwrap_or_else(|e| e.into_inner());
        done.sort_by_key(|&(band, stripe, ..)| (band, stripe));
        let rows: u32 = done.iter().map(|&(.., rows, _)| rows).sum();
        // Each band's stripes from its first on, bands from the first on, no gap.
        let in_order = done
            .first()
            .is_none_or(|&(band, stripe, ..)| (band, stripe) == (0, 0))
            && done.windows(2).all(|pair| {
                let ((b0, s0, ..), (b1, s1, ..)) = (&pair[0], &pair[1]);
                (*b1, *s1) == (*b0, s0 + 1) || (*b1, *s1) == (b0 + 1, 0)
            });
        if rows != size.1 || !in_order {
            return Err(Error::Encode(format!(
                "stripes of {rows} rows compressed for a picture of {}",
                size.1
            )));
        }
        let stripes = done.into_iter().map(|(.., stripe)| stripe).collect();
        assemble(stripes, size, self.opaque, scale)
    }
}

/// Filters and compresses the rows stripe by stripe on up to `threads` threads
/// (the caller's among them), each taking the next stripe not yet taken.
fn compress_stripes(
    rows: &[&[PremultipliedColorU8]],
    opaque: bool,
    threads: usize,
    cancel: &Cancel,
) -> Result<Vec<deflate::Stripe>, Error> {
    let count = rows.len().div_ceil(STRIPE_ROWS).max(1);
    let threads = threads.clamp(1, count);
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<Option<deflate::Stripe>>> = Mutex::new((0..count).map(|_| None).collect());
    let work = || -> Result<(), Error> {
        let mut filter = filter::Filter::default();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= count {
                return Ok(());
            }
            cancel.check()?;
            let stripe = compress_stripe(rows, i, opaque, i + 1 == count, &mut filter);
            done.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(stripe);
        }
    };
    std::thread::scope(|s| {
        let helpers: Vec<_> = (1..threads).map(|_| s.spawn(work)).collect();
        let mine = work();
        helpers
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .chain([mine])
            .collect::<Result<(), Error>>()
    })?;
    Ok(done
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|s| s.expect("every stripe was compressed"))
        .collect())
}

/// Filters and compresses stripe `i` of `rows` (the first row of `rows` is
/// filtered without a row above); `last` ends the zlib stream's final block.
fn compress_stripe(
    rows: &[&[PremultipliedColorU8]],
    i: usize,
    opaque: bool,
    last: bool,
    filter: &mut filter::Filter,
) -> deflate::Stripe {
    let span = (i * STRIPE_ROWS).min(rows.len())..((i + 1) * STRIPE_ROWS).min(rows.len());
    let mut stripe = deflate::Compressor::new();
    for y in span {
        let above = y.checked_sub(1).map(|a| rows[a]);
        filter.row(above, rows[y], opaque, &mut stripe);
    }
    stripe.finish(last)
}

/// Whether every alpha byte of RGBA `data` is 255, checked in blocks that the
/// compiler vectorises (a pixel-by-pixel test with an early exit was not).
fn is_opaque(data: &[u8]) -> bool {
    let mut blocks = data.chunks_exact(256);
    let whole = blocks.all(|block| {
        let mut alpha = 255u8;
        for px in block.chunks_exact(4) {
            alpha &= px[3];
        }
        alpha == 255
    });
    whole && blocks.remainder().chunks_exact(4).all(|px| px[3] == 255)
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

    /// A picture of many stripes with flat areas, gradients, noise and (optionally)
    /// transparency: every kind of row the filters and the compressor meet.
    fn busy_pixmap(opaque: bool) -> Pixmap {
        let (w, h) = (301u32, 700u32);
        let mut pm = Pixmap::new(w, h).unwrap();
        let mut seed = 7u32;
        for (i, px) in pm.pixels_mut().iter_mut().enumerate() {
            let (x, y) = (i as u32 % w, i as u32 / w);
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let (r, g, b) = match y / 100 {
                0 => (240, 240, 245),
                1 => ((x * 255 / w) as u8, (y % 256) as u8, 90),
                2 => ((seed >> 24) as u8, (seed >> 16) as u8, (seed >> 8) as u8),
                3 if x % 40 < 20 => (0, 122, 255),
                _ => ((x ^ y) as u8, 30, (y * 3) as u8),
            };
            let a = if opaque { 255 } else { ((x + y) % 256) as u8 };
            *px = tiny_skia::ColorU8::from_rgba(r, g, b, a).premultiply();
        }
        pm
    }

    #[test]
    fn striped_pictures_decode_to_their_exact_pixels() {
        for opaque in [true, false] {
            let pm = busy_pixmap(opaque);
            let bytes = png(&pm, 2.0, &Cancel::new()).unwrap();
            let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
            let mut reader = decoder.read_info().unwrap();
            let mut buf = vec![0; reader.output_buffer_size().unwrap()];
            let info = reader.next_frame(&mut buf).unwrap();
            assert_eq!((info.width, info.height), (pm.width(), pm.height()));
            let channels = if opaque { 3 } else { 4 };
            let expected: Vec<u8> = pm
                .pixels()
                .iter()
                .flat_map(|p| {
                    let c = p.demultiply();
                    [c.red(), c.green(), c.blue(), c.alpha()]
                })
                .enumerate()
                .filter(|(i, _)| channels == 4 || i % 4 != 3)
                .map(|(_, b)| b)
                .collect();
            assert!(
                buf[..info.buffer_size()] == expected[..],
                "opaque: {opaque}"
            );
            // A second decoder, and a checksum check, agree.
            let img = image::load_from_memory(&bytes).unwrap();
            assert_eq!(img.width(), pm.width());
        }
    }

    /// Rows that differ from the row above in a few places — in the first block,
    /// the last (partial) block, one in the middle — and in many: every path of the
    /// row filter, opaque and transparent, decodes to the exact pixels.
    #[test]
    fn rows_changed_in_a_few_blocks_decode_to_their_exact_pixels() {
        for (opaque, w) in [
            (true, 301u32),
            (false, 301),
            (true, 7),
            (false, 16),
            (true, 1),
        ] {
            let h = 90u32;
            let mut pm = Pixmap::new(w, h).unwrap();
            let mut seed = 11u32;
            for (i, px) in pm.pixels_mut().iter_mut().enumerate() {
                let (x, y) = (i as u32 % w, i as u32 / w);
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                let touched = match y % 6 {
                    0 => false,                         // the row above again
                    1 => x < 3,                         // first block
                    2 => x + 2 >= w,                    // last, partial block
                    3 => x == w / 2 || x == w / 2 + 17, // two blocks apart
                    4 => seed >> 28 == 0,               // scattered
                    _ => true,                          // everywhere
                };
                let (r, g, b) = if touched {
                    ((seed >> 24) as u8, (seed >> 16) as u8, y as u8)
                } else {
                    (250, 250, 250)
                };
                let a = if opaque {
                    255
                } else if touched {
                    (seed >> 8) as u8
                } else {
                    200
                };
                *px = tiny_skia::ColorU8::from_rgba(r, g, b, a).premultiply();
            }
            let bytes = png(&pm, 1.0, &Cancel::new()).unwrap();
            let img = image::load_from_memory(&bytes).unwrap().to_rgba8();
            for (p, q) in pm.pixels().iter().zip(img.pixels()) {
                let c = p.demultiply();
                let want = [c.red(), c.green(), c.blue(), c.alpha()];
                assert_eq!(q.0, want, "opaque {opaque}, width {w}");
            }
        }
    }

    #[test]
    fn a_large_noisy_picture_spans_several_idat_chunks_and_decodes_exactly() {
        let (w, h) = (900u32, 1200u32);
        let mut pm = Pixmap::new(w, h).unwrap();
        let mut seed = 1u32;
        for px in pm.pixels_mut() {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let [r, g, b, _] = seed.to_le_bytes();
            *px = tiny_skia::ColorU8::from_rgba(r, g, b, 255).premultiply();
        }
        let bytes = png(&pm, 1.0, &Cancel::new()).unwrap();
        let idats = bytes.windows(4).filter(|w| w == b"IDAT").count();
        assert!(idats >= 3, "{idats} IDAT chunks for {} bytes", bytes.len());
        let img = image::load_from_memory(&bytes).unwrap().to_rgb8();
        let expected: Vec<u8> = pm
            .pixels()
            .iter()
            .flat_map(|p| [p.red(), p.green(), p.blue()])
            .collect();
        assert!(img.as_raw() == &expected);
    }

    #[test]
    fn bytes_do_not_depend_on_the_number_of_threads() {
        let pm = busy_pixmap(true);
        let rows: Vec<_> = pm.pixels().chunks_exact(pm.width() as usize).collect();
        let zlib = |threads| {
            deflate::zlib(compress_stripes(&rows, true, threads, &Cancel::new()).unwrap())
        };
        assert!(zlib(1) == zlib(4));
        assert!(zlib(1) == zlib(2));
    }

    #[test]
    fn a_cancelled_encode_stops_with_an_error() {
        let cancel = Cancel::new();
        cancel.cancel();
        assert!(png(&busy_pixmap(true), 1.0, &cancel).is_err());
    }

    /// Stripes compressed in any order, by any thread, join into the picture; a
    /// picture missing a stripe is an error, never a PNG of the wrong rows.
    #[test]
    fn band_stripes_join_in_order_and_none_may_be_missing() {
        let pm = busy_pixmap(true);
        let (w, h) = (pm.width(), pm.height());
        let stride = w as usize * 4;
        let cut = 3 * STRIPE_ROWS + 5; // a band of four stripes, the last short
        let (top, bottom) = pm.data().split_at(cut * stride);
        let bands = [top, bottom];
        let whole = png(&pm, 1.0, &Cancel::new()).unwrap();
        // Stripe `skip` left out and, with `twice`, stripe (0, 1) compressed twice:
        // as many rows as the picture's, but not its rows.
        let join = |skip: Option<(usize, usize)>, twice: bool| {
            let stripes = BandStripes::new(w, true);
            let mut scratch = StripeScratch::default();
            for (band, data) in bands.iter().enumerate().rev() {
                for stripe in (0..stripes.stripes_in(data)).rev() {
                    let times = if twice && (band, stripe) == (0, 1) {
                        2
                    } else {
                        1
                    };
                    for _ in 0..times * usize::from(skip != Some((band, stripe))) {
                        let last = band == 1;
                        let cancel = Cancel::new();
                        stripes
                            .stripe((band, stripe), last, data, &mut scratch, &cancel)
                            .unwrap();
                    }
                }
            }
            stripes.png((w, h), 1.0)
        };
        let joined = join(None, false).unwrap();
        let decoded = image::load_from_memory(&joined).unwrap().to_rgba8();
        assert!(decoded == image::load_from_memory(&whole).unwrap().to_rgba8());
        for skip in [(0, 0), (0, 2), (0, 3), (1, 0)] {
            assert!(join(Some(skip), false).is_err(), "without stripe {skip:?}");
        }
        assert!(join(Some((0, 2)), true).is_err(), "a stripe twice");
    }
}
