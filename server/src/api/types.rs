//! Response bodies. The OpenAPI document describes these very types (schemars), so
//! the document and the wire format cannot drift apart.

use schemars::JsonSchema;
use serde::Serialize;

/// `"completed"`
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Completed {
    Completed,
}

/// `"rendering"`
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Rendering {
    Rendering,
}

/// `"failed"`
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Failed {
    Failed,
}

/// What was rendered.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RenderKind {
    Image,
    Video,
}

/// 200 of `POST /api/v1/chat/render` for an image.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImageRendered {
    pub id: String,
    pub status: Completed,
    pub render_kind: RenderKind,
    /// Always `png` for images.
    pub format: String,
    /// Short-lived signed URL of the file; no key needed to fetch it.
    pub download_url: String,
    pub size_bytes: u64,
    /// Fields that were ignored and other notes (ext).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// 202 of `POST /api/v1/chat/render` for a video.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct VideoAccepted {
    pub id: String,
    pub status: Rendering,
    pub render_kind: RenderKind,
    /// Absolute URL to poll.
    pub status_url: String,
    /// `props.video.format` (`mp4`, `webm`, `mov`, `gif`, `webp`); by default `mp4`,
    /// or `webm` when the background is transparent (ext).
    pub format: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// `GET /api/v1/exports/{id}` while the job waits or runs.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExportRendering {
    pub id: String,
    pub status: Rendering,
    pub render_kind: RenderKind,
    /// Share done, 0 to 1; only grows.
    pub progress: f64,
}

/// `GET /api/v1/exports/{id}` when the file is ready.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExportCompleted {
    pub id: String,
    pub status: Completed,
    pub render_kind: RenderKind,
    pub format: String,
    /// A fresh signed URL on every call.
    pub download_url: String,
    pub size_bytes: u64,
    /// (ext) Files made beside a video, as `props.video.include` asked: the timing
    /// file and captions, each with its own signed URL.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<ExtraFileLink>,
}

/// (ext) A file made beside a video.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExtraFileLink {
    /// `timeline` (JSON), `srt` or `vtt`.
    pub kind: String,
    /// Short-lived signed URL, like `downloadUrl`.
    pub download_url: String,
    pub size_bytes: u64,
}

/// `GET /api/v1/exports/{id}` when the render failed.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExportFailed {
    pub id: String,
    pub status: Failed,
    pub render_kind: RenderKind,
    /// Human-readable reason.
    pub error: String,
}

/// Any of the three export states.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum ExportStatus {
    Rendering(ExportRendering),
    Completed(ExportCompleted),
    Failed(ExportFailed),
}

/// Renders counted against one quota.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct QuotaUse {
    pub used: u64,
    pub included: u64,
}

/// `GET /api/v1/usage` (ext): this key's month.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    /// Calendar month, UTC, `YYYY-MM`.
    pub month: String,
    pub images: QuotaUse,
    pub videos: QuotaUse,
    /// Whether renders beyond the quota are refused.
    pub enforced: bool,
}

/// The body of every non-2xx response.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ErrorBody {
    /// Stable, machine-readable.
    pub code: String,
    /// For people.
    pub message: String,
    /// (ours) The dotted path of the field at fault, e.g. `props.messages.3.userId`,
    /// when a payload is refused because of one field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}
