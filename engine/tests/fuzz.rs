//! Random payloads through parse → validate → layout → raster → encode (and the
//! video timeline): no panic, every refusal a clear message naming a field, every
//! picture a decodable PNG of the size reported.
//!
//! `cargo test` runs a few dozen cases; for a long run:
//! `PROPTEST_CASES=5000 cargo test --release -p mockly-engine --features video --test fuzz`.

use std::sync::OnceLock;

use mockly_engine::{Engine, Payload};
use proptest::prelude::*;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(Engine::new)
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_payload_renders_or_is_refused_clearly(doc in mockly_testkit::fuzz::payload()) {
        let bytes = serde_json::to_vec(&doc).unwrap();
        let payload = match Payload::from_json(&bytes) {
            Ok(p) => p,
            Err(e) => {
                prop_assert!(e.message.contains(" at "), "no field named: {}", e.message);
                prop_assert!(e.message.len() < 1000, "{} bytes", e.message.len());
                return Ok(());
            }
        };
        let engine = engine();
        if payload.export().render_kind == mockly_engine::payload::RenderKind::Video {
            match engine.timeline(&payload) {
                Ok((timeline, _)) => {
                    let (w, h) = timeline.pixel_size();
                    for t in [0.0, timeline.duration_ms / 2.0, timeline.duration_ms - 1.0] {
                        let pixmap = engine.paint(&timeline.scene_at(t)).unwrap();
                        prop_assert_eq!((pixmap.width(), pixmap.height()), (w, h));
                    }
                }
                Err(e) => prop_assert!(e.is_client_error() && e.path().is_some(), "{e}"),
            }
            return Ok(());
        }
        match engine.render_png(&payload) {
            Ok(image) => {
                let decoded = image::load_from_memory(&image.png).unwrap();
                prop_assert_eq!((decoded.width(), decoded.height()), (image.width, image.height));
            }
            Err(e) => {
                prop_assert!(e.is_client_error(), "not the client's fault: {e}");
                prop_assert!(!e.to_string().is_empty());
            }
        }
    }
}

/// The generator is worth its cases only if many of its payloads get past
/// validation to layout and painting.
#[test]
fn most_generated_payloads_reach_the_renderer() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let strategy = mockly_testkit::fuzz::payload();
    let accepted = (0..200)
        .filter(|_| {
            let doc = strategy.new_tree(&mut runner).unwrap().current();
            Payload::from_json(&serde_json::to_vec(&doc).unwrap()).is_ok()
        })
        .count();
    assert!(accepted >= 60, "only {accepted} of 200 are valid");
}
