//! telnyx-codegen: turns the Telnyx OpenAPI spec into the `telnyx` Rust crate.
//!
//! The pipeline, one module per stage:
//! 1. [`load`]: read YAML or JSON into a JSON value;
//! 2. [`normalize`]: bring OpenAPI 3.1 forms into 3.0 form, check `$ref`s, keep webhooks;
//! 3. [`parse`]: deserialize into `openapiv3` types;
//! 4. [`ir`]: build the intermediate representation and resolve every Rust name;
//! 5. [`emit`]: produce Rust token streams and format them with prettyplease;
//! 6. [`output`]: write the files atomically, or compare them (check mode).

pub mod changes;
pub mod degrade;
pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
pub mod normalize;
pub mod output;
pub mod parse;

pub use error::{Error, Result};

use std::path::Path;
use std::time::{Duration, Instant};

/// Where the generated sources go inside the client crate.
pub const GENERATED_DIR: &str = "src/generated";

/// Where the tables of the client's tests go, relative to the client crate.
pub const TESTS_GENERATED_DIR: &str = "tests/generated";

/// The result of a generation run.
pub struct Generated {
    pub api: ir::Api,
    /// The library's generated modules, relative to [`GENERATED_DIR`].
    pub files: Vec<emit::File>,
    /// The tables the client's tests include, relative to [`TESTS_GENERATED_DIR`]: not part of
    /// the library (see [`emit::TEST_FILES`]).
    pub test_files: Vec<emit::File>,
    /// The `[features]` block of the client's Cargo.toml, markers included.
    pub features_toml: String,
    /// The client's API reference, [`emit::reference::FILE`].
    pub api_md: String,
}

/// The client's manifest, relative to the client crate; codegen writes its features block.
pub const MANIFEST: &str = "Cargo.toml";

/// How long each stage took.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    pub parse: Duration,
    pub normalize: Duration,
    pub openapi: Duration,
    pub ir: Duration,
    /// Planning the files (the token streams are built during `format`, in parallel).
    pub emit: Duration,
    /// Emitting token streams and formatting them with prettyplease, in parallel.
    pub format: Duration,
}

/// What a run reads besides the spec.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// A names file (`specs/telnyx.names`): operation names the naming rules do not give.
    pub names: Option<&'a Path>,
    /// Skip the names-file lines of operations the spec lacks instead of failing: for reading
    /// other specs than the pinned one (older ones, in change reports).
    pub names_skip_missing: bool,
    /// Type names kept from earlier specs (`specs/telnyx.types`, see [`ir::naming::carry`]).
    pub type_names: Option<&'a ir::naming::TypeNames>,
    /// Operation names kept from earlier specs (`specs/telnyx.methods`, see
    /// [`ir::naming::carry_operations`]).
    pub kept_operations: Option<&'a ir::naming::NameFile>,
    /// A schema the generator cannot read becomes `serde_json::Value`, recorded in
    /// [`ir::Api::degraded`], instead of stopping the run (see [`degrade`]).
    pub lenient: bool,
    /// JSON pointers (as the example table writes them) that get a row in the example table
    /// even where this spec has no example: for reading another spec's examples with the
    /// client of this one (the cross-version check, `tests/tests/history_clients.rs`).
    pub example_sites: Option<&'a std::collections::BTreeSet<String>>,
}

/// Reads a spec and builds its IR.
pub fn build_ir(spec_path: &Path) -> Result<ir::Api> {
    build_ir_with(spec_path, Options::default())
}

/// [`build_ir`] with options.
pub fn build_ir_with(spec_path: &Path, options: Options<'_>) -> Result<ir::Api> {
    let mut t = Timings::default();
    build_ir_timed(spec_path, options, &mut t)
}

fn build_ir_timed(spec_path: &Path, options: Options<'_>, t: &mut Timings) -> Result<ir::Api> {
    let names = match options.names {
        Some(path) => ir::naming::NameFile::read(path)?.skip_missing(options.names_skip_missing),
        None => ir::naming::NameFile::default(),
    };
    let start = Instant::now();
    let value = load::load(spec_path)?;
    t.parse = start.elapsed();
    let (spec, degraded) = match options.lenient {
        false => (read(spec_path, value, t)?, Vec::new()),
        true => degrade::read_leniently(value, |v| read(spec_path, v, t))?,
    };
    let empty = ir::naming::TypeNames::default();
    let type_names = match options.type_names {
        Some(t) => t.clone().skip_missing(options.names_skip_missing),
        None => empty,
    };
    let kept = match options.kept_operations {
        Some(k) => k.clone().skip_missing(options.names_skip_missing),
        None => ir::naming::NameFile::default(),
    };
    let start = Instant::now();
    let mut api =
        ir::build::build(spec_path, &spec, &names, &kept, &type_names, options.lenient, options.example_sites)?;
    api.degraded.splice(0..0, degraded);
    t.ir = start.elapsed();
    Ok(api)
}

