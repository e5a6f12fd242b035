//! The job queue on PostgreSQL: jobs queued under the queue's room, claimed under a
//! lease by any node, renewed while they render, recorded only by the lease's holder,
//! and taken back when a lease expires.

use super::{Postgres, add_usage, driver_config, pg, refund, tls};
use crate::store::{
    Claim, Finished, Interrupted, Job, NewJob, QueueLimits, QueueRoom, Reclaimed, Result,
    extras_json,
};

/// Advisory-lock ids (arbitrary, fixed): one node queues a job at a time, so the
/// queue's room is checked and taken atomically; claims take turns, so a key's share
/// of the render slots is exact.
const QUEUE_LOCK: i64 = 0x6d6f_636b_6c79_0002;
const CLAIM_LOCK: i64 = 0x6d6f_636b_6c79_0003;

impl Postgres {
    pub async fn enqueue_job(&self, job: NewJob, limits: QueueLimits) -> Result<QueueRoom> {
        let mut c = self.client().await?;
        let tx = c.transaction().await.map_err(pg)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&QUEUE_LOCK])
            .await
            .map_err(pg)?;
        let row = tx
            .query_one(
                "SELECT COUNT(*), COUNT(*) FILTER (WHERE key_id = $1)
                 FROM exports WHERE status = 'queued'",
                &[&job.key_id],
            )
            .await
            .map_err(pg)?;
        let (all, mine): (i64, i64) = (row.get(0), row.get(1));
        let room = if mine >= limits.per_key {
            QueueRoom::KeyShareUsed
        } else if all >= limits.capacity {
            QueueRoom::Full
        } else {
            QueueRoom::Free
        };
        if room == QueueRoom::Free {
            tx.execute(
                "INSERT INTO exports (id, key_id, kind, status, format, payload, created_at,
                                      usage_month)
                 VALUES ($1, $2, 'video', 'queued', $3, $4, $5, $6)",
                &[
                    &job.id,
                    &job.key_id,
                    &job.format,
                    &job.payload,
                    &job.now,
                    &job.usage_month,
                ],
            )
            .await
            .map_err(pg)?;
            // Wakes idle workers on every node (they also poll).
            tx.execute("NOTIFY mockly_jobs", &[]).await.map_err(pg)?;
        }
        tx.commit().await.map_err(pg)?;
        Ok(room)
    }

    pub async fn claim_job(&self, claim: Claim) -> Result<Option<Job>> {
        let mut c = self.client().await?;
        let tx = c.transaction().await.map_err(pg)?;
        let lease = uuid::Uuid::new_v4().simple().to_string();
        // Claims take turns (a claim is a few milliseconds, and workers claim only
        // when idle), so the counts of running jobs below include every earlier
        // claim: a key's share is exact. SKIP LOCKED still passes over a row that
        // another transaction holds (a job being completed or taken back).
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&CLAIM_LOCK])
            .await
            .map_err(pg)?;
        let row = tx
            .query_opt(
                "WITH running AS (
                     SELECT key_id, COUNT(*) AS n FROM exports
                     WHERE status = 'rendering' AND node = $5 GROUP BY key_id
                 ), next AS (
                     SELECT e.id FROM exports e LEFT JOIN running r ON r.key_id = e.key_id
                     WHERE e.status = 'queued' AND COALESCE(r.n, 0) < $2
                     ORDER BY COALESCE(r.n, 0), e.created_at, e.seq
                     LIMIT 1 FOR UPDATE OF e SKIP LOCKED
                 )
                 UPDATE exports SET status = 'rendering', started_at = $1,
                                    attempts = attempts + 1, progress = 0,
                                    lease_token = $3, node = $5,
                                    lease_until = EXTRACT(EPOCH FROM now())::BIGINT + $4
                 FROM next WHERE exports.id = next.id
                 RETURNING exports.id, key_id, format, payload, attempts, lease_token",
                &[
                    &claim.now,
                    &claim.per_key,
                    &lease,
                    &claim.lease_secs,
                    &claim.node,
                ],
            )
            .await
            .map_err(pg)?;
        tx.commit().await.map_err(pg)?;
        Ok(row.map(|r| Job {
            id: r.get(0),
            key_id: r.get(1),
            format: r.get(2),
            payload: r.get::<_, Option<Vec<u8>>>(3).unwrap_or_default(),
            attempts: r.get(4),
            lease: r.get(5),
        }))
    }

    pub async fn renew_lease(&self, id: &str, lease: &str, lease_secs: i64) -> Result<bool> {
        let c = self.client().await?;
        let n = c
            .execute(
                "UPDATE exports SET lease_until = EXTRACT(EPOCH FROM now())::BIGINT + $3
                 WHERE id = $1 AND lease_token = $2 AND status = 'rendering'",
                &[&id, &lease, &lease_secs],
            )
            .await
            .map_err(pg)?;
        Ok(n == 1)
    }

    pub async fn set_progress(&self, id: &str, lease: &str, progress: f64) -> Result<()> {
        let c = self.client().await?;
        c.execute(
            "UPDATE exports SET progress = GREATEST(progress, $3)
             WHERE id = $1 AND lease_token = $2 AND status = 'rendering'",
            &[&id, &lease, &progress.clamp(0.0, 1.0)],
        )
        .await
        .map_err(pg)
        .map(drop)
    }

    pub async fn complete_job(&self, id: &str, lease: &str, done: Finished) -> Result<bool> {
        let mut c = self.client().await?;
        let tx = c.transaction().await.map_err(pg)?;
        let (w, h) = (i64::from(done.width), i64::from(done.height));
        let row = tx
            .query_opt(
                "UPDATE exports SET status = 'completed', progress = 1, file = $3,
                                    size_bytes = $4, width = $5, height = $6, finished_at = $7,
                                    payload = NULL, extras = $8,
                                    lease_token = NULL, lease_until = NULL, node = NULL
                 WHERE id = $1 AND lease_token = $2 AND status = 'rendering'
                 RETURNING key_id, usage_month",
                &[
                    &id,
                    &lease,
                    &done.file,
                    &done.size,
                    &w,
                    &h,
                    &done.now,
                    &extras_json(&done.extras),
                ],
            )
            .await
            .map_err(pg)?;
        let Some(row) = row else {
            return Ok(false);
        };
        if row.get::<_, Option<String>>(1).is_none() {
            add_usage(&tx, row.get(0), &done.month, "video").await?;
        }
        tx.commit().await.map_err(pg)?;
        Ok(true)
    }

    pub async fn fail_job(&self, id: &str, lease: &str, error: &str, now: i64) -> Result<bool> {
        let mut c = self.client().await?;
        let tx = c.transaction().await.map_err(pg)?;
        let failed = tx
            .query(
                "UPDATE exports SET status = 'failed', error = $3, finished_at = $4,
                                    payload = NULL, lease_token = NULL, lease_until = NULL, node = NULL
                 WHERE id = $1 AND lease_token = $2 AND status = 'rendering'
                 RETURNING key_id, usage_month",
                &[&id, &lease, &error, &now],
            )
            .await
            .map_err(pg)?;
        refund(&tx, &failed).await?;
        tx.commit().await.map_err(pg)?;
        Ok(!failed.is_empty())
    }

    pub async fn release_job(&self, id: &str, lease: &str) -> Result<()> {
        let c = self.client().await?;
        let n = c
            .execute(
                "UPDATE exports SET status = 'queued', progress = 0, attempts = attempts - 1,
                                    lease_token = NULL, lease_until = NULL, node = NULL
                 WHERE id = $1 AND lease_token = $2 AND status = 'rendering'",
                &[&id, &lease],
            )
            .await
            .map_err(pg)?;
        if n > 0 {
            c.execute("NOTIFY mockly_jobs", &[]).await.map_err(pg)?;
        }
        Ok(())
    }

    pub async fn reclaim(
        &self,
        which: Interrupted,
        max_attempts: u32,
        now: i64,
    ) -> Result<Reclaimed> {
        match which {
            Interrupted::All => self.reclaim_where("TRUE", max_attempts, now, &[]).await,
            Interrupted::LeaseExpired => {
                let expired = "COALESCE(lease_until, 0) < EXTRACT(EPOCH FROM clock_timestamp())";
                self.reclaim_where(expired, max_attempts, now, &[]).await
            }
        }
    }

    /// Rendering jobs matching `which` (SQL over `$1` = max attempts, `$2` = now,
    /// then `more`) go back to the queue, or fail once they were interrupted
    /// `max_attempts` times. Rows another node is updating are skipped, not waited
    /// for (every node runs this).
    async fn reclaim_where(
        &self,
        which: &str,
        max_attempts: u32,
        now: i64,
        more: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> Result<Reclaimed> {
        let mut c = self.client().await?;
        let tx = c.transaction().await.map_err(pg)?;
        let max = i64::from(max_attempts);
        let mut params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = vec![&max, &now];
        params.extend_from_slice(more);
        let failed = tx
            .query(
                &format!(
                    "UPDATE exports SET status = 'failed', finished_at = $2, payload = NULL,
                            error = 'Render failed: interrupted during each of '
                                    || attempts || ' attempts',
                            lease_token = NULL, lease_until = NULL, node = NULL
                     WHERE id IN (SELECT id FROM exports
                                  WHERE status = 'rendering' AND attempts >= $1 AND {which}
                                  FOR UPDATE SKIP LOCKED)
                     RETURNING key_id, usage_month"
                ),
                &params,
            )
            .await
            .map_err(pg)?;
        refund(&tx, &failed).await?;
        let failed = failed.len();
        let requeued = tx
            .execute(
                &format!(
                    "UPDATE exports SET status = 'queued', progress = 0,
                            lease_token = NULL, lease_until = NULL, node = NULL
                     WHERE id IN (SELECT id FROM exports
                                  WHERE status = 'rendering' AND attempts < $1 AND {which}
                                    AND $2::BIGINT = $2::BIGINT
                                  FOR UPDATE SKIP LOCKED)"
                ),
                &params,
            )
            .await
            .map_err(pg)?;
        if requeued > 0 {
            tx.execute("NOTIFY mockly_jobs", &[]).await.map_err(pg)?;
        }
        tx.commit().await.map_err(pg)?;
        Ok(Reclaimed {
            requeued: requeued as usize,
            failed,
        })
    }

    /// A connection that hears `NOTIFY mockly_jobs` from every node; `notify` is woken
    /// for each. Returns when the connection ends.
    pub async fn listen_for_jobs(&self, url: &str, notify: &tokio::sync::Notify) -> Result<()> {
        let (client, mut connection) = driver_config(url)?.connect(tls()).await.map_err(pg)?;
        let messages = futures_util::future::poll_fn(|cx| {
            // Drives the connection and surfaces its notifications.
            loop {
                match connection.poll_message(cx) {
                    std::task::Poll::Ready(Some(Ok(
                        tokio_postgres::AsyncMessage::Notification(_),
                    ))) => notify.notify_waiters(),
                    std::task::Poll::Ready(Some(Ok(_))) => {}
                    std::task::Poll::Ready(Some(Err(e))) => return std::task::Poll::Ready(Err(e)),
                    std::task::Poll::Ready(None) => return std::task::Poll::Ready(Ok(())),
                    std::task::Poll::Pending => return std::task::Poll::Pending,
                }
            }
        });
        let listen = async {
            client.batch_execute("LISTEN mockly_jobs").await?;
            std::future::pending::<()>().await;
            Ok::<(), tokio_postgres::Error>(())
        };
        tokio::select! {
            r = messages => r.map_err(pg),
            r = listen => r.map_err(pg),
        }
    }
}
