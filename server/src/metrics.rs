//! `GET /metrics`: this node's counters and histograms, and the cluster's queue as
//! the database sees it, in the Prometheus (OpenMetrics) text format.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use crate::store::Status;

/// What a render was.
#[derive(Debug, Clone, Copy, Hash, PartialEq, Eq)]
pub enum Kind {
    Image,
    Video,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Image => "image",
            Kind::Video => "video",
        }
    }
}

/// How a render ended.
#[derive(Debug, Clone, Copy, Hash, PartialEq, Eq)]
pub enum Outcome {
    /// Rendered and stored.
    Ok,
    /// The payload's fault (4xx, or a job that failed on its input).
    Refused,
    /// Ours: a timeout, an internal or storage error.
    Failed,
}

impl Outcome {
    fn name(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Refused => "refused",
            Outcome::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RenderLabels {
    kind: &'static str,
    outcome: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabel {
    kind: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct BucketLabel {
    bucket: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabel {
    status: &'static str,
}

/// Render latency buckets, seconds: 2.5 ms (a small still) to ~2.7 min (a long
/// video).
fn latency_buckets() -> Histogram {
    Histogram::new(prometheus_client::metrics::histogram::exponential_buckets(
        0.0025, 2.0, 17,
    ))
}

/// The metrics a node keeps (cheap to update: atomics behind a label lookup).
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    renders: Family<RenderLabels, Counter>,
    latency: Family<KindLabel, Histogram, fn() -> Histogram>,
    rate_limited: Family<BucketLabel, Counter>,
    /// Failed database operations (shared with the store).
    pub database_errors: Counter,
    /// Failed file-store operations (shared with the file store).
    pub blob_errors: Counter,
    jobs: Family<StatusLabel, Gauge>,
    queue_depth: Gauge,
    running: Gauge,
}

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics::new(Counter::default(), Counter::default())
    }
}

impl Metrics {
    /// The metrics, with the database's and the file store's error counts.
    pub fn new(database_errors: Counter, blob_errors: Counter) -> Metrics {
        let mut registry = Registry::with_prefix("mockly");
        let renders = Family::<RenderLabels, Counter>::default();
        registry.register("renders", "Renders by kind and outcome", renders.clone());
        let latency = Family::new_with_constructor(latency_buckets as fn() -> Histogram);
        registry.register(
            "render_seconds",
            "Render latency, request or job start to stored file",
            latency.clone(),
        );
        let rate_limited = Family::<BucketLabel, Counter>::default();
        registry.register(
            "rate_limited",
            "Requests refused by a rate limit",
            rate_limited.clone(),
        );
        registry.register(
            "database_errors",
            "Database operations that failed",
            database_errors.clone(),
        );
        registry.register(
            "blob_errors",
            "File-store operations that failed",
            blob_errors.clone(),
        );
        let jobs = Family::<StatusLabel, Gauge>::default();
        registry.register(
            "exports",
            "Exports in the database by status (every node's)",
            jobs.clone(),
        );
        let queue_depth = Gauge::default();
        registry.register(
            "queue_depth",
            "Video jobs waiting (every node's)",
            queue_depth.clone(),
        );
        let running = Gauge::default();
        registry.register(
            "video_renders_running",
            "Video renders running on this node",
            running.clone(),
        );
        Metrics {
            registry,
            renders,
            latency,
            rate_limited,
            database_errors,
            blob_errors,
            jobs,
            queue_depth,
            running,
        }
    }

    /// Counts a render that ended, with its latency when it was one of ours to time.
    pub fn render(&self, kind: Kind, outcome: Outcome, seconds: Option<f64>) {
        self.renders
            .get_or_create(&RenderLabels {
                kind: kind.name(),
                outcome: outcome.name(),
            })
            .inc();
        if let Some(s) = seconds {
            let kind = kind.name();
            self.latency.get_or_create(&KindLabel { kind }).observe(s);
        }
    }

    pub fn rate_limited(&self, bucket: &'static str) {
        self.rate_limited
            .get_or_create(&BucketLabel { bucket })
            .inc();
    }

    /// The text exposition, with the database's counts as of now (the last ones
    /// read when the database did not answer) and this node's running renders.
    pub fn encode(&self, by_status: Option<&[(Status, i64)]>, running: usize) -> String {
        if let Some(by_status) = by_status {
            for status in [
                Status::Queued,
                Status::Rendering,
                Status::Completed,
                Status::Failed,
            ] {
                let n = by_status
                    .iter()
                    .find(|(s, _)| *s == status)
                    .map_or(0, |(_, n)| *n);
                let label = StatusLabel {
                    status: status.as_str(),
                };
                self.jobs.get_or_create(&label).set(n);
                if status == Status::Queued {
                    self.queue_depth.set(n);
                }
            }
        }
        self.running.set(running as i64);
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exposition_names_every_metric() {
        let m = Metrics::default();
        m.render(Kind::Image, Outcome::Ok, Some(0.004));
        m.render(Kind::Video, Outcome::Refused, None);
        m.rate_limited("render");
        m.database_errors.inc();
        let text = m.encode(Some(&[(Status::Queued, 3), (Status::Completed, 7)]), 1);
        for line in [
            "mockly_renders_total{kind=\"image\",outcome=\"ok\"} 1",
            "mockly_renders_total{kind=\"video\",outcome=\"refused\"} 1",
            "mockly_render_seconds_count{kind=\"image\"} 1",
            "mockly_rate_limited_total{bucket=\"render\"} 1",
            "mockly_database_errors_total 1",
            "mockly_blob_errors_total 0",
            "mockly_exports{status=\"queued\"} 3",
            "mockly_exports{status=\"rendering\"} 0",
            "mockly_queue_depth 3",
            "mockly_video_renders_running 1",
        ] {
            assert!(text.contains(line), "missing {line} in\n{text}");
        }
    }
}
