//! The store's domain operations, the same checks on both backends: SQLite in a
//! temporary directory and a real PostgreSQL (started here; skipped when it is not
//! installed, except under `CI=true`).

use std::future::Future;
use std::sync::OnceLock;

use mockly_server::config::Config;
use mockly_server::store::{
    Claim, Finished, Interrupted, NewImage, NewJob, QueueLimits, QueueRoom, RateHit, Status, Store,
};
use mockly_testkit::services::Postgres;

/// One PostgreSQL server for this file's tests, each test on its own database.
fn postgres() -> Option<&'static Postgres> {
    static SERVER: OnceLock<Option<Postgres>> = OnceLock::new();
    SERVER
        .get_or_init(|| {
            if Postgres::available() {
                return Some(Postgres::start());
            }
            assert!(
                std::env::var("CI").is_err(),
                "PostgreSQL missing: run .ci/setup"
            );
            eprintln!("PostgreSQL not installed: SQLite only");
            None
        })
        .as_ref()
}

/// Runs `check` on a fresh store of each backend.
fn on_each_backend<F, Fut>(name: &str, check: F)
where
    F: Fn(Store, &'static str) -> Fut,
    Fut: Future<Output = ()>,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = std::env::temp_dir().join(format!("mockly-store-{}", uuid::Uuid::new_v4()));
    let sqlite = Config {
        data_dir: dir.clone(),
        ..Config::default()
    };
    runtime.block_on(async { check(Store::open(&sqlite).await.unwrap(), "sqlite").await });
    let _ = std::fs::remove_dir_all(dir);
    if let Some(pg) = postgres() {
        let postgres = Config {
            database_url: pg.create_database(name),
            ..Config::default()
        };
        runtime.block_on(async { check(Store::open(&postgres).await.unwrap(), "postgres").await });
    }
}

fn image(id: &str, key_id: i64, size: i64, month: &str) -> NewImage {
    NewImage {
        id: id.to_owned(),
        key_id,
        file: format!("{id}.png"),
        size,
        width: 10,
        height: 10,
        now: 5,
        month: month.to_owned(),
        counted: false,
    }
}

fn job(id: &str, key_id: i64, now: i64) -> NewJob {
    NewJob {
        id: id.to_owned(),
        key_id,
        format: "mp4".to_owned(),
        payload: b"{}".to_vec(),
        now,
        usage_month: None,
    }
}

const ROOMY: QueueLimits = QueueLimits {
    capacity: 100,
    per_key: 100,
};

fn claim(now: i64, per_key: i64) -> Claim {
    Claim {
        now,
        node: "n1".to_owned(),
        per_key,
        lease_secs: 30,
    }
}

fn finished(file: &str, size: i64, now: i64) -> Finished {
    Finished {
        file: file.to_owned(),
        size,
        extras: Vec::new(),
        width: 2,
        height: 2,
        now,
        month: "2024-05".to_owned(),
    }
}

#[test]
fn stored_bytes_follow_every_completed_export() {
    on_each_backend("stored_bytes", |s, backend| async move {
        let k = s.insert_key("mk_live_cd", b"h2", "t", 1).await.unwrap();
        assert_eq!(s.stored_bytes().await.unwrap(), 0, "{backend}");
        s.record_image(image("i1", k, 1000, "2024-05"))
            .await
            .unwrap();
        s.record_image(image("i2", k, 250, "2024-05"))
            .await
            .unwrap();
        s.enqueue_job(job("v1", k, 7), ROOMY).await.unwrap();
        assert_eq!(
            s.stored_bytes().await.unwrap(),
            1250,
            "{backend}: queued jobs store nothing"
        );
        let j = s.claim_job(claim(8, 10)).await.unwrap().unwrap();
        assert!(
            s.complete_job("v1", &j.lease, finished("v1.mp4", 4000, 9))
                .await
                .unwrap()
        );
        assert_eq!(s.stored_bytes().await.unwrap(), 5250, "{backend}");
        assert!(s.delete_export("i1").await.unwrap());
        assert!(
            !s.delete_export("i1").await.unwrap(),
            "{backend}: deleted once"
        );
        assert_eq!(s.stored_bytes().await.unwrap(), 4250, "{backend}");
        assert_eq!(
            s.usage(k, "2024-05").await.unwrap(),
            (2, 1),
            "{backend}: deleting keeps usage"
        );
        let oldest = s.oldest_completed(10).await.unwrap();
        let ids: Vec<&str> = oldest.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["i2", "v1"], "{backend}");
    });
}

