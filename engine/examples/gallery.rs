//! The README's pictures: every payload under `examples/` rendered at its own
//! resolution into `docs/gallery/<name>.png` (optimised).
//!
//! ```sh
//! cargo run --release -p mockly-engine --example gallery            # write
//! cargo run --release -p mockly-engine --example gallery -- --check # compare only
//! ```
//!
//! The regression references of the test suite are elsewhere (`engine/tests/ref/`,
//! at 1x); this is what people see.

use std::path::PathBuf;

use mockly_engine::{Engine, Payload};
use mockly_testkit::golden::{Tolerance, compare, small_png};

fn main() {
    let check = std::env::args().any(|a| a == "--check");
    let root = mockly_testkit::root();
    let gallery = root.join("docs/gallery");
    std::fs::create_dir_all(&gallery).expect("docs/gallery can be made");
    let mut examples: Vec<PathBuf> = std::fs::read_dir(root.join("examples"))
        .expect("examples/ exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    examples.sort();
    let engine = Engine::new();
    let mut failures = 0;
    for path in examples {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let payload = Payload::from_json(&std::fs::read(&path).unwrap())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let image = engine
            .render_png(&payload)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let actual = image::load_from_memory(&image.png).unwrap().to_rgba8();
        let target = gallery.join(format!("{name}.png"));
        if check {
            let outcome = std::fs::read(&target)
                .map_err(|e| format!("{name}: {e}"))
                .and_then(|b| {
                    let expected = image::load_from_memory(&b).unwrap().to_rgba8();
                    compare(
                        &format!("gallery-{name}"),
                        &expected,
                        &actual,
                        Tolerance::ANTIALIAS,
                    )
                });
            match outcome {
                Ok(()) => println!("same     {name}"),
                Err(e) => {
                    failures += 1;
                    println!("DIFFERS  {e}");
                }
            }
        } else {
            let bytes = small_png(&actual);
            std::fs::write(&target, &bytes).unwrap();
            println!("wrote    {} ({} KB)", target.display(), bytes.len() / 1024);
        }
    }
    if failures > 0 {
        eprintln!("{failures} pictures differ from docs/gallery/");
        std::process::exit(1);
    }
}
