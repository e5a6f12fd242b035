//! A timeline encoded to a video file through the system's FFmpeg libraries: MP4
//! (H.264, yuv420p), WebM (VP9, with alpha for transparent backgrounds), QuickTime
//! (ProRes 4444 with alpha), animated GIF and animated WebP.
//!
//! Frames are painted and converted (SIMD colour conversion, or a palette) on the
//! calling thread and handed, a few at a time, to an encoder thread that only
//! encodes them: the painting of one frame overlaps the encoding of the previous,
//! and memory stays flat whatever the length. Stretches where nothing moves are
//! neither painted nor converted again, and each format spends as little as it can
//! on them (see `encode::Repeats`).

mod alpha;
mod convert;
mod encode;
mod gif;
mod music;
mod palette;
mod side_data;
mod sound;

use std::path::Path;
use std::sync::mpsc;

use ffmpeg::frame;
use ffmpeg_next as ffmpeg;

use self::convert::{Converter, Kind};
use crate::payload::VideoFormat;
use crate::raster::damage;
use crate::scene::Scene;
use crate::{Cancel, Engine, Error, Payload, Timeline, Warning};

/// The file a video is written as: a format, and whether it keeps alpha.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Container {
    pub format: VideoFormat,
    /// Transparent where nothing is painted (a transparent background), in the
    /// formats that can be.
    pub alpha: bool,
}

impl Container {
    /// H.264 in MP4.
    pub const MP4: Container = Container {
        format: VideoFormat::Mp4,
        alpha: false,
    };
    /// VP9 with alpha in WebM.
    pub const WEBM_ALPHA: Container = Container {
        format: VideoFormat::Webm,
        alpha: true,
    };

    /// The container a payload asks for: `props.video.format`, else MP4, or WebM
    /// with alpha for a transparent background.
    pub fn of(payload: &Payload) -> Container {
        let props = payload.props();
        let transparent = props.transparent_background;
        let format = props.video.as_ref().and_then(|v| v.format);
        Container::new(
            format.unwrap_or(if transparent {
                VideoFormat::Webm
            } else {
                VideoFormat::Mp4
            }),
            transparent,
        )
    }

    /// A format for a payload with or without a transparent background. MP4 has
    /// no alpha; ProRes 4444 always carries it (opaque when the background is).
    pub fn new(format: VideoFormat, transparent: bool) -> Container {
        let alpha = match format {
            VideoFormat::Mp4 => false,
            VideoFormat::Mov => true,
            _ => transparent,
        };
        Container { format, alpha }
    }

    /// The format a file name's extension asks for (`.mp4`, `.webm`, `.mov`,
    /// `.gif`, `.webp`; any case).
    pub fn format_of_extension(ext: &str) -> Option<VideoFormat> {
        Some(match ext.to_ascii_lowercase().as_str() {
            "mp4" => VideoFormat::Mp4,
            "webm" => VideoFormat::Webm,
            "mov" => VideoFormat::Mov,
            "gif" => VideoFormat::Gif,
            "webp" => VideoFormat::Webp,
            _ => return None,
        })
    }

    /// File extension and the `format` the API reports.
    pub fn extension(self) -> &'static str {
        match self.format {
            VideoFormat::Mp4 => "mp4",
            VideoFormat::Webm => "webm",
            VideoFormat::Mov => "mov",
            VideoFormat::Gif => "gif",
            VideoFormat::Webp => "webp",
        }
    }

    /// The file's media type.
    pub fn media_type(self) -> &'static str {
        match self.format {
            VideoFormat::Mp4 => "video/mp4",
            VideoFormat::Webm => "video/webm",
            VideoFormat::Mov => "video/quicktime",
            VideoFormat::Gif => "image/gif",
            VideoFormat::Webp => "image/webp",
        }
    }
}

/// How far an encode has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub frames_done: u64,
    pub frames_total: u64,
}

impl Progress {
    /// Share done, 0–1.
    pub fn share(&self) -> f64 {
        self.frames_done as f64 / self.frames_total.max(1) as f64
    }
}

/// What was written.
#[derive(Debug, Clone)]
pub struct VideoInfo {
    pub container: Container,
    pub width: u32,
    pub height: u32,
    pub frames: u64,
    pub fps: u32,
    pub duration_ms: f64,
    pub bytes: u64,
    pub warnings: Vec<Warning>,
    /// When each message appears, who types when: for the timing file and captions.
    pub timing: crate::timeline::Timing,
}

