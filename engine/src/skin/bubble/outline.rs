//! Bubble outlines: rounded rectangles with a radius per corner, and the platforms'
//! tails. A tail is a second sub-path wound the same way as the bubble, so a non-zero
//! fill unites them; shapes are built for a tail on the right and mirrored for the
//! left, which flips both sub-paths alike.

use tiny_skia::{PathBuilder, Transform};

use crate::scene::{Corners, Item, Paint, Rect, Shape, push_corners};

use super::{BubbleChat, row::RunPlace};

/// The tail a bubble grows on one end of a run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Tail {
    None,
    /// iMessage's hook out of the bottom corner of the last bubble.
    Hook,
    /// Telegram's smaller curl out of the bottom corner of the last bubble.
    Curl,
    /// WhatsApp's triangle at the top corner of the first bubble.
    Flag,
    /// No tail, but the sender-side bottom corner of a run's last bubble stays
    /// as sharp as the joined ones (X).
    Corner,
    /// LINE's horn curling out of the top corner of the first bubble.
    Horn,
    /// WeChat's small triangle on the side, level with the avatar's middle, on
    /// every bubble.
    Pointer,
}

/// A bubble with per-corner radii (as seen on screen), and a tail when asked.
/// `left`: the tail side (received bubbles) is the left.
pub(crate) fn bubble(r: Rect, corners: Corners, tail: Tail, left: bool) -> Shape {
    let mut pb = PathBuilder::new();
    if matches!(tail, Tail::None | Tail::Corner) {
        push_corners(&mut pb, r, corners);
        return pb
            .finish()
            .map_or(Shape::RoundRect(r, corners.0), Shape::path);
    }
    // Built with the tail on the right in the bubble's own coordinates, then mirrored.
    let local = if left { corners.flipped() } else { corners };
    push_corners(&mut pb, Rect::new(0.0, 0.0, r.w, r.h), local);
    match tail {
        Tail::Hook => hook(&mut pb, (r.w, r.h), 8.0, 8.4, 101.0, 5.0, 18.0),
        Tail::Curl => hook(&mut pb, (r.w, r.h), 6.0, 6.6, 100.0, 4.0, 14.0),
        Tail::Flag => flag(&mut pb, r.w),
        Tail::Pointer => pointer(&mut pb, r.w),
        Tail::Horn => horn(&mut pb, r.w),
        Tail::None | Tail::Corner => {}
    }
    let ts = if left {
        Transform::from_row(-1.0, 0.0, 0.0, 1.0, r.x + r.w, r.y)
    } else {
        Transform::from_translate(r.x, r.y)
    };
    pb.finish()
        .and_then(|p| p.transform(ts))
        .map_or(Shape::RoundRect(r, corners.0), Shape::path)
}

/// The hook of a bubble (right side): it fills the bottom corner square and flares
/// out of the side. Its outer edge is an arc of radius `r` leaving the side `rise`
/// above the bottom and running to `end` degrees; it ends in a tip `tip` outside the
/// bubble, softly rounded; the bottom edge runs flat into it. `corner` is the square
/// of the bubble's own rounded corner that it fills.
fn hook(
    pb: &mut PathBuilder,
    (w, h): (f32, f32),
    r: f32,
    rise: f32,
    end: f32,
    tip: f32,
    corner: f32,
) {
    let corner = corner.min(h / 2.0);
    pb.move_to(w - corner, h - corner);
    pb.line_to(w, h - corner);
    pb.line_to(w, h - rise);
    arc(pb, (w + r, h - rise), (r, r), 180.0, end);
    pb.quad_to(w + tip + 2.0, h, w + tip, h);
    pb.line_to(w - corner, h);
    pb.close();
}

/// WhatsApp's flag: the top corner is square and a small triangle points out of it.
fn flag(pb: &mut PathBuilder, w: f32) {
    pb.move_to(w - 12.0, 0.0);
    pb.line_to(w + 6.5, 0.0);
    // A softened tip.
    pb.quad_to(w + 8.6, 0.2, w + 7.3, 1.9);
    pb.line_to(w, 11.5);
    pb.line_to(w - 12.0, 11.5);
    pb.close();
}

/// LINE's horn: the top corner is square and its top edge runs on into a point
/// that curls back into the side.
fn horn(pb: &mut PathBuilder, w: f32) {
    pb.move_to(w - 12.0, 0.0);
    pb.line_to(w + 4.5, 0.0);
    pb.quad_to(w + 7.2, 0.1, w + 6.0, 1.9);
    pb.quad_to(w + 1.2, 6.5, w, 14.0);
    pb.line_to(w - 12.0, 14.0);
    pb.close();
}

/// WeChat's pointer: a triangle 6 wide and 12 tall, its tip softened, centred 20
/// below the bubble's top (the middle of the avatar beside it).
fn pointer(pb: &mut PathBuilder, w: f32) {
    pb.move_to(w - 1.0, 14.0);
    pb.line_to(w + 5.0, 19.0);
    pb.quad_to(w + 6.3, 20.0, w + 5.0, 21.0);
    pb.line_to(w - 1.0, 26.0);
    pb.close();
}

