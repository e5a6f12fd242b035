//! Checks serde cannot express: cross-field rules, references between messages and
//! users, formats inside strings, and the safety caps that keep a render bounded.

use std::collections::HashSet;

use super::parse::{PayloadError, Warning, quote};
use super::{ChatExportPayload, MessageType, User, VideoSettings};
use crate::Limits;
use crate::image_source::{DataUrl, ImageError};
use crate::time::{self, LocalTime};

/// Timestamps and zone, parsed once.
#[derive(Debug, Clone)]
pub(crate) struct ResolvedTimes {
    pub messages: Vec<LocalTime>,
}

type Result<T> = std::result::Result<T, PayloadError>;

pub(crate) fn validate(p: &ChatExportPayload, limits: &Limits) -> Result<ResolvedTimes> {
    let props = &p.props;
    if p.platform != props.platform {
        return Err(PayloadError::detailed(
            "props.platform",
            "Platform mismatch",
            format!(
                "expected '{}' (the top-level platform), received '{}'",
                p.platform.id(),
                props.platform.id()
            ),
        ));
    }
    if p.render_3d == Some(true) {
        return Err(PayloadError::detailed(
            "render3D",
            "Not supported",
            "3D mockups are not rendered yet; leave render3D out or set it to false",
        ));
    }
    if props.receivers.is_empty() {
        return Err(PayloadError::new(
            "props.receivers",
            "Array must contain at least 1 element(s)",
        ));
    }
    if props.receivers.len() > limits.max_receivers {
        return Err(too_many("props.receivers", limits.max_receivers));
    }
    if props.messages.is_empty() {
        return Err(PayloadError::new(
            "props.messages",
            "Array must contain at least 1 element(s)",
        ));
    }
    if props.messages.len() > limits.max_messages {
        return Err(too_many("props.messages", limits.max_messages));
    }
    if props.is_group() && props.group_chat_settings.is_none() {
        return Err(PayloadError::detailed(
            "props.groupChatSettings",
            "Required",
            "conversationType is 'group-chat'",
        ));
    }
    if let Some(group) = &props.group_chat_settings {
        check_len(
            "props.groupChatSettings.name",
            &group.name,
            limits.max_label_chars,
        )?;
        if let Some(image) = &group.image {
            check_image_url("props.groupChatSettings.image", image, limits)?;
        }
    }
    if let Some(chats) = &props.sidebar {
        if chats.len() > MAX_SIDEBAR {
            return Err(too_many("props.sidebar", MAX_SIDEBAR));
        }
        for (i, chat) in chats.iter().enumerate() {
            let path = format!("props.sidebar.{i}");
            if chat.name.trim().is_empty() {
                return Err(PayloadError::detailed(
                    format!("{path}.name"),
                    "Required",
                    "a chat of the sidebar needs a name",
                ));
            }
            check_len(&format!("{path}.name"), &chat.name, limits.max_label_chars)?;
            if let Some(text) = &chat.last_message {
                check_len(&format!("{path}.lastMessage"), text, MAX_SIDEBAR_PREVIEW)?;
            }
            if let Some(time) = &chat.time {
                check_len(&format!("{path}.time"), time, limits.max_status_time_chars)?;
            }
            if let Some(image) = &chat.image {
                check_image_url(&format!("{path}.image"), image, limits)?;
            }
            if chat.unread.is_some_and(|n| n > 9999) {
                return Err(PayloadError::detailed(
                    format!("{path}.unread"),
                    "Number out of range",
                    "expected 0 to 9999",
                ));
            }
        }
    }
    if !(0.0..=100.0).contains(&props.battery_level) {
        return Err(PayloadError::detailed(
            "props.batteryLevel",
            "Number out of range",
            format!("expected 0 to 100, received {}", props.battery_level),
        ));
    }
    check_len(
        "props.statusBarTime",
        &props.status_bar_time,
        limits.max_status_time_chars,
    )?;
    check_len("props.timezone", &props.timezone, limits.max_label_chars)?;
    let zone = time::parse_zone(&props.timezone).ok_or_else(|| {
        PayloadError::detailed(
            "props.timezone",
            "Invalid timezone",
            format!("{} is not an IANA time zone name", quote(&props.timezone)),
        )
    })?;

    let mut user_ids = HashSet::new();
    check_user(&props.sender, "props.sender", &mut user_ids, limits)?;
    for (i, user) in props.receivers.iter().enumerate() {
        check_user(user, &format!("props.receivers.{i}"), &mut user_ids, limits)?;
    }

    let mut message_ids = HashSet::new();
    let mut times = Vec::with_capacity(props.messages.len());
    let mut total_text = 0usize;
    let mut pictures = HashSet::new();
    for user in std::iter::once(&props.sender).chain(&props.receivers) {
        pictures.extend(user.image.as_deref());
    }
    if let Some(g) = &props.group_chat_settings {
        pictures.extend(g.image.as_deref());
    }
    for chat in props.sidebar.iter().flatten() {
        pictures.extend(chat.image.as_deref());
    }
    for (i, m) in props.messages.iter().enumerate() {
        let path = format!("props.messages.{i}");
        check_len(&format!("{path}.id"), &m.id, limits.max_label_chars)?;
        if !message_ids.insert(m.id.as_str()) {
            return Err(PayloadError::detailed(
                format!("{path}.id"),
                "Duplicate message id",
                quote(&m.id),
            ));
        }
        if !user_ids.contains(m.user_id.as_str()) {
            return Err(unknown_user(&format!("{path}.userId"), &m.user_id));
        }
        let text = m.text.as_deref().unwrap_or("");
        let chars = text.chars().count();
        if chars > limits.max_text_chars {
            return Err(PayloadError::detailed(
                format!("{path}.text"),
                "String too long",
                format!("at most {} characters", limits.max_text_chars),
            ));
        }
        total_text += chars;
        if total_text > limits.max_total_text_chars {
            return Err(PayloadError::detailed(
                format!("{path}.text"),
                "Conversation too long",
                format!(
                    "the messages' texts may hold at most {} characters together",
                    limits.max_total_text_chars
                ),
            ));
        }
        match m.kind {
            MessageType::Text | MessageType::System if m.text.is_none() => {
                return Err(PayloadError::new(format!("{path}.text"), "Required"));
            }
            MessageType::Text | MessageType::System if text.trim().is_empty() => {
                return Err(PayloadError::new(
                    format!("{path}.text"),
                    "String must contain at least 1 character(s)",
                ));
            }
            MessageType::Image => {
                let images = m.images.as_deref().unwrap_or(&[]);
                if images.is_empty() {
                    return Err(PayloadError::new(format!("{path}.images"), "Required"));
                }
            }
            MessageType::Voice => match m.duration_sec {
                None => {
                    return Err(PayloadError::new(format!("{path}.durationSec"), "Required"));
                }
                Some(d) if !(d.is_finite() && d > 0.0 && d <= 3600.0) => {
                    return Err(PayloadError::detailed(
                        format!("{path}.durationSec"),
                        "Number out of range",
                        "expected more than 0 and at most 3600 seconds",
                    ));
                }
                _ => {}
            },
            _ => {}
        }
        if let Some(images) = &m.images {
            if images.len() > limits.max_images_per_message {
                return Err(too_many(
                    &format!("{path}.images"),
                    limits.max_images_per_message,
                ));
            }
            for (j, url) in images.iter().enumerate() {
                let at = format!("{path}.images.{j}");
                check_image_url(&at, url, limits)?;
                pictures.insert(url.as_str());
                if pictures.len() > limits.max_pictures {
                    return Err(PayloadError::detailed(
                        at,
                        "Too many pictures",
                        format!(
                            "a payload may show at most {} different pictures",
                            limits.max_pictures
                        ),
                    ));
                }
            }
        }
        if let Some(reactions) = &m.reactions {
            if reactions.len() > limits.max_reactions_per_message {
                return Err(too_many(
                    &format!("{path}.reactions"),
                    limits.max_reactions_per_message,
                ));
            }
            for (j, r) in reactions.iter().enumerate() {
                if !user_ids.contains(r.user_id.as_str()) {
                    return Err(unknown_user(
                        &format!("{path}.reactions.{j}.userId"),
                        &r.user_id,
                    ));
                }
                if r.emoji.trim().is_empty() || r.emoji.chars().count() > 16 {
                    return Err(PayloadError::detailed(
                        format!("{path}.reactions.{j}.emoji"),
                        "Invalid emoji",
                        "expected one emoji",
                    ));
                }
            }
        }
        if let Some(thread) = &m.thread {
            if thread.replies == 0 || thread.replies > MAX_THREAD_REPLIES {
                return Err(PayloadError::detailed(
                    format!("{path}.thread.replies"),
                    "Invalid number",
                    format!("expected 1 to {MAX_THREAD_REPLIES} replies"),
                ));
            }
            if thread.user_ids.len() > MAX_THREAD_USERS {
                return Err(too_many(
                    &format!("{path}.thread.userIds"),
                    MAX_THREAD_USERS,
                ));
            }
            for (j, id) in thread.user_ids.iter().enumerate() {
                if !user_ids.contains(id.as_str()) {
                    return Err(unknown_user(&format!("{path}.thread.userIds.{j}"), id));
                }
            }
        }
        if let Some(target) = &m.reply_to_id {
            let earlier = props.messages[..i].iter().any(|o| &o.id == target);
            if !earlier {
                return Err(PayloadError::detailed(
                    format!("{path}.replyToId"),
                    "Unknown message",
                    format!("{} is not the id of an earlier message", quote(target)),
                ));
            }
        }
        if let Some(delay) = m.delay_ms {
            check_duration(&format!("{path}.delayMs"), delay, limits.max_delay_ms)?;
        }
        let t = time::parse_timestamp(&m.timestamp, zone).ok_or_else(|| {
            PayloadError::detailed(
                format!("{path}.timestamp"),
                "Invalid datetime",
                format!("{} is not an ISO-8601 date and time", quote(&m.timestamp)),
            )
        })?;
        times.push(t);
    }
    if let Some(video) = &props.video {
        check_video(video, limits)?;
    }
    Ok(ResolvedTimes { messages: times })
}

