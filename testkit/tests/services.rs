//! The throwaway servers start, answer, and are gone once dropped.

use std::net::TcpStream;
use std::process::Command;
use std::time::Instant;

use mockly_testkit::services::{Postgres, S3};

#[test]
fn postgres_answers_sql_and_goes_away() {
    if !Postgres::available() {
        eprintln!("skipped: PostgreSQL is not installed (.ci/setup installs it)");
        return;
    }
    let started = Instant::now();
    let pg = Postgres::start();
    eprintln!(
        "PostgreSQL started in {:?} at {}",
        started.elapsed(),
        pg.url
    );
    assert_eq!(
        pg.url,
        format!("postgres://mockly@127.0.0.1:{}/mockly", pg.port)
    );
    TcpStream::connect(("127.0.0.1", pg.port)).expect("PostgreSQL accepts TCP connections");

    let psql = |url: &str, sql: &str| {
        let out = Command::new(pg.bindir.join("psql"))
            .args([url, "-X", "-tA", "-v", "ON_ERROR_STOP=1", "-c", sql])
            .output()
            .expect("psql runs");
        assert!(
            out.status.success(),
            "psql: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    assert_eq!(psql(&pg.url, "SELECT 1"), "1");
    assert_eq!(psql(&pg.url, "SHOW max_connections"), "200");
    let other = pg.create_database("other");
    assert_eq!(psql(&other, "SELECT current_database()"), "other");

    let (port, dir) = (pg.port, pg.dir.clone());
    drop(pg);
    assert!(!dir.exists(), "{} is left behind", dir.display());
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "PostgreSQL still listens on {port}"
    );
}

#[test]
fn s3_has_the_bucket_and_goes_away() {
    if !S3::available() {
        eprintln!("skipped: moto is not installed (.ci/setup installs it)");
        return;
    }
    let started = Instant::now();
    let mut s3 = S3::start();
    eprintln!("moto started in {:?} at {}", started.elapsed(), s3.endpoint);
    assert_eq!(s3.endpoint, format!("http://127.0.0.1:{}", s3.port));
    assert_eq!(
        (s3.bucket.as_str(), s3.region.as_str()),
        ("mockly", "us-east-1")
    );

    let (status, body) = s3.http("GET", "/mockly", b"");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("<Name>mockly</Name>"), "{body}");
    assert_eq!(s3.http("PUT", "/mockly/a.txt", b"hello").0, 200);
    assert_eq!(
        s3.http("GET", "/mockly/a.txt", b""),
        (200, "hello".to_string())
    );
    assert_eq!(s3.http("GET", "/nope", b"").0, 404);

    s3.kill();
    assert!(
        TcpStream::connect(("127.0.0.1", s3.port)).is_err(),
        "moto still listens after kill()"
    );
    let dir = s3.dir.clone();
    drop(s3);
    assert!(!dir.exists(), "{} is left behind", dir.display());
}

/// A process that ends without dropping its servers (killed, or the servers
/// kept in a `static`) leaves neither running servers nor directories behind.
#[test]
fn servers_go_away_with_a_process_that_forgets_them() {
    if std::env::var_os("MOCKLY_SERVICES_FORGET").is_some() {
        let (pg, s3) = (Postgres::start(), S3::start());
        println!(
            "FORGOT {} {} {} {}",
            pg.port,
            pg.dir.display(),
            s3.port,
            s3.dir.display()
        );
        std::process::exit(0);
    }
    if !Postgres::available() || !S3::available() {
        eprintln!("skipped: PostgreSQL or moto is not installed (.ci/setup installs them)");
        return;
    }
    let out = Command::new(std::env::current_exe().expect("the test binary"))
        .args([
            "--exact",
            "servers_go_away_with_a_process_that_forgets_them",
        ])
        .args(["--nocapture", "--test-threads=1"])
        .env("MOCKLY_SERVICES_FORGET", "1")
        .output()
        .expect("the test binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.split_once("FORGOT ").map(|(_, rest)| rest))
        .unwrap_or_else(|| panic!("{stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    let parts: Vec<&str> = line.split(' ').collect();
    let gone = |port: &str, dir: &str| {
        TcpStream::connect(("127.0.0.1", port.parse::<u16>().unwrap())).is_err()
            && !std::path::Path::new(dir).exists()
    };
    let started = Instant::now();
    while !(gone(parts[0], parts[1]) && gone(parts[2], parts[3])) {
        assert!(started.elapsed().as_secs() < 10, "left behind: {line}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}
