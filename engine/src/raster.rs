//! Paints a [`Scene`] into a pixmap with tiny-skia. Knows nothing of chats.

use cosmic_text::SwashContent;
use tiny_skia::{
    FillRule, FilterQuality, GradientStop, LinearGradient, Mask, Pattern, Pixmap, PixmapPaint,
    Point, SpreadMode, Stroke, Transform,
};

use crate::fonts::FontContext;
use crate::icons::IconCache;
use crate::scene::{Color, Item, Paint, Rect, Scene, Shape};
use crate::text::{TextBlock, from_ct};
use crate::{Cancel, Error};

pub(crate) struct Painter<'a> {
    pub fonts: &'a mut FontContext,
    pub icons: &'a IconCache,
    scale: f32,
    /// Pixel offset of the target from the canvas (non-zero while painting a layer).
    shift: (f32, f32),
}

impl<'a> Painter<'a> {
    pub fn new(fonts: &'a mut FontContext, icons: &'a IconCache, scale: f32) -> Self {
        Painter {
            fonts,
            icons,
            scale,
            shift: (0.0, 0.0),
        }
    }

    /// Paints the whole scene into a new pixmap (whose size the caller has checked
    /// against the limits), looking at `cancel` between top-level items.
    ///
    /// `reuse` is the buffer of an earlier picture of the same size (video frames):
    /// painting into it spares allocating, and the system zeroing, a new one.
    pub fn paint(
        &mut self,
        scene: &Scene,
        reuse: Option<Vec<u8>>,
        cancel: &Cancel,
    ) -> Result<Pixmap, Error> {
        let (width, height) = scene.pixel_size();
        let too_large = || Error::TooLarge {
            width,
            height,
            limit: u64::from(u32::MAX),
            estimated: false,
        };
        let size = tiny_skia::IntSize::from_wh(width, height).ok_or_else(too_large)?;
        let mut pixmap = match reuse.and_then(|buf| Pixmap::from_vec(buf, size)) {
            Some(mut p) => {
                p.fill(tiny_skia::Color::TRANSPARENT);
                p
            }
            None => Pixmap::new(width, height).ok_or_else(too_large)?,
        };
        if let Some(bg) = scene.background {
            pixmap.fill(bg.to_skia());
        }
        self.scale = scene.scale;
        for item in &scene.items {
            cancel.check()?;
            self.item(&mut pixmap, item, (0.0, 0.0));
        }
        Ok(pixmap)
    }

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

    pub fn items(&mut self, pixmap: &mut Pixmap, items: &[Item], offset: (f32, f32)) {
        for item in items {
            self.item(pixmap, item, offset);
        }
    }

