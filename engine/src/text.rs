//! Shaping text into positioned glyphs (cosmic-text), in points.
//!
//! Text is shaped once at its point size; the raster stage places each glyph at the
//! output density, so one layout serves 1x, 2x and 4x alike. Emoji are given to the
//! colour emoji face explicitly (a text face that happens to hold `❤` must not win),
//! and URLs can be marked to be underlined.

use std::sync::Arc;

use cosmic_text::{
    Attrs, Buffer, Ellipsize, EllipsizeHeightLimit, Family as CtFamily, LayoutGlyph, Metrics,
    Shaping, UnderlineStyle, Weight, Wrap,
};
use unicode_segmentation::UnicodeSegmentation;

use crate::fonts::{Family, FontContext};
use crate::scene::{Color, Rect};

/// How a piece of text looks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    pub family: Family,
    /// Points.
    pub size: f32,
    /// Points between baselines.
    pub line_height: f32,
    pub weight: u16,
    pub color: Color,
    /// Extra space between letters, in em (negative tightens).
    pub tracking: f32,
}

impl TextStyle {
    pub const fn new(
        family: Family,
        size: f32,
        line_height: f32,
        weight: u16,
        color: Color,
    ) -> Self {
        TextStyle {
            family,
            size,
            line_height,
            weight,
            color,
            tracking: 0.0,
        }
    }

    pub const fn tracking(mut self, em: f32) -> Self {
        self.tracking = em;
        self
    }

    pub const fn color(mut self, color: Color) -> Self {
        self.color = color;
        self
    }

    pub const fn weight(mut self, weight: u16) -> Self {
        self.weight = weight;
        self
    }

    pub const fn size(mut self, size: f32, line_height: f32) -> Self {
        self.size = size;
        self.line_height = line_height;
        self
    }
}

/// A run of text with its own weight, colour, underline or highlight within a
/// block.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Span<'a> {
    pub text: &'a str,
    pub weight: Option<u16>,
    pub color: Option<Color>,
    pub underline: bool,
    /// A rounded box of this colour behind the run (a mention).
    pub highlight: Option<Color>,
}

impl<'a> Span<'a> {
    pub fn plain(text: &'a str) -> Span<'a> {
        Span {
            text,
            weight: None,
            color: None,
            underline: false,
            highlight: None,
        }
    }

    pub fn weight(mut self, w: u16) -> Span<'a> {
        self.weight = Some(w);
        self
    }
}

/// Splits text into plain and link spans, links underlined (URLs, e-mail addresses).
pub fn with_links(text: &str) -> Vec<Span<'_>> {
    let mut finder = linkify::LinkFinder::new();
    finder.url_must_have_scheme(false);
    finder
        .spans(text)
        .map(|s| Span {
            text: s.as_str(),
            weight: None,
            color: None,
            underline: s.kind().is_some(),
            highlight: None,
        })
        .collect()
}

/// One laid-out line: glyphs positioned from the block's origin (points).
#[derive(Debug, Clone)]
pub struct TextLine {
    /// Baseline, points below the block's top.
    pub baseline: f32,
    pub glyphs: Vec<LayoutGlyph>,
    /// Underlines, in points from the block's origin.
    pub rules: Vec<(Rect, Color)>,
    /// Boxes behind runs (mentions), in points from the block's origin.
    pub highlights: Vec<(Rect, Color)>,
}

/// Shaped, wrapped text ready to place anywhere.
#[derive(Debug, Clone)]
pub struct TextBlock {
    pub lines: Vec<TextLine>,
    /// Widest line, points.
    pub width: f32,
    /// Lines × line height, points.
    pub height: f32,
    /// Colour of glyphs whose span set none.
    pub color: Color,
    /// Baseline of the first line, points below the top.
    pub first_baseline: f32,
}

