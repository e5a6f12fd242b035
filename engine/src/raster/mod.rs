//! Paints a [`Scene`] into a pixmap with tiny-skia. Knows nothing of chats.
//!
//! A short walk over the display list (this file) hands each kind of item to the
//! code that paints it: paths and gradients to tiny-skia, the largest rectangles to
//! [`fill`]'s direct kernels, text to [`glyphs`], bar materials to [`blur`].
//! [`bands`] splits the picture into horizontal bands painted on several cores.

mod bands;
mod blur;
#[cfg(feature = "video")]
pub(crate) mod damage;
mod fill;
mod glyphs;
mod underlay;
mod wallpaper;

use blur::blur_region;
use fill::fill_aligned_rect;
use underlay::cut_out;

use tiny_skia::{
    FillRule, FilterQuality, GradientStop, LinearGradient, Mask, Pattern, Pixmap, PixmapMut,
    PixmapPaint, Point, SpreadMode, Stroke, Transform,
};

use crate::encode::BandStripes;
use crate::fonts::FontContext;
use crate::icons::IconCache;
use crate::scene::{Item, Paint, Rect, Scene, Shape};
use crate::{Cancel, Error};

/// Paints scenes with one render's font context (whose glyph cache it fills).
pub(crate) struct Painter<'a> {
    pub fonts: &'a mut FontContext,
    pub icons: &'a IconCache,
    /// Threads painting bands at once (the pixels never depend on it).
    threads: usize,
}

impl<'a> Painter<'a> {
    pub fn new(fonts: &'a mut FontContext, icons: &'a IconCache) -> Self {
        let threads = crate::cores();
        Painter {
            fonts,
            icons,
            threads,
        }
    }

    /// Paints the whole scene into a new pixmap (whose size the caller has checked
    /// against the limits), looking at `cancel` between top-level items.
    ///
    /// `reuse` is the buffer of an earlier picture at least as large (a video's
    /// frames, the engine's kept canvases): painting into it spares allocating,
    /// and the system zeroing, a new one.
    pub fn paint(
        &mut self,
        scene: &Scene,
        reuse: Option<Vec<u8>>,
        cancel: &Cancel,
    ) -> Result<Pixmap, Error> {
        Ok(self.paint_encoding(scene, reuse, None, cancel)?.0)
    }

    /// [`Painter::paint`] that hands each band to `encode` as soon as it is
    /// painted, when the scene is painted in bands alone; returns whether it was.
    pub(crate) fn paint_encoding(
        &mut self,
        scene: &Scene,
        reuse: Option<Vec<u8>>,
        encode: Option<&BandStripes>,
        cancel: &Cancel,
    ) -> Result<(Pixmap, bool), Error> {
        let (width, height) = scene.pixel_size();
        let too_large = || Error::TooLarge {
            width,
            height,
            limit: u64::from(u32::MAX),
            estimated: false,
        };
        let size = tiny_skia::IntSize::from_wh(width, height).ok_or_else(too_large)?;
        let bytes = size.width() as usize * size.height() as usize * 4;
        // The buffer starts as the background (or transparent), written once:
        // clearing it and then filling it wrote every byte twice.
        let first = background_pixel(scene);
        let mut buf = reuse
            .filter(|buf| buf.capacity() >= bytes)
            .unwrap_or_else(|| Vec::with_capacity(bytes));
        let fill = if buf.len() >= bytes {
            // A buffer already written that far: each band starts by writing the
            // background into its own rows, on every core.
            buf.truncate(bytes);
            Some(first)
        } else {
            // Not `Pixmap::new` (nor `vec![0; n]`): its zeroed allocation makes
            // jemalloc (the server's allocator) give a recycled buffer back to the
            // kernel to be zeroed, and every page then faults in again while
            // painting — a third of a still's time. Writing it ourselves reuses them.
            buf.clear();
            buf.extend_from_slice(&first);
            while buf.len() < bytes {
                let more = buf.len().min(bytes - buf.len());
                buf.extend_from_within(..more);
            }
            None
        };
        let mut pixmap = Pixmap::from_vec(buf, size).ok_or_else(too_large)?;
        let threads = self.threads;
        let brush = self.brush(scene);
        let encoded = bands::paint(
            pixmap.as_mut(),
            &scene.items,
            fill,
            brush,
            threads,
            encode,
            cancel,
        )?;
        Ok((pixmap, encoded))
    }

