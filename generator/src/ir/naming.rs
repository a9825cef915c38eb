//! The naming pass: resolves every Rust identifier of the IR once (resources, methods,
//! parameters, types, fields, variants), keywords and collisions included, deterministically.

use super::{Api, Module, Operation, Response, Ty, TypeKind};
use crate::{Error, Result};
use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in",
    "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super",
    "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract", "become", "box",
    "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Type names the generated code uses unqualified; a schema with one of these names gets a suffix.
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Debug",
    "Copy",
    "PartialEq",
    "Eq",
    "Hash",
    "Send",
    "Sync",
    "Sized",
    "Fn",
    "Value",
    "Map",
    "Serialize",
    "Deserialize",
    "Self",
];

/// The names file: one line per operation whose name the rules below do not give,
/// `METHOD /path resource.chain.method`; `#` starts a comment.
#[derive(Debug, Clone, Default)]
pub struct NameFile {
    file: PathBuf,
    /// (method, path) -> (line, resource chain, method name).
    entries: BTreeMap<(String, String), (usize, Vec<String>, String)>,
    /// Lines for operations the spec lacks are skipped rather than an error.
    skip_missing: bool,
}

impl NameFile {
    pub fn read(path: &Path) -> Result<NameFile> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::new(path, "", format!("cannot read: {e}")))?;
        NameFile::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<NameFile> {
        let mut entries = BTreeMap::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let content = raw.split('#').next().unwrap_or("").trim();
            if content.is_empty() {
                continue;
            }
            let err = |m: String| Error::new(path, "", format!("line {line}: {m}"));
            let fields: Vec<&str> = content.split_whitespace().collect();
            let [method, op_path, chain] = fields[..] else {
                return Err(err(format!("expected `METHOD /path resource.method`, found {content:?}")));
            };
            if !["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"].contains(&method) {
                return Err(err(format!("{method:?} is not an HTTP method in upper case")));
            }
            if !op_path.starts_with('/') {
                return Err(err(format!("{op_path:?} is not a path")));
            }
            let mut parts: Vec<String> = Vec::new();
            let tokens: Vec<&str> = chain.split('.').collect();
            for (i, token) in tokens.iter().enumerate() {
                // A resource is named as its module (`type_`), a method as an identifier (`type`).
                let ident = match i + 1 < tokens.len() && resource_name(token) == *token {
                    true => token.to_string(),
                    false => snake_ident(token),
                };
                if token.is_empty() || ident.trim_start_matches("r#") != *token {
                    return Err(err(format!("{token:?} in {chain:?} is not a snake_case identifier")));
                }
                parts.push(ident);
            }
            let Some(name) = parts.pop().filter(|_| !parts.is_empty()) else {
                return Err(err(format!("{chain:?} names no resource: write `resource.method`")));
            };
            let key = (method.to_string(), op_path.to_string());
            if let Some((first, ..)) = entries.insert(key, (line, parts, name)) {
                return Err(err(format!("{method} {op_path} is already named on line {first}")));
            }
        }
        Ok(NameFile { file: path.to_path_buf(), entries, skip_missing: false })
    }

    /// The file at `path`; none at all is an empty one (for the kept names, which only
    /// `cargo xtask update-spec` writes).
    pub fn read_or_empty(path: &Path) -> Result<NameFile> {
        match read_if_present(path)? {
            Some(text) => NameFile::parse(path, &text),
            None => Ok(NameFile { file: path.into(), ..Default::default() }),
        }
    }

    /// Names for `entries` ((method, path) -> (resource chain, method name)), to be written to
    /// `path` (see [`carry_operations`]).
    pub fn kept(path: &Path, entries: BTreeMap<(String, String), (Vec<String>, String)>) -> NameFile {
        let entries = entries.into_iter().enumerate().map(|(i, (k, (r, n)))| (k, (i + 1, r, n))).collect();
        NameFile { file: path.to_path_buf(), entries, skip_missing: false }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries for operations `api` has.
    pub fn retained(&self, api: &Api) -> NameFile {
        let have: HashSet<(&str, &str)> = api.operations.iter().map(|o| (o.method.as_str(), o.path.as_str())).collect();
        let kept = self
            .entries
            .iter()
            .filter(|((m, p), _)| have.contains(&(m.as_str(), p.as_str())))
            .map(|(k, (_, r, n))| (k.clone(), (r.clone(), n.clone())));
        NameFile::kept(&self.file, kept.collect())
    }

    /// The file's text, as [`NameFile::kept`] entries are written: the operation names kept
    /// from earlier specs.
    pub fn kept_text(&self) -> String {
        let mut out = String::from(
            "# Operation names kept from earlier specs: the naming rules alone would now give these\n\
             # operations another name, because an operation came or went. Written by\n\
             # `cargo xtask update-spec`; read by codegen. `METHOD /path resource.method`.\n",
        );
        for ((method, path), (_, resource, name)) in &self.entries {
            let chain: Vec<&str> = resource.iter().chain([name]).map(|p| p.trim_start_matches("r#")).collect();
            out.push_str(&format!("{method} {path} {}\n", chain.join(".")));
        }
        out
    }

    /// With `skip`, lines naming operations the spec lacks are ignored (see [`crate::Options`]).
    pub fn skip_missing(mut self, skip: bool) -> NameFile {
        self.skip_missing = skip;
        self
    }

    fn error(&self, line: usize, message: String) -> Error {
        Error::new(&self.file, "", format!("line {line}: {message}"))
    }

    /// The lines naming operations `api` does not have, as `(line, "METHOD /path")`, by line.
    pub fn stale(&self, api: &Api) -> Vec<(usize, String)> {
        let have: HashSet<(&str, &str)> = api.operations.iter().map(|o| (o.method.as_str(), o.path.as_str())).collect();
        let mut out: Vec<(usize, String)> = self
            .entries
            .iter()
            .filter(|((method, path), _)| !have.contains(&(method.as_str(), path.as_str())))
            .map(|((method, path), (line, ..))| (*line, format!("{method} {path}")))
            .collect();
        out.sort();
        out
    }
}

