//! Skins: what each platform looks like. A skin is a table of tokens (colours, sizes)
//! plus the small amount of drawing code that differs per platform; the transcript
//! model ([`crate::conversation`]) and page assembly ([`crate::layout::page`]) are
//! shared.

pub(crate) mod bubble;
pub(crate) mod discord;
pub(crate) mod discord_desktop;
pub(crate) mod imessage;
pub(crate) mod instagram;
pub(crate) mod line;
pub(crate) mod messenger;
pub(crate) mod messenger_web;
pub(crate) mod parts;
pub(crate) mod reddit;
pub(crate) mod rows;
pub(crate) mod signal;
pub(crate) mod slack;
pub(crate) mod slack_desktop;
pub(crate) mod snapchat;
pub(crate) mod teams;
pub(crate) mod teams_desktop;
pub(crate) mod telegram;
pub(crate) mod telegram_desktop;
pub(crate) mod tiktok;
pub(crate) mod tinder;
pub(crate) mod wechat;
pub(crate) mod whatsapp;
pub(crate) mod whatsapp_web;
pub(crate) mod x;

use crate::conversation::{Entry, Grouping};
use crate::layout::{Block, Cx};
use crate::payload::{DeliveryStatus, Platform, Props};
use crate::scene::Color;

/// How one platform draws a conversation.
pub(crate) trait Skin: Sync {
    /// Where time separators fall and what ends a run.
    fn grouping(&self) -> Grouping;

    /// The receipt shown when a message has no `status`.
    fn default_status(&self) -> DeliveryStatus;

    /// The colour behind the transcript (unless the background is transparent).
    fn page_color(&self) -> Color;

    /// The ink of the device's status bar and home indicator over this app (dark
    /// over light apps).
    fn status_ink(&self) -> Color;

