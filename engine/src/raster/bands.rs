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

use std::sync::{Condvar, Mutex};

use tiny_skia::PixmapMut;

use super::Brush;
use crate::encode::{BandStripes, StripeScratch};
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
            Item::Fill { shape, .. } | Item::Underlay { shape, .. } => extent(shape),
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
/// to `threads` threads, and with `encode` compresses each band's stripes once it
/// is painted (see [`Tasks`] for who does what).
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
    let tasks = Tasks::new(bands);
    let work = || -> Result<(), Error> {
        let mut scratch = StripeScratch::default();
        let mut mine = None;
        while let Some(task) = tasks.next(mine) {
            match task {
                Task::Paint(index, top, band) => {
                    let painting = Painting {
                        tasks: &tasks,
                        band: Some(index),
                    };
                    let height = (band.len() / stride) as u32;
                    if let Some(mut target) = PixmapMut::from_bytes(&mut *band, width, height) {
                        let mut brush = brush;
                        brush.shift = (0.0, -(top as f32));
                        let mut i = 0;
                        if let Some(px) = fill {
                            match brush.wallpaper_on(&mut target, px, list) {
                                Some(painted) => i = painted,
                                None => super::fill_pattern(target.data_mut(), px),
                            }
                        }
                        while let Some(&(item, offset)) = list.get(i) {
                            cancel.check()?;
                            if let Some(&next) = list.get(i + 1)
                                && brush.wallpaper(&mut target, (item, offset), next)
                            {
                                i += 2;
                                continue;
                            }
                            brush.item(&mut target, item, offset);
                            i += 1;
                        }
                    }
                    let stripes = encode.map_or(0, |e| e.stripes_in(band));
                    painting.done(band, stripes);
                    mine = Some(index);
                }
                Task::Stripe(index, stripe, band) => {
                    let encode = encode.expect("stripes only when encoding");
                    let last = index + 1 == tasks.count;
                    let done = encode.stripe((index, stripe), last, band, &mut scratch, cancel);
                    if done.is_err() {
                        tasks.fail();
                    }
                    done?;
                }
            }
        }
        Ok(())
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

/// One thing a thread does: paint a band (its index, top row and pixels), or
/// compress one stripe of a painted band (the band's index, the stripe's, and the
/// band's pixels).
enum Task<'a> {
    Paint(usize, u32, &'a mut [u8]),
    Stripe(usize, usize, &'a [u8]),
}

/// The bands to paint and the stripes of painted bands to compress, handed out to
/// the threads. A thread compresses the stripes of the band it has just painted
/// first (its rows are in that core's cache), then paints the next band; only
/// with no band left does it take another band's stripes, or wait for a band
/// being painted to give it some. The picture is done when both kinds run out, so
/// a core is not left idle while the other compresses a band alone (the bands
/// differ: a band of text can take twice as long as one of bubbles).
struct Tasks<'a> {
    count: usize,
    queue: Mutex<Queue<'a>>,
    changed: Condvar,
}

struct Queue<'a> {
    unpainted: std::iter::Enumerate<std::vec::IntoIter<(u32, &'a mut [u8])>>,
    /// Painted bands with stripes left to hand out.
    painted: Vec<Painted<'a>>,
    /// Bands being painted now.
    painting: usize,
    /// A task failed (cancelled, or a thread panicked): hand out no more.
    failed: bool,
}

/// A painted band whose stripes are being handed out.
struct Painted<'a> {
    band: usize,
    pixels: &'a [u8],
    /// The first stripe not handed out yet.
    next: usize,
    stripes: usize,
}

