//! Stacks a skin's blocks into a screen: status bar and header on top, transcript in
//! the middle, composer at the bottom; then, when asked, a phone around it and a 9:16
//! canvas around that. Stills and video frames are assembled the same way.

use std::ops::Range;

use crate::conversation::{Conversation, Entry};
use crate::device::Device;
use crate::fonts::Fonts;
use crate::layout::canvas::{self, Backdrop, Canvas};
use crate::layout::{Block, Cx};
use crate::scene::{Color, Item, Rect, Scene, Shape};
use crate::skin::Skin;

/// How tall the screen is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Viewport {
    /// As tall as the conversation (at least one screen): a scrolling screenshot.
    FullHeight,
    /// One phone screen, scrolled to the newest message.
    Screen,
}

/// What surrounds the transcript and how the picture is framed.
#[derive(Debug, Clone)]
pub(crate) struct Framing {
    pub device: Device,
    /// The screen, points.
    pub width: f32,
    pub height: f32,
    pub scale: f32,
    pub page: Color,
    pub transparent: bool,
    pub framed: bool,
    pub dark: bool,
    /// A short-form video's canvas around the device, when there is one.
    pub canvas: Option<Placement>,
    /// The home indicator's ink, when the composer shows (it is drawn over it).
    pub home_indicator: Option<Color>,
    /// A desktop app's window around the pane (`width` × `height`).
    pub window: Option<std::sync::Arc<crate::layout::window::Window>>,
}

impl Framing {
    pub fn new(cx: &mut Cx<'_>, skin: &dyn Skin, canvas: Option<Canvas>) -> Framing {
        let props = cx.props();
        let framed = props.show_device_frame;
        let canvas = canvas.map(|canvas| {
            let natural = canvas::device_size(cx.device, framed);
            let base = cx.payload.export().resolution_scale.factor();
            let backdrop = match &canvas.backdrop {
                Backdrop::Image(url) => {
                    let (w, h) = canvas.size(natural);
                    let url = url.clone();
                    let px = |v: f32| (v * base).round() as u32;
                    cx.pictures.cover(&url, px(w), px(h))
                }
                _ => None,
            };
            Placement {
                canvas,
                natural,
                shrink: cx.scale / base,
                backdrop,
            }
        });
        let props = cx.props();
        Framing {
            device: cx.device,
            width: cx.width,
            height: cx.height,
            scale: cx.scale,
            page: skin.page_color(),
            transparent: props.transparent_background,
            framed: props.show_device_frame,
            dark: props.dark_mode,
            canvas,
            home_indicator: props.show_footer.then(|| skin.status_ink()),
            window: cx.window.clone(),
        }
    }
}

/// The transcript laid out once: rows with their offsets.
pub(crate) struct Transcript {
    pub rows: Vec<(f32, Block)>,
    pub height: f32,
}

impl Transcript {
    pub fn layout(cx: &mut Cx<'_>, skin: &dyn Skin, conv: &Conversation<'_>) -> Transcript {
        let rows = Transcript::rows(cx, skin, conv, 0..conv.entries.len());
        Transcript::stack(skin, rows)
    }

    /// The rows of the entries in `range`, each laid out with the entry before it
    /// (which may lie before the range) as its context.
    fn rows(
        cx: &mut Cx<'_>,
        skin: &dyn Skin,
        conv: &Conversation<'_>,
        range: Range<usize>,
    ) -> Vec<Block> {
        let mut rows = Vec::with_capacity(range.len());
        for i in range {
            if cx.cancelled() {
                // The caller sees the flag and throws this half-made transcript away.
                break;
            }
            let prev = i.checked_sub(1).map(|p| &conv.entries[p]);
            rows.push(skin.entry(cx, &conv.entries[i], prev));
        }
        rows
    }

    /// Rows one under the other, inside the skin's padding.
    fn stack(skin: &dyn Skin, rows: Vec<Block>) -> Transcript {
        let (pad_top, pad_bottom) = skin.transcript_padding();
        let mut y = pad_top;
        let rows = rows
            .into_iter()
            .map(|block| {
                let top = y;
                y += block.height;
                (top, block)
            })
            .collect();
        Transcript {
            rows,
            height: y + pad_bottom,
        }
    }
}

/// A transcript with fewer rows than this is laid out on one thread: starting a
/// second costs about as much as shaping a few short messages.
const MIN_ROWS_TO_SHARE: usize = 6;
/// What a row costs to lay out beyond its text, and what the fixed parts (status
/// bar, header, composer) cost, in characters of text shaped: the weights that
/// split the work between the two threads.
const ROW_COST: usize = 24;
const FIXED_COST: usize = 120;

