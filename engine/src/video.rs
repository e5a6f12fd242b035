//! A timeline encoded to MP4 (H.264, yuv420p) or, for transparent backgrounds, WebM
//! (VP9 with an alpha channel, yuva420p), through the system's FFmpeg libraries.
//!
//! Frames are painted and converted to YUV (SIMD, yuvutils) on the calling thread
//! and handed, a few at a time, to an encoder thread that only encodes them: the
//! painting of one frame overlaps the encoding of the previous, the encoder's
//! thread does nothing but feed the encoder, and memory stays flat whatever the
//! length. Stretches where nothing moves are neither painted nor converted again.

use std::path::Path;
use std::sync::mpsc;

use ffmpeg::util::color;
use ffmpeg::{Dictionary, Rational, codec, encoder, format, frame};
use ffmpeg_next as ffmpeg;

use crate::{Cancel, Engine, Error, Payload, Timeline, Warning};

/// Container and codec of a video.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    /// H.264 in MP4, for opaque video.
    Mp4,
    /// VP9 with alpha in WebM, for transparent backgrounds.
    WebmAlpha,
}

impl Container {
    /// The container a payload asks for.
    pub fn of(payload: &Payload) -> Container {
        if payload.props().transparent_background {
            Container::WebmAlpha
        } else {
            Container::Mp4
        }
    }