    fn item(&mut self, pixmap: &mut Pixmap, item: &Item, offset: (f32, f32)) {
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
                resvg::render(&tree, t, &mut pixmap.as_mut());
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
        pixmap: &mut Pixmap,
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
        self.items(&mut layer, items, offset);
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

    /// Draws shaped text; `origin` is the block's top-left corner in points.
    fn text(&mut self, pixmap: &mut Pixmap, block: &TextBlock, origin: (f32, f32)) {
        let s = self.scale;
        // Whole-pixel origins keep glyph edges as crisp as the font's hinting allows.
        let ox = (origin.0 * s).round() + self.shift.0;
        let oy = (origin.1 * s).round() + self.shift.1;
        for line in &block.lines {
            for g in &line.glyphs {
                let phys = g.physical((ox, oy + line.baseline * s), s);
                let color = g.color_opt.map(from_ct).unwrap_or(block.color);
                let FontContext { system, swash, .. } = &mut *self.fonts;
                let Some(img) = swash.get_image(system, phys.cache_key) else {
                    continue;
                };
                let x = phys.x + img.placement.left;
                let y = phys.y - img.placement.top;
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

/// Fills a rectangle (in pixels) whose edges fall on whole pixels without the path
/// pipeline: backgrounds, bars and wallpapers, the largest fills of a picture, in a
/// solid colour, a vertical gradient or a repeated tile. Returns false, having drawn
/// nothing, when the edges are fractional or the paint is of another kind. `ts` maps
/// the paint's coordinates to pixels.
fn fill_aligned_rect(pixmap: &mut Pixmap, r: Rect, paint: &Paint, ts: Transform) -> bool {
    let edges = [r.x, r.y, r.right(), r.bottom()];
    if edges.iter().any(|e| (e - e.round()).abs() > 1e-3) {
        return false;
    }
    let (pw, ph) = (pixmap.width() as i64, pixmap.height() as i64);
    let x0 = (edges[0].round() as i64).clamp(0, pw) as usize;
    let y0 = (edges[1].round() as i64).clamp(0, ph) as usize;
    let x1 = (edges[2].round() as i64).clamp(0, pw) as usize;
    let y1 = (edges[3].round() as i64).clamp(0, ph) as usize;
    let stride = pw as usize * 4;
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
            let data = pixmap.data_mut();
            for y in y0..y1 {
                let t = ((y as f32 + 0.5 - a.y) / span).clamp(0.0, 1.0);
                let c = gradient_at(stops, t);
                blend_span(
                    &mut data[y * stride + x0 * 4..y * stride + x1 * 4],
                    premultiplied(c),
                );
            }
            true
        }
        Paint::Tile { pixels, origin } if ts.kx == 0.0 && ts.ky == 0.0 => {
            let mut o = tiny_skia::Point::from_xy(origin.0, origin.1);
            ts.map_point(&mut o);
            let (tw, th) = (pixels.width() as i64, pixels.height() as i64);
            if tw == 0 || th == 0 {
                return true;
            }
            let (ox, oy) = (o.x.round() as i64, o.y.round() as i64);
            let tile = pixels.data();
            let data = pixmap.data_mut();
            for y in y0..y1 {
                let ty = (y as i64 - oy).rem_euclid(th) as usize;
                let src_row = &tile[ty * tw as usize * 4..(ty + 1) * tw as usize * 4];
                let dst_row = &mut data[y * stride + x0 * 4..y * stride + x1 * 4];
                let mut tx = (x0 as i64 - ox).rem_euclid(tw) as usize;
                for px in dst_row.chunks_exact_mut(4) {
                    let s = &src_row[tx * 4..tx * 4 + 4];
                    let sa = u32::from(s[3]);
                    if sa != 0 {
                        let inv = 255 - sa;
                        for ch in 0..4 {
                            px[ch] = (u32::from(s[ch]) + div255(u32::from(px[ch]) * inv)) as u8;
                        }
                    }
                    tx += 1;
                    if tx == tw as usize {
                        tx = 0;
                    }
                }
            }
            true
        }
        _ => false,
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
fn blend_span(row: &mut [u8], src: [u32; 4]) {
    if src[3] == 255 {
        let px = [src[0] as u8, src[1] as u8, src[2] as u8, 255];
        for dst in row.chunks_exact_mut(4) {
            dst.copy_from_slice(&px);
        }
        return;
    }
    let inv = 255 - src[3];
    for px in row.chunks_exact_mut(4) {
        for ch in 0..4 {
            px[ch] = (src[ch] + div255(u32::from(px[ch]) * inv)) as u8;
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

/// The part of a `w`×`h` image at (`x`, `y`) that falls inside the pixmap:
/// (first column, first row, last column, last row) of the image, exclusive ends.
fn visible(pixmap: &Pixmap, x: i32, y: i32, w: u32, h: u32) -> (usize, usize, usize, usize) {
    let (pw, ph) = (pixmap.width() as i64, pixmap.height() as i64);
    let (x, y, w, h) = (i64::from(x), i64::from(y), i64::from(w), i64::from(h));
    let c0 = (-x).clamp(0, w);
    let r0 = (-y).clamp(0, h);
    let c1 = (pw - x).clamp(c0, w);
    let r1 = (ph - y).clamp(r0, h);
    (c0 as usize, r0 as usize, c1 as usize, r1 as usize)
}

/// Source-over of a coverage mask in one colour (premultiplied destination).
fn blend_mask(pixmap: &mut Pixmap, x: i32, y: i32, w: u32, h: u32, mask: &[u8], color: Color) {
    let (c0, r0, c1, r1) = visible(pixmap, x, y, w, h);
    let stride = pixmap.width() as usize * 4;
    let data = pixmap.data_mut();
    let ca = u32::from(color.a);
    let rgb = [u32::from(color.r), u32::from(color.g), u32::from(color.b)];
    for row in r0..r1 {
        let coverage = &mask[row * w as usize + c0..row * w as usize + c1];
        let start = (y as i64 + row as i64) as usize * stride + (x as i64 + c0 as i64) as usize * 4;
        let dst = &mut data[start..start + coverage.len() * 4];
        for (px, &cov) in dst.chunks_exact_mut(4).zip(coverage) {
            if cov == 0 {
                continue;
            }
            let a = div255(u32::from(cov) * ca);
            let inv = 255 - a;
            for ch in 0..3 {
                px[ch] = (div255(rgb[ch] * a) + div255(u32::from(px[ch]) * inv)) as u8;
            }
            px[3] = (a + div255(u32::from(px[3]) * inv)) as u8;
        }
    }
}

/// Source-over of a straight-alpha RGBA image (colour emoji), faded by `alpha`.
fn blend_rgba(pixmap: &mut Pixmap, x: i32, y: i32, w: u32, h: u32, rgba: &[u8], alpha: u8) {
    let (c0, r0, c1, r1) = visible(pixmap, x, y, w, h);
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

/// `v / 255`, rounded, for `v` up to 255².
#[inline]
fn div255(v: u32) -> u32 {
    (v + 128 + ((v + 128) >> 8)) >> 8
}

/// Three box blurs approximate a Gaussian of the given radius; `rect` and `radius`
/// in pixels.
fn blur_region(pixmap: &mut Pixmap, rect: Rect, radius: f32) {
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
    let mut line = vec![[0u8; 4]; w.max(h)];
    let mut out = vec![[0u8; 4]; w.max(h)];
    for _ in 0..3 {
        for y in 0..h {
            let start = (y0 + y) * stride + x0 * 4;
            for (x, px) in line[..w].iter_mut().enumerate() {
                px.copy_from_slice(&data[start + x * 4..start + x * 4 + 4]);
            }
            box_blur(&line[..w], &mut out[..w], r);
            for (x, px) in out[..w].iter().enumerate() {
                data[start + x * 4..start + x * 4 + 4].copy_from_slice(px);
            }
        }
        for x in 0..w {
            let start = y0 * stride + (x0 + x) * 4;
            for (y, px) in line[..h].iter_mut().enumerate() {
                px.copy_from_slice(&data[start + y * stride..start + y * stride + 4]);
            }
            box_blur(&line[..h], &mut out[..h], r);
            for (y, px) in out[..h].iter().enumerate() {
                data[start + y * stride..start + y * stride + 4].copy_from_slice(px);
            }
        }
    }
}

/// One box blur of a line of pixels with a running sum; edges are clamped.
fn box_blur(src: &[[u8; 4]], dst: &mut [[u8; 4]], r: usize) {
    let n = src.len();
    let window = (2 * r + 1) as u32;
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
            out[c] = ((sum[c] + window / 2) / window) as u8;
        }
        let (add, sub) = (at(i as isize + r as isize + 1), at(i as isize - r as isize));
        for c in 0..4 {
            sum[c] = sum[c] + u32::from(add[c]) - u32::from(sub[c]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let pm = Painter::new(&mut ctx, &icons, 2.0)
            .paint(&scene, None, &Cancel::new())
            .unwrap();
        assert_eq!((pm.width(), pm.height()), (20, 20));
        assert_eq!(pm.pixel(2, 2).unwrap().red(), 255);
        assert_eq!(pm.pixel(15, 2).unwrap().red(), 0);
    }
}
