//! The encoder thread: opens the container, feeds the codec every frame the painter
//! sends, and finishes the file. Each format's codec, options and way of handling a
//! repeated frame live here.

use std::path::Path;
use std::sync::mpsc;

use ffmpeg::util::{color, picture};
use ffmpeg::{Dictionary, Packet, Rational, codec, encoder, format, frame};
use ffmpeg_next as ffmpeg;

use super::alpha::AlphaTrack;
use super::sound::{Mixer, RATE};
use super::{Container, Done, Picture};
use crate::payload::VideoFormat;

/// What an encoder does with a frame that repeats the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Repeats {
    /// Encodes the previous picture again (codecs that predict from past frames).
    Encode,
    /// Writes the previous packet again (intra-only codecs: a repeat costs a copy).
    Copy,
    /// Writes a one-byte VP9 frame that shows the last frame again
    /// ([`SHOW_LAST`]), for the alpha stream too: libvpx spends as long on a frame
    /// that changes nothing as on one that does.
    ShowLast,
}

/// A whole VP9 frame (profile 0): the uncompressed header's frame marker (`10`),
/// profile 0 (`00`), `show_existing_frame` (`1`) and the reference slot to show
/// (`000`). libvpx's realtime encoder (no frames held back, so no alternate
/// reference) always keeps the last frame it encoded in slot 0, which it refreshes
/// with every frame; the encoder's tests decode every repeat against the frame before.
pub(super) const SHOW_LAST: u8 = 0b1000_1000;

/// How a transparent WebM's alpha is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum WebmAlpha {
    /// On a thread of its own beside the colour (see [`super::alpha`]), a frame
    /// whose alpha has not changed shown again, and repeats one byte each.
    Beside,
    /// By FFmpeg's libvpx wrapper, after the colour in the same call, with every
    /// frame encoded: what the engine did before, kept as the benchmarks' baseline.
    Wrapper,
}

/// Frames from one keyframe to the next in a WebM with alpha, where the engine
/// forces them on the colour and alpha streams together (libvpx's own default).
const KEY_EVERY: u64 = 128;

/// The codec side of a container.
struct Settings {
    codec: &'static str,
    muxer: &'static str,
    repeats: Repeats,
    options: Dictionary<'static>,
    muxer_options: Dictionary<'static>,
}

impl Settings {
    /// `None` for GIF, which [`super::gif`] writes.
    fn of(container: Container) -> Option<Settings> {
        let mut options = Dictionary::new();
        let mut muxer_options = Dictionary::new();
        let (codec, muxer, repeats) = match container.format {
            VideoFormat::Mp4 => {
                // x264's cost here is per frame, not per change: a frame identical
                // to the one before took as long as a scrolling one at every preset
                // (measured). `ultrafast` analyses least; with CABAC back on and a
                // constant quantiser (no look-ahead to estimate complexity) it is
                // twice as fast as `veryfast` at crf 20 and more faithful to the
                // painted frames (SSIM 0.9997 against 0.9992 on the 10 s bench
                // video: no psychovisual tuning smears text), for files twice the
                // size (300 kB for 10 s at 2x). Two slice threads return each
                // frame's packet at once and keep the encoder's memory small.
                options.set("preset", "ultrafast");
                options.set("qp", "18");
                options.set("threads", "2");
                options.set("x264-params", "cabac=1:sliced-threads=1");
                // The index goes first, so playback starts before the download ends.
                muxer_options.set("movflags", "+faststart");
                ("libx264", "mp4", Repeats::Encode)
            }
            VideoFormat::Webm => {
                options.set("threads", "0");
                options.set("deadline", "realtime");
                options.set("cpu-used", "8");
                options.set("row-mt", "1");
                options.set("crf", "30");
                options.set("b", "0");
                // libvpx holds 25 frames back by default (twice with alpha: colour
                // and alpha are two encoders); a realtime encode gains nothing from
                // them and they are a third of its memory (487 → 327 MB at 2x).
                // The one-byte repeats (no alternate reference: slot 0 is the last
                // frame) and the alpha encoded beside the colour (a packet a frame)
                // depend on it too.
                options.set("lag-in-frames", "0");
                // The same payload gives the same file: without this the muxer
                // writes a random segment ID.
                muxer_options.set("fflags", "+bitexact");
                ("libvpx-vp9", "webm", Repeats::ShowLast)
            }
            VideoFormat::Mov => {
                // ProRes 4444 (profile 4) keeps alpha. FFmpeg's `prores_aw` encodes
                // it four times as fast as `prores_ks` here (measured: 300 frames at
                // 2x, 5.5 s against 22 s) at the same size. Slice threads only, so
                // each frame's packet comes back at once and a repeated frame is its
                // packet written again.
                options.set("profile", "4");
                options.set("vendor", "apl0");
                options.set("threads", "2");
                options.set("thread_type", "slice");
                ("prores_aw", "mov", Repeats::Copy)
            }
            VideoFormat::Gif => return None,
            VideoFormat::Webp => {
                // Lossy at 80 with libwebp's fast method: text stays legible and the
                // encode keeps ahead of real time. libwebp itself merges repeated
                // frames into one longer frame.
                options.set("lossless", "0");
                options.set("quality", "80");
                options.set("compression_level", "1");
                muxer_options.set("loop", "0");
                ("libwebp_anim", "webp", Repeats::Encode)
            }
        };
        Some(Settings {
            codec,
            muxer,
            repeats,
            options,
            muxer_options,
        })
    }
}

