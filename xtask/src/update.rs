//! `cargo xtask update-spec [--from URL|PATH]`: get a spec, check it, pin it, regenerate.
//!
//! Everything that can fail (the download, the SHA-256 check, the generation) happens before
//! anything is written, so a failed update leaves the repository as it was.

use crate::pin::{self, Pin};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The largest spec accepted (the pinned one is about 4 MB).
const MAX_SPEC_BYTES: u64 = 256 << 20;

pub fn is_url(source: &str) -> bool {
    source.starts_with("https://") || source.starts_with("http://")
}

/// The bytes at `source`: a URL, or a path relative to `base`.
pub fn fetch(base: &Path, source: &str) -> Result<Vec<u8>, String> {
    if !is_url(source) {
        let path = base.join(source);
        return std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()));
    }
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(300))
        .connect_timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| format!("cannot start an HTTP client: {e}"))?;
    let response = client.get(source).send().map_err(|e| format!("cannot download {source}: {}", chain(&e)))?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("cannot download {source}: the server answered {status}"));
    }
    if response.content_length().is_some_and(|n| n > MAX_SPEC_BYTES) {
        return Err(format!("cannot download {source}: larger than {} MiB", MAX_SPEC_BYTES >> 20));
    }
    let bytes = response.bytes().map_err(|e| format!("cannot download {source}: {}", chain(&e)))?;
    Ok(bytes.to_vec())
}

/// An error with its causes, on one line (reqwest's own message stops at "error sending request").
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// What `update-spec` did.
pub enum Outcome {
    /// The pinned spec was fetched, matched its SHA-256 and is now stored.
    Stored { path: PathBuf, already: bool },
    /// A new spec is pinned and the client regenerated from it.
    Updated {
        pin: Pin,
        report: Option<Box<generator::changes::Report>>,
        generated: Box<generator::Generated>,
        written: String,
        /// Entries of the reviewed files the new spec has no use for, removed from them.
        dropped: Vec<String>,
    },
}

/// Where a spec given on the command line comes from, as the pin records it: URLs as they are,
/// paths relative to the workspace root.
pub fn pin_source(root: &Path, cwd: &Path, from: &str) -> String {
    if is_url(from) {
        return from.to_string();
    }
    let absolute = cwd.join(from);
    let absolute = absolute.canonicalize().unwrap_or(absolute);
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    pathdiff::diff_paths(&absolute, &root).unwrap_or(absolute).to_string_lossy().replace('\\', "/")
}

