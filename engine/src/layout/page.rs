//! Stacks a skin's blocks into a screen: status bar and header on top, transcript in
//! the middle, composer at the bottom; then, when asked, a phone around it and a 9:16
//! canvas around that. Stills and video frames are assembled the same way.

use crate::conversation::Conversation;
use crate::layout::{Block, Cx, MOBILE_HEIGHT};
use crate::scene::{Color, Item, Rect, Scene, Shape};
use crate::skin::{Skin, ios};

/// How tall the screen is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Viewport {
    /// As tall as the conversation (at least one screen): a scrolling screenshot.
    FullHeight,
    /// One phone screen, scrolled to the newest message.
    Screen,
}

/// What surrounds the transcript and how the picture is framed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Look {
    pub width: f32,
    pub scale: f32,
    pub page: Color,
    pub transparent: bool,
    pub framed: bool,
    pub dark: bool,
    /// Centre everything on a 9:16 canvas (short-form video).
    pub portrait: bool,
}

impl Look {
    pub fn new(cx: &Cx<'_>, skin: &dyn Skin, portrait: bool) -> Look {
        let props = cx.props();
        Look {
            width: cx.width,
            scale: cx.scale,
            page: skin.page_color(),
            transparent: props.transparent_background,
            framed: props.show_device_frame,
            dark: props.dark_mode,
            portrait,
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
        let (pad_top, pad_bottom) = skin.transcript_padding();
        let mut y = pad_top;
        let mut rows = Vec::with_capacity(conv.entries.len());
        for (i, entry) in conv.entries.iter().enumerate() {
            if cx.cancelled() {
                // The caller sees the flag and throws this half-made transcript away.
                break;
            }
            let prev = i.checked_sub(1).map(|p| &conv.entries[p]);
            let block = skin.entry(cx, entry, prev);
            let h = block.height;
            rows.push((y, block));
            y += h;
        }
        Transcript {
            rows,
            height: y + pad_bottom,
        }
    }
}

/// The fixed parts of the screen.
pub(crate) struct Chrome {
    pub status: Option<Block>,
    pub header: Option<Block>,
    /// The composer (or the bare bottom strip when the footer is hidden).
    pub bottom: Block,
    /// Drawn behind the transcript (a patterned wallpaper).
    pub wallpaper: Option<crate::skin::Wallpaper>,
    /// Where the transcript may start (below the header).
    pub top_inset: f32,
}

impl Chrome {
    pub fn layout(cx: &mut Cx<'_>, skin: &dyn Skin) -> Chrome {
        let props = cx.props();
        let (show_status, show_header, show_footer) = (
            props.show_device_status,
            props.show_header,
            props.show_footer,
        );
        let status = show_status.then(|| skin.status_bar(cx));
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
        Chrome {
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

/// Builds one picture: the screen (rows under the chrome) and what frames it.
pub(crate) fn assemble(
    look: &Look,
    chrome: &Chrome,
    bottom: &Block,
    rows: &[Placed<'_>],
    height: f32,
) -> Scene {
    let width = look.width;
    let bottom_top = height - bottom.height;
    // Bar materials blur what scrolls beneath them; when nothing does, the blur would
    // only cost time.
    let under_header = rows.iter().any(|r| r.top < chrome.top_inset);
    let under_bottom = rows.iter().any(|r| r.top + r.block.height > bottom_top);
    let without_blur = |b: &Block, keep: bool| -> Vec<Item> {
        b.items
            .iter()
            .filter(|i| keep || !matches!(i, Item::BackdropBlur { .. }))
            .cloned()
            .collect()
    };

    let mut screen = Vec::with_capacity(rows.len() + 4);
    if look.framed && !look.transparent {
        // Inside a phone the screen is a shape of its own, not the canvas colour.
        screen.push(Item::rect(Rect::new(0.0, 0.0, width, height), look.page));
    }
    if let Some(wallpaper) = &chrome.wallpaper {
        let all = Rect::new(0.0, 0.0, width, height);
        screen.push(Item::fill(Shape::Rect(all), wallpaper.base.clone()));
        if let Some(tile) = &wallpaper.tile {
            screen.push(Item::fill(
                Shape::Rect(all),
                crate::scene::Paint::tiled(tile.clone(), (0.0, 0.0)),
            ));
        }
    }
    for row in rows {
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
    if let Some(header) = &chrome.header {
        screen.push(Item::group(without_blur(header, under_header), (0.0, 0.0)));
    }
    if let Some(status) = &chrome.status {
        screen.push(Item::group(status.items.clone(), (0.0, 0.0)));
    }
    screen.push(Item::group(
        without_blur(bottom, under_bottom),
        (0.0, bottom_top),
    ));

    let screen_scene = |items, background| Scene {
        width,
        height,
        scale: look.scale,
        background,
        items,
    };
    let mut scene = if look.framed {
        let at = ios::FRAME_MARGIN + ios::FRAME_BEZEL;
        let mut items = ios::device_body(look.dark);
        items.push(Item::Group {
            items: screen,
            opacity: 1.0,
            offset: (at, at),
            clip: Some(ios::screen_shape_at_origin()),
            bounds: None,
        });
        items.push(ios::island());
        Scene {
            width: width + 2.0 * at,
            height: height + 2.0 * at,
            ..screen_scene(items, None)
        }
    } else {
        screen_scene(screen, (!look.transparent).then_some(look.page))
    };
    if look.portrait {
        scene = portrait_canvas(scene, look);
    }
    scene
}

/// The size of the picture around a screen of `screen` points: the screen itself,
/// or the phone around it, and that centred on a 9:16 canvas when `portrait`.
pub(crate) fn canvas_points(screen: (f32, f32), framed: bool, portrait: bool) -> (f32, f32) {
    let (mut w, mut h) = screen;
    if framed {
        let at = ios::FRAME_MARGIN + ios::FRAME_BEZEL;
        (w, h) = (w + 2.0 * at, h + 2.0 * at);
    }
    if portrait {
        (w, h) = portrait_size(w, h);
    }
    (w, h)
}

/// A 9:16 canvas holding `w`×`h` with a margin around it.
fn portrait_size(w: f32, h: f32) -> (f32, f32) {
    let margin = 1.08;
    let mut ph = h * margin;
    let mut pw = ph * 9.0 / 16.0;
    if pw < w * margin {
        pw = w * margin;
        ph = pw * 16.0 / 9.0;
    }
    (pw, ph)
}

/// Centres a scene on a canvas of 9:16 proportions with a margin around it.
fn portrait_canvas(inner: Scene, look: &Look) -> Scene {
    let (w, h) = portrait_size(inner.width, inner.height);
    let dx = ((w - inner.width) / 2.0).round();
    let dy = ((h - inner.height) / 2.0).round();
    let mut items = Vec::with_capacity(2);
    if let Some(bg) = inner.background {
        items.push(Item::rect(
            Rect::new(0.0, 0.0, inner.width, inner.height),
            bg,
        ));
    }
    items.extend(inner.items);
    let canvas = if look.transparent {
        None
    } else if look.dark {
        Some(Color::hex(0x101012))
    } else {
        Some(Color::hex(0xF2F2F7))
    };
    Scene {
        width: w,
        height: h,
        scale: look.scale,
        background: canvas,
        items: vec![Item::group(items, (dx, dy))],
    }
}

/// Assembles a still: the whole transcript, as a tall screenshot or one screen.
pub(crate) fn compose_still(
    look: &Look,
    chrome: &Chrome,
    transcript: &Transcript,
    viewport: Viewport,
) -> Scene {
    let bottom_h = chrome.bottom.height;
    let (height, scroll) = match viewport {
        Viewport::FullHeight => (
            MOBILE_HEIGHT.max(chrome.top_inset + transcript.height + bottom_h),
            chrome.top_inset,
        ),
        Viewport::Screen => (
            MOBILE_HEIGHT,
            scroll_for(chrome.top_inset, bottom_h, transcript.height, MOBILE_HEIGHT),
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
    assemble(look, chrome, &chrome.bottom, &rows, height)
}
