//! The `ChatExportPayload`: what a client sends to be rendered.
//!
//! The types mirror `spec/schema.md`. Parsing ([`Payload::from_json`]) is strict at the
//! top level, lenient inside (unknown fields are ignored and reported as
//! [`Warning`]s, because the hosted schema may hold fields we do not know yet), and
//! every error names the dotted path of the first bad field.

mod introspect;
mod parse;
mod validate;

use serde::{Deserialize, Serialize};

use crate::Limits;

pub use parse::{PayloadError, Warning};

/// A parsed and validated payload, ready to render.
///
/// Its contents can be read but not changed: layout relies on what validation
/// checked (every user id known, every reply pointing to an earlier message). To
/// change a payload, take it apart with [`Payload::into_export`], edit, and validate
/// again with [`Payload::new`].
#[derive(Debug, Clone)]
pub struct Payload {
    export: ChatExportPayload,
    /// Fields that were ignored, and other things the client may want to know.
    pub warnings: Vec<Warning>,
    /// Timestamps and zone resolved once during validation.
    pub(crate) times: validate::ResolvedTimes,
}

impl Payload {
    /// Parses and validates a JSON document within the default [`Limits`].
    pub fn from_json(bytes: &[u8]) -> Result<Payload, PayloadError> {
        parse::parse(bytes, &Limits::default())
    }

    /// Parses and validates a JSON document within `limits`.
    pub fn from_json_with(bytes: &[u8], limits: &Limits) -> Result<Payload, PayloadError> {
        parse::parse(bytes, limits)
    }

    /// Validates a payload built in code (the same checks as [`Payload::from_json`]).
    pub fn new(export: ChatExportPayload) -> Result<Payload, PayloadError> {
        Payload::new_with(export, &Limits::default())
    }

    /// Validates a payload built in code within `limits`.
    pub fn new_with(export: ChatExportPayload, limits: &Limits) -> Result<Payload, PayloadError> {
        let times = validate::validate(&export, limits)?;
        let mut warnings = Vec::new();
        validate::soft_checks(&export, &times, &mut warnings);
        Ok(Payload {
            export,
            warnings,
            times,
        })
    }

    /// The validated document.
    pub fn export(&self) -> &ChatExportPayload {
        &self.export
    }

    pub fn props(&self) -> &Props {
        &self.export.props
    }

    /// The document, to edit and validate again.
    pub fn into_export(self) -> ChatExportPayload {
        self.export
    }
}

/// The top-level request body. Unknown fields here are an error.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChatExportPayload {
    pub mockup_type: MockupType,
    pub platform: Platform,
    pub render_kind: RenderKind,
    pub resolution_scale: ResolutionScale,
    pub renderer_version: RendererVersion,
    pub props: Props,
    /// The hosted API's 3D mockups. `false` (or absent) renders as usual; `true` is
    /// refused until 3D is drawn.
    #[serde(default, rename = "render3D", skip_serializing_if = "Option::is_none")]
    pub render_3d: Option<bool>,
    /// The hosted API's camera for 3D mockups; accepted and ignored (with a warning).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub camera_position: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum MockupType {
    #[serde(rename = "chats")]
    Chats,
}

/// The sixteen platforms of the hosted API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Platform {
    Imessage,
    Whatsapp,
    Messenger,
    Instagram,
    Telegram,
    Discord,
    Slack,
    Signal,
    Snapchat,
    Tiktok,
    Tinder,
    Wechat,
    Line,
    X,
    Reddit,
    MicrosoftTeams,
}

impl Platform {
    pub const ALL: [Platform; 16] = [
        Platform::Imessage,
        Platform::Whatsapp,
        Platform::Messenger,
        Platform::Instagram,
        Platform::Telegram,
        Platform::Discord,
        Platform::Slack,
        Platform::Signal,
        Platform::Snapchat,
        Platform::Tiktok,
        Platform::Tinder,
        Platform::Wechat,
        Platform::Line,
        Platform::X,
        Platform::Reddit,
        Platform::MicrosoftTeams,
    ];