/// Fetches the pinned spec (no `from`) or a new one, and stores, pins and generates it.
pub fn update_spec(root: &Path, from: Option<&str>, options: generator::Options<'_>) -> Result<Outcome, String> {
    let old_pin = Pin::read(root);
    let stored = root.join(pin::STORED_SPEC);
    let Some(from) = from else {
        let old_pin = old_pin?;
        let bytes = fetch(root, &old_pin.source).map_err(|e| {
            format!("{e} (the source specs/telnyx.pin names; `--from URL|PATH` gives another, with the same SHA-256 or a new pin)")
        })?;
        let sha = pin::sha256_hex(&bytes);
        if sha != old_pin.sha256 {
            return Err(format!(
                "{} has SHA-256 {sha}, but the pin says {}: not stored (use `--from {}` to move the pin to it)",
                old_pin.source, old_pin.sha256, old_pin.source
            ));
        }
        let already = std::fs::read(&stored).is_ok_and(|b| b == bytes);
        if !already {
            create_dir(&stored)?;
            generator::output::write_file(&stored, &bytes).map_err(|e| e.to_string())?;
        }
        return Ok(Outcome::Stored { path: stored, already });
    };
    let bytes = fetch(&std::env::current_dir().map_err(|e| e.to_string())?, from)?;
    // The generator reads files: the new spec waits in a temporary file (removed when dropped)
    // until it has generated.
    let incoming = tempfile::Builder::new()
        .prefix("telnyx-spec-")
        .suffix(".yml")
        .tempfile()
        .and_then(|mut f| std::io::Write::write_all(&mut f, &bytes).map(|_| f))
        .map_err(|e| format!("cannot write a temporary copy of the spec: {e}"))?;
    // The client of the previous pin, when its spec is here: to keep its type names and to say
    // what changes (the names file may already name operations only the new spec has).
    let previous = old_pin.as_ref().ok().and_then(|p| {
        let path = pin::local_spec(root)?;
        let same = std::fs::read(&path).ok().is_some_and(|b| pin::sha256_hex(&b) == p.sha256);
        let options = generator::Options { names_skip_missing: true, ..options };
        same.then(|| generator::generate_with(&path, options).ok()).flatten()
    });
    // A names-file line for an operation the new spec no longer has is dropped, not an error:
    // there is nothing to decide. A new clash still stops the update.
    let names = options.names.map(generator::ir::naming::NameFile::read).transpose().map_err(|e| e.to_string())?;
    let options = generator::Options { names_skip_missing: true, ..options };
    let (generated, kept) = match follow(previous.as_ref(), incoming.path(), options, root) {
        Ok(g) => g,
        Err(mut e) => {
            // A problem of the spec names the spec as given (the names files name themselves).
            if e.file == incoming.path() {
                e.file = PathBuf::from(from);
            }
            return Err(format!("{e}\nthe spec does not generate; nothing changed"));
        }
    };
    crate::warn_degraded(Path::new(from), &generated.api);
    let stale = names.as_ref().map(|n| n.stale(&generated.api)).unwrap_or_default();
    let mut dropped: Vec<String> = stale
        .iter()
        .map(|(line, op)| format!("{}: line {line}: `{op}`: the spec no longer has the operation", names_path(options)))
        .collect();
    let names_text = match (options.names, stale.is_empty()) {
        (Some(path), false) => {
            let text = std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
            let lines: Vec<usize> = stale.iter().map(|(line, _)| *line).collect();
            Some((path, generator::ir::naming::without_lines(&text, &lines)))
        }
        _ => None,
    };
    // Kept type names the new spec has no type for (the file is written anew below).
    for (line, entry) in options.type_names.map(|t| t.missing(&generated.api)).unwrap_or_default() {
        dropped.push(format!("{}: line {line}: `{entry}`: the spec no longer has the type", crate::TYPES_FILE));
    }
    for (line, op) in options.kept_operations.map(|k| k.stale(&generated.api)).unwrap_or_default() {
        dropped.push(format!("{}: line {line}: `{op}`: the spec no longer has the operation", crate::METHODS_FILE));
    }
    let report = previous.map(|old| Box::new(crate::report(&old, &generated)));
    let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
    let pin = Pin::of(&pin_source(root, &cwd, from), &bytes, &generated.api);
    let written = crate::write_client(root, &generated)?;
    create_dir(&stored)?;
    generator::output::write_file(&stored, &bytes).map_err(|e| e.to_string())?;
    generator::output::write_file(&root.join(crate::TYPES_FILE), kept.types.text()).map_err(|e| e.to_string())?;
    generator::output::write_file(&root.join(crate::METHODS_FILE), kept.operations.kept_text())
        .map_err(|e| e.to_string())?;
    if let Some((path, text)) = names_text {
        generator::output::write_file(path, text.as_bytes()).map_err(|e| e.to_string())?;
    }
    pin.write(root)?;
    Ok(Outcome::Updated { pin, report, generated: Box::new(generated), written, dropped })
}

fn names_path(options: generator::Options<'_>) -> String {
    options.names.map(|p| p.display().to_string()).unwrap_or_default()
}

/// The names a client keeps from the one before it (the files `specs/telnyx.types` and
/// `specs/telnyx.methods`).
pub struct Kept {
    pub types: generator::ir::naming::TypeNames,
    pub operations: generator::ir::naming::NameFile,
}

/// Generates `spec` keeping the names the previous client (`old`) gave, where the naming rules
/// alone would now give others because a schema or an operation came or went (a type
/// renumbered, an existing method's name taken by a new operation); without `old`, keeping the
/// entries of the current files that still apply. Returns the client and the names to write to
/// the files under `root`.
pub fn follow(
    old: Option<&generator::Generated>,
    spec: &Path,
    options: generator::Options<'_>,
    root: &Path,
) -> generator::Result<(generator::Generated, Kept)> {
    use generator::ir::naming::{NameFile, TypeNames};
    let (types_path, methods_path) = (root.join(crate::TYPES_FILE), root.join(crate::METHODS_FILE));
    let (types, operations) = match old {
        Some(old) => generator::kept_names(&old.api, spec, options, &types_path, &methods_path)?,
        None => {
            let by_rule = generator::build_ir_with(
                spec,
                generator::Options { type_names: None, kept_operations: None, ..options },
            )?;
            let types = match options.type_names {
                Some(current) => current.retained(&by_rule),
                None => TypeNames::new(&types_path, Default::default()),
            };
            let operations = match options.kept_operations {
                Some(current) => current.retained(&by_rule),
                None => NameFile::kept(&methods_path, Default::default()),
            };
            (types, operations)
        }
    };
    let generated = generator::generate_with(
        spec,
        generator::Options { type_names: Some(&types), kept_operations: Some(&operations), ..options },
    )?;
    Ok((generated, Kept { types, operations }))
}

