//! Still renders: `render_png` of the 12-message example at 2x, and its stages.
//!
//! Goal (issue 2): `render_png/imessage-dm-light-2x` under 20 ms on the 2-core build
//! machine. The stage benches show where the time goes; `encode/tiny-skia-default`
//! is the baseline our fast PNG path is measured against in the same run.

use criterion::{Criterion, criterion_group, criterion_main};
use mockly_benches::example;
use mockly_engine::Engine;
use std::hint::black_box;

fn render(c: &mut Criterion) {
    let engine = Engine::new();
    let payload = example("imessage-dm-light");
    // Warm the glyph cache as a long-running server would have it.
    engine.render_png(&payload).unwrap();

    c.bench_function("render_png/imessage-dm-light-2x", |b| {
        b.iter(|| engine.render_png(black_box(&payload)).unwrap())
    });
    c.bench_function("scene/imessage-dm-light-2x", |b| {
        b.iter(|| engine.scene(black_box(&payload)).unwrap())
    });
    c.bench_function("render_pixels/imessage-dm-light-2x", |b| {
        b.iter(|| engine.render(black_box(&payload)).unwrap())
    });
    let pixmap = engine.render(&payload).unwrap().pixmap;
    c.bench_function("encode/tiny-skia-default", |b| {
        b.iter(|| black_box(&pixmap).encode_png().unwrap())
    });

    for name in [
        "imessage-group",
        "whatsapp-dm-light",
        "messenger-dm-light",
        "telegram-dm-light",
        "discord-dm-light",
        "signal-dm-light",
        "wechat-dm-light",
        "line-dm-light",
        "x-dm-light",
        "tinder-dm-light",
        "tiktok-dm-light",
        "snapchat-dm-light",
        "teams-dm-light",
        "reddit-dm-light",
        "slack-dm-light",
    ] {
        let other = example(name);
        engine.render_png(&other).unwrap();
        c.bench_function(&format!("render_png/{name}-2x"), |b| {
            b.iter(|| engine.render_png(black_box(&other)).unwrap())
        });
    }
    c.bench_function("parse/imessage-dm-light", |b| {
        let json = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/imessage-dm-light.json"
        ))
        .unwrap();
        b.iter(|| mockly_engine::Payload::from_json(black_box(&json)).unwrap())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(40);
    targets = render
}
criterion_main!(benches);