    /// The conversation header from the top of the screen, background included;
    /// `status_height` is the part the status bar sits on.
    fn header(&self, cx: &mut Cx<'_>, status_height: f32) -> Block;

    /// The composer at the bottom of the screen, home indicator included, holding
    /// `draft` while a video types an outgoing message into it.
    fn composer(&self, cx: &mut Cx<'_>, draft: Option<&str>) -> Block;

    /// How a new message moves in, in videos.
    fn motion(&self) -> Motion {
        Motion::default()
    }

    /// Space above the first and below the last transcript row.
    fn transcript_padding(&self) -> (f32, f32);

    /// One transcript row, its spacing from `prev` included at its top.
    fn entry(&self, cx: &mut Cx<'_>, entry: &Entry<'_>, prev: Option<&Entry<'_>>) -> Block;

    /// Paints what the transcript scrolls under at the bottom when no composer is
    /// shown (the home indicator on iPhones).
    fn bare_bottom(&self, cx: &mut Cx<'_>) -> Block;

    /// Drawn behind the transcript over the whole screen (a patterned wallpaper).
    fn wallpaper(&self, _cx: &mut Cx<'_>) -> Option<Wallpaper> {
        None
    }

    /// How message text is set on a screen `width` wide, for estimating a
    /// conversation's height before laying it out.
    fn text_metrics(&self, width: f32) -> crate::estimate::TextMetrics;

    /// The desktop window around the conversation (`mobileView: false` on a
    /// platform with a desktop client): its columns and top bar.
    fn window(&self, _cx: &mut Cx<'_>) -> Option<crate::layout::window::Window> {
        None
    }

    /// The largest sizes pictures are drawn at: each is decoded, then kept at that.
    fn picture_sizes(&self) -> crate::pictures::PictureSizes {
        crate::pictures::PictureSizes::default()
    }
}

/// What a platform draws its own way around the transcript, whatever its family:
/// the bars above and below it, and its wallpaper. `D` is the family's design.
pub(crate) trait Chrome<D>: Send + Sync {
    /// The header from the top of the screen, background included; the device's
    /// status bar sits on its first `top` points.
    fn header(&self, cx: &mut Cx<'_>, d: &D, top: f32) -> Block;
    /// The composer, holding `draft` while a video types an outgoing message.
    fn composer(&self, cx: &mut Cx<'_>, d: &D, draft: Option<&str>) -> Block;
    /// Drawn behind the transcript, under the whole screen.
    fn wallpaper(&self, _cx: &mut Cx<'_>, _d: &D) -> Option<Wallpaper> {
        None
    }
    /// The desktop window around the conversation, for a desktop design.
    fn window(&self, _cx: &mut Cx<'_>, _d: &D) -> Option<crate::layout::window::Window> {
        None
    }
    /// What opens the conversation above its first row (Tinder's match card).
    fn opening(&self, _cx: &mut Cx<'_>, _d: &D) -> Option<Block> {
        None
    }
}

/// A new row's entrance in a video: it slides up from `rise` points below its place
/// and fades in, settling with a slight overshoot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Motion {
    pub enter_ms: f64,
    pub rise: f32,
    /// How far past its place it swings before settling (share of `rise`).
    pub overshoot: f32,
    /// How long existing rows take to make room (and the view to scroll).
    pub shift_ms: f64,
    /// One cycle of the typing indicator's dots.
    pub typing_cycle_ms: f64,
}

impl Default for Motion {
    fn default() -> Motion {
        Motion {
            enter_ms: 320.0,
            rise: 14.0,
            overshoot: 0.12,
            shift_ms: 300.0,
            typing_cycle_ms: 1200.0,
        }
    }
}

/// A chat wallpaper: a colour or gradient, and a pattern repeated over it.
#[derive(Debug, Clone)]
pub(crate) struct Wallpaper {
    pub base: crate::scene::Paint,
    /// A tile at output pixel size.
    pub tile: Option<std::sync::Arc<tiny_skia::Pixmap>>,
}

/// The skin for a platform: each of the sixteen has its own.
pub(crate) fn for_platform(props: &Props) -> Box<dyn Skin> {
    let dark = props.dark_mode;
    let desktop = crate::device::Device::of(props) == crate::device::Device::Desktop;
    match props.platform {
        Platform::Imessage => Box::new(imessage::skin(dark)),
        Platform::Whatsapp if desktop => Box::new(whatsapp_web::skin(dark)),
        Platform::Whatsapp => Box::new(whatsapp::skin(dark)),
        Platform::Messenger if desktop => Box::new(messenger_web::skin(dark)),
        Platform::Messenger => Box::new(messenger::skin(dark)),
        Platform::Instagram => Box::new(instagram::skin(dark)),
        Platform::Telegram if desktop => Box::new(telegram_desktop::skin(dark)),
        Platform::Telegram => Box::new(telegram::skin(dark)),
        Platform::Discord if desktop => Box::new(discord_desktop::skin(dark)),
        Platform::Discord => Box::new(discord::skin(dark)),
        Platform::Signal => Box::new(signal::skin(dark)),
        Platform::Wechat => Box::new(wechat::skin(dark)),
        Platform::Line => Box::new(line::skin(dark)),
        Platform::X => Box::new(x::skin(dark)),
        Platform::Tinder => Box::new(tinder::skin(dark)),
        Platform::Tiktok => Box::new(tiktok::skin(dark)),
        Platform::Snapchat => Box::new(snapchat::skin(dark)),
        Platform::MicrosoftTeams if desktop => Box::new(teams_desktop::skin(dark)),
        Platform::MicrosoftTeams => Box::new(teams::skin(dark)),
        Platform::Reddit => Box::new(reddit::skin(dark)),
        Platform::Slack if desktop => Box::new(slack_desktop::skin(dark)),
        Platform::Slack => Box::new(slack::skin(dark)),
    }
}

/// A stable hash (FNV-1a), for looks picked per user or message.
pub(crate) fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}
