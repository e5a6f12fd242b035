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
use ffmpeg::{Dictionary, Packet, Rational, codec, encoder, format, frame};
use ffmpeg_next as ffmpeg;

use super::encode::SHOW_LAST;

/// One frame's alpha plane (rows packed, `width` bytes each) on its way to the
/// alpha encoder.
struct Job {
    plane: Vec<u8>,
    pts: i64,
    key: bool,
}

/// The alpha encoder's thread, fed a plane per colour frame; it answers each with
/// the alpha stream's frame, in order.
pub(super) struct AlphaTrack<'scope> {
    jobs: Option<mpsc::SyncSender<Job>>,
    frames: mpsc::Receiver<Result<Vec<u8>, String>>,
    /// Planes the thread is done with, to be filled again.
    spare: mpsc::Receiver<Vec<u8>>,
    thread: ScopedJoinHandle<'scope, ()>,
    width: usize,
    height: usize,
    /// Planes sent whose frame has not been taken yet.
    pending: usize,
}

impl<'scope> AlphaTrack<'scope> {
    /// Opens the alpha's VP9 encoder (`options` as the colour's) and starts its
    /// thread.
    pub(super) fn start<'env>(
        scope: &'scope Scope<'scope, 'env>,
        (width, height, time_base): (u32, u32, Rational),
        options: Dictionary<'static>,
    ) -> Result<AlphaTrack<'scope>, String> {
        let codec = encoder::find_by_name("libvpx-vp9").ok_or("this FFmpeg has no libvpx-vp9")?;
        let mut enc = codec::context::Context::new_with_codec(codec)
            .encoder()
            .video()
            .map_err(|e| format!("alpha encoder: {e}"))?;
        enc.set_width(width);
        enc.set_height(height);
        enc.set_format(format::Pixel::YUV420P);
        enc.set_time_base(time_base);
        let encoder = enc
            .open_with(options)
            .map_err(|e| format!("cannot open the alpha encoder: {e}"))?;
        // The alpha is the luma of a grey picture: chroma at neutral, set once.
        let mut picture = frame::Video::new(format::Pixel::YUV420P, width, height);
        picture.data_mut(1).fill(128);
        picture.data_mut(2).fill(128);
        // One plane in the thread's hands, one on its way, one being filled.
        let (jobs, incoming) = mpsc::sync_channel::<Job>(1);
        let (done, frames) = mpsc::sync_channel(2);
        let (back, spare) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("mockly-alpha".to_owned())
            .spawn_scoped(scope, move || {
                let mut alpha = Alpha {
                    encoder,
                    picture,
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
            width: width as usize,
            height: height as usize,
            pending: 0,
        })
    }

    /// Sends the alpha plane of `picture` (a `yuva420p` frame) to be encoded.
    pub(super) fn send(&mut self, picture: &frame::Video, key: bool) -> Result<(), String> {
        let (w, h) = (self.width, self.height);
        if picture.planes() < 4 || (picture.width(), picture.height()) != (w as u32, h as u32) {
            return Err("a transparent WebM's frame without its alpha plane".to_owned());
        }
        let mut plane = self.spare.try_recv().unwrap_or_else(|_| vec![0; w * h]);
        let stride = picture.stride(3);
        for (row, from) in plane
            .chunks_exact_mut(w)
            .zip(picture.data(3).chunks(stride))
        {
            row.copy_from_slice(&from[..w]);
        }
        let pts = picture.pts().unwrap_or(0);
        self.jobs
            .as_ref()
            .ok_or("the alpha track is finished")?
            .send(Job { plane, pts, key })
            .map_err(|_| self.failure())?;
        self.pending += 1;
        Ok(())
    }

    /// The alpha stream's frame for the oldest plane sent.
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

    /// Stops the thread once every plane sent has been answered.
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
    /// The grey picture the plane is copied into.
    picture: frame::Video,
    /// The plane of the last frame encoded: the one the decoder shows again.
    last: Option<Vec<u8>>,
    width: usize,
}

impl Alpha {
    /// The alpha stream's frame for `job`: the last one shown again when the plane
    /// has not changed since it and no keyframe is due.
    fn encode(&mut self, job: Job, back: &mpsc::Sender<Vec<u8>>) -> Result<Vec<u8>, String> {
        if !job.key && self.last.as_deref() == Some(&job.plane[..]) {
            let _ = back.send(job.plane);
            return Ok(vec![SHOW_LAST]);
        }
        let w = self.width;
        let stride = self.picture.stride(0);
        for (to, from) in self
            .picture
            .data_mut(0)
            .chunks_mut(stride)
            .zip(job.plane.chunks_exact(w))
        {
            to[..w].copy_from_slice(from);
        }
        self.picture.set_pts(Some(job.pts));
        self.picture.set_kind(if job.key {
            picture::Type::I
        } else {
            picture::Type::None
        });
        self.encoder
            .send_frame(&self.picture)
            .map_err(|e| format!("encoding the alpha: {e}"))?;
        let mut packet = Packet::empty();
        self.encoder
            .receive_packet(&mut packet)
            .map_err(|e| format!("the alpha encoder gave no frame: {e}"))?;
        if let Some(old) = self.last.replace(job.plane) {
            let _ = back.send(old);
        }
        Ok(packet.data().unwrap_or_default().to_vec())
    }
}