    /// Paints `scene` over `canvas`, the picture of an earlier scene of the same
    /// size, in the rows `rows` only (from [`damage::rows`]): each span is cleared
    /// to the background and every item painted clipped to it; the other rows keep
    /// their pixels. One thread: a video's encoder has the other cores.
    #[cfg(feature = "video")]
    pub fn repaint(
        &mut self,
        scene: &Scene,
        canvas: Vec<u8>,
        rows: &[(u32, u32)],
        cancel: &Cancel,
    ) -> Result<Pixmap, Error> {
        let (width, height) = scene.pixel_size();
        let mut pixmap = tiny_skia::IntSize::from_wh(width, height)
            .and_then(|size| Pixmap::from_vec(canvas, size))
            .ok_or_else(|| Error::Video(format!("a canvas that is not {width}×{height}")))?;
        let first = background_pixel(scene);
        let stride = width as usize * 4;
        for &(top, bottom) in rows {
            let bottom = bottom.min(height) as usize;
            if let Some(span) = pixmap
                .data_mut()
                .get_mut(top as usize * stride..bottom * stride)
            {
                fill_pattern(span, first);
            }
        }
        let brush = self.brush(scene);
        bands::paint_rows(pixmap.as_mut(), &scene.items, brush, rows, cancel)?;
        Ok(pixmap)
    }

    /// The brush for `scene`'s items, every glyph's image made beforehand, once
    /// (the bands then only read them).
    fn brush(&mut self, scene: &Scene) -> Brush<'_> {
        glyphs::warm(self.fonts, &scene.items, scene.scale, (0.0, 0.0));
        Brush {
            glyphs: &self.fonts.swash,
            icons: self.icons,
            scale: scene.scale,
            shift: (0.0, 0.0),
        }
    }
}

/// The premultiplied pixel a scene's canvas starts as.
fn background_pixel(scene: &Scene) -> [u8; 4] {
    scene.background.map_or([0; 4], |bg| {
        let c = bg.to_skia().premultiply().to_color_u8();
        [c.red(), c.green(), c.blue(), c.alpha()]
    })
}

/// Fills `buf` with copies of one pixel: the copied run doubles up to a few
/// kilobytes, which are then copied on from the front, where they stay in the
/// core's nearest cache (doubling all the way read megabytes back from memory).
fn fill_pattern(buf: &mut [u8], px: [u8; 4]) {
    const RUN: usize = 8 << 10;
    let len = buf.len() - buf.len() % 4;
    if len == 0 {
        return;
    }
    buf[..4].copy_from_slice(&px);
    let mut done = 4;
    while done < len {
        let more = done.min(len - done).min(RUN);
        buf.copy_within(..more, done);
        done += more;
    }
}

/// Paints items into one target: the canvas, a band of it, or a layer. Cheap to
/// copy, so each band has its own.
#[derive(Clone, Copy)]
pub(crate) struct Brush<'a> {
    /// Glyph images (its `image_cache`), made beforehand by [`glyphs::warm`].
    glyphs: &'a cosmic_text::SwashCache,
    icons: &'a IconCache,
    scale: f32,
    /// Pixel offset of the target from the canvas (non-zero in a band or a layer);
    /// always whole pixels.
    shift: (f32, f32),
}