    /// The app's name as people write it, e.g. `Microsoft Teams`.
    pub fn name(self) -> &'static str {
        match self {
            Platform::Imessage => "iMessage",
            Platform::Whatsapp => "WhatsApp",
            Platform::Messenger => "Messenger",
            Platform::Instagram => "Instagram",
            Platform::Telegram => "Telegram",
            Platform::Discord => "Discord",
            Platform::Slack => "Slack",
            Platform::Signal => "Signal",
            Platform::Snapchat => "Snapchat",
            Platform::Tiktok => "TikTok",
            Platform::Tinder => "Tinder",
            Platform::Wechat => "WeChat",
            Platform::Line => "LINE",
            Platform::X => "X",
            Platform::Reddit => "Reddit",
            Platform::MicrosoftTeams => "Microsoft Teams",
        }
    }

    /// Whether `mobileView: false` draws this platform's desktop window; when not,
    /// the mobile layout is drawn with a warning.
    pub fn has_desktop_window(self) -> bool {
        matches!(
            self,
            Platform::Whatsapp
                | Platform::Telegram
                | Platform::Messenger
                | Platform::Discord
                | Platform::MicrosoftTeams
                | Platform::Slack
        )
    }

    /// The id used in payloads, e.g. `microsoftTeams`.
    pub fn id(self) -> &'static str {
        match self {
            Platform::Imessage => "imessage",
            Platform::Whatsapp => "whatsapp",
            Platform::Messenger => "messenger",
            Platform::Instagram => "instagram",
            Platform::Telegram => "telegram",
            Platform::Discord => "discord",
            Platform::Slack => "slack",
            Platform::Signal => "signal",
            Platform::Snapchat => "snapchat",
            Platform::Tiktok => "tiktok",
            Platform::Tinder => "tinder",
            Platform::Wechat => "wechat",
            Platform::Line => "line",
            Platform::X => "x",
            Platform::Reddit => "reddit",
            Platform::MicrosoftTeams => "microsoftTeams",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum RenderKind {
    Image,
    Video,
}

/// Pixel density: pixels = points × scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ResolutionScale {
    #[serde(rename = "1x")]
    X1,
    #[serde(rename = "2x")]
    X2,
    #[serde(rename = "4x")]
    X4,
}

impl ResolutionScale {
    pub fn factor(self) -> f32 {
        match self {
            ResolutionScale::X1 => 1.0,
            ResolutionScale::X2 => 2.0,
            ResolutionScale::X4 => 4.0,
        }
    }
}

/// `mockup-remotion-v1` is the hosted renderer's id, accepted so its clients work
/// unchanged; `mockly-native-v1` is ours. Both render the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum RendererVersion {
    #[serde(rename = "mockup-remotion-v1")]
    MockupRemotionV1,
    #[serde(rename = "mockly-native-v1")]
    MocklyNativeV1,
}

/// Everything about the conversation and how to draw it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Props {
    pub platform: Platform,
    pub sender: User,
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 256)))]
    pub receivers: Vec<User>,
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 2000)))]
    pub messages: Vec<Message>,
    #[serde(default)]
    pub conversation_type: ConversationType,
    #[serde(default)]
    pub group_chat_settings: Option<GroupChatSettings>,
    #[serde(default)]
    pub dark_mode: bool,
    #[serde(default = "yes")]
    pub mobile_view: bool,
    #[serde(default)]
    pub show_device_frame: bool,
    #[serde(default = "yes")]
    pub show_device_status: bool,
    #[serde(default = "yes")]
    pub show_header: bool,
    #[serde(default = "yes")]
    pub show_footer: bool,
    #[serde(default)]
    pub show_receiver: bool,
    #[serde(default = "yes")]
    pub show_dates: bool,
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 100)))]
    #[serde(default = "full_battery")]
    pub battery_level: f64,
    #[cfg_attr(feature = "schema", schemars(length(max = 32)))]
    #[serde(default = "default_status_bar_time")]
    pub status_bar_time: String,
    #[serde(default)]
    pub time_notation: TimeNotation,
    #[cfg_attr(feature = "schema", schemars(length(max = 200)))]
    #[serde(default = "default_timezone")]
    pub timezone: String,
    #[serde(default)]
    pub transparent_background: bool,
    #[serde(default)]
    pub video: Option<VideoSettings>,
    /// (ext) Other conversations for a desktop window's chat list, below the
    /// current one (which is always first and selected). Without it the list
    /// shows groups that name no one; with it (even empty), exactly these.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = 50)))]
    pub sidebar: Option<Vec<SidebarChat>>,
}