fn create_dir(file: &Path) -> Result<(), String> {
    let dir = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: cannot create: {e}", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    const BASE: &str = include_str!("../../specs/changes/base.yaml");

    /// A local HTTP server answering each path with a status and a body, until dropped.
    struct Server {
        url: String,
        server: std::sync::Arc<tiny_http::Server>,
        thread: Option<std::thread::JoinHandle<()>>,
    }

    impl Server {
        fn start(routes: &[(&str, u16, &str)]) -> Server {
            let server = std::sync::Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
            let url = format!("http://{}", server.server_addr().to_ip().unwrap());
            let routes: BTreeMap<String, (u16, String)> =
                routes.iter().map(|(p, s, b)| (p.to_string(), (*s, b.to_string()))).collect();
            let s = server.clone();
            let thread = std::thread::spawn(move || {
                for request in s.incoming_requests() {
                    let (status, body) = routes.get(request.url()).cloned().unwrap_or((404, "not found".into()));
                    let _ = request.respond(tiny_http::Response::from_string(body).with_status_code(status));
                }
            });
            Server { url, server, thread: Some(thread) }
        }
    }

    impl Drop for Server {
        fn drop(&mut self) {
            self.server.unblock();
            if let Some(t) = self.thread.take() {
                let _ = t.join();
            }
        }
    }

    /// A workspace with what `update-spec` touches: the pin, the client's manifest.
    fn workspace(pin: Option<Pin>) -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("specs")).unwrap();
        std::fs::create_dir_all(root.path().join("generated-client")).unwrap();
        let manifest = format!(
            "[package]\nname = \"x\"\n\n{}\n[features]\n{}\n",
            generator::emit::FEATURES_BEGIN,
            generator::emit::FEATURES_END
        );
        std::fs::write(root.path().join("generated-client/Cargo.toml"), manifest).unwrap();
        if let Some(pin) = pin {
            pin.write(root.path()).unwrap();
        }
        root
    }

    fn pin_of(source: &str, text: &str) -> Pin {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("s.yml");
        std::fs::write(&path, text).unwrap();
        let api = generator::build_ir(&path).unwrap();
        Pin::of(source, text.as_bytes(), &api)
    }

    /// Every file and folder under `dir`, with the files' bytes.
    fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut out = BTreeMap::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    out.insert(p.clone(), Vec::new());
                    stack.push(p);
                } else {
                    out.insert(p.clone(), std::fs::read(&p).unwrap());
                }
            }
        }
        out
    }

    fn options() -> generator::Options<'static> {
        generator::Options::default()
    }

    #[test]
    fn a_fresh_clone_fetches_the_pinned_spec_and_checks_it() {
        let server = Server::start(&[("/openapi.yml", 200, BASE)]);
        let url = format!("{}/openapi.yml", server.url);
        let root = workspace(Some(pin_of(&url, BASE)));
        match update_spec(root.path(), None, options()).unwrap() {
            Outcome::Stored { path, already } => {
                assert!(!already);
                assert_eq!(std::fs::read_to_string(path).unwrap(), BASE);
            }
            Outcome::Updated { .. } => panic!("the pinned spec was updated"),
        }
        assert!(matches!(update_spec(root.path(), None, options()).unwrap(), Outcome::Stored { already: true, .. }));
    }

    #[test]
    fn a_spec_that_is_not_the_pinned_one_is_refused_and_nothing_changes() {
        let server = Server::start(&[("/openapi.yml", 200, BASE)]);
        let url = format!("{}/openapi.yml", server.url);
        let mut pin = pin_of(&url, BASE);
        pin.sha256 = "0".repeat(64);
        let root = workspace(Some(pin));
        let before = tree(root.path());
        let err = update_spec(root.path(), None, options()).err().unwrap();
        assert!(err.contains("has SHA-256") && err.contains(&"0".repeat(64)), "{err}");
        assert_eq!(tree(root.path()), before);
    }

    #[test]
    fn a_failed_download_changes_nothing() {
        let server = Server::start(&[]);
        let missing = format!("{}/gone.yml", server.url);
        let root = workspace(Some(pin_of(&missing, BASE)));
        let before = tree(root.path());
        let err = update_spec(root.path(), None, options()).err().unwrap();
        assert!(err.contains("404"), "{err}");
        let err = update_spec(root.path(), Some(&missing), options()).err().unwrap();
        assert!(err.contains("404"), "{err}");
        // Nothing listens on a port the server has given back.
        let closed = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            format!("http://{}/openapi.yml", l.local_addr().unwrap())
        };
        let err = update_spec(root.path(), Some(&closed), options()).err().unwrap();
        assert!(err.starts_with(&format!("cannot download {closed}")), "{err}");
        assert_eq!(tree(root.path()), before);
    }

    #[test]
    fn a_spec_that_does_not_generate_changes_nothing() {
        let broken = BASE.replace("required: [id]", "required: 5");
        let server = Server::start(&[("/broken.yml", 200, &broken)]);
        let url = format!("{}/broken.yml", server.url);
        let root = workspace(None);
        let before = tree(root.path());
        let err = update_spec(root.path(), Some(&url), options()).err().unwrap();
        assert!(err.starts_with(&format!("{url}: #/components/schemas/Item")), "{err}");
        assert!(err.ends_with("nothing changed"), "{err}");
        assert_eq!(tree(root.path()), before);
        // A names-file line that clashes with another operation's name needs a person: the
        // error names that file, and nothing changes.
        let names = root.path().join("telnyx.names");
        std::fs::write(&names, "# reviewed\nGET /items/{id} items.touch\nPOST /items/{id} items.touch\n").unwrap();
        let ok = Server::start(&[("/new.yml", 200, BASE)]);
        let new = format!("{}/new.yml", ok.url);
        let before = tree(root.path());
        let options = generator::Options { names: Some(&names), ..options() };
        let err = update_spec(root.path(), Some(&new), options).err().unwrap();
        assert!(
            err.starts_with(&format!("{}: #: line 3: items.touch is already another operation", names.display())),
            "{err}"
        );
        assert_eq!(tree(root.path()), before);
    }

    #[test]
    fn an_update_that_drops_operations_drops_their_reviewed_names() {
        // The new spec no longer has `GET /things`, which the names file names.
        let new = BASE.replace("\n  /things:\n", "\n  /gizmos:\n");
        let server = Server::start(&[("/new.yml", 200, &new)]);
        let url = format!("{}/new.yml", server.url);
        let root = workspace(Some(pin_of("old.yml", BASE)));
        let names = root.path().join("specs/telnyx.names");
        let text = "# Reviewed names.\nGET /things things.list_all # the official name\n\nPOST /items/{id} items.archive_now\n";
        std::fs::write(&names, text).unwrap();
        let with_names = generator::Options { names: Some(&names), ..options() };
        let Outcome::Updated { dropped, generated, .. } = update_spec(root.path(), Some(&url), with_names).unwrap()
        else {
            panic!("not updated")
        };
        assert_eq!(
            dropped,
            [format!("{}: line 2: `GET /things`: the spec no longer has the operation", names.display())]
        );
        // Only that line goes; comments, blank lines and the other entries stay as written.
        assert_eq!(
            std::fs::read_to_string(&names).unwrap(),
            "# Reviewed names.\n\nPOST /items/{id} items.archive_now\n"
        );
        let archive = generated.api.operations.iter().find(|o| o.operation_id == "ArchiveItem").unwrap();
        assert_eq!(archive.name, "archive_now");
        // The next update reads the file as written, with nothing left to drop.
        let Outcome::Updated { dropped, .. } = update_spec(root.path(), Some(&url), with_names).unwrap() else {
            panic!("not updated")
        };
        assert!(dropped.is_empty(), "{dropped:?}");
    }

    #[test]
    fn a_new_spec_is_stored_pinned_generated_and_reported() {
        let new =
            BASE.replace("status: {type: string, enum: [active, inactive]}", "status: {type: string, enum: [active]}");
        let server = Server::start(&[("/new.yml", 200, &new)]);
        let url = format!("{}/new.yml", server.url);
        let root = workspace(Some(pin_of("old.yml", BASE)));
        std::fs::create_dir_all(root.path().join("specs/telnyx")).unwrap();
        std::fs::write(root.path().join(pin::STORED_SPEC), BASE).unwrap();
        let Outcome::Updated { pin, report, generated, .. } = update_spec(root.path(), Some(&url), options()).unwrap()
        else {
            panic!("not updated")
        };
        assert_eq!(pin, Pin::read(root.path()).unwrap());
        assert_eq!(
            (pin.source.as_str(), pin.sha256.as_str()),
            (url.as_str(), pin::sha256_hex(new.as_bytes()).as_str())
        );
        assert_eq!(std::fs::read_to_string(root.path().join(pin::STORED_SPEC)).unwrap(), new);
        let out = root.path().join("generated-client").join(generator::GENERATED_DIR);
        assert!(generator::output::stale(&out, &generated.files).is_empty(), "the client is written");
        let report = report.expect("a report against the previous spec");
        assert_eq!(report.verdict(), generator::changes::Level::Major);
        assert!(
            report.markdown().contains("- Enum value removed: `ItemStatus::Inactive` (inactive)"),
            "{}",
            report.markdown()
        );
    }

    #[test]
    fn a_new_operation_that_sorts_first_leaves_the_existing_method_names_as_they_were() {
        // `POST /items/archive` sorts before `POST /items/{id}` (`items.archive`) and, by the
        // naming rules alone, takes its name: the existing method would become `archive_item`.
        let added = "  /items/archive:\n    post:\n      operationId: ArchiveItems\n      responses: {'204': {description: archived}}\n";
        let new = BASE.replacen("  /items/{id}:\n", &format!("{added}  /items/{{id}}:\n"), 1);
        let names = |api: &generator::ir::Api| -> BTreeMap<String, String> {
            api.operations
                .iter()
                .map(|o| (o.operation_id.clone(), format!("{}.{}", o.resource.join("."), o.name)))
                .collect()
        };
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("new.yml"), &new).unwrap();
        let by_rule = names(&generator::build_ir(&tmp.path().join("new.yml")).unwrap());
        assert_eq!(
            (by_rule["ArchiveItems"].as_str(), by_rule["ArchiveItem"].as_str()),
            ("items.archive", "items.archive_item")
        );

        let server = Server::start(&[("/new.yml", 200, &new)]);
        let url = format!("{}/new.yml", server.url);
        let root = workspace(Some(pin_of("old.yml", BASE)));
        std::fs::create_dir_all(root.path().join("specs/telnyx")).unwrap();
        std::fs::write(root.path().join(pin::STORED_SPEC), BASE).unwrap();
        let old = names(&generator::build_ir(&root.path().join(pin::STORED_SPEC)).unwrap());
        let Outcome::Updated { generated, report, .. } = update_spec(root.path(), Some(&url), options()).unwrap()
        else {
            panic!("not updated")
        };
        let updated = names(&generated.api);
        for (id, name) in &old {
            assert_eq!(&updated[id], name, "{id} keeps its name");
        }
        assert_eq!(updated["ArchiveItems"], "items.archive_items", "the newcomer takes another");
        let report = report.expect("a report").markdown();
        assert!(!report.contains("Operation renamed"), "{report}");
        // The kept name is written down, and codegen reads it: the next run names alike.
        let kept_path = root.path().join(crate::METHODS_FILE);
        let kept = std::fs::read_to_string(&kept_path).unwrap();
        assert!(kept.ends_with("\nPOST /items/{id} items.archive\n"), "{kept}");
        let kept = generator::ir::naming::NameFile::read(&kept_path).unwrap();
        let options = generator::Options { kept_operations: Some(&kept), ..options() };
        let again = generator::generate_with(&root.path().join(pin::STORED_SPEC), options).unwrap();
        assert_eq!(names(&again.api), updated);
    }

    #[test]
    fn a_path_given_on_the_command_line_is_pinned_relative_to_the_root() {
        let root = tempfile::tempdir().unwrap();
        let spec = root.path().join("specs/new.yml");
        std::fs::create_dir_all(spec.parent().unwrap()).unwrap();
        std::fs::write(&spec, BASE).unwrap();
        assert_eq!(pin_source(root.path(), &root.path().join("specs"), "new.yml"), "specs/new.yml");
        assert_eq!(pin_source(root.path(), Path::new("/"), "https://x.test/a.yml"), "https://x.test/a.yml");
    }
}
