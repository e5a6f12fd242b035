//! When things happen in a video, for editors who cut to the beats: each message's
//! appearance, who types when, the final hold — as JSON, and the messages as
//! captions (SRT and WebVTT). Read off the same script the frames are painted
//! from, so a cue and the bubble it names start on the same frame.

use serde::Serialize;

use super::script::{Event, Script};
use crate::payload::{MessageType, Payload};

/// A video's beats.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Timing {
    pub duration_ms: f64,
    pub fps: u32,
    pub frames: u64,
    pub messages: Vec<Appearance>,
    pub typing: Vec<TypingSpan>,
    /// From the last message's appearance to the end.
    pub hold: Span,
}

/// One message coming on screen.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Appearance {
    /// Its place in `props.messages`.
    pub index: usize,
    pub id: String,
    pub user_id: String,
    /// Sent by the owner (`props.sender`).
    pub outgoing: bool,
    #[serde(rename = "type")]
    pub kind: MessageType,
    /// When its entrance starts (the bubble rises and fades in from here), and the
    /// first frame at or after that moment.
    pub at_ms: f64,
    pub frame: u64,
    /// What a caption says: the text, or what was sent (a photo, a voice message).
    pub caption: String,
}

/// Someone typing: the other side's indicator, or the owner's draft in the
/// composer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TypingSpan {
    pub user_id: String,
    /// `indicator` (the typing bubble) or `composer` (letters typed in the box).
    #[serde(rename = "where")]
    pub place: &'static str,
    pub start_ms: f64,
    pub end_ms: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Span {
    pub start_ms: f64,
    pub end_ms: f64,
}

impl Timing {
    pub(super) fn of(payload: &Payload, plan: &Script, fps: u32, frames: u64) -> Timing {
        let props = payload.props();
        let first_frame = |t: f64| ((t * f64::from(fps) / 1000.0 - 1e-6).ceil().max(0.0)) as u64;
        let mut messages = Vec::new();
        let mut typing: Vec<TypingSpan> = Vec::new();
        let mut shown = 0;
        // The indicator on screen: who, since when.
        let mut indicator: Option<(String, f64)> = None;
        for s in &plan.events {
            match &s.event {
                Event::Show {
                    visible, typing: t, ..
                } => {
                    if indicator.as_ref().map(|(u, _)| u) != t.as_ref() {
                        if let Some((user_id, start)) = indicator.take() {
                            typing.push(TypingSpan {
                                user_id,
                                place: "indicator",
                                start_ms: start,
                                end_ms: s.at,
                            });
                        }
                        indicator = t.clone().map(|u| (u, s.at));
                    }
                    for index in shown..*visible {
                        let m = &props.messages[index];
                        if m.kind == MessageType::Typing {
                            continue;
                        }
                        messages.push(Appearance {
                            index,
                            id: m.id.clone(),
                            user_id: m.user_id.clone(),
                            outgoing: m.user_id == props.sender.id,
                            kind: m.kind,
                            at_ms: s.at,
                            frame: first_frame(s.at),
                            caption: caption(m),
                        });
                    }
                    shown = shown.max(*visible);
                }
                Event::Compose { until, .. } => typing.push(TypingSpan {
                    user_id: props.sender.id.clone(),
                    place: "composer",
                    start_ms: s.at,
                    end_ms: *until,
                }),
            }
        }
        if let Some((user_id, start)) = indicator {
            typing.push(TypingSpan {
                user_id,
                place: "indicator",
                start_ms: start,
                end_ms: plan.duration_ms,
            });
        }
        typing.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
        let last = messages.last().map_or(0.0, |m| m.at_ms);
        Timing {
            duration_ms: plan.duration_ms,
            fps,
            frames,
            messages,
            typing,
            hold: Span {
                start_ms: last,
                end_ms: plan.duration_ms,
            },
        }
    }

    /// The beats as pretty JSON.
    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The messages as SubRip captions: each from its appearance until the next
    /// message's (the last until the end), with the sender's name.
    pub fn srt(&self, payload: &Payload) -> String {
        let mut out = String::new();
        for (n, (m, end)) in self.cues().enumerate() {
            out.push_str(&format!(
                "{}\n{} --> {}\n{}\n\n",
                n + 1,
                clock(m.at_ms, ','),
                clock(end, ','),
                one_block(&cue_text(payload, m))
            ));
        }
        out
    }

    /// The same captions as WebVTT (text escaped as the format wants).
    pub fn vtt(&self, payload: &Payload) -> String {
        let mut out = String::from("WEBVTT\n\n");
        for (m, end) in self.cues() {
            let text = one_block(&cue_text(payload, m))
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            out.push_str(&format!(
                "{} --> {}\n{}\n\n",
                clock(m.at_ms, '.'),
                clock(end, '.'),
                text
            ));
        }
        out
    }

    /// Each message with the time its caption ends.
    fn cues(&self) -> impl Iterator<Item = (&Appearance, f64)> {
        self.messages.iter().enumerate().map(|(i, m)| {
            let end = self
                .messages
                .get(i + 1)
                .map_or(self.duration_ms, |next| next.at_ms);
            // Messages sent together still get a moment each.
            (m, end.max(m.at_ms + 1.0))
        })
    }
}

/// What a caption says about a message.
fn caption(m: &crate::payload::Message) -> String {
    let text = m.text.as_deref().unwrap_or("").trim();
    match m.kind {
        MessageType::Image if text.is_empty() => "[Photo]".to_owned(),
        MessageType::Image => format!("[Photo] {text}"),
        MessageType::Voice => {
            let s = m.duration_sec.unwrap_or(0.0).round() as u64;
            format!("[Voice message {}:{:02}]", s / 60, s % 60)
        }
        _ => text.to_owned(),
    }
}

/// The caption with its sender's name ("Sam: on my way"); system lines as they are.
fn cue_text(payload: &Payload, m: &Appearance) -> String {
    if m.kind == MessageType::System {
        return m.caption.clone();
    }
    let name = payload
        .props()
        .user(&m.user_id)
        .map_or(m.user_id.as_str(), |u| u.name.as_str());
    format!("{name}: {}", m.caption)
}

/// A cue's text with no blank line inside (a blank line ends a cue in both
/// formats) and no `-->` (which starts a timing line).
fn one_block(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .collect();
    lines.join("\n").replace("-->", "→")
}

/// `HH:MM:SS,mmm` (SRT) or `HH:MM:SS.mmm` (WebVTT).
fn clock(ms: f64, separator: char) -> String {
    let ms = ms.max(0.0).round() as u64;
    format!(
        "{:02}:{:02}:{:02}{separator}{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_in_both_formats() {
        assert_eq!(clock(0.0, ','), "00:00:00,000");
        assert_eq!(clock(3_723_004.4, '.'), "01:02:03.004");
    }

    #[test]
    fn a_cue_never_holds_a_blank_line_or_an_arrow() {
        assert_eq!(one_block("a\n\n  \nb --> c"), "a\nb → c");
    }
}
