//! The `mockly render` command as a user runs it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn mockly() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mockly"))
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../examples/{name}.json"))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mockly-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn renders_an_example_to_png() {
    let out = temp_dir("png").join("dm.png");
    let status = mockly()
        .args([
            "render",
            example("imessage-dm-light").to_str().unwrap(),
            "-o",
        ])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let img = image_size(&std::fs::read(&out).unwrap());
    assert_eq!(img.0, 780, "2x width");
    assert!(img.1 >= 1688, "at least one 2x screen tall");
}

#[test]
fn reads_standard_input_and_writes_standard_output() {
    let json = std::fs::read(example("imessage-transparent")).unwrap();
    let mut child = mockly()
        .args(["render", "-", "-o", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&json).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(&out.stdout[..8], b"\x89PNG\r\n\x1a\n");
}

#[test]
fn bad_payload_fails_with_the_field_path() {
    let dir = temp_dir("bad");
    let input = dir.join("bad.json");
    let mut doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(example("imessage-dm-light")).unwrap()).unwrap();
    doc["props"]["messages"][3]["userId"] = serde_json::json!("nobody");
    std::fs::write(&input, doc.to_string()).unwrap();
    let out_png = dir.join("out.png");
    std::fs::write(&out_png, b"previous picture").unwrap();

    let out = mockly()
        .args(["render", input.to_str().unwrap(), "-o"])
        .arg(&out_png)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Unknown user at props.messages.3.userId"),
        "stderr: {stderr}"
    );
    // A failed run leaves the previous output alone.
    assert_eq!(std::fs::read(&out_png).unwrap(), b"previous picture");
}

#[test]
fn missing_file_and_unknown_format_are_explained() {
    let out = mockly()
        .args(["render", "/no/such/file.json", "-o", "x.png"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /no/such/file.json"));

    let out = mockly()
        .args([
            "render",
            example("imessage-dm-light").to_str().unwrap(),
            "-o",
            "out.avi",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("use a .png, .mp4, .webm, .mov, .gif or .webp file name")
    );
}

fn image_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    let w = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(png[20..24].try_into().unwrap());
    (w, h)
}

#[test]
fn keys_are_created_listed_revoked_and_reported() {
    let dir = temp_dir("keys");
    let run = |args: &[&str]| {
        let out = mockly()
            .args(args)
            .arg("--data-dir")
            .arg(&dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let key = run(&["keys", "create", "--label", "ci bot"])
        .trim()
        .to_owned();
    assert!(key.starts_with("mk_live_") && key.len() == 40, "{key}");
    let prefix = &key[..12];
    let list = run(&["keys", "list"]);
    assert!(list.contains(prefix) && list.contains("ci bot"), "{list}");
    assert!(!list.contains(&key), "the key itself is never shown again");
    let usage = run(&["keys", "usage"]);
    assert!(usage.contains(prefix), "{usage}");
    run(&["keys", "revoke", prefix]);
    let again = mockly()
        .args(["keys", "revoke", prefix, "--data-dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(!again.status.success(), "already revoked");
}

#[test]
fn renders_a_video_offline_with_progress_lines() {
    let dir = temp_dir("video");
    let input = dir.join("video.json");
    let mut doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(example("imessage-dm-dark")).unwrap()).unwrap();
    doc["renderKind"] = serde_json::json!("video");
    doc["resolutionScale"] = serde_json::json!("1x");
    doc["props"]["messages"] = serde_json::json!(doc["props"]["messages"].as_array().unwrap()[..3]);
    std::fs::write(&input, doc.to_string()).unwrap();

    let mp4 = dir.join("chat.mp4");
    let out = mockly()
        .args(["render", input.to_str().unwrap(), "-o"])
        .arg(&mp4)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    // Not a terminal: plain progress lines, then a summary.
    assert!(stderr.contains("rendering: "), "{stderr}");
    assert!(stderr.contains("(100%)"), "{stderr}");
    assert!(stderr.contains("frames at 30 fps"), "{stderr}");
    let bytes = std::fs::read(&mp4).unwrap();
    assert_eq!(&bytes[4..8], b"ftyp");

    // The file name's extension picks the format, whatever the payload says.
    for (ext, magic) in [
        ("webm", &b"\x1a\x45\xdf\xa3"[..]),
        ("gif", b"GIF89a"),
        ("webp", b"RIFF"),
    ] {
        let path = dir.join(format!("chat.{ext}"));
        let out = mockly()
            .args(["render", input.to_str().unwrap(), "-o"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(&bytes[..magic.len()], magic, "{ext}");
    }
    // A transparent background in an MP4 is black, and the CLI says so.
    doc["props"]["transparentBackground"] = serde_json::json!(true);
    std::fs::write(&input, doc.to_string()).unwrap();
    let out = mockly()
        .args(["render", input.to_str().unwrap(), "-o"])
        .arg(dir.join("clear.mp4"))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("an MP4 has no alpha"));
}

#[test]
fn a_video_payload_to_standard_output_is_a_video() {
    let doc = mockly_testkit::Doc::new()
        .video()
        .text("you", "Hey")
        .text("me", "Hi")
        .set(
            "props.video",
            serde_json::json!({"startDelayMs": 100, "typingMs": 200, "endHoldMs": 200}),
        );
    let mut child = mockly()
        .args(["render", "-", "-o", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&doc.bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(&out.stdout[4..8], b"ftyp", "an MP4, not a PNG");
}

#[test]
fn input_larger_than_the_limit_is_refused_without_reading_it_all() {
    let mut child = mockly()
        .args(["render", "-", "-o", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // Write until the command stops reading: past its 32 MiB limit it gives up.
    let chunk = vec![b' '; 1 << 20];
    let mut written = 0usize;
    while stdin.write_all(&chunk).is_ok() && written < 64 << 20 {
        written += chunk.len();
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("larger than 32 MiB"), "{err}");
}