/// A frame of [`RawFrames`]. Benchmarks only; not part of the API.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub enum Frame {
    /// Premultiplied RGBA pixels of the whole frame.
    Pixels(Vec<u8>),
    /// The same picture as the previous frame.
    Repeat,
}

/// Frames in flight between painter and encoder: enough to keep both busy.
const IN_FLIGHT: usize = 2;

/// A converted frame on its way to the encoder.
enum Picture {
    Video(frame::Video),
    /// Palette indices, row after row (GIF).
    Indexed(Vec<u8>),
    /// The same picture as the previous frame.
    Repeat,
}

/// What the encoder sends back: frames encoded so far.
type Done = u64;

/// What writes the file on the encoder's thread: FFmpeg (with the sound's mixer
/// when there is sound), or our GIF writer.
enum Writer {
    Ffmpeg(
        Container,
        ffmpeg::format::Pixel,
        Option<sound::Mixer>,
        encode::WebmAlpha,
    ),
    /// RGB palette, and whether its last entry is transparent.
    Gif(Vec<u8>, bool),
}

impl Writer {
    fn of(converter: &Converter, container: Container, mixer: Option<sound::Mixer>) -> Writer {
        match converter.palette() {
            Some((rgb, alpha)) => Writer::Gif(rgb, alpha),
            None => Writer::Ffmpeg(
                container,
                converter.pixel(),
                mixer,
                encode::WebmAlpha::Beside,
            ),
        }
    }

    fn write(
        self,
        path: &Path,
        dims: (u32, u32, u32, u64),
        (frames, spare): (mpsc::Receiver<Picture>, mpsc::Sender<frame::Video>),
        done: mpsc::Sender<Done>,
    ) -> Result<(), String> {
        match self {
            Writer::Ffmpeg(container, pixel, mixer, webm_alpha) => encode::encode(
                path,
                (container, pixel, mixer, webm_alpha),
                dims,
                (frames, spare),
                done,
            ),
            Writer::Gif(palette, alpha) => gif::write(path, (palette, alpha), dims, frames, done),
        }
    }
}

impl Engine {
    /// Renders the payload as a video into `out`, in the format it asks for (see
    /// [`Container::of`]). `progress` is called as frames are encoded; raising
    /// `cancel` stops the render at its next step (laying out, loading pictures,
    /// the next frame) with [`Error::Cancelled`].
    pub fn render_video(
        &self,
        payload: &Payload,
        out: &Path,
        progress: &mut dyn FnMut(Progress),
        cancel: &Cancel,
    ) -> Result<VideoInfo, Error> {
        self.render_video_as(payload, Container::of(payload), out, progress, cancel)
    }

    /// Renders the payload as a video in the given container, whatever the payload
    /// asks for (the CLI follows the output file's extension).
    pub fn render_video_as(
        &self,
        payload: &Payload,
        container: Container,
        out: &Path,
        progress: &mut dyn FnMut(Progress),
        cancel: &Cancel,
    ) -> Result<VideoInfo, Error> {
        let (timeline, mut warnings) = self.timeline_with(payload, cancel)?;
        let (width, height) = timeline.pixel_size();
        let total = timeline.frame_count;
        let fps = timeline.fps;
        let converter = self.converter(&timeline, container, cancel)?;
        let mixer = self.mixer(
            payload,
            (&timeline, container),
            out,
            (&mut warnings, cancel),
        )?;
        let mut converter = converter;
        let writer = Writer::of(&converter, container, mixer);

        let (frames_tx, frames_rx) = mpsc::sync_channel::<Picture>(IN_FLIGHT);
        let spare = converter.recycle();
        let (done_tx, done_rx) = mpsc::channel::<Done>();
        let path = out.to_owned();
        let dims = (width, height, fps, total);
        let encoder = std::thread::Builder::new()
            .name("mockly-encoder".to_owned())
            .spawn(move || writer.write(&path, dims, (frames_rx, spare), done_tx))
            .map_err(|e| Error::Video(format!("cannot start the encoder thread: {e}")))?;

        let painted = self.paint_frames(
            &timeline,
            converter,
            (&frames_tx, &done_rx),
            progress,
            cancel,
        );
        drop(frames_tx);
        let encoded = encoder
            .join()
            .map_err(|_| Error::Video("the encoder thread panicked".to_owned()))?;
        painted?;
        encoded.map_err(Error::Video)?;
        for done in done_rx.try_iter() {
            progress(Progress {
                frames_done: done,
                frames_total: total,
            });
        }
        let bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
        Ok(VideoInfo {
            container,
            width,
            height,
            frames: total,
            fps,
            duration_ms: total as f64 * 1000.0 / f64::from(fps),
            bytes,
            warnings,
            timing: timeline.timing().clone(),
        })
    }

