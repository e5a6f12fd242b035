//! A fill with a part left out that the next item covers: bubble shadows under
//! their opaque bubbles (`Item::Underlay`).

use tiny_skia::Transform;

use crate::scene::Rect;

/// `path` mapped to pixels by `ts`, with the whole pixels of `covered` (pixels,
/// less one on every side) cut out: a contour wound against the path, so that the
/// non-zero fill leaves it out where the path is one layer deep (and still fills it
/// where a tail overlaps, which is only slower). Its edges lie between pixels and
/// inside the path, so every pixel outside it is covered exactly as by `path`
/// alone (tiny-skia transforms a path the same way before filling it). The two
/// rectangles are cut as a plus when they cross like one, else the larger alone;
/// `None` when nothing whole is left to cut.
pub(super) fn cut_out(
    path: &tiny_skia::Path,
    ts: Transform,
    covered: [Rect; 2],
) -> Option<tiny_skia::Path> {
    // Whole pixels, one in from every side: (left, top, right, bottom).
    let inner = |r: Rect| {
        let (x0, y0) = (r.x.ceil() + 1.0, r.y.ceil() + 1.0);
        let (x1, y1) = (r.right().floor() - 1.0, r.bottom().floor() - 1.0);
        (x1 > x0 && y1 > y0).then_some((x0, y0, x1, y1))
    };
    let area = |(x0, y0, x1, y1): (f32, f32, f32, f32)| (x1 - x0) * (y1 - y0);
    // Corners clockwise on screen (y down).
    let mut corners: Vec<(f32, f32)> = match (inner(covered[0]), inner(covered[1])) {
        (Some(h), Some(v)) if h.0 < v.0 && v.2 < h.2 && v.1 < h.1 && h.3 < v.3 => vec![
            (v.0, v.1),
            (v.2, v.1),
            (v.2, h.1),
            (h.2, h.1),
            (h.2, h.3),
            (v.2, h.3),
            (v.2, v.3),
            (v.0, v.3),
            (v.0, h.3),
            (h.0, h.3),
            (h.0, h.1),
            (v.0, h.1),
        ],
        (a, b) => {
            let (x0, y0, x1, y1) = match (a, b) {
                (Some(a), Some(b)) if area(b) > area(a) => b,
                (Some(a), _) => a,
                (None, b) => b?,
            };
            vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
        }
    };
    let path = path.clone().transform(ts)?;
    let mut pb = tiny_skia::PathBuilder::new();
    pb.push_path(&path);
    // Against the path: counter-clockwise under a clockwise path.
    if winds_clockwise(&path) {
        corners.reverse();
    }
    pb.move_to(corners[0].0, corners[0].1);
    for p in &corners[1..] {
        pb.line_to(p.0, p.1);
    }
    pb.close();
    pb.finish()
}

/// Whether a path's contours turn clockwise on screen (y down), by the signed area
/// of their points, control points included (enough to tell the direction of
/// rounded shapes).
fn winds_clockwise(path: &tiny_skia::Path) -> bool {
    let mut area = 0.0;
    let mut start = None;
    let mut last = tiny_skia::Point::zero();
    let mut edge = |a: tiny_skia::Point, b: tiny_skia::Point| area += a.x * b.y - b.x * a.y;
    for segment in path.segments() {
        use tiny_skia::PathSegment as S;
        let points: &[tiny_skia::Point] = match &segment {
            S::MoveTo(p) => {
                if let Some(s) = start.replace(*p) {
                    edge(last, s);
                }
                last = *p;
                continue;
            }
            S::LineTo(p) => &[*p],
            S::QuadTo(a, p) => &[*a, *p],
            S::CubicTo(a, b, p) => &[*a, *b, *p],
            S::Close => continue,
        };
        for p in points {
            edge(last, *p);
            last = *p;
        }
    }
    if let Some(s) = start {
        edge(last, s);
    }
    area > 0.0
}

#[cfg(test)]
mod tests {
    use super::super::Painter;
    use super::super::tests::example_scene;
    use crate::Cancel;
    use crate::icons::IconCache;
    use crate::scene::{Color, Item, Rect, Scene};

