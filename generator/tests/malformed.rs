//! Malformed specs: every keyword of a small spec given each wrong JSON type, documents that are
//! empty, not mappings, deeply nested or full of huge numbers, dangling and cyclic `$ref`s,
//! duplicate keys and a byte-order mark. Each must give a clean error (one line, naming the
//! file) or a client, never a panic or a hang; and in lenient mode a schema that cannot be read
//! gives a client with that schema degraded to `serde_json::Value`.

use serde_json::{json, Value};

use std::sync::mpsc;
use std::time::Duration;

const BASE: &str = include_str!("../../specs/changes/base.yaml");

/// How one run ended.
#[derive(Debug)]
enum Outcome {
    Generated { degraded: Vec<String> },
    Failed(generator::Error),
}

/// Generates the spec text in a thread of its own, failing the test on a panic or after 20 s.
fn run(name: &str, text: &str, lenient: bool) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let (tx, rx) = mpsc::channel();
    let spec = path.clone();
    let worker = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let options = generator::Options { lenient, ..Default::default() };
            let _ = tx.send(generator::generate_with(&spec, options));
        })
        .unwrap();
    let result = match rx.recv_timeout(Duration::from_secs(20)) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{name}: no answer in 20 s (lenient: {lenient})"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{name}: the generator panicked (lenient: {lenient})"),
    };
    worker.join().unwrap();
    match result {
        Ok(g) => Outcome::Generated { degraded: g.api.degraded.iter().map(|d| d.pointer.clone()).collect() },
        Err(e) => {
            assert_eq!(e.file, path, "{name}: the error names the spec file: {e}");
            assert!(!e.message.is_empty() && !e.message.contains('\n'), "{name}: one line: {e}");
            Outcome::Failed(e)
        }
    }
}

fn base() -> Value {
    serde_yaml::from_str(BASE).unwrap()
}

