//! The display list between layout and raster: positioned things to paint, in points.
//!
//! A [`Scene`] knows nothing of chats, and the raster stage knows nothing else. All
//! coordinates are points; the scene's `scale` turns them into pixels. Text arrives
//! already shaped (at pixel size, so glyphs are hinted for the output density).

use std::sync::Arc;

use tiny_skia::{Path, PathBuilder, Pixmap};

pub use crate::icons::Icon;
pub use crate::text::{TextBlock, TextLine};

/// An sRGB colour with straight (not premultiplied) alpha.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Color {
    pub r: u8,
    pub g: u8,
    pub b: u8,
    pub a: u8,
}

impl Color {
    pub const WHITE: Color = Color::rgb(0xFF, 0xFF, 0xFF);
    pub const BLACK: Color = Color::rgb(0, 0, 0);
    pub const TRANSPARENT: Color = Color::rgba(0, 0, 0, 0);

    pub const fn rgb(r: u8, g: u8, b: u8) -> Color {
        Color { r, g, b, a: 0xFF }
    }

    pub const fn rgba(r: u8, g: u8, b: u8, a: u8) -> Color {
        Color { r, g, b, a }
    }

    /// `0xRRGGBB`, for palettes written the way designers write them.
    pub const fn hex(rgb: u32) -> Color {
        Color::rgb((rgb >> 16) as u8, (rgb >> 8) as u8, rgb as u8)
    }

    /// Parses `#RGB`, `#RRGGBB` or `#RRGGBBAA`.
    pub fn from_hex(s: &str) -> Option<Color> {
        let h = s.strip_prefix('#')?;
        if !h.is_ascii() {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
        let nibble = |i: usize| u8::from_str_radix(&h[i..=i], 16).ok().map(|v| v * 17);
        match h.len() {
            3 => Some(Color::rgb(nibble(0)?, nibble(1)?, nibble(2)?)),
            6 => Some(Color::rgb(byte(0)?, byte(2)?, byte(4)?)),
            8 => Some(Color::rgba(byte(0)?, byte(2)?, byte(4)?, byte(6)?)),
            _ => None,
        }
    }

    /// The same colour with its alpha multiplied by `opacity` (0–1).
    pub fn fade(self, opacity: f32) -> Color {
        Color {
            a: (f32::from(self.a) * opacity.clamp(0.0, 1.0)).round() as u8,
            ..self
        }
    }

    pub fn to_skia(self) -> tiny_skia::Color {
        tiny_skia::Color::from_rgba8(self.r, self.g, self.b, self.a)
    }
}

/// An axis-aligned rectangle in points.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    pub const fn new(x: f32, y: f32, w: f32, h: f32) -> Rect {
        Rect { x, y, w, h }
    }
    pub fn right(&self) -> f32 {
        self.x + self.w
    }
    pub fn bottom(&self) -> f32 {
        self.y + self.h
    }
    pub fn center_x(&self) -> f32 {
        self.x + self.w / 2.0
    }
    pub fn center_y(&self) -> f32 {
        self.y + self.h / 2.0
    }
    pub fn translate(self, dx: f32, dy: f32) -> Rect {
        Rect {
            x: self.x + dx,
            y: self.y + dy,
            ..self
        }
    }
    pub fn inset(self, d: f32) -> Rect {
        Rect::new(self.x + d, self.y + d, self.w - 2.0 * d, self.h - 2.0 * d)
    }
}

/// Geometry to fill or stroke.
#[derive(Debug, Clone)]
pub enum Shape {
    Rect(Rect),
    /// A rectangle with one radius for all corners.
    RoundRect(Rect, f32),
    Circle {
        cx: f32,
        cy: f32,
        r: f32,
    },
    /// Anything else (bubble tails, icons drawn in code), in points.
    Path(Arc<Path>),
}

