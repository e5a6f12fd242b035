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

/// The demuxers a music bed may be read by: audio files and the containers that
/// carry audio (MP4/M4A, Matroska/WebM, Ogg), nothing that refers to other files.
const AUDIO_FORMATS: &str = "mp3,aac,mov,ogg,flac,wav,matroska,webm,aiff,caf,amr,w64";

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
    // The bytes are the client's: only audio containers are read, and only this
    // file (no playlists or manifests naming other files or URLs).
    let mut options = ffmpeg::Dictionary::new();
    options.set("format_whitelist", AUDIO_FORMATS);
    options.set("protocol_whitelist", "file");
    let mut input = format::input_with_dictionary(path, options)
        .map_err(bad("not an audio file FFmpeg reads"))?;
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
    // Room for every sample a frame turns into at 48 kHz (6× at 8 kHz), and what
    // the resampler held back from the frame before.
    let in_rate = u64::from(decoder.rate().max(1));
    let room_for =
        |samples: usize| (samples as u64 * u64::from(RATE)).div_ceil(in_rate) as usize + 1024;
    let mut convert = |decoded: &mut frame::Audio, out: &mut Vec<f32>| -> Result<(), Decode> {
        if decoded.channel_layout().is_empty() {
            decoded.set_channel_layout(layout);
        }
        let mut converted =
            frame::Audio::new(mono, room_for(decoded.samples()), ChannelLayout::MONO);
        resampler
            .run(decoded, &mut converted)
            .map_err(bad("cannot resample it"))?;
        take(&converted, out);
        Ok(())
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
            convert(&mut decoded, &mut out)?;
        }
        if out.len() >= max {
            out.truncate(max);
            return Ok(out);
        }
    }
    // What the decoder still holds, then what the resampler does.
    if decoder.send_eof().is_ok() {
        while decoder.receive_frame(&mut decoded).is_ok() {
            convert(&mut decoded, &mut out)?;
        }
    }
    loop {
        let mut rest = frame::Audio::new(mono, 4096, ChannelLayout::MONO);
        match resampler.flush(&mut rest) {
            Ok(_) if rest.samples() > 0 => take(&rest, &mut out),
            _ => break,
        }
        if out.len() >= max {
            break;
        }
    }
    out.truncate(max);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A mono 16-bit WAV of a sine at `rate` samples a second.
    fn wav(rate: u32, seconds: u32) -> Vec<u8> {
        let n = rate * seconds;
        let mut w = Vec::new();
        w.extend_from_slice(b"RIFF");
        w.extend_from_slice(&(36 + n * 2).to_le_bytes());
        w.extend_from_slice(b"WAVEfmt ");
        w.extend_from_slice(&16u32.to_le_bytes());
        for v in [1u16, 1] {
            w.extend_from_slice(&v.to_le_bytes());
        }
        w.extend_from_slice(&rate.to_le_bytes());
        w.extend_from_slice(&(rate * 2).to_le_bytes());
        for v in [2u16, 16] {
            w.extend_from_slice(&v.to_le_bytes());
        }
        w.extend_from_slice(b"data");
        w.extend_from_slice(&(n * 2).to_le_bytes());
        for i in 0..n {
            let v = (f64::from(i) * 440.0 * std::f64::consts::TAU / f64::from(rate)).sin();
            w.extend_from_slice(&((v * 16_000.0) as i16).to_le_bytes());
        }
        w
    }

    #[test]
    fn music_at_any_rate_keeps_its_length() {
        let dir = std::env::temp_dir().join(format!("mockly-music-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for rate in [8_000, 22_050, 44_100, 48_000] {
            let path = dir.join(format!("{rate}.wav"));
            std::fs::write(&path, wav(rate, 3)).unwrap();
            let Ok(samples) = decode(&path, &Cancel::new()) else {
                panic!("{rate} Hz did not decode");
            };
            let seconds = samples.len() as f64 / f64::from(RATE);
            assert!((seconds - 3.0).abs() < 0.01, "{rate} Hz: {seconds} s");
        }
        // A playlist naming another file is not read.
        let list = dir.join("list.partial");
        std::fs::write(&list, "ffconcat version 1.0\nfile '44100.wav'\n").unwrap();
        assert!(decode(&list, &Cancel::new()).is_err());
        let _ = std::fs::remove_dir_all(dir);
    }
}