/// Opens the container, encodes every frame received, and finishes the file. Stops
/// without finishing it when fewer than `total` frames arrive (a stopped render).
pub(super) fn encode(
    path: &Path,
    (container, pixel, mixer, webm_alpha): (Container, format::Pixel, Option<Mixer>, WebmAlpha),
    (width, height, fps, total): (u32, u32, u32, u64),
    (frames, spare): (mpsc::Receiver<Picture>, mpsc::Sender<frame::Video>),
    done: mpsc::Sender<Done>,
) -> Result<(), String> {
    ffmpeg::init().map_err(fail("FFmpeg"))?;
    ffmpeg::util::log::set_level(ffmpeg::util::log::Level::Error);
    let mut settings = Settings::of(container).ok_or("GIF is not written by FFmpeg")?;
    // A WebM's alpha is encoded beside its colour (see `alpha`): the colour
    // encoder takes the picture's first three planes, and neither encoder places
    // keyframes of its own (the same distance at least and at most turns off
    // libvpx's automatic ones).
    let split_alpha =
        container.format == VideoFormat::Webm && container.alpha && webm_alpha == WebmAlpha::Beside;
    if container.format == VideoFormat::Webm && webm_alpha == WebmAlpha::Wrapper {
        settings.repeats = Repeats::Encode;
    }
    let colour_pixel = if split_alpha {
        settings.options.set("g", NO_KEYFRAMES);
        settings.options.set("keyint_min", NO_KEYFRAMES);
        format::Pixel::YUV420P
    } else {
        pixel
    };
    let codec = encoder::find_by_name(settings.codec)
        .ok_or_else(|| format!("this FFmpeg has no {} encoder", settings.codec))?;
    let mut octx =
        format::output_as(path, settings.muxer).map_err(fail("cannot create the file"))?;
    let global_header = octx.format().flags().contains(format::Flags::GLOBAL_HEADER);
    let time_base = Rational::new(1, fps as i32);

    let dims = (width, height, time_base);
    let mut enc = video_context(codec, dims)?;
    enc.set_format(pixel);
    enc.set_frame_rate(Some(Rational::new(fps as i32, 1)));
    // Tag the colours, or players guess (and guess differently).
    enc.set_colorspace(color::Space::BT709);
    enc.set_color_range(color::Range::MPEG);
    enc.set_color_primaries(color::Primaries::BT709);
    enc.set_color_transfer_characteristic(color::TransferCharacteristic::BT709);
    if global_header {
        enc.set_flags(codec::Flags::GLOBAL_HEADER);
    }
    // The stream is described with the file's pixels (`yuva420p` marks a WebM
    // track as having alpha), before the colour encoder is set to its own.
    let described = codec::Parameters::from(&*enc);
    let alpha_options = settings.options.clone();
    enc.set_format(colour_pixel);
    let mut encoder = enc
        .open_with(settings.options)
        .map_err(fail("cannot open the encoder"))?;
    // The alpha's encoder: the colour's codec and options, grey pictures.
    let alpha_encoder = if split_alpha {
        let mut enc = video_context(codec, dims)?;
        enc.set_format(format::Pixel::YUV420P);
        let opened = enc.open_with(alpha_options);
        Some(opened.map_err(fail("cannot open the alpha encoder"))?)
    } else {
        None
    };
    {
        let mut stream = octx.add_stream(codec).map_err(fail("stream"))?;
        if split_alpha {
            stream.set_parameters(described);
        } else {
            stream.set_parameters(&encoder);
        }
        stream.set_time_base(time_base);
    }
    let audio = match mixer {
        Some(mixer) => Some(Audio::open(&mut octx, container, mixer, global_header)?),
        None => None,
    };
    octx.write_header_with(settings.muxer_options)
        .map_err(fail("cannot write the header"))?;
    let stream_time_base = |i: usize| octx.stream(i).map(|s| s.time_base());
    let video_to = stream_time_base(0).unwrap_or(time_base);
    let audio_to = stream_time_base(1).unwrap_or(Rational::new(1, RATE as i32));
    let mut out = Out {
        octx: &mut octx,
        from: time_base,
        to: video_to,
        audio_to,
        last: None,
        keep_last: settings.repeats == Repeats::Copy,
        packets: 0,
    };
    let pts = |n: u64| n as i64;

    std::thread::scope(|scope| -> Result<(), String> {
        // The sound is mixed and encoded on a thread of its own, a little ahead of
        // the pictures (it cost a quarter of a 10 s MP4's time on this one); its
        // packets are written here as the frames reach their time, so the muxer
        // interleaves the two streams as they go.
        let mut sound = match audio {
            Some(audio) => Some(Sound::start(scope, audio)?),
            None => None,
        };
        let mut alpha = match alpha_encoder {
            Some(encoder) => Some(AlphaTrack::start(scope, encoder, (width, height))?),
            None => None,
        };
        // The frame of the last keyframe forced (with alpha).
        let mut last_key: Option<u64> = None;
        // The last picture sent: a repeat sends it again under the next time stamp
        // (the encoders copy a picture in as it is sent), except where VP9 shows
        // the last frame again. Pictures done with go
        // back to the painter to be filled again, which spares allocating (and
        // faulting in) a new one every frame. This needs every encoder here to be
        // done with a picture when `send_frame` returns: x264, libvpx and libwebp
        // copy it in, ProRes runs slice threads only. An encoder with frame
        // threads would still be reading it (and `unsafe`, allowed only in
        // `side_data`, would be needed to ask FFmpeg whether it is).
        let mut previous: Option<frame::Video> = None;
        let mut n: u64 = 0;
        // Frames sent to the encoder; a repeat shows the last one only when each
        // has come out as a packet (the encoder holds none back to encode later).
        let mut sent: u64 = 0;
        for incoming in frames {
            match incoming {
                Picture::Video(mut picture) => {
                    picture.set_pts(Some(pts(n)));
                    send(
                        &mut encoder,
                        &mut picture,
                        alpha.as_mut(),
                        (n, &mut last_key),
                    )?;
                    sent += 1;
                    out.drain(&mut encoder, alpha.as_mut())?;
                    in_step(&alpha, sent, out.packets)?;
                    if let Some(used) = previous.replace(picture) {
                        let _ = spare.send(used);
                    }
                }
                Picture::Indexed(_) => return Err("indexed frames are for GIF".to_owned()),
                Picture::Repeat => match (&mut previous, settings.repeats) {
                    (None, _) => return Err("first frame cannot repeat".to_owned()),
                    (Some(_), Repeats::Copy) => out.copy_last(pts(n))?,
                    (Some(_), Repeats::ShowLast) if out.packets == sent => {
                        out.show_last(pts(n), alpha.is_some())?;
                    }
                    (Some(picture), Repeats::Encode | Repeats::ShowLast) => {
                        picture.set_pts(Some(pts(n)));
                        send(&mut encoder, picture, alpha.as_mut(), (n, &mut last_key))?;
                        sent += 1;
                        out.drain(&mut encoder, alpha.as_mut())?;
                        in_step(&alpha, sent, out.packets)?;
                    }
                },
            }
            n += 1;
            if let Some(sound) = &mut sound {
                // The sound up to the end of this frame.
                sound.write_until(n * u64::from(RATE) / u64::from(fps), &mut out)?;
            }
            let _ = done.send(n);
        }
        if n < total {
            return Err("stopped before the last frame".to_owned());
        }
        encoder.send_eof().map_err(fail("finishing"))?;
        out.drain(&mut encoder, alpha.as_mut())?;
        if let Some(alpha) = alpha {
            alpha.finish()?;
        }
        match sound {
            Some(sound) => sound.finish(&mut out),
            None => Ok(()),
        }
    })?;
    octx.write_trailer()
        .map_err(fail("cannot finish the file"))?;
    Ok(())
}