#[test]
fn jobs_are_claimed_once_in_order_and_recovered() {
    on_each_backend("claims", |s, backend| async move {
        let k = s.insert_key("mk_live_ab", b"h", "t", 1).await.unwrap();
        s.enqueue_job(job("a", k, 10), ROOMY).await.unwrap();
        s.enqueue_job(job("b", k, 11), ROOMY).await.unwrap();
        let first = s.claim_job(claim(20, 10)).await.unwrap().unwrap();
        assert_eq!((first.id.as_str(), first.attempts), ("a", 1), "{backend}");
        assert_eq!(first.payload, b"{}");
        s.set_progress("a", &first.lease, 0.5).await.unwrap();
        s.set_progress("a", &first.lease, 0.2).await.unwrap();
        let a = s.export("a").await.unwrap().unwrap();
        assert_eq!(a.progress, 0.5, "{backend}: progress only grows");
        // The process dies here; at its restart "a" is queued again.
        let back = s.reclaim(Interrupted::All, 3, 30).await.unwrap();
        assert_eq!((back.requeued, back.failed), (1, 0), "{backend}");
        // The old claim can no longer write anything.
        assert!(!s.renew_lease("a", &first.lease, 30).await.unwrap());
        assert!(
            !s.complete_job("a", &first.lease, finished("a.mp4", 1, 31))
                .await
                .unwrap()
        );
        assert!(!s.fail_job("a", &first.lease, "x", 31).await.unwrap());
        let second = s.claim_job(claim(40, 10)).await.unwrap().unwrap();
        assert_eq!(second.id, "a", "{backend}");
        assert_ne!(second.lease, first.lease);
        let back = s.reclaim(Interrupted::All, 2, 50).await.unwrap();
        assert_eq!((back.requeued, back.failed), (0, 1), "{backend}");
        let a = s.export("a").await.unwrap().unwrap();
        assert_eq!(a.status, Status::Failed);
        assert!(a.error.unwrap().contains("2 attempts"), "{backend}");
    });
}

#[test]
fn expired_leases_are_taken_back_and_live_ones_kept() {
    on_each_backend("leases", |s, backend| async move {
        let k = s.insert_key("mk_live_ef", b"h3", "t", 1).await.unwrap();
        s.enqueue_job(job("a", k, 10), ROOMY).await.unwrap();
        s.enqueue_job(job("b", k, 11), ROOMY).await.unwrap();
        let a = s.claim_job(claim(20, 10)).await.unwrap().unwrap();
        // `b`'s lease has already run out (in the database's clock): its node went
        // quiet.
        let quiet = Claim {
            lease_secs: -1,
            ..claim(20, 10)
        };
        let b = s.claim_job(quiet).await.unwrap().unwrap();
        assert!(s.renew_lease("a", &a.lease, 30).await.unwrap());
        let back = s.reclaim(Interrupted::LeaseExpired, 3, 60).await.unwrap();
        assert_eq!((back.requeued, back.failed), (1, 0), "{backend}");
        let status = |row: Option<mockly_server::store::ExportRow>| row.unwrap().status;
        assert_eq!(status(s.export("a").await.unwrap()), Status::Rendering);
        assert_eq!(status(s.export("b").await.unwrap()), Status::Queued);
        assert!(
            !s.complete_job("b", &b.lease, finished("b.mp4", 1, 61))
                .await
                .unwrap()
        );
        // A stopping node gives its job back at once, without using an attempt.
        s.release_job("a", &a.lease).await.unwrap();
        assert_eq!(
            status(s.export("a").await.unwrap()),
            Status::Queued,
            "{backend}"
        );
        let again = s.claim_job(claim(70, 10)).await.unwrap().unwrap();
        assert_eq!((again.id.as_str(), again.attempts), ("a", 1), "{backend}");
        s.release_job("a", &again.lease).await.unwrap();
        let by_status = s.jobs_by_status().await.unwrap();
        assert_eq!(by_status, [(Status::Queued, 2)], "{backend}");
    });
}

