//! Call sites survive new optional inputs, and the compiler catches a missing required one: one
//! program, written against the client of `specs/changes/base.yaml`, compiles unchanged against
//! the clients of the specs that add an optional query parameter (to an operation that has one,
//! and to one that had none) or an optional property to a request body, and stops compiling
//! where a required parameter is added, with an error that names it (so the check can fail).

use std::fs;
use workspace_tests::{root, target_dir, ScratchWorkspace};

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
    let created = client.items().create().name("a").tags(["x", "y"]).await?;
    let slow = telnyx::RequestOptions::new().timeout(std::time::Duration::from_secs(5));
    client.items().retrieve("i-1").with_options(slow).await?;
    println!("{item:?} {page:?} {walked:?} {created:?}");
    Ok(())
}

fn main() {}
"#;

/// A program that leaves out the one required input of `create`: `.name(..)`.
const FORGETFUL: &str = r#"
use CLIENT as telnyx;

#[allow(dead_code)]
async fn calls(client: &telnyx::Client) -> telnyx::Result<()> {
    client.items().create().tags(["x"]).await?;
    Ok(())
}

fn main() {}
"#;

/// Each client, the programs copied beside it as binaries.
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
        let bins = ["caller", "forgetful"].map(|bin| {
            format!("[[bin]]\nname = \"{bin}-NAME\"\npath = \"{bin}.rs\"\ntest = false\n").replace("NAME", name)
        });
        let dir = work.add(name, "client", &generated, &bins.concat());
        let client = format!("client_{name}");
        fs::write(dir.join("caller.rs"), CALLER.replace("CLIENT", &client)).unwrap();
        fs::write(dir.join("forgetful.rs"), FORGETFUL.replace("CLIENT", &client)).unwrap();
    }
    work.finish();
    work
}

/// `cargo check` of one binary of the scratch workspace: whether it compiled, and what rustc said.
fn check(work: &ScratchWorkspace, member: &str, bin: &str) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO"))
        .args(["check", "--offline", "--quiet", "-p", member, "--bin", bin])
        .env("CARGO_TARGET_DIR", target_dir())
        .current_dir(&work.dir)
        .output()
        .unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn new_optional_inputs_break_no_call_and_a_missing_required_one_is_named() {
    let work = workspace(&[
        ("base", None),
        // `GET /items/{id}` had no input besides its path: it gains an optional one.
        ("first_optional", Some("first_optional_parameter")),
        // `GET /things` had `sort`: it gains `q`.
        ("one_more_optional", Some("parameter_added")),
        // `POST /items` sends a `NewItem`: it gains an optional `color`.
        ("body_field", Some("body_field_added")),
        ("required", Some("params_argument_added")),
    ]);
    for name in ["base", "first_optional", "one_more_optional", "body_field"] {
        let (ok, stderr) = check(&work, &format!("client-{name}"), &format!("caller-{name}"));
        assert!(ok, "the calls stop compiling with the client of {name}:\n{stderr}");
    }
    // A required parameter added to `GET /items/{id}`: `retrieve("i-1")` alone is no future
    // any more, and the error names the input.
    let (ok, stderr) = check(&work, "client-required", "caller-required");
    assert!(!ok, "a required parameter must stop `retrieve(id).await` from compiling");
    assert!(stderr.contains("is not a future") && stderr.contains("Missing<expand>"), "{stderr}");
    // A required input left out is a compile error that names it, not a 422 from the server.
    let (ok, stderr) = check(&work, "client-base", "forgetful-base");
    assert!(!ok, "a call without its required input must not compile");
    assert!(stderr.contains("Missing<name>"), "{stderr}");
}
