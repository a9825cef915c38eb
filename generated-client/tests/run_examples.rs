//! Runs every program of `examples/` to completion against the Prism mock server (static
//! mode) that `cargo xtask conformance` and `cargo xtask test` start, and the streaming ones
//! (which Prism cannot serve) against the scripted WebSocket server of `tests/websockets.rs`:
//! each must exit with success within a minute. The examples are built by the same
//! `cargo test` that runs this.

#[allow(dead_code)]
#[path = "common/ws_server.rs"]
mod ws_server;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(60);

/// The examples that stream over WebSocket, run against the local WebSocket server.
const STREAMING: [&str; 2] = ["speak_stream", "transcribe_stream"];

/// Every example, by its file name under `examples/`: adding one adds it here.
fn examples() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .filter_map(|e| e.path().file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    names.sort();
    names
}

/// `target/<profile>/examples/<name>`, beside the `deps/` this test binary runs from.
fn binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let profile = exe.parent().and_then(Path::parent).expect("target/<profile>/deps/<test>");
    profile.join("examples").join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

#[test]
#[ignore = "needs Prism: run `cargo xtask conformance`"]
fn examples_run_against_prism() {
    let Some(base_url) = std::env::var_os("TELNYX_PRISM_STATIC") else {
        panic!("TELNYX_PRISM_STATIC is not set: run `cargo xtask conformance`, which starts Prism and sets it");
    };
    let names = examples();
    assert!(names.len() >= 10, "at least ten examples: {names:?}");
    let runtime = tokio::runtime::Runtime::new().expect("a runtime for the WebSocket server");
    let streams = runtime.block_on(ws_server::start(ws_server::Fault::None));
    let mut failures = Vec::new();
    for name in &names {
        let bin = binary(name);
        assert!(bin.is_file(), "{} is not built: `cargo test` builds the examples", bin.display());
        let mut command = Command::new(&bin);
        let base = if STREAMING.contains(&name.as_str()) { streams.base_url().into() } else { base_url.clone() };
        command
            .env("TELNYX_BASE_URL", &base)
            .env_remove("TELNYX_PUBLIC_KEY")
            .env_remove("TELNYX_CLIENT_ID")
            .env_remove("TELNYX_CLIENT_SECRET")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if name == "oauth_client_credentials" {
            command.env_remove("TELNYX_API_KEY");
            command.env("TELNYX_CLIENT_ID", "example-id").env("TELNYX_CLIENT_SECRET", "example-secret");
        } else {
            command.env("TELNYX_API_KEY", "example-key");
        }
        let started = Instant::now();
        let mut child = command.spawn().unwrap_or_else(|e| panic!("{}: {e}", bin.display()));
        let status = loop {
            if let Some(status) = child.try_wait().expect("the example's status") {
                break Some(status);
            }
            if started.elapsed() > LIMIT {
                let _ = child.kill();
                break None;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let output = child.wait_with_output().expect("the example's output");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        println!("--- {name} ({:.1} s)\n{stdout}{stderr}", started.elapsed().as_secs_f64());
        match status {
            Some(s) if s.success() && !stdout.trim().is_empty() => {}
            Some(s) => failures.push(format!("{name}: {s}\n{stdout}{stderr}")),
            None => failures.push(format!("{name}: still running after {} s", LIMIT.as_secs())),
        }
    }
    let seen = streams.seen();
    for name in STREAMING {
        assert!(names.iter().any(|n| n == name), "the streaming example {name} exists");
    }
    assert_eq!(seen.len(), STREAMING.len(), "one WebSocket session per streaming example: {seen:?}");
    assert!(failures.is_empty(), "examples that failed:\n{}", failures.join("\n"));
}