impl TextBlock {
    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    /// The last `n` lines alone, moved up to the block's top (a composer shows the
    /// end of a long draft; the lines above need not be kept).
    pub fn last_lines(&self, n: usize) -> TextBlock {
        let drop = self.lines.len().saturating_sub(n);
        if drop == 0 {
            return self.clone();
        }
        let line_h = self.height / self.lines.len().max(1) as f32;
        let up = drop as f32 * line_h;
        let lines: Vec<TextLine> = self.lines[drop..]
            .iter()
            .map(|l| TextLine {
                baseline: l.baseline - up,
                glyphs: l.glyphs.clone(),
                rules: l
                    .rules
                    .iter()
                    .map(|(r, c)| (r.translate(0.0, -up), *c))
                    .collect(),
                highlights: l
                    .highlights
                    .iter()
                    .map(|(r, c)| (r.translate(0.0, -up), *c))
                    .collect(),
            })
            .collect();
        let width = lines
            .iter()
            .map(|l| l.glyphs.iter().map(|g| g.x + g.w).fold(0.0_f32, f32::max))
            .fold(0.0_f32, f32::max);
        TextBlock {
            first_baseline: lines.first().map_or(self.first_baseline, |l| l.baseline),
            height: lines.len() as f32 * line_h,
            lines,
            width,
            color: self.color,
        }
    }

    /// Width of the last line: chat apps tuck the time after it when it fits.
    pub fn last_line_width(&self) -> f32 {
        self.lines
            .last()
            .map(|l| l.glyphs.iter().map(|g| g.x + g.w).fold(0.0_f32, f32::max))
            .unwrap_or(0.0)
    }
}

/// Limits on a block's shape.
#[derive(Debug, Clone, Copy, Default)]
pub struct Bounds {
    /// Wrap width in points; `None` keeps each paragraph on one line.
    pub max_width: Option<f32>,
    /// Lines to keep; the last one kept ends with "…".
    pub max_lines: Option<usize>,
    /// Centre each line (in notices and chips).
    pub centered: bool,
}

impl Bounds {
    pub fn width(w: f32) -> Bounds {
        Bounds {
            max_width: Some(w),
            max_lines: None,
            centered: false,
        }
    }

    pub fn centered(mut self) -> Bounds {
        self.centered = true;
        self
    }

    pub fn lines(mut self, n: usize) -> Bounds {
        self.max_lines = Some(n);
        self
    }
}