/// Every (pointer, key) of an object member in `v`, examples left out.
fn members(v: &Value, ptr: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                if k == "example" || k == "examples" {
                    continue;
                }
                let p = format!("{ptr}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                members(x, &p, out);
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                members(x, &format!("{ptr}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn same_type(a: &Value, b: &Value) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

#[test]
fn every_keyword_of_the_wrong_type() {
    let base = base();
    let mut pointers = Vec::new();
    members(&base, "", &mut pointers);
    let wrong = [json!(5), json!("x"), json!(true), Value::Null, json!([]), json!({})];
    let (mut errors, mut generated, mut degraded) = (0, 0, 0);
    for pointer in &pointers {
        for value in &wrong {
            if same_type(base.pointer(pointer).unwrap(), value) {
                continue;
            }
            let mut spec = base.clone();
            *spec.pointer_mut(pointer).unwrap() = value.clone();
            let text = serde_json::to_string(&spec).unwrap();
            let name = format!("{pointer} = {value}");
            match run("spec.json", &text, false) {
                Outcome::Generated { .. } => generated += 1,
                Outcome::Failed(strict) => {
                    errors += 1;
                    // A schema that cannot be read: lenient mode degrades it and goes on.
                    if let Some(schema) = generator::degrade::schema_at(&strict.pointer) {
                        match run("spec.json", &text, true) {
                            Outcome::Generated { degraded: d } => {
                                assert!(d.contains(&schema), "{name}: {schema} is not among the degraded {d:?}");
                                degraded += 1;
                            }
                            // What was wrong outside schemas (say `components: 5`, which left
                            // the `$ref`s dangling) is still an error.
                            Outcome::Failed(e) => assert!(
                                generator::degrade::schema_at(&e.pointer).is_none(),
                                "{name}: lenient mode failed inside a schema: {e} (strict: {strict})"
                            ),
                        }
                    }
                }
            }
        }
    }
    eprintln!(
        "{} variants: {generated} generated, {errors} clean errors ({degraded} degraded when lenient)",
        errors + generated
    );
    assert!(errors > 100 && degraded > 50, "the corpus reaches the checks");
}

/// A document of its own: every mode gives a client or a clean error.
fn either(name: &str, text: &str) -> [Outcome; 2] {
    [run(name, text, false), run(name, text, true)]
}

#[test]
fn documents_that_are_not_specs() {
    for (name, text) in [
        ("empty.yml", ""),
        ("blank.yml", "\n\n"),
        ("list.yml", "- a\n- b\n"),
        ("number.json", "5"),
        ("null.yml", "null"),
        ("string.yml", "openapi"),
        ("no-info.yml", "openapi: 3.0.0\npaths: {}\n"),
        ("version.yml", "openapi: 2.0\ninfo: {title: t, version: '1'}\npaths: {}\n"),
        ("binary.yml", "\u{0}\u{1}\u{2}"),
    ] {
        for outcome in either(name, text) {
            assert!(matches!(outcome, Outcome::Failed(_)), "{name}: {outcome:?}");
        }
    }
}

#[test]
fn a_byte_order_mark_is_read_past() {
    for (name, text) in [("bom.yml", format!("\u{feff}{BASE}")), ("bom.json", format!("\u{feff}{}", base()))] {
        for outcome in either(name, &text) {
            assert!(matches!(outcome, Outcome::Generated { .. }), "{name}: {outcome:?}");
        }
    }
}

#[test]
fn duplicate_keys_are_a_clean_error() {
    let text = BASE.replacen("  /things:\n", "  /things:\n    get: {responses: {}}\n", 1);
    for outcome in either("duplicate.yml", &text) {
        match outcome {
            Outcome::Failed(e) => assert!(e.message.contains("duplicate"), "{e}"),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn huge_numbers() {
    let mut spec = base();
    spec["components"]["schemas"]["Item"]["properties"]["size"] =
        json!({"type": "integer", "minimum": -1e300, "maximum": 12345, "enum": [1, 2]});
    let text = serde_json::to_string(&spec).unwrap();
    // An integer past 64 bits reads as a float, as JSON readers do: a client.
    let wide = text.replacen("\"enum\":[1,2]", "\"enum\":[123456789012345678901234567890,2]", 1);
    assert_ne!(wide, text);
    for outcome in either("wide.json", &wide) {
        assert!(matches!(outcome, Outcome::Generated { .. }), "{outcome:?}");
    }
    // A number past `f64`: the JSON reader refuses the document, in one line.
    let infinite = text.replacen("12345", "1e999", 1);
    assert_ne!(infinite, text);
    for outcome in either("infinite.json", &infinite) {
        match outcome {
            Outcome::Failed(e) => assert!(e.message.contains("number out of range"), "{e}"),
            other => panic!("{other:?}"),
        }
    }
    // The same in YAML, whose reader hands over 128-bit integers and reads `1e999` as text.
    let yaml = BASE.replacen(
        "size: {type: integer}",
        "size: {type: integer, enum: [123456789012345678901234567890, 2], maximum: 1e999}",
        1,
    );
    assert_ne!(yaml, BASE);
    // Strict: a clean error (`maximum` is not a number); lenient: that schema degraded.
    let [_, lenient] = either("huge.yml", &yaml);
    assert!(matches!(lenient, Outcome::Generated { .. }), "{lenient:?}");
}

#[test]
fn deep_nesting() {
    for depth in [50, 500, 5000] {
        // Written as text: a value this deep would overflow the test's own stack.
        let deep = "{\"type\":\"array\",\"items\":".repeat(depth) + "{\"type\":\"string\"}" + &"}".repeat(depth);
        let json = serde_json::to_string(&base()).unwrap().replacen(
            "\"schemas\":{",
            &format!("\"schemas\":{{\"Deep\":{deep},"),
            1,
        );
        let _ = either(&format!("deep{depth}.json"), &json);
        let yaml = BASE.replacen(
            "components:\n  schemas:\n",
            &format!("components:\n  schemas:\n    Deep: {}\n", "{items: ".repeat(depth) + &"}".repeat(depth)),
            1,
        );
        let _ = either(&format!("deep{depth}.yml"), &yaml);
    }
}

#[test]
fn dangling_and_cyclic_refs() {
    let cases: [(&str, Value, &str); 5] = [
        ("dangling", json!({"$ref": "#/components/schemas/Nowhere"}), "/components/schemas/Item/properties/owner"),
        ("self", json!({"$ref": "#/components/schemas/Loop"}), "/components/schemas/Loop"),
        (
            "list-of-self",
            json!({"type": "array", "items": {"$ref": "#/components/schemas/Loop"}}),
            "/components/schemas/Loop",
        ),
        ("pair", json!({"$ref": "#/components/schemas/Other"}), "/components/schemas/Loop"),
        ("external", json!({"$ref": "other.yml#/A"}), "/components/schemas/Item/properties/owner"),
    ];
    for (name, schema, degraded) in cases {
        let mut spec = base();
        if name == "dangling" || name == "external" {
            spec["components"]["schemas"]["Item"]["properties"]["owner"] = schema;
        } else {
            spec["components"]["schemas"]["Loop"] = schema;
            spec["components"]["schemas"]["Other"] = json!({"$ref": "#/components/schemas/Loop"});
        }
        let text = serde_json::to_string(&spec).unwrap();
        match run(&format!("{name}.json"), &text, false) {
            Outcome::Failed(e) => assert!(e.pointer.starts_with(degraded), "{name}: {e}"),
            other => panic!("{name}: strict mode generated {other:?}"),
        }
        match run(&format!("{name}.json"), &text, true) {
            Outcome::Generated { degraded: d } => assert!(d.iter().any(|p| p == degraded), "{name}: {d:?}"),
            Outcome::Failed(e) => panic!("{name}: lenient mode failed: {e}"),
        }
    }
    // A `$ref` cycle where no schema is (parameters) is an error in both modes.
    let mut spec = base();
    spec["components"]["parameters"] = json!({"p": {"$ref": "#/components/parameters/p"}});
    spec["paths"]["/things"]["get"]["parameters"] = json!([{"$ref": "#/components/parameters/p"}]);
    for outcome in either("param-cycle.json", &serde_json::to_string(&spec).unwrap()) {
        assert!(matches!(outcome, Outcome::Failed(_)), "{outcome:?}");
    }
}

/// The mistake of a published Telnyx spec (2024-09-19): `required` indented under `properties`.
#[test]
fn a_required_list_under_properties_degrades_that_property() {
    let text = BASE.replacen(
        "      required: [name]\n      properties:\n",
        "      properties:\n        required: [name]\n",
        1,
    );
    assert_ne!(text, BASE);
    let Outcome::Failed(e) = run("misindented.yml", &text, false) else { panic!("strict mode generated") };
    assert!(e.pointer.starts_with("/components/schemas/NewItem/properties/required"), "{e}");
    match run("misindented.yml", &text, true) {
        Outcome::Generated { degraded } => {
            assert_eq!(degraded, vec!["/components/schemas/NewItem/properties/required".to_string()])
        }
        Outcome::Failed(e) => panic!("{e}"),
    }
}

/// A `101` schema holding frames of both directions whose members do not say who sends them
/// (by `Client` or `Server` in their names) cannot be split: an error at the member.
#[test]
fn websocket_frames_of_no_known_side_are_an_error_at_the_member() {
    let fixture = include_str!("../../specs/fixtures/websockets.yaml");
    let ambiguous = fixture.replace("ClientTextFrame", "TextFrame");
    let Outcome::Failed(e) = run("ambiguous.yaml", &ambiguous, false) else { panic!("an error") };
    assert_eq!(e.pointer, "/paths/~1speech/get/responses/101/content/application~1json/schema/oneOf/0", "{e}");
    assert!(e.message.contains("cannot tell who sends this WebSocket frame"), "{e}");
    let twice = fixture.replace(
        "{$ref: '#/components/schemas/TtsServerEvent'}]",
        "{$ref: '#/components/schemas/TtsServerEvent'}, {$ref: '#/components/schemas/SttServerEvent'}]",
    );
    let Outcome::Failed(e) = run("twice.yaml", &twice, false) else { panic!("an error") };
    assert!(e.pointer.ends_with("/oneOf/2") && e.message.contains("second WebSocket frame"), "{e}");
}

#[test]
fn a_body_that_requires_itself_is_a_clean_error() {
    // `NewItem` requires a `parent` that is a `NewItem`: no finite JSON value of it exists, so
    // no call could send one, and no builder could start.
    let mut spec = base();
    let new_item = &mut spec["components"]["schemas"]["NewItem"];
    new_item["properties"]["parent"] = json!({"$ref": "#/components/schemas/NewItem"});
    new_item["required"] = json!(["name", "parent"]);
    let text = serde_json::to_string(&spec).unwrap();
    for outcome in either("requires-itself.json", &text) {
        match outcome {
            Outcome::Failed(e) => {
                assert_eq!(e.pointer, "/components/schemas/NewItem", "{e}");
                assert!(e.message.contains("requires itself through required properties (NewItem -> NewItem)"), "{e}");
            }
            other => panic!("{other:?}"),
        }
    }
}