impl<'a> Tasks<'a> {
    fn new(bands: Vec<(u32, &'a mut [u8])>) -> Self {
        Tasks {
            count: bands.len(),
            queue: Mutex::new(Queue {
                unpainted: bands.into_iter().enumerate(),
                painted: Vec::new(),
                painting: 0,
                failed: false,
            }),
            changed: Condvar::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Queue<'a>> {
        self.queue.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The next task for a thread that last painted band `mine`, waiting while
    /// there is none yet but a band is being painted; `None` when all is done.
    fn next(&self, mine: Option<usize>) -> Option<Task<'a>> {
        let mut queue = self.lock();
        loop {
            if queue.failed {
                return None;
            }
            let own = queue.painted.iter().position(|p| Some(p.band) == mine);
            if own.is_none()
                && let Some((index, (top, band))) = queue.unpainted.next()
            {
                queue.painting += 1;
                return Some(Task::Paint(index, top, band));
            }
            if let Some(at) = own.or((!queue.painted.is_empty()).then_some(0)) {
                let painted = &mut queue.painted[at];
                let task = Task::Stripe(painted.band, painted.next, painted.pixels);
                painted.next += 1;
                if painted.next == painted.stripes {
                    queue.painted.remove(at);
                }
                return Some(task);
            }
            if queue.painting == 0 {
                return None;
            }
            queue = self.changed.wait(queue).unwrap_or_else(|p| p.into_inner());
        }
    }

    /// Stops handing out tasks, and wakes the threads waiting for one.
    fn fail(&self) {
        self.lock().failed = true;
        self.changed.notify_all();
    }

    /// A band's painting ended: painted (its stripes to hand out, if any), or
    /// stopped (`None`: no more tasks). Wakes the threads waiting either way.
    fn end_painting(&self, painted: Option<Painted<'a>>) {
        let mut queue = self.lock();
        queue.painting -= 1;
        match painted {
            Some(painted) if painted.stripes > 0 => queue.painted.push(painted),
            Some(_) => {}
            None => queue.failed = true,
        }
        drop(queue);
        self.changed.notify_all();
    }
}

/// A band being painted. Dropped without [`done`](Self::done) (a cancel or a
/// panic on the way), it fails the tasks, so no thread waits for its stripes.
struct Painting<'t, 'a> {
    tasks: &'t Tasks<'a>,
    band: Option<usize>,
}

impl<'a> Painting<'_, 'a> {
    /// The band is painted: its `stripes` (its pixels `band`) can be compressed.
    fn done(mut self, band: &'a [u8], stripes: usize) {
        let index = self.band.take().expect("painted once");
        self.tasks.end_painting(Some(Painted {
            band: index,
            pixels: band,
            next: 0,
            stripes,
        }));
    }
}

impl Drop for Painting<'_, '_> {
    fn drop(&mut self) {
        if self.band.is_some() {
            self.tasks.end_painting(None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::{Color, Rect};

    /// What a task is, for comparing: ('p', band) to paint, ('s', band, stripe) to
    /// compress.
    fn kind(task: Option<Task<'_>>) -> Option<(char, usize, usize)> {
        task.map(|t| match t {
            Task::Paint(band, ..) => ('p', band, 0),
            Task::Stripe(band, stripe, _) => ('s', band, stripe),
        })
    }

    #[test]
    fn a_thread_compresses_its_own_band_then_paints_then_helps_with_others() {
        let mut data = [0u8; 30];
        let bands: Vec<(u32, &mut [u8])> = data
            .chunks_mut(10)
            .enumerate()
            .map(|(i, b)| (i as u32 * 10, b))
            .collect();
        let tasks = Tasks::new(bands);
        let paint = |mine| match tasks.next(mine) {
            Some(Task::Paint(index, _, band)) => (
                Painting {
                    tasks: &tasks,
                    band: Some(index),
                },
                &*band,
            ),
            _ => panic!("a band to paint"),
        };
        let (first, band0) = paint(None);
        let (second, band1) = paint(None);
        first.done(band0, 2);
        assert_eq!(kind(tasks.next(Some(0))), Some(('s', 0, 0)));
        second.done(band1, 2);
        assert_eq!(
            kind(tasks.next(Some(1))),
            Some(('s', 1, 0)),
            "its own band's"
        );
        assert_eq!(kind(tasks.next(Some(0))), Some(('s', 0, 1)));
        // Its own band's stripes all taken: the next band before another's stripes.
        let (third, band2) = paint(Some(0));
        assert_eq!(kind(tasks.next(Some(1))), Some(('s', 1, 1)));
        third.done(band2, 1);
        assert_eq!(kind(tasks.next(Some(1))), Some(('s', 2, 0)), "another's");
        assert_eq!(kind(tasks.next(Some(2))), None, "all done");
    }

    /// A band whose painting stops (cancelled, or a panic) wakes a thread waiting
    /// for its stripes, which then stops too instead of waiting forever.
    #[test]
    fn a_band_that_stops_painting_wakes_the_threads_waiting_for_it() {
        let mut data = [0u8; 20];
        let bands: Vec<(u32, &mut [u8])> = data.chunks_mut(10).map(|b| (0, b)).collect();
        let tasks = Tasks::new(bands);
        let Some(Task::Paint(0, _, band0)) = tasks.next(None) else {
            panic!("band 0 to paint");
        };
        let Some(Task::Paint(1, ..)) = tasks.next(None) else {
            panic!("band 1 to paint");
        };
        let painting = Painting {
            tasks: &tasks,
            band: Some(1),
        };
        Painting {
            tasks: &tasks,
            band: Some(0),
        }
        .done(band0, 0);
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::scope(|s| {
            s.spawn(|| sender.send(kind(tasks.next(Some(0)))));
            assert!(
                receiver
                    .recv_timeout(std::time::Duration::from_millis(200))
                    .is_err(),
                "waits while band 1 is painted"
            );
            drop(painting);
            let woken = receiver.recv_timeout(std::time::Duration::from_secs(10));
            if woken.is_err() {
                tasks.fail(); // let it go: the test fails instead of hanging
            }
            assert_eq!(woken, Ok(None), "woken, and given nothing");
        });
    }

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
