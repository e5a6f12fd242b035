//! Payload + skin → [`Scene`]. All text shaping and measuring happens here; no pixels.
//!
//! A skin lays out each part of the screen as a [`Block`] (items relative to the
//! block's top, with its height); [`page`] stacks them into a screen, scrolls the
//! transcript, and frames it in a phone when asked.

pub mod canvas;
pub(crate) mod page;
pub(crate) mod window;

use std::sync::Arc;

use crate::fonts::FontContext;
use crate::payload::{Payload, Props};
use crate::pictures::Pictures;
use crate::scene::{Item, Rect, Shape};
use crate::text::{self, Bounds, Span, TextBlock, TextStyle};
use crate::{Cancel, Limits};

/// What a skin needs while laying out: fonts, pictures and the payload.
pub(crate) struct Cx<'a> {
    pub fonts: &'a mut FontContext,
    pub icons: &'a crate::icons::IconCache,
    pub pictures: &'a mut Pictures,
    pub payload: &'a Payload,
    pub scale: f32,
    /// The device, and the width and height of the part of its screen the skin
    /// lays out (the conversation pane of a desktop window), points.
    pub device: crate::device::Device,
    pub width: f32,
    pub height: f32,
    /// A desktop app's window around the pane, when there is one.
    pub window: Option<std::sync::Arc<window::Window>>,
    /// Where looping animations (typing dots) stand, 0–1; `None` in stills.
    pub phase: Option<f32>,
    /// How many of the payload's messages have been sent at the moment being laid
    /// out (a video's), for what a desktop window's chat list previews; `None`: all.
    pub shown: Option<usize>,
    /// Raised to stop the render; long loops look at it between rows.
    pub cancel: &'a Cancel,
    pub limits: &'a Limits,
}

/// What a [`Cx`] holds that threads can share: all but the font context and the
/// pictures, which each thread laying out has its own of.
pub(crate) struct Shared<'a> {
    icons: &'a crate::icons::IconCache,
    payload: &'a Payload,
    scale: f32,
    device: crate::device::Device,
    width: f32,
    height: f32,
    window: Option<std::sync::Arc<window::Window>>,
    phase: Option<f32>,
    shown: Option<usize>,
    cancel: &'a Cancel,
    limits: &'a Limits,
}

impl<'a> Shared<'a> {
    /// A context for another thread, laying out with its own fonts and pictures.
    pub fn with<'b>(self, fonts: &'b mut FontContext, pictures: &'b mut Pictures) -> Cx<'b>
    where
        'a: 'b,
    {
        Cx {
            fonts,
            icons: self.icons,
            pictures,
            payload: self.payload,
            scale: self.scale,
            device: self.device,
            width: self.width,
            height: self.height,
            window: self.window,
            phase: self.phase,
            shown: self.shown,
            cancel: self.cancel,
            limits: self.limits,
        }
    }
}

impl<'a> Cx<'a> {
    /// This context without its font context and pictures, to hand to another
    /// thread.
    pub fn shared(&self) -> Shared<'a> {
        Shared {
            icons: self.icons,
            payload: self.payload,
            scale: self.scale,
            device: self.device,
            width: self.width,
            height: self.height,
            window: self.window.clone(),
            phase: self.phase,
            shown: self.shown,
            cancel: self.cancel,
            limits: self.limits,
        }
    }
}

impl Cx<'_> {
    pub fn props(&self) -> &Props {
        self.payload.props()
    }

    /// The day the mockup is looked at, for "Today" and "Yesterday": that of the
    /// conversation's last message (the engine reads no clock), else `time`'s own.
    pub fn today(&self, time: &crate::time::LocalTime) -> chrono::NaiveDate {
        self.payload
            .times
            .messages
            .last()
            .map_or_else(|| time.date_naive(), |t| t.date_naive())
    }

    pub fn cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }

    pub fn text(
        &mut self,
        spans: &[Span<'_>],
        style: &TextStyle,
        bounds: Bounds,
    ) -> Arc<TextBlock> {
        text::shape(self.fonts, spans, style, bounds)
    }

    /// One line of plain text, unbounded.
    pub fn line(&mut self, s: &str, style: &TextStyle) -> Arc<TextBlock> {
        text::shape(self.fonts, &[Span::plain(s)], style, Bounds::default())
    }

    /// One line cut with "…" to fit `max_width`.
    pub fn line_within(&mut self, s: &str, style: &TextStyle, max_width: f32) -> Arc<TextBlock> {
        text::shape(
            self.fonts,
            &[Span::plain(s)],
            style,
            Bounds::width(max_width).lines(1),
        )
    }

    /// A picture filling `rect` (cropped to its aspect), clipped to `clip`.
    pub fn picture(&mut self, url: &str, rect: Rect, clip: Shape) -> Option<Item> {
        let w = (rect.w * self.scale).round() as u32;
        let h = (rect.h * self.scale).round() as u32;
        let pixels = self.pictures.cover(url, w, h)?;
        Some(Item::Image { rect, clip, pixels })
    }
}

/// A laid-out part of the screen: items relative to its top-left, and its height.
#[derive(Debug, Default, Clone)]
pub(crate) struct Block {
    pub height: f32,
    pub items: Vec<Item>,
    /// A transcript row drawn this many points above the screen's bottom, over the
    /// composer, instead of at its place in the list (the desktop apps' typing line
    /// under the composer); it takes no room in the list.
    pub pinned: Option<f32>,
}

impl Block {
    pub fn new(height: f32) -> Block {
        Block {
            height,
            items: Vec::new(),
            pinned: None,
        }
    }

    pub fn push(&mut self, item: Item) {
        self.items.push(item);
    }
}