/// The text of a names file that may not be there yet (only `update-spec` writes the kept ones).
fn read_if_present(path: &Path) -> Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::new(path, "", format!("cannot read: {e}"))),
    }
}

/// `text` without the lines numbered `lines` (1-based), every other byte kept.
pub fn without_lines(text: &str, lines: &[usize]) -> String {
    let drop: HashSet<usize> = lines.iter().copied().collect();
    text.split_inclusive('\n').enumerate().filter(|(i, _)| !drop.contains(&(i + 1))).map(|(_, l)| l).collect()
}

/// Type names kept from earlier specs (`specs/telnyx.types`), one line per type whose name the
/// rule below would now give differently because a schema of the same name came or went:
/// `Name #pointer | owner operation | hint`. `cargo xtask update-spec` writes it (see [`carry`]).
#[derive(Debug, Clone, Default)]
pub struct TypeNames {
    file: PathBuf,
    /// type key ([`super::type_key`]) -> (line, name).
    entries: BTreeMap<String, (usize, String)>,
    skip_missing: bool,
}

impl TypeNames {
    /// The file at `path`; none at all is an empty one.
    pub fn read(path: &Path) -> Result<TypeNames> {
        match read_if_present(path)? {
            Some(text) => TypeNames::parse(path, &text),
            None => Ok(TypeNames { file: path.into(), ..Default::default() }),
        }
    }

