//! `cargo xtask <command>`: the maintainers' commands.
//!
//! - `codegen [--spec PATH] [--check]`: regenerate `generated-client/src/generated` from the spec
//!   (default: the pinned one, `specs/telnyx/openapi.yml` or `../shared`), or with `--check` write
//!   nothing and fail, naming the stale files, when the committed client differs from what the
//!   spec gives. A schema it cannot read is generated as `serde_json::Value` with a warning
//!   (counted as `degraded`); `--strict` makes it an error (CI uses it).
//! - `update-spec [--from URL|PATH]`: without `--from`, fetch the pinned spec from the pin's
//!   source, check its SHA-256 and store it in `specs/telnyx/` (git-ignored); with it, check that
//!   the new spec generates, store and pin it, regenerate, and print the change report.
//! - `changes OLD NEW [--by-rule]`: what a move from spec OLD to spec NEW changes for users of
//!   the crate, with a semver verdict (Markdown); NEW keeps OLD's type names as `update-spec`
//!   would, or with `--by-rule` is named by the rule alone, as `codegen --spec NEW` does.
//! - `ir [--spec PATH]`: print the intermediate representation as JSON.
//! - `bench [--spec PATH] [--runs N]`: time the whole generation and each stage, and peak memory.
//! - `conformance [--spec PATH]`: install the pinned Prism, start one mock server per mode on
//!   free ports, run the conformance tests against them, and stop them.
//! - `test`: the whole test suite, as CI runs it, conformance against Prism included.
//! - `naming-report PATH [--spec PATH] [--suggest]`: how many operations are named as the
//!   official SDK (an unpacked npm package `telnyx` at PATH) names them; `--suggest` prints the
//!   lines of `specs/telnyx.names` that would name the rest.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

mod naming;
mod pin;
mod prism;
mod update;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen(&args[1..]),
        Some("ir") => ir(&args[1..]),
        Some("bench") => bench(&args[1..]),
        Some("test") => test(&args[1..]),
        Some("conformance") => conformance(&args[1..]),
        Some("naming-report") => naming_report(&args[1..]),
        Some("update-spec") => update_spec(&args[1..]),
        Some("changes") => changes(&args[1..]),
        Some("live") => live(&args[1..]),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str =
    "usage: cargo xtask <codegen [--spec PATH] [--check] [--strict] | update-spec [--from URL|PATH] | changes OLD NEW [--by-rule] | ir [--spec PATH] [--strict] | bench [--spec PATH] [--runs N] | conformance [--spec PATH] | test | live [--spend] | naming-report PATH [--spec PATH] [--suggest]>\n  codegen, update-spec, changes, ir, bench and naming-report read specs/telnyx.names unless --no-names";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask sits in the workspace").to_path_buf()
}

/// Operation names the naming rules do not give (see `docs/naming.md`).
const NAMES_FILE: &str = "specs/telnyx.names";

/// Type names kept from earlier specs (see `docs/following-the-spec.md`, "Stable names"); `update-spec` writes it.
pub const TYPES_FILE: &str = "specs/telnyx.types";

/// Operation names kept from earlier specs (the same page); `update-spec` writes it.
pub const METHODS_FILE: &str = "specs/telnyx.methods";

impl Options {
    fn generator(&self) -> generator::Options<'_> {
        generator::Options {
            names: self.names.as_deref(),
            type_names: self.type_names.as_ref(),
            kept_operations: self.kept_operations.as_ref(),
            lenient: !self.strict,
            ..Default::default()
        }
    }

    fn spec(&self) -> Result<PathBuf, String> {
        match &self.spec {
            Some(p) => Ok(p.clone()),
            None => pin::spec_path(&workspace_root()),
        }
    }
}

struct Options {
    /// `--spec`, else the pinned spec (see [`pin::spec_path`]).
    spec: Option<PathBuf>,
    spec_given: bool,
    /// `specs/telnyx.names`, unless `--no-names`.
    names: Option<PathBuf>,
    /// `specs/telnyx.types`, unless `--no-names`.
    type_names: Option<generator::ir::naming::TypeNames>,
    /// `specs/telnyx.methods`, unless `--no-names`.
    kept_operations: Option<generator::ir::naming::NameFile>,
    /// `--strict`: a schema the generator cannot read is an error, not a `serde_json::Value`.
    strict: bool,
    check: bool,
    runs: usize,
}

