//! The sound of a chat video: a send sound on the frame each own message appears,
//! a receive sound on each incoming one, soft ticks while the owner types, and an
//! optional music bed ducked under them. Every sound is synthesised here (sines
//! with pitch glides, decays and a little shaped noise) — our own, never samples of
//! the apps — with each platform's own character: a few numbers per platform.
//!
//! The mix is made a block at a time as the video's frames are encoded, so memory
//! does not grow with the video's length (the music bed, when there is one, is held
//! decoded, bounded by `music::MAX_MUSIC_SECONDS`).

use crate::payload::Platform;
use crate::timeline::Timing;

/// Samples per second of every video's audio (mono).
pub(crate) const RATE: u32 = 48_000;

/// One note: a sine (with a few partials) gliding from `hz` to `hz * glide`,
/// rising in `attack` seconds and decaying with time constant `decay`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Note {
    /// Start, seconds after the cue.
    at: f32,
    hz: f32,
    glide: f32,
    attack: f32,
    decay: f32,
    /// Amplitude of the second and third harmonics (brightness).
    bright: f32,
    /// Amount of noise under the note (breath, a swoosh).
    noise: f32,
    gain: f32,
}

impl Note {
    const fn new(at: f32, hz: f32, glide: f32, decay: f32) -> Note {
        Note {
            at,
            hz,
            glide,
            attack: 0.004,
            decay,
            bright: 0.2,
            noise: 0.0,
            gain: 1.0,
        }
    }

    const fn bright(mut self, b: f32) -> Note {
        self.bright = b;
        self
    }

    const fn noisy(mut self, n: f32) -> Note {
        self.noise = n;
        self
    }

    const fn gain(mut self, g: f32) -> Note {
        self.gain = g;
        self
    }

    /// Seconds until it has faded below −60 dB.
    fn length(&self) -> f32 {
        self.at + self.attack + self.decay * 6.9
    }

    /// The note's value `t` seconds after the cue (`noise`: a value in −1..1).
    fn at_time(&self, t: f32, noise: f32) -> f32 {
        let t = t - self.at;
        if t < 0.0 {
            return 0.0;
        }
        let rise = (t / self.attack).min(1.0);
        let env = rise * (-t / self.decay).exp();
        // Exponential glide over the first 80 ms; the phase is the integral of the
        // frequency, so the glide has no clicks.
        let glide_time = 0.08f32;
        let k = self.glide.ln() / glide_time;
        let phase = if k.abs() < 1e-6 {
            self.hz * t
        } else if t < glide_time {
            self.hz * ((k * t).exp() - 1.0) / k
        } else {
            self.hz * ((k * glide_time).exp() - 1.0) / k + self.hz * self.glide * (t - glide_time)
        };
        let w = std::f32::consts::TAU * phase;
        let tone = w.sin() + self.bright * ((2.0 * w).sin() * 0.6 + (3.0 * w).sin() * 0.4);
        self.gain * env * (tone * (1.0 - self.noise) + noise * self.noise)
    }
}

/// A platform's sounds: up to three notes for sending and for receiving (a family
/// of shapes, transposed by `pitch` and brightened by `bright`, so no two platforms
/// sound alike), and the pitch of its typing tick.
#[derive(Debug, Clone, Copy)]
struct Voice {
    send: &'static [Note],
    receive: &'static [Note],
    tick_hz: f32,
    pitch: f32,
    bright: f32,
}

impl Voice {
    /// A family's notes in this platform's key and colour.
    fn notes(&self, family: &[Note]) -> Vec<Note> {
        family
            .iter()
            .map(|n| Note {
                hz: n.hz * self.pitch,
                bright: (n.bright + self.bright).min(0.8),
                ..*n
            })
            .collect()
    }
}

