//! The OpenAPI 3.1 document and the payload's JSON Schema, both generated from the
//! Rust types the server deserialises and serialises (schemars), so they cannot
//! drift from what the server does.

use mockly_engine::payload::ChatExportPayload;
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value, json};

use crate::api::types::{ErrorEnvelope, ExportStatus, ImageRendered, Usage, VideoAccepted};

/// JSON Schema (draft 2020-12) of `ChatExportPayload`.
pub fn payload_schema() -> Value {
    let schema = SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<ChatExportPayload>();
    let mut v = schema.to_value();
    if let Some(obj) = v.as_object_mut() {
        obj.insert("title".into(), json!("ChatExportPayload"));
    }
    v
}

/// The OpenAPI 3.1 document of this server's API.
pub fn document(base_url: &str) -> Value {
    let mut generator = SchemaSettings::draft2020_12()
        .with(|s| s.definitions_path = "#/components/schemas/".into())
        .into_generator();
    let schema = |v: schemars::Schema| v.to_value();
    let payload = schema(generator.subschema_for::<ChatExportPayload>());
    let image = schema(generator.subschema_for::<ImageRendered>());
    let video = schema(generator.subschema_for::<VideoAccepted>());
    let export = schema(generator.subschema_for::<ExportStatus>());
    let usage = schema(generator.subschema_for::<Usage>());
    let error = schema(generator.subschema_for::<ErrorEnvelope>());
    let mut schemas: Map<String, Value> = generator.take_definitions(true).into_iter().collect();
    // Top-level types that were inlined get a name too, for readers of the document.
    for (name, value) in [
        ("ChatExportPayload", &payload),
        ("ImageRendered", &image),
        ("VideoAccepted", &video),
        ("ExportStatus", &export),
        ("Usage", &usage),
        ("ErrorEnvelope", &error),
    ] {
        if value.get("$ref").is_none() {
            schemas.insert(name.to_owned(), value.clone());
        }
    }

    let json_body = |schema: &Value| json!({"content": {"application/json": {"schema": schema}}});
    let err = |description: &str| {
        let mut r = json_body(&error);
        r["description"] = json!(description);
        r
    };
    let ok = |description: &str, schema: &Value, limited: bool| {
        let mut r = json_body(schema);
        r["description"] = json!(description);
        if limited {
            r["headers"] = rate_headers();
        }
        r
    };
    let file = json!({
        "description": "The file (image/png, video/mp4 or video/webm); 206 for a byte range",
        "content": {
            "image/png": {"schema": {"type": "string", "contentMediaType": "image/png"}},
            "video/mp4": {"schema": {"type": "string", "contentMediaType": "video/mp4"}},
            "video/webm": {"schema": {"type": "string", "contentMediaType": "video/webm"}}
        }
    });
    let id_param =
        json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}]);

    // The hosted API's newer general route takes the same body (mockupType "chats").
    let render = json!({
        "summary": "Render a chat mockup",
        "requestBody": {"required": true, "content": {"application/json": {"schema": payload}}},
        "responses": {
            "200": ok("Image rendered", &image, true),
            "202": ok("Video accepted; poll statusUrl", &video, true),
            "400": err("Invalid payload (validation_failed); the message names the field"),
            "401": err("invalid_credentials"),
            "408": err("request_timeout: the body did not arrive in time"),
            "413": err("Body over the size limit (validation_failed)"),
            "415": err("unsupported_media_type"),
            "429": err("rate_limited (rate limit, enforced monthly quota, or this key's share of the video queue)"),
            "503": err("overloaded: the render queue is full, or a still did not finish in time")
        }
    });

    // (ours) The playground's live preview: the PNG itself, not stored or counted.
    let mut png = json!({
        "description": "The still, or the video's frame at t, as PNG bytes",
        "content": {"image/png": {"schema": {"type": "string", "contentMediaType": "image/png"}}}
    });
    let mut preview_headers = rate_headers();
    let text = |d: &str| json!({"description": d, "schema": {"type": "string"}});
    for (name, description) in [
        ("X-Mockly-Width", "Width of the picture, pixels"),
        ("X-Mockly-Height", "Height of the picture, pixels"),
        (
            "X-Mockly-Warnings",
            "The render's first warnings (as many as fit in 2 KB): a JSON array of strings, percent-encoded (decodeURIComponent)",
        ),
        (
            "X-Mockly-Warning-Count",
            "How many warnings the render gave",
        ),
        (
            "X-Mockly-Frame-Ms",
            "Video only: time of the frame shown, milliseconds",
        ),
        (
            "X-Mockly-Duration-Ms",
            "Video only: the whole video's length, milliseconds",
        ),
        ("X-Mockly-Fps", "Video only: frames per second"),
    ] {
        preview_headers[name] = text(description);
    }
    png["headers"] = preview_headers;
    let preview = json!({
        "summary": "Preview a payload (ours): the PNG bytes of the still, or of a video's frame at t",
        "description": "For live editors such as the playground at `/`. Not stored, not counted in the monthly quota; its own per-key rate limit (`preview_rate_limit`, 600 per minute by default). Renders in the same bounded slots as images.",
        "parameters": [{
            "name": "t", "in": "query", "required": false,
            "description": "Milliseconds into the video (clamped to its length; the frame on screen then). Ignored for images.",
            "schema": {"type": "number", "minimum": 0}
        }],
        "requestBody": {"required": true, "content": {"application/json": {"schema": payload}}},
        "responses": {
            "200": png,
            "400": err("Invalid payload or t (validation_failed); `error.field` names the field when there is one"),
            "401": err("invalid_credentials"),
            "408": err("request_timeout: the body did not arrive in time"),
            "413": err("Body over the size limit (validation_failed)"),
            "415": err("unsupported_media_type"),
            "429": err("rate_limited (the preview limit)"),
            "503": err("overloaded: the preview did not finish in time")
        }
    });

    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Mockly API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Renders chat mockups. Images are rendered synchronously; videos are queued and polled."
        },
        "servers": [{"url": base_url}],
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/chat/render": {"post": render.clone()},
            "/api/v1/render": {"post": render},
            "/api/v1/chat/preview": {"post": preview},
            "/api/v1/exports/{id}": {"get": {
                "summary": "Status of an export",
                "parameters": id_param,
                "responses": {
                    "200": ok("Rendering, completed or failed", &export, true),
                    "401": err("invalid_credentials"),
                    "404": err("not_found (unknown id, or another key's export)"),
                    "429": err("rate_limited")
                }
            }},
            "/api/v1/exports/{id}/download": {"get": {
                "summary": "Download an export's file (Range supported)",
                "parameters": id_param,
                "responses": {
                    "200": file,
                    "206": file,
                    "401": err("invalid_credentials"),
                    "404": err("not_found"),
                    "409": err("not_ready: not completed yet"),
                    "416": err("range_not_satisfiable"),
                    "429": err("rate_limited")
                }
            }},
            "/api/v1/files/{name}": {"get": {
                "summary": "Signed download URL (no key needed)",
                "security": [],
                "parameters": [
                    {"name": "name", "in": "path", "required": true, "schema": {"type": "string"}},
                    {"name": "expires", "in": "query", "required": true, "schema": {"type": "integer"}},
                    {"name": "signature", "in": "query", "required": true, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": file,
                    "206": file,
                    "403": err("invalid_signature or url_expired"),
                    "404": err("not_found (deleted after retention)")
                }
            }},
            "/api/v1/usage": {"get": {
                "summary": "This key's renders this month",
                "responses": {"200": ok("Usage and quota", &usage, false), "401": err("invalid_credentials")}
            }},
            "/api/v1/openapi.json": {"get": {
                "summary": "This document",
                "responses": {"200": {"description": "OpenAPI 3.1 document"}, "401": err("invalid_credentials")}
            }},
            "/api/v1/schema.json": {"get": {
                "summary": "JSON Schema of ChatExportPayload",
                "responses": {"200": {"description": "JSON Schema (draft 2020-12)"}, "401": err("invalid_credentials")}
            }},
            "/healthz": {"get": {"summary": "Liveness", "security": [],
                "responses": {"200": {"description": "The process answers"}}}},
            "/readyz": {"get": {"summary": "Readiness", "security": [],
                "responses": {"200": {"description": "Database and storage reachable"},
                              "503": err("unavailable")}}}
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                "description": "Authorization: Bearer mk_live_…"}},
            "schemas": schemas
        }
    })
}

fn rate_headers() -> Value {
    let int = |d: &str| json!({"description": d, "schema": {"type": "integer"}});
    json!({
        "X-RateLimit-Limit": int("Requests allowed per window"),
        "X-RateLimit-Remaining": int("Requests left in the current window"),
        "X-RateLimit-Reset": int("Unix seconds when a slot frees")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_names_every_route_and_resolves_refs() {
        let doc = document("http://127.0.0.1:8080");
        let text = doc.to_string();
        for path in [
            "/api/v1/chat/render",
            "/api/v1/chat/preview",
            "/api/v1/exports/{id}",
            "/api/v1/files/{name}",
        ] {
            assert!(doc["paths"].get(path).is_some(), "{path}");
        }
        // Every $ref points at a schema that exists.
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for part in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
            let name = part.split('"').next().unwrap();
            assert!(schemas.contains_key(name), "dangling $ref to {name}");
        }
    }

    #[test]
    fn payload_schema_knows_the_platforms() {
        let s = payload_schema().to_string();
        assert!(s.contains("microsoftTeams"));
        assert!(s.contains("resolutionScale"));
    }
}