/// A still's fixed parts and transcript. With enough rows, the later rows are laid
/// out on a second thread (with a font context of its own from `fonts`) while this
/// one lays out the fixed parts and the earlier rows: shaping is most of a still's
/// layout, and the other core would otherwise wait for it before painting starts.
/// A row depends only on its entry and the one before it, and shaping on no
/// context's caches, so the scene is the same on one thread or two.
pub(crate) fn fixed_and_transcript(
    cx: &mut Cx<'_>,
    skin: &dyn Skin,
    conv: &Conversation<'_>,
    fonts: &Fonts,
    threads: usize,
) -> (Fixed, Transcript) {
    let n = conv.entries.len();
    let split = split_rows(conv);
    if threads < 2 || n < MIN_ROWS_TO_SHARE || split >= n {
        let fixed = Fixed::layout(cx, skin);
        return (fixed, Transcript::layout(cx, skin, conv));
    }
    let mut pictures = cx.pictures.clone();
    std::thread::scope(|scope| {
        let helper = cx.shared();
        let later = scope.spawn(move || {
            let mut ctx = fonts.context();
            let mut cx = helper.with(&mut ctx, &mut pictures);
            Transcript::rows(&mut cx, skin, conv, split..n)
        });
        let fixed = Fixed::layout(cx, skin);
        let mut rows = Transcript::rows(cx, skin, conv, 0..split);
        match later.join() {
            Ok(later) => rows.extend(later),
            Err(panic) => std::panic::resume_unwind(panic),
        }
        (fixed, Transcript::stack(skin, rows))
    })
}

/// Where the rows of the second thread start: the fixed parts and the rows before
/// it weigh about as much as the rows from it on.
fn split_rows(conv: &Conversation<'_>) -> usize {
    let cost = |e: &Entry<'_>| {
        ROW_COST
            + match e {
                Entry::Message(post) => post.text().len(),
                Entry::Separator { .. } => 0,
            }
    };
    let total: usize = FIXED_COST + conv.entries.iter().map(cost).sum::<usize>();
    let mut first = FIXED_COST;
    for (i, e) in conv.entries.iter().enumerate() {
        if 2 * first >= total {
            return i;
        }
        first += cost(e);
    }
    conv.entries.len()
}

/// The fixed parts of the screen.
pub(crate) struct Fixed {
    pub status: Option<Block>,
    pub header: Option<Block>,
    /// The composer (or the bare bottom strip when the footer is hidden).
    pub bottom: Block,
    /// Drawn behind the transcript (a patterned wallpaper).
    pub wallpaper: Option<crate::skin::Wallpaper>,
    /// Where the transcript may start (below the header).
    pub top_inset: f32,
}

impl Fixed {
    pub fn layout(cx: &mut Cx<'_>, skin: &dyn Skin) -> Fixed {
        let props = cx.props();
        let (show_status, show_header, show_footer) = (
            props.show_device_status,
            props.show_header,
            props.show_footer,
        );
        let device = cx.device;
        let status = show_status.then(|| device.status_bar(cx, skin.status_ink()));
        let status_h = status.as_ref().map_or(0.0, |b| b.height);
        let header = show_header.then(|| skin.header(cx, status_h));
        let top_inset = header.as_ref().map_or(status_h, |h| h.height);
        let bottom = if show_footer {
            skin.composer(cx, None)
        } else {
            skin.bare_bottom(cx)
        };
        let wallpaper = if cx.props().transparent_background {
            None
        } else {
            skin.wallpaper(cx)
        };
        Fixed {
            status,
            header,
            bottom,
            wallpaper,
            top_inset,
        }
    }
}

/// Where the transcript's top goes on a screen `height` tall: under the header, or
/// higher so that its end sits just above the bottom bar.
pub(crate) fn scroll_for(top_inset: f32, bottom: f32, content: f32, height: f32) -> f32 {
    top_inset + (height - bottom - top_inset - content).min(0.0)
}

/// A transcript row on this frame: its block, top (screen points) and opacity.
pub(crate) struct Placed<'a> {
    pub block: &'a Block,
    pub top: f32,
    pub opacity: f32,
}

