//! Generates one golden-picture test per payload under `examples/` (see
//! `tests/golden.rs`): a new example is a new test, with no code to write.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it");
    let examples = Path::new(&manifest).join("../examples");
    println!("cargo:rerun-if-changed={}", examples.display());
    let mut names: Vec<String> = std::fs::read_dir(&examples)
        .map(|dir| {
            dir.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
                .collect()
        })
        // Outside the repository (a published crate) there are no examples.
        .unwrap_or_default();
    names.sort();
    let mut cases = String::new();
    for name in &names {
        let function: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        writeln!(
            cases,
            "#[test]\nfn {function}() {{\n    check_example({name:?});\n}}"
        )
        .expect("writing to a string");
    }
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets it")).join("golden_cases.rs");
    std::fs::write(out, cases).expect("OUT_DIR is writable");
}
