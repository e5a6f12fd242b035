//! What a render will cost, known before any text is shaped: a lower bound of a
//! still's height from its messages' line breaks and lengths, and the amounts that
//! make a render heavy. A picture that cannot fit the canvas limit is refused from
//! this, in microseconds, instead of after seconds of layout.

use unicode_segmentation::UnicodeSegmentation;

use crate::device::Device;
use crate::payload::{MessageType, Payload};
use crate::skin::Skin;

/// What rendering a payload will take, before layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Estimate {
    /// The still is at least this large, in pixels (a tall screenshot is at least
    /// this tall): a lower bound, from the narrowest glyphs of each script.
    pub min_pixel_size: (u32, u32),
    /// The size the still will most likely have, from typical glyph widths: what
    /// a render is expected to cost.
    pub likely_pixel_size: (u32, u32),
    /// Characters of all messages' texts.
    pub text_chars: usize,
    pub messages: usize,
    /// Picture URLs (avatars, photos, group image), counting repeats.
    pub pictures: usize,
    /// Pixels the pictures may keep at most once decoded and scaled down.
    pub picture_pixels: u64,
}

impl Estimate {
    /// Pixels of the still at least.
    pub fn min_pixels(&self) -> u64 {
        u64::from(self.min_pixel_size.0) * u64::from(self.min_pixel_size.1)
    }

    /// Pixels of the still most likely.
    pub fn likely_pixels(&self) -> u64 {
        u64::from(self.likely_pixel_size.0) * u64::from(self.likely_pixel_size.1)
    }
}

/// How a skin sets message text, for estimating heights without shaping.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TextMetrics {
    /// Font size of message text, points.
    pub size: f32,
    /// Line height of message text, points.
    pub line_height: f32,
    /// The widest a line of message text can be, points.
    pub wrap: f32,
    /// The least height a message row takes besides its lines (padding, gaps).
    pub row: f32,
    /// The least height of a centred notice (system message) row.
    pub notice: f32,
}

/// The least height of a photo (the widest aspect drawn, 4:1, on a 232 point
/// column) and its likely height (a 4:3 photo on a 240 point column).
const PHOTO_MIN: f32 = 58.0;
const PHOTO_LIKELY: f32 = 180.0;

pub(crate) fn estimate(payload: &Payload, skin: &dyn Skin) -> Estimate {
    let props = payload.props();
    let (screen_w, screen_h) = Device::of(props).screen();
    let m = skin.text_metrics(screen_w);
    let (mut least, mut likely) = (0.0f32, 0.0f32);
    let mut text_chars = 0;
    let mut pictures = usize::from(props.sender.image.is_some())
        + props.receivers.iter().filter(|u| u.image.is_some()).count();
    for msg in &props.messages {
        let text = msg.text.as_deref().unwrap_or("");
        text_chars += text.chars().count();
        let photos = msg.images.as_ref().map_or(0, Vec::len);
        pictures += photos;
        let (lo, hi) = match msg.kind {
            MessageType::Typing => (0.0, 0.0),
            MessageType::System => (m.notice, m.notice),
            MessageType::Voice => (m.row, m.row + 40.0),
            MessageType::Image => {
                let rows = photos.div_ceil(2).max(1) as f32;
                let caption = if text.trim().is_empty() {
                    (0.0, 0.0)
                } else {
                    text_lines(text, &m)
                };
                (
                    m.row + PHOTO_MIN + caption.0 * m.line_height,
                    m.row + PHOTO_LIKELY * rows + caption.1 * m.line_height,
                )
            }
            MessageType::Text => {
                let (lo, hi) = text_lines(text, &m);
                (m.row + lo * m.line_height, m.row + hi * m.line_height)
            }
        };
        least += lo;
        likely += hi;
    }
    let scale = payload.export().resolution_scale.factor();
    let px = |pt: f32| (pt * scale).round().max(1.0) as u32;
    // A photo keeps at most four squares of its drawn size (a 4:1 panorama).
    let photo = f64::from(skin.picture_sizes().photo * scale);
    let picture_pixels = (pictures as f64 * 4.0 * photo * photo) as u64;
    Estimate {
        min_pixel_size: (px(screen_w), px(least.max(screen_h))),
        likely_pixel_size: (px(screen_w), px(likely.max(screen_h))),
        text_chars,
        messages: props.messages.len(),
        pictures,
        picture_pixels,
    }
}

/// Lines a text takes at least, and most likely: each paragraph at least one line,
/// and as many more as its glyphs' widths fill.
fn text_lines(text: &str, m: &TextMetrics) -> (f32, f32) {
    let (mut least, mut likely) = (0.0, 0.0);
    for paragraph in text.split('\n') {
        let (lo, hi) = paragraph
            .graphemes(true)
            .map(advance)
            .fold((0.0, 0.0), |(a, b), (lo, hi)| (a + lo, b + hi));
        least += (lo * m.size / m.wrap).ceil().max(1.0);
        likely += (hi * m.size / m.wrap).ceil().max(1.0);
    }
    (least, likely)
}

/// How wide a grapheme is at least and most likely, in em. The least widths are
/// under the narrowest glyph of the script in the bundled fonts (measured: Latin
/// 0.175 in Roboto, Thai 0.29, Hebrew 0.3, Devanagari 0.32, Hangul 0.92, CJK and
/// kana 1.0), with room for negative tracking; zero-width characters, which an
/// attacker could repeat to make a text look long, count nothing.
fn advance(g: &str) -> (f32, f32) {
    let Some(c) = g.chars().find(|&c| !zero_width(c)) else {
        return (0.0, 0.0);
    };
    if crate::text::is_emoji(g) {
        return (1.0, 1.25);
    }
    match c as u32 {
        0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => (0.85, 0.92),
        0x2E80..=0x2FFF
        | 0x3040..=0x30FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0xFF01..=0xFF60
        | 0x20000..=0x3FFFF => (0.9, 1.0),
        0x0590..=0x05FF | 0x0900..=0x0DFF | 0x0E00..=0x0E7F => (0.25, 0.55),
        0x0600..=0x06FF | 0x0750..=0x077F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => (0.1, 0.45),
        _ => (0.12, 0.5),
    }
}

fn zero_width(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F |
        0x2000..=0x200F | 0x2028..=0x202F | 0x205F..=0x206F | 0x3164 | 0xFE00..=0xFE0F |
        0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A |
        0xE0000..=0xE0FFF |
        // Combining marks on their own (a mark after a letter joins its grapheme).
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F
    ) || c.is_control()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_by_script() {
        assert_eq!(advance("a"), (0.12, 0.5));
        assert_eq!(advance("\u{200B}"), (0.0, 0.0), "zero width counts nothing");
        assert_eq!(advance("\u{FEFF}"), (0.0, 0.0));
        assert_eq!(advance("e\u{301}"), (0.12, 0.5), "a letter with its mark");
        assert_eq!(advance("漢").0, 0.9);
        assert_eq!(advance("한").0, 0.85);
        assert_eq!(advance("ส").0, 0.25);
        assert_eq!(advance("👨‍👩‍👧"), (1.0, 1.25));
    }
}
