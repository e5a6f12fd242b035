//! A chat's wallpaper painted in one pass: an opaque base (the band's background,
//! a solid colour or a vertical gradient) and the doodle tile over it, written
//! together instead of the base first and the tile blended over it after.
//!
//! A skin's wallpaper is two fills over the screen (`layout::page::assemble`),
//! painted over the picture's background: three passes over every pixel, where
//! the last reads back what the others wrote. The scene is left as it is; the
//! painter recognises the pair where a band's list starts (or anywhere, for the
//! base and tile alone) and paints the same pixels in one.

use tiny_skia::{PixmapMut, Transform};

use super::Brush;
use super::fill::{RowColor, aligned, tile_rows};
use crate::scene::{Color, Item, Paint, Rect, Shape};

impl Brush<'_> {
    /// Paints a wallpaper's two fills, an opaque base and a tile over the same
    /// rectangle, in one pass when they are those (see [`fill_aligned_wallpaper`]);
    /// false, having painted nothing, otherwise.
    pub(super) fn wallpaper(
        &mut self,
        pixmap: &mut PixmapMut<'_>,
        (base, offset): (&Item, (f32, f32)),
        (tile, tile_offset): (&Item, (f32, f32)),
    ) -> bool {
        let (
            Item::Fill {
                shape: Shape::Rect(r),
                paint: base,
            },
            Item::Fill {
                shape: Shape::Rect(tile_rect),
                paint: tile,
            },
        ) = (base, tile)
        else {
            return false;
        };
        r == tile_rect
            && offset == tile_offset
            && fill_aligned_wallpaper(
                pixmap,
                self.pixel_rect(*r, offset),
                (base, tile),
                self.transform(offset),
            )
    }

    /// Paints the wallpaper a band's list starts with straight over the band's
    /// background `px`, which is then not written first: a tile covering the whole
    /// band (over `px`), or an opaque base and a tile covering it (after any fills
    /// that paint nothing). Returns how many items of `list` it painted; `None`,
    /// having painted nothing, when the list does not start so.
    pub(super) fn wallpaper_on(
        &mut self,
        pixmap: &mut PixmapMut<'_>,
        px: [u8; 4],
        list: &[(&Item, (f32, f32))],
    ) -> Option<usize> {
        let paints_nothing = |item: &Item| match item {
            Item::Fill {
                shape: Shape::Rect(_),
                paint: Paint::Solid(c),
            } => c.a == 0,
            _ => false,
        };
        let first = list.iter().position(|(item, _)| !paints_nothing(item))?;
        let (item, offset) = list[first];
        let Item::Fill {
            shape: Shape::Rect(r),
            paint,
        } = item
        else {
            return None;
        };
        let pr = self.pixel_rect(*r, offset);
        let (w, h) = (pixmap.width() as f32, pixmap.height() as f32);
        if pr.x > 0.0 || pr.y > 0.0 || pr.right() < w || pr.bottom() < h {
            return None;
        }
        if let Paint::Tile { .. } = paint {
            let under = Paint::Solid(Color::rgba(px[0], px[1], px[2], px[3]));
            return fill_aligned_wallpaper(pixmap, pr, (&under, paint), self.transform(offset))
                .then_some(first + 1);
        }
        let next = *list.get(first + 1)?;
        self.wallpaper(pixmap, (item, offset), next)
            .then_some(first + 2)
    }
}

