//! Which rows of a picture can change from one scene to the next, so that a video
//! frame repaints (and converts) only those: while someone types, only the
//! composer changes; while the typing dots pulse, only their bubble. A scroll or a
//! new row moves everything under it, and then most of the picture is repainted.
//!
//! The scenes are compared item by item (pictures, text and paths by identity: a
//! timeline builds them once and places the same ones in every frame), groups
//! opened while they sit in the same place. An item that differs damages the rows
//! it covers in both scenes, with room for anti-aliasing and glyphs reaching out
//! of their line. Rows outside the damage are left as they were, which is exact:
//! every item painted there is the same, at the same place, over the same
//! background. Inside, a shape's edge can round a hair differently than in a
//! picture painted whole, as it does between that picture's own bands.

use super::bands;
use std::sync::Arc;

use crate::scene::{Item, Paint, Scene, Shape};

/// Pixel rows added around every damaged item: anti-aliased edges, strokes' caps.
const MARGIN_PX: f32 = 3.0;

/// Damaged spans closer than this are painted as one.
const JOIN_PX: u32 = 32;

/// The rows of `next` (top inclusive, bottom exclusive, in pixels, sorted and
/// apart) that may differ from `prev`'s picture; empty when nothing does. `None`
/// when the whole picture must be painted (another size or background).
pub(crate) fn rows(prev: &Scene, next: &Scene) -> Option<Vec<(u32, u32)>> {
    if prev.pixel_size() != next.pixel_size()
        || prev.background != next.background
        || prev.scale != next.scale
    {
        return None;
    }
    let mut spans = Vec::new();
    diff(&prev.items, &next.items, (0.0, 0.0), &mut spans);
    let height = next.pixel_size().1;
    let mut rows = to_rows(&spans, next.scale, height);
    if rows.is_empty() {
        return Some(rows);
    }
    // A span's edge that cuts a curve would paint it a shade different from the
    // frame painted whole: edges move out to rows no curve crosses. And a backdrop
    // blur reads what is painted under it: when any of its rows is repainted, all
    // of them are (a blur over a part would blur the pixels it already blurred in
    // the other part). Spans only grow, so this ends.
    let cut = super::bands::cut_rows(&next.items, next.scale, height);
    let mut blurs = Vec::new();
    backdrops(&next.items, 0.0, &mut blurs);
    let blurs = to_rows(&blurs, next.scale, height);
    loop {
        for span in &mut rows {
            while span.0 > 0 && cut[span.0 as usize] {
                span.0 -= 1;
            }
            while span.1 < height && cut[span.1 as usize] {
                span.1 += 1;
            }
        }
        rows = merge(rows);
        let touched: Vec<(u32, u32)> = blurs
            .iter()
            .filter(|b| rows.iter().any(|r| r.0 < b.1 && b.0 < r.1) && !covered(&rows, **b))
            .copied()
            .collect();
        if touched.is_empty() {
            break;
        }
        rows.extend(touched);
    }
    Some(rows)
}

fn covered(rows: &[(u32, u32)], span: (u32, u32)) -> bool {
    rows.iter().any(|r| r.0 <= span.0 && span.1 <= r.1)
}

/// Spans in points (top, bottom) as merged pixel rows within the picture.
fn to_rows(spans: &[(f32, f32)], scale: f32, height: u32) -> Vec<(u32, u32)> {
    let rows = spans
        .iter()
        .filter_map(|&(top, bottom)| {
            let top = (top * scale - MARGIN_PX).floor().max(0.0) as u32;
            let bottom = ((bottom * scale + MARGIN_PX).ceil().max(0.0) as u32).min(height);
            (top < bottom).then_some((top, bottom))
        })
        .collect();
    merge(rows)
}

/// Sorted, with spans that overlap or nearly touch joined.
fn merge(mut rows: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    rows.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(rows.len());
    for (top, bottom) in rows {
        match out.last_mut() {
            Some(last) if top <= last.1 + JOIN_PX => last.1 = last.1.max(bottom),
            _ => out.push((top, bottom)),
        }
    }
    out
}

