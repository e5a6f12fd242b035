//! Pixel buffers kept from one still to the next.
//!
//! A still's canvas is megabytes (6 MB for a phone screenshot at 2x). In the
//! server every render runs on whichever blocking thread is free, and that
//! thread's allocator arena seldom holds a free block of the size: the buffer came
//! fresh from the kernel, and its ~1,500 pages faulted in and were zeroed while the
//! background was written — nine in ten of the server's page faults, half a
//! millisecond of a still. A still painted into a buffer kept here finds it mapped.

use std::sync::Mutex;

/// Buffers kept at most: as many as stills usually render at once.
const KEEP: usize = 4;
/// Largest buffer kept: a desktop window at 2x (2560×1600) fits; the rare larger
/// canvas goes back to the allocator, so at most `KEEP` × this stays held.
const MAX_BYTES: usize = 16 << 20;

#[derive(Debug, Default)]
pub(crate) struct Canvases {
    kept: Mutex<Vec<Vec<u8>>>,
}

impl Canvases {
    /// The smallest kept buffer that can hold `bytes`, if any.
    pub(crate) fn take(&self, bytes: usize) -> Option<Vec<u8>> {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        let best = kept
            .iter()
            .enumerate()
            .filter(|(_, b)| b.capacity() >= bytes)
            .min_by_key(|(_, b)| b.capacity())?
            .0;
        Some(kept.swap_remove(best))
    }

    /// Keeps a still's buffer for the next one (the oldest kept one makes room).
    pub(crate) fn give(&self, buf: Vec<u8>) {
        if buf.capacity() > MAX_BYTES || buf.capacity() == 0 {
            return;
        }
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if kept.len() == KEEP {
            kept.remove(0);
        }
        kept.push(buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_smallest_buffer_that_fits_is_taken_and_few_are_kept() {
        let c = Canvases::default();
        assert!(c.take(10).is_none());
        c.give(Vec::with_capacity(100));
        c.give(Vec::with_capacity(50));
        c.give(Vec::with_capacity(MAX_BYTES + 1)); // too large to keep
        assert!(c.take(120).is_none());
        assert_eq!(
            c.take(40).map(|b| b.capacity() >= 50 && b.capacity() < 100),
            Some(true)
        );
        assert!(c.take(40).is_some_and(|b| b.capacity() >= 100));
        assert!(c.take(1).is_none());
        for n in 1..=KEEP + 2 {
            c.give(Vec::with_capacity(n * 1000));
        }
        // The two oldest made room.
        assert!(c.take(2_500).is_some_and(|b| b.capacity() >= 3_000));
        assert_eq!(c.kept.lock().unwrap().len(), KEEP - 1);
    }
}