/// Each platform's character, in broad strokes: bright quick swooshes for the
/// Apple-style apps, soft pops for WhatsApp and Signal, rounder chimes for the
/// social apps, woodier knocks for the work apps; platforms of one family differ in
/// key and brightness.
fn voice(platform: Platform) -> Voice {
    use Platform::*;
    const SWOOSH: &[Note] = &[Note::new(0.0, 520.0, 2.1, 0.045).noisy(0.35).bright(0.1)];
    const TRITONE: &[Note] = &[
        Note::new(0.0, 1175.0, 1.0, 0.07).bright(0.05),
        Note::new(0.075, 1480.0, 1.0, 0.07).bright(0.05),
        Note::new(0.15, 1760.0, 1.0, 0.12).bright(0.05),
    ];
    const POP: &[Note] = &[Note::new(0.0, 900.0, 0.55, 0.035).bright(0.3)];
    const BLIP: &[Note] = &[
        Note::new(0.0, 780.0, 1.0, 0.05).bright(0.15),
        Note::new(0.06, 1040.0, 1.0, 0.09).bright(0.15),
    ];
    const FLICK: &[Note] = &[Note::new(0.0, 1400.0, 1.5, 0.03).noisy(0.2).bright(0.1)];
    const CHIME: &[Note] = &[
        Note::new(0.0, 1318.0, 1.0, 0.16).bright(0.35),
        Note::new(0.0, 1976.0, 1.0, 0.11).bright(0.1).gain(0.4),
    ];
    const KNOCK: &[Note] = &[Note::new(0.0, 330.0, 0.8, 0.03).bright(0.5).noisy(0.15)];
    const MARIMBA: &[Note] = &[
        Note::new(0.0, 660.0, 1.0, 0.09).bright(0.45),
        Note::new(0.09, 880.0, 1.0, 0.14).bright(0.45),
    ];
    const BUBBLE: &[Note] = &[Note::new(0.0, 600.0, 1.8, 0.05).bright(0.05)];
    const DROP: &[Note] = &[
        Note::new(0.0, 1568.0, 0.75, 0.08).bright(0.1),
        Note::new(0.07, 1175.0, 1.0, 0.12).bright(0.1).gain(0.7),
    ];
    const SPARK: &[Note] = &[
        Note::new(0.0, 1047.0, 1.0, 0.05).bright(0.25),
        Note::new(0.05, 1568.0, 1.0, 0.05).bright(0.25),
        Note::new(0.1, 2093.0, 1.0, 0.1).bright(0.25),
    ];
    // (send, receive, tick Hz, pitch, brightness)
    let (send, receive, tick_hz, pitch, bright) = match platform {
        Imessage => (SWOOSH, TRITONE, 2600.0, 1.0, 0.0),
        Whatsapp => (POP, BLIP, 2200.0, 1.0, 0.0),
        Signal => (POP, DROP, 2300.0, 1.12, 0.05),
        Messenger => (BUBBLE, CHIME, 2400.0, 1.0, 0.0),
        Instagram => (BUBBLE, CHIME, 2500.0, 1.19, 0.1),
        Telegram => (FLICK, DROP, 2500.0, 1.0, 0.0),
        Snapchat => (BUBBLE, SPARK, 2800.0, 1.06, 0.0),
        Tiktok => (BUBBLE, SPARK, 2900.0, 0.89, 0.15),
        Tinder => (BUBBLE, SPARK, 3000.0, 1.26, 0.05),
        Wechat => (POP, CHIME, 2100.0, 0.94, 0.0),
        Line => (POP, CHIME, 2200.0, 1.12, 0.1),
        X => (FLICK, BLIP, 2700.0, 1.0, 0.0),
        Reddit => (FLICK, BLIP, 2600.0, 0.84, 0.2),
        Discord => (KNOCK, BLIP, 1900.0, 1.0, 0.0),
        Slack => (KNOCK, MARIMBA, 1800.0, 1.0, 0.0),
        MicrosoftTeams => (KNOCK, MARIMBA, 1700.0, 0.89, 0.1),
    };
    Voice {
        send,
        receive,
        tick_hz,
        pitch,
        bright,
    }
}

/// The typing tick: a tiny filtered click.
fn tick(hz: f32) -> [Note; 1] {
    [Note::new(0.0, hz, 0.7, 0.006).noisy(0.6).gain(0.22)]
}

/// One sound in the video.
#[derive(Debug, Clone)]
struct Cue {
    /// First sample.
    start: u64,
    /// Samples long.
    len: u64,
    notes: Vec<Note>,
    gain: f32,
    /// Whether the music ducks under it.
    ducks: bool,
}

/// How far apart typing ticks fall.
const TICK_EVERY_S: f64 = 0.085;

