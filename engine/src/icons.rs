//! The SVG icons under `assets/icons/`, drawn for this project and compiled in.
//!
//! Each icon is one colour: its SVG paints with `currentColor`, replaced by the
//! requested colour before parsing. Parsed trees are cached per colour.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::scene::Color;

macro_rules! icons {
    ($($name:ident => $file:literal),* $(,)?) => {
        /// A bundled icon.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Icon { $($name),* }

        impl Icon {
            pub const ALL: &'static [Icon] = &[$(Icon::$name),*];

            fn svg(self) -> &'static str {
                match self {
                    $(Icon::$name => include_str!(concat!(
                        env!("CARGO_MANIFEST_DIR"), "/../assets/icons/", $file
                    ))),*
                }
            }
        }
    };
}

icons! {
    BackChevron => "back-chevron.svg",
    ChevronRight => "chevron-right.svg",
    ChevronDown => "chevron-down.svg",
    SendOutline => "send-outline.svg",
    Speaker => "speaker.svg",
    Video => "video.svg",
    Plus => "plus.svg",
    Mic => "mic.svg",
    Wifi => "wifi.svg",
    Play => "play.svg",
    Person => "person.svg",
    ArrowUp => "arrow-up.svg",
    Check => "check.svg",
    CheckDouble => "check-double.svg",
    Phone => "phone.svg",
    Camera => "camera.svg",
    Photo => "photo.svg",
    Sticker => "sticker.svg",
    Smiley => "smiley.svg",
    Paperclip => "paperclip.svg",
    ThumbsUp => "thumbs-up.svg",
    PlusCircle => "plus-circle.svg",
    Send => "send.svg",
    ArrowLeft => "arrow-left.svg",
    ArrowRight => "arrow-right.svg",
    Search => "search.svg",
    Threads => "threads.svg",
    Gift => "gift.svg",
    Apps => "apps.svg",
    VoiceOutline => "voice-outline.svg",
    SmileyOutline => "smiley-outline.svg",
    PlusOutline => "plus-outline.svg",
    More => "more.svg",
    Menu => "menu.svg",
    Info => "info.svg",
    Heart => "heart.svg",
    HeartOutline => "heart-outline.svg",
    IdCard => "id-card.svg",
    Music => "music.svg",
    Eye => "eye.svg",
    Alien => "alien.svg",
    Headphones => "headphones.svg",
    Chats => "chats.svg",
    Status => "status.svg",
    Channels => "channels.svg",
    Communities => "communities.svg",
    Gear => "gear.svg",
    MoreVertical => "more-vertical.svg",
    NewChat => "new-chat.svg",
    Home => "home.svg",
    Bell => "bell.svg",
    Bookmark => "bookmark.svg",
    Compose => "compose.svg",
    Doodles => "../wallpapers/doodles.svg",
}

/// Icons ready to draw, shared by every render of an engine: parsed trees per
/// colour, and icons painted once at a pixel size (wallpaper tiles).
#[derive(Default)]
pub(crate) struct IconCache {
    trees: Mutex<HashMap<(Icon, Color), Arc<resvg::usvg::Tree>>>,
    tiles: Mutex<HashMap<TileKey, Arc<tiny_skia::Pixmap>>>,
}

/// An icon, its colour and the pixel size it was painted at.
type TileKey = (Icon, Color, u32, u32);

/// Tiles kept at most: platforms × modes × scales fit many times over.
const MAX_TILES: usize = 64;

impl std::fmt::Debug for IconCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IconCache").finish_non_exhaustive()
    }
}

impl IconCache {
    pub fn tree(&self, icon: Icon, color: Color) -> Arc<resvg::usvg::Tree> {
        let mut trees = self.trees.lock().unwrap_or_else(|p| p.into_inner());
        trees
            .entry((icon, color))
            .or_insert_with(|| Arc::new(parse(icon, color)))
            .clone()
    }
}

impl IconCache {
    /// The icon painted once at `w`×`h` pixels (a wallpaper tile).
    pub fn tile(&self, icon: Icon, color: Color, w: u32, h: u32) -> Option<Arc<tiny_skia::Pixmap>> {
        let key = (icon, color, w, h);
        if let Some(p) = self
            .tiles
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
        {
            return Some(p.clone());
        }
        let tree = self.tree(icon, color);
        let mut pixmap = tiny_skia::Pixmap::new(w.max(1), h.max(1))?;
        let size = tree.size();
        let ts =
            tiny_skia::Transform::from_scale(w as f32 / size.width(), h as f32 / size.height());
        resvg::render(&tree, ts, &mut pixmap.as_mut());
        let pixmap = Arc::new(pixmap);
        let mut tiles = self.tiles.lock().unwrap_or_else(|p| p.into_inner());
        if tiles.len() < MAX_TILES {
            tiles.insert(key, pixmap.clone());
        }
        Some(pixmap)
    }
}

fn parse(icon: Icon, color: Color) -> resvg::usvg::Tree {
    let hex = format!("#{:02x}{:02x}{:02x}", color.r, color.g, color.b);
    let mut svg = icon.svg().replace("currentColor", &hex);
    if color.a != 0xFF {
        svg = svg.replacen(
            "<svg ",
            &format!("<svg opacity=\"{:.3}\" ", f32::from(color.a) / 255.0),
            1,
        );
    }
    resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default())
        .unwrap_or_else(|e| panic!("bundled icon {icon:?} must parse: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_icon_parses_and_has_size() {
        let cache = IconCache::default();
        for &icon in Icon::ALL {
            let tree = cache.tree(icon, Color::BLACK);
            assert!(tree.size().width() > 0.0, "{icon:?}");
            assert!(tree.root().has_children(), "{icon:?} draws nothing");
        }
    }
}