    /// The sound track's mixer, when the payload asks for sound or music and the
    /// format has a sound track (GIF and WebP do not: a warning says so). The
    /// music is fetched and decoded here, through a scratch file beside `out`.
    fn mixer(
        &self,
        payload: &Payload,
        (timeline, container): (&Timeline, Container),
        out: &Path,
        (warnings, cancel): (&mut Vec<Warning>, &Cancel),
    ) -> Result<Option<sound::Mixer>, Error> {
        let props = payload.props();
        let video = props.video.as_ref();
        let cues = video.and_then(|v| v.sound).unwrap_or(false);
        let bed = video.and_then(|v| v.music.as_ref());
        if !cues && bed.is_none() {
            return Ok(None);
        }
        if matches!(container.format, VideoFormat::Gif | VideoFormat::Webp) {
            // Said already when the payload asked for the format; not when the
            // CLI's file name did.
            let path = if cues {
                "props.video.sound"
            } else {
                "props.video.music"
            };
            if !warnings.iter().any(|w| w.path == path) {
                warnings.push(Warning {
                    path: path.to_owned(),
                    message: "ignored: GIF and WebP have no sound track".to_owned(),
                });
            }
            return Ok(None);
        }
        let music = match bed {
            Some(bed) => {
                let mut scratch = out.as_os_str().to_owned();
                scratch.push(".music.partial");
                let scratch = std::path::PathBuf::from(scratch);
                Some(music::load(&*self.images, bed, &scratch, cancel)?)
            }
            None => None,
        };
        Ok(Some(sound::Mixer::new(
            props.platform,
            timeline.timing(),
            cues,
            music,
        )))
    }

    /// The converter a container's codec needs. A GIF's palette is learnt from
    /// three frames (the start, the middle and the end).
    fn converter(
        &self,
        timeline: &Timeline,
        container: Container,
        cancel: &Cancel,
    ) -> Result<Converter, Error> {
        let (width, height) = timeline.pixel_size();
        let kind = Kind::of(container, || {
            let last = timeline.frame_count.saturating_sub(1);
            [0, last / 2, last]
                .into_iter()
                .map(|n| {
                    let scene = timeline.scene_at(timeline.frame_time(n));
                    Ok(self.paint_with(&scene, cancel)?.take())
                })
                .collect()
        })?;
        Ok(Converter::new(width, height, kind))
    }

    /// Paints every frame in order, converts it and sends it to the encoder,
    /// reporting progress as encoded frames come back.
    fn paint_frames(
        &self,
        timeline: &Timeline,
        mut converter: Converter,
        (frames, done): (&mpsc::SyncSender<Picture>, &mpsc::Receiver<Done>),
        progress: &mut dyn FnMut(Progress),
        cancel: &Cancel,
    ) -> Result<(), Error> {
        let total = timeline.frame_count;
        let mut last_key = None;
        let size = timeline.pixel_size();
        // One buffer painted into again and again: a frame leaves as YUV. It keeps
        // the last frame painted, so the next repaints only the rows that differ.
        let mut canvas: Option<Vec<u8>> = None;
        let mut painted: Option<Scene> = None;
        for n in 0..total {
            cancel.check()?;
            let t = timeline.frame_time(n);
            let key = timeline.still_key(t);
            let picture = if key.is_some() && key == last_key {
                Picture::Repeat
            } else {
                let scene = timeline.scene_at(t);
                let damage = match (&painted, &canvas) {
                    (Some(before), Some(_)) => damage::rows(before, &scene),
                    _ => None,
                };
                match (damage, canvas.take()) {
                    (Some(rows), buf) if rows.is_empty() => {
                        canvas = buf;
                        Picture::Repeat
                    }
                    (damage, buf) => {
                        let pixmap = match (&damage, buf) {
                            (Some(rows), Some(buf)) => self.repaint(&scene, buf, rows, cancel)?,
                            (_, buf) => self.paint_reusing(&scene, buf, cancel)?,
                        };
                        if (pixmap.width(), pixmap.height()) != size {
                            return Err(Error::Video(format!(
                                "frame {n} is {}×{}, expected {}×{}",
                                pixmap.width(),
                                pixmap.height(),
                                size.0,
                                size.1
                            )));
                        }
                        let converted = converter.frame(pixmap.data(), damage.as_deref());
                        canvas = Some(pixmap.take());
                        painted = Some(scene);
                        converted.map_err(Error::Video)?
                    }
                }
            };
            last_key = key;
            if frames.send(picture).is_err() {
                // The encoder stopped; its error is reported by the caller.
                return Ok(());
            }
            for frames_done in done.try_iter() {
                progress(Progress {
                    frames_done,
                    frames_total: total,
                });
            }
        }
        Ok(())
    }
}