/// Adds the extents (points, on the canvas) of the items that differ between `a`
/// and `b`, both drawn at `offset`.
fn diff(a: &[Item], b: &[Item], offset: (f32, f32), out: &mut Vec<(f32, f32)>) {
    for i in 0..a.len().max(b.len()) {
        match (a.get(i), b.get(i)) {
            (Some(x), Some(y)) if same(x, y) => {}
            (
                Some(Item::Group {
                    items: xs,
                    opacity: xo,
                    offset: xoff,
                    clip: xc,
                    bounds: xb,
                }),
                Some(Item::Group {
                    items: ys,
                    opacity: yo,
                    offset: yoff,
                    clip: yc,
                    bounds: yb,
                }),
            ) if xo == yo && xoff == yoff && same_clip(xc, yc) && xb == yb => {
                // Only what differs inside; a clip or a layer only narrows it, and
                // the rows repainted repaint the whole group there.
                let inner = (offset.0 + xoff.0, offset.1 + xoff.1);
                diff(xs, ys, inner, out);
            }
            (x, y) => {
                for item in [x, y].into_iter().flatten() {
                    if let Some(e) = extent(item, offset.1) {
                        out.push(e);
                    }
                }
            }
        }
    }
}

fn same_clip(a: &Option<Shape>, b: &Option<Shape>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => same_shape(a, b),
        _ => false,
    }
}

/// Whether two items paint the same pixels (pictures, text and paths compared by
/// identity first).
fn same(a: &Item, b: &Item) -> bool {
    match (a, b) {
        (Item::Fill { shape: s, paint: p }, Item::Fill { shape: t, paint: q }) => {
            same_shape(s, t) && same_paint(p, q)
        }
        (
            Item::Underlay {
                shape: s,
                color: c,
                covered: r,
            },
            Item::Underlay {
                shape: t,
                color: d,
                covered: q,
            },
        ) => c == d && r == q && same_shape(s, t),
        (
            Item::Stroke {
                shape: s,
                color: c,
                width: w,
            },
            Item::Stroke {
                shape: t,
                color: d,
                width: v,
            },
        ) => c == d && w == v && same_shape(s, t),
        (
            Item::Text {
                origin: o,
                block: x,
            },
            Item::Text {
                origin: p,
                block: y,
            },
        ) => o == p && Arc::ptr_eq(x, y),
        (
            Item::Image {
                rect: r,
                clip: c,
                pixels: x,
            },
            Item::Image {
                rect: s,
                clip: d,
                pixels: y,
            },
        ) => r == s && Arc::ptr_eq(x, y) && same_shape(c, d),
        (
            Item::Icon {
                icon: i,
                rect: r,
                color: c,
            },
            Item::Icon {
                icon: j,
                rect: s,
                color: d,
            },
        ) => i == j && r == s && c == d,
        (Item::BackdropBlur { rect: r, radius: x }, Item::BackdropBlur { rect: s, radius: y }) => {
            r == s && x == y
        }
        (
            Item::Group {
                items: xs,
                opacity: xo,
                offset: xoff,
                clip: xc,
                bounds: xb,
            },
            Item::Group {
                items: ys,
                opacity: yo,
                offset: yoff,
                clip: yc,
                bounds: yb,
            },
        ) => {
            xo == yo
                && xoff == yoff
                && xb == yb
                && same_clip(xc, yc)
                && xs.len() == ys.len()
                && xs.iter().zip(ys).all(|(x, y)| same(x, y))
        }
        _ => false,
    }
}

fn same_shape(a: &Shape, b: &Shape) -> bool {
    match (a, b) {
        (Shape::Rect(r), Shape::Rect(s)) => r == s,
        (Shape::RoundRect(r, x), Shape::RoundRect(s, y)) => r == s && x == y,
        (
            Shape::Circle { cx, cy, r },
            Shape::Circle {
                cx: dx,
                cy: dy,
                r: s,
            },
        ) => cx == dx && cy == dy && r == s,
        (Shape::Path(p), Shape::Path(q)) => Arc::ptr_eq(p, q) || p == q,
        _ => false,
    }
}

fn same_paint(a: &Paint, b: &Paint) -> bool {
    match (a, b) {
        (Paint::Solid(c), Paint::Solid(d)) => c == d,
        (
            Paint::Linear {
                from: f,
                to: t,
                stops: s,
                pinned: p,
            },
            Paint::Linear {
                from: g,
                to: u,
                stops: r,
                pinned: q,
            },
        ) => f == g && t == u && s == r && p == q,
        (
            Paint::Tile {
                pixels: x,
                origin: o,
            },
            Paint::Tile {
                pixels: y,
                origin: p,
            },
        ) => Arc::ptr_eq(x, y) && o == p,
        _ => false,
    }
}

