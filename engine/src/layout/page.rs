//! Stacks a skin's blocks into a screen: status bar and header on top, transcript in
//! the middle, composer at the bottom; then, when asked, a phone around it.

use crate::conversation::Conversation;
use crate::layout::{Block, Cx, MOBILE_HEIGHT};
use crate::scene::{Item, Rect, Scene};
use crate::skin::{Skin, ios};

/// How tall the screen is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Viewport {
    /// As tall as the conversation (at least one screen): a scrolling screenshot.
    FullHeight,
    /// One phone screen, scrolled to the newest message.
    Screen,
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
    pub bottom: Block,
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
            skin.composer(cx)
        } else {
            skin.bare_bottom(cx)
        };
        Chrome {
            status,
            header,
            bottom,
            top_inset,
        }
    }
}

/// Assembles the screen (and the phone around it).
pub(crate) fn compose(
    cx: &mut Cx<'_>,
    skin: &dyn Skin,
    chrome: Chrome,
    transcript: Transcript,
    viewport: Viewport,
    framed: bool,
) -> Scene {
    let width = cx.width;
    let transparent = cx.props().transparent_background;
    let content = transcript.height;
    let bottom_h = chrome.bottom.height;
    let (height, scroll) = match viewport {
        Viewport::FullHeight => (
            MOBILE_HEIGHT.max(chrome.top_inset + content + bottom_h),
            chrome.top_inset,
        ),
        Viewport::Screen => {
            let fits = MOBILE_HEIGHT - bottom_h - chrome.top_inset;
            (MOBILE_HEIGHT, chrome.top_inset + (fits - content).min(0.0))
        }
    };

    // Bar materials blur what scrolls beneath them; when nothing can (a full-height
    // screenshot) the blur would only cost time.
    let scrolled_under = scroll < chrome.top_inset;
    let overflows_bottom = scroll + content > height - bottom_h;
    let mut chrome = chrome;
    if !scrolled_under && let Some(h) = chrome.header.as_mut() {
        h.items.retain(|i| !matches!(i, Item::BackdropBlur { .. }));
    }
    if !overflows_bottom {
        chrome
            .bottom
            .items
            .retain(|i| !matches!(i, Item::BackdropBlur { .. }));
    }

    let mut screen = Vec::with_capacity(transcript.rows.len() + 4);
    if framed && !transparent {
        // Inside a phone the screen is drawn as a shape, not as the canvas colour.
        screen.push(Item::rect(
            Rect::new(0.0, 0.0, width, height),
            skin.page_color(),
        ));
    }
    for (y, row) in transcript.rows {
        let top = scroll + y;
        if top > height || top + row.height < 0.0 {
            continue;
        }
        screen.push(row.placed_at(top));
    }
    if let Some(header) = chrome.header {
        screen.push(header.placed_at(0.0));
    }
    if let Some(status) = chrome.status {
        screen.push(status.placed_at(0.0));
    }
    screen.push(chrome.bottom.placed_at(height - bottom_h));

    if !framed {
        return Scene {
            width,
            height,
            scale: cx.scale,
            background: (!transparent).then(|| skin.page_color()),
            items: screen,
        };
    }
    let at = ios::FRAME_MARGIN + ios::FRAME_BEZEL;
    let mut items = ios::device_body(cx.props().dark_mode);
    items.push(Item::Group {
        items: screen,
        opacity: 1.0,
        offset: (at, at),
        clip: Some(ios::screen_shape_at_origin()),
    });
    items.push(ios::island());
    Scene {
        width: width + 2.0 * at,
        height: height + 2.0 * at,
        scale: cx.scale,
        background: None,
        items,
    }
}
