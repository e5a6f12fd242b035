//! A voice note's waveform, as every platform draws it: rounded bars under an
//! arch, their heights varied by a generator seeded with the message's id, so the
//! same message always shows the same wave (and a video's frames agree).

use crate::scene::{Color, Item, Rect, Shape};
use crate::skin::fnv;

/// The shape of a platform's waveform, in points.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Waveform {
    pub bars: usize,
    /// From one bar's left edge to the next.
    pub pitch: f32,
    pub bar_width: f32,
    /// The tallest a bar grows above the 3-point floor.
    pub depth: f32,
}

impl Waveform {
    /// The bars from `x`, centred on `cy`.
    pub fn draw(&self, id: &str, x: f32, cy: f32, color: Color) -> impl Iterator<Item = Item> {
        let Waveform {
            bars,
            pitch,
            bar_width,
            depth,
        } = *self;
        let mut seed = fnv(id.as_bytes());
        (0..bars).map(move |i| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let noise = ((seed >> 33) % 1000) as f32 / 1000.0;
            let envelope = (i as f32 / bars as f32 * std::f32::consts::PI).sin();
            let h = 3.0 + (noise * 0.6 + 0.4) * envelope * depth;
            let bar = Rect::new(x + i as f32 * pitch, cy - h / 2.0, bar_width, h);
            Item::fill(Shape::RoundRect(bar, bar_width / 2.0), color)
        })
    }

    /// From the first bar's left edge to the last one's right edge.
    pub fn width(&self) -> f32 {
        self.bars as f32 * self.pitch
    }
}