/// Shapes spans of text in `style`.
pub(crate) fn shape(
    ctx: &mut FontContext,
    spans: &[Span<'_>],
    style: &TextStyle,
    bounds: Bounds,
) -> Arc<TextBlock> {
    let chars: usize = spans.iter().map(|s| s.text.len()).sum();
    if chars > crate::fonts::LONG_TEXT_CHARS {
        ctx.oversized = true;
    }
    let metrics = Metrics::new(style.size, style.line_height);
    let mut buffer = Buffer::new_empty(metrics);
    let base = attrs(style, style.family, None, None, false);

    // Emoji graphemes go to the emoji face; everything else to the style's family,
    // with cosmic-text's script fallback for what that face lacks. Han characters
    // fall back to Simplified Chinese shapes, except in text with kana: that is
    // Japanese, and its kanji and punctuation take the Japanese face.
    let japanese = spans.iter().any(|s| s.text.chars().any(is_kana));
    let face_of = |g: &str| {
        if is_emoji(g) {
            Family::Emoji
        } else if japanese && g.chars().next().is_some_and(is_han_or_cjk_punctuation) {
            Family::Japanese
        } else {
            style.family
        }
    };
    let mut pieces: Vec<(&str, Attrs<'_>)> = Vec::new();
    for span in spans {
        let mut start = 0;
        let mut run: Option<Family> = None;
        for (i, g) in span.text.grapheme_indices(true) {
            let face = face_of(g);
            if let Some(prev) = run.filter(|&prev| prev != face) {
                pieces.push((&span.text[start..i], span_attrs(style, span, prev)));
                start = i;
            }
            run = Some(face);
        }
        if start < span.text.len() {
            let face = run.unwrap_or(style.family);
            pieces.push((&span.text[start..], span_attrs(style, span, face)));
        }
    }

    buffer.set_wrap(Wrap::WordOrGlyph);
    buffer.set_size(bounds.max_width, None);
    let align = bounds.centered.then_some(cosmic_text::Align::Center);
    buffer.set_rich_text(pieces.iter().cloned(), &base, Shaping::Advanced, align);
    buffer.shape_until_scroll(&mut ctx.system, false);
    if let Some(lines) = lines_as_paragraphs(&buffer, &pieces) {
        buffer.set_rich_text(lines, &base, Shaping::Advanced, align);
        buffer.shape_until_scroll(&mut ctx.system, false);
    }
    if let Some(n) = bounds.max_lines
        && buffer.layout_runs().count() > n
    {
        // Only text that overflows is ellipsized: the ellipsizing layout is slower and
        // wraps differently, so text that fits keeps the ordinary layout.
        buffer.set_ellipsize(Ellipsize::End(EllipsizeHeightLimit::Lines(n.max(1))));
        buffer.shape_until_scroll(&mut ctx.system, false);
    }

    let width = buffer
        .layout_runs()
        .map(|r| r.line_w)
        .fold(0.0_f32, f32::max);
    let mut lines = Vec::new();
    let mut prev_line = usize::MAX;
    for run in buffer.layout_runs() {
        // Right-to-left lines come aligned to the wrap width; bring them to the
        // block's own width so the block can be placed by its real size.
        let mut shift = match (run.rtl, bounds.max_width) {
            (_, Some(max)) if bounds.centered => (width - max) / 2.0,
            (true, Some(max)) => width - max,
            _ => 0.0,
        };
        // The ellipsizing layout can carry the space it wrapped at to the start of
        // the next line: a wrapped left-to-right line starts at its first word.
        if run.line_i == prev_line && !run.rtl {
            let blank = |g: &&LayoutGlyph| {
                run.text
                    .get(g.start..g.end)
                    .is_some_and(|t| t.chars().all(char::is_whitespace))
            };
            let first = run.glyphs.first().map_or(0.0, |g| g.x);
            if let Some(word) = run.glyphs.iter().find(|g| !blank(g)) {
                shift -= word.x - first;
            }
        }
        prev_line = run.line_i;
        let mut glyphs: Vec<LayoutGlyph> = run.glyphs.to_vec();
        for g in &mut glyphs {
            g.x += shift;
        }
        let mut rules = Vec::new();
        let mut highlights = Vec::new();
        for span in run.decorations {
            let td = &span.data.text_decoration;
            if td.underline == UnderlineStyle::None {
                continue;
            }
            let gs = &glyphs[span.glyph_range.clone()];
            let x0 = gs.iter().map(|g| g.x).fold(f32::INFINITY, f32::min);
            let x1 = gs
                .iter()
                .map(|g| g.x + g.w)
                .fold(f32::NEG_INFINITY, f32::max);
            if x1 <= x0 {
                continue;
            }
            if td.underline == UnderlineStyle::Double {
                // The marker of a highlighted run: a box behind it, not a line.
                let color = td.underline_color_opt.map(from_ct).unwrap_or(style.color);
                let r = Rect::new(
                    x0 - 2.0,
                    run.line_top + 1.0,
                    x1 - x0 + 4.0,
                    run.line_height - 2.0,
                );
                highlights.push((r, color));
                continue;
            }
            let thickness = (span.data.underline_metrics.thickness * span.font_size).max(0.75);
            let y = run.line_y - span.data.underline_metrics.offset * span.font_size;
            let color = span.color_opt.map(from_ct).unwrap_or(style.color);
            rules.push((Rect::new(x0, y, x1 - x0, thickness), color));
        }
        lines.push(TextLine {
            baseline: run.line_y,
            glyphs,
            rules,
            highlights,
        });
    }
    let first_baseline = lines.first().map(|l| l.baseline).unwrap_or(style.size);
    Arc::new(TextBlock {
        height: lines.len().max(1) as f32 * style.line_height,
        lines,
        width,
        color: style.color,
        first_baseline,
    })
}

/// Mixed-direction paragraphs that wrapped, laid out again with each line as a
/// paragraph of its own, in the original paragraph's direction; `None` when no
/// paragraph needs it.
///
/// cosmic-text resolves bidi levels over a whole paragraph before wrapping it (as
/// UAX #9 says), then reorders each line by those levels. A neutral at the end of a
/// line keeps the level it took from text on the next line: in an LTR message,
/// "你好 — שלום — مرحبا" wrapped after the second dash showed "你好 — — שלום", the
/// dash moved across the Hebrew because the Arabic on the next line made it RTL.
/// Resolving each line on its own keeps every line reading in its logical order.
/// The lines are the same (each already fits), so wrapping is unchanged.
fn lines_as_paragraphs<'a>(
    buffer: &Buffer,
    pieces: &[(&'a str, Attrs<'a>)],
) -> Option<Vec<(&'a str, Attrs<'a>)>> {
    // Where a wrapped line starts, and the direction of its paragraph, per buffer line.
    let mut breaks: Vec<(usize, usize, bool)> = Vec::new();
    let mut mixed = false;
    let mut prev_line = usize::MAX;
    for run in buffer.layout_runs() {
        let start = run.glyphs.iter().map(|g| g.start).min();
        mixed |= run.glyphs.iter().any(|g| g.level.is_rtl() != run.rtl);
        if run.line_i == prev_line
            && let Some(start) = start
        {
            breaks.push((run.line_i, start, run.rtl));
        }
        prev_line = run.line_i;
    }
    if breaks.is_empty() || !mixed {
        return None;
    }
    // Buffer lines are the text split at line endings: find where each begins.
    let text: String = pieces.iter().map(|(t, _)| *t).collect();
    let mut line_starts = Vec::with_capacity(buffer.lines.len());
    let mut pos = 0;
    for line in &buffer.lines {
        if !text[pos..].starts_with(line.text()) {
            return None;
        }
        line_starts.push(pos);
        pos += line.text().len();
        let rest = &text[pos..];
        pos += if rest.starts_with("\r\n") || rest.starts_with("\n\r") {
            2
        } else {
            usize::from(rest.starts_with('\n') || rest.starts_with('\r'))
        };
    }
    let mut cuts: Vec<(usize, bool)> = breaks
        .into_iter()
        .filter_map(|(line, at, rtl)| Some((line_starts.get(line)? + at, rtl)))
        .collect();
    cuts.sort_unstable_by_key(|c| c.0);
    // A new paragraph at every cut, opened by a mark of the old paragraph's direction.
    let mut out = Vec::with_capacity(pieces.len() + 2 * cuts.len());
    let mut cuts = cuts.into_iter().peekable();
    let mut offset = 0;
    for (piece, attrs) in pieces {
        let end = offset + piece.len();
        let mut from = 0;
        while let Some(&(at, rtl)) = cuts.peek() {
            if at >= end || !piece.is_char_boundary(at - offset) {
                break;
            }
            cuts.next();
            if at - offset > from {
                out.push((&piece[from..at - offset], attrs.clone()));
            }
            out.push((if rtl { "\n\u{200F}" } else { "\n\u{200E}" }, attrs.clone()));
            from = at - offset;
        }
        if from < piece.len() {
            out.push((&piece[from..], attrs.clone()));
        }
        offset = end;
    }
    Some(out)
}

/// Hiragana, katakana and half-width katakana: marks of Japanese text.
fn is_kana(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}')
}

