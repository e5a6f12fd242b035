//! The alpha of a transparent WebM, encoded on a thread of its own beside the
//! colour. FFmpeg's libvpx wrapper encodes a `yuva420p` picture as two VP9 streams,
//! colour then alpha, one after the other in the same call; here the alpha plane
//! goes to a second VP9 encoder on this thread while the encoder thread encodes the
//! colour, and its frame rides in the colour packet's side data as the wrapper's
//! does (`BlockAdditional` 1 in WebM). A chat's alpha (bubbles on nothing) stays
//! the same over many frames where the colour changes (typing dots, "Read"): such
//! a frame's alpha is the one-byte frame that shows the last one again.
//!
//! Keyframes are chosen by the encoder thread and forced on both streams, so a
//! player that seeks to a colour keyframe finds one in the alpha too.

use std::sync::mpsc;
use std::thread::{Scope, ScopedJoinHandle};

use ffmpeg::util::picture;
use ffmpeg::{Packet, encoder, format, frame};
use ffmpeg_next as ffmpeg;

use super::encode::SHOW_LAST;

/// One frame's alpha on its way to the alpha encoder: a grey picture whose luma is
/// the alpha plane.
struct Job {
    picture: frame::Video,
    key: bool,
}

/// The alpha encoder's thread, fed a picture per colour frame; it answers each with
/// the alpha stream's frame, in order.
pub(super) struct AlphaTrack<'scope> {
    jobs: Option<mpsc::SyncSender<Job>>,
    frames: mpsc::Receiver<Result<Vec<u8>, String>>,
    /// Grey pictures the thread is done with, to be filled again.
    spare: mpsc::Receiver<frame::Video>,
    thread: ScopedJoinHandle<'scope, ()>,
    width: u32,
    height: u32,
    /// Pictures sent whose frame has not been taken yet.
    pending: usize,
}

impl<'scope> AlphaTrack<'scope> {
    /// Starts the thread of `encoder` (VP9, opened for `yuv420p` at `width` ×
    /// `height`).
    pub(super) fn start<'env>(
        scope: &'scope Scope<'scope, 'env>,
        encoder: encoder::Video,
        (width, height): (u32, u32),
    ) -> Result<AlphaTrack<'scope>, String> {
        // One picture in the thread's hands, one on its way, one being filled,
        // and the last one encoded (what an unchanged alpha is compared with).
        let (jobs, incoming) = mpsc::sync_channel::<Job>(1);
        let (done, frames) = mpsc::sync_channel(2);
        let (back, spare) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("mockly-alpha".to_owned())
            .spawn_scoped(scope, move || {
                let mut alpha = Alpha {
                    encoder,
                    last: None,
                    width: width as usize,
                };
                for job in incoming {
                    let frame = alpha.encode(job, &back);
                    let failed = frame.is_err();
                    if done.send(frame).is_err() || failed {
                        return;
                    }
                }
            })
            .map_err(|e| format!("cannot start the alpha thread: {e}"))?;
        Ok(AlphaTrack {
            jobs: Some(jobs),
            frames,
            spare,
            thread,
            width,
            height,
            pending: 0,
        })
    }

    /// Sends the alpha plane of `picture` (a `yuva420p` frame) to be encoded.
    pub(super) fn send(&mut self, picture: &frame::Video, key: bool) -> Result<(), String> {
        let (w, h) = (self.width, self.height);
        if picture.planes() < 4 || (picture.width(), picture.height()) != (w, h) {
            return Err("a transparent WebM's frame without its alpha plane".to_owned());
        }
        let mut grey = self.spare.try_recv().unwrap_or_else(|_| {
            // Chroma at neutral, set once for the picture's life.
            let mut grey = frame::Video::new(format::Pixel::YUV420P, w, h);
            grey.data_mut(1).fill(128);
            grey.data_mut(2).fill(128);
            grey
        });
        let (from, to) = (picture.stride(3), grey.stride(0));
        let w = w as usize;
        for (row, alpha) in grey
            .data_mut(0)
            .chunks_mut(to)
            .zip(picture.data(3).chunks(from))
        {
            row[..w].copy_from_slice(&alpha[..w]);
        }
        grey.set_pts(picture.pts());
        self.jobs
            .as_ref()
            .ok_or("the alpha track is finished")?
            .send(Job { picture: grey, key })
            .map_err(|_| self.failure())?;
        self.pending += 1;
        Ok(())
    }

    /// The alpha stream's frame for the oldest picture sent.
    pub(super) fn next(&mut self) -> Result<Vec<u8>, String> {
        if self.pending == 0 {
            return Err("a colour frame without its alpha".to_owned());
        }
        self.pending -= 1;
        match self.frames.recv() {
            Ok(frame) => frame,
            Err(_) => Err(self.failure()),
        }
    }

    /// Why the thread stopped answering: its error when it sent one (after any
    /// frames it answered before).
    fn failure(&self) -> String {
        self.frames
            .try_iter()
            .find_map(Result::err)
            .unwrap_or_else(|| "the alpha encoder stopped".to_owned())
    }

    /// Stops the thread once every picture sent has been answered.
    pub(super) fn finish(mut self) -> Result<(), String> {
        if self.pending != 0 {
            return Err(format!("{} alpha frames left without colour", self.pending));
        }
        drop(self.jobs.take());
        self.thread
            .join()
            .map_err(|_| "the alpha thread panicked".to_owned())
    }
}

/// The alpha encoder, on its thread.
struct Alpha {
    encoder: encoder::Video,
    /// The last picture encoded: the one the decoder shows again.
    last: Option<frame::Video>,
    width: usize,
}

impl Alpha {
    /// The alpha stream's frame for `job`: the last one shown again when the alpha
    /// has not changed since it and no keyframe is due.
    fn encode(
        &mut self,
        mut job: Job,
        back: &mpsc::Sender<frame::Video>,
    ) -> Result<Vec<u8>, String> {
        let w = self.width;
        let unchanged = |last: &frame::Video| luma_rows(last, w).eq(luma_rows(&job.picture, w));
        if !job.key && self.last.as_ref().is_some_and(unchanged) {
            let _ = back.send(job.picture);
            return Ok(vec![SHOW_LAST]);
        }
        job.picture.set_kind(if job.key {
            picture::Type::I
        } else {
            picture::Type::None
        });
        self.encoder
            .send_frame(&job.picture)
            .map_err(|e| format!("encoding the alpha: {e}"))?;
        let mut packet = Packet::empty();
        self.encoder
            .receive_packet(&mut packet)
            .map_err(|e| format!("the alpha encoder gave no frame: {e}"))?;
        if let Some(old) = self.last.replace(job.picture) {
            let _ = back.send(old);
        }
        Ok(packet.data().unwrap_or_default().to_vec())
    }
}

/// The rows of a picture's luma, `width` bytes each (the bytes past a row's width
/// are padding, not the picture).
fn luma_rows(picture: &frame::Video, width: usize) -> impl Iterator<Item = &[u8]> {
    picture
        .data(0)
        .chunks(picture.stride(0))
        .map(move |row| &row[..width])
}
