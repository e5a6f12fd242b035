//! The owner's message being typed into the composer: which drafts the frames
//! show, and how much of each is laid out.
//!
//! Only the drafts that frames show are laid out (a 10,000-letter message typed in
//! two seconds shows 60 of them at 30 fps, not 10,000), at most
//! [`MAX_DRAFTS_PER_MESSAGE`] per message, and each only from a little before its
//! end: the composer shows its last five lines.

use unicode_segmentation::UnicodeSegmentation;

/// Drafts laid out per typed message at most: at 60 fps over the longest typing
/// time the text then grows a few letters every few frames, as fast typing does.
pub(crate) const MAX_DRAFTS_PER_MESSAGE: usize = 150;

/// Characters of a draft laid out before its end: many more than five lines of
/// the composer hold, so that what shows wraps as the whole text would.
pub(crate) const DRAFT_TAIL_CHARS: usize = 600;

/// Letters typed by time `t` when `letters` are typed from `start` to `end`: the
/// first appears at `start`, the last just before `end`.
pub(crate) fn typed_at(t: f64, letters: usize, (start, end): (f64, f64)) -> usize {
    let share = ((t - start) / (end - start).max(1.0)).clamp(0.0, 1.0);
    ((share * letters as f64).ceil() as usize).clamp(1, letters.max(1))
}

/// The distinct numbers of letters the frames between `start` and `end` show, in
/// order, thinned out evenly to at most [`MAX_DRAFTS_PER_MESSAGE`].
pub(crate) fn shown_counts(letters: usize, (start, end): (f64, f64), fps: u32) -> Vec<usize> {
    if letters == 0 {
        return Vec::new();
    }
    let frame = 1000.0 / f64::from(fps);
    let mut n = (start / frame).ceil() as u64;
    let mut counts: Vec<usize> = Vec::new();
    loop {
        let t = n as f64 * frame;
        if t >= end {
            break;
        }
        let k = typed_at(t, letters, (start, end));
        if counts.last() != Some(&k) {
            counts.push(k);
        }
        n += 1;
    }
    if counts.is_empty() {
        counts.push(typed_at(start, letters, (start, end)));
    }
    if counts.len() > MAX_DRAFTS_PER_MESSAGE {
        let step = counts.len() as f64 / MAX_DRAFTS_PER_MESSAGE as f64;
        let last = *counts.last().unwrap_or(&letters);
        let mut thinned: Vec<usize> = (0..MAX_DRAFTS_PER_MESSAGE)
            .map(|i| counts[(i as f64 * step) as usize])
            .collect();
        thinned.dedup();
        if thinned.last() != Some(&last) {
            thinned.push(last);
        }
        counts = thinned;
    }
    counts
}

/// The first `letters` graphemes of `text`, from at most about
/// [`DRAFT_TAIL_CHARS`] before their end (cut after a space, so the visible lines
/// wrap as they would in the whole text).
pub(crate) fn draft(text: &str, letters: usize) -> &str {
    let end = text
        .grapheme_indices(true)
        .nth(letters)
        .map_or(text.len(), |(i, _)| i);
    let typed = &text[..end];
    let chars = typed.chars().count();
    if chars <= DRAFT_TAIL_CHARS {
        return typed;
    }
    let from = typed
        .char_indices()
        .nth(chars - DRAFT_TAIL_CHARS)
        .map_or(0, |(i, _)| i);
    let tail = &typed[from..];
    match tail.find(char::is_whitespace) {
        Some(space) if space < tail.len() / 2 => tail[space..].trim_start(),
        _ => tail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_show_one_draft_each_at_most() {
        // 6 letters over 1 s at 30 fps: each letter is seen.
        assert_eq!(shown_counts(6, (0.0, 1000.0), 30), [1, 2, 3, 4, 5, 6]);
        // 10,000 letters over 2 s at 30 fps: 60 frames, 60 drafts.
        assert_eq!(shown_counts(10_000, (500.0, 2500.0), 30).len(), 60);
        // 10 s at 60 fps: thinned to the cap, still ending with what the last frame
        // shows (the message is sent on the frame after).
        let many = shown_counts(10_000, (0.0, 10_000.0), 60);
        assert!(many.len() <= MAX_DRAFTS_PER_MESSAGE + 1, "{}", many.len());
        assert!(many.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(many.last(), Some(&9984));
    }

    #[test]
    fn drafts_keep_their_end() {
        assert_eq!(draft("hello world", 5), "hello");
        assert_eq!(draft("héllo", 2), "hé");
        let long = "word ".repeat(1000);
        let d = draft(&long, 4000);
        assert!(d.chars().count() <= DRAFT_TAIL_CHARS);
        assert!(d.starts_with("word"), "cut at a space: {d:?}");
        assert!(long[..4000].ends_with(d));
    }
}