/// Han ideographs, CJK punctuation and full-width forms.
fn is_han_or_cjk_punctuation(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF01}'..='\u{FF60}'
        | '\u{20000}'..='\u{2FA1F}')
}

fn span_attrs<'a>(style: &TextStyle, span: &Span<'_>, family: Family) -> Attrs<'a> {
    let a = attrs(style, family, span.weight, span.color, span.underline);
    match span.highlight {
        Some(c) => a
            .underline(UnderlineStyle::Double)
            .underline_color(cosmic_text::Color::rgba(c.r, c.g, c.b, c.a)),
        None => a,
    }
}

fn attrs<'a>(
    style: &TextStyle,
    family: Family,
    weight: Option<u16>,
    color: Option<Color>,
    underline: bool,
) -> Attrs<'a> {
    let c = color.unwrap_or(style.color);
    let mut a = Attrs::new()
        .family(CtFamily::Name(family.name()))
        .weight(Weight(weight.unwrap_or(style.weight)))
        .color(cosmic_text::Color::rgba(c.r, c.g, c.b, c.a));
    if style.tracking != 0.0 && family != Family::Emoji {
        a = a.letter_spacing(style.tracking);
    }
    if underline {
        a = a.underline(UnderlineStyle::Single);
    }
    a
}

pub(crate) fn from_ct(c: cosmic_text::Color) -> Color {
    Color::rgba(c.r(), c.g(), c.b(), c.a())
}

