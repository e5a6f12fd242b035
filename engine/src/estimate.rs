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
    /// this tall).
    pub min_pixel_size: (u32, u32),
    /// Characters of all messages' texts.
    pub text_chars: usize,
    pub messages: usize,
    /// Picture URLs (avatars, photos, group image), counting repeats.
    pub pictures: usize,
}

impl Estimate {
    /// Pixels of the still at least.
    pub fn min_pixels(&self) -> u64 {
        u64::from(self.min_pixel_size.0) * u64::from(self.min_pixel_size.1)
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

/// No visible glyph is narrower than this share of the font size (Inter's and
/// Noto's narrowest, `i` or a thin space, are about twice as wide). Zero-width
/// characters are not counted at all.
const NARROWEST_ADVANCE_EM: f32 = 0.1;

pub(crate) fn estimate(payload: &Payload, skin: &dyn Skin) -> Estimate {
    let props = payload.props();
    let (screen_w, screen_h) = Device::of(props).screen();
    let m = skin.text_metrics(screen_w);
    let narrowest = (m.size * NARROWEST_ADVANCE_EM).max(0.5);
    let mut height = 0.0f32;
    let mut text_chars = 0;
    let mut pictures = usize::from(props.sender.image.is_some())
        + props.receivers.iter().filter(|u| u.image.is_some()).count();
    for msg in &props.messages {
        let text = msg.text.as_deref().unwrap_or("");
        text_chars += text.chars().count();
        pictures += msg.images.as_ref().map_or(0, Vec::len);
        height += match msg.kind {
            MessageType::Typing => 0.0,
            MessageType::System => m.notice,
            MessageType::Image | MessageType::Voice => m.row,
            MessageType::Text => {
                let lines: f32 = text
                    .split('\n')
                    .map(|paragraph| {
                        let width = visible_graphemes(paragraph) as f32 * narrowest;
                        (width / m.wrap).ceil().max(1.0)
                    })
                    .sum();
                m.row + lines * m.line_height
            }
        };
    }
    let scale = payload.export().resolution_scale.factor();
    let px = |pt: f32| (pt * scale).round().max(1.0) as u32;
    Estimate {
        min_pixel_size: (px(screen_w), px(height.max(screen_h))),
        text_chars,
        messages: props.messages.len(),
        pictures,
    }
}

/// Graphemes that take room on a line: everything but zero-width and
/// default-ignorable characters (which an attacker could repeat to make a text look
/// long).
fn visible_graphemes(s: &str) -> usize {
    s.graphemes(true)
        .filter(|g| g.chars().any(|c| !zero_width(c)))
        .count()
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
    fn zero_width_text_does_not_count() {
        assert_eq!(visible_graphemes("abc"), 3);
        assert_eq!(visible_graphemes("\u{200B}\u{200B}\u{FEFF}"), 0);
        assert_eq!(visible_graphemes("e\u{301}"), 1);
        assert_eq!(visible_graphemes("👨‍👩‍👧"), 1);
    }
}