impl Shape {
    /// The outline as a path in points.
    pub fn to_path(&self) -> Option<Path> {
        match self {
            Shape::Rect(r) => {
                tiny_skia::Rect::from_xywh(r.x, r.y, r.w, r.h).map(PathBuilder::from_rect)
            }
            Shape::RoundRect(r, radius) => rounded_rect(*r, *radius),
            Shape::Circle { cx, cy, r } => PathBuilder::from_circle(*cx, *cy, *r),
            Shape::Path(p) => Some((**p).clone()),
        }
    }

    pub fn path(path: Path) -> Shape {
        Shape::Path(Arc::new(path))
    }
}

/// A rounded rectangle; tiny-skia has no helper for one.
pub(crate) fn rounded_rect(r: Rect, radius: f32) -> Option<Path> {
    let mut pb = PathBuilder::new();
    push_corners(&mut pb, r, Corners::all(radius));
    pb.finish()
}

/// One radius per corner: top-left, top-right, bottom-right, bottom-left.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Corners(pub f32, pub f32, pub f32, pub f32);

impl Corners {
    pub fn all(r: f32) -> Corners {
        Corners(r, r, r, r)
    }

    /// Mirrored left to right.
    pub fn flipped(self) -> Corners {
        Corners(self.1, self.0, self.3, self.2)
    }
}

/// A rectangle with its own radius on each corner, clockwise.
pub(crate) fn push_corners(pb: &mut PathBuilder, r: Rect, c: Corners) {
    let max = (r.w / 2.0).min(r.h / 2.0).max(0.0);
    let fit = |radius: f32| radius.min(max).max(0.0);
    let (tl, tr, br, bl) = (fit(c.0), fit(c.1), fit(c.2), fit(c.3));
    let k = 1.0 - 0.552_284_8;
    let (x0, y0, x1, y1) = (r.x, r.y, r.right(), r.bottom());
    pb.move_to(x0 + tl, y0);
    pb.line_to(x1 - tr, y0);
    pb.cubic_to(x1 - tr * k, y0, x1, y0 + tr * k, x1, y0 + tr);
    pb.line_to(x1, y1 - br);
    pb.cubic_to(x1, y1 - br * k, x1 - br * k, y1, x1 - br, y1);
    pb.line_to(x0 + bl, y1);
    pb.cubic_to(x0 + bl * k, y1, x0, y1 - bl * k, x0, y1 - bl);
    pb.line_to(x0, y0 + tl);
    pb.cubic_to(x0, y0 + tl * k, x0 + tl * k, y0, x0 + tl, y0);
    pb.close();
}

/// How a shape is coloured.
#[derive(Debug, Clone)]
pub enum Paint {
    Solid(Color),
    /// A gradient between two points in the item's coordinates.
    Linear {
        from: (f32, f32),
        to: (f32, f32),
        stops: Vec<(f32, Color)>,
        /// The points are in screen coordinates instead, wherever the item is
        /// placed, so that bubbles share one screen-wide gradient as Messenger's do
        /// (see [`pin_gradients`]).
        pinned: bool,
    },
    /// A picture (already at output pixel size) repeated from `origin`.
    Tile {
        pixels: Arc<Pixmap>,
        origin: (f32, f32),
    },
}

impl Paint {
    /// Whether every pixel it paints with full coverage ends up opaque.
    pub fn is_opaque(&self) -> bool {
        match self {
            Paint::Solid(c) => c.a == 255,
            Paint::Linear { stops, .. } => stops.iter().all(|(_, c)| c.a == 255),
            Paint::Tile { .. } => false,
        }
    }

    /// A picture repeated in both directions from `origin` (points), one picture
    /// pixel per output pixel.
    pub fn tiled(pixels: Arc<Pixmap>, origin: (f32, f32)) -> Paint {
        Paint::Tile { pixels, origin }
    }
}

impl From<Color> for Paint {
    fn from(c: Color) -> Paint {
        Paint::Solid(c)
    }
}