/// Whether a VP9 frame (profile 0) is a keyframe: after the frame marker and the
/// profile bits, neither `show_existing_frame` nor `frame_type` (0 for a keyframe)
/// is set.
fn is_vp9_keyframe(frame: &[u8]) -> bool {
    frame.first().is_some_and(|b| b & 0b1100 == 0)
}

/// `g` and `keyint_min` for encoders whose keyframes the engine forces: more
/// frames than the longest video has.
const NO_KEYFRAMES: &str = "1000000";

/// With an alpha track, the colour encoder must give each frame's packet at once
/// (`lag-in-frames` 0): the alpha thread waits, a frame or two ahead at most, for
/// its frames to be taken, so a colour encoder that held frames back would stall it.
fn in_step(alpha: &Option<AlphaTrack<'_>>, sent: u64, packets: u64) -> Result<(), String> {
    match alpha {
        Some(_) if sent != packets => Err("the colour encoder held a frame back".to_owned()),
        _ => Ok(()),
    }
}

/// Sends `picture` (frame `n`) to the encoder; with an alpha track, its alpha plane
/// to the alpha encoder and its first three planes to the colour one, both as a
/// keyframe when one is due (`last_key` is the frame of the last one).
fn send(
    encoder: &mut encoder::Video,
    picture: &mut frame::Video,
    alpha: Option<&mut AlphaTrack<'_>>,
    (n, last_key): (u64, &mut Option<u64>),
) -> Result<(), String> {
    let Some(alpha) = alpha else {
        return encoder.send_frame(picture).map_err(fail("encoding"));
    };
    let key = last_key.is_none_or(|k| n >= k + KEY_EVERY);
    if key {
        *last_key = Some(n);
    }
    alpha.send(picture, key)?;
    let planes = picture.format();
    picture.set_kind(if key {
        picture::Type::I
    } else {
        picture::Type::None
    });
    picture.set_format(format::Pixel::YUV420P);
    let sent = encoder.send_frame(picture).map_err(fail("encoding"));
    picture.set_format(planes);
    sent
}