/// Builds one picture: the screen (rows under the fixed bars) and what frames it.
pub(crate) fn assemble(
    framing: &Framing,
    fixed: &Fixed,
    bottom: &Block,
    rows: &[Placed<'_>],
    height: f32,
) -> Scene {
    let width = framing.width;
    let bottom_top = height - bottom.height;
    // Rows pinned above the bottom are drawn after the composer, over it.
    let (pinned, rows): (Vec<&Placed<'_>>, Vec<&Placed<'_>>) =
        rows.iter().partition(|r| r.block.pinned.is_some());
    // Bar materials blur what scrolls beneath them; when nothing does, the blur would
    // only cost time.
    let under_header = rows.iter().any(|r| r.top < fixed.top_inset);
    let under_bottom = rows.iter().any(|r| r.top + r.block.height > bottom_top);
    let without_blur = |b: &Block, keep: bool| -> Vec<Item> {
        b.items
            .iter()
            .filter(|i| keep || !matches!(i, Item::BackdropBlur { .. }))
            .cloned()
            .collect()
    };

    let mut screen = Vec::with_capacity(rows.len() + 4);
    if framing.framed && !framing.transparent {
        // Inside a phone the screen is a shape of its own, not the canvas colour.
        screen.push(Item::rect(Rect::new(0.0, 0.0, width, height), framing.page));
    }
    if let Some(wallpaper) = &fixed.wallpaper {
        let all = Rect::new(0.0, 0.0, width, height);
        screen.push(Item::fill(Shape::Rect(all), wallpaper.base.clone()));
        if let Some(tile) = &wallpaper.tile {
            screen.push(Item::fill(
                Shape::Rect(all),
                crate::scene::Paint::tiled(tile.clone(), (0.0, 0.0)),
            ));
        }
    }
    for row in &rows {
        if row.top > height || row.top + row.block.height < 0.0 || row.opacity <= 0.0 {
            continue;
        }
        let mut items = row.block.items.clone();
        crate::scene::pin_gradients(&mut items, (0.0, row.top));
        screen.push(Item::Group {
            items,
            opacity: row.opacity,
            offset: (0.0, row.top),
            clip: None,
            // Tails, badges and avatars may reach a little past the row.
            bounds: Some(Rect::new(
                -8.0,
                -24.0,
                width + 16.0,
                row.block.height + 48.0,
            )),
        });
    }
    if let Some(header) = &fixed.header {
        screen.push(Item::group(without_blur(header, under_header), (0.0, 0.0)));
    }
    if let Some(status) = &fixed.status {
        screen.push(Item::group(status.items.clone(), (0.0, 0.0)));
    }
    screen.push(Item::group(
        without_blur(bottom, under_bottom),
        (0.0, bottom_top),
    ));
    for row in pinned {
        let above = row.block.pinned.unwrap_or(0.0);
        if row.opacity > 0.0 {
            screen.push(Item::Group {
                items: row.block.items.clone(),
                opacity: row.opacity,
                offset: (0.0, height - above),
                clip: None,
                bounds: Some(Rect::new(0.0, 0.0, width, above)),
            });
        }
    }
    if let Some(ink) = framing.home_indicator
        && let Some(mark) = framing.device.home_indicator((width, bottom.height), ink)
    {
        screen.push(Item::group(vec![mark], (0.0, bottom_top)));
    }

    // A desktop window puts its columns around the pane.
    let (screen, (width, height)) = match &framing.window {
        Some(window) => window.wrap(screen, (width, height)),
        None => (screen, (width, height)),
    };
    let screen_scene = |items, background| Scene {
        width,
        height,
        scale: framing.scale,
        background,
        items,
    };
    let mut scene = if framing.framed {
        let body = framing
            .device
            .body((width, height), framing.dark, framing.transparent);
        let mut items = body.behind;
        items.push(Item::Group {
            items: screen,
            opacity: 1.0,
            offset: body.screen_at,
            clip: Some(body.clip),
            bounds: None,
        });
        items.extend(body.over);
        Scene {
            width: body.size.0,
            height: body.size.1,
            ..screen_scene(items, None)
        }
    } else {
        screen_scene(screen, (!framing.transparent).then_some(framing.page))
    };
    if let Some(p) = &framing.canvas {
        let theme = if framing.transparent {
            None
        } else if framing.dark {
            Some(Color::hex(0x101012))
        } else {
            Some(Color::hex(0xF2F2F7))
        };
        scene = p
            .canvas
            .place(scene, (p.natural, p.shrink), (theme, p.backdrop.as_ref()));
    }
    scene
}

/// A canvas and where the device sits on it.
#[derive(Debug, Clone)]
pub(crate) struct Placement {
    pub canvas: Canvas,
    /// The device at the payload's scale, points.
    pub natural: (f32, f32),
    /// Layout points per natural point (Display Zoom × the safe zone's fit).
    pub shrink: f32,
    /// The picture behind (a background image, or the blurred conversation).
    pub backdrop: Option<std::sync::Arc<tiny_skia::Pixmap>>,
}

/// Assembles a still: the whole transcript, as a tall screenshot or one screen.
pub(crate) fn compose_still(
    framing: &Framing,
    fixed: &Fixed,
    transcript: &Transcript,
    viewport: Viewport,
) -> Scene {
    let bottom_h = fixed.bottom.height;
    let (height, scroll) = match viewport {
        Viewport::FullHeight => (
            framing
                .height
                .max(fixed.top_inset + transcript.height + bottom_h),
            fixed.top_inset,
        ),
        Viewport::Screen => (
            framing.height,
            scroll_for(fixed.top_inset, bottom_h, transcript.height, framing.height),
        ),
    };
    let rows: Vec<Placed<'_>> = transcript
        .rows
        .iter()
        .map(|(y, block)| Placed {
            block,
            top: scroll + y,
            opacity: 1.0,
        })
        .collect();
    assemble(framing, fixed, &fixed.bottom, &rows, height)
}