impl Brush<'_> {
    fn transform(&self, offset: (f32, f32)) -> Transform {
        Transform::from_scale(self.scale, self.scale)
            .pre_translate(offset.0, offset.1)
            .post_translate(self.shift.0, self.shift.1)
    }

    /// A rectangle in points (after `offset`) in pixels of the current target.
    fn pixel_rect(&self, r: Rect, offset: (f32, f32)) -> Rect {
        let s = self.scale;
        Rect::new(
            (r.x + offset.0) * s + self.shift.0,
            (r.y + offset.1) * s + self.shift.1,
            r.w * s,
            r.h * s,
        )
    }

    pub fn items(&mut self, pixmap: &mut PixmapMut<'_>, items: &[Item], offset: (f32, f32)) {
        for item in items {
            self.item(pixmap, item, offset);
        }
    }

    fn item(&mut self, pixmap: &mut PixmapMut<'_>, item: &Item, offset: (f32, f32)) {
        let ts = self.transform(offset);
        match item {
            Item::Fill { shape, paint } => {
                if let Shape::Rect(r) = shape
                    && fill_aligned_rect(pixmap, self.pixel_rect(*r, offset), paint, ts)
                {
                    return;
                }
                let Some(path) = shape.to_path() else { return };
                if let Some(p) = skia_paint(paint, self.scale) {
                    pixmap.fill_path(&path, &p, FillRule::Winding, ts, None);
                }
            }
            Item::Underlay {
                shape,
                color,
                covered,
            } => {
                let Some(path) = shape.to_path() else { return };
                let solid = Paint::Solid(*color);
                let Some(p) = skia_paint(&solid, self.scale) else {
                    return;
                };
                let covered = covered.map(|r| self.pixel_rect(r, offset));
                match cut_out(&path, ts, covered) {
                    Some(cut) => {
                        pixmap.fill_path(&cut, &p, FillRule::Winding, Transform::identity(), None)
                    }
                    None => pixmap.fill_path(&path, &p, FillRule::Winding, ts, None),
                }
            }
            Item::Stroke {
                shape,
                color,
                width,
            } => {
                let Some(path) = shape.to_path() else { return };
                let stroke = Stroke {
                    width: *width,
                    line_cap: tiny_skia::LineCap::Round,
                    line_join: tiny_skia::LineJoin::Round,
                    ..Stroke::default()
                };
                if let Some(p) = skia_paint(&Paint::Solid(*color), self.scale) {
                    pixmap.stroke_path(&path, &p, &stroke, ts, None);
                }
            }
            Item::Text { origin, block } => {
                self.text(pixmap, block, (origin.0 + offset.0, origin.1 + offset.1));
            }
            Item::Image { rect, clip, pixels } => {
                let Some(path) = clip.to_path() else { return };
                let at = self.pixel_rect(*rect, offset);
                let (x, y) = (at.x.round(), at.y.round());
                let pattern = Pattern::new(
                    pixels.as_ref().as_ref(),
                    SpreadMode::Pad,
                    FilterQuality::Nearest,
                    1.0,
                    Transform::from_translate(x, y),
                );
                let paint = tiny_skia::Paint {
                    shader: pattern,
                    anti_alias: true,
                    ..tiny_skia::Paint::default()
                };
                // The pattern lives in pixel space; the clip path in points.
                if let Some(path) = path.transform(ts) {
                    pixmap.fill_path(
                        &path,
                        &paint,
                        FillRule::Winding,
                        Transform::identity(),
                        None,
                    );
                }
            }
            Item::Icon { icon, rect, color } => {
                let tree = self.icons.tree(*icon, *color);
                let size = tree.size();
                let t = ts
                    .pre_translate(rect.x, rect.y)
                    .pre_scale(rect.w / size.width(), rect.h / size.height());
                resvg::render(&tree, t, pixmap);
            }
            Item::BackdropBlur { rect, radius } => {
                blur_region(pixmap, self.pixel_rect(*rect, offset), *radius * self.scale);
            }
            Item::Group {
                items,
                opacity,
                offset: group_offset,
                clip,
                bounds,
            } => {
                let inner = (offset.0 + group_offset.0, offset.1 + group_offset.1);
                if *opacity >= 1.0 && clip.is_none() {
                    self.items(pixmap, items, inner);
                    return;
                }
                if *opacity <= 0.0 {
                    return;
                }
                self.layer(pixmap, items, inner, *opacity, clip.as_ref(), *bounds);
            }
        }
    }

    /// Paints items into a layer no larger than their bounds, then composites it
    /// faded and clipped.
    fn layer(
        &mut self,
        pixmap: &mut PixmapMut<'_>,
        items: &[Item],
        offset: (f32, f32),
        opacity: f32,
        clip: Option<&Shape>,
        bounds: Option<Rect>,
    ) {
        let (pw, ph) = (pixmap.width() as i32, pixmap.height() as i32);
        let area = bounds.map_or(Rect::new(0.0, 0.0, pw as f32, ph as f32), |b| {
            self.pixel_rect(b, offset)
        });
        let x0 = (area.x.floor() as i32).clamp(0, pw);
        let y0 = (area.y.floor() as i32).clamp(0, ph);
        let x1 = (area.right().ceil() as i32).clamp(0, pw);
        let y1 = (area.bottom().ceil() as i32).clamp(0, ph);
        let Some(mut layer) = Pixmap::new((x1 - x0).max(0) as u32, (y1 - y0).max(0) as u32) else {
            return;
        };
        let saved = self.shift;
        self.shift = (saved.0 - x0 as f32, saved.1 - y0 as f32);
        self.items(&mut layer.as_mut(), items, offset);
        if let Some(path) = clip.and_then(Shape::to_path)
            && let Some(mut mask) = Mask::new(layer.width(), layer.height())
        {
            mask.fill_path(&path, FillRule::Winding, true, self.transform(offset));
            layer.apply_mask(&mask);
        }
        self.shift = saved;
        let paint = PixmapPaint {
            opacity: opacity.clamp(0.0, 1.0),
            ..PixmapPaint::default()
        };
        pixmap.draw_pixmap(x0, y0, layer.as_ref(), &paint, Transform::identity(), None);
    }
}

