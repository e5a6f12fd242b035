//! The data half of a bubble skin: type, palette, bubble geometry, and which way
//! each design axis goes (the axes' enums live beside the code that draws them).

use super::{Avatars, Label, Names, Reactions, Receipts, Replies, Tail, Typing, Voice};
use crate::conversation::SeparatorRule;
use crate::fonts::Family;
use crate::payload::DeliveryStatus;
use crate::scene::{Color, Paint};
use crate::skin::Motion;
use crate::time::DayFormat;

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

/// Where a message's time shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Times {
    /// Not beside messages (only in separators).
    Hidden,
    /// Inside the bubble after the last line, with the ticks (WhatsApp, Telegram,
    /// Signal).
    Inside,
    /// Outside the bubble beside its bottom, on the inner side, with "Read" (LINE).
    Beside,
    /// Under the last bubble of a run, with "· Seen" on the owner's last message
    /// and the sender's name in groups (X).
    UnderRun,
    /// Above the first bubble of a run: "Name  10:42 AM" over others' runs in
    /// groups, the time alone otherwise (Microsoft Teams).
    Caption,
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

    /// Where a message's time shows.
    pub times: Times,
    /// Inside a run, a bubble followed by one sent the same minute shows no time
    /// (Signal: only the last of a burst carries time and checks).
    pub collapse_times: bool,
    pub receipts: Receipts,
    pub default_status: DeliveryStatus,
    pub names: Names,
    pub avatars: Avatars,
    pub avatar_size: f32,
    pub separator: Label,
    pub system: Label,
    pub separator_rule: SeparatorRule,
    /// How separators word a moment.
    pub days: DayFormat,
    pub reactions: Reactions,
    pub replies: Replies,
    /// Photos inside the bubble, with a frame of bubble around them.
    pub photos_inside: bool,
    pub photo_radius: f32,
    /// The widest a lone photo outside a bubble is drawn (taller ones up to 1.25×
    /// as tall).
    pub photo_width: f32,
    /// Emoji sent alone (up to three) are drawn this large, without a bubble...
    pub big_emoji: f32,
    /// ...or this large inside their bubble (Teams'); 0: at text size.
    pub bubbled_emoji: f32,
    /// How the other side typing shows.
    pub typing: Typing,
    /// How a voice message looks.
    pub voice: Voice,
    /// A pause (minutes) that ends a run of one sender's messages; `Some(0)` makes
    /// every message its own run (WeChat).
    pub run_break_minutes: Option<i64>,
    /// Name colours in groups, picked by a stable hash of the user id.
    pub name_colors: &'static [Color],
    pub motion: Motion,
}

impl Design {
    /// Left edges of a run's avatar and of the bubbles beside it. A phone keeps the
    /// avatar at the screen's edge; a desktop's wide, centred column (a side margin
    /// over 20 points) keeps it just left of the column.
    pub fn avatar_lane(&self) -> (f32, f32) {
        if self.side_margin > 20.0 {
            let x = (self.side_margin - self.avatar_size - 10.0).max(8.0);
            (x, x + self.avatar_size + 10.0)
        } else {
            (8.0, self.avatar_size + 18.0)
        }
    }
}
