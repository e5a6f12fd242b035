//! Painting on several cores: the picture is cut into horizontal bands and every
//! band paints the whole display list, clipped to its rows, on its own thread.
//!
//! The bands depend only on the scene, never on how many threads paint them, so the
//! same scene gives the same pixels on every machine. A curve cut by a band's edge
//! is clipped by tiny-skia and can come out a shade different from the uncut one,
//! so each edge is moved, within a quarter of a band, to a row that no shape, icon
//! or picture crosses (the gaps between messages) when there is one; text and
//! rectangles paint the same pixels cut or not. An item that reads the pixels under
//! it (a backdrop blur) may reach across an edge: it is painted over the whole
//! picture once the bands before it are done.

use std::sync::Mutex;

use tiny_skia::PixmapMut;

use super::Brush;
use crate::encode::BandStripes;
use crate::scene::{Item, Rect, Shape};
use crate::{Cancel, Error};

/// Fewest rows in a band: below this the per-band walk over the list costs more
/// than the band saves.
const MIN_BAND_ROWS: u32 = 256;

/// Most bands (and threads) per picture.
const MAX_BANDS: u32 = 4;

/// Paints `items` into `pixmap`, band by band where it can, after filling it with
/// the pixel `fill` when given (each band its own rows, when the first step is
/// painted in bands).
///
/// With `encode`, when every item is painted in bands (no backdrop blur) and
/// there is more than one band, each band is handed to it as soon as it is
/// painted; returns whether they were. (A picture of one band is left to the
/// encoder's own stripes, which share it out between the cores.)
pub(super) fn paint(
    mut pixmap: PixmapMut<'_>,
    items: &[Item],
    mut fill: Option<[u8; 4]>,
    brush: Brush<'_>,
    threads: usize,
    encode: Option<&BandStripes>,
    cancel: &Cancel,
) -> Result<bool, Error> {
    let mut steps = Vec::new();
    plan(items, (0.0, 0.0), &mut steps);
    let (width, height) = (pixmap.width(), pixmap.height());
    let tops = band_tops(items, brush.scale, height);
    let encode = encode.filter(|_| tops.len() > 1 && matches!(steps.as_slice(), [Step::Bands(_)]));
    if !matches!(steps.first(), Some(Step::Bands(_)))
        && let Some(px) = fill.take()
    {
        super::fill_pattern(pixmap.data_mut(), px);
    }
    for step in steps {
        match step {
            Step::Bands(list) => in_bands(
                pixmap.data_mut(),
                width,
                &tops,
                &list,
                fill.take(),
                brush,
                threads,
                encode,
                cancel,
            )?,
            Step::Whole(item, offset) => {
                cancel.check()?;
                let mut whole = brush;
                whole.item(&mut pixmap, item, offset);
            }
        }
    }
    Ok(encode.is_some())
}

/// Paints `items` into the rows `rows` (top inclusive, bottom exclusive, sorted
/// and apart) of `pixmap` only, one span after the other on this thread. Every
/// backdrop blur a span touches lies wholly inside it (see `damage::rows`), so
/// the whole list is painted in order, blurs included.
#[cfg(feature = "video")]
pub(super) fn paint_rows(
    mut pixmap: PixmapMut<'_>,
    items: &[Item],
    brush: Brush<'_>,
    rows: &[(u32, u32)],
    cancel: &Cancel,
) -> Result<(), Error> {
    let (width, height) = (pixmap.width(), pixmap.height());
    let stride = width as usize * 4;
    let data = pixmap.data_mut();
    for &(top, bottom) in rows {
        let bottom = bottom.min(height);
        let Some(span) = data.get_mut(top as usize * stride..bottom as usize * stride) else {
            continue;
        };
        let Some(mut target) = PixmapMut::from_bytes(span, width, bottom - top) else {
            continue;
        };
        let mut brush = brush;
        brush.shift = (0.0, -(top as f32));
        for item in items {
            cancel.check()?;
            brush.item(&mut target, item, (0.0, 0.0));
        }
    }
    Ok(())
}

