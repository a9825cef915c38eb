//! Call sites survive new optional inputs: one program, written against the client of
//! `specs/changes/base.yaml`, compiles unchanged against the clients of the specs that add an
//! optional query parameter (to an operation that has one, and to one that had none), and stops
//! compiling where a required one is added (so the check can fail).

use std::fs;
use workspace_tests::{root, ScratchWorkspace};

/// The calls a user of the base client writes: every operation, with what it requires only,
/// and the optional inputs that exist today set on the call.
const CALLER: &str = r#"
use CLIENT as telnyx;

#[allow(dead_code)]
async fn calls(client: &telnyx::Client) -> telnyx::Result<()> {
    let item = client.items().retrieve("i-1").await?;
    client.items().archive("i-1").await?;
    let page = client.items().list().await?;
    let walked = client.items().list().paginator().collect_items().await?;
    client.things().list().sort("name").await?;
    client.things().list().await?;
    let created = client.items().create(telnyx::types::NewItem::new("a")).await?;
    let slow = telnyx::RequestOptions::new().timeout(std::time::Duration::from_secs(5));
    client.items().retrieve("i-1").with_options(slow).await?;
    println!("{item:?} {page:?} {walked:?} {created:?}");
    Ok(())
}

fn main() {}
"#;

/// Each client, the program copied beside it as a binary.
fn workspace(specs: &[(&str, Option<&str>)]) -> ScratchWorkspace {
    let base = root().join("specs/changes/base.yaml");
    let patches: serde_json::Value =
        serde_yaml::from_str(&fs::read_to_string(root().join("specs/changes/patches.yaml")).unwrap()).unwrap();
    let mut work = ScratchWorkspace::new("call-sites");
    for (name, patch) in specs {
        let mut spec: serde_json::Value = serde_yaml::from_str(&fs::read_to_string(&base).unwrap()).unwrap();
        if let Some(patch) = patch {
            json_patch::merge(&mut spec, &patches[*patch]);
        }
        let path = work.dir.join(format!("{name}.json"));
        fs::write(&path, serde_json::to_string(&spec).unwrap()).unwrap();
        let generated = generator::generate(&path).unwrap_or_else(|e| panic!("{e}"));
        let tail = "[[bin]]\nname = \"caller-NAME\"\npath = \"caller.rs\"\ntest = false\n".replace("NAME", name);
        let dir = work.add(name, "client", &generated, &tail);
        fs::write(dir.join("caller.rs"), CALLER.replace("CLIENT", &format!("client_{name}"))).unwrap();
    }
    work.finish("");
    work
}

#[test]
fn a_new_optional_parameter_breaks_no_call_and_a_required_one_does() {
    let work = workspace(&[
        ("base", None),
        // `GET /items/{id}` had no input besides its path: it gains an optional one.
        ("first_optional", Some("first_optional_parameter")),
        // `GET /things` had `sort`: it gains `q`.
        ("one_more_optional", Some("parameter_added")),
        ("required", Some("params_argument_added")),
    ]);
    for member in ["client-base", "client-first_optional", "client-one_more_optional"] {
        work.cargo(
            &["check", "--offline", "--quiet", "-p", member, "--bins"],
            &format!("the calls stop compiling with {member}"),
        );
    }
    let out = std::process::Command::new(env!("CARGO"))
        .args(["check", "--offline", "--quiet", "-p", "client-required", "--bins"])
        .env("CARGO_TARGET_DIR", root().join("target"))
        .current_dir(&work.dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a required parameter must change the call `retrieve(id)`");
    assert!(stderr.contains("retrieve"), "{stderr}");
}
