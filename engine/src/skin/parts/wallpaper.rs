//! Wallpapers painted behind a transcript.

use crate::icons::Icon;
use crate::layout::Cx;
use crate::scene::{Color, Paint};

/// A wallpaper of the doodle pattern in `doodle` over `gradient` (top, bottom) or
/// the page colour underneath.
pub fn doodle_wallpaper(
    cx: &mut Cx<'_>,
    doodle: Color,
    gradient: Option<(Color, Color)>,
) -> Option<crate::skin::Wallpaper> {
    let side = (260.0 * cx.scale).round() as u32;
    let tile = cx.icons.tile(Icon::Doodles, doodle, side, side);
    let base = match gradient {
        Some((top, bottom)) => Paint::Linear {
            from: (0.0, 0.0),
            to: (0.0, cx.height),
            stops: vec![(0.0, top), (1.0, bottom)],
            pinned: false,
        },
        None => Paint::Solid(Color::TRANSPARENT),
    };
    Some(crate::skin::Wallpaper { base, tile })
}