/// Turns the pinned gradients of items that will be drawn at `offset` (on the
/// screen) into gradients in the items' own coordinates.
pub fn pin_gradients(items: &mut [Item], offset: (f32, f32)) {
    for item in items {
        match item {
            Item::Fill {
                paint: Paint::Linear {
                    from, to, pinned, ..
                },
                ..
            } if *pinned => {
                *from = (from.0 - offset.0, from.1 - offset.1);
                *to = (to.0 - offset.0, to.1 - offset.1);
                *pinned = false;
            }
            Item::Group {
                items, offset: o, ..
            } => pin_gradients(items, (offset.0 + o.0, offset.1 + o.1)),
            _ => {}
        }
    }
}

/// One thing to paint.
#[derive(Debug, Clone)]
pub enum Item {
    Fill {
        shape: Shape,
        paint: Paint,
    },
    Stroke {
        shape: Shape,
        color: Color,
        width: f32,
    },
    /// Shaped text whose first line's top-left corner is at `origin`.
    Text {
        origin: (f32, f32),
        block: Arc<TextBlock>,
    },
    /// A picture already scaled to the pixel size of `rect`, clipped to `clip`.
    Image {
        rect: Rect,
        clip: Shape,
        pixels: Arc<Pixmap>,
    },
    /// A bundled SVG icon drawn into `rect` in one colour.
    Icon {
        icon: Icon,
        rect: Rect,
        color: Color,
    },
    /// `shape` filled in `color`, except that the whole pixels inside `covered` (in
    /// the same coordinates; a wide and a tall rectangle crossing like a plus, as
    /// inside a rounded rectangle) may be left unpainted: the item drawn next paints
    /// every one of them opaque. A bubble's shadow under its bubble, which would
    /// otherwise blend a translucent fill over the bubble's whole area for a sliver
    /// that shows below it.
    Underlay {
        shape: Shape,
        color: Color,
        covered: [Rect; 2],
    },
    /// Blurs what is already painted under `rect`, like iOS bar materials.
    BackdropBlur {
        rect: Rect,
        radius: f32,
    },
    /// Items drawn together, faded, moved and clipped as one.
    Group {
        items: Vec<Item>,
        opacity: f32,
        offset: (f32, f32),
        clip: Option<Shape>,
        /// Where the items can reach, in the group's own coordinates: a faded group
        /// is painted through a layer only this large.
        bounds: Option<Rect>,
    },
}

impl Item {
    pub fn fill(shape: Shape, paint: impl Into<Paint>) -> Item {
        Item::Fill {
            shape,
            paint: paint.into(),
        }
    }

    pub fn rect(r: Rect, color: Color) -> Item {
        Item::fill(Shape::Rect(r), color)
    }

    /// Items moved by `offset`.
    pub fn group(items: Vec<Item>, offset: (f32, f32)) -> Item {
        Item::Group {
            items,
            opacity: 1.0,
            offset,
            clip: None,
            bounds: None,
        }
    }

    pub fn text(x: f32, y: f32, block: Arc<TextBlock>) -> Item {
        Item::Text {
            origin: (x, y),
            block,
        }
    }
}

/// A whole picture: size in points, pixel density, background and items in paint
/// order.
#[derive(Debug, Clone)]
pub struct Scene {
    pub width: f32,
    pub height: f32,
    pub scale: f32,
    /// `None` leaves the canvas transparent.
    pub background: Option<Color>,
    pub items: Vec<Item>,
}

impl Scene {
    pub fn pixel_size(&self) -> (u32, u32) {
        (
            (self.width * self.scale).round().max(1.0) as u32,
            (self.height * self.scale).round().max(1.0) as u32,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_colours() {
        assert_eq!(Color::from_hex("#0B84FE"), Some(Color::hex(0x0B84FE)));
        assert_eq!(Color::from_hex("#fff"), Some(Color::WHITE));
        assert_eq!(
            Color::from_hex("#00000080"),
            Some(Color::rgba(0, 0, 0, 0x80))
        );
        assert_eq!(Color::from_hex("0B84FE"), None);
        assert_eq!(Color::from_hex("#12345"), None);
        assert_eq!(Color::from_hex("#ééé"), None);
    }
}