fn options(args: &[String]) -> Result<Options, String> {
    let root = workspace_root();
    let type_names = generator::ir::naming::TypeNames::read(&root.join(TYPES_FILE)).map_err(|e| e.to_string())?;
    let kept_operations =
        generator::ir::naming::NameFile::read_or_empty(&root.join(METHODS_FILE)).map_err(|e| e.to_string())?;
    let mut o = Options {
        spec: None,
        spec_given: false,
        names: Some(root.join(NAMES_FILE)),
        type_names: Some(type_names),
        kept_operations: Some(kept_operations),
        strict: false,
        check: false,
        runs: 5,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--spec" => {
                o.spec = Some(it.next().ok_or("--spec needs a path")?.into());
                o.spec_given = true;
            }
            "--check" => o.check = true,
            "--strict" => o.strict = true,
            "--no-names" => {
                o.names = None;
                o.type_names = None;
                o.kept_operations = None;
            }
            "--runs" => o.runs = it.next().and_then(|n| n.parse().ok()).ok_or("--runs needs a number")?,
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    Ok(o)
}

fn codegen(args: &[String]) -> Result<(), String> {
    let o = options(args)?;
    let root = workspace_root();
    let out = root.join("generated-client").join(generator::GENERATED_DIR);
    let spec = o.spec()?;
    // Without --spec the client comes from the pinned spec: check that this is it.
    let pinned = if o.spec_given {
        None
    } else {
        let pin = pin::Pin::read(&root)?;
        let bytes = std::fs::read(&spec).map_err(|e| format!("{}: cannot read: {e}", spec.display()))?;
        let sha = pin::sha256_hex(&bytes);
        if sha != pin.sha256 {
            return Err(format!(
                "{} is not the pinned spec (SHA-256 {sha}, specs/telnyx.pin says {}): run `cargo xtask update-spec` to fetch the pinned one, or `cargo xtask update-spec --from {}` to pin this one",
                spec.display(),
                pin.sha256,
                spec.display()
            ));
        }
        Some((pin, bytes))
    };
    let generated = generator::generate_with(&spec, o.generator()).map_err(|e| e.to_string())?;
    warn_degraded(&spec, &generated.api);
    if o.check {
        let mut stale = generated.stale_sources(&root.join("generated-client"));
        if let Some((pin, bytes)) = &pinned {
            if pin::Pin::of(&pin.source, bytes, &generated.api) != *pin {
                stale.push(pin::path(&root));
            }
        }
        let manifest_path = root.join("generated-client").join(generator::MANIFEST);
        let manifest = read(&manifest_path)?;
        if generated.manifest(&manifest_path, &manifest).map_err(|e| e.to_string())? != manifest {
            stale.push(manifest_path);
        }
        let reference = root.join("generated-client").join(generator::emit::reference::FILE);
        if std::fs::read_to_string(&reference).ok().as_deref() != Some(generated.api_md.as_str()) {
            stale.push(reference);
        }
        if !stale.is_empty() {
            let list: Vec<String> =
                stale.iter().map(|p| p.strip_prefix(&root).unwrap_or(p).display().to_string()).collect();
            return Err(format!(
                "the committed client is stale ({} files differ from what {} gives; run `cargo xtask codegen`): {}",
                list.len(),
                spec.display(),
                list.join(", ")
            ));
        }
        println!("up to date: {}", generated.summary());
        return Ok(());
    }
    let written = write_client(&root, &generated)?;
    println!("generated {}: {} ({written})", out.strip_prefix(&root).unwrap_or(&out).display(), generated.summary(),);
    if o.spec_given {
        println!(
            "note: generated from {}, which is not the pinned spec; `cargo xtask update-spec --from {}` pins it (until then `codegen --check` fails)",
            spec.display(),
            spec.display()
        );
    }
    Ok(())
}

/// One warning per schema generated as `serde_json::Value` because it could not be read.
pub fn warn_degraded(spec: &Path, api: &generator::ir::Api) {
    for d in &api.degraded {
        eprintln!("warning: {}", generator::degrade::warning(spec, d));
    }
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))
}