    pub fn parse(path: &Path, text: &str) -> Result<TypeNames> {
        let mut entries = BTreeMap::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |m: String| Error::new(path, "", format!("line {}: {m}", i + 1));
            let Some((name, key)) = line.split_once(' ') else {
                return Err(err(format!("expected `Name #pointer | owner | hint`, found {line:?}")));
            };
            if camel_ident(name) != name || RESERVED_TYPES.contains(&name) {
                return Err(err(format!("{name:?} is not an UpperCamelCase type name the crate can use")));
            }
            if let Some((first, _)) = entries.insert(key.trim().to_string(), (i + 1, name.to_string())) {
                return Err(err(format!("the type is already named on line {first}")));
            }
        }
        Ok(TypeNames { file: path.to_path_buf(), entries, skip_missing: false })
    }

    /// Names for `entries` (type key -> name), to be written to `path`.
    pub fn new(path: &Path, entries: BTreeMap<String, String>) -> TypeNames {
        let entries = entries.into_iter().enumerate().map(|(i, (k, n))| (k, (i + 1, n))).collect();
        TypeNames { file: path.to_path_buf(), entries, skip_missing: false }
    }

    /// With `skip`, lines for types the spec lacks are ignored (see [`crate::Options`]).
    pub fn skip_missing(mut self, skip: bool) -> TypeNames {
        self.skip_missing = skip;
        self
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The entries for types `api` has.
    pub fn retained(&self, api: &Api) -> TypeNames {
        let keys: HashSet<String> = api.types.iter().map(|t| super::type_key(&api.operations, t)).collect();
        let kept = self.entries.iter().filter(|(k, _)| keys.contains(*k)).map(|(k, (_, n))| (k.clone(), n.clone()));
        TypeNames::new(&self.file, kept.collect())
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries for types `api` lacks, as `(line, "Name key")`, by line.
    pub fn missing(&self, api: &Api) -> Vec<(usize, String)> {
        let keys: HashSet<String> = api.types.iter().map(|t| super::type_key(&api.operations, t)).collect();
        let mut out: Vec<(usize, String)> = self
            .entries
            .iter()
            .filter(|(k, _)| !keys.contains(*k))
            .map(|(k, (line, n))| (*line, format!("{n} {k}")))
            .collect();
        out.sort();
        out
    }

    /// The file's text.
    pub fn text(&self) -> String {
        let mut out = String::from(
            "# Type names kept from earlier specs: the naming rule alone would now give these types\n\
             # another name, because a schema of the same name came or went. Written by\n\
             # `cargo xtask update-spec`; read by codegen. `Name #pointer | owner operation | hint`.\n",
        );
        let mut lines: Vec<(&String, &String)> = self.entries.iter().map(|(k, (_, n))| (n, k)).collect();
        lines.sort();
        for (name, key) in lines {
            out.push_str(&format!("{name} {key}\n"));
        }
        out
    }
}

/// The names `new` should keep from `old` (generated from the previous spec): every type of both
/// whose name differs only in its collision number. Types named after an operation whose name
/// changed follow the operation.
pub fn carry(old: &Api, new: &Api) -> BTreeMap<String, String> {
    let old_names: HashMap<String, &str> =
        old.types.iter().map(|t| (super::type_key(&old.operations, t), t.name.as_str())).collect();
    // A name and its numbered or suffixed forms (`ItemKind`, `ItemKind2`, `ItemKindParam`).
    let family = |n: &str| {
        let n = n.trim_end_matches(|c: char| c.is_ascii_digit());
        ["Param", "Body", "Response"].iter().find_map(|s| n.strip_suffix(s)).unwrap_or(n).to_string()
    };
    let mut out = BTreeMap::new();
    let mut seen = HashSet::new();
    for t in &new.types {
        let key = super::type_key(&new.operations, t);
        if !seen.insert(key.clone()) {
            continue;
        }
        if let Some(&was) = old_names.get(&key) {
            if was != t.name && family(was) == family(&t.name) {
                out.insert(key, was.to_string());
            }
        }
    }
    out
}

/// The operation names `new` should keep from `old` (generated from the previous spec): every
/// operation of both (by method and path, path parameter names aside) that the rules now name
/// otherwise, because an operation came or went: a new operation never takes an existing one's
/// name, and a collision number never moves. Names from the reviewed names file are its own.
pub fn carry_operations(old: &Api, new: &Api) -> BTreeMap<(String, String), (Vec<String>, String)> {
    let mut out = BTreeMap::new();
    for o in &new.operations {
        if let Some(was) = counterpart(old, o) {
            let (resource, name) = (&was.resource, &was.name);
            if (resource, name) != (&o.resource, &o.name) && !o.named_by_file {
                out.insert((o.method.clone(), o.path.clone()), (resource.clone(), name.clone()));
            }
        }
    }
    out
}

/// The operation of `api` that is `op` (of another spec): the one of the same method and path,
/// else the one of the same method and path with parameter names aside, when only one has it.
pub fn counterpart<'a>(api: &'a Api, op: &Operation) -> Option<&'a Operation> {
    let same = |o: &&Operation| o.method == op.method;
    if let Some(exact) = api.operations.iter().filter(same).find(|o| o.path == op.path) {
        return Some(exact);
    }
    let key = super::path_key(&op.path);
    let mut alike = api.operations.iter().filter(same).filter(|o| super::path_key(&o.path) == key);
    match (alike.next(), alike.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

pub fn resolve(api: &mut Api, names: &NameFile, kept: &NameFile, type_names: &TypeNames) -> Result<()> {
    name_operations(api, names, kept)?;
    name_types(api, type_names)?;
    let mut names = Scope::new("");
    names.reserve("Unknown");
    for w in &mut api.webhooks {
        w.rust_name = names.unique(camel_ident(&w.name));
    }
    super::schema::break_cycles(&mut api.types);
    Ok(())
}

/// A snake_case identifier: keywords become raw identifiers where Rust allows it.
pub fn snake_ident(raw: &str) -> String {
    let mut s = ascii(&raw.to_snake_case());
    s = s.trim_matches('_').to_string();
    if s.is_empty() {
        s = "value".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("n{s}");
    }
    match s.as_str() {
        "self" | "super" | "crate" | "extern" | "_" => format!("{s}_"),
        k if KEYWORDS.contains(&k) => format!("r#{s}"),
        _ => s,
    }
}

/// Keeps ASCII letters, digits and `_`: identifiers stay valid, and plain to type, whatever
/// the spec's names hold.
fn ascii(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
}

/// A snake_case name usable as a module/file name (no raw identifiers).
pub fn module_name(raw: &str) -> String {
    let s = snake_ident(raw);
    match s.strip_prefix("r#") {
        Some(k) => format!("{k}_"),
        None => s,
    }
}

/// An UpperCamelCase identifier.
pub fn camel_ident(raw: &str) -> String {
    // heck drops punctuation; keep a sign readable where it is all there is.
    let mut s = ascii(&raw.replace('+', " plus ").replace('-', " ").to_upper_camel_case());
    if raw.trim() == "-" {
        s = "Minus".into();
    }
    if s.is_empty() {
        s = "Empty".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("V{s}");
    }
    if s == "Self" {
        s = "SelfValue".into();
    }
    s
}

/// Gives each name a unique spelling within one scope by numbering repeats: `a`, `a_2`, ...
struct Scope {
    used: HashSet<String>,
    sep: &'static str,
}

impl Scope {
    fn new(sep: &'static str) -> Self {
        Scope { used: HashSet::new(), sep }
    }

    fn reserve(&mut self, name: &str) {
        self.used.insert(name.to_string());
    }

    fn unique(&mut self, base: String) -> String {
        if self.used.insert(base.clone()) {
            return base;
        }
        // `self_` (from `self`) again is `self_2`, not `self__2`.
        let raw = base.strip_prefix("r#").unwrap_or(&base);
        let raw = if self.sep.is_empty() { raw } else { raw.trim_end_matches(self.sep) }.to_string();
        (2..)
            .map(|n| format!("{raw}{}{n}", self.sep))
            .find(|c| self.used.insert(c.clone()))
            .expect("an unused name exists")
    }
}

fn segments(path: &str) -> Vec<&str> {
    let mut segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    // Paths that repeat the version the server URL already ends with.
    if segs.first() == Some(&"v2") {
        segs.remove(0);
    }
    segs
}

fn is_param(seg: &str) -> bool {
    seg.starts_with('{') && seg.ends_with('}')
}

/// The leading verb of an operationId: `enableReputationSettings` -> `enable`.
fn op_verb(operation_id: &str) -> String {
    operation_id.to_snake_case().split('_').next().unwrap_or("").to_string()
}

fn returns_list(op: &Operation, api: &Api) -> bool {
    let Response::Json { ty } = &op.success else { return false };
    match ty {
        Ty::List(_) => true,
        Ty::Named(id) => match &api.types[*id].kind {
            TypeKind::Struct { fields, .. } => fields.iter().any(|f| f.name == "data" && resolves_to_list(&f.ty, api)),
            TypeKind::Alias { ty } => matches!(ty, Ty::List(_)),
            _ => false,
        },
        _ => false,
    }
}

fn resolves_to_list(ty: &Ty, api: &Api) -> bool {
    match ty {
        Ty::List(_) => true,
        Ty::Named(id) => matches!(&api.types[*id].kind, TypeKind::Alias { ty: Ty::List(_) }),
        _ => false,
    }
}

const TRAIT_METHODS: &[&str] = &[
    "clone",
    "default",
    "eq",
    "fmt",
    "from",
    "hash",
    "into",
    "next",
    "drop",
    "deref",
    "as_ref",
    "borrow",
    "to_owned",
    "to_string",
];

/// A resource accessor name for a static path segment.
fn resource_name(segment: &str) -> String {
    let name = module_name(segment);
    if TRAIT_METHODS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// An action named noun first puts its verb first, as the official SDKs do:
/// `playback_start` -> `start_playback`, `client_state_update` -> `update_client_state`.
fn verb_first(action: &str) -> String {
    const VERBS: &[&str] = &["start", "stop", "pause", "resume", "update"];
    match action.rsplit_once('_') {
        Some((noun, verb)) if VERBS.contains(&verb) => format!("{verb}_{noun}"),
        _ => action.to_string(),
    }
}

const STANDARD_VERBS: &[&str] =
    &["get", "list", "retrieve", "create", "update", "delete", "post", "put", "patch", "fetch", "find"];

fn name_operations(api: &mut Api, names: &NameFile, kept: &NameFile) -> Result<()> {
    let known: HashSet<(String, String)> = api.operations.iter().map(|o| (o.method.clone(), o.path.clone())).collect();
    let unknown = names.entries.iter().filter(|(key, _)| !known.contains(*key));
    if let Some(((method, path), (line, ..))) =
        unknown.min_by_key(|(_, (line, ..))| *line).filter(|_| !names.skip_missing)
    {
        return Err(names.error(*line, format!("the spec has no operation {method} {path}; remove the line")));
    }
    // Static chains that have an item below them (`/a/b` when `/a/b/{id}` exists) are collections.
    let mut collections: HashSet<Vec<String>> = HashSet::new();
    let mut children: HashMap<Vec<String>, BTreeSet<String>> = HashMap::new();
    for op in &api.operations {
        let segs = segments(&op.path);
        let mut chain = Vec::new();
        for (i, seg) in segs.iter().enumerate() {
            if is_param(seg) {
                if i > 0 && !is_param(segs[i - 1]) {
                    collections.insert(chain.clone());
                }
            } else {
                chain.push(resource_name(seg));
            }
        }
    }

    // Static chains that hold exactly one operation and nothing below them.
    let mut leaves: HashMap<Vec<String>, usize> = HashMap::new();
    let mut inner: HashSet<Vec<String>> = HashSet::new();
    for op in &api.operations {
        let segs = segments(&op.path);
        let statics: Vec<String> = segs.iter().filter(|s| !is_param(s)).map(|s| resource_name(s)).collect();
        for i in 1..statics.len() {
            inner.insert(statics[..i].to_vec());
        }
        if segs.last().is_some_and(|s| !is_param(s)) {
            *leaves.entry(statics).or_default() += 1;
        } else {
            inner.insert(statics);
        }
    }
    leaves.retain(|chain, _| !inner.contains(chain));

    let mut named: Vec<(Vec<String>, String)> = Vec::with_capacity(api.operations.len());
    for op in &api.operations {
        let segs = segments(&op.path);
        let mut statics: Vec<String> = segs.iter().filter(|s| !is_param(s)).map(|s| resource_name(s)).collect();
        // A path without a static segment (`/{bucketName}`) is named after its first tag.
        let rootless = statics.is_empty();
        if rootless {
            statics.push(op.tags.first().map_or_else(|| "root".to_string(), |t| resource_name(t)));
        }
        let last_is_param = segs.last().is_some_and(|s| is_param(s));
        let verb = op_verb(&op.operation_id);
        let custom_verb = (!STANDARD_VERBS.contains(&verb.as_str()) && !verb.is_empty()).then(|| snake_ident(&verb));
        let method = op.method.as_str();
        let (resource, name): (Vec<String>, String) = if last_is_param || rootless {
            let name = match method {
                "GET" => "retrieve".to_string(),
                "PUT" | "PATCH" => "update".to_string(),
                "DELETE" => "delete".to_string(),
                _ => custom_verb.clone().unwrap_or_else(|| if rootless { "create".into() } else { "update".into() }),
            };
            (statics, name)
        } else {
            let last = statics.last().cloned().unwrap_or_default();
            let parent = &statics[..statics.len() - 1];
            if parent.last().is_some_and(|p| p == "actions")
                || (!parent.is_empty() && verb == last.trim_end_matches('_'))
            {
                (statics.clone()[..statics.len() - 1].to_vec(), snake_ident(&verb_first(&last)))
            } else if !parent.is_empty() && leaves.get(&statics) == Some(&1) && !collections.contains(&statics) {
                // A lone operation on a sub-path (`GET /sim_cards/{id}/public_ip`) is a method of
                // the parent, named after the sub-path: `sim_cards().retrieve_public_ip(id)`.
                let noun = last.trim_end_matches('_');
                let name = match method {
                    "GET" if returns_list(op, api) => format!("list_{noun}"),
                    "GET" => format!("retrieve_{noun}"),
                    "PUT" | "PATCH" => format!("update_{noun}"),
                    "DELETE" => format!("delete_{noun}"),
                    _ => noun.to_string(),
                };
                (parent.to_vec(), snake_ident(&name))
            } else {
                let collection = collections.contains(&statics);
                let name = match method {
                    // A WebSocket session is a stream, not a resource read once.
                    "GET" if op.websocket.is_some() => "stream".to_string(),
                    "GET" if collection || returns_list(op, api) => "list".to_string(),
                    "GET" => "retrieve".to_string(),
                    "POST" if collection => "create".to_string(),
                    "POST" | "DELETE" if custom_verb.is_some() => custom_verb.clone().unwrap_or_default(),
                    "POST" => "create".to_string(),
                    "PUT" | "PATCH" => "update".to_string(),
                    "DELETE" => "delete".to_string(),
                    other => snake_ident(&other.to_ascii_lowercase()),
                };
                (statics, name)
            }
        };
        named.push((resource, name));
    }

    let mut from_file = vec![false; named.len()];
    for (i, op) in api.operations.iter_mut().enumerate() {
        if let Some((_, resource, name)) = names.entries.get(&(op.method.clone(), op.path.clone())) {
            named[i] = (resource.clone(), name.clone());
            from_file[i] = true;
            op.named_by_file = true;
        }
    }
    api.names_from_file = from_file.iter().filter(|f| **f).count();
    if let Some(((method, path), (line, ..))) = kept
        .entries
        .iter()
        .filter(|(key, _)| !known.contains(*key))
        .min_by_key(|(_, (line, ..))| *line)
        .filter(|_| !kept.skip_missing)
    {
        let message =
            format!("the spec has no operation {method} {path}; run `cargo xtask update-spec` or remove the line");
        return Err(kept.error(*line, message));
    }
    // Names kept from earlier specs come next, where their scope still has them free (else the
    // rules name the operation after all).
    let by_rules = named.clone();
    let mut from_kept = vec![false; named.len()];
    for (i, op) in api.operations.iter().enumerate() {
        if from_file[i] {
            continue;
        }
        if let Some((_, resource, name)) = kept.entries.get(&(op.method.clone(), op.path.clone())) {
            named[i] = (resource.clone(), name.clone());
            from_kept[i] = true;
        }
    }

    // Sub-resource accessors share a namespace with the methods of their parent.
    for (resource, _) in &named {
        for i in 1..resource.len() {
            children.entry(resource[..i].to_vec()).or_default().insert(resource[i].clone());
        }
    }
    // Keep the natural name for the first operation (in path, method order) that wants it; the
    // others fall back to their operationId, then to a number.
    // Names from the file are taken as written, first; a clash there is an error.
    let mut scopes: HashMap<Vec<String>, Scope> = HashMap::new();
    let new_scope = |resource: &Vec<String>| {
        let mut s = Scope::new("_");
        for child in children.get(resource).into_iter().flatten() {
            s.reserve(child);
        }
        s
    };
    for (i, (resource, name)) in named.iter().enumerate() {
        if !from_file[i] {
            continue;
        }
        let op = &mut api.operations[i];
        let scope = scopes.entry(resource.clone()).or_insert_with(|| new_scope(resource));
        if !scope.used.insert(name.clone()) {
            let (line, ..) = &names.entries[&(op.method.clone(), op.path.clone())];
            let what = if children.get(resource).is_some_and(|c| c.contains(name)) {
                "a sub-resource"
            } else {
                "another operation"
            };
            return Err(names.error(*line, format!("{}.{name} is already {what}", resource.join("."))));
        }
        op.resource = resource.clone();
        op.name = name.clone();
    }
    for (i, (resource, name)) in named.iter().enumerate() {
        if !from_kept[i] {
            continue;
        }
        let scope = scopes.entry(resource.clone()).or_insert_with(|| new_scope(resource));
        if scope.used.insert(name.clone()) {
            let op = &mut api.operations[i];
            op.resource = resource.clone();
            op.name = name.clone();
        } else {
            // Taken meanwhile (by a reviewed name, or a new sub-resource): the rules name it.
            from_kept[i] = false;
        }
    }
    for (i, (resource, name)) in by_rules.into_iter().enumerate() {
        if from_file[i] || from_kept[i] {
            continue;
        }
        let op = &mut api.operations[i];
        let scope = scopes.entry(resource.clone()).or_insert_with(|| new_scope(&resource));
        // Methods named like std trait methods confuse readers (and clippy): `clone_assistant`.
        let name = if TRAIT_METHODS.contains(&name.as_str()) {
            let noun = resource.last().map(|r| r.trim_end_matches('_').trim_end_matches('s')).unwrap_or("resource");
            format!("{name}_{noun}")
        } else {
            name
        };
        let name = if scope.used.contains(&name) && !op.operation_id.is_empty() {
            let alt = snake_ident(&op.operation_id);
            scope.unique(alt)
        } else {
            scope.unique(name)
        };
        op.resource = resource;
        op.name = name;
    }

    // Parameters: the last path parameter is the argument; the others, and the query and
    // header ones, are fields of the params struct beside `body`, and methods of the call
    // (`super::calls`), whose own methods are taken.
    for op in &mut api.operations {
        let mut fields = Scope::new("_");
        for taken in super::calls::CALL_METHODS {
            fields.reserve(taken);
        }
        if op.body.is_some() {
            fields.reserve("body");
        }
        let params = op.path_params.iter_mut().chain(op.query_params.iter_mut()).chain(op.header_params.iter_mut());
        for p in params {
            p.rust_name = fields.unique(snake_ident(&p.name));
        }
    }
    Ok(())
}

fn op_prefix(op: &Operation) -> String {
    let mut pieces = op.resource.clone();
    pieces.push(op.name.trim_start_matches("r#").to_string());
    camel_ident(&pieces.join("_"))
}

fn name_types(api: &mut Api, type_names: &TypeNames) -> Result<()> {
    let mut scope = Scope::new("");
    for r in RESERVED_TYPES {
        scope.reserve(r);
    }
    // Resource structs and params structs are named after operations and live beside the
    // operation's own types: reserve them first so types never take them.
    for op in &mut api.operations {
        let has_inputs = op.body.is_some()
            || !op.query_params.is_empty()
            || !op.header_params.is_empty()
            || op.path_params.len() > 1;
        if has_inputs {
            op.params_type = scope.unique(format!("{}Params", op_prefix(op)));
        }
    }
    for res in resource_structs(&api.operations).values() {
        scope.reserve(res);
    }
    // A type's name depends on its own place only: its component name, or its owner and
    // property path. Names kept from earlier specs come first; then, where several types want one
    // name, a component before an inline type, a component spelled as its Rust name before one
    // that is not (`CountryCode` before `country_code`), then by place; the others are numbered
    // in that order. So the order of the spec, and schemas of other names, never matter.
    let prefixes: Vec<String> = api.operations.iter().map(op_prefix).collect();
    let bases: Vec<String> = api
        .types
        .iter()
        .map(|def| {
            let base = match def.owner_op {
                Some(i) => format!("{}{}", prefixes[i], camel_ident(&def.hint.join("_"))),
                None => camel_ident(&def.hint.join("_")),
            };
            if RESERVED_TYPES.contains(&base.as_str()) {
                format!("{base}Type")
            } else {
                base
            }
        })
        .collect();
    let keys: Vec<String> = api.types.iter().map(|t| super::type_key(&api.operations, t)).collect();
    let mut names: Vec<Option<String>> = vec![None; api.types.len()];
    let mut kept: HashSet<&String> = HashSet::new();
    for (id, key) in keys.iter().enumerate() {
        // (Keys are unique in every Telnyx spec; were two the same, the first keeps the name.)
        if kept.contains(key) {
            continue;
        }
        if let Some((line, name)) = type_names.entries.get(key) {
            if !scope.used.insert(name.clone()) {
                let message = format!("{name} is already the name of another type or of a resource");
                return Err(Error::new(&type_names.file, "", format!("line {line}: {message}")));
            }
            names[id] = Some(name.clone());
            kept.insert(key);
        }
    }
    if let Some((key, (line, _))) =
        type_names.entries.iter().filter(|(k, _)| !kept.contains(k)).min_by_key(|(_, (line, _))| *line)
    {
        if !type_names.skip_missing {
            let message = format!("the spec has no type {key}; run `cargo xtask update-spec` or remove the line");
            return Err(Error::new(&type_names.file, "", format!("line {line}: {message}")));
        }
    }
    let is_component = |t: &super::TypeDef| {
        t.owner_op.is_none()
            && t.hint.len() == 1
            && t.pointer == format!("/components/schemas/{}", crate::error::escape_token(&t.hint[0]))
    };
    let mut order: Vec<usize> = (0..api.types.len()).filter(|id| names[*id].is_none()).collect();
    order.sort_by_cached_key(|&id| {
        let t = &api.types[id];
        let component = is_component(t);
        let spelled = component && t.hint[0] == bases[id];
        (bases[id].clone(), !component, !spelled, keys[id].clone())
    });
    // Bare names first, for every name; numbers after, so that a numbered name never takes the
    // bare name of another type (`Foo2` the component).
    let mut numbered = Vec::new();
    for &id in &order {
        if scope.used.insert(bases[id].clone()) {
            names[id] = Some(bases[id].clone());
        } else {
            numbered.push(id);
        }
    }
    // A shared parameter, body or response whose name a schema has says what it is
    // (`StatusParam`) before it takes a number.
    for id in numbered {
        let suffix = shared_suffix(&api.types[id]).filter(|s| !bases[id].ends_with(s));
        names[id] = match suffix.map(|s| format!("{}{s}", bases[id])) {
            Some(name) if scope.used.insert(name.clone()) => Some(name),
            _ => Some(scope.unique(bases[id].clone())),
        };
    }
    for (def, name) in api.types.iter_mut().zip(names) {
        def.name = name.unwrap_or_default();
        def.module = match def.owner_op {
            Some(i) => Module::Resource(module_name(
                &api.operations[i].resource.first().cloned().unwrap_or_else(|| "root".into()),
            )),
            None => Module::Unassigned,
        };
    }
    // Inline types belong in the file of the component they are part of (the first piece of
    // their name hint; their pointer may lie elsewhere, in an `allOf` member).
    let mut components: HashMap<&str, usize> = HashMap::new();
    for (id, t) in api.types.iter().enumerate() {
        if t.owner_op.is_none() && t.hint.len() == 1 && t.pointer.starts_with("/components/schemas/") {
            // The component itself is defined first; a later type with the same hint is an
            // inline part of it.
            components.entry(t.hint[0].as_str()).or_insert(id);
        }
    }
    let component_of: Vec<Option<usize>> = api
        .types
        .iter()
        .map(|t| if t.owner_op.is_none() { components.get(t.hint.first()?.as_str()).copied() } else { None })
        .collect();
    let files: Vec<String> =
        component_of.iter().enumerate().map(|(id, owner)| module_name(&api.types[owner.unwrap_or(id)].name)).collect();
    for (def, file) in api.types.iter_mut().zip(files) {
        if def.module == Module::Unassigned {
            def.module = Module::Types(file);
        }
    }

    for def in &mut api.types {
        match &mut def.kind {
            TypeKind::Struct { fields, additional } => {
                let mut names = Scope::new("_");
                if additional.is_some() {
                    names.reserve("extra");
                }
                for f in fields {
                    f.rust_name = names.unique(snake_ident(&f.name));
                }
            }
            TypeKind::Enum { values } => {
                let mut names = Scope::new("");
                names.reserve("Unknown");
                for v in values {
                    v.rust_name = names.unique(camel_ident(&v.value));
                }
            }
            TypeKind::IntEnum { values } => {
                let mut names = Scope::new("");
                names.reserve("Unknown");
                for v in values {
                    let name =
                        if v.value < 0 { format!("Minus{}", v.value.unsigned_abs()) } else { format!("V{}", v.value) };
                    v.rust_name = names.unique(name);
                }
            }
            TypeKind::Union { variants, .. } => {
                let mut names = Scope::new("");
                for v in variants {
                    v.rust_name = names.unique(camel_ident(&v.hint));
                }
            }
            TypeKind::Alias { .. } => {}
        }
    }
    Ok(())
}

/// What a type named after a shared component other than a schema is: `Param`, `Body` or
/// `Response` (see [`super::schema::TypeSpace::ty_shared`]).
fn shared_suffix(t: &super::TypeDef) -> Option<&'static str> {
    if t.owner_op.is_some() || t.hint.len() != 1 {
        return None;
    }
    let section = t.pointer.strip_prefix("/components/")?.split('/').next()?;
    match section {
        "parameters" => Some("Param"),
        "requestBodies" => Some("Body"),
        "responses" => Some("Response"),
        _ => None,
    }
}

/// The Rust struct name of every resource chain, e.g. `["bundle_pricing", "billing_bundles"]`
/// -> `BundlePricingBillingBundles`, unique across the crate.
pub fn resource_structs(ops: &[Operation]) -> BTreeMap<Vec<String>, String> {
    let mut chains: BTreeSet<Vec<String>> = BTreeSet::new();
    for op in ops {
        for i in 1..=op.resource.len() {
            chains.insert(op.resource[..i].to_vec());
        }
    }
    let mut scope = Scope::new("");
    for r in RESERVED_TYPES {
        scope.reserve(r);
    }
    chains
        .into_iter()
        .map(|chain| {
            let joined: Vec<&str> = chain.iter().map(|s| s.trim_start_matches("r#")).collect();
            let name = scope.unique(format!("{}Api", camel_ident(&joined.join("_"))));
            (chain, name)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert_eq!(snake_ident("type"), "r#type");
        assert_eq!(snake_ident("self"), "self_");
        assert_eq!(snake_ident("phoneNumber"), "phone_number");
        assert_eq!(snake_ident("2fa"), "n2fa");
        assert_eq!(snake_ident(""), "value");
        assert_eq!(snake_ident("_"), "value");
        assert_eq!(snake_ident("café_name"), "caf_name");
        assert_eq!(snake_ident("名前"), "value");
        assert_eq!(camel_ident("名前"), "Empty");
        assert_eq!(module_name("type"), "type_");
        assert_eq!(module_name(".well-known"), "well_known");
        assert_eq!(camel_ident("call.hangup"), "CallHangup");
        assert_eq!(camel_ident("+1"), "Plus1");
        assert_eq!(camel_ident("-"), "Minus");
        assert_eq!(camel_ident("1080p"), "V1080p");
        assert_eq!(camel_ident(""), "Empty");
        assert_eq!(camel_ident("self"), "SelfValue");
    }

    #[test]
    fn scope_numbers_repeats() {
        let mut s = Scope::new("_");
        assert_eq!(s.unique("a".into()), "a");
        assert_eq!(s.unique("a".into()), "a_2");
        assert_eq!(s.unique("r#type".into()), "r#type");
        assert_eq!(s.unique("r#type".into()), "type_2");
    }

    #[test]
    fn verbs() {
        assert_eq!(op_verb("enableReputationSettings"), "enable");
        assert_eq!(op_verb("CancelSubNumberOrder"), "cancel");
        assert_eq!(segments("/v2/mobile_phone_numbers/{id}"), vec!["mobile_phone_numbers", "{id}"]);
    }
}