/// An encoder context for `codec` at the video's size and time base, to be set up
/// further and opened.
fn video_context(
    codec: ffmpeg::Codec,
    (width, height, time_base): (u32, u32, Rational),
) -> Result<encoder::video::Video, String> {
    let mut enc = codec::context::Context::new_with_codec(codec)
        .encoder()
        .video()
        .map_err(fail("encoder"))?;
    enc.set_width(width);
    enc.set_height(height);
    enc.set_time_base(time_base);
    Ok(enc)
}

fn fail(what: &'static str) -> impl Fn(ffmpeg::Error) -> String {
    move |e| format!("{what}: {e}")
}

/// Where packets go: the muxer, with the last one kept when repeats copy it.
struct Out<'a> {
    octx: &'a mut format::context::Output,
    from: Rational,
    to: Rational,
    /// The audio stream's time base in the file (its encoder's is 1/[`RATE`]).
    audio_to: Rational,
    last: Option<Packet>,
    keep_last: bool,
    /// Packets the video encoder has given.
    packets: u64,
}

impl Out<'_> {
    /// Writes every packet the encoder has ready, each with its frame of the
    /// `alpha` track when there is one.
    fn drain(
        &mut self,
        encoder: &mut encoder::Video,
        mut alpha: Option<&mut AlphaTrack<'_>>,
    ) -> Result<(), String> {
        let mut packet = Packet::empty();
        while encoder.receive_packet(&mut packet).is_ok() {
            self.packets += 1;
            if let Some(alpha) = alpha.as_deref_mut() {
                let frame = alpha.next()?;
                // A player seeking to a colour keyframe needs one in the alpha.
                if packet.is_key() != is_vp9_keyframe(&frame) {
                    return Err("the alpha's keyframes are out of step with the colour's".into());
                }
                super::side_data::attach_alpha(&mut packet, &frame)?;
            }
            if self.keep_last {
                self.last = Some(packet.clone());
            }
            self.write(&mut packet)?;
        }
        Ok(())
    }

    /// Writes the last packet again at `pts` (an intra-only codec's repeat).
    fn copy_last(&mut self, pts: i64) -> Result<(), String> {
        let mut packet = self
            .last
            .clone()
            .ok_or("a repeated frame before any packet")?;
        packet.set_pts(Some(pts));
        packet.set_dts(Some(pts));
        self.write(&mut packet)
    }

    /// Writes a VP9 frame at `pts` that shows the last one again ([`SHOW_LAST`]),
    /// with the same for the alpha stream when the video has one.
    fn show_last(&mut self, pts: i64, alpha: bool) -> Result<(), String> {
        let mut packet = Packet::copy(&[SHOW_LAST]);
        if alpha {
            super::side_data::attach_alpha(&mut packet, &[SHOW_LAST])?;
        }
        packet.set_pts(Some(pts));
        packet.set_dts(Some(pts));
        self.write(&mut packet)
    }

    fn write(&mut self, packet: &mut Packet) -> Result<(), String> {
        packet.set_stream(0);
        // A packet lasts one frame; set it before rescaling, or the last frame of
        // an MP4 has no length and the file comes out one frame short.
        packet.set_duration(1);
        packet.rescale_ts(self.from, self.to);
        packet
            .write_interleaved(self.octx)
            .map_err(|e| format!("cannot write: {e}"))
    }

    /// Writes an audio packet (its duration set by the encoder).
    fn write_audio(&mut self, packet: &mut Packet) -> Result<(), String> {
        packet.set_stream(1);
        packet.rescale_ts(Rational::new(1, RATE as i32), self.audio_to);
        packet
            .write_interleaved(self.octx)
            .map_err(|e| format!("cannot write: {e}"))
    }
}