#[test]
fn claims_share_the_slots_between_keys() {
    on_each_backend("shares", |s, backend| async move {
        let a = s.insert_key("mk_live_a1", b"ha", "a", 1).await.unwrap();
        let b = s.insert_key("mk_live_b1", b"hb", "b", 1).await.unwrap();
        for i in 0..5 {
            s.enqueue_job(job(&format!("a{i}"), a, 10 + i), ROOMY)
                .await
                .unwrap();
        }
        s.enqueue_job(job("b0", b, 20), ROOMY).await.unwrap();
        s.enqueue_job(job("b1", b, 21), ROOMY).await.unwrap();
        // Key a is older, key b is next even though a has more waiting.
        for expected in ["a0", "b0", "a1", "b1"] {
            let claimed = s.claim_job(claim(30, 2)).await.unwrap().unwrap();
            assert_eq!(claimed.id, expected, "{backend}");
        }
        // Both keys render their share: nothing more is claimed.
        assert!(
            s.claim_job(claim(30, 2)).await.unwrap().is_none(),
            "{backend}"
        );
        // The share is a node's: another node takes the next of key a's.
        let elsewhere = Claim {
            node: "n2".to_owned(),
            ..claim(30, 2)
        };
        let next = s.claim_job(elsewhere).await.unwrap().unwrap();
        assert_eq!(next.id, "a2", "{backend}");
        // Key a has two waiting.
        let limits = |capacity, per_key| QueueLimits { capacity, per_key };
        let room = s
            .enqueue_job(job("a5", a, 40), limits(100, 2))
            .await
            .unwrap();
        assert_eq!(room, QueueRoom::KeyShareUsed, "{backend}");
        let room = s.enqueue_job(job("b2", b, 40), limits(2, 2)).await.unwrap();
        assert_eq!(room, QueueRoom::Full, "{backend}");
        assert!(
            s.export("a5").await.unwrap().is_none(),
            "refused jobs are not stored"
        );
        let room = s
            .enqueue_job(job("a5", a, 40), limits(100, 3))
            .await
            .unwrap();
        assert_eq!(room, QueueRoom::Free, "{backend}");
    });
}

#[test]
fn the_first_key_and_settings_are_made_once() {
    on_each_backend("first_key", |s, backend| async move {
        assert!(s.insert_first_key("mk_live_f1", b"f1", 1).await.unwrap());
        assert!(!s.insert_first_key("mk_live_f2", b"f2", 2).await.unwrap());
        let keys = s.list_keys().await.unwrap();
        assert_eq!(keys.len(), 1, "{backend}");
        assert_eq!(keys[0].label, "first key");
        assert_eq!(s.setting_or_insert("secret", b"one").await.unwrap(), b"one");
        assert_eq!(s.setting_or_insert("secret", b"two").await.unwrap(), b"one");
        // Keys are found by hash until revoked (by prefix or id).
        assert!(s.key_by_hash(b"f1").await.unwrap().is_some(), "{backend}");
        assert_eq!(s.revoke_key("mk_live_f1", 3).await.unwrap(), 1);
        assert!(s.key_by_hash(b"f1").await.unwrap().is_none(), "{backend}");
    });
}

#[test]
fn usage_counts_per_month_and_kind() {
    on_each_backend("usage", |s, backend| async move {
        let k = s.insert_key("mk_live_cd", b"h2", "t", 1).await.unwrap();
        s.record_image(image("i1", k, 1, "2024-05")).await.unwrap();
        s.record_image(image("i2", k, 1, "2024-05")).await.unwrap();
        s.record_image(image("i3", k, 1, "2024-06")).await.unwrap();
        assert_eq!(s.usage(k, "2024-05").await.unwrap(), (2, 0), "{backend}");
        assert_eq!(s.usage(k, "2024-06").await.unwrap(), (1, 0), "{backend}");
        assert_eq!(s.usage(k, "2024-07").await.unwrap(), (0, 0), "{backend}");
    });
}