/// A tile over an opaque base (a solid colour or a vertical gradient) filling the
/// same rectangle, in one pass: what `fill_aligned_rect` of the base and then of
/// the tile would paint, without writing the base first and reading it back (a
/// doodle wallpaper over a gradient: the two passes took a fifth of Telegram's
/// still). Returns false, having drawn nothing, when the two cannot be painted so.
fn fill_aligned_wallpaper(
    pixmap: &mut PixmapMut<'_>,
    r: Rect,
    (base, tile): (&Paint, &Paint),
    ts: Transform,
) -> bool {
    let Some((x0, y0, x1, y1)) = aligned(pixmap, r) else {
        return false;
    };
    let Some(row_color) = RowColor::of(base, ts) else {
        return false;
    };
    row_color.opaque() && tile_rows(pixmap, (x0, y0, x1, y1), tile, ts, Some(&row_color))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::Cancel;
    use crate::icons::IconCache;
    use crate::raster::Painter;
    use crate::raster::fill::fill_aligned_rect;
    use crate::scene::Scene;

    /// A small tile with transparent, translucent and opaque pixels, premultiplied.
    fn tile() -> Arc<tiny_skia::Pixmap> {
        let (w, h) = (13, 7);
        let mut pm = tiny_skia::Pixmap::new(w, h).unwrap();
        for (i, px) in pm.pixels_mut().iter_mut().enumerate() {
            // Whole rows of nothing (as most of a doodle tile), then a mix.
            let a = match i % 5 {
                _ if i < 3 * w as usize => 0,
                0 | 1 => 0,
                2 => 255,
                n => (n * 61) as u8,
            };
            *px =
                tiny_skia::ColorU8::from_rgba((i * 37) as u8, (i * 11) as u8, 200, a).premultiply();
        }
        Arc::new(pm)
    }

    /// A picture with something in every pixel, as a kept canvas holds.
    fn noise(w: u32, h: u32) -> tiny_skia::Pixmap {
        let mut pm = tiny_skia::Pixmap::new(w, h).unwrap();
        for (i, px) in pm.pixels_mut().iter_mut().enumerate() {
            *px = tiny_skia::ColorU8::from_rgba((i * 7) as u8, (i * 3) as u8, 9, 255).premultiply();
        }
        pm
    }

    #[test]
    fn a_wallpaper_in_one_pass_paints_what_its_two_fills_did() {
        let gradient = Paint::Linear {
            from: (0.0, 3.0),
            to: (0.0, 40.0),
            stops: vec![
                (0.0, Color::rgba(214, 226, 168, 255)),
                (0.6, Color::rgba(20, 90, 200, 255)),
                (1.0, Color::rgba(141, 187, 143, 255)),
            ],
            pinned: false,
        };
        let solid = Paint::Solid(Color::rgba(239, 234, 226, 255));
        let tile = Paint::tiled(tile(), (0.0, 0.0));
        for base in [&gradient, &solid] {
            for (rect, ts) in [
                (Rect::new(0.0, 0.0, 61.0, 45.0), Transform::identity()),
                (Rect::new(3.0, 5.0, 40.0, 22.0), Transform::identity()),
                (
                    Rect::new(2.0, 1.0, 20.0, 15.0),
                    Transform::from_scale(2.0, 2.0),
                ),
                (
                    Rect::new(0.0, 0.0, 30.0, 20.0),
                    Transform::from_translate(-3.0, -9.0),
                ),
            ] {
                let mut two = noise(61, 45);
                let mut one = two.clone();
                let px = |r: Rect| {
                    let mut a = tiny_skia::Point::from_xy(r.x, r.y);
                    let mut b = tiny_skia::Point::from_xy(r.right(), r.bottom());
                    ts.map_point(&mut a);
                    ts.map_point(&mut b);
                    Rect::new(a.x, a.y, b.x - a.x, b.y - a.y)
                };
                assert!(fill_aligned_rect(&mut two.as_mut(), px(rect), base, ts));
                assert!(fill_aligned_rect(&mut two.as_mut(), px(rect), &tile, ts));
                assert!(fill_aligned_wallpaper(
                    &mut one.as_mut(),
                    px(rect),
                    (base, &tile),
                    ts
                ));
                assert!(one == two, "{rect:?} {ts:?}");
            }
        }
        // What it cannot paint so, it leaves alone: fractional edges, a base that
        // lets the pixels under it through.
        let translucent = Paint::Solid(Color::rgba(239, 234, 226, 200));
        let before = noise(61, 45);
        for (rect, base) in [
            (Rect::new(0.5, 0.0, 30.0, 20.0), &solid),
            (Rect::new(0.0, 0.0, 30.0, 20.0), &translucent),
        ] {
            let mut pm = before.clone();
            let ts = Transform::identity();
            assert!(!fill_aligned_wallpaper(
                &mut pm.as_mut(),
                rect,
                (base, &tile),
                ts
            ));
            assert!(pm == before);
        }
    }

    /// The examples' wallpapers, painted over a kept canvas in one pass, give the
    /// pixels the separate fills gave.
    #[test]
    fn the_examples_wallpapers_paint_as_their_fills_did() {
        /// Puts a fill that paints nothing (and that neither pass takes for the
        /// wallpaper) before and after every rectangle fill; how many it found.
        fn blocked(items: &mut Vec<Item>) -> usize {
            let mut n = 0;
            let blocker = || {
                Item::fill(
                    Shape::RoundRect(Rect::new(0.0, 0.0, 1.0, 1.0), 0.5),
                    Color::TRANSPARENT,
                )
            };
            let mut out = Vec::with_capacity(items.len() * 3);
            for mut item in items.drain(..) {
                match &mut item {
                    Item::Fill {
                        shape: Shape::Rect(_),
                        paint: Paint::Tile { .. },
                    } => n += 1,
                    Item::Group { items, .. } => n += blocked(items),
                    _ => {}
                }
                let rect = matches!(
                    item,
                    Item::Fill {
                        shape: Shape::Rect(_),
                        ..
                    }
                );
                if rect {
                    out.push(blocker());
                }
                out.push(item);
                if rect {
                    out.push(blocker());
                }
            }
            *items = out;
            n
        }
        let engine = crate::Engine::new();
        let fonts = crate::fonts::Fonts::load();
        let icons = IconCache::default();
        // On phones the wallpaper covers the picture; in a desktop window, or
        // in a phone's frame, only the part the chat is shown in.
        let framed = |example: &str| {
            let path = format!("{}/../examples/{example}.json", env!("CARGO_MANIFEST_DIR"));
            let mut json: serde_json::Value =
                serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
            json["props"]["showDeviceFrame"] = true.into();
            let payload = crate::Payload::from_json(json.to_string().as_bytes()).unwrap();
            engine.scene(&payload).unwrap().0
        };
        let scenes = [
            "telegram-dm-light",
            "telegram-dm-dark",
            "whatsapp-dm-light",
            "whatsapp-dm-dark",
            "telegram-desktop-light",
            "whatsapp-desktop-light",
        ]
        .map(|example| {
            (
                example,
                crate::raster::tests::example_scene(&engine, example),
            )
        });
        let framed =
            ["telegram-dm-light", "whatsapp-dm-dark"].map(|example| (example, framed(example)));
        // A tile that covers part of the picture only, over its background.
        let part = Scene {
            width: 200.0,
            height: 700.0,
            scale: 2.0,
            background: Some(Color::rgba(239, 234, 226, 255)),
            items: vec![
                Item::fill(
                    Shape::Rect(Rect::new(0.0, 0.0, 200.0, 600.0)),
                    Color::TRANSPARENT,
                ),
                Item::fill(
                    Shape::Rect(Rect::new(0.0, 0.0, 200.0, 600.0)),
                    Paint::tiled(tile(), (0.0, 0.0)),
                ),
            ],
        };
        for (example, scene) in scenes.into_iter().chain(framed).chain([("part", part)]) {
            let mut apart = scene.clone();
            assert!(
                blocked(&mut apart.items) >= 1,
                "{example} has a doodle tile"
            );
            let (w, h) = scene.pixel_size();
            let kept = || Some(noise(w, h).take());
            let mut ctx = fonts.context();
            let mut painter = Painter::new(&mut ctx, &icons);
            let one = painter.paint(&scene, kept(), &Cancel::new()).unwrap();
            let two = painter.paint(&apart, kept(), &Cancel::new()).unwrap();
            let fresh = painter.paint(&scene, None, &Cancel::new()).unwrap();
            assert!(one == two, "{example}");
            assert!(one == fresh, "{example}: a kept canvas paints as a new one");
        }
    }
}
