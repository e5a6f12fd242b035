//! JSON → [`Payload`], with errors that name the dotted path of the first bad field
//! (`Required at props.messages.0.userId`), in the style of the hosted API's messages.

use std::fmt;

use serde_json::{Map, Value};

use super::introspect::field_names;
use super::{
    ChatExportPayload, GroupChatSettings, Message, Payload, Props, Reaction, SidebarChat, Thread,
    User, VideoSettings,
};
use crate::Limits;

/// The longest client value echoed in an error message, in characters.
const MAX_ECHO_CHARS: usize = 60;
/// The longest error message, in characters (the tail of serde's own messages can
/// quote the input).
const MAX_MESSAGE_CHARS: usize = 400;

/// A client's value, quoted for an error message and cut to a readable length: a
/// megabyte of id must not come back in the response.
pub(crate) fn quote(value: &str) -> String {
    let mut chars = value.chars();
    let head: String = chars.by_ref().take(MAX_ECHO_CHARS).collect();
    if chars.next().is_some() {
        format!("'{head}…'")
    } else {
        format!("'{head}'")
    }
}

/// A message cut to [`MAX_MESSAGE_CHARS`].
fn bounded(message: String) -> String {
    if message.chars().count() <= MAX_MESSAGE_CHARS {
        return message;
    }
    let mut cut: String = message.chars().take(MAX_MESSAGE_CHARS).collect();
    cut.push('…');
    cut
}

/// The first problem found in a payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadError {
    /// Dotted path of the bad field, e.g. `props.messages.0.userId`; empty for the
    /// document itself.
    pub path: String,
    /// The whole human-readable message, path included.
    pub message: String,
}

impl PayloadError {
    pub(crate) fn new(path: impl Into<String>, what: impl fmt::Display) -> PayloadError {
        let path = path.into();
        let shown = if path.is_empty() { "(root)" } else { &path };
        PayloadError {
            message: bounded(format!("{what} at {shown}")),
            path,
        }
    }