    /// File extension and the `format` the API reports.
    pub fn extension(self) -> &'static str {
        match self {
            Container::Mp4 => "mp4",
            Container::WebmAlpha => "webm",
        }
    }

    /// The pixel format its codec is fed.
    fn pixel(self) -> format::Pixel {
        match self {
            Container::Mp4 => format::Pixel::YUV420P,
            Container::WebmAlpha => format::Pixel::YUVA420P,
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
    Yuv(frame::Video),
    /// The same picture as the previous frame.
    Repeat,
}

/// What the encoder sends back: frames encoded so far.
type Done = u64;

impl Engine {
    /// Renders the payload as a video into `out`. `progress` is called as frames are
    /// encoded; raising `cancel` stops the render at its next step (laying out,
    /// loading pictures, the next frame) with [`Error::Cancelled`].
    pub fn render_video(
        &self,
        payload: &Payload,
        out: &Path,
        progress: &mut dyn FnMut(Progress),
        cancel: &Cancel,
    ) -> Result<VideoInfo, Error> {
        let (timeline, warnings) = self.timeline_with(payload, cancel)?;
        let container = Container::of(payload);
        let (width, height) = timeline.pixel_size();
        let total = timeline.frame_count;
        let fps = timeline.fps;

        let (frames_tx, frames_rx) = mpsc::sync_channel::<Picture>(IN_FLIGHT);
        let (done_tx, done_rx) = mpsc::channel::<Done>();
        let path = out.to_owned();
        let encoder = std::thread::Builder::new()
            .name("mockly-encoder".to_owned())
            .spawn(move || {
                encode(
                    &path,
                    container,
                    (width, height, fps, total),
                    frames_rx,
                    done_tx,
                )
            })
            .map_err(|e| Error::Video(format!("cannot start the encoder thread: {e}")))?;

        let painted = self.paint_frames(
            &timeline,
            ((width, height), container),
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
        })
    }

    /// Paints every frame in order, converts it and sends it to the encoder,
    /// reporting progress as encoded frames come back.
    fn paint_frames(
        &self,
        timeline: &Timeline,
        (size, container): ((u32, u32), Container),
        (frames, done): (&mpsc::SyncSender<Picture>, &mpsc::Receiver<Done>),
        progress: &mut dyn FnMut(Progress),
        cancel: &Cancel,
    ) -> Result<(), Error> {
        let total = timeline.frame_count;
        let mut last_key = None;
        let mut yuv = Yuv::new(size.0, size.1, container == Container::WebmAlpha);
        // One buffer painted into again and again: a frame leaves as YUV.
        let mut canvas: Option<Vec<u8>> = None;
        for n in 0..total {
            cancel.check()?;
            let t = timeline.frame_time(n);
            let key = timeline.still_key(t);
            let picture = if key.is_some() && key == last_key {
                Picture::Repeat
            } else {
                let pixmap = self.paint_reusing(&timeline.scene_at(t), canvas.take(), cancel)?;
                if (pixmap.width(), pixmap.height()) != size {
                    return Err(Error::Video(format!(
                        "frame {n} is {}×{}, expected {}×{}",
                        pixmap.width(),
                        pixmap.height(),
                        size.0,
                        size.1
                    )));
                }
                let converted = yuv.frame(pixmap.data(), container.pixel());
                canvas = Some(pixmap.take());
                Picture::Yuv(converted.map_err(Error::Video)?)
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
    let (tx, rx) = mpsc::sync_channel::<Picture>(IN_FLIGHT);
    let (done_tx, _done_rx) = mpsc::channel::<Done>();
    let total = raw.frames.len() as u64;
    let dims = (raw.width, raw.height, raw.fps, total);
    let path = out.to_owned();
    let encoder = std::thread::spawn(move || encode(&path, container, dims, rx, done_tx));
    let mut yuv = Yuv::new(raw.width, raw.height, container == Container::WebmAlpha);
    for f in &raw.frames {
        let picture = match f {
            Frame::Pixels(rgba) => {
                Picture::Yuv(yuv.frame(rgba, container.pixel()).map_err(Error::Video)?)
            }
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

/// Opens the container, encodes every frame received, and finishes the file. Stops
/// without finishing it when fewer than `total` frames arrive (a stopped render).
fn encode(
    path: &Path,
    container: Container,
    (width, height, fps, total): (u32, u32, u32, u64),
    frames: mpsc::Receiver<Picture>,
    done: mpsc::Sender<Done>,
) -> Result<(), String> {
    fn fail(what: &'static str) -> impl Fn(ffmpeg::Error) -> String {
        move |e| format!("{what}: {e}")
    }
    ffmpeg::init().map_err(fail("FFmpeg"))?;
    ffmpeg::util::log::set_level(ffmpeg::util::log::Level::Error);
    let (codec_name, muxer) = match container {
        Container::Mp4 => ("libx264", "mp4"),
        Container::WebmAlpha => ("libvpx-vp9", "webm"),
    };
    let pixel = container.pixel();
    let codec = encoder::find_by_name(codec_name)
        .ok_or_else(|| format!("this FFmpeg has no {codec_name} encoder"))?;
    let mut octx = format::output_as(path, muxer).map_err(fail("cannot create the file"))?;
    let global_header = octx.format().flags().contains(format::Flags::GLOBAL_HEADER);
    let time_base = Rational::new(1, fps as i32);

    let mut enc = codec::context::Context::new_with_codec(codec)
        .encoder()
        .video()
        .map_err(fail("encoder"))?;
    enc.set_width(width);
    enc.set_height(height);
    enc.set_format(pixel);
    enc.set_time_base(time_base);
    enc.set_frame_rate(Some(Rational::new(fps as i32, 1)));
    // Tag the colours, or players guess (and guess differently).
    enc.set_colorspace(color::Space::BT709);
    enc.set_color_range(color::Range::MPEG);
    enc.set_color_primaries(color::Primaries::BT709);
    enc.set_color_transfer_characteristic(color::TransferCharacteristic::BT709);
    if global_header {
        enc.set_flags(codec::Flags::GLOBAL_HEADER);
    }
    let mut options = Dictionary::new();
    // Library users get one encoder thread unless they ask.
    options.set("threads", "0");
    match container {
        Container::Mp4 => {
            // Flat UI: large plain areas compress well; crf 20 keeps text edges clean.
            options.set("preset", "veryfast");
            options.set("crf", "20");
            // x264's frame buffers are most of a render's memory, and grow with its
            // frame threads and lookahead: two threads and a short lookahead keep a
            // render under 200 MB at no cost in speed on two cores (measured), and
            // chat footage gains little from looking far ahead.
            options.set("threads", "2");
            options.set("rc-lookahead", "2");
        }
        Container::WebmAlpha => {
            options.set("deadline", "realtime");
            options.set("cpu-used", "8");
            options.set("row-mt", "1");
            options.set("crf", "30");
            options.set("b", "0");
            // libvpx holds 25 frames back by default (twice: colour and alpha are
            // two encoders); a realtime encode gains nothing from them and they are
            // a third of its memory (measured: 487 → 327 MB at 2x, and faster).
            options.set("lag-in-frames", "0");
        }
    }
    let mut encoder = enc
        .open_with(options)
        .map_err(fail("cannot open the encoder"))?;
    {
        let mut stream = octx.add_stream(codec).map_err(fail("stream"))?;
        stream.set_parameters(&encoder);
        stream.set_time_base(time_base);
    }
    let mut muxer_options = Dictionary::new();
    if container == Container::Mp4 {
        // The index goes first, so playback starts before the download ends.
        muxer_options.set("movflags", "+faststart");
    }
    octx.write_header_with(muxer_options)
        .map_err(fail("cannot write the header"))?;
    let stream_time_base = octx.stream(0).map_or(time_base, |s| s.time_base());

    let mut previous: Option<frame::Video> = None;
    let mut n: i64 = 0;
    for incoming in frames {
        let mut picture = match (incoming, &previous) {
            (Picture::Repeat, Some(prev)) => prev.clone(),
            (Picture::Yuv(converted), _) => converted,
            (Picture::Repeat, None) => return Err("first frame cannot repeat".to_owned()),
        };
        picture.set_pts(Some(n));
        encoder.send_frame(&picture).map_err(fail("encoding"))?;
        write_packets(&mut encoder, &mut octx, time_base, stream_time_base)?;
        previous = Some(picture);
        n += 1;
        let _ = done.send(n as u64);
    }
    if (n as u64) < total {
        return Err("stopped before the last frame".to_owned());
    }
    encoder.send_eof().map_err(fail("finishing"))?;
    write_packets(&mut encoder, &mut octx, time_base, stream_time_base)?;
    octx.write_trailer()
        .map_err(fail("cannot finish the file"))?;
    Ok(())
}

fn write_packets(
    encoder: &mut encoder::Video,
    octx: &mut format::context::Output,
    from: Rational,
    to: Rational,
) -> Result<(), String> {
    let mut packet = ffmpeg::Packet::empty();
    while encoder.receive_packet(&mut packet).is_ok() {
        packet.set_stream(0);
        // Each packet lasts one frame; set it before rescaling, or the last frame
        // of an MP4 has no length and the file comes out one frame short.
        packet.set_duration(1);
        packet.rescale_ts(from, to);
        packet
            .write_interleaved(octx)
            .map_err(|e| format!("cannot write: {e}"))?;
    }
    Ok(())
}

/// RGBA → YUV 4:2:0 (BT.709, limited range), with an alpha plane for VP9.
struct Yuv {
    width: u32,
    height: u32,
    alpha: bool,
    planes: [Vec<u8>; 4],
    straight: Vec<u8>,
}

impl Yuv {
    fn new(width: u32, height: u32, alpha: bool) -> Yuv {
        let (w, h) = (width as usize, height as usize);
        let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
        Yuv {
            width,
            height,
            alpha,
            planes: [
                vec![0; w * h],
                vec![0; cw * ch],
                vec![0; cw * ch],
                if alpha { vec![0; w * h] } else { Vec::new() },
            ],
            straight: Vec::new(),
        }
    }

    /// Converts one premultiplied RGBA frame into a new FFmpeg frame.
    fn frame(&mut self, rgba: &[u8], pixel: format::Pixel) -> Result<frame::Video, String> {
        use yuvutils_rs::{
            BufferStoreMut, YuvConversionMode, YuvPlanarImageMut, YuvRange, YuvStandardMatrix,
            rgba_to_yuv420,
        };
        let (w, h) = (self.width, self.height);
        let source: &[u8] = if self.alpha {
            // VP9 wants colour without the alpha multiplied in.
            self.straight.clear();
            self.straight.extend(rgba.chunks_exact(4).flat_map(|p| {
                let a = u16::from(p[3]);
                if a == 0 || a == 255 {
                    [p[0], p[1], p[2], p[3]]
                } else {
                    let un = |c: u8| ((u16::from(c) * 255 + a / 2) / a).min(255) as u8;
                    [un(p[0]), un(p[1]), un(p[2]), p[3]]
                }
            }));
            for (dst, src) in self.planes[3].iter_mut().zip(rgba.chunks_exact(4)) {
                *dst = src[3];
            }
            &self.straight
        } else {
            rgba
        };
        let cw = w.div_ceil(2);
        let [y, u, v, _] = &mut self.planes;
        let mut image = YuvPlanarImageMut {
            y_plane: BufferStoreMut::Borrowed(y),
            y_stride: w,
            u_plane: BufferStoreMut::Borrowed(u),
            u_stride: cw,
            v_plane: BufferStoreMut::Borrowed(v),
            v_stride: cw,
            width: w,
            height: h,
        };
        rgba_to_yuv420(
            &mut image,
            source,
            w * 4,
            YuvRange::Limited,
            YuvStandardMatrix::Bt709,
            YuvConversionMode::Balanced,
        )
        .map_err(|e| format!("colour conversion: {e:?}"))?;

        let mut out = frame::Video::new(pixel, w, h);
        let planes = if self.alpha { 4 } else { 3 };
        for p in 0..planes {
            let (pw, ph) = if p == 1 || p == 2 {
                (cw as usize, h.div_ceil(2) as usize)
            } else {
                (w as usize, h as usize)
            };
            let stride = out.stride(p);
            let dst = out.data_mut(p);
            for row in 0..ph {
                dst[row * stride..row * stride + pw]
                    .copy_from_slice(&self.planes[p][row * pw..(row + 1) * pw]);
            }
        }
        Ok(out)
    }
}
