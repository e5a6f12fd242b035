//! Where a message's column goes: incoming on the left (past the avatars of groups),
//! outgoing on the right; who gets a name and an avatar.

use super::Design;

/// Where group sender names go.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Names {
    /// Small grey text above the first bubble of a run.
    Above,
    /// The same, in every conversation, not only groups (LINE).
    AboveAll,
    /// With the time under the run ("Ana · 10:42 AM", X).
    WithTime,
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
    /// Beside the first bubble, in every conversation (LINE).
    First,
    /// Beside every message on both sides, level with its top, as rounded squares
    /// of this corner radius (WeChat).
    Every { corner: f32 },
}

/// A message's column: where its pieces go across the screen, and how wide they
/// may be.
#[derive(Debug, Clone, Copy)]
pub(super) struct Column {
    /// Left edge of the other side's pieces (past the avatars of groups).
    pub left: f32,
    /// Right edge of the owner's pieces.
    pub right: f32,
    /// The widest a piece may be.
    pub max_w: f32,
    /// An avatar goes beside this message's run.
    pub with_avatar: bool,
}

impl Column {
    /// The column of a message on a screen `width` wide.
    pub fn of(d: &Design, width: f32, group: bool, outgoing: bool) -> Column {
        let every = matches!(d.avatars, Avatars::Every { .. });
        let with_avatar = every
            || !outgoing
                && match d.avatars {
                    Avatars::GroupLast | Avatars::GroupFirst => group,
                    Avatars::Last | Avatars::First | Avatars::Every { .. } => true,
                };
        let (left, right) = if every {
            let inset = d.side_margin + d.avatar_size + 10.0;
            (inset, width - inset)
        } else if with_avatar {
            (d.avatar_lane().1, width - d.side_margin)
        } else {
            (d.side_margin, width - d.side_margin)
        };
        Column {
            left,
            right,
            max_w: (width * d.max_width).min(right - left - 30.0),
            with_avatar,
        }
    }

    /// The x of something `w` wide on the owner's side (right) or the other's
    /// (left), `inset` in from the column's edge.
    pub fn x(&self, owner: bool, w: f32, inset: f32) -> f32 {
        if owner {
            self.right - w - inset
        } else {
            self.left + inset
        }
    }
}