/// The sound track: its encoder, fed a frame at a time from the mixer.
struct Audio {
    encoder: encoder::Audio,
    mixer: Mixer,
    sample: format::Sample,
    /// Samples per encoder frame.
    frame_size: usize,
    pending: Vec<f32>,
    /// The next frame's first sample.
    pts: i64,
}

impl Audio {
    /// Adds the sound track's stream to the file: AAC in MP4, Opus in WebM, PCM in
    /// QuickTime (what editing suites take without converting).
    fn open(
        octx: &mut format::context::Output,
        container: Container,
        mixer: Mixer,
        global_header: bool,
    ) -> Result<Audio, String> {
        use ffmpeg::format::sample::Type;
        let (name, sample) = match container.format {
            VideoFormat::Mp4 => ("aac", format::Sample::F32(Type::Planar)),
            VideoFormat::Webm => ("libopus", format::Sample::F32(Type::Packed)),
            VideoFormat::Mov => ("pcm_s16le", format::Sample::I16(Type::Packed)),
            VideoFormat::Gif | VideoFormat::Webp => {
                return Err("GIF and WebP have no sound".to_owned());
            }
        };
        let codec = encoder::find_by_name(name)
            .ok_or_else(|| format!("this FFmpeg has no {name} encoder"))?;
        let mut enc = codec::context::Context::new_with_codec(codec)
            .encoder()
            .audio()
            .map_err(fail("audio encoder"))?;
        enc.set_rate(RATE as i32);
        enc.set_channel_layout(ffmpeg::ChannelLayout::MONO);
        enc.set_format(sample);
        enc.set_time_base(Rational::new(1, RATE as i32));
        enc.set_bit_rate(if name == "libopus" { 64_000 } else { 96_000 });
        if global_header {
            enc.set_flags(codec::Flags::GLOBAL_HEADER);
        }
        let encoder = enc
            .open_with(Dictionary::new())
            .map_err(fail("cannot open the audio encoder"))?;
        let mut stream = octx.add_stream(codec).map_err(fail("audio stream"))?;
        stream.set_parameters(&encoder);
        stream.set_time_base(Rational::new(1, RATE as i32));
        // PCM takes any number of samples a frame.
        let frame_size = match encoder.frame_size() {
            0 => 1024,
            n => n as usize,
        };
        Ok(Audio {
            encoder,
            mixer,
            sample,
            frame_size,
            pending: Vec::with_capacity(2 * frame_size),
            pts: 0,
        })
    }

    /// Mixes and encodes the whole sound track, a block at a time, sending its
    /// packets to `packets`; stops early when they are no longer wanted.
    fn run(mut self, packets: &mpsc::SyncSender<Packet>) -> Result<(), String> {
        let total = self.mixer.total();
        loop {
            let until = (self.mixer.position() + SOUND_BLOCK).min(total);
            let end = until >= total;
            if !self.advance(until, end, packets)? || end {
                return Ok(());
            }
        }
    }