/// Things worth telling the client that do not stop the render.
pub(crate) fn soft_checks(
    p: &ChatExportPayload,
    times: &ResolvedTimes,
    warnings: &mut Vec<Warning>,
) {
    for (i, pair) in times.messages.windows(2).enumerate() {
        if pair[1] < pair[0] {
            warnings.push(Warning {
                path: format!("props.messages.{}.timestamp", i + 1),
                message:
                    "earlier than the message before it; messages are shown in the order given"
                        .to_owned(),
            });
        }
    }
    if p.camera_position.is_some() {
        warnings.push(Warning {
            path: "cameraPosition".to_owned(),
            message: "ignored: it only applies to 3D mockups".to_owned(),
        });
    }
    if p.props.video.is_some() && p.render_kind == super::RenderKind::Image {
        warnings.push(Warning {
            path: "props.video".to_owned(),
            message: "ignored for renderKind 'image'".to_owned(),
        });
    }
    if let Some(v) = &p.props.video
        && v.safe_zone.is_some()
        && v.frame
            .is_some_and(|f| f != super::VideoFrame::Portrait9x16)
    {
        warnings.push(Warning {
            path: "props.video.safeZone".to_owned(),
            message: "ignored: safe zones are for the 9:16 frame".to_owned(),
        });
    }
    if let Some(v) = &p.props.video
        && v.background.is_some()
        && v.frame.is_none_or(|f| f == super::VideoFrame::Screen)
        && v.safe_zone.is_none()
    {
        warnings.push(Warning {
            path: "props.video.background".to_owned(),
            message: "ignored: the screen fills the video (set props.video.frame)".to_owned(),
        });
    }
    let format = p.props.video.as_ref().and_then(|v| v.format);
    if let Some(v) = &p.props.video
        && matches!(
            format,
            Some(super::VideoFormat::Gif | super::VideoFormat::Webp)
        )
        && (v.sound == Some(true) || v.music.is_some())
    {
        let field = if v.sound == Some(true) {
            "sound"
        } else {
            "music"
        };
        warnings.push(Warning {
            path: format!("props.video.{field}"),
            message: "ignored: GIF and WebP have no sound track".to_owned(),
        });
    }
    if p.props.transparent_background && format == Some(super::VideoFormat::Mp4) {
        warnings.push(Warning {
            path: "props.video.format".to_owned(),
            message: "an MP4 has no alpha: the transparent background comes out black (use webm, mov, gif or webp)".to_owned(),
        });
    }
}