fn yes() -> bool {
    true
}
fn full_battery() -> f64 {
    100.0
}
fn default_status_bar_time() -> String {
    "9:41".to_owned()
}
fn default_timezone() -> String {
    "UTC".to_owned()
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ConversationType {
    #[default]
    DirectMessage,
    GroupChat,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct GroupChatSettings {
    #[cfg_attr(feature = "schema", schemars(length(max = 200)))]
    pub name: String,
    #[serde(default)]
    pub image: Option<String>,
}

/// (ext) One conversation of a desktop window's chat list.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SidebarChat {
    /// A person's or a group's name, as the list shows it.
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 200)))]
    pub name: String,
    /// Avatar: a data URL or an http(s) URL; without one, the app's default.
    #[serde(default)]
    pub image: Option<String>,
    /// The preview line under the name.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = 500)))]
    pub last_message: Option<String>,
    /// Drawn verbatim where the app shows the time ("9:41 AM", "Yesterday", "2h").
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = 32)))]
    pub time: Option<String>,
    /// Unread messages: a count badge (or the app's unread mark).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(range(max = 9999)))]
    pub unread: Option<u32>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum TimeNotation {
    #[serde(rename = "12h")]
    H12,
    #[default]
    #[serde(rename = "24h")]
    H24,
}

/// A person in the conversation.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct User {
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 200)))]
    pub id: String,
    #[cfg_attr(feature = "schema", schemars(length(max = 200)))]
    pub name: String,
    /// A data URL or an http(s) URL.
    #[serde(default)]
    pub image: Option<String>,
    /// (ext) Name colour in groups, `#RRGGBB`.
    #[serde(default)]
    pub color: Option<String>,
}

/// One entry of the conversation.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Message {
    #[cfg_attr(feature = "schema", schemars(length(max = 200)))]
    pub id: String,
    #[serde(rename = "type")]
    pub kind: MessageType,
    pub user_id: String,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = 10000)))]
    pub text: Option<String>,
    /// ISO-8601, with or without an offset.
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date-time")))]
    pub timestamp: String,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = 10)))]
    pub images: Option<Vec<String>>,
    #[serde(default)]
    pub status: Option<DeliveryStatus>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = 20)))]
    pub reactions: Option<Vec<Reaction>>,
    #[serde(default)]
    pub reply_to_id: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 3600)))]
    pub duration_sec: Option<f64>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 60000)))]
    pub delay_ms: Option<f64>,
    /// (ext) Replies in a thread under this message (Slack shows "3 replies" with
    /// the repliers' avatars).
    #[serde(default)]
    pub thread: Option<Thread>,
}

/// (ext) A thread of replies under a message.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Thread {
    /// How many replies.
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 100000)))]
    pub replies: u32,
    /// Who replied, most recent first (the first few are shown).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = 20)))]
    pub user_ids: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum MessageType {
    Text,
    Image,
    System,
    Typing,
    Voice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum DeliveryStatus {
    Sent,
    Delivered,
    Read,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Reaction {
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 16)))]
    pub emoji: String,
    pub user_id: String,
}

/// (ext) How a video plays the conversation out. Read only for `renderKind: "video"`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct VideoSettings {
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(extend("enum" = [24, 25, 30, 60, null])))]
    pub fps: Option<u32>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 60000)))]
    pub start_delay_ms: Option<f64>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 60000)))]
    pub message_delay_ms: Option<f64>,
    #[serde(default)]
    pub typing_indicator: Option<bool>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 10000)))]
    pub typing_ms: Option<f64>,
    #[serde(default)]
    pub type_outgoing: Option<bool>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 60000)))]
    pub end_hold_ms: Option<f64>,
    #[serde(default)]
    pub frame: Option<VideoFrame>,
    /// Around the screen on a frame other than `screen`: `#RRGGBB`, `blur` (the
    /// conversation blurred), or a picture's data URL or http(s) URL.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = 10_000_000)))]
    pub background: Option<String>,
    /// Display Zoom, 1–1.5: text and bubbles this much bigger on the same screen.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 1.5)))]
    pub zoom: Option<f64>,
    /// Keeps the newest message clear of a platform's captions and buttons (on a
    /// 9:16 frame).
    #[serde(default)]
    pub safe_zone: Option<SafeZone>,
    /// The file made: MP4 unless the background is transparent (then WebM).
    #[serde(default)]
    pub format: Option<VideoFormat>,
    /// Send and receive sounds, typing ticks (and the music bed, if any). Off by
    /// default: a hosted-API client gets the silent video it always got.
    #[serde(default)]
    pub sound: Option<bool>,
    /// A music bed under the sounds, looped or cut to the video's length.
    #[serde(default)]
    pub music: Option<MusicBed>,
    /// Extra files made with the video: the timing file and captions.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = 3)))]
    pub include: Option<Vec<VideoExtra>>,
}