/// The first row of every band of a picture `height` pixels tall (the first is 0):
/// equal bands, each edge moved to the nearest row within a quarter of a band that
/// no curve of `items` crosses.
pub(super) fn band_tops(items: &[Item], scale: f32, height: u32) -> Vec<u32> {
    let bands = (height / MIN_BAND_ROWS).clamp(1, MAX_BANDS);
    if bands == 1 {
        return vec![0];
    }
    let cut = cut_rows(items, scale, height);
    let rows = height / bands;
    let reach = rows / 4;
    let mut tops = vec![0];
    for i in 1..bands {
        let ideal = i * rows;
        let free = (0..=reach)
            .flat_map(|d| [ideal - d, ideal + d])
            .find(|&y| y > 0 && y < height && !cut[y as usize]);
        tops.push(free.unwrap_or(ideal));
    }
    tops
}

/// `cut[y]`: an edge just above row `y` would cut a curve of `items` (whose pixels
/// would then come out a shade different from painting it uncut).
pub(super) fn cut_rows(items: &[Item], scale: f32, height: u32) -> Vec<bool> {
    let mut starts = vec![0i32; height as usize + 1];
    curves(items, scale, 0.0, &mut |top, bottom| {
        let first = (top.floor().max(0.0) as usize + 1).min(height as usize);
        let end = (bottom.ceil().max(0.0) as usize).min(height as usize);
        if first < end {
            starts[first] += 1;
            starts[end] -= 1;
        }
    });
    let mut cut = Vec::with_capacity(height as usize);
    let mut depth = 0;
    for d in &starts[..height as usize] {
        depth += d;
        cut.push(depth > 0);
    }
    cut
}

/// Calls `found` with the rows (top, bottom in pixels) of every item whose edges a
/// band's edge would change: shapes other than whole-pixel rectangles, strokes,
/// pictures, icons and clips (text is drawn glyph by glyph on whole pixels).
fn curves(items: &[Item], scale: f32, dy: f32, found: &mut dyn FnMut(f32, f32)) {
    for item in items {
        let whole = |v: f32| ((v + dy) * scale).fract().abs() < 1e-3;
        let (top, bottom) = match item {
            Item::Fill {
                shape: Shape::Rect(r),
                ..
            } if whole(r.y) && whole(r.bottom()) => continue,
            Item::Text { .. } => continue,
            // A rounded rectangle's sides are straight: only the rows of its
            // corners (and its top and bottom edges) change when cut. Bubbles and a
            // framed phone's body would otherwise leave no row uncut.
            Item::Fill {
                shape: Shape::RoundRect(r, radius),
                ..
            } => {
                corners(*r, *radius, dy, scale, found);
                continue;
            }
            Item::Stroke {
                shape: Shape::RoundRect(r, radius),
                width,
                ..
            } => {
                corners(r.inset(-width), radius + width, dy, scale, found);
                continue;
            }
            Item::Fill { shape, .. } => extent(shape),
            Item::Stroke { shape, width, .. } => {
                let (top, bottom) = extent(shape);
                (top - width, bottom + width)
            }
            Item::Image { rect, .. }
            | Item::Icon { rect, .. }
            | Item::BackdropBlur { rect, .. } => (rect.y - 1.0, rect.bottom() + 1.0),
            Item::Group {
                items,
                offset,
                clip,
                ..
            } => {
                curves(items, scale, dy + offset.1, found);
                match clip {
                    None => continue,
                    // A clip on whole pixels cuts the same cut or not; a rounded
                    // one only at its corners (its sides are straight): a framed
                    // screen's clip must not make every row of it a curve.
                    Some(Shape::Rect(r))
                        if whole(r.y + offset.1) && whole(r.bottom() + offset.1) =>
                    {
                        continue;
                    }
                    Some(Shape::RoundRect(r, radius)) => {
                        corners(*r, *radius, dy + offset.1, scale, found);
                        continue;
                    }
                    Some(clip) => {
                        let (top, bottom) = extent(clip);
                        (top + offset.1, bottom + offset.1)
                    }
                }
            }
        };
        found((top + dy) * scale, (bottom + dy) * scale);
    }
}