    /// Mixes up to sample `until` (or the end) and encodes every whole frame; at
    /// the `end`, the last partial frame too, and the encoder is flushed. `false`
    /// when the packets are no longer wanted.
    fn advance(
        &mut self,
        until: u64,
        end: bool,
        packets: &mpsc::SyncSender<Packet>,
    ) -> Result<bool, String> {
        let until = until.min(self.mixer.total());
        let wanted = until.saturating_sub(self.mixer.position());
        self.mixer.fill(wanted, &mut self.pending);
        while self.pending.len() >= self.frame_size || (end && !self.pending.is_empty()) {
            let n = self.pending.len().min(self.frame_size);
            self.send(n)?;
            self.pending.drain(..n);
            if !self.receive(packets) {
                return Ok(false);
            }
        }
        if end {
            self.encoder
                .send_eof()
                .map_err(fail("finishing the sound"))?;
            return Ok(self.receive(packets));
        }
        Ok(true)
    }

    /// Sends the first `n` pending samples as one frame.
    fn send(&mut self, n: usize) -> Result<(), String> {
        let mut frame = frame::Audio::new(self.sample, n, ffmpeg::ChannelLayout::MONO);
        frame.set_rate(RATE);
        let samples = &self.pending[..n];
        if let format::Sample::I16(_) = self.sample {
            for (o, v) in frame.plane_mut::<i16>(0).iter_mut().zip(samples) {
                *o = (v * 32767.0).round() as i16;
            }
        } else {
            frame.plane_mut::<f32>(0).copy_from_slice(samples);
        }
        frame.set_pts(Some(self.pts));
        self.pts += n as i64;
        self.encoder
            .send_frame(&frame)
            .map_err(fail("encoding the sound"))
    }

    /// Passes on every packet the encoder has ready; `false` when no one takes them.
    fn receive(&mut self, packets: &mpsc::SyncSender<Packet>) -> bool {
        let mut packet = Packet::empty();
        while self.encoder.receive_packet(&mut packet).is_ok() {
            if packets
                .send(std::mem::replace(&mut packet, Packet::empty()))
                .is_err()
            {
                return false;
            }
        }
        true
    }
}

/// Samples mixed at a time on the sound's thread (100 ms).
const SOUND_BLOCK: u64 = RATE as u64 / 10;

/// Encoded sound packets the sound's thread may be ahead by (about a second).
const SOUND_AHEAD: usize = 48;

/// The sound track's thread, and its packets as they come.
struct Sound<'scope> {
    packets: mpsc::Receiver<Packet>,
    /// A packet received that starts after what has been written so far.
    next: Option<Packet>,
    thread: std::thread::ScopedJoinHandle<'scope, Result<(), String>>,
}

impl<'scope> Sound<'scope> {
    fn start<'env>(
        scope: &'scope std::thread::Scope<'scope, 'env>,
        audio: Audio,
    ) -> Result<Sound<'scope>, String> {
        let (tx, packets) = mpsc::sync_channel(SOUND_AHEAD);
        let thread = std::thread::Builder::new()
            .name("mockly-sound".to_owned())
            .spawn_scoped(scope, move || audio.run(&tx))
            .map_err(|e| format!("cannot start the sound thread: {e}"))?;
        Ok(Sound {
            packets,
            next: None,
            thread,
        })
    }

    /// Writes every packet that starts before sample `until`.
    fn write_until(&mut self, until: u64, out: &mut Out<'_>) -> Result<(), String> {
        loop {
            let mut packet = match self.next.take() {
                Some(packet) => packet,
                // The thread has ended: `finish` says how.
                None => match self.packets.recv() {
                    Ok(packet) => packet,
                    Err(_) => return Ok(()),
                },
            };
            if packet.pts().is_some_and(|p| p >= 0 && p as u64 >= until) {
                self.next = Some(packet);
                return Ok(());
            }
            out.write_audio(&mut packet)?;
        }
    }

    /// Writes the rest of the sound and waits for its thread.
    fn finish(mut self, out: &mut Out<'_>) -> Result<(), String> {
        self.write_until(u64::MAX, out)?;
        drop(self.packets);
        self.thread
            .join()
            .map_err(|_| "the sound thread panicked".to_owned())?
    }
}
