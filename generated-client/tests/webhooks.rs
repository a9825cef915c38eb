//! Every webhook example in the spec, signed as Telnyx signs, passes `verify_and_parse` into its
//! own variant of `WebhookEvent` and encodes back unchanged; an event type the crate does not
//! know parses into `Unknown`, kept whole.
//! The spec is read as in `tests/examples.rs` (`TELNYX_SPEC`, or `../shared`).

use serde_json::{json, Value};
use telnyx::webhooks::WebhookEvent;

mod common;
use common::{follow, spec};

fn signing_key() -> ed25519_dalek::SigningKey {
    ed25519_dalek::SigningKey::from_bytes(&[3; 32])
}

fn public_key() -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(signing_key().verifying_key().as_bytes())
}

/// The two headers Telnyx sends with `body`, signed now.
fn sign(body: &[u8]) -> Vec<(String, String)> {
    use base64::Engine as _;
    use ed25519_dalek::Signer as _;
    let ts = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs().to_string();
    let mut message = format!("{ts}|").into_bytes();
    message.extend_from_slice(body);
    let signature = base64::engine::general_purpose::STANDARD.encode(signing_key().sign(&message).to_bytes());
    vec![("telnyx-timestamp".into(), ts), ("telnyx-signature-ed25519".into(), signature)]
}

/// The event types a payload schema declares (`data.event_type` or `event_type` with an enum).
fn declared_event_types(doc: &Value, schema: &Value) -> Vec<String> {
    let schema = follow(doc, schema);
    let under_data = schema.pointer("/properties/data").map(|d| follow(doc, d));
    let field = under_data
        .and_then(|d| d.pointer("/properties/event_type"))
        .or_else(|| schema.pointer("/properties/event_type"))
        .map(|f| follow(doc, f));
    let list = field.and_then(|f| f.get("enum").or_else(|| f.get("const").map(|_| f)));
    match list {
        Some(Value::Array(values)) => values.iter().filter_map(|v| v.as_str().map(String::from)).collect(),
        Some(f) => f.get("const").and_then(Value::as_str).map(String::from).into_iter().collect(),
        None => Vec::new(),
    }
}

/// A body built from the schema's own examples, as a mock server does: the schema's `example`
/// where it has one, else its properties' examples (or first enum value, or default), merged
/// through `allOf` and taking the first member of a `oneOf`/`anyOf`.
fn synthesize(doc: &Value, schema: &Value, depth: usize) -> Option<Value> {
    let s = follow(doc, schema);
    if depth > 12 {
        return None;
    }
    if let Some(v) = s.get("example").or_else(|| s.get("const")).or_else(|| s.get("default")) {
        return Some(v.clone());
    }
    if let Some(Value::Array(values)) = s.get("examples") {
        return values.first().cloned();
    }
    if let Some(Value::Array(values)) = s.get("enum") {
        return values.first().cloned();
    }
    if let Some(Value::Array(members)) = s.get("allOf") {
        let mut merged = serde_json::Map::new();
        for m in members {
            if let Some(Value::Object(part)) = synthesize(doc, m, depth + 1) {
                merged.extend(part);
            }
        }
        if let Some(Value::Object(own)) = synthesize_properties(doc, s, depth) {
            merged.extend(own);
        }
        return Some(Value::Object(merged));
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = s.get(key) {
            return members.iter().find_map(|m| synthesize(doc, m, depth + 1));
        }
    }
    if let Some(items) = s.get("items") {
        return Some(Value::Array(synthesize(doc, items, depth + 1).into_iter().collect()));
    }
    synthesize_properties(doc, s, depth)
}

fn synthesize_properties(doc: &Value, s: &Value, depth: usize) -> Option<Value> {
    let props = s.get("properties")?.as_object()?;
    let object = props.iter().filter_map(|(k, p)| Some((k.clone(), synthesize(doc, p, depth + 1)?))).collect();
    Some(Value::Object(object))
}

#[test]
fn every_webhook_example_parses_into_its_typed_event() {
    let doc = spec();
    let webhooks = doc["webhooks"].as_object().expect("the spec has webhooks");
    let (mut typed, mut untyped) = (0, 0);
    for (name, item) in webhooks {
        let media = item.pointer("/post/requestBody/content/application~1json").expect("a JSON body");
        let schema = media.get("schema").expect("a schema");
        let built;
        let example = match media.get("example").or_else(|| follow(&doc, schema).get("example")) {
            Some(whole) => whole,
            None => {
                built = synthesize(&doc, schema, 0).unwrap_or_else(|| panic!("webhook {name} has no examples"));
                &built
            }
        };
        let declared = declared_event_types(&doc, schema);
        let body = serde_json::to_vec(example).unwrap();
        let event = telnyx::webhooks::verify_and_parse(&body, &sign(&body), &public_key())
            .unwrap_or_else(|e| panic!("webhook {name}: its example does not pass: {e}"));
        if declared.is_empty() {
            // Nothing in the body names this event: it stays whole in `Unknown`.
            assert!(matches!(event, WebhookEvent::Unknown(_)), "{name}");
            untyped += 1;
            continue;
        }
        assert!(!matches!(event, WebhookEvent::Unknown(_)), "webhook {name} parsed as Unknown");
        let sent = example.pointer("/data/event_type").or_else(|| example.get("event_type")).and_then(Value::as_str);
        assert!(sent.is_some_and(|s| declared.iter().any(|d| d == s)), "{name}: example event type {sent:?}");
        assert!(declared.iter().any(|d| Some(d.as_str()) == event.event_type()), "{name}");
        assert_eq!(serde_json::to_value(&event).unwrap(), *example, "webhook {name} does not round-trip");
        typed += 1;
    }
    use std::io::Write;
    let _ =
        writeln!(std::io::stderr(), "webhooks: {typed} parsed into their typed event, {untyped} without an event type");
    assert_eq!(typed + untyped, webhooks.len());
    assert!(typed >= 60, "only {typed} typed webhook events");
}

#[test]
fn an_unknown_event_type_is_kept_whole() {
    let body = json!({"data": {"event_type": "call.teleported", "id": "x", "payload": {"where": "mars"}}});
    let event: WebhookEvent = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(event.event_type(), Some("call.teleported"));
    assert!(matches!(&event, WebhookEvent::Unknown(v) if *v == body));
    assert_eq!(serde_json::to_value(&event).unwrap(), body);
}

#[test]
fn a_known_event_type_with_a_bad_shape_is_an_error() {
    let body = json!({"data": {"event_type": "call.hangup", "payload": "not an object"}});
    assert!(serde_json::from_value::<WebhookEvent>(body).is_err());
}
