//! The data half of a skin: the tokens that say how a bubble chat looks (type,
//! palette, bubble geometry, where names, receipts, reactions and replies go). The
//! shared drawing code in [`super::chat`] reads them; each platform module fills one
//! in for light and one for dark.

use crate::conversation::SeparatorRule;
use crate::fonts::Family;
use crate::payload::DeliveryStatus;
use crate::scene::{Color, Paint};
use crate::skin::Motion;

/// A bubble's colour: solid, or a gradient pinned to the screen (the bubble shows the
/// part of it behind where it sits, as Messenger's and Instagram's do).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Fill {
    Solid(Color),
    Screen { top: Color, bottom: Color },
}

impl Fill {
    /// The paint on a screen `screen_h` points tall.
    pub fn paint(self, screen_h: f32) -> Paint {
        match self {
            Fill::Solid(c) => Paint::Solid(c),
            Fill::Screen { top, bottom } => Paint::Linear {
                from: (0.0, 0.0),
                to: (0.0, screen_h),
                stops: vec![(0.0, top), (1.0, bottom)],
                pinned: true,
            },
        }
    }

    /// A representative colour (for badges and dots in the bubble's colour).
    pub fn color(self) -> Color {
        match self {
            Fill::Solid(c) => c,
            Fill::Screen { bottom, .. } => bottom,
        }
    }
}

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
}

/// Where the delivery state of the owner's messages shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Receipts {
    /// "Delivered" / "Read 9:41 AM" under the last sent message (iMessage).
    Caption,
    /// "Sent" / "Seen" under the last sent message (Instagram).
    Seen,
    /// A tiny avatar of the reader, or a check in a circle, under it (Messenger).
    SeenAvatar,
    /// Ticks beside the time inside every sent bubble (WhatsApp, Telegram).
    Ticks { pending: Color, read: Color },
}

/// Where group sender names go.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Names {
    /// Small grey text above the first bubble of a run.
    Above,
    /// Coloured, semibold, inside the first bubble (WhatsApp, Telegram).
    Inside,
}

/// Which incoming runs get an avatar beside them, and where.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Avatars {
    /// Beside the last bubble, in groups only.
    GroupLast,
    /// Beside the first bubble, in groups only.
    GroupFirst,
    /// Beside the last bubble, in every conversation.
    Last,
}

/// How a centred label (time separator, system notice) looks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Label {
    /// Plain small text.
    Text,
    /// Text in a rounded chip.
    Chip {
        fill: Color,
        ink: Color,
        shadow: bool,
    },
}

/// Where reactions go.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Reactions {
    /// iMessage tapback badges on the top corner.
    Tapback,
    /// A small pill overlapping the bubble's bottom edge.
    Below { fill: Color, ring: Color },
    /// Pills inside the bubble, under the text (Telegram).
    Inside,
}

/// How a quoted message shows above a reply.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Replies {
    /// An outlined copy above, joined by a thin line (iMessage).
    Outlined,
    /// A faded copy above with "replied to" (Messenger, Instagram).
    Faded,
    /// A tinted block with a coloured bar inside the bubble (WhatsApp, Telegram).
    Inside,
}

/// Inner padding of a bubble, points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Pad {
    pub top: f32,
    pub side: f32,
    pub bottom: f32,
}

/// The whole look of a bubble chat, light or dark.
#[derive(Debug, Clone)]
pub(crate) struct Design {
    pub font: Family,
    pub text_size: f32,
    pub line_height: f32,
    pub tracking: f32,
    /// Size of time labels inside bubbles, captions and separators.
    pub meta_size: f32,

    pub page: Color,
    /// Status bar and header title.
    pub ink: Color,
    pub sent: Fill,
    pub sent_text: Color,
    pub received: Fill,
    pub received_text: Color,
    /// Time inside sent / received bubbles.
    pub sent_meta: Color,
    pub received_meta: Color,
    /// Captions, separators, names above bubbles.
    pub meta: Color,
    pub accent: Color,
    /// Link colour in received bubbles (sent bubbles keep their text colour).
    pub link: Option<Color>,
    /// Tinted block behind an in-bubble quote, on sent / received bubbles.
    pub quote_sent: Color,
    pub quote_received: Color,
    /// Lines and outlines (quote outline, connector).
    pub rule: Color,

    pub radius: f32,
    /// Corners between two bubbles of one run.
    pub joined_radius: f32,
    pub pad: Pad,
    /// Widest bubble, as a share of the screen.
    pub max_width: f32,
    pub tail: Tail,
    pub shadow: Option<Color>,
    pub side_margin: f32,
    pub run_gap: f32,
    pub new_run_gap: f32,

    pub time_inside: bool,
    pub receipts: Receipts,
    pub default_status: DeliveryStatus,
    pub names: Names,
    pub avatars: Avatars,
    pub avatar_size: f32,
    pub separator: Label,
    pub system: Label,
    pub separator_rule: SeparatorRule,
    pub reactions: Reactions,
    pub replies: Replies,
    /// Photos inside the bubble, with a frame of bubble around them.
    pub photos_inside: bool,
    pub photo_radius: f32,
    pub big_emoji: f32,
    /// Typing bubbles trail two small circles (iMessage's thought bubble).
    pub typing_thought: bool,
    /// Name colours in groups, picked by a stable hash of the user id.
    pub name_colors: &'static [Color],
    pub motion: Motion,
}
