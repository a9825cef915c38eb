//! Workspace-level integration tests live in `tests/`: the whole Telnyx spec, and the
//! command-line behaviour of `cargo xtask`. This library holds what several of them need: where
//! things are, and throwaway workspaces of generated clients.

use std::fs;
use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// Cargo's target folder, the one this test binary was built in (`<target>/<profile>/deps/`),
/// wherever `CARGO_TARGET_DIR` or a cargo config put it. The scratch workspaces build there, so
/// that they reuse the dependencies the tests were built with.
pub fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    exe.ancestors().nth(3).expect("<target>/<profile>/deps/<test>").to_path_buf()
}

/// The pinned spec where codegen finds it: `TELNYX_SPEC`, the stored copy, the shared one.
pub fn pinned_spec() -> PathBuf {
    std::env::var_os("TELNYX_SPEC").map(PathBuf::from).unwrap_or_else(|| {
        let stored = root().join("specs/telnyx/openapi.yml");
        if stored.is_file() {
            stored
        } else {
            root().join("../shared/specs/telnyx/openapi.yml")
        }
    })
}

/// The text of one `[section]` of a TOML file, up to the next section.
fn section(toml: &str, name: &str) -> String {
    let header = format!("[{name}]\n");
    let start = toml.find(&header).unwrap_or_else(|| panic!("no [{name}]")) + header.len();
    let rest = &toml[start..];
    let end = rest.find("\n[").map_or(rest.len(), |i| i + 1);
    rest[..end].to_string()
}

/// The `[profile...]` tables of a manifest but those of its own packages: a
/// `[profile.dev.package.<name>]` is kept for `"*"` and for the packages `lock` has from a
/// registry (a scratch workspace has those, and not the real one's members).
fn dependency_profiles(toml: &str, lock: &str) -> String {
    let registry: Vec<&str> = lock
        .split("[[package]]")
        .filter(|package| package.contains("\nsource = "))
        .filter_map(|package| package.lines().find_map(|l| l.strip_prefix("name = \"")?.strip_suffix('"')))
        .collect();
    let mut out = String::new();
    for (at, _) in toml.match_indices("\n[profile.") {
        let header = &toml[at + 1..][..toml[at + 1..].find('\n').expect("a table header ends its line")];
        let name = &header[1..header.len() - 1];
        match name.strip_prefix("profile.dev.package.") {
            Some(package) if package != "\"*\"" && !registry.contains(&package) => continue,
            _ => out.push_str(&format!("{header}\n{}", section(toml, name))),
        }
    }
    out
}

/// Copies the hand-written sources under `from` (its files, and its folders' but `generated/`,
/// which each member writes from its own spec).
fn copy_sources(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap().flatten() {
        if e.path().is_file() {
            fs::copy(e.path(), to.join(e.file_name())).unwrap();
        } else if e.path().is_dir() && e.file_name() != "generated" {
            copy_sources(&e.path(), &to.join(e.file_name()));
        }
    }
}

/// A workspace in the target folder whose members are crates generated from other specs, each with
/// the hand-written part of the real client (and the real runtime crate) and its dependencies,
/// resolved from the real workspace's lock file (nothing is resolved anew, so cargo can run
/// `--offline`).
pub struct ScratchWorkspace {
    pub dir: PathBuf,
    members: Vec<String>,
    /// The packages generated into it: each member and its crates of types.
    generated: Vec<String>,
}

impl ScratchWorkspace {
    /// An empty workspace at `<target>/<name>` (what was there is removed).
    pub fn new(name: &str) -> ScratchWorkspace {
        let dir = target_dir().join(name);
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        ScratchWorkspace { dir, members: Vec::new(), generated: Vec::new() }
    }