/// Writes the generated files (the library's and its tests' tables) and the client's features
/// block; says how many files changed.
pub fn write_client(root: &Path, generated: &generator::Generated) -> Result<String, String> {
    let client = root.join("generated-client");
    let manifest_path = client.join(generator::MANIFEST);
    let manifest = read(&manifest_path)?;
    let new_manifest = generated.manifest(&manifest_path, &manifest).map_err(|e| e.to_string())?;
    let stats = generated.write_sources(&client).map_err(|e| e.to_string())?;
    if new_manifest != manifest {
        generator::output::write_file(&manifest_path, &new_manifest).map_err(|e| e.to_string())?;
    }
    let reference = root.join("generated-client").join(generator::emit::reference::FILE);
    if std::fs::read_to_string(&reference).ok().as_deref() != Some(generated.api_md.as_str()) {
        generator::output::write_file(&reference, &generated.api_md).map_err(|e| e.to_string())?;
    }
    Ok(format!("{} files written, {} unchanged, {} removed", stats.written, stats.linked, stats.removed))
}

fn update_spec(args: &[String]) -> Result<(), String> {
    let mut from = None;
    let mut rest = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--from" => from = Some(it.next().ok_or("--from needs a URL or a path")?.clone()),
            "--spec" => return Err(format!("update-spec takes --from, not --spec\n{USAGE}")),
            _ => rest.push(a.clone()),
        }
    }
    let o = options(&rest)?;
    let root = workspace_root();
    match update::update_spec(&root, from.as_deref(), o.generator())? {
        update::Outcome::Stored { path, already } => {
            let path = path.strip_prefix(&root).unwrap_or(&path).display().to_string();
            match already {
                true => println!("up to date: {path} is the pinned spec"),
                false => println!("stored the pinned spec in {path} (SHA-256 checked); `cargo xtask codegen` reads it"),
            }
        }
        update::Outcome::Updated { pin, report, generated, written, dropped } => {
            println!(
                "pinned {} (info.version {}, {} bytes, SHA-256 {}) in specs/telnyx.pin and {}",
                pin.source,
                pin.version,
                pin.bytes,
                pin.sha256,
                pin::STORED_SPEC
            );
            println!("generated: {} ({written})", generated.summary());
            match report {
                Some(report) => print!("\n{}", report.markdown()),
                None => println!("no change report: the previously pinned spec is not here to compare with"),
            }
            if !dropped.is_empty() {
                println!("\n## Reviewed entries removed ({})\n", dropped.len());
                for line in &dropped {
                    println!("- {line}");
                }
            }
        }
    }
    Ok(())
}

/// The change report between two generated clients.
pub fn report(old: &generator::Generated, new: &generator::Generated) -> generator::changes::Report {
    let mut report = generator::changes::compare(&old.api, &new.api);
    let all = |g: &generator::Generated| [g.files.as_slice(), g.test_files.as_slice()].concat();
    report.files = Some(generator::changes::FileDiff::between(&all(old), &all(new)));
    report
}

fn changes(args: &[String]) -> Result<(), String> {
    let by_rule = args.iter().any(|a| a == "--by-rule");
    let args: Vec<String> = args.iter().filter(|a| *a != "--by-rule").cloned().collect();
    let [old, new, rest @ ..] = &args[..] else {
        return Err(format!("changes needs two spec files, OLD and NEW\n{USAGE}"));
    };
    let o = options(rest)?;
    // The names file names the pinned spec's operations; other specs may lack some.
    let options = generator::Options { names_skip_missing: true, ..o.generator() };
    let a = generator::generate_with(Path::new(old), options).map_err(|e| e.to_string())?;
    // NEW as `update-spec` would generate it after OLD, keeping OLD's type names; with
    // `--by-rule`, as `codegen --spec NEW` names it.
    let b = match by_rule {
        true => generator::generate_with(Path::new(new), generator::Options { type_names: None, ..options }),
        false => update::follow(Some(&a), Path::new(new), options, &workspace_root()).map(|(g, _)| g),
    };
    let b = b.map_err(|e| e.to_string())?;
    print!("{}", report(&a, &b).markdown());
    Ok(())
}

fn ir(args: &[String]) -> Result<(), String> {
    let o = options(args)?;
    let spec = o.spec()?;
    let api = generator::build_ir_with(&spec, o.generator()).map_err(|e| e.to_string())?;
    warn_degraded(&spec, &api);
    let json = serde_json::to_string_pretty(&api).map_err(|e| e.to_string())?;
    println!("{json}");
    Ok(())
}

