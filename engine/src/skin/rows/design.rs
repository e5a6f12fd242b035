//! The data half of a message-list skin (Discord, and Slack and Reddit to come):
//! type, palette and the geometry of rows.

use crate::conversation::SeparatorRule;
use crate::fonts::Family;
use crate::payload::DeliveryStatus;
use crate::scene::Color;
use crate::skin::Motion;
use crate::time::DayFormat;

/// How reaction chips look: the others' and the owner's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Chips {
    pub fill: Color,
    pub ring: Color,
    pub ink: Color,
    pub mine_fill: Color,
    pub mine_ring: Color,
    pub mine_ink: Color,
    pub height: f32,
    pub radius: f32,
}

/// How a reply shows what it answers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum RowReplies {
    /// A line above the heading joined to the avatar by a curved spine (Discord).
    Spine,
    /// A quote under the heading: a bar, the author's name and a line of what
    /// they said (Reddit).
    Quote,
}

/// How a system notice shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum RowNotices {
    /// In the column after an arrow, with the time (Discord).
    Arrow,
    /// Centred across the list, muted (Reddit).
    Centred,
    /// As a message of its author, muted (Slack's "joined #general.").
    Message,
}

/// The whole look of a message list, light or dark.
#[derive(Debug, Clone)]
pub(crate) struct RowDesign {
    pub font: Family,
    /// Message text: size and line height, points.
    pub text_size: f32,
    pub line_height: f32,
    pub name_size: f32,
    pub name_weight: u16,
    /// Times beside names.
    pub time_size: f32,

    pub page: Color,
    /// Status bar and header title.
    pub ink: Color,
    pub text: Color,
    /// Names without a role colour.
    pub name: Color,
    /// Times, notices, placeholders.
    pub muted: Color,
    pub link: Color,
    pub divider: Color,
    /// The brand colour (buttons, your reactions).
    pub accent: Color,
    /// A raised surface (voice messages, embeds).
    pub surface: Color,
    /// The curve joining a reply to what it quotes.
    pub spine: Color,
    /// Mentions: the pill behind `@name` and its text.
    pub mention_fill: Color,
    pub mention_ink: Color,
    /// Mentions of the owner: their pill (Slack's yellow), else as the others'.
    pub mention_me: Option<(Color, Color)>,
    /// A message that mentions the owner: the row's tint and the bar at its left
    /// edge (Discord's), or nothing.
    pub mentioned_row: Option<(Color, Color)>,

    pub avatar_size: f32,
    /// Left edge of avatars; text starts at `column`.
    pub avatar_x: f32,
    pub column: f32,
    pub right_pad: f32,
    /// Space above a run's first row, and between rows of one run.
    pub run_gap: f32,
    pub line_gap: f32,
    /// Emoji-only messages are drawn this large.
    pub jumbo: f32,
    pub chips: Chips,

    /// How separators word a day, and how a run's heading words its time.
    pub days: DayFormat,
    pub stamps: DayFormat,
    pub separator_rule: SeparatorRule,
    /// A run ends after this long a pause.
    pub run_break_minutes: Option<i64>,
    pub default_status: DeliveryStatus,
    /// Name colours in groups (roles), picked by a stable hash of the user id.
    pub name_colors: &'static [Color],
    /// Default avatars' colours, picked likewise.
    pub avatar_colors: &'static [Color],
    /// What a default avatar shows on its colour: the initials, or this face.
    pub avatar_face: Option<crate::icons::Icon>,
    /// Default avatars and photos as rounded squares of this corner (Slack), or
    /// round.
    pub avatar_corner: Option<f32>,
    pub replies: RowReplies,
    pub notices: RowNotices,
    /// A message's thread shows under it ("3 replies" and the repliers' avatars:
    /// Slack); other apps leave it out.
    pub threads: bool,
    /// The typing line sits in a strip this tall under the composer (the desktop
    /// apps), not at the foot of the list.
    pub typing_strip: Option<f32>,
    pub motion: Motion,
}
