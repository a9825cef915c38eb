//! A spec the generator cannot handle gives one line naming the file and the JSON pointer,
//! and `cargo xtask codegen` exits with 1 without touching the client.

use std::path::PathBuf;

fn write_spec(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("telnyx-codegen-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const HEAD: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";

fn error_of(name: &str, body: &str) -> generator::Error {
    let path = write_spec(name, &format!("{HEAD}{body}"));
    match generator::generate(&path) {
        Ok(_) => panic!("{name} should not generate"),
        Err(e) => {
            let line = e.to_string();
            assert!(!line.contains('\n'), "one line: {line}");
            assert!(line.starts_with(&path.display().to_string()), "names the file: {line}");
            e
        }
    }
}

#[test]
fn broken_ref() {
    let e = error_of(
        "broken_ref.yml",
        "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Missing'}\n",
    );
    assert_eq!(e.pointer, "/paths/~1a/get/responses/200/content/application~1json/schema/$ref");
    assert!(e.message.contains("resolves nowhere"));
}

#[test]
fn yaml_syntax_error() {
    let e = error_of("syntax.yml", "paths:\n  /a:\n    get:\n      summary: [oops\n      responses: {}\n");
    assert!(e.message.contains("invalid YAML"), "{e}");
    assert!(e.pointer.starts_with("/paths/~1a/get"), "{e}");
}

#[test]
fn wrong_type() {
    let e = error_of("wrong_type.yml", "paths:\n  /a:\n    get:\n      operationId: 5\n      responses: {}\n");
    assert_eq!(e.pointer, "/paths/~1a/get/operationId", "{e}");
    assert!(e.message.contains("expected a string"), "{e}");
}

#[test]
fn cli_exits_with_one_and_writes_nothing() {
    let path = write_spec(
        "cli_broken.yml",
        &format!("{HEAD}paths:\n  /a: {{get: {{responses: {{'200': {{$ref: '#/nope'}}}}}}}}\n"),
    );
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let before = std::fs::read_to_string(root.join("specs/telnyx.pin")).ok();
    let out = std::process::Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--package", "xtask", "--", "codegen", "--spec"])
        .arg(&path)
        .current_dir(&root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr.lines().last().unwrap_or("");
    assert!(last.contains("cli_broken.yml: #/paths/~1a/get/responses/200/$ref:"), "{stderr}");
    assert_eq!(std::fs::read_to_string(root.join("specs/telnyx.pin")).ok(), before);
}

/// Generates the `resources` fixture with a names file holding `lines`.
fn with_names(file: &str, lines: &str) -> generator::Result<generator::Generated> {
    let spec = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../specs/fixtures/resources.yaml");
    let names = write_spec(file, lines);
    generator::generate_with(&spec, generator::Options { names: Some(&names), ..Default::default() })
}

#[test]
fn names_file_entries_name_operations() {
    let g = with_names("good.names", "# comment\nPOST /number_orders number_orders.place  # as the docs call it\n")
        .unwrap();
    let op = g.api.operations.iter().find(|o| o.operation_id == "CreateNumberOrder").unwrap();
    assert_eq!((op.resource.join("."), op.name.as_str()), ("number_orders".into(), "place"));
    assert_eq!(g.api.names_from_file, 1);
    // A new sub-resource chain from the file.
    let g = with_names("moved.names", "GET /number_orders/{id} orders.lookup.one\n").unwrap();
    let op = g.api.operations.iter().find(|o| o.operation_id == "RetrieveNumberOrder").unwrap();
    assert_eq!(op.resource, ["orders", "lookup"]);
    assert!(g.files.iter().any(|f| f.contents.contains("pub fn lookup(&self)")), "the accessor exists");
}

#[test]
fn names_file_errors_name_the_line() {
    let cases = [
        ("gone.names", "\nGET /no_such_path things.list\n", "line 2: the spec has no operation GET /no_such_path"),
        (
            "twice.names",
            "GET /number_orders a.b\nGET /number_orders a.c\n",
            "line 2: GET /number_orders is already named on line 1",
        ),
        (
            "clash.names",
            "GET /number_orders number_orders.x\nPOST /number_orders number_orders.x\n",
            "line 2: number_orders.x is already another operation",
        ),
        (
            "child.names",
            "GET /number_orders managed_accounts.actions\n",
            "managed_accounts.actions is already a sub-resource",
        ),
        ("shape.names", "GET /number_orders\n", "line 1: expected `METHOD /path resource.method`"),
        ("case.names", "get /number_orders a.b\n", "not an HTTP method in upper case"),
        (
            "ident.names",
            "GET /number_orders a.listAll\n",
            "\"listAll\" in \"a.listAll\" is not a snake_case identifier",
        ),
        ("bare.names", "GET /number_orders list\n", "names no resource"),
    ];
    for (file, lines, expected) in cases {
        let e = match with_names(file, lines) {
            Ok(_) => panic!("{file} should not generate"),
            Err(e) => e,
        };
        let line = e.to_string();
        assert!(line.contains(file) && line.contains(expected), "{file}: {line}");
        assert!(!line.contains('\n'), "one line: {line}");
    }
}

#[test]
fn codegen_refuses_a_spec_that_is_not_the_pinned_one() {
    let path = write_spec("not_pinned.yml", &format!("{HEAD}paths: {{}}\n"));
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = std::process::Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--package", "xtask", "--", "codegen", "--check"])
        .env("TELNYX_SPEC", &path)
        .current_dir(&root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not_pinned.yml is not the pinned spec (SHA-256 "), "{stderr}");
    assert!(stderr.contains("run `cargo xtask update-spec` to fetch the pinned one"), "{stderr}");
}

/// The mistake of a published Telnyx spec (2024-09-19): a `required` list indented under
/// `properties`. By default that schema is degraded with a warning; `--strict` stops.
#[test]
fn an_unreadable_schema_is_a_warning_unless_strict() {
    let spec = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    SecretCreatedResponse:\n      type: object\n      properties:\n        id: {{type: string}}\n        required: [id]\n"
    );
    let path = write_spec("misindented.yml", &spec);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let xtask = |strict: bool| {
        let mut args = vec!["run", "--quiet", "--package", "xtask", "--", "ir", "--no-names", "--spec"];
        let path = path.to_str().unwrap();
        args.push(path);
        if strict {
            args.push("--strict");
        }
        std::process::Command::new(env!("CARGO")).args(args).current_dir(&root).output().unwrap()
    };
    let pointer = "#/components/schemas/SecretCreatedResponse/properties/required";
    let lenient = xtask(false);
    let stderr = String::from_utf8_lossy(&lenient.stderr);
    assert!(lenient.status.success(), "{stderr}");
    assert!(stderr.starts_with("warning: ") && stderr.contains(&format!("misindented.yml: {pointer}: ")), "{stderr}");
    assert!(stderr.contains("generated as serde_json::Value"), "{stderr}");
    let ir = String::from_utf8_lossy(&lenient.stdout);
    assert!(ir.contains("\"degraded\": [") && ir.contains(&pointer[1..]), "the IR records it");
    let strict = xtask(true);
    assert_eq!(strict.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&strict.stderr);
    assert!(stderr.lines().last().unwrap_or("").contains(&format!("misindented.yml: {pointer}: ")), "{stderr}");
}