/// The names a client of `spec` keeps from `old`, the client of the spec before it (what
/// `cargo xtask update-spec` writes to `specs/telnyx.types` and `specs/telnyx.methods`, at
/// `types_file` and `methods_file`): every type and operation of both keeps the name `old` gave
/// it, where the naming rules alone would now give another because something came or went. A
/// kept name can move others (a method keeps `list`, so the next is numbered anew), so the carry
/// is repeated on the client named with the names kept so far, until it adds none.
pub fn kept_names(
    old: &ir::Api,
    spec: &Path,
    options: Options<'_>,
    types_file: &Path,
    methods_file: &Path,
) -> Result<(ir::naming::TypeNames, ir::naming::NameFile)> {
    use ir::naming::{carry, carry_operations, NameFile, TypeNames};
    let mut types = std::collections::BTreeMap::new();
    let mut operations = std::collections::BTreeMap::new();
    let mut api = build_ir_with(spec, Options { type_names: None, kept_operations: None, ..options })?;
    // Each round keeps at least one more name, or stops; a handful is plenty in practice.
    for _ in 0..16 {
        let before = (types.len(), operations.len());
        types.extend(carry(old, &api));
        operations.extend(carry_operations(old, &api));
        if (types.len(), operations.len()) == before {
            break;
        }
        let (t, o) = (TypeNames::new(types_file, types.clone()), NameFile::kept(methods_file, operations.clone()));
        api = build_ir_with(spec, Options { type_names: Some(&t), kept_operations: Some(&o), ..options })?;
    }
    Ok((TypeNames::new(types_file, types), NameFile::kept(methods_file, operations)))
}

/// Stages 2 and 3: the loaded document normalised and parsed.
fn read(spec_path: &Path, value: serde_json::Value, t: &mut Timings) -> Result<parse::Spec> {
    let start = Instant::now();
    let normalized = normalize::normalize(spec_path, value)?;
    t.normalize = start.elapsed();
    let start = Instant::now();
    let spec = parse::parse(spec_path, normalized)?;
    t.openapi = start.elapsed();
    Ok(spec)
}

/// Runs the whole pipeline except writing.
pub fn generate(spec_path: &Path) -> Result<Generated> {
    generate_timed(spec_path, Options::default()).map(|(g, _)| g)
}

/// [`generate`] with options.
pub fn generate_with(spec_path: &Path, options: Options<'_>) -> Result<Generated> {
    generate_timed(spec_path, options).map(|(g, _)| g)
}

/// [`generate_with`], also reporting the time of each stage.
pub fn generate_timed(spec_path: &Path, options: Options<'_>) -> Result<(Generated, Timings)> {
    let mut t = Timings::default();
    let api = build_ir_timed(spec_path, options, &mut t)?;
    let start = Instant::now();
    let structs = ir::naming::resource_structs(&api.operations);
    let snippets = emit::snippets::snippets(&api, spec_path)?;
    let examples = emit::snippets::by_operation(&api, &snippets);
    let plan = emit::emit(&api, &structs, &examples);
    t.emit = start.elapsed();
    let start = Instant::now();
    let files = emit::format(plan, Path::new(GENERATED_DIR))?;
    let (test_files, mut files): (Vec<_>, Vec<_>) =
        files.into_iter().partition(|f| emit::TEST_FILES.contains(&f.path.as_str()));
    files.extend(emit::crates::plain_files(&api));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    t.format = start.elapsed();
    let features_toml = emit::features_toml(&api);
    let api_md = emit::reference::api_md(&api);
    Ok((Generated { api, files, test_files, features_toml, api_md }, t))
}

impl Generated {
    /// Writes the library's modules and the tests' tables into the client crate at `crate_dir`
    /// (its [`GENERATED_DIR`] and [`TESTS_GENERATED_DIR`]).
    pub fn write_sources(&self, crate_dir: &Path) -> Result<output::WriteStats> {
        let lib = output::write(&crate_dir.join(GENERATED_DIR), &self.files)?;
        let tests = output::write(&crate_dir.join(TESTS_GENERATED_DIR), &self.test_files)?;
        Ok(output::WriteStats {
            written: lib.written + tests.written,
            linked: lib.linked + tests.linked,
            removed: lib.removed + tests.removed,
        })
    }

    /// The files of the client crate at `crate_dir` that differ from what
    /// [`Generated::write_sources`] writes: changed, missing or extra. Writes nothing.
    pub fn stale_sources(&self, crate_dir: &Path) -> Vec<std::path::PathBuf> {
        let mut stale = output::stale(&crate_dir.join(GENERATED_DIR), &self.files);
        stale.extend(output::stale(&crate_dir.join(TESTS_GENERATED_DIR), &self.test_files));
        stale
    }

    /// `manifest` (the client's Cargo.toml, read from `path`) with its features block replaced.
    pub fn manifest(&self, path: &Path, manifest: &str) -> Result<String> {
        output::splice(path, manifest, emit::FEATURES_BEGIN, emit::FEATURES_END, &self.features_toml)
    }

    /// One line for people: what was generated and what could not be typed.
    pub fn summary(&self) -> String {
        let api = &self.api;
        format!(
            "{} operations, {} types, {} webhooks, {} files, {} features, {} fallbacks, {} degraded",
            api.operations.len(),
            api.types.len(),
            api.webhooks.len(),
            self.files.len(),
            api.features.features.len(),
            api.fallbacks.len(),
            api.degraded.len()
        )
    }
}