fn skia_paint(paint: &Paint, scale: f32) -> Option<tiny_skia::Paint<'_>> {
    let mut p = tiny_skia::Paint {
        anti_alias: true,
        ..tiny_skia::Paint::default()
    };
    match paint {
        Paint::Solid(c) => p.set_color(c.to_skia()),
        Paint::Linear {
            from, to, stops, ..
        } => {
            let stops = stops
                .iter()
                .map(|(pos, c)| GradientStop::new(*pos, c.to_skia()))
                .collect();
            p.shader = LinearGradient::new(
                Point::from_xy(from.0, from.1),
                Point::from_xy(to.0, to.1),
                stops,
                SpreadMode::Pad,
                Transform::identity(),
            )?;
        }
        Paint::Tile { pixels, origin } => {
            // The path's transform scales points to pixels; undo it for the
            // picture so that one picture pixel lands on one output pixel.
            p.shader = Pattern::new(
                pixels.as_ref().as_ref(),
                SpreadMode::Repeat,
                FilterQuality::Nearest,
                1.0,
                Transform::from_translate(origin.0, origin.1).pre_scale(1.0 / scale, 1.0 / scale),
            );
        }
    }
    Some(p)
}

/// `v / 255`, rounded, for `v` up to 255².
#[inline]
fn div255(v: u32) -> u32 {
    (v + 128 + ((v + 128) >> 8)) >> 8
}

/// [`div255`] in 16 bits, for products of two bytes: lanes half as wide let the
/// compiler use vectors twice as wide.
#[inline(always)]
fn div255_u16(v: u16) -> u16 {
    let v = v + 128;
    (v + (v >> 8)) >> 8
}

