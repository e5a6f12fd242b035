//! The music bed: fetched like a picture (a data URL, or through the server's
//! guarded fetcher), decoded by FFmpeg from any format it reads, mixed down to mono
//! and resampled to the video's rate. At most [`MAX_MUSIC_SECONDS`] are kept; the
//! mixer loops it under a longer video.

use std::path::Path;

use ffmpeg::{ChannelLayout, codec, format, frame, media, software};
use ffmpeg_next as ffmpeg;

use super::sound::{Music, RATE};
use crate::image_source::{DataUrl, ImageSource};
use crate::payload::MusicBed;
use crate::{Cancel, Error};

/// The longest stretch of music kept (34 MB of samples); it loops anyway.
pub(crate) const MAX_MUSIC_SECONDS: u32 = 180;

const PATH: &str = "props.video.music.src";

/// The music bed's samples. `scratch` is a file FFmpeg reads the fetched bytes
/// from (removed again).
pub(crate) fn load(
    images: &dyn ImageSource,
    bed: &MusicBed,
    scratch: &Path,
    cancel: &Cancel,
) -> Result<Music, Error> {
    let bad = |message: String| Error::Audio {
        path: PATH.to_owned(),
        message,
    };
    let bytes = if bed.src.starts_with("data:") {
        DataUrl::parse_audio(&bed.src).map(|d| d.bytes)
    } else {
        images.fetch(&bed.src)
    }
    .map_err(|e| bad(e.to_string()))?;
    cancel.check()?;
    std::fs::write(scratch, &bytes)
        .map_err(|e| Error::Video(format!("cannot write the music to decode it: {e}")))?;
    let decoded = decode(scratch, cancel);
    let _ = std::fs::remove_file(scratch);
    let samples = decoded.map_err(|e| match e {
        Decode::Cancelled => Error::Cancelled,
        Decode::Bad(m) => bad(m),
    })?;
    if samples.is_empty() {
        return Err(bad("no sound in the file".to_owned()));
    }
    Ok(Music {
        samples,
        volume: bed.volume.unwrap_or(0.3) as f32,
    })
}

enum Decode {
    Bad(String),
    Cancelled,
}

fn decode(path: &Path, cancel: &Cancel) -> Result<Vec<f32>, Decode> {
    fn bad(what: &'static str) -> impl Fn(ffmpeg::Error) -> Decode {
        move |e| Decode::Bad(format!("{what}: {e}"))
    }
    ffmpeg::init().map_err(bad("FFmpeg"))?;
    let mut input = format::input(path).map_err(bad("not an audio file FFmpeg reads"))?;
    let stream = input
        .streams()
        .best(media::Type::Audio)
        .ok_or_else(|| Decode::Bad("the file has no audio stream".to_owned()))?;
    let index = stream.index();
    let mut decoder = codec::context::Context::from_parameters(stream.parameters())
        .and_then(|c| c.decoder().audio())
        .map_err(bad("cannot decode it"))?;
    let layout = match decoder.channel_layout() {
        l if l.is_empty() => ChannelLayout::default(i32::from(decoder.channels())),
        l => l,
    };
    let mono = format::Sample::F32(format::sample::Type::Packed);
    let mut resampler = software::resampling::Context::get(
        decoder.format(),
        layout,
        decoder.rate(),
        mono,
        ChannelLayout::MONO,
        RATE,
    )
    .map_err(bad("cannot resample it"))?;
    let max = (MAX_MUSIC_SECONDS * RATE) as usize;
    let mut out: Vec<f32> = Vec::new();
    let mut decoded = frame::Audio::empty();
    let take = |frame: &frame::Audio, out: &mut Vec<f32>| {
        let n = frame.samples();
        out.extend_from_slice(&frame.plane::<f32>(0)[..n]);
    };
    for (s, packet) in input.packets() {
        if s.index() != index {
            continue;
        }
        if cancel.is_cancelled() {
            return Err(Decode::Cancelled);
        }
        // A damaged packet is skipped, as players do.
        if decoder.send_packet(&packet).is_err() {
            continue;
        }
        while decoder.receive_frame(&mut decoded).is_ok() {
            if decoded.channel_layout().is_empty() {
                decoded.set_channel_layout(layout);
            }
            let room = decoded.samples() * 2 + 256;
            let mut converted = frame::Audio::new(mono, room, ChannelLayout::MONO);
            resampler
                .run(&decoded, &mut converted)
                .map_err(bad("cannot resample it"))?;
            take(&converted, &mut out);
        }
        if out.len() >= max {
            out.truncate(max);
            return Ok(out);
        }
    }
    let mut rest = frame::Audio::new(mono, 4096, ChannelLayout::MONO);
    if resampler.flush(&mut rest).is_ok() {
        take(&rest, &mut out);
    }
    out.truncate(max);
    Ok(out)
}