/// Every frame of a video, painted and kept in memory (repeats as such): for
/// measuring the encoder alone. Benchmarks only; not part of the API.
#[doc(hidden)]
#[derive(Debug)]
pub struct RawFrames {
    pub width: u32,
    pub height: u32,
    pub fps: u32,
    pub frames: Vec<Frame>,
}

impl Engine {
    /// Paints every frame of the payload's video into memory, without encoding.
    /// Benchmarks only; not part of the API.
    #[doc(hidden)]
    pub fn capture_frames(&self, payload: &Payload) -> Result<RawFrames, Error> {
        let (timeline, _) = self.timeline(payload)?;
        let (width, height) = timeline.pixel_size();
        let mut frames = Vec::with_capacity(timeline.frame_count as usize);
        let mut last_key = None;
        for n in 0..timeline.frame_count {
            let t = timeline.frame_time(n);
            let key = timeline.still_key(t);
            frames.push(if key.is_some() && key == last_key {
                Frame::Repeat
            } else {
                Frame::Pixels(self.paint(&timeline.scene_at(t))?.take())
            });
            last_key = key;
        }
        Ok(RawFrames {
            width,
            height,
            fps: timeline.fps,
            frames,
        })
    }
}

/// Encodes frames painted beforehand into `out`: the encoder's own speed (frames
/// converted on this thread while the encoder's thread encodes, as in a render).
/// Benchmarks only; not part of the API.
#[doc(hidden)]
pub fn encode_frames(raw: &RawFrames, container: Container, out: &Path) -> Result<(), Error> {
    encode_frames_by(raw, container, out, encode::WebmAlpha::Beside)
}

/// [`encode_frames`] as a transparent WebM whose alpha FFmpeg's libvpx wrapper
/// encodes (after the colour, every frame): the baseline for the engine's own.
/// Benchmarks only; not part of the API.
#[doc(hidden)]
pub fn encode_frames_alpha_in_ffmpegs_wrapper(raw: &RawFrames, out: &Path) -> Result<(), Error> {
    encode_frames_by(raw, Container::WEBM_ALPHA, out, encode::WebmAlpha::Wrapper)
}

fn encode_frames_by(
    raw: &RawFrames,
    container: Container,
    out: &Path,
    webm_alpha: encode::WebmAlpha,
) -> Result<(), Error> {
    let (tx, rx) = mpsc::sync_channel::<Picture>(IN_FLIGHT);
    let (done_tx, _done_rx) = mpsc::channel::<Done>();
    let total = raw.frames.len() as u64;
    let dims = (raw.width, raw.height, raw.fps, total);
    let path = out.to_owned();
    let kind = Kind::of(container, || {
        Ok(raw
            .frames
            .iter()
            .filter_map(|f| match f {
                Frame::Pixels(p) => Some(p.clone()),
                Frame::Repeat => None,
            })
            .take(3)
            .collect())
    })?;
    let mut converter = Converter::new(raw.width, raw.height, kind);
    let writer = match Writer::of(&converter, container, None) {
        Writer::Ffmpeg(container, pixel, mixer, _) => {
            Writer::Ffmpeg(container, pixel, mixer, webm_alpha)
        }
        gif => gif,
    };
    let spare = converter.recycle();
    let encoder = std::thread::spawn(move || writer.write(&path, dims, (rx, spare), done_tx));
    for f in &raw.frames {
        let picture = match f {
            Frame::Pixels(rgba) => converter.frame(rgba, None).map_err(Error::Video)?,
            Frame::Repeat => Picture::Repeat,
        };
        if tx.send(picture).is_err() {
            break;
        }
    }
    drop(tx);
    encoder
        .join()
        .map_err(|_| Error::Video("the encoder thread panicked".to_owned()))?
        .map_err(Error::Video)
}

