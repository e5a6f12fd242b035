//! Empty files made ahead of time for stills to be written into.
//!
//! A still is stored as a new file, and on ext4 a new file's inode is what costs:
//! in a directory whose inode group has seen many files created and deleted (an
//! export directory kept under a storage budget, or an old `/tmp`) the allocator
//! searches past recently deleted inodes, and creating the file took ~0.55 ms of
//! the ~0.6 ms spent storing a 133 KB still, against ~0.05 ms to write its bytes
//! (measured on the 2-core build machine). So a few empty files are made off the
//! request's path, and a still is written into one and renamed to its name.
//!
//! They are staging files (`.blank-….partial`): never served, and removed with
//! the other half-written files at start-up.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Empty files kept ready: enough for a burst of stills on every render slot
/// of a small machine; each costs an inode and no data.
pub(super) const READY: usize = 4;

/// The empty files ready in one directory.
#[derive(Debug)]
pub(super) struct Blanks {
    dir: PathBuf,
    ready: Mutex<Vec<PathBuf>>,
    /// Whether a blocking thread is making more now.
    making: AtomicBool,
    /// Numbers the files this process makes (with its id: unique in the directory).
    made: AtomicU64,
}

impl Blanks {
    pub(super) fn new(dir: &Path) -> Arc<Blanks> {
        Arc::new(Blanks {
            dir: dir.to_owned(),
            ready: Mutex::default(),
            making: AtomicBool::new(false),
            made: AtomicU64::new(0),
        })
    }

    /// Writes `bytes` to `path` (a new file): into a blank made beforehand when
    /// one is ready, renamed into place, else through a staging file of its own.
    /// A blocking call.
    pub(super) fn write(&self, staging: &Path, path: &Path, bytes: &[u8]) -> io::Result<()> {
        let blank = self.ready.lock().unwrap_or_else(|p| p.into_inner()).pop();
        if let Some(blank) = blank {
            match OpenOptions::new().write(true).truncate(true).open(&blank) {
                Ok(mut file) => {
                    let written = file.write_all(bytes);
                    drop(file);
                    return match written.and_then(|()| std::fs::rename(&blank, path)) {
                        Ok(()) => Ok(()),
                        Err(e) => {
                            let _ = std::fs::remove_file(&blank);
                            Err(e)
                        }
                    };
                }
                // A blank removed by hand is no reason to fail; one that cannot be
                // opened now (the directory itself unreachable) is kept for later,
                // not left behind untracked.
                Err(e) if e.kind() != io::ErrorKind::NotFound => self
                    .ready
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(blank),
                Err(_) => {}
            }
        }
        std::fs::write(staging, bytes)?;
        std::fs::rename(staging, path)
    }

    /// Makes blanks until [`READY`] are ready, on a blocking thread (one at a
    /// time). Called once a still is written, so that the making is not on that
    /// still's path.
    pub(super) fn refill(self: &Arc<Self>) {
        if self.ready.lock().unwrap_or_else(|p| p.into_inner()).len() >= READY
            || self.making.swap(true, Ordering::AcqRel)
        {
            return;
        }
        let blanks = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            while blanks.ready.lock().unwrap_or_else(|p| p.into_inner()).len() < READY {
                match blanks.make() {
                    Ok(path) => blanks
                        .ready
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(path),
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot make an empty file ahead of a still");
                        break;
                    }
                }
            }
            blanks.making.store(false, Ordering::Release);
        });
    }

    fn make(&self) -> io::Result<PathBuf> {
        let n = self.made.fetch_add(1, Ordering::Relaxed);
        let path = self
            .dir
            .join(format!(".blank-{}-{n}.partial", std::process::id()));
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        Ok(path)
    }
}