/// Whether a grapheme cluster is shown as a (colour) emoji.
pub fn is_emoji(g: &str) -> bool {
    let mut chars = g.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if g.contains('\u{FE0E}') {
        return false; // explicit text presentation
    }
    if g.contains('\u{FE0F}') || g.contains('\u{20E3}') {
        return true;
    }
    emoji_presentation(first)
}

/// Characters shown as emoji by default (Unicode `Emoji_Presentation=Yes`), plus
/// regional indicators (flags) and the tag-based subdivision flags.
fn emoji_presentation(c: char) -> bool {
    matches!(c as u32,
        0x1F1E6..=0x1F1FF |
        0x1F004 | 0x1F0CF | 0x1F18E | 0x1F191..=0x1F19A | 0x1F201 | 0x1F21A | 0x1F22F |
        0x1F232..=0x1F236 | 0x1F238..=0x1F23A | 0x1F250..=0x1F251 |
        0x1F300..=0x1F320 | 0x1F32D..=0x1F335 | 0x1F337..=0x1F37C | 0x1F37E..=0x1F393 |
        0x1F3A0..=0x1F3CA | 0x1F3CF..=0x1F3D3 | 0x1F3E0..=0x1F3F0 | 0x1F3F4 |
        0x1F3F8..=0x1F43E | 0x1F440 | 0x1F442..=0x1F4FC | 0x1F4FF..=0x1F53D |
        0x1F54B..=0x1F54E | 0x1F550..=0x1F567 | 0x1F57A | 0x1F595..=0x1F596 | 0x1F5A4 |
        0x1F5FB..=0x1F64F | 0x1F680..=0x1F6C5 | 0x1F6CC | 0x1F6D0..=0x1F6D2 |
        0x1F6D5..=0x1F6D7 | 0x1F6DC..=0x1F6DF | 0x1F6EB..=0x1F6EC | 0x1F6F4..=0x1F6FC |
        0x1F7E0..=0x1F7EB | 0x1F7F0 | 0x1F90C..=0x1F93A | 0x1F93C..=0x1F945 |
        0x1F947..=0x1F9FF | 0x1FA70..=0x1FAFF |
        0x231A..=0x231B | 0x23E9..=0x23EC | 0x23F0 | 0x23F3 | 0x25FD..=0x25FE |
        0x2614..=0x2615 | 0x2648..=0x2653 | 0x267F | 0x2693 | 0x26A1 | 0x26AA..=0x26AB |
        0x26BD..=0x26BE | 0x26C4..=0x26C5 | 0x26CE | 0x26D4 | 0x26EA | 0x26F2..=0x26F3 |
        0x26F5 | 0x26FA | 0x26FD | 0x2705 | 0x270A..=0x270B | 0x2728 | 0x274C | 0x274E |
        0x2753..=0x2755 | 0x2757 | 0x2795..=0x2797 | 0x27B0 | 0x27BF | 0x2B1B..=0x2B1C |
        0x2B50 | 0x2B55
    )
}