/// (ext) Music under a video's sounds.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct MusicBed {
    /// A data URL or an http(s) URL of an audio file (MP3, AAC/M4A, Ogg, Opus,
    /// FLAC, WAV), fetched like pictures are.
    pub src: String,
    /// 0–1; 0.3 by default.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 1)))]
    pub volume: Option<f64>,
}

/// (ext) A file made beside a video.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum VideoExtra {
    /// JSON: each message's appearance, typing spans, the final hold.
    Timeline,
    /// The messages as SubRip captions.
    Srt,
    /// The messages as WebVTT captions.
    Vtt,
}

impl VideoExtra {
    /// As the payload names it.
    pub fn name(self) -> &'static str {
        match self {
            VideoExtra::Timeline => "timeline",
            VideoExtra::Srt => "srt",
            VideoExtra::Vtt => "vtt",
        }
    }

    /// The file, made from a rendered video's timing.
    pub fn contents(self, timing: &crate::timeline::Timing, payload: &Payload) -> String {
        match self {
            VideoExtra::Timeline => timing.json(),
            VideoExtra::Srt => timing.srt(payload),
            VideoExtra::Vtt => timing.vtt(payload),
        }
    }

    /// The file name's ending after the export's id (`<id>.timeline.json`).
    pub fn suffix(self) -> &'static str {
        match self {
            VideoExtra::Timeline => "timeline.json",
            VideoExtra::Srt => "srt",
            VideoExtra::Vtt => "vtt",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            VideoExtra::Timeline => "application/json",
            VideoExtra::Srt => "application/x-subrip; charset=utf-8",
            VideoExtra::Vtt => "text/vtt; charset=utf-8",
        }
    }

    pub const ALL: [VideoExtra; 3] = [VideoExtra::Timeline, VideoExtra::Srt, VideoExtra::Vtt];
}

/// (ext) The file a video is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum VideoFormat {
    /// H.264 in MP4: plays everywhere; no alpha.
    Mp4,
    /// VP9 in WebM, with alpha when the background is transparent.
    Webm,
    /// ProRes 4444 with alpha in QuickTime, for editing suites.
    Mov,
    /// An animated GIF (256 colours, on/off transparency).
    Gif,
    /// An animated WebP (lossy, with alpha when the background is transparent).
    Webp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum VideoFrame {
    #[serde(rename = "screen")]
    Screen,
    #[serde(rename = "9:16")]
    Portrait9x16,
    /// (ext)
    #[serde(rename = "1:1")]
    Square1x1,
    /// (ext)
    #[serde(rename = "4:5")]
    Portrait4x5,
    /// (ext)
    #[serde(rename = "16:9")]
    Landscape16x9,
}

/// (ext) Where a short-form platform draws its own captions and buttons over a
/// vertical video.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum SafeZone {
    Tiktok,
    Reels,
    Shorts,
}

impl Props {
    /// The extra files a video asks for, each once, in a fixed order.
    pub fn video_extras(&self) -> Vec<VideoExtra> {
        let asked = self
            .video
            .as_ref()
            .and_then(|v| v.include.as_deref())
            .unwrap_or(&[]);
        VideoExtra::ALL
            .into_iter()
            .filter(|e| asked.contains(e))
            .collect()
    }

    pub fn is_group(&self) -> bool {
        self.conversation_type == ConversationType::GroupChat
    }

    /// The user with this id: the sender or one of the receivers.
    pub fn user(&self, id: &str) -> Option<&User> {
        std::iter::once(&self.sender)
            .chain(&self.receivers)
            .find(|u| u.id == id)
    }
}