    /// Adds the crate `generated` as the member `name` (library `<lib_prefix>_<name>`);
    /// `manifest_tail` is appended to its Cargo.toml (e.g. a `[[bin]]`). Returns its folder.
    pub fn add(
        &mut self,
        name: &str,
        lib_prefix: &str,
        generated: &generator::Generated,
        manifest_tail: &str,
    ) -> PathBuf {
        let root = root();
        let client_toml = fs::read_to_string(root.join("generated-client/Cargo.toml")).unwrap();
        // The runtime crate is the real one, by its absolute path: built once for every member.
        let runtime = format!("path = {:?}", root.join("runtime").to_string_lossy());
        let deps = section(&client_toml, "dependencies").replace("path = \"../runtime\"", &runtime);
        assert!(deps.contains(&runtime), "the client's manifest names the runtime as `path = \"../runtime\"`");
        let dir = self.dir.join(name);
        copy_sources(&root.join("generated-client/src"), &dir.join("src"));
        generated.write_sources(&dir).unwrap();
        // The library's docs include its API reference.
        fs::write(dir.join(generator::emit::reference::FILE), &generated.api_md).unwrap();
        let package = lib_prefix.replace('_', "-");
        // Each member's crates of types get names of their own (a workspace holds one package
        // of a name and version); the code names them by their dependency's key, as before.
        let renamed = |krate: &str| format!("{package}-{name}-{krate}");
        let mut deps = deps;
        for krate in generator::ir::crates::all() {
            let key = format!("{krate} = {{ version");
            assert!(deps.contains(&key), "the client's manifest depends on {krate}");
            deps = deps.replace(&key, &format!("{krate} = {{ package = \"{}\", version", renamed(krate)));
            let path =
                dir.join(generator::GENERATED_DIR).join(generator::emit::crates::DIR).join(krate).join("Cargo.toml");
            let core = generator::ir::crates::CORE;
            let manifest = fs::read_to_string(&path)
                .unwrap()
                .replace(&format!("name = \"{krate}\""), &format!("name = \"{}\"", renamed(krate)))
                .replace(
                    &format!("{core} = {{ version"),
                    &format!("{core} = {{ package = \"{}\", version", renamed(core)),
                )
                .replace(&format!("path = \"{}\"", generator::emit::crates::RUNTIME_PATH), &runtime);
            fs::write(&path, manifest).unwrap();
        }
        fs::write(
            dir.join("Cargo.toml"),
            format!(
                "[package]\nname = \"{package}-{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
                 [lib]\nname = \"{lib_prefix}_{name}\"\ndoctest = false\n\n{}\n[dependencies]\n{deps}\n{manifest_tail}",
                generated.features_toml
            ),
        )
        .unwrap();
        self.members.push(format!("\"{name}\""));
        self.generated.push(format!("{package}-{name}"));
        self.generated.extend(generator::ir::crates::all().map(renamed));
        dir
    }

    /// Writes the workspace's manifest and lock file. Its profiles are the real workspace's (but
    /// for the tables of the real workspace's own packages), so the dependencies the tests were
    /// built with are reused; its generated packages have no debug info, as the real ones.
    pub fn finish(&self) {
        let workspace_toml = fs::read_to_string(root().join("Cargo.toml")).unwrap();
        let lock = fs::read_to_string(root().join("Cargo.lock")).unwrap();
        let mut profiles = dependency_profiles(&workspace_toml, &lock);
        for package in &self.generated {
            profiles.push_str(&format!("[profile.dev.package.{package}]\ndebug = false\n"));
        }
        fs::write(
            self.dir.join("Cargo.toml"),
            format!(
                "[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n[workspace.package]\n{}\n[workspace.dependencies]\n{}\n{profiles}",
                self.members.join(", "),
                section(&workspace_toml, "workspace.package"),
                section(&workspace_toml, "workspace.dependencies"),
            ),
        )
        .unwrap();
        fs::write(self.dir.join("Cargo.lock"), lock).unwrap();
    }

    /// `cargo <args>` in the workspace, with the real workspace's target folder; panics with
    /// cargo's output when it fails.
    pub fn cargo(&self, args: &[&str], what: &str) {
        let out = std::process::Command::new(env!("CARGO"))
            .args(args)
            .env("CARGO_TARGET_DIR", target_dir())
            .current_dir(&self.dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "{what}:\n{}", String::from_utf8_lossy(&out.stderr));
    }
}
