//! Stopping a render from another thread.
//!
//! The engine reads no clock, so it keeps no deadline of its own: the caller (the
//! server's timer, a CLI's Ctrl-C) raises the flag, and every stage that can take
//! long (fetching and decoding pictures, laying out rows and video moments, painting,
//! encoding) looks at it between units of work and stops with [`Error::Cancelled`].
//!
//! [`Error::Cancelled`]: crate::Error::Cancelled

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A flag shared between a render and whoever may stop it. Clones share the flag.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A flag that is not raised (yet).
    pub fn new() -> Cancel {
        Cancel::default()
    }

    /// Asks the render to stop as soon as it can.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// `Err(Error::Cancelled)` once the flag is raised.
    pub(crate) fn check(&self) -> Result<(), crate::Error> {
        if self.is_cancelled() {
            Err(crate::Error::Cancelled)
        } else {
            Ok(())
        }
    }
}