    /// A shadow under an opaque bubble, its hidden middle cut out, paints the same
    /// pixels as the whole shadow: at fractional positions, on both sides (a
    /// mirrored path winds the other way), with a tail, short and tall. The cut is
    /// real: without the bubble over it, the shadow's middle is left unpainted.
    #[test]
    fn an_underlay_under_an_opaque_bubble_paints_what_the_whole_fill_did() {
        use crate::scene::Corners;
        use crate::skin::bubble::outline::{Tail, bubble};
        let fonts = crate::fonts::Fonts::load();
        let mut ctx = fonts.context();
        let icons = IconCache::default();
        let shadow = Color::rgba(0, 0, 0, 0x30);
        let body = Color::rgba(0xEF, 0xFE, 0xDD, 0xFF);
        let mut cut = 0;
        for (r, left, tail) in [
            (Rect::new(10.3, 7.7, 180.45, 38.6), false, true),
            (Rect::new(14.1, 5.25, 150.8, 120.35), true, true),
            (Rect::new(9.5, 9.5, 60.0, 20.0), true, false),
            (Rect::new(20.6, 3.1, 240.2, 80.9), false, false),
        ] {
            let tail = if tail { Tail::Curl } else { Tail::None };
            let shape = bubble(r, Corners(18.0, 18.0, 6.0, 18.0), tail, left);
            let scene = |items: Vec<Item>| Scene {
                width: 280.0,
                height: 140.0,
                scale: 2.0,
                background: Some(Color::WHITE),
                items,
            };
            let under = |underlay: Item| Item::Group {
                items: vec![underlay],
                opacity: 1.0,
                offset: (0.0, 0.8),
                clip: None,
                bounds: None,
            };
            let covered = [
                Rect::new(r.x, r.y + 18.0, r.w, r.h - 36.8),
                Rect::new(r.x + 18.0, r.y, r.w - 36.0, r.h - 0.8),
            ];
            let underlay = Item::Underlay {
                shape: shape.clone(),
                color: shadow,
                covered,
            };
            let whole = Item::fill(shape.clone(), shadow);
            let bubble_over = Item::fill(shape.clone(), body);
            let mut painter = Painter::new(&mut ctx, &icons);
            let mut paint = |items| painter.paint(&scene(items), None, &Cancel::new()).unwrap();
            let with_cut = paint(vec![under(underlay.clone()), bubble_over.clone()]);
            let without = paint(vec![under(whole), bubble_over]);
            assert!(with_cut.data() == without.data(), "{r:?}");
            let alone = paint(vec![under(underlay)]);
            let (cx, cy) = ((r.x + r.w / 2.0) * 2.0, (r.y + r.h / 2.0) * 2.0);
            if alone.pixel(cx as u32, cy as u32).unwrap().red() == 255 {
                cut += 1;
            }
        }
        assert_eq!(cut, 4, "every shadow's middle is cut out");
    }

    /// The examples' bubble shadows, cut where their bubbles hide them, paint the
    /// pixels the whole shadows did (the skins' idea of what is hidden is right).
    #[test]
    fn cut_shadows_paint_the_examples_as_whole_ones_did() {
        /// Turns every underlay back into a whole fill; how many there were.
        fn uncut(items: &mut [Item]) -> usize {
            let mut n = 0;
            for item in items {
                match item {
                    Item::Underlay { shape, color, .. } => {
                        *item = Item::fill(shape.clone(), *color);
                        n += 1;
                    }
                    Item::Group { items, .. } => n += uncut(items),
                    _ => {}
                }
            }
            n
        }
        let engine = crate::Engine::new();
        let fonts = crate::fonts::Fonts::load();
        let icons = IconCache::default();
        for example in [
            "whatsapp-dm-light",
            "whatsapp-group",
            "telegram-dm-light",
            "telegram-group",
        ] {
            let scene = example_scene(&engine, example);
            let mut whole = scene.clone();
            assert!(uncut(&mut whole.items) >= 5, "{example} has shadows");
            let mut ctx = fonts.context();
            let mut painter = Painter::new(&mut ctx, &icons);
            let cut = painter.paint(&scene, None, &Cancel::new()).unwrap();
            let uncut = painter.paint(&whole, None, &Cancel::new()).unwrap();
            assert!(cut == uncut, "{example}");
        }
    }
}