/// Counts emoji when a text holds nothing but emoji and spaces; `None` otherwise.
/// Apps show up to three such emoji large, without a bubble.
pub fn emoji_only_count(text: &str) -> Option<usize> {
    let mut n = 0;
    for g in text.graphemes(true) {
        if g.chars().all(char::is_whitespace) {
            continue;
        }
        if !is_emoji(g) {
            return None;
        }
        n += 1;
    }
    (n > 0).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_detection() {
        assert_eq!(emoji_only_count("😀"), Some(1));
        assert_eq!(emoji_only_count("👍🏽 ❤️ 🇫🇷"), Some(3));
        assert_eq!(emoji_only_count("👨‍👩‍👧‍👦"), Some(1));
        assert_eq!(emoji_only_count("hi 😀"), None);
        assert_eq!(emoji_only_count("©"), None);
        assert_eq!(emoji_only_count("1️⃣"), Some(1));
        assert_eq!(emoji_only_count(""), None);
    }

    /// A neutral at the end of a wrapped line stays where the logical order puts
    /// it, whatever the text on the next line.
    #[test]
    fn wrapped_mixed_direction_lines_keep_their_order() {
        let fonts = crate::fonts::Fonts::load();
        let mut ctx = fonts.context();
        let style = TextStyle::new(Family::Roboto, 17.0, 22.0, 400, Color::BLACK);
        let dash = shape(&mut ctx, &[Span::plain("—")], &style, Bounds::default());
        let dash_id = dash.lines[0].glyphs[0].glyph_id;
        let space = shape(&mut ctx, &[Span::plain("a b")], &style, Bounds::default());
        let space_id = space.lines[0].glyphs[1].glyph_id;
        let text = "Привет from the office — 你好 — שלום — مرحبا";
        let mut seen = 0;
        for width in (150..=420).step_by(2) {
            let block = shape(
                &mut ctx,
                &[Span::plain(text)],
                &style,
                Bounds::width(width as f32),
            );
            let dashes = |l: &TextLine| l.glyphs.iter().filter(|g| g.glyph_id == dash_id).count();
            // The break between the last dash and the Arabic word.
            if block.lines.len() != 2 || dashes(&block.lines[0]) != 3 {
                continue;
            }
            seen += 1;
            let rightmost = block.lines[0]
                .glyphs
                .iter()
                .filter(|g| g.w > 0.5 && g.glyph_id != space_id)
                .max_by(|a, b| (a.x + a.w).total_cmp(&(b.x + b.w)))
                .unwrap();
            assert_eq!(
                rightmost.glyph_id, dash_id,
                "at {width} pt the line should end with the dash after the Hebrew"
            );
            // And the first line still starts at the left, as an LTR paragraph does.
            let leftmost = block.lines[1]
                .glyphs
                .iter()
                .map(|g| g.x)
                .fold(f32::MAX, f32::min);
            assert!(
                leftmost < 1.0,
                "the Arabic line starts at the left, at {leftmost}"
            );
        }
        assert!(seen > 0, "some width breaks after the last dash");
    }

    /// A preview cut to two lines starts its second line at its first word.
    #[test]
    fn ellipsized_lines_start_at_a_word() {
        let fonts = crate::fonts::Fonts::load();
        let mut ctx = fonts.context();
        let style = TextStyle::new(Family::Inter, 13.0, 17.0, 400, Color::BLACK);
        let space = shape(&mut ctx, &[Span::plain("a b")], &style, Bounds::default());
        let space_id = space.lines[0].glyphs[1].glyph_id;
        let text = "Also the client moved the call to 4pm, details here: https://example.com/call \
                    and a few more words to be cut";
        let mut led_by_space = 0;
        for width in (180..=300).step_by(4) {
            let block = shape(
                &mut ctx,
                &[Span::plain(text)],
                &style,
                Bounds::width(width as f32).lines(2),
            );
            assert_eq!(block.lines.len(), 2, "at {width}");
            let line = &block.lines[1];
            led_by_space += usize::from(line.glyphs[0].glyph_id == space_id);
            let word = line.glyphs.iter().find(|g| g.glyph_id != space_id).unwrap();
            assert!(
                word.x.abs() < 0.5,
                "line 2's first word at {} at {width}",
                word.x
            );
        }
        // The case the fix is for does occur in this sweep.
        assert!(led_by_space > 0);
    }

    /// Kanji in Japanese text (it has kana) take the Japanese face; Han text
    /// without kana keeps the Chinese one.
    #[test]
    fn japanese_kanji_take_the_japanese_face() {
        let fonts = crate::fonts::Fonts::load();
        let mut ctx = fonts.context();
        let style = TextStyle::new(Family::Inter, 17.0, 22.0, 400, Color::BLACK);
        let mut family_of_first = |text: &str| {
            let block = shape(&mut ctx, &[Span::plain(text)], &style, Bounds::default());
            let id = block.lines[0].glyphs[0].font_id;
            let face = ctx.system.db().face(id).unwrap();
            face.families[0].0.clone()
        };
        assert_eq!(family_of_first("漢字とかな"), "Noto Sans CJK JP");
        assert_eq!(family_of_first("漢字你好"), "Noto Sans CJK SC");
    }

    #[test]
    fn links_are_found() {
        let spans = with_links("see https://example.com/a, ok");
        let linked: Vec<_> = spans
            .iter()
            .filter(|s| s.underline)
            .map(|s| s.text)
            .collect();
        assert_eq!(linked, ["https://example.com/a"]);
    }
}
