//! The bundled fonts: the only fonts the engine ever loads.
//!
//! They are compiled into the binary (one self-contained executable, no font files to
//! ship beside it, no system fonts that would change the output from one machine to
//! the next). The font database is built once per [`Engine`](crate::Engine); each
//! render borrows a [`FontContext`] from a small pool so renders on several threads
//! neither wait for each other nor rebuild the font system.

use std::sync::{Arc, Mutex};

use cosmic_text::{Fallback, FontSystem, SwashCache, fontdb};
use unicode_script::Script;

/// A font family the skins ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// Stands in for Apple's SF Pro.
    Inter,
    /// Android's face; WhatsApp's message text.
    Roboto,
    /// Slack's face.
    Lato,
    /// The general fallback, and the face for platforms with their own fonts.
    NotoSans,
    /// Colour emoji.
    Emoji,
    /// Kanji and punctuation in Japanese text (Japanese glyph shapes, not the
    /// Simplified Chinese ones Han characters otherwise fall back to).
    Japanese,
}

impl Family {
    pub fn name(self) -> &'static str {
        match self {
            Family::Inter => "Inter",
            Family::Roboto => "Roboto",
            Family::Lato => "Lato",
            Family::NotoSans => "Noto Sans",
            Family::Emoji => EMOJI_FAMILY,
            Family::Japanese => "Noto Sans CJK JP",
        }
    }
}

pub(crate) const EMOJI_FAMILY: &str = "Noto Color Emoji";

macro_rules! font {
    ($path:literal) => {
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../fonts/", $path))
    };
}

/// Every bundled face. Licences are beside the files in `fonts/`.
static FONT_FILES: &[&[u8]] = &[
    font!("inter/Inter-Regular.otf"),
    font!("inter/Inter-Medium.otf"),
    font!("inter/Inter-SemiBold.otf"),
    font!("inter/Inter-Bold.otf"),
    font!("roboto/Roboto-Regular.ttf"),
    font!("roboto/Roboto-Medium.ttf"),
    font!("roboto/Roboto-Bold.ttf"),
    font!("lato/Lato-Regular.ttf"),
    font!("lato/Lato-Bold.ttf"),
    font!("lato/Lato-Black.ttf"),
    font!("noto/NotoSans-Regular.ttf"),
    font!("noto/NotoSans-Bold.ttf"),
    font!("noto/NotoSansArabic-Regular.ttf"),
    font!("noto/NotoSansArabic-Bold.ttf"),
    font!("noto/NotoSansHebrew-Regular.ttf"),
    font!("noto/NotoSansHebrew-Bold.ttf"),
    font!("noto/NotoSansDevanagari-Regular.ttf"),
    font!("noto/NotoSansThai-Regular.ttf"),
    font!("noto/NotoSansSymbols-Regular.ttf"),
    font!("noto/NotoSansSymbols2-Regular.ttf"),
    font!("emoji/NotoColorEmoji.ttf"),
    font!("cjk/NotoSansCJK-Regular.ttc"),
];

/// The font database shared by all renders of an engine.
pub(crate) struct Fonts {
    db: fontdb::Database,
    pool: Mutex<Vec<FontContext>>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fonts")
            .field("faces", &self.db.len())
            .finish_non_exhaustive()
    }
}

/// What shaping and glyph rasterising need, owned by one render at a time.
pub(crate) struct FontContext {
    pub system: FontSystem,
    pub swash: SwashCache,
    /// This render shaped a long text: the context's scratch buffers have grown to
    /// its size (and cosmic-text walks them on every later layout), so it is
    /// dropped instead of going back to the pool.
    pub oversized: bool,
}

/// Glyph images kept per context before the cache is emptied, so a long-running
/// server does not grow without bound.
const MAX_CACHED_GLYPHS: usize = 20_000;

/// A text longer than this (characters) marks its context [`FontContext::oversized`].
pub(crate) const LONG_TEXT_CHARS: usize = 2_000;

impl Fonts {
    pub fn load() -> Fonts {
        let mut db = fontdb::Database::new();
        for bytes in FONT_FILES {
            db.load_font_source(fontdb::Source::Binary(Arc::new(*bytes)));
        }
        db.set_sans_serif_family(Family::NotoSans.name());
        Fonts {
            db,
            pool: Mutex::new(Vec::new()),
        }
    }

    /// Borrows a context; it goes back to the pool when dropped.
    pub fn context(&self) -> PooledContext<'_> {
        let ctx = self
            .pool
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .pop()
            .unwrap_or_else(|| FontContext {
                // A fixed locale: the output must not depend on the machine's settings.
                system: FontSystem::new_with_locale_and_db_and_fallback(
                    "en-US".to_owned(),
                    self.db.clone(),
                    BundledFallback,
                ),
                swash: SwashCache::new(),
                oversized: false,
            });
        PooledContext {
            fonts: self,
            ctx: Some(ctx),
        }
    }
}

pub(crate) struct PooledContext<'a> {
    fonts: &'a Fonts,
    ctx: Option<FontContext>,
}

impl std::ops::Deref for PooledContext<'_> {
    type Target = FontContext;
    fn deref(&self) -> &FontContext {
        self.ctx.as_ref().expect("context present until drop")
    }
}

impl std::ops::DerefMut for PooledContext<'_> {
    fn deref_mut(&mut self) -> &mut FontContext {
        self.ctx.as_mut().expect("context present until drop")
    }
}

impl Drop for PooledContext<'_> {
    fn drop(&mut self) {
        if let Some(mut ctx) = self.ctx.take() {
            if ctx.oversized {
                // A fresh context costs far less than one that stays slow and big.
                return;
            }
            if ctx.swash.image_cache.len() > MAX_CACHED_GLYPHS {
                ctx.swash.image_cache.clear();
            }
            self.fonts
                .pool
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(ctx);
        }
    }
}

/// Which bundled face covers which script when the skin's own face lacks a glyph.
struct BundledFallback;

impl Fallback for BundledFallback {
    fn common_fallback(&self) -> &[&'static str] {
        &[
            "Noto Sans",
            "Noto Sans Symbols",
            "Noto Sans Symbols 2",
            EMOJI_FAMILY,
            "Noto Sans CJK JP",
        ]
    }

    fn forbidden_fallback(&self) -> &[&'static str] {
        &[]
    }

    fn script_fallback(&self, script: Script, _locale: &str) -> &[&'static str] {
        match script {
            Script::Arabic => &["Noto Sans Arabic"],
            Script::Hebrew => &["Noto Sans Hebrew"],
            Script::Devanagari => &["Noto Sans Devanagari"],
            Script::Thai => &["Noto Sans Thai"],
            Script::Hangul => &["Noto Sans CJK KR"],
            Script::Hiragana | Script::Katakana => &["Noto Sans CJK JP"],
            Script::Han | Script::Bopomofo => &["Noto Sans CJK SC"],
            _ => &[],
        }
    }
}