fn check_user(user: &User, path: &str, ids: &mut HashSet<String>, limits: &Limits) -> Result<()> {
    if user.id.is_empty() {
        return Err(PayloadError::new(
            format!("{path}.id"),
            "String must contain at least 1 character(s)",
        ));
    }
    check_len(&format!("{path}.id"), &user.id, limits.max_label_chars)?;
    check_len(&format!("{path}.name"), &user.name, limits.max_label_chars)?;
    if !ids.insert(user.id.clone()) {
        return Err(PayloadError::detailed(
            format!("{path}.id"),
            "Duplicate user id",
            quote(&user.id),
        ));
    }
    if let Some(image) = &user.image {
        check_image_url(&format!("{path}.image"), image, limits)?;
    }
    if let Some(color) = &user.color
        && crate::scene::Color::from_hex(color).is_none()
    {
        return Err(PayloadError::detailed(
            format!("{path}.color"),
            "Invalid color",
            format!("expected #RRGGBB, received {}", quote(color)),
        ));
    }
    Ok(())
}

/// Strings drawn on one line (names, ids shown nowhere but echoed in errors, the
/// status bar's time) are capped: past a header's width they are cut anyway, and a
/// megabyte of name would cost megabytes of shaping.
fn check_len(path: &str, value: &str, max: usize) -> Result<()> {
    if value.chars().count() > max {
        return Err(PayloadError::detailed(
            path,
            "String too long",
            format!("at most {max} characters"),
        ));
    }
    Ok(())
}