#[test]
fn the_shared_rate_window_counts_every_request_once() {
    on_each_backend("rate", |s, backend| async move {
        let hit = RateHit {
            key_id: 7,
            bucket: "render",
            limit: 3,
            window_ms: 60_000,
        };
        let Some(first) = s.rate_hit(hit).await.unwrap() else {
            assert_eq!(backend, "sqlite", "the one process counts in memory");
            return;
        };
        assert!(first.allowed);
        assert_eq!(first.used, 1);
        // Many at once (as from many nodes): exactly the limit gets through.
        let tries = (0..10).map(|_| s.rate_hit(hit));
        let results = futures_util::future::join_all(tries).await;
        let allowed = results
            .into_iter()
            .filter(|r| r.as_ref().unwrap().unwrap().allowed)
            .count();
        assert_eq!(allowed, 2, "{backend}");
        let other = RateHit {
            bucket: "exports",
            ..hit
        };
        assert!(
            s.rate_hit(other).await.unwrap().unwrap().allowed,
            "buckets apart"
        );
        let refused = s.rate_hit(hit).await.unwrap().unwrap();
        assert!(!refused.allowed);
        assert_eq!(refused.used, 3);
        assert!(refused.oldest_ms.unwrap() <= refused.now_ms);
    });
}

#[test]
fn quota_counts_are_taken_atomically_and_given_back() {
    on_each_backend("quota", |s, backend| async move {
        let k = s.insert_key("mk_live_q1", b"q1", "q", 1).await.unwrap();
        // Many at once (as from many nodes): exactly the quota gets through.
        let tries = (0..10).map(|_| s.reserve_usage(k, "2024-05", "image", 4));
        let results = futures_util::future::join_all(tries).await;
        let taken = results.into_iter().filter(|r| *r.as_ref().unwrap()).count();
        assert_eq!(taken, 4, "{backend}");
        assert_eq!(s.usage(k, "2024-05").await.unwrap(), (4, 0), "{backend}");
        assert!(!s.reserve_usage(k, "2024-05", "image", 0).await.unwrap());
        s.release_usage(k, "2024-05", "image").await.unwrap();
        assert_eq!(s.usage(k, "2024-05").await.unwrap(), (3, 0), "{backend}");
        // A still counted beforehand is not counted again when recorded.
        let still = NewImage {
            counted: true,
            ..image("i1", k, 1, "2024-05")
        };
        s.record_image(still).await.unwrap();
        assert_eq!(s.usage(k, "2024-05").await.unwrap(), (3, 0), "{backend}");
        // A video counted when accepted: given back when it fails, for good or by
        // running out of attempts, and not counted again when it completes.
        let counted = |id: &str| NewJob {
            usage_month: Some("2024-05".to_owned()),
            ..job(id, k, 10)
        };
        for (id, outcome) in [("f", "fails"), ("c", "completes"), ("i", "interrupted")] {
            assert!(s.reserve_usage(k, "2024-05", "video", 5).await.unwrap());
            s.enqueue_job(counted(id), ROOMY).await.unwrap();
            let j = s.claim_job(claim(20, 10)).await.unwrap().unwrap();
            match outcome {
                "fails" => assert!(s.fail_job(id, &j.lease, "broken", 21).await.unwrap()),
                "completes" => {
                    let done = finished("c.mp4", 1, 21);
                    assert!(s.complete_job(id, &j.lease, done).await.unwrap());
                }
                _ => {
                    let back = s.reclaim(Interrupted::All, 1, 21).await.unwrap();
                    assert_eq!(back.failed, 1, "{backend}");
                }
            }
        }
        assert_eq!(s.usage(k, "2024-05").await.unwrap(), (3, 1), "{backend}");
    });
}
