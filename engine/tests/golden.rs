//! Every payload under `examples/` renders to the reference picture beside this file
//! in `ref/` (within a small tolerance).
//!
//! After an intended change in drawing, regenerate the references with
//! `MOCKLY_BLESS=1 cargo test -p mockly-engine --test golden`, then look at every
//! changed picture before committing it. A failing comparison writes the actual
//! render and a difference map to `target/golden-failures/`.

use std::path::{Path, PathBuf};

use mockly_engine::{Engine, Payload};

/// A pixel differs when any channel moves by more than this.
const CHANNEL_TOLERANCE: u8 = 24;
/// Share of pixels allowed to differ (anti-aliasing noise across CPUs).
const MAX_DIFFERENT_SHARE: f64 = 0.002;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn examples() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .expect("examples/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn examples_match_their_reference_pictures() {
    let engine = Engine::new();
    let bless = std::env::var_os("MOCKLY_BLESS").is_some();
    let ref_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ref");
    let fail_dir = root().join("target/golden-failures");
    let mut failures = Vec::new();
    let files = examples();
    assert!(files.len() >= 8, "expected at least 8 examples");

    for file in files {
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        let json = std::fs::read(&file).unwrap();
        let payload = Payload::from_json(&json)
            .unwrap_or_else(|e| panic!("{name}: example must be valid: {e}"));
        let actual = engine
            .render_png(&payload)
            .unwrap_or_else(|e| panic!("{name}: render failed: {e}"));
        let reference = ref_dir.join(format!("{name}.png"));
        if bless {
            std::fs::create_dir_all(&ref_dir).unwrap();
            std::fs::write(&reference, &actual.png).unwrap();
            continue;
        }
        let expected = match std::fs::read(&reference) {
            Ok(b) => image::load_from_memory(&b).unwrap().to_rgba8(),
            Err(_) => {
                failures.push(format!(
                    "{name}: no reference picture (run with MOCKLY_BLESS=1)"
                ));
                continue;
            }
        };
        let got = image::load_from_memory(&actual.png).unwrap().to_rgba8();
        if got.dimensions() != expected.dimensions() {
            failures.push(format!(
                "{name}: size {:?}, reference {:?}",
                got.dimensions(),
                expected.dimensions()
            ));
            save_failure(&fail_dir, &name, &got, None);
            continue;
        }
        let mut diff = image::RgbaImage::new(got.width(), got.height());
        let mut different = 0usize;
        for (x, y, g) in got.enumerate_pixels() {
            let e = expected.get_pixel(x, y);
            let worst = (0..4).map(|c| g.0[c].abs_diff(e.0[c])).max().unwrap_or(0);
            if worst > CHANNEL_TOLERANCE {
                different += 1;
                diff.put_pixel(x, y, image::Rgba([255, 0, 0, 255]));
            }
        }
        let share = different as f64 / (got.width() * got.height()) as f64;
        if share > MAX_DIFFERENT_SHARE {
            failures.push(format!(
                "{name}: {different} pixels differ ({:.3}%)",
                share * 100.0
            ));
            save_failure(&fail_dir, &name, &got, Some(&diff));
        }
    }
    assert!(
        failures.is_empty(),
        "golden images differ:\n{}",
        failures.join("\n")
    );
}

fn save_failure(dir: &Path, name: &str, got: &image::RgbaImage, diff: Option<&image::RgbaImage>) {
    std::fs::create_dir_all(dir).unwrap();
    got.save(dir.join(format!("{name}.actual.png"))).unwrap();
    if let Some(d) = diff {
        d.save(dir.join(format!("{name}.diff.png"))).unwrap();
    }
}

#[test]
fn the_same_payload_renders_the_same_bytes() {
    let engine = Engine::new();
    let json = std::fs::read(root().join("examples/imessage-group.json")).unwrap();
    let payload = Payload::from_json(&json).unwrap();
    let a = engine.render_png(&payload).unwrap().png;
    let b = engine.render_png(&payload).unwrap().png;
    assert_eq!(a, b);
    // A second engine (fresh fonts, fresh caches) agrees too.
    let c = Engine::new().render_png(&payload).unwrap().png;
    assert_eq!(a, c);
}