    /// `what at path: detail`
    pub(crate) fn detailed(
        path: impl Into<String>,
        what: impl fmt::Display,
        detail: impl fmt::Display,
    ) -> PayloadError {
        let mut err = PayloadError::new(path, what);
        err.message = bounded(format!("{}: {detail}", err.message));
        err
    }
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PayloadError {}

/// Something in the payload that did not stop the render but that the client should
/// know about, such as a field we ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub path: String,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

pub(crate) fn parse(bytes: &[u8], limits: &Limits) -> Result<Payload, PayloadError> {
    let mut doc: Value =
        serde_json::from_slice(bytes).map_err(|e| PayloadError::detailed("", "Invalid JSON", e))?;
    if !doc.is_object() {
        return Err(PayloadError::detailed(
            "",
            "Invalid type",
            format!("expected object, received {}", json_kind(&doc)),
        ));
    }
    require_objects(&doc)?;
    let mut warnings = Vec::new();
    strip_unknown_inner_fields(&mut doc, &mut warnings);

    let export: ChatExportPayload =
        serde_path_to_error::deserialize(doc).map_err(|e| serde_error(&e))?;
    let mut payload = Payload::new_with(export, limits)?;
    warnings.append(&mut payload.warnings);
    payload.warnings = warnings;
    Ok(payload)
}

/// Objects of the schema must be JSON objects. serde's derived structs also accept
/// an array of their fields in order (`"sender": ["me", "Alex"]`), which no client
/// means and the published schema does not allow.
fn require_objects(doc: &Value) -> Result<(), PayloadError> {
    fn object(v: Option<&Value>, path: &str, optional: bool) -> Result<(), PayloadError> {
        match v {
            None => Ok(()),
            Some(Value::Null) if optional => Ok(()),
            Some(Value::Object(_)) => Ok(()),
            Some(other) => Err(PayloadError::detailed(
                path,
                "Invalid type",
                format!("expected object, received {}", json_kind(other)),
            )),
        }
    }
    fn each(
        v: Option<&Value>,
        path: &str,
        f: &mut dyn FnMut(&Value, &str) -> Result<(), PayloadError>,
    ) -> Result<(), PayloadError> {
        if let Some(Value::Array(items)) = v {
            for (i, item) in items.iter().enumerate() {
                f(item, &format!("{path}.{i}"))?;
            }
        }
        Ok(())
    }
    let props = doc.get("props");
    object(props, "props", false)?;
    let Some(props) = props else { return Ok(()) };
    object(props.get("sender"), "props.sender", false)?;
    object(
        props.get("groupChatSettings"),
        "props.groupChatSettings",
        true,
    )?;
    object(props.get("video"), "props.video", true)?;
    each(props.get("receivers"), "props.receivers", &mut |u, path| {
        object(Some(u), path, false)
    })?;
    each(props.get("sidebar"), "props.sidebar", &mut |c, path| {
        object(Some(c), path, false)
    })?;
    each(props.get("messages"), "props.messages", &mut |m, path| {
        object(Some(m), path, false)?;
        object(m.get("thread"), &format!("{path}.thread"), true)?;
        each(
            m.get("reactions"),
            &format!("{path}.reactions"),
            &mut |r, path| object(Some(r), path, false),
        )
    })
}

/// Removes fields we do not know from inside `props` (which the hosted schema may
/// have and we must not reject), recording a warning for each.
fn strip_unknown_inner_fields(doc: &mut Value, warnings: &mut Vec<Warning>) {
    let Some(props) = doc.get_mut("props").and_then(Value::as_object_mut) else {
        return;
    };
    strip(props, "props", field_names::<Props>(), warnings);
    if let Some(sender) = props.get_mut("sender").and_then(Value::as_object_mut) {
        strip(sender, "props.sender", field_names::<User>(), warnings);
    }
    for_each_object(
        props.get_mut("receivers"),
        "props.receivers",
        |obj, path| strip(obj, path, field_names::<User>(), warnings),
    );
    if let Some(group) = props
        .get_mut("groupChatSettings")
        .and_then(Value::as_object_mut)
    {
        let fields = field_names::<GroupChatSettings>();
        strip(group, "props.groupChatSettings", fields, warnings);
    }
    for_each_object(props.get_mut("sidebar"), "props.sidebar", |obj, path| {
        strip(obj, path, field_names::<SidebarChat>(), warnings)
    });
    if let Some(video) = props.get_mut("video").and_then(Value::as_object_mut) {
        strip(
            video,
            "props.video",
            field_names::<VideoSettings>(),
            warnings,
        );
    }
    for_each_object(props.get_mut("messages"), "props.messages", |msg, path| {
        strip(msg, path, field_names::<Message>(), warnings);
        let reactions = msg.get_mut("reactions");
        for_each_object(reactions, &format!("{path}.reactions"), |r, path| {
            strip(r, path, field_names::<Reaction>(), warnings)
        });
        if let Some(thread) = msg.get_mut("thread").and_then(Value::as_object_mut) {
            strip(
                thread,
                &format!("{path}.thread"),
                field_names::<Thread>(),
                warnings,
            );
        }
    });
}

fn for_each_object(
    array: Option<&mut Value>,
    path: &str,
    mut f: impl FnMut(&mut Map<String, Value>, &str),
) {
    let Some(items) = array.and_then(Value::as_array_mut) else {
        return;
    };
    for (i, item) in items.iter_mut().enumerate() {
        if let Some(obj) = item.as_object_mut() {
            f(obj, &format!("{path}.{i}"));
        }
    }
}

fn strip(obj: &mut Map<String, Value>, path: &str, known: &[&str], warnings: &mut Vec<Warning>) {
    obj.retain(|key, _| {
        let keep = known.contains(&key.as_str());
        if !keep {
            warnings.push(Warning {
                path: format!("{path}.{key}"),
                message: "unknown field ignored".to_owned(),
            });
        }
        keep
    });
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Turns serde's message for the failing field into the hosted API's wording.
fn serde_error(err: &serde_path_to_error::Error<serde_json::Error>) -> PayloadError {
    let mut path = dotted(err.path());
    let msg = err.inner().to_string();
    if let Some(field) = between(&msg, "missing field `", "`") {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(field);
        return PayloadError::new(path, "Required");
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let (received, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let expected = expected
            .trim_start_matches(", expected ")
            .trim_start_matches("one of ")
            .replace('`', "'");
        return PayloadError::detailed(
            path,
            "Invalid enum value",
            format!("expected one of {expected}; received {}", quote(received)),
        );
    }
    if msg.starts_with("unknown field `") {
        // The path already ends with the unknown key.
        return PayloadError::new(path, "Unrecognized key");
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (received, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return PayloadError::detailed(
            path,
            "Invalid type",
            format!(
                "expected {}, received {}",
                type_name(expected),
                received_kind(received)
            ),
        );
    }
    PayloadError::detailed(path, "Invalid value", msg)
}

fn dotted(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let parts: Vec<String> = path
        .iter()
        .filter_map(|seg| match seg {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { variant } => Some(variant.clone()),
            Segment::Unknown => None,
        })
        .collect();
    parts.join(".")
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = s.strip_prefix(start)?;
    rest.split_once(end).map(|(inside, _)| inside)
}

/// serde's "expected …" phrase as a JSON type name.
fn type_name(expected: &str) -> &str {
    match expected {
        "a string" => "string",
        "a boolean" => "boolean",
        "a sequence" => "array",
        e if e.starts_with("struct ") || e.starts_with("a map") => "object",
        e if e.starts_with("enum ") || e.starts_with("variant ") => "string",
        e if ["f64", "f32", "u32", "u64", "i64", "usize"].contains(&e) => "number",
        e => e,
    }
}

/// serde's description of what it got as a JSON type name.
fn received_kind(received: &str) -> &str {
    let word = received.split_whitespace().next().unwrap_or(received);
    match word {
        "integer" | "floating" => "number",
        "string" => "string",
        "boolean" => "boolean",
        "null" | "unit" => "null",
        "map" => "object",
        "sequence" => "array",
        _ => received,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn minimal() -> Value {
        json!({
            "mockupType": "chats",
            "platform": "imessage",
            "renderKind": "image",
            "resolutionScale": "2x",
            "rendererVersion": "mockup-remotion-v1",
            "props": {
                "platform": "imessage",
                "sender": {"id": "me", "name": "Me"},
                "receivers": [{"id": "you", "name": "You"}],
                "messages": [
                    {"id": "1", "type": "text", "userId": "me", "text": "hi",
                     "timestamp": "2024-05-01T09:41:00Z"}
                ]
            }
        })
    }

    fn error_of(doc: Value) -> PayloadError {
        parse(doc.to_string().as_bytes(), &Limits::default())
            .expect_err("payload should be rejected")
    }

    #[test]
    fn minimal_payload_parses_with_defaults() {
        let p = parse(minimal().to_string().as_bytes(), &Limits::default()).unwrap();
        assert!(p.warnings.is_empty());
        assert!(p.props().show_header);
        assert_eq!(p.props().status_bar_time, "9:41");
    }

    #[test]
    fn missing_field_names_its_path() {
        let mut doc = minimal();
        doc["props"]["messages"][0]
            .as_object_mut()
            .unwrap()
            .remove("userId");
        let e = error_of(doc);
        assert_eq!(e.message, "Required at props.messages.0.userId");
        assert_eq!(e.path, "props.messages.0.userId");
    }

    #[test]
    fn bad_enum_lists_the_choices() {
        let mut doc = minimal();
        doc["props"]["platform"] = json!("myspace");
        let e = error_of(doc);
        assert!(
            e.message
                .starts_with("Invalid enum value at props.platform: expected one of 'imessage'"),
            "{e}"
        );
        assert!(e.message.ends_with("received 'myspace'"), "{e}");
    }

    #[test]
    fn wrong_type_says_what_was_expected() {
        let mut doc = minimal();
        doc["props"]["sender"]["name"] = json!(5);
        let e = error_of(doc);
        assert_eq!(
            e.message,
            "Invalid type at props.sender.name: expected string, received number"
        );
    }

    #[test]
    fn unknown_top_level_field_is_rejected() {
        let mut doc = minimal();
        doc["extra"] = json!(true);
        let e = error_of(doc);
        assert_eq!(e.message, "Unrecognized key at extra");
    }

    #[test]
    fn unknown_props_fields_become_warnings() {
        let mut doc = minimal();
        doc["props"]["fancyMode"] = json!(true);
        doc["props"]["messages"][0]["mood"] = json!("happy");
        let p = parse(doc.to_string().as_bytes(), &Limits::default()).unwrap();
        let paths: Vec<_> = p.warnings.iter().map(|w| w.path.as_str()).collect();
        assert_eq!(paths, ["props.fancyMode", "props.messages.0.mood"]);
    }

    #[test]
    fn arrays_are_not_objects() {
        let mut doc = minimal();
        doc["props"]["sender"] = json!(["me", "Alex"]);
        let e = error_of(doc);
        assert_eq!(
            e.message,
            "Invalid type at props.sender: expected object, received array"
        );
        let mut doc = minimal();
        doc["props"]["messages"][0] = json!(["1", "text", "me", "hi", "2024-05-01T09:41:00Z"]);
        assert_eq!(error_of(doc).path, "props.messages.0");
    }

    #[test]
    fn echoed_values_are_cut_short() {
        let mut doc = minimal();
        doc["props"]["platform"] = json!("x".repeat(1_000_000));
        let e = error_of(doc);
        assert!(e.message.len() < 600, "{} bytes", e.message.len());
        assert!(e.message.contains("xxx…'"), "{}", e.message);
        let mut doc = minimal();
        doc["props"]["messages"][0]["userId"] = json!("y".repeat(100_000));
        let e = error_of(doc);
        assert!(
            e.message
                .starts_with("Unknown user at props.messages.0.userId")
        );
        assert!(e.message.len() < 200, "{}", e.message);
    }

    #[test]
    fn render_3d_is_refused_and_camera_ignored() {
        let mut doc = minimal();
        doc["render3D"] = json!(false);
        doc["cameraPosition"] = json!({"x": 1, "y": 2});
        let p = parse(doc.to_string().as_bytes(), &Limits::default()).unwrap();
        assert_eq!(p.warnings[0].path, "cameraPosition");
        let mut doc = minimal();
        doc["render3D"] = json!(true);
        assert_eq!(error_of(doc).path, "render3D");
    }

    #[test]
    fn not_json_and_not_an_object() {
        assert!(
            parse(b"{nope", &Limits::default())
                .unwrap_err()
                .message
                .starts_with("Invalid JSON at (root)")
        );
        assert_eq!(
            parse(b"[1]", &Limits::default()).unwrap_err().message,
            "Invalid type at (root): expected object, received array"
        );
    }
}
