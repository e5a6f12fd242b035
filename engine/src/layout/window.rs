//! A desktop app's window around its conversation pane: columns on either side (a
//! navigation rail, the chat list, an info panel) and, for some apps, a bar across
//! the top. Laid out once by the skin; drawn at whatever height the pane takes (a
//! long conversation makes the whole window taller, its columns with it).

use crate::layout::Block;
use crate::scene::{Color, Item, Rect};

/// The window around the pane.
#[derive(Debug, Clone, Default)]
pub(crate) struct Window {
    /// Across the whole width, above the columns and the pane.
    pub top: Option<Block>,
    /// Left of the pane, outermost first.
    pub left: Vec<Column>,
    /// Right of the pane, innermost first.
    pub right: Vec<Column>,
    /// The pane as a card inset in a frame (Slack's): the frame's colour, the
    /// inset below the pane, and the radius of its right-hand corners.
    pub card: Option<(Color, f32, f32)>,
}

/// One full-height column.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub width: f32,
    pub fill: Color,
    /// Laid out from the column's top.
    pub top: Block,
    /// Pinned to the column's bottom (a user panel), drawn over `top`.
    pub bottom: Option<Block>,
    /// A one-point line on the side facing the pane.
    pub edge: Option<Color>,
}

impl Window {
    /// Height of the bar across the top.
    pub fn top_height(&self) -> f32 {
        self.top.as_ref().map_or(0.0, |b| b.height)
    }

    /// Where the pane starts.
    pub fn pane_x(&self) -> f32 {
        self.left.iter().map(|c| c.width).sum()
    }

    /// The pane's size in a window of `screen` points.
    pub fn pane_size(&self, (w, h): (f32, f32)) -> (f32, f32) {
        let right: f32 = self.right.iter().map(|c| c.width).sum();
        let below = self.card.map_or(0.0, |(_, inset, _)| inset);
        (w - self.pane_x() - right, h - self.top_height() - below)
    }

    /// The window's size around a pane of `pane` points (what [`Self::pane_size`]
    /// was given).
    pub fn screen_size(&self, (pw, ph): (f32, f32)) -> (f32, f32) {
        let right: f32 = self.right.iter().map(|c| c.width).sum();
        let below = self.card.map_or(0.0, |(_, inset, _)| inset);
        (pw + self.pane_x() + right, ph + self.top_height() + below)
    }

    /// The window with `pane` (items of a pane `pw` × `ph`) in its place, and the
    /// window's size. Nothing is clipped (a clipped group is painted through a
    /// layer the size of the picture, ten times the cost of the window at 2x): the
    /// pane goes first and the opaque columns over it hide whatever reaches past its
    /// edges (a bubble's tail, a reaction).
    pub fn wrap(&self, pane: Vec<Item>, (pw, ph): (f32, f32)) -> (Vec<Item>, (f32, f32)) {
        let top = self.top_height();
        let x0 = self.pane_x();
        let mut items = vec![Item::group(pane, (x0, top))];
        let below = self.card.map_or(0.0, |(_, inset, _)| inset);
        if let Some((frame, inset, radius)) = self.card {
            // The frame under the card, and over its right-hand corners.
            items.push(Item::rect(Rect::new(x0, top + ph, pw, inset), frame));
            let card = Rect::new(x0, top, pw, ph);
            items.extend(corner_caps(card, radius, frame));
        }
        // Columns reach the window's bottom, past a card's inset.
        let mut x = 0.0;
        for column in &self.left {
            items.extend(column.items(x, top, ph + below, true));
            x += column.width;
        }
        x += pw;
        for column in &self.right {
            items.extend(column.items(x, top, ph + below, false));
            x += column.width;
        }
        if let Some(bar) = &self.top {
            items.push(Item::group(bar.items.clone(), (0.0, 0.0)));
        }
        (items, (x, top + ph + below))
    }
}

/// What lies outside the rounded top-right and bottom-right corners of `r`, filled
/// with `color`: laid over a square card, they round it.
fn corner_caps(r: Rect, radius: f32, color: Color) -> Vec<Item> {
    let k = 0.552_284_8 * radius;
    let mut caps = Vec::new();
    // (corner, the point along the top/bottom edge, the point along the side)
    for (corner, along, side) in [
        (
            (r.right(), r.y),
            (r.right() - radius, r.y),
            (r.right(), r.y + radius),
        ),
        (
            (r.right(), r.bottom()),
            (r.right() - radius, r.bottom()),
            (r.right(), r.bottom() - radius),
        ),
    ] {
        let mut pb = tiny_skia::PathBuilder::new();
        pb.move_to(corner.0, corner.1);
        pb.line_to(along.0, along.1);
        let dy = side.1 - along.1;
        pb.cubic_to(
            along.0 + k,
            along.1,
            side.0,
            side.1 - dy.signum() * k,
            side.0,
            side.1,
        );
        pb.close();
        if let Some(path) = pb.finish() {
            caps.push(Item::fill(crate::scene::Shape::path(path), color));
        }
    }
    caps
}

impl Column {
    fn items(&self, x: f32, top: f32, height: f32, left_of_pane: bool) -> Vec<Item> {
        let mut items = vec![Item::rect(Rect::new(x, top, self.width, height), self.fill)];
        // The column's content is laid out for the window's least height; a
        // taller window leaves room below it.
        items.push(Item::group(self.top.items.clone(), (x, top)));
        if let Some(bottom) = &self.bottom {
            items.push(Item::group(
                bottom.items.clone(),
                (x, top + height - bottom.height),
            ));
        }
        if let Some(edge) = self.edge {
            let ex = if left_of_pane {
                x + self.width - 1.0
            } else {
                x
            };
            items.push(Item::rect(Rect::new(ex, top, 1.0, height), edge));
        }
        items
    }
}