/// The rows of a rounded rectangle's corners (at least a point each: its top and
/// bottom edges), drawn at vertical offset `dy`.
fn corners(r: Rect, radius: f32, dy: f32, scale: f32, found: &mut dyn FnMut(f32, f32)) {
    let corner = radius.max(1.0).min(r.h);
    let (top, bottom) = (r.y + dy, r.bottom() + dy);
    found(top * scale, (top + corner) * scale);
    found((bottom - corner) * scale, bottom * scale);
}

/// A shape's top and bottom in points.
pub(super) fn extent(shape: &Shape) -> (f32, f32) {
    match shape {
        Shape::Rect(r) | Shape::RoundRect(r, _) => (r.y, r.bottom()),
        Shape::Circle { cy, r, .. } => (cy - r, cy + r),
        Shape::Path(path) => (path.bounds().top(), path.bounds().bottom()),
    }
}

/// A run of items painted band by band, or one painted over the whole picture.
enum Step<'s> {
    Bands(Vec<(&'s Item, (f32, f32))>),
    Whole(&'s Item, (f32, f32)),
}

/// Orders the items into steps, opening plain groups that hold a backdrop blur so
/// that only the blur itself (or the layer around it) waits for every band.
fn plan<'s>(items: &'s [Item], offset: (f32, f32), steps: &mut Vec<Step<'s>>) {
    for item in items {
        if !reads_backdrop(item) {
            match steps.last_mut() {
                Some(Step::Bands(list)) => list.push((item, offset)),
                _ => steps.push(Step::Bands(vec![(item, offset)])),
            }
            continue;
        }
        match item {
            Item::Group {
                items,
                opacity,
                offset: inner,
                clip: None,
                ..
            } if *opacity >= 1.0 => plan(items, (offset.0 + inner.0, offset.1 + inner.1), steps),
            _ => steps.push(Step::Whole(item, offset)),
        }
    }
}

/// Whether painting the item reads pixels painted before it.
fn reads_backdrop(item: &Item) -> bool {
    match item {
        Item::BackdropBlur { .. } => true,
        Item::Group { items, .. } => items.iter().any(reads_backdrop),
        _ => false,
    }
}

/// Paints `list` into every band of `data` (a picture `width` pixels wide) with up
/// to `threads` threads, one band at a time each, and hands each band to `encode`
/// when given, on the thread that painted it.
#[allow(clippy::too_many_arguments)] // one band's whole task, passed through
fn in_bands(
    data: &mut [u8],
    width: u32,
    tops: &[u32],
    list: &[(&Item, (f32, f32))],
    fill: Option<[u8; 4]>,
    brush: Brush<'_>,
    threads: usize,
    encode: Option<&BandStripes>,
    cancel: &Cancel,
) -> Result<(), Error> {
    let stride = width as usize * 4;
    let count = tops.len();
    let mut bands: Vec<(u32, &mut [u8])> = Vec::with_capacity(tops.len());
    let mut rest = data;
    for (i, &top) in tops.iter().enumerate() {
        let next = tops
            .get(i + 1)
            .map_or(rest.len(), |&n| (n - top) as usize * stride);
        let (band, after) = rest.split_at_mut(next.min(rest.len()));
        bands.push((top, band));
        rest = after;
    }
    let threads = threads.min(bands.len());
    let queue = Mutex::new(bands.into_iter().enumerate());
    let work = || -> Result<(), Error> {
        loop {
            let next = queue.lock().unwrap_or_else(|p| p.into_inner()).next();
            let Some((index, (top, band))) = next else {
                return Ok(());
            };
            if let Some(px) = fill {
                super::fill_pattern(band, px);
            }
            let height = (band.len() / stride) as u32;
            let Some(mut target) = PixmapMut::from_bytes(&mut *band, width, height) else {
                continue;
            };
            let mut brush = brush;
            brush.shift = (0.0, -(top as f32));
            for (item, offset) in list {
                cancel.check()?;
                brush.item(&mut target, item, *offset);
            }
            if let Some(encode) = encode {
                encode.band(index, index + 1 == count, band, cancel)?;
            }
        }
    };
    if threads <= 1 {
        return work();
    }
    std::thread::scope(|s| {
        let helpers: Vec<_> = (1..threads).map(|_| s.spawn(work)).collect();
        let mine = work();
        helpers.into_iter().fold(mine, |result, helper| {
            let theirs = helper
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            result.and(theirs)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::{Color, Rect};

    #[test]
    fn bands_cover_every_row_whatever_the_height() {
        for height in [1, 2, 255, 256, 511, 512, 1000, 1600, 2556, 10_000] {
            let tops = band_tops(&[], 2.0, height);
            assert_eq!(tops[0], 0);
            assert!(
                (1..=MAX_BANDS as usize).contains(&tops.len()),
                "{height}: {tops:?}"
            );
            for pair in tops.windows(2) {
                assert!(pair[1] - pair[0] >= MIN_BAND_ROWS / 2, "{height}: {tops:?}");
            }
            assert!(height - tops.last().unwrap() >= MIN_BAND_ROWS.min(height) / 2);
        }
    }

    #[test]
    fn band_edges_move_off_curves_into_the_gaps() {
        // 1024 px tall at 2x: four bands, ideal edges at 256, 512, 768 px. A dot
        // over rows 240–290 (points 120–145) moves the first edge to the gap above
        // it; nothing is in the way of the others.
        let dot = Item::fill(
            Shape::Circle {
                cx: 50.0,
                cy: 132.5,
                r: 12.5,
            },
            Color::BLACK,
        );
        let tops = band_tops(&[dot], 2.0, 1024);
        assert_eq!(tops, [0, 240, 512, 768]);
        // A rounded rectangle over the same rows moves it only off its corners:
        // rows 240–256 and 274–290 (8 pt corners); row 256 is on its straight side.
        let bubble = Item::fill(
            Shape::RoundRect(Rect::new(0.0, 120.0, 100.0, 25.0), 8.0),
            Color::BLACK,
        );
        assert_eq!(
            band_tops(std::slice::from_ref(&bubble), 2.0, 1024),
            [0, 256, 512, 768]
        );
        let low = Item::group(vec![bubble], (0.0, 4.0));
        assert_eq!(band_tops(&[low], 2.0, 1024), [0, 248, 512, 768]);
        // Rectangles and text never move an edge.
        let column = Item::rect(Rect::new(0.0, 0.0, 10.0, 500.0), Color::BLACK);
        assert_eq!(band_tops(&[column], 2.0, 1024), [0, 256, 512, 768]);
    }

    #[test]
    fn only_what_reads_the_backdrop_waits_for_every_band() {
        let rect = |c| Item::rect(Rect::new(0.0, 0.0, 1.0, 1.0), c);
        let blur = Item::BackdropBlur {
            rect: Rect::new(0.0, 0.0, 1.0, 1.0),
            radius: 4.0,
        };
        let bar = Item::Group {
            items: vec![blur, rect(Color::WHITE)],
            opacity: 1.0,
            offset: (0.0, 10.0),
            clip: None,
            bounds: None,
        };
        let items = vec![
            rect(Color::BLACK),
            rect(Color::WHITE),
            bar,
            rect(Color::BLACK),
        ];
        let mut steps = Vec::new();
        plan(&items, (0.0, 0.0), &mut steps);
        let shape: Vec<String> = steps
            .iter()
            .map(|s| match s {
                Step::Bands(list) => format!("bands {}", list.len()),
                Step::Whole(_, offset) => format!("whole at {}", offset.1),
            })
            .collect();
        // The bar's group is opened: its blur alone is painted whole, at the
        // group's offset; the bar's fill and what follows go back to the bands.
        assert_eq!(shape, ["bands 2", "whole at 10", "bands 2"]);
    }
}