/// `picture` cropped to cover `size` pixels, softened with a wide blur (made small,
/// blurred, made large again: the same look as blurring at full size for a
/// fraction of the time), opaque: a canvas's blurred backdrop.
pub(crate) fn blurred_cover(picture: &Pixmap, (w, h): (u32, u32)) -> Option<Pixmap> {
    let small = (w.div_ceil(8).max(2), h.div_ceil(8).max(2));
    let mut tiny = crate::pictures::cover_pixmap(picture, small)?;
    let radius = small.0.min(small.1) as f32 / 6.0;
    let rect = crate::scene::Rect::new(0.0, 0.0, small.0 as f32, small.1 as f32);
    blur::blur_region(&mut tiny.as_mut(), rect, radius);
    crate::pictures::cover_pixmap(&tiny, (w, h))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::Color;

    #[test]
    fn a_pattern_fills_every_pixel_whatever_the_length() {
        let px = [1, 2, 3, 4];
        for len in [
            0,
            3,
            4,
            8,
            4 * 2047,
            8 << 10,
            (8 << 10) + 4,
            3 * (8 << 10) + 12,
            780 * 4 * 501 + 2,
        ] {
            let mut buf = vec![9u8; len];
            fill_pattern(&mut buf, px);
            let whole = len - len % 4;
            assert!(buf[..whole].chunks_exact(4).all(|c| c == px), "{len}");
            assert!(
                buf[whole..].iter().all(|&b| b == 9),
                "{len}: the tail is left"
            );
        }
    }

    #[test]
    fn div255_is_exact_rounding() {
        for v in [0u32, 1, 127, 128, 255, 254 * 255, 255 * 255] {
            assert_eq!(div255(v), (v as f32 / 255.0).round() as u32, "{v}");
        }
    }

    #[test]
    fn shapes_land_where_the_scene_says() {
        let fonts = crate::fonts::Fonts::load();
        let mut ctx = fonts.context();
        let icons = IconCache::default();
        let scene = Scene {
            width: 10.0,
            height: 10.0,
            scale: 2.0,
            background: Some(Color::WHITE),
            items: vec![Item::rect(Rect::new(5.0, 0.0, 5.0, 10.0), Color::BLACK)],
        };
        let pm = Painter::new(&mut ctx, &icons)
            .paint(&scene, None, &Cancel::new())
            .unwrap();
        assert_eq!((pm.width(), pm.height()), (20, 20));
        assert_eq!(pm.pixel(2, 2).unwrap().red(), 255);
        assert_eq!(pm.pixel(15, 2).unwrap().red(), 0);
    }

    /// The scene of one of the repository's example payloads.
    pub(super) fn example_scene(engine: &crate::Engine, example: &str) -> Scene {
        let json = std::fs::read(format!(
            "{}/../examples/{example}.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let payload = crate::Payload::from_json(&json).unwrap();
        engine.scene(&payload).unwrap().0
    }

    #[test]
    fn pixels_do_not_depend_on_how_many_threads_paint_the_bands() {
        let engine = crate::Engine::new();
        let fonts = crate::fonts::Fonts::load();
        let icons = IconCache::default();
        for example in ["telegram-media", "imessage-dm-light", "slack-desktop-group"] {
            let scene = example_scene(&engine, example);
            let paint = |threads| {
                let mut ctx = fonts.context();
                let mut painter = Painter::new(&mut ctx, &icons);
                painter.threads = threads;
                painter.paint(&scene, None, &Cancel::new()).unwrap()
            };
            let one = paint(1);
            for threads in [2, 3, 4, 8] {
                assert!(paint(threads) == one, "{example} with {threads} threads");
            }
        }
    }

    /// A picture as tall as the canvas leaves no row for a band's edge to move
    /// to: each band paints its part of it, and together they are the picture
    /// painted whole, pixel for pixel (its clip on whole pixels, as a message
    /// image's straight sides are; a rounded clip's corners move the edges).
    #[test]
    fn a_picture_cut_by_every_band_edge_paints_as_it_does_whole() {
        let fonts = crate::fonts::Fonts::load();
        let icons = IconCache::default();
        // Every pixel different, so a row painted from the wrong row of the
        // picture shows.
        let (pw, ph) = (150u32, 1100u32);
        let mut pixels = Pixmap::new(pw, ph).unwrap();
        for (i, px) in pixels.data_mut().chunks_exact_mut(4).enumerate() {
            let (x, y) = (i as u32 % pw, i as u32 / pw);
            px.copy_from_slice(&[
                (x * 7 % 256) as u8,
                (y % 256) as u8,
                (y / 256 * 40) as u8,
                255,
            ]);
        }
        let rect = Rect::new(10.0, 2.5, 75.0, 550.0);
        let scene = Scene {
            width: 100.0,
            height: 560.0,
            scale: 2.0,
            background: Some(Color::WHITE),
            items: vec![Item::Image {
                rect,
                clip: Shape::Rect(Rect::new(10.0, 3.0, 70.0, 545.0)),
                pixels: std::sync::Arc::new(pixels),
            }],
        };
        let (w, h) = scene.pixel_size();
        let tops = bands::band_tops(&scene.items, scene.scale, h);
        assert!(tops.len() > 2, "cut into bands: {tops:?}");
        let mut ctx = fonts.context();
        let mut painter = Painter::new(&mut ctx, &icons);
        painter.threads = 2;
        let banded = painter.paint(&scene, None, &Cancel::new()).unwrap();
        let mut whole = Pixmap::new(w, h).unwrap();
        whole.fill(tiny_skia::Color::WHITE);
        painter
            .brush(&scene)
            .items(&mut whole.as_mut(), &scene.items, (0.0, 0.0));
        assert!(
            banded == whole,
            "the same pixels cut into {tops:?} as whole"
        );
        // And the picture is there: its first visible pixel is its own.
        let first = banded.pixel(20, 6).unwrap();
        assert_eq!((first.red(), first.green()), (0, 1));
    }

    /// A still compressed band by band as it is painted: the same bytes whatever
    /// the number of threads, and exactly the painted pixels when decoded (every
    /// band's first row is filtered without the row above; one compressed with
    /// the wrong row would decode to other pixels).
    #[test]
    fn stills_compressed_band_by_band_decode_to_their_pixels_on_any_number_of_threads() {
        let engine = crate::Engine::new();
        let fonts = crate::fonts::Fonts::load();
        let icons = IconCache::default();
        for example in [
            "whatsapp-dm-light",
            "imessage-dm-light",
            "slack-desktop-group",
        ] {
            let scene = example_scene(&engine, example);
            let encode = |threads| {
                let mut ctx = fonts.context();
                let mut painter = Painter::new(&mut ctx, &icons);
                painter.threads = threads;
                let stripes = BandStripes::new(scene.pixel_size().0, true);
                let (pixmap, encoded) = painter
                    .paint_encoding(&scene, None, Some(&stripes), &Cancel::new())
                    .unwrap();
                assert!(encoded, "{example}: painted in bands alone");
                let png = stripes.png((pixmap.width(), pixmap.height()), 2.0).unwrap();
                (pixmap, png)
            };
            let (pixmap, one) = encode(1);
            let decoded = image::load_from_memory(&one).unwrap().to_rgb8();
            assert_eq!(decoded.dimensions(), (pixmap.width(), pixmap.height()));
            let painted: Vec<u8> = pixmap
                .pixels()
                .iter()
                .flat_map(|p| [p.red(), p.green(), p.blue()])
                .collect();
            assert!(
                decoded.as_raw() == &painted,
                "{example}: decodes to its pixels"
            );
            for threads in [2, 3, 4, 8] {
                assert!(encode(threads).1 == one, "{example} with {threads} threads");
            }
        }
    }

    /// A backdrop blur reads the bands above it: such a scene is painted whole and
    /// not handed over band by band (the caller encodes the picture afterwards);
    /// nor is a picture of one band.
    #[test]
    fn a_scene_with_a_backdrop_blur_or_of_one_band_is_not_compressed_band_by_band() {
        let fonts = crate::fonts::Fonts::load();
        let mut ctx = fonts.context();
        let icons = IconCache::default();
        let scene = Scene {
            width: 100.0,
            height: 600.0,
            scale: 2.0,
            background: Some(Color::WHITE),
            items: vec![
                Item::rect(Rect::new(0.0, 0.0, 50.0, 600.0), Color::BLACK),
                Item::BackdropBlur {
                    rect: Rect::new(0.0, 0.0, 100.0, 40.0),
                    radius: 10.0,
                },
            ],
        };
        let stripes = BandStripes::new(200, true);
        let (pixmap, encoded) = Painter::new(&mut ctx, &icons)
            .paint_encoding(&scene, None, Some(&stripes), &Cancel::new())
            .unwrap();
        assert!(!encoded);
        assert_eq!(pixmap.pixel(10, 1000).unwrap().red(), 0);
        assert!(
            stripes.png((200, 1200), 2.0).is_err(),
            "no band was handed over"
        );

        // Nor is a picture of one band: the encoder's stripes share it out.
        let short = Scene {
            height: 100.0,
            items: vec![Item::rect(Rect::new(0.0, 0.0, 50.0, 100.0), Color::BLACK)],
            ..scene
        };
        let stripes = BandStripes::new(200, true);
        let (_, encoded) = Painter::new(&mut ctx, &icons)
            .paint_encoding(&short, None, Some(&stripes), &Cancel::new())
            .unwrap();
        assert!(!encoded, "one band");
    }
}
