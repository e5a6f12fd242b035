//! Animated GIF, written by the `gif` crate rather than FFmpeg (whose GIF encoder
//! can only be handed our palette through raw frame pointers): one global palette,
//! each frame cropped to the rectangle that changed since the one before, and a
//! frame that changes nothing folded into the previous frame's delay — a chat
//! video is mostly holds, so a GIF of it is mostly small rectangles.

use std::borrow::Cow;
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::sync::mpsc;

use gif::{DisposalMethod, Encoder, Frame, Repeat};

use super::{Done, Picture};
use crate::video::palette::CLEAR;

/// Frame `n`'s time in hundredths of a second, GIF's unit (rounded; strictly
/// increasing for every frame rate we allow, at most 60).
pub(super) fn ticks(n: u64, fps: u32) -> u64 {
    (n * 100 + u64::from(fps) / 2) / u64::from(fps)
}

/// A frame waiting for the next one to know how long it lasts.
struct Pending {
    frame: Frame<'static>,
    start: u64,
    /// Every pixel as it stands once the frame is drawn.
    indices: Vec<u8>,
}

/// The shortest delay browsers honour: 0 or 1 hundredth is played as 10. At 60 fps
/// a frame coming sooner than this replaces the one waiting (so a 60 fps GIF
/// plays its moves at up to 50 fps, in time).
const MIN_DELAY: u64 = 2;

/// Writes the GIF: `palette` is RGB triples, `alpha` whether index [`CLEAR`] is
/// transparent. Stops without finishing the file when fewer than `total` frames
/// arrive (a stopped render).
pub(super) fn write(
    path: &Path,
    (palette, alpha): (Vec<u8>, bool),
    (width, height, fps, total): (u32, u32, u32, u64),
    frames: mpsc::Receiver<Picture>,
    done: mpsc::Sender<Done>,
) -> Result<(), String> {
    let (w16, h16) = match (u16::try_from(width), u16::try_from(height)) {
        (Ok(w), Ok(h)) => (w, h),
        _ => {
            return Err(format!(
                "a GIF is at most 65535 px wide and high, not {width}×{height}"
            ));
        }
    };
    let w = width as usize;
    let file = File::create(path).map_err(|e| format!("cannot create the file: {e}"))?;
    let mut gif =
        Encoder::new(BufWriter::new(file), w16, h16, &palette).map_err(|e| format!("GIF: {e}"))?;
    gif.set_repeat(Repeat::Infinite)
        .map_err(|e| format!("GIF: {e}"))?;
    // What `after` adds over `before` (what the GIF shows): whole with alpha
    // (transparency cannot be drawn over what a frame keeps, so every frame is
    // whole on a cleared canvas) or at the start, else the rectangle that changed;
    // `None` when nothing did.
    let frame_for = |before: Option<&[u8]>, after: &[u8]| -> Option<Frame<'static>> {
        match before {
            Some(b) if b == after => None,
            _ if alpha => Some(whole(
                after,
                (w16, h16),
                DisposalMethod::Background,
                Some(CLEAR),
            )),
            None => Some(whole(after, (w16, h16), DisposalMethod::Keep, None)),
            Some(b) => changed(b, after, w).map(|r| crop(after, w, r)),
        }
    };
    let mut write = |p: &mut Pending, until: u64| -> Result<(), String> {
        p.frame.delay = u16::try_from(until.max(p.start + MIN_DELAY) - p.start).unwrap_or(u16::MAX);
        gif.write_frame(&p.frame).map_err(|e| format!("GIF: {e}"))
    };
    // The GIF as written so far, and the frame waiting to learn its delay.
    let mut shown: Option<Vec<u8>> = None;
    let mut pending: Option<Pending> = None;
    let mut n: u64 = 0;
    for incoming in frames {
        let start = ticks(n, fps);
        match incoming {
            Picture::Indexed(indices) => {
                let soon = pending
                    .as_ref()
                    .is_some_and(|p| start - p.start < MIN_DELAY);
                if soon {
                    // Too soon after the waiting frame: this picture replaces it
                    // (drawn over what was shown before it), keeping its start.
                    if let Some(p) = &mut pending {
                        p.frame = frame_for(shown.as_deref(), &indices)
                            // Back to what was shown: a pixel of it, to keep time.
                            .unwrap_or_else(|| crop(&indices, w, (0, 0, 1, 1)));
                        p.indices = indices;
                    }
                } else {
                    let top = pending.as_ref().map(|p| p.indices.as_slice());
                    if let Some(frame) = frame_for(top.or(shown.as_deref()), &indices) {
                        if let Some(mut p) = pending.take() {
                            write(&mut p, start)?;
                            shown = Some(p.indices);
                        }
                        pending = Some(Pending {
                            frame,
                            start,
                            indices,
                        });
                    }
                }
            }
            Picture::Repeat if pending.is_some() || shown.is_some() => {}
            Picture::Repeat => return Err("first frame cannot repeat".to_owned()),
            Picture::Video(_) => return Err("a GIF is made of indexed frames".to_owned()),
        }
        n += 1;
        let _ = done.send(n);
    }
    if n < total {
        return Err("stopped before the last frame".to_owned());
    }
    if let Some(mut p) = pending.take() {
        write(&mut p, ticks(total, fps))?;
    }
    gif.into_inner()
        .and_then(|mut w| std::io::Write::flush(&mut w).map_err(Into::into))
        .map_err(|e| format!("cannot finish the file: {e}"))
}