#[cfg(test)]
mod tests {
    use mockly_testkit::Doc;
    use serde_json::json;

    use super::*;

    /// Repainting only the damaged rows of the frame before gives the frame painted
    /// whole, on every platform's screen (wallpapers, gradients pinned to the
    /// screen, blurred bars, avatars) and through a transparent one.
    #[test]
    fn repainted_frames_are_the_frames_painted_whole() {
        let engine = Engine::new();
        for (platform, transparent, extra) in [
            ("imessage", false, json!({})),
            ("imessage", true, json!({})),
            ("imessage", false, json!({"showDeviceFrame": true})),
            ("imessage", false, json!({"video": {"frame": "9:16"}})),
            ("whatsapp", false, json!({})),
            ("messenger", false, json!({})),
            ("telegram", false, json!({})),
            ("instagram", false, json!({})),
            ("signal", false, json!({})),
            ("discord", false, json!({})),
            ("tinder", false, json!({})),
        ] {
            let mut video = json!({"fps": 30, "startDelayMs": 300, "messageDelayMs": 500,
                                   "typingMs": 700, "endHoldMs": 300});
            if let Some(more) = extra.get("video").and_then(|v| v.as_object()) {
                for (k, v) in more {
                    video[k] = v.clone();
                }
            }
            let mut doc = Doc::new()
                .platform(platform)
                .video()
                .text("you", "Hey! Ready for the trip?")
                .text("me", "Packing now")
                .text("you", "See you at the station 🚆")
                .set("props.transparentBackground", json!(transparent))
                .set("props.video", video);
            if let Some(framed) = extra.get("showDeviceFrame") {
                doc = doc.set("props.showDeviceFrame", framed.clone());
            }
            let p = Payload::from_json(&doc.bytes()).unwrap();
            let (timeline, _) = engine.timeline(&p).unwrap();
            let cancel = Cancel::new();
            // Chained, as a render does: each frame repainted over the last one
            // repainted, and compared with the frame painted whole.
            let mut before: Option<(Scene, Vec<u8>)> = None;
            let (mut partial, mut rows_painted, mut rows_total) = (0, 0u64, 0u64);
            for n in 0..timeline.frame_count {
                let scene = timeline.scene_at(timeline.frame_time(n));
                let whole = engine.paint_with(&scene, &cancel).unwrap().take();
                let damage = before
                    .as_ref()
                    .and_then(|(prev, _)| damage::rows(prev, &scene));
                let kept = match (damage, before.take()) {
                    (Some(rows), Some((_, pixels))) => {
                        let repainted = engine
                            .repaint(&scene, pixels, &rows, &cancel)
                            .unwrap()
                            .take();
                        // Painted with another shift, a shape's edge can round a
                        // hair differently (as between bands): a few pixels, a few
                        // levels.
                        let differ: Vec<u8> = whole
                            .iter()
                            .zip(&repainted)
                            .filter(|(a, b)| a != b)
                            .map(|(a, b)| a.abs_diff(*b))
                            .collect();
                        let most = differ.iter().max().copied().unwrap_or(0);
                        assert!(
                            differ.len() <= 256 && most <= 16,
                            "{platform} {transparent} {extra}: frame {n}, rows {rows:?}: {} bytes differ, by up to {most}",
                            differ.len()
                        );
                        partial += 1;
                        rows_painted += rows.iter().map(|r| u64::from(r.1 - r.0)).sum::<u64>();
                        rows_total += u64::from(scene.pixel_size().1);
                        repainted
                    }
                    _ => whole,
                };
                before = Some((scene, kept));
            }
            assert!(partial > 20, "{platform}: {partial} frames repainted");
            // A framed screen or a canvas must not turn every change into the
            // whole picture.
            assert!(
                rows_painted * 4 < rows_total,
                "{platform} {extra}: {rows_painted} of {rows_total} rows repainted"
            );
            eprintln!(
                "{platform} {transparent} {extra}: {:.0} % of rows repainted",
                rows_painted as f64 * 100.0 / rows_total as f64
            );
        }
    }
}