/// Appends an elliptical arc from angle `a0` to `a1` (degrees, y down) as cubics.
pub(crate) fn arc(pb: &mut PathBuilder, c: (f32, f32), rad: (f32, f32), a0: f32, a1: f32) {
    let segments = ((a1 - a0).abs() / 90.0).ceil().max(1.0) as usize;
    let step = (a1 - a0).to_radians() / segments as f32;
    let k = 4.0 / 3.0 * (step / 4.0).tan();
    let mut a = a0.to_radians();
    let point = |a: f32| (c.0 + rad.0 * a.cos(), c.1 + rad.1 * a.sin());
    for _ in 0..segments {
        let b = a + step;
        let (p0, p3) = (point(a), point(b));
        let c1 = (p0.0 - k * rad.0 * a.sin(), p0.1 + k * rad.1 * a.cos());
        let c2 = (p3.0 + k * rad.0 * b.sin(), p3.1 - k * rad.1 * b.cos());
        pb.cubic_to(c1.0, c1.1, c2.0, c2.1, p3.0, p3.1);
        a = b;
    }
}

impl BubbleChat {
    /// The outline of a bubble at its place in the run.
    pub(super) fn bubble_shape(&self, r: Rect, place: RunPlace, incoming: bool) -> Shape {
        let d = &self.design;
        let (full, joined) = (d.radius, d.joined_radius);
        // Corners on the sender's side meet the run's other bubbles.
        let top = if place.first { full } else { joined };
        let bottom = if place.last && d.tail != Tail::Corner {
            full
        } else {
            joined
        };
        let mut c = if incoming {
            Corners(top, full, full, bottom)
        } else {
            Corners(full, top, bottom, full)
        };
        let tail = match d.tail {
            Tail::Flag | Tail::Horn if place.first => d.tail,
            Tail::Pointer if place.first => Tail::Pointer,
            Tail::Hook | Tail::Curl if place.last => d.tail,
            _ => Tail::None,
        };
        if matches!(tail, Tail::Flag | Tail::Horn) {
            // The flag and the horn replace the top corner on the sender's side.
            if incoming {
                c.0 = 0.0;
            } else {
                c.1 = 0.0;
            }
        }
        bubble(r, c, tail, incoming)
    }
}

/// How far a bubble's shadow sits below the bubble, points.
const SHADOW_DROP: f32 = 0.8;

impl BubbleChat {
    /// The design's shadow under a bubble of `shape` (laid out in `r`) painted with
    /// `body`: the same shape a little lower. Under an opaque bubble its
    /// straight-sided middle (below the top corners, above the lowered shape's
    /// bottom ones) is hidden, and is left unpainted.
    pub(super) fn shadow(&self, shape: &Shape, r: Rect, body: &Paint) -> Option<Item> {
        let color = self.design.shadow?;
        // What both the bubble and its shadow cover whole, in the shadow's
        // coordinates: between the corners across, and between them down.
        let corner = self.design.radius.max(self.design.joined_radius);
        let across = Rect::new(r.x, r.y + corner, r.w, r.h - 2.0 * corner - SHADOW_DROP);
        let down = Rect::new(r.x + corner, r.y, r.w - 2.0 * corner, r.h - SHADOW_DROP);
        let item = if body.is_opaque() {
            Item::Underlay {
                shape: shape.clone(),
                color,
                covered: [across, down],
            }
        } else {
            Item::fill(shape.clone(), color)
        };
        Some(Item::Group {
            items: vec![item],
            opacity: 1.0,
            offset: (0.0, SHADOW_DROP),
            clip: None,
            bounds: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounds(s: &Shape) -> tiny_skia::Rect {
        s.to_path().unwrap().bounds()
    }

    #[test]
    fn tails_reach_out_on_their_side() {
        let r = Rect::new(100.0, 10.0, 80.0, 36.0);
        for tail in [
            Tail::Hook,
            Tail::Curl,
            Tail::Flag,
            Tail::Pointer,
            Tail::Horn,
        ] {
            let right = bounds(&bubble(r, Corners::all(18.0), tail, false));
            assert!(right.right() > r.right() + 3.0, "{tail:?} right");
            assert!(
                (right.left() - r.x).abs() < 0.01,
                "{tail:?} stays inside on the left"
            );
            let left = bounds(&bubble(r, Corners::all(18.0), tail, true));
            assert!(left.left() < r.x - 3.0, "{tail:?} left");
            assert!((left.right() - r.right()).abs() < 0.01);
        }
        let plain = bounds(&bubble(r, Corners::all(18.0), Tail::None, false));
        assert_eq!((plain.left(), plain.right()), (r.x, r.right()));
    }
}