fn whole(
    indices: &[u8],
    (width, height): (u16, u16),
    dispose: DisposalMethod,
    transparent: Option<u8>,
) -> Frame<'static> {
    Frame {
        width,
        height,
        dispose,
        transparent,
        buffer: Cow::Owned(indices.to_vec()),
        ..Frame::default()
    }
}

/// The smallest rectangle (left, top, right, bottom; exclusive ends) holding every
/// pixel that differs, or `None` when none does.
fn changed(before: &[u8], after: &[u8], width: usize) -> Option<(usize, usize, usize, usize)> {
    let rows = |r: usize| after[r * width..(r + 1) * width] != before[r * width..(r + 1) * width];
    let height = after.len() / width;
    let top = (0..height).find(|&r| rows(r))?;
    let bottom = (top..height).rev().find(|&r| rows(r))? + 1;
    let (mut left, mut right) = (width, 0);
    for r in top..bottom {
        let (a, b) = (
            &after[r * width..(r + 1) * width],
            &before[r * width..(r + 1) * width],
        );
        if let Some(l) = (0..left).find(|&x| a[x] != b[x]) {
            left = l;
        }
        if let Some(x) = (right..width).rev().find(|&x| a[x] != b[x]) {
            right = x + 1;
        }
    }
    Some((left, top, right.max(left + 1), bottom))
}

/// The rectangle of `indices`, drawn over what the frame before left.
fn crop(
    indices: &[u8],
    width: usize,
    (left, top, right, bottom): (usize, usize, usize, usize),
) -> Frame<'static> {
    let mut buffer = Vec::with_capacity((right - left) * (bottom - top));
    for r in top..bottom {
        buffer.extend_from_slice(&indices[r * width + left..r * width + right]);
    }
    Frame {
        left: left as u16,
        top: top as u16,
        width: (right - left) as u16,
        height: (bottom - top) as u16,
        dispose: DisposalMethod::Keep,
        buffer: Cow::Owned(buffer),
        ..Frame::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_grow_at_every_frame_rate() {
        for fps in [24, 25, 30, 60] {
            for n in 0..1000 {
                assert!(ticks(n + 1, fps) > ticks(n, fps), "{fps} fps, frame {n}");
            }
            assert_eq!(ticks(u64::from(fps) * 10, fps), 1000);
        }
    }

    #[test]
    fn the_changed_rectangle_is_tight() {
        let before = vec![0u8; 8 * 6];
        let mut after = before.clone();
        assert_eq!(changed(&before, &after, 8), None);
        after[2 * 8 + 3] = 1;
        after[4 * 8 + 6] = 1;
        assert_eq!(changed(&before, &after, 8), Some((3, 2, 7, 5)));
        let f = crop(&after, 8, (3, 2, 7, 5));
        assert_eq!((f.left, f.top, f.width, f.height), (3, 2, 4, 3));
        assert_eq!(f.buffer[0], 1);
        assert_eq!(f.buffer[2 * 4 + 3], 1);
    }
}