fn naming_report(args: &[String]) -> Result<(), String> {
    let package =
        args.first().filter(|a| !a.starts_with("--")).ok_or(format!("naming-report needs a PATH\n{USAGE}"))?;
    let suggest = args[1..].iter().any(|a| a == "--suggest");
    let rest: Vec<String> = args[1..].iter().filter(|a| *a != "--suggest").cloned().collect();
    let o = options(&rest)?;
    let official = naming::read_official(Path::new(package))?;
    let api = generator::build_ir_with(&o.spec()?, o.generator()).map_err(|e| e.to_string())?;
    let ours: std::collections::BTreeMap<(String, String), String> = api
        .operations
        .iter()
        .map(|op| {
            let mut chain = op.resource.clone();
            chain.push(op.name.clone());
            let chain: Vec<&str> = chain.iter().map(|c| c.trim_start_matches("r#")).collect();
            ((op.method.clone(), op.path.clone()), chain.join("."))
        })
        .collect();
    let report = naming::compare(&ours, &official);
    if suggest {
        for (key, _, official) in &report.mismatches {
            println!("{key} {official}");
        }
        return Ok(());
    }
    for (key, ours, official) in &report.mismatches {
        println!("  {key}: {ours} (official: {official})");
    }
    for key in &report.only_ours {
        println!("  {key}: not in the official SDK");
    }
    println!(
        "names: {} operations named by the rules, {} by {}",
        api.operations.len() - api.names_from_file,
        api.names_from_file,
        o.names.as_ref().map_or("no names file".into(), |p| p
            .strip_prefix(workspace_root())
            .unwrap_or(p)
            .display()
            .to_string())
    );
    println!(
        "naming: {} of {} operations shared with the official SDK are named as it names them ({:.1}%); {} only in the official SDK, {} only in the spec",
        report.matching,
        report.shared,
        100.0 * report.matching as f64 / report.shared.max(1) as f64,
        report.only_official,
        report.only_ours.len()
    );
    Ok(())
}