/// The sounds of a video, from its timing.
fn cues(platform: Platform, timing: &Timing) -> Vec<Cue> {
    let v = voice(platform);
    let sample = |ms: f64| (ms * f64::from(RATE) / 1000.0).round().max(0.0) as u64;
    let cue = |at_ms: f64, notes: &[Note], gain: f32, ducks: bool| {
        let len = notes.iter().map(Note::length).fold(0.0, f32::max);
        Cue {
            start: sample(at_ms),
            len: (len * RATE as f32).ceil() as u64,
            notes: notes.to_vec(),
            gain,
            ducks,
        }
    };
    let mut out = Vec::new();
    for m in &timing.messages {
        if m.kind == crate::payload::MessageType::System {
            continue;
        }
        let notes = v.notes(if m.outgoing { v.send } else { v.receive });
        // On the first frame that shows the message, not up to a frame before it.
        let frame_ms = m.frame as f64 * 1000.0 / f64::from(timing.fps);
        out.push(cue(frame_ms, &notes, 0.5, true));
    }
    for span in timing.typing.iter().filter(|s| s.place == "composer") {
        let mut t = span.start_ms;
        let mut n = 0u32;
        while t < span.end_ms {
            // A slightly different click each time, as keys are.
            let wobble = 1.0 + 0.06 * (((n * 7919) % 13) as f32 / 6.0 - 1.0);
            out.push(cue(t, &tick(v.tick_hz * wobble), 0.5, false));
            t += TICK_EVERY_S * 1000.0;
            n += 1;
        }
    }
    out.sort_by_key(|c| c.start);
    out
}

/// The music ducks for this many samples from a cue's start (its loud part).
const DUCK_FOR: u64 = RATE as u64 / 4;

/// A music bed: mono samples at [`RATE`], looped under the video.
#[derive(Debug, Clone)]
pub(crate) struct Music {
    pub samples: Vec<f32>,
    pub volume: f32,
}

/// Mixes the video's audio, a block at a time.
#[derive(Debug)]
pub(crate) struct Mixer {
    cues: Vec<Cue>,
    /// The first cue that has not ended yet (cues are sorted by start).
    first_live: usize,
    /// Samples made so far.
    pos: u64,
    total: u64,
    music: Option<Music>,
    duck: f32,
    /// A small deterministic noise source (xorshift).
    seed: u32,
}

impl Mixer {
    /// The mix of the cues (when `cues`) and the music (when there is one).
    pub(crate) fn new(
        platform: Platform,
        timing: &Timing,
        cues_on: bool,
        music: Option<Music>,
    ) -> Mixer {
        Mixer {
            cues: if cues_on {
                cues(platform, timing)
            } else {
                Vec::new()
            },
            first_live: 0,
            pos: 0,
            // As long as the video's frames, to the sample.
            total: timing.frames * u64::from(RATE) / u64::from(timing.fps),
            music,
            duck: 1.0,
            seed: 0x9E37_79B9,
        }
    }

    /// Samples in the whole video.
    pub(crate) fn total(&self) -> u64 {
        self.total
    }

    /// Samples made so far.
    pub(crate) fn position(&self) -> u64 {
        self.pos
    }