/// Only the form is checked here; the bytes are decoded when the image is drawn.
fn check_image_url(path: &str, url: &str, limits: &Limits) -> Result<()> {
    check_media_url(path, url, limits, ("Invalid image", DataUrl::parse))
}

/// Reads a data URL of one kind (pictures, sounds).
type ParseDataUrl = fn(&str) -> std::result::Result<DataUrl, ImageError>;

/// A data URL (checked by `parse`) or an http(s) URL within the length limit;
/// `invalid` heads the error.
fn check_media_url(
    path: &str,
    url: &str,
    limits: &Limits,
    (invalid, parse): (&str, ParseDataUrl),
) -> Result<()> {
    if url.starts_with("data:") {
        parse(url)
            .map(|_| ())
            .map_err(|e| PayloadError::detailed(path, invalid, e))
    } else if url.starts_with("https://") || url.starts_with("http://") {
        check_len(path, url, limits.max_url_chars)
    } else {
        Err(PayloadError::detailed(
            path,
            invalid,
            "expected a data: URL or an http(s) URL",
        ))
    }
}

fn check_video(v: &VideoSettings, limits: &Limits) -> Result<()> {
    if let Some(fps) = v.fps
        && ![24, 25, 30, 60].contains(&fps)
    {
        return Err(PayloadError::detailed(
            "props.video.fps",
            "Invalid value",
            format!("expected 24, 25, 30 or 60, received {fps}"),
        ));
    }
    let durations = [
        ("startDelayMs", v.start_delay_ms, limits.max_delay_ms),
        ("messageDelayMs", v.message_delay_ms, limits.max_delay_ms),
        ("typingMs", v.typing_ms, limits.max_typing_ms),
        ("endHoldMs", v.end_hold_ms, limits.max_delay_ms),
    ];
    for (name, value, max) in durations {
        if let Some(ms) = value {
            check_duration(&format!("props.video.{name}"), ms, max)?;
        }
    }
    if let Some(zoom) = v.zoom
        && !(zoom.is_finite() && (1.0..=1.5).contains(&zoom))
    {
        return Err(PayloadError::detailed(
            "props.video.zoom",
            "Invalid value",
            format!("expected a number from 1 to 1.5, received {zoom}"),
        ));
    }
    if let Some(bg) = &v.background {
        let path = "props.video.background";
        if bg.starts_with('#') {
            if crate::scene::Color::from_hex(bg).is_none() {
                return Err(PayloadError::detailed(
                    path,
                    "Invalid colour",
                    format!(
                        "expected #RRGGBB, \"blur\" or a picture's URL, received {}",
                        quote(bg)
                    ),
                ));
            }
        } else if bg != "blur" {
            check_image_url(path, bg, limits)?;
        }
    }
    if let Some(music) = &v.music {
        check_media_url(
            "props.video.music.src",
            &music.src,
            limits,
            ("Invalid audio", DataUrl::parse_audio),
        )?;
        if let Some(volume) = music.volume
            && !(volume.is_finite() && (0.0..=1.0).contains(&volume))
        {
            return Err(PayloadError::detailed(
                "props.video.music.volume",
                "Invalid value",
                format!("expected a number from 0 to 1, received {volume}"),
            ));
        }
    }
    if let Some(include) = &v.include
        && include.len() > super::VideoExtra::ALL.len()
    {
        return Err(PayloadError::detailed(
            "props.video.include",
            "Too many entries",
            format!(
                "expected at most {} of \"timeline\", \"srt\", \"vtt\", received {}",
                super::VideoExtra::ALL.len(),
                include.len()
            ),
        ));
    }
    Ok(())
}

/// Delays are milliseconds between 0 and `max`.
fn check_duration(path: &str, ms: f64, max: f64) -> Result<()> {
    if ms.is_finite() && (0.0..=max).contains(&ms) {
        Ok(())
    } else {
        Err(PayloadError::detailed(
            path,
            "Number out of range",
            format!("expected 0 to {max} milliseconds, received {ms}"),
        ))
    }
}

/// A thread counts at most this many replies, and names at most this many people.
const MAX_THREAD_REPLIES: u32 = 100_000;
const MAX_THREAD_USERS: usize = 20;

fn unknown_user(path: &str, id: &str) -> PayloadError {
    PayloadError::detailed(
        path,
        "Unknown user",
        format!("{} is not the sender or a receiver", quote(id)),
    )
}

/// Chats a sidebar may list (a window shows about a dozen).
const MAX_SIDEBAR: usize = 50;
/// Characters of a sidebar chat's preview (one line is shown).
const MAX_SIDEBAR_PREVIEW: usize = 500;

fn too_many(path: &str, max: usize) -> PayloadError {
    PayloadError::new(path, format!("Array must contain at most {max} element(s)"))
}