fn bench(args: &[String]) -> Result<(), String> {
    let o = options(args)?;
    // On the same filesystem as the real output (this machine's /tmp is much slower). The
    // first run writes a fresh tree; the others regenerate over it, as a maintainer does.
    let dir = workspace_root().join("target").join(format!("xtask-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut walls = Vec::new();
    let mut stages = Vec::new();
    let mut summary = String::new();
    let mut fresh_write = Duration::ZERO;
    let spec = o.spec()?;
    for run in 0..o.runs.max(2) {
        let start = Instant::now();
        let (generated, timings) = generator::generate_timed(&spec, o.generator()).map_err(|e| e.to_string())?;
        let write_start = Instant::now();
        generated.write_sources(&dir).map_err(|e| e.to_string())?;
        let write = write_start.elapsed();
        summary = generated.summary();
        if run == 0 {
            fresh_write = write;
            continue;
        }
        walls.push(start.elapsed());
        stages.push((timings, write));
    }
    let _ = std::fs::remove_dir_all(&dir);
    let median = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("spec: {}", spec.display());
    println!("output: {summary}");
    println!("runs: {} after a first one (median per stage, milliseconds)", walls.len());
    let pick = |f: fn(&(generator::Timings, Duration)) -> Duration| median(stages.iter().map(f).collect());
    println!("  read + parse YAML   {:>8.1}", ms(pick(|s| s.0.parse)));
    println!("  normalise 3.1->3.0  {:>8.1}", ms(pick(|s| s.0.normalize)));
    println!("  openapiv3 model     {:>8.1}", ms(pick(|s| s.0.openapi)));
    println!("  build IR + names    {:>8.1}", ms(pick(|s| s.0.ir)));
    println!("  plan files          {:>8.1}", ms(pick(|s| s.0.emit)));
    println!("  emit + format       {:>8.1}  (parallel over {} threads)", ms(pick(|s| s.0.format)), rayon_threads());
    println!(
        "  write, up to date   {:>8.1}  (compare only; a fresh tree took {:.1})",
        ms(pick(|s| s.1)),
        ms(fresh_write)
    );
    let (min, max) = (walls.iter().min().copied().unwrap_or_default(), walls.iter().max().copied().unwrap_or_default());
    println!("  total wall          {:>8.1}  (min {:.1}, max {:.1})", ms(median(walls)), ms(min), ms(max));
    println!(
        "peak resident memory: {} MB (VmHWM of this process, all runs)",
        peak_rss_mb().map_or("unknown".into(), |m| format!("{m:.0}"))
    );
    Ok(())
}

fn rayon_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// The whole suite, in the order that fails fastest.
/// Runs cargo in the workspace root, with extra environment variables.
fn cargo(what: &str, env: &[(&str, &str)], args: &[&str]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    println!("==> {what}: cargo {}", args.join(" "));
    let started = Instant::now();
    let status = Command::new(&cargo)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(workspace_root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    // CI's time is budgeted step by step: each step says what it took.
    println!("<== {what}: {:.0} s", started.elapsed().as_secs_f64());
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

/// The client's package.
const CLIENT: &str = "telnyx-sdk";
/// Its hand-written runtime's package (`runtime/`).
const RUNTIME: &str = "telnyx-runtime";

/// The feature sets CI builds the client with, besides the tests' (`full` and `round_trip`):
/// `default`, none, then one at a time (`text_to_speech` turns on the WebSocket sessions, `test-util`
/// alone is the test doubles without the webhook signer, `blocking` the calls without async); all
/// without `round_trip`, as users build it, so a serde impl that a type needs and does not get
/// fails here. (`full` without `round_trip` is not among them: 111 s of CI; every construct of it
/// is in the fixtures, which `tests/tests/fixtures_compile.rs` lints that way.)
const GATING_CHECKS: [&str; 9] =
    ["default", "", "calls", "number_orders", "messages", "webhooks", "text_to_speech", "test-util", "blocking"];

/// The features of the client's tests: every resource, both serde impls of every type (the
/// example oracle decodes what the client sends and encodes what it receives), and the features
/// for building an app on it (the axum extractor, blocking calls, the test doubles).
const TEST_FEATURES: &str = "full,round_trip,axum,blocking,test-util";

/// The features the docs are built with: every resource, and the features for building an app.
const DOC_FEATURES: &str = "full,axum,blocking,test-util";

/// `--package` for the client and for each of its crates of types, which build with it as one
/// (their features are the client's).
fn client_packages() -> Vec<&'static str> {
    let mut out = vec!["--package", CLIENT];
    for krate in generator::ir::crates::all() {
        out.extend(["--package", krate]);
    }
    out
}

/// A list of the client's features (`a,b`) as cargo takes it where several packages build:
/// each named as the client's (`telnyx-sdk/a,telnyx-sdk/b`).
fn client_features(list: &str) -> String {
    list.split(',').map(|f| format!("{CLIENT}/{f}")).collect::<Vec<_>>().join(",")
}

fn test(args: &[String]) -> Result<(), String> {
    if !args.is_empty() {
        return Err(format!("`test` takes no arguments\n{USAGE}"));
    }
    let run = |what: &str, args: &[&str]| cargo(what, &[], args);
    codegen(&["--check".to_string(), "--strict".to_string()])?;
    run("formatting", &["fmt", "--all", "--check"])?;
    // The client and its crates of types, as one build: the types' features are the client's.
    let features = client_features(TEST_FEATURES);
    let lints =
        [&["clippy"][..], &client_packages(), &["--all-targets", "--features", &features, "--", "-D", "warnings"]]
            .concat();
    run("generated client lints", &lints)?;
    // The feature gating: the client builds, warning-free, with no resource and with a few alone
    // (each of these is a small build; a type a feature forgot would not compile here).
    for features in GATING_CHECKS {
        let mut args = [&["clippy"][..], &client_packages(), &["--lib"]].concat();
        let qualified = client_features(features);
        match features {
            "default" => {}
            // The runtime too: the one build of it without the WebSocket sessions.
            "" => args.extend(["--package", RUNTIME, "--no-default-features"]),
            _ => args.extend(["--no-default-features", "--features", &qualified]),
        }
        args.extend(["--", "-D", "warnings"]);
        let what = if features.is_empty() {
            "client without features".to_string()
        } else {
            format!("client with `{features}` alone")
        };
        run(&what, &args)?;
    }
    // The runtime's own lints, tests included (its unit tests run with the others below).
    run("runtime lints", &["clippy", "--package", RUNTIME, "--all-targets", "--all-features", "--", "-D", "warnings"])?;
    run(
        "generator lints",
        &[
            "clippy",
            "--package",
            "telnyx-codegen",
            "--package",
            "xtask",
            "--package",
            "workspace-tests",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    // Rustdoc warnings (broken links, bare URLs in spec prose) fail the run too.
    let features = client_features(DOC_FEATURES);
    let docs =
        [&["doc", "--package", RUNTIME][..], &client_packages(), &["--no-deps", "--features", &features]].concat();
    cargo("generated client docs", &[("RUSTDOCFLAGS", "-D warnings")], &docs)?;
    // The conformance tests run with the others, in the same build: a build of the test alone
    // (`-p telnyx-sdk`) unifies features differently and would compile everything again.
    let servers = Servers::start(&pin::spec_path(&workspace_root())?)?;
    let features = client_features(TEST_FEATURES);
    let result =
        cargo("tests", &servers.env(), &["test", "--workspace", "--features", &features, "--", "--include-ignored"]);
    drop(servers);
    result
}

/// The resources the live smoke suite calls (`generated-client/examples/live.rs`).
const LIVE_FEATURES: &str = "balance,connections,messages,messaging_profiles,phone_numbers";

/// The live smoke suite against the account of `TELNYX_API_KEY` (or `TELNYX_BASE_URL`'s server):
/// read-only calls, and with `--spend` one that costs money. CI runs the same program against
/// Prism, as it runs every example, and never against the real API.
fn live(args: &[String]) -> Result<(), String> {
    let spend = match args {
        [] => false,
        [flag] if flag == "--spend" => true,
        _ => return Err(format!("`live` takes only --spend\n{USAGE}")),
    };
    let set = |name: &str| std::env::var(name).is_ok_and(|v| !v.trim().is_empty());
    let credentials = set("TELNYX_API_KEY") || (set("TELNYX_CLIENT_ID") && set("TELNYX_CLIENT_SECRET"));
    if !credentials {
        return Err("`live` calls the Telnyx API as your account: set TELNYX_API_KEY (or TELNYX_CLIENT_ID and TELNYX_CLIENT_SECRET)".into());
    }
    let mut run = vec!["run", "--quiet", "--package", CLIENT, "--example", "live", "--features", LIVE_FEATURES];
    if spend {
        run.extend(["--", "--spend"]);
    }
    cargo("live smoke suite", &[], &run)
}

/// Prism serving the spec twice: its examples, and random answers made from its schemas. Both
/// are stopped when this is dropped.
struct Servers {
    fixed: prism::Prism,
    dynamic: prism::Prism,
    spec: String,
}

impl Servers {
    fn start(spec: &Path) -> Result<Servers, String> {
        let root = workspace_root();
        let spec = spec.canonicalize().map_err(|e| format!("cannot read the spec {}: {e}", spec.display()))?;
        let bin = prism::install(&root)?;
        let logs = root.join("target/conformance");
        std::fs::create_dir_all(&logs).map_err(|e| format!("cannot create {}: {e}", logs.display()))?;
        println!("==> starting Prism (static and dynamic) on {}", spec.display());
        let started = Instant::now();
        let (fixed, dynamic) = std::thread::scope(|s| {
            let fixed = s.spawn(|| prism::Prism::start(&bin, &spec, false, logs.join("prism-static.log")));
            let dynamic = s.spawn(|| prism::Prism::start(&bin, &spec, true, logs.join("prism-dynamic.log")));
            (fixed.join(), dynamic.join())
        });
        let fixed = fixed.map_err(|_| "starting Prism panicked".to_string())??;
        let dynamic = dynamic.map_err(|_| "starting Prism panicked".to_string())??;
        println!(
            "    ready in {:.1} s: static {}, dynamic {}",
            started.elapsed().as_secs_f64(),
            fixed.url,
            dynamic.url
        );
        Ok(Servers { fixed, dynamic, spec: spec.to_string_lossy().into_owned() })
    }

    /// What points the conformance tests at the servers (and the tests at the same spec).
    fn env(&self) -> [(&str, &str); 3] {
        [
            ("TELNYX_PRISM_STATIC", &self.fixed.url),
            ("TELNYX_PRISM_DYNAMIC", &self.dynamic.url),
            ("TELNYX_SPEC", &self.spec),
        ]
    }
}

/// The conformance tests (`generated-client/tests/conformance.rs`) alone, against both servers
/// at once. Prism's logs are kept in `target/conformance/`.
fn conformance(args: &[String]) -> Result<(), String> {
    let o = options(args)?;
    let test = ["test", "--package", CLIENT, "--features", TEST_FEATURES, "--test", "conformance"];
    // Build first, so the servers do not wait on the compiler (nor compete with it).
    cargo("conformance build", &[], &[&test[..], &["--no-run"]].concat())?;
    let servers = Servers::start(&o.spec()?)?;
    let result =
        cargo("conformance", &servers.env(), &[&test[..], &["--", "--ignored", "--test-threads", "2"]].concat());
    drop(servers);
    result
}