    /// Appends the next `n` samples (never past the end) to `out`.
    pub(crate) fn fill(&mut self, n: u64, out: &mut Vec<f32>) {
        let end = (self.pos + n).min(self.total);
        while self.first_live < self.cues.len() {
            let c = &self.cues[self.first_live];
            if c.start + c.len <= self.pos {
                self.first_live += 1;
            } else {
                break;
            }
        }
        for s in self.pos..end {
            self.seed ^= self.seed << 13;
            self.seed ^= self.seed >> 17;
            self.seed ^= self.seed << 5;
            let noise = self.seed as f32 / u32::MAX as f32 * 2.0 - 1.0;
            let mut v = 0.0f32;
            let mut ducking = false;
            for c in &self.cues[self.first_live..] {
                if c.start > s {
                    break;
                }
                if s >= c.start + c.len {
                    continue;
                }
                let t = (s - c.start) as f32 / RATE as f32;
                ducking |= c.ducks && s < c.start + DUCK_FOR;
                v += c.gain * c.notes.iter().map(|n| n.at_time(t, noise)).sum::<f32>();
            }
            if let Some(m) = &self.music {
                // Down to a third under a cue in 15 ms, back up over 300 ms.
                // (One-pole smoothing: a coefficient of 1/(seconds × rate).)
                let (target, coef) = if ducking {
                    (0.33, 1.0 / (0.015 * RATE as f32))
                } else {
                    (1.0, 1.0 / (0.3 * RATE as f32))
                };
                self.duck += (target - self.duck) * coef;
                let i = (s % m.samples.len().max(1) as u64) as usize;
                v += m.samples.get(i).copied().unwrap_or(0.0) * m.volume * self.duck;
            }
            out.push(v.clamp(-1.0, 1.0));
        }
        self.pos = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::{Appearance, Span, TypingSpan};

    fn timing() -> Timing {
        let m = |at_ms: f64, outgoing: bool| Appearance {
            index: 0,
            id: "1".into(),
            user_id: "u".into(),
            outgoing,
            kind: crate::payload::MessageType::Text,
            at_ms,
            frame: (at_ms * 30.0 / 1000.0).ceil() as u64,
            caption: String::new(),
        };
        Timing {
            duration_ms: 4000.0,
            fps: 30,
            frames: 120,
            messages: vec![m(500.0, false), m(2800.0, true)],
            typing: vec![TypingSpan {
                user_id: "me".into(),
                place: "composer",
                start_ms: 2200.0,
                end_ms: 2700.0,
            }],
            hold: Span {
                start_ms: 2800.0,
                end_ms: 4000.0,
            },
        }
    }

    fn rms(s: &[f32]) -> f32 {
        (s.iter().map(|v| v * v).sum::<f32>() / s.len() as f32).sqrt()
    }

    #[test]
    fn sound_where_the_cues_are_and_silence_elsewhere() {
        for platform in [Platform::Imessage, Platform::Whatsapp, Platform::Slack] {
            let mut mixer = Mixer::new(platform, &timing(), true, None);
            let mut out = Vec::new();
            // Made in uneven blocks: the same as in one go.
            while mixer.position() < mixer.total() {
                mixer.fill(1001, &mut out);
            }
            assert_eq!(out.len(), 192_000);
            let at = |ms: usize| ms * 48;
            assert!(rms(&out[at(500)..at(600)]) > 0.05, "{platform:?} receive");
            assert!(rms(&out[at(2800)..at(2900)]) > 0.05, "{platform:?} send");
            assert!(rms(&out[at(2200)..at(2700)]) > 0.002, "{platform:?} ticks");
            // Quiet: under −60 dBFS.
            assert!(rms(&out[at(1800)..at(2150)]) < 1e-3, "{platform:?} quiet");
            assert!(rms(&out[at(3600)..]) < 1e-3, "{platform:?} quiet hold");
            assert!(out.iter().all(|v| v.abs() <= 1.0));
        }
    }

    #[test]
    fn platforms_sound_different() {
        let render = |p| {
            let mut m = Mixer::new(p, &timing(), true, None);
            let mut out = Vec::new();
            m.fill(m.total(), &mut out);
            out
        };
        let all = Platform::ALL;
        let sounds: Vec<Vec<f32>> = all.iter().map(|&p| render(p)).collect();
        for i in 0..all.len() {
            for j in i + 1..all.len() {
                assert_ne!(sounds[i], sounds[j], "{:?} and {:?}", all[i], all[j]);
            }
        }
        assert_eq!(render(all[4]), sounds[4], "the same every time");
    }

    #[test]
    fn music_ducks_under_a_cue() {
        let music = Music {
            samples: (0..4800).map(|i| (i as f32 * 0.05).sin()).collect(),
            volume: 0.5,
        };
        let mut t = timing();
        t.typing.clear();
        let mut m = Mixer::new(Platform::Imessage, &t, true, Some(music));
        let mut out = Vec::new();
        m.fill(m.total(), &mut out);
        let at = |ms: usize| ms * 48;
        let free = rms(&out[at(1500)..at(1900)]);
        assert!(free > 0.25, "music plays: {free}");
        // Under the send sound at 2.8 s, the music alone would be as loud as
        // `free`; the mix minus the cue shows what is left of it.
        let mut alone = Mixer::new(Platform::Imessage, &t, true, None);
        let mut cue = Vec::new();
        alone.fill(alone.total(), &mut cue);
        let under: Vec<f32> = out[at(2830)..at(2880)]
            .iter()
            .zip(&cue[at(2830)..at(2880)])
            .map(|(a, b)| a - b)
            .collect();
        assert!(
            rms(&under) < free * 0.5,
            "ducked: {} vs {free}",
            rms(&under)
        );
        assert!(rms(&out[at(3700)..at(3900)]) > 0.25, "and comes back");
    }
}