/// The rows (points, top and bottom on the canvas) an item can paint, drawn at
/// vertical offset `dy`; `None` when it paints nothing.
fn extent(item: &Item, dy: f32) -> Option<(f32, f32)> {
    let (top, bottom) = match item {
        Item::Fill { shape, .. } | Item::Underlay { shape, .. } => bands::extent(shape),
        Item::Stroke { shape, width, .. } => {
            let (top, bottom) = bands::extent(shape);
            (top - width, bottom + width)
        }
        Item::Text { origin, block } => {
            // Glyphs reach out of their lines (tall emoji, accents, descenders):
            // a line's ascent of room above and below.
            let room = block.first_baseline.max(1.0);
            (origin.1 - room, origin.1 + block.height + room)
        }
        Item::Image { rect, .. } | Item::Icon { rect, .. } | Item::BackdropBlur { rect, .. } => {
            (rect.y, rect.bottom())
        }
        Item::Group {
            items,
            offset,
            clip,
            bounds,
            opacity,
        } => {
            let inner = dy + offset.1;
            // Clipped, a group paints nothing outside its clip; faded, nothing outside
            // the layer of its bounds; otherwise its items reach where they reach
            // (the painter ignores the bounds then, and so must this).
            let limit = match clip {
                Some(clip) => Some(bands::extent(clip)),
                None if *opacity < 1.0 => bounds.map(|b| (b.y, b.bottom())),
                None => None,
            };
            let mut reach: Option<(f32, f32)> = None;
            for child in items {
                if let Some((t, b)) = extent(child, inner) {
                    reach = Some(reach.map_or((t, b), |(rt, rb)| (rt.min(t), rb.max(b))));
                }
            }
            let (t, b) = reach?;
            return Some(match limit {
                Some((lt, lb)) => (t.max(lt + inner), b.min(lb + inner)),
                None => (t, b),
            })
            .filter(|(t, b)| t < b);
        }
    };
    Some((top + dy, bottom + dy))
}

/// The extents of every backdrop blur, on the canvas.
fn backdrops(items: &[Item], dy: f32, out: &mut Vec<(f32, f32)>) {
    for item in items {
        match item {
            Item::BackdropBlur { rect, .. } => out.push((rect.y + dy, rect.bottom() + dy)),
            Item::Group { items, offset, .. } => backdrops(items, dy + offset.1, out),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::{Color, Rect};

    fn scene(items: Vec<Item>) -> Scene {
        Scene {
            width: 100.0,
            height: 400.0,
            scale: 2.0,
            background: Some(Color::WHITE),
            items,
        }
    }

    fn dot(y: f32, c: Color) -> Item {
        Item::fill(
            Shape::Circle {
                cx: 50.0,
                cy: y,
                r: 5.0,
            },
            c,
        )
    }

    #[test]
    fn the_same_scene_has_no_damage_and_another_size_repaints_all() {
        let a = scene(vec![dot(50.0, Color::BLACK)]);
        assert_eq!(rows(&a, &a.clone()), Some(vec![]));
        let mut b = a.clone();
        b.height = 300.0;
        assert_eq!(rows(&a, &b), None);
    }

    #[test]
    fn a_changed_item_damages_its_rows_in_both_scenes_inside_groups() {
        let group = |y: f32, c: Color| {
            Item::group(
                vec![
                    dot(20.0, Color::BLACK),
                    dot(y, c),
                    Item::rect(Rect::new(0.0, 180.0, 100.0, 10.0), Color::BLACK),
                ],
                (0.0, 10.0),
            )
        };
        let a = scene(vec![group(100.0, Color::BLACK)]);
        // Same place, another colour: the dot's rows only (at 2x, 3 px margin).
        let b = scene(vec![group(100.0, Color::WHITE)]);
        assert_eq!(rows(&a, &b), Some(vec![(207, 233)]));
        // Moved from 100 to 150: both places.
        let c = scene(vec![group(150.0, Color::BLACK)]);
        assert_eq!(rows(&a, &c), Some(vec![(207, 233), (307, 333)]));
        // The whole group moved: everything it covers, before and after.
        let d = scene(vec![Item::group(
            vec![dot(20.0, Color::BLACK)],
            (0.0, 100.0),
        )]);
        let damaged = rows(&a, &d).unwrap();
        assert_eq!(damaged.first().map(|r| r.0), Some(47));
    }

    #[test]
    fn a_blur_touched_anywhere_is_repainted_whole() {
        let blur = Item::BackdropBlur {
            rect: Rect::new(0.0, 0.0, 100.0, 60.0),
            radius: 10.0,
        };
        let a = scene(vec![dot(50.0, Color::BLACK), blur.clone()]);
        let b = scene(vec![dot(50.0, Color::WHITE), blur.clone()]);
        assert_eq!(rows(&a, &b), Some(vec![(0, 123)]));
        // Far from the blur: the blur's rows are left alone.
        let c = scene(vec![dot(150.0, Color::BLACK), blur.clone()]);
        let d = scene(vec![dot(150.0, Color::WHITE), blur]);
        assert_eq!(rows(&c, &d), Some(vec![(287, 313)]));
    }
}
