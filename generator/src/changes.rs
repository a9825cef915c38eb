//! What a new spec changes for users of the crate, computed from the two IRs (never from a
//! text diff): operations, parameters, bodies, responses, fields, types, enum and union
//! variants, webhooks and paging, each classed by the semver level it forces on the crate.
//!
//! The levels follow the Rust API, as cargo-semver-checks sees it: generated structs are
//! `#[non_exhaustive]` and built through methods, so adding a field to one is minor unless users
//! must now set it (a required field of a struct they build); any change of a field's type, `T`
//! to `Option<T>` included, is major; every input of an operation but one path parameter is a
//! method of its call, so a new optional input is minor and a new required one major; string
//! enums and unions, tagged or not, are `#[non_exhaustive]` with a catch-all variant, so new
//! values and variants there are minor.

use crate::emit::File;
use crate::ir::calls::{is_required_input, Construct};
use crate::ir::{path_key, type_key, Api, Operation, Param, Ty, TypeDef, TypeKind};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// The semver level a change forces: what the next version of the crate must bump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Patch,
    Minor,
    Major,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Patch => "patch",
            Level::Minor => "minor",
            Level::Major => "major",
        }
    }
}

/// What kind of change a line reports (tests and tools match on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    OperationAdded,
    OperationRemoved,
    OperationRenamed,
    OperationDeprecated,
    PathParameters,
    ParameterAdded,
    ParameterRemoved,
    BodyChanged,
    ResponseChanged,
    PaginationAdded,
    PaginationRemoved,
    TypeAdded,
    TypeRemoved,
    TypeRenamed,
    TypeKindChanged,
    FieldAdded,
    FieldRemoved,
    MadeRequired,
    MadeOptional,
    TypeChanged,
    VariantAdded,
    VariantRemoved,
    VariantsReordered,
    WebhookAdded,
    WebhookRemoved,
    Documentation,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub level: Level,
    pub kind: Kind,
    /// One Markdown line, without the bullet.
    pub text: String,
}

/// How the generated files differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FileDiff {
    pub added: usize,
    pub removed: usize,
    pub modified: usize,
}

impl FileDiff {
    pub fn between(old: &[File], new: &[File]) -> FileDiff {
        let old: BTreeMap<&str, &str> = old.iter().map(|f| (f.path.as_str(), f.contents.as_str())).collect();
        let new: BTreeMap<&str, &str> = new.iter().map(|f| (f.path.as_str(), f.contents.as_str())).collect();
        FileDiff {
            added: new.keys().filter(|p| !old.contains_key(*p)).count(),
            removed: old.keys().filter(|p| !new.contains_key(*p)).count(),
            modified: new.iter().filter(|(p, c)| old.get(*p).is_some_and(|o| o != *c)).count(),
        }
    }

    pub fn total(&self) -> usize {
        self.added + self.removed + self.modified
    }
}

#[derive(Debug, Clone)]
pub struct Report {
    pub old_version: String,
    pub new_version: String,
    pub changes: Vec<Change>,
    /// Set when both specs were generated.
    pub files: Option<FileDiff>,
}

impl Report {
    /// The level the crate's next version must bump; patch when nothing users see changed.
    pub fn verdict(&self) -> Level {
        self.changes.iter().map(|c| c.level).max().unwrap_or(Level::Patch)
    }

    pub fn count(&self, kind: Kind) -> usize {
        self.changes.iter().filter(|c| c.kind == kind).count()
    }

    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ =
            writeln!(out, "# What changes for users of the crate: spec {} -> {}\n", self.old_version, self.new_version);
        let by = |level: Level| self.changes.iter().filter(move |c| c.level == level);
        let (major, minor, patch) = (by(Level::Major).count(), by(Level::Minor).count(), by(Level::Patch).count());
        let verdict = self.verdict();
        let _ = write!(out, "Semver verdict: **{}**", verdict.name());
        if self.changes.is_empty() {
            out.push_str(" (nothing users can see changed).\n");
        } else {
            let _ = writeln!(out, " ({major} breaking, {minor} additive, {patch} other).");
            let _ = writeln!(out, "It is decided by the {} {} lines below.", by(verdict).count(), verdict.name());
        }
        for (level, title) in [
            (Level::Major, "Breaking changes (major)"),
            (Level::Minor, "Additions (minor)"),
            (Level::Patch, "Other changes (patch)"),
        ] {
            if by(level).next().is_none() {
                continue;
            }
            let _ = writeln!(out, "\n## {title}\n");
            for c in by(level) {
                let _ = writeln!(out, "- {}", c.text);
            }
        }
        if let Some(f) = self.files {
            let _ = writeln!(
                out,
                "\nGenerated files changed: {} ({} added, {} removed, {} modified).",
                f.total(),
                f.added,
                f.removed,
                f.modified
            );
        }
        out
    }
}

/// The changes from `old` to `new`.
pub fn compare(old: &Api, new: &Api) -> Report {
    let mut d = Diff { old, new, changes: Vec::new(), docs: BTreeSet::new() };
    d.operations();
    d.types();
    d.webhooks();
    let mut changes = d.changes;
    changes.sort_by(|a, b| b.level.cmp(&a.level).then(a.kind.cmp(&b.kind)).then(a.text.cmp(&b.text)));
    changes.dedup();
    if !d.docs.is_empty() {
        let list: Vec<&str> = d.docs.iter().map(String::as_str).collect();
        changes.push(Change {
            level: Level::Patch,
            kind: Kind::Documentation,
            text: format!("Documentation changed: {}", shorten(&list, 12)),
        });
    }
    Report { old_version: old.version.clone(), new_version: new.version.clone(), changes, files: None }
}

/// `a, b, c and 9 more`.
fn shorten(items: &[&str], keep: usize) -> String {
    let mut out = items.iter().take(keep).copied().collect::<Vec<_>>().join(", ");
    if items.len() > keep {
        let _ = write!(out, " and {} more", items.len() - keep);
    }
    out
}

struct Diff<'a> {
    old: &'a Api,
    new: &'a Api,
    changes: Vec<Change>,
    /// Items whose documentation alone changed.
    docs: BTreeSet<String>,
}

/// How an operation is called: `client.calls().actions().hangup(..)`.
fn call(op: &Operation) -> String {
    let mut out = String::from("client");
    for r in &op.resource {
        let _ = write!(out, ".{}()", r.trim_start_matches("r#"));
    }
    let _ = write!(out, ".{}(..)", op.name.trim_start_matches("r#"));
    out
}

/// The operation as the spec and the crate name it: `` `POST /calls` (`client.calls().dial(..)`) ``.
fn op_line(op: &Operation) -> String {
    format!("`{} {}` (`{}`)", op.method, op.path, call(op))
}

/// The Rust spelling of a type, with the names of `api`.
pub fn render(api: &Api, ty: &Ty) -> String {
    match ty {
        Ty::Named(id) => api.types[*id].name.clone(),
        Ty::String => "String".into(),
        Ty::Integer => "i64".into(),
        Ty::Int32 => "i32".into(),
        Ty::Number => "f64".into(),
        Ty::Boolean => "bool".into(),
        Ty::List(t) => format!("Vec<{}>", render(api, t)),
        Ty::Map(t) => format!("Map<String, {}>", render(api, t)),
        Ty::Nullable(t) => format!("Option<{}>", render(api, t)),
        Ty::Any => "serde_json::Value".into(),
        Ty::Bytes => "Bytes".into(),
        Ty::Base64 => "Base64".into(),
    }
}

/// A field's or parameter's whole Rust type, its optionality included.
fn field_type(api: &Api, ty: &Ty, required: bool, nullable: bool) -> String {
    let inner = render(api, ty);
    match (required, nullable) {
        (true, false) => inner,
        (true, true) | (false, false) => format!("Option<{inner}>"),
        (false, true) => format!("Option<Option<{inner}>>"),
    }
}

fn type_index(api: &Api) -> BTreeMap<String, &TypeDef> {
    let mut out = BTreeMap::new();
    for t in &api.types {
        out.entry(type_key(&api.operations, t)).or_insert(t);
    }
    out
}

impl Diff<'_> {
    fn push(&mut self, level: Level, kind: Kind, text: String) {
        self.changes.push(Change { level, kind, text });
    }

    fn operations(&mut self) {
        let index = |api: &Api| -> BTreeMap<(String, String), usize> {
            api.operations.iter().enumerate().map(|(i, o)| ((o.method.clone(), path_key(&o.path)), i)).collect()
        };
        let (old_ops, new_ops) = (index(self.old), index(self.new));
        for (key, &i) in &old_ops {
            if !new_ops.contains_key(key) {
                let line = format!("Operation removed: {}", op_line(&self.old.operations[i]));
                self.push(Level::Major, Kind::OperationRemoved, line);
            }
        }
        for (key, &j) in &new_ops {
            let b = &self.new.operations[j];
            let Some(&i) = old_ops.get(key) else {
                self.push(Level::Minor, Kind::OperationAdded, format!("Operation added: {}", op_line(b)));
                continue;
            };
            self.operation(&self.old.operations[i], b);
        }
    }

    fn operation(&mut self, a: &Operation, b: &Operation) {
        let (old, new) = (self.old, self.new);
        let here = op_line(b);
        if call(a) != call(b) {
            let line = format!("Operation renamed: `{} {}` was `{}`, now `{}`", b.method, b.path, call(a), call(b));
            self.push(Level::Major, Kind::OperationRenamed, line);
        }
        if !a.deprecated && b.deprecated {
            self.push(Level::Minor, Kind::OperationDeprecated, format!("Operation deprecated: {here}"));
        }
        if a.path_params.len() != b.path_params.len() {
            let names =
                |o: &Operation| o.path_params.iter().map(|p| p.rust_name.clone()).collect::<Vec<_>>().join(", ");
            let line = format!("Path parameters of {here} changed: ({}) -> ({})", names(a), names(b));
            self.push(Level::Major, Kind::PathParameters, line);
        } else {
            for (p, q) in a.path_params.iter().zip(&b.path_params) {
                self.param_type(&here, p, q);
            }
        }
        // Every input but one path parameter is a method of the call: a new optional one adds a
        // method, a new required one is a method a call site must now call.
        let methods = |api: &Api, o: &Operation| -> BTreeMap<String, (bool, String)> {
            let what = |i: &crate::ir::calls::Input| input_source(api, o, i);
            o.call
                .inputs
                .iter()
                .map(|i| (i.setter.trim_start_matches("r#").to_string(), (i.required, what(i))))
                .collect()
        };
        let (ma, mb) = (methods(old, a), methods(new, b));
        for (name, _) in ma.iter().filter(|(n, _)| !mb.contains_key(*n)) {
            let line = format!("Input removed from {here}: its calls lose `.{name}(..)`");
            self.push(Level::Major, Kind::ParameterRemoved, line);
        }
        for (name, (required, source)) in &mb {
            let Some((was_required, was_source)) = ma.get(name) else {
                let (level, line) = match required {
                    true => (Level::Major, format!("Required input added to {here}: its calls need `.{name}(..)`")),
                    false => {
                        (Level::Minor, format!("Optional input added to {here}: `.{name}(..)`, a method of its calls"))
                    }
                };
                self.push(level, Kind::ParameterAdded, line);
                continue;
            };
            // The same method setting another input (a new parameter took a property's name):
            // a call site compiles, and sends something else.
            if source != was_source {
                let line = format!("Input `.{name}(..)` of {here} now sets {source}, not {was_source}");
                self.push(Level::Major, Kind::ParameterRemoved, line);
            }
            match (was_required, required) {
                (false, true) => {
                    let line = format!("Input `.{name}(..)` of {here} is now required");
                    self.push(Level::Major, Kind::MadeRequired, line);
                }
                (true, false) => {
                    let line = format!("Input `.{name}(..)` of {here} is now optional");
                    self.push(Level::Minor, Kind::MadeOptional, line);
                }
                _ => {}
            }
        }
        let inputs = |o: &Operation| -> BTreeMap<(String, String), Param> {
            o.query_params
                .iter()
                .chain(&o.header_params)
                .map(|p| ((format!("{:?}", p.location), p.name.clone()), p.clone()))
                .collect()
        };
        let (pa, pb) = (inputs(a), inputs(b));
        for (key, q) in &pb {
            if let Some(p) = pa.get(key) {
                self.param_type(&here, p, q);
                if p.description != q.description {
                    self.docs.insert(format!("parameter `{}` of `{}`", q.name, call(b)));
                }
            }
        }
        match (&a.body, &b.body) {
            (None, Some(body)) => {
                let line = format!("Request body added to {here}: `{}`", render(new, &body.ty));
                self.push(Level::Major, Kind::BodyChanged, line);
            }
            (Some(_), None) => self.push(Level::Major, Kind::BodyChanged, format!("Request body removed from {here}")),
            (Some(x), Some(y)) => {
                let shape = |o: &Operation| std::mem::discriminant(&o.call.body);
                let (tx, ty) = (field_type(old, &x.ty, x.required, false), field_type(new, &y.ty, y.required, false));
                // A body whose properties are inputs and whose type stays is compared by its
                // inputs above and by its fields with the types.
                if shape(a) != shape(b) || x.encoding != y.encoding || tx != ty {
                    let line = format!(
                        "Request body of {here} changed: `{tx}` ({}) -> `{ty}` ({})",
                        x.encoding.name().to_lowercase(),
                        y.encoding.name().to_lowercase()
                    );
                    self.push(Level::Major, Kind::BodyChanged, line);
                }
            }
            (None, None) => {}
        }
        let response = |api: &Api, o: &Operation| match &o.success {
            crate::ir::Response::Json { ty: Ty::Named(id) } if o.call.returns_data => match &api.types[*id].kind {
                TypeKind::Struct { fields, .. } => render(api, &fields[0].ty),
                _ => render(api, &Ty::Named(*id)),
            },
            crate::ir::Response::Json { ty } => render(api, ty),
            other => format!("{other:?}"),
        };
        let (ra, rb) = (response(old, a), response(new, b));
        if ra != rb {
            let line = format!("Response of {here} changed: `{ra}` -> `{rb}`");
            self.push(Level::Major, Kind::ResponseChanged, line);
        }
        match (&a.pagination, &b.pagination) {
            (None, Some(_)) => {
                let line = format!("Pagination added to {here}: `.paginator()` on its calls");
                self.push(Level::Minor, Kind::PaginationAdded, line);
            }
            (Some(_), None) => {
                let line = format!("Pagination removed from {here}: its calls lose `.paginator()`");
                self.push(Level::Major, Kind::PaginationRemoved, line);
            }
            _ => {}
        }
        if a.summary != b.summary || a.description != b.description {
            self.docs.insert(format!("`{}`", call(b)));
        }
    }

    fn param_type(&mut self, here: &str, p: &Param, q: &Param) {
        let (tp, tq) = (render(self.old, &p.ty), render(self.new, &q.ty));
        if tp != tq {
            let line = format!("Type of parameter `{}` of {here} changed: `{tp}` -> `{tq}`", q.name);
            self.push(Level::Major, Kind::TypeChanged, line);
        }
    }

    fn types(&mut self) {
        // Types are listed, except those of operations that come or go with the change (their
        // params and inline objects), which are counted.
        let (old_types, new_types) = (type_index(self.old), type_index(self.new));
        let op_keys = |api: &Api| -> BTreeSet<(String, String)> {
            api.operations.iter().map(|o| (o.method.clone(), path_key(&o.path))).collect()
        };
        let (old_ops, new_ops) = (op_keys(self.old), op_keys(self.new));
        let owner = |api: &Api, t: &TypeDef| {
            t.owner_op.map(|i| (api.operations[i].method.clone(), path_key(&api.operations[i].path)))
        };
        let mut with_removed_ops = 0;
        for (key, a) in &old_types {
            if new_types.contains_key(key) {
                continue;
            }
            match owner(self.old, a) {
                Some(op) if !new_ops.contains(&op) => with_removed_ops += 1,
                _ => self.push(Level::Major, Kind::TypeRemoved, format!("Type removed: `{}`", a.name)),
            }
        }
        if with_removed_ops > 0 {
            let line = format!("{with_removed_ops} types of the removed operations are gone with them");
            self.push(Level::Major, Kind::TypeRemoved, line);
        }
        let mut with_new_ops = 0;
        for (key, b) in &new_types {
            let Some(a) = old_types.get(key) else {
                match owner(self.new, b) {
                    Some(op) if !old_ops.contains(&op) => with_new_ops += 1,
                    _ => self.push(Level::Minor, Kind::TypeAdded, format!("Type added: `{}`", b.name)),
                }
                continue;
            };
            self.type_def(a, b);
        }
        if with_new_ops > 0 {
            let line = format!("{with_new_ops} types come with the new operations (their params and inline objects)");
            self.push(Level::Minor, Kind::TypeAdded, line);
        }
    }

    fn type_def(&mut self, a: &TypeDef, b: &TypeDef) {
        let (old, new) = (self.old, self.new);
        let name = &b.name;
        if a.name != b.name {
            let line = format!("Type renamed: `{}` -> `{}` (`#{}`)", a.name, b.name, b.pointer);
            self.push(Level::Major, Kind::TypeRenamed, line);
        }
        if a.description != b.description {
            self.docs.insert(format!("`{name}`"));
        }
        match (&a.kind, &b.kind) {
            (TypeKind::Struct { fields: fa, additional: xa }, TypeKind::Struct { fields: fb, additional: xb }) => {
                // `X::default()` gone: users now build it with `X::builder()`.
                if a.construct == Construct::Default && b.construct == Construct::Builder {
                    let line = format!("Type `{name}` now has required fields: `{name}::default()` is gone, `{name}::builder()` builds it");
                    self.push(Level::Major, Kind::MadeRequired, line);
                }
                let by_name = |fs: &[crate::ir::Field]| -> BTreeMap<String, crate::ir::Field> {
                    fs.iter().map(|f| (f.name.clone(), f.clone())).collect()
                };
                let (ma, mb) = (by_name(fa), by_name(fb));
                for (wire, f) in &ma {
                    if !mb.contains_key(wire) {
                        let line = format!("Field removed: `{name}.{}`", f.rust_name.trim_start_matches("r#"));
                        self.push(Level::Major, Kind::FieldRemoved, line);
                    }
                }
                for (wire, g) in &mb {
                    let field = format!("`{name}.{}`", g.rust_name.trim_start_matches("r#"));
                    let Some(f) = ma.get(wire) else {
                        // Structs are `#[non_exhaustive]`: a new field breaks nothing, unless users
                        // build the struct and must now set it (its builder gains a method the
                        // compiler requires).
                        let ty = field_type(new, &g.ty, g.required, g.nullable);
                        let required = b.construct == Construct::Builder && is_required_input(g, &new.types);
                        let (level, note) = if required {
                            (Level::Major, "required: its builder needs `.{}(..)`")
                        } else {
                            (Level::Minor, "a new field")
                        };
                        let note = note.replace("{}", g.setter.trim_start_matches("r#"));
                        self.push(level, Kind::FieldAdded, format!("Field added: {field}: `{ty}` ({note})"));
                        continue;
                    };
                    let (ta, tb) = (
                        field_type(old, &f.ty, f.required, f.nullable),
                        field_type(new, &g.ty, g.required, g.nullable),
                    );
                    if f.required != g.required || f.nullable != g.nullable {
                        let kind = if g.required && !f.required { Kind::MadeRequired } else { Kind::MadeOptional };
                        let what = if kind == Kind::MadeRequired { "now required" } else { "now optional" };
                        let what = match (f.required == g.required, g.nullable) {
                            (true, true) => "now nullable",
                            (true, false) => "no longer nullable",
                            _ => what,
                        };
                        let built = b.construct == Construct::Builder;
                        let note = match (is_required_input(f, &old.types), is_required_input(g, &new.types)) {
                            (false, true) if built => "; its builder needs it set",
                            _ => "",
                        };
                        self.push(Level::Major, kind, format!("Field {field} is {what}: `{ta}` -> `{tb}`{note}"));
                    } else if ta != tb {
                        self.push(
                            Level::Major,
                            Kind::TypeChanged,
                            format!("Type of field {field} changed: `{ta}` -> `{tb}`"),
                        );
                    }
                    if f.description != g.description {
                        self.docs.insert(field);
                    }
                }
                match (xa, xb) {
                    (None, Some(_)) => self.push(
                        Level::Major,
                        Kind::FieldAdded,
                        format!("Field added: `{name}.extra` (more properties)"),
                    ),
                    (Some(_), None) => {
                        self.push(Level::Major, Kind::FieldRemoved, format!("Field removed: `{name}.extra`"))
                    }
                    _ => {}
                }
            }
            (TypeKind::Enum { values: va }, TypeKind::Enum { values: vb }) => {
                let keys = |vs: &[crate::ir::EnumValue]| -> Keyed {
                    vs.iter().map(|v| (v.value.clone(), v.rust_name.clone())).collect()
                };
                self.variants(name, &keys(va), &keys(vb), "Enum value", Level::Minor);
                self.reordered(
                    name,
                    &va.iter().map(|v| v.value.clone()).collect::<Vec<_>>(),
                    &vb.iter().map(|v| v.value.clone()).collect::<Vec<_>>(),
                );
            }
            (TypeKind::IntEnum { values: va }, TypeKind::IntEnum { values: vb }) => {
                let keys = |vs: &[crate::ir::IntEnumValue]| -> Keyed {
                    vs.iter().map(|v| (v.value.to_string(), v.rust_name.clone())).collect()
                };
                self.variants(name, &keys(va), &keys(vb), "Enum value", Level::Minor);
                let values =
                    |vs: &[crate::ir::IntEnumValue]| vs.iter().map(|v| v.value.to_string()).collect::<Vec<_>>();
                self.reordered(name, &values(va), &values(vb));
            }
            (TypeKind::Union { variants: va, .. }, TypeKind::Union { variants: vb, discriminator }) => {
                // A variant is known by the type it holds. Both kinds of union are
                // `#[non_exhaustive]`, so a `match` on one already has a `_` arm for a newcomer.
                let keys = |api: &Api, vs: &[crate::ir::Variant]| -> Keyed {
                    vs.iter().map(|v| (render(api, &v.ty), v.rust_name.clone())).collect()
                };
                let what = match discriminator {
                    Some(_) => "Union variant",
                    None => "Variant of untagged union",
                };
                self.variants(name, &keys(old, va), &keys(new, vb), what, Level::Minor);
            }
            (TypeKind::Alias { ty: ta }, TypeKind::Alias { ty: tb }) => {
                let (ra, rb) = (render(old, ta), render(new, tb));
                if ra != rb {
                    self.push(Level::Major, Kind::TypeChanged, format!("Type `{name}` changed: `{ra}` -> `{rb}`"));
                }
            }
            (ka, kb) => {
                let line = format!("Type `{name}` changed kind: {} -> {}", kind_name(ka), kind_name(kb));
                self.push(Level::Major, Kind::TypeKindChanged, line);
            }
        }
    }

    /// Values or variants, keyed by what identifies them on the wire (or by their type).
    fn variants(&mut self, ty: &str, a: &Keyed, b: &Keyed, what: &str, added: Level) {
        for (key, rust) in a {
            if !b.contains_key(key) {
                self.push(Level::Major, Kind::VariantRemoved, format!("{what} removed: `{ty}::{rust}` ({key})"));
            }
        }
        for (key, rust) in b {
            if !a.contains_key(key) {
                self.push(added, Kind::VariantAdded, format!("{what} added: `{ty}::{rust}` ({key})"));
            }
        }
    }

    /// Enum values both specs have, in another order: the derived `Ord` follows the spec's order.
    fn reordered(&mut self, ty: &str, a: &[String], b: &[String]) {
        let common_a: Vec<&String> = a.iter().filter(|v| b.contains(v)).collect();
        let common_b: Vec<&String> = b.iter().filter(|v| a.contains(v)).collect();
        if common_a != common_b {
            let line = format!("Enum values of `{ty}` reordered: its `Ord` follows the new order");
            self.push(Level::Patch, Kind::VariantsReordered, line);
        }
    }

    fn webhooks(&mut self) {
        let names = |api: &Api| -> BTreeMap<String, String> {
            api.webhooks.iter().map(|w| (w.name.clone(), w.rust_name.clone())).collect()
        };
        let (a, b) = (names(self.old), names(self.new));
        for (name, rust) in &a {
            if !b.contains_key(name) {
                let line = format!("Webhook removed: `{name}` (`WebhookEvent::{rust}`)");
                self.push(Level::Major, Kind::WebhookRemoved, line);
            }
        }
        for (name, rust) in &b {
            if !a.contains_key(name) {
                let line = format!("Webhook added: `{name}` (`WebhookEvent::{rust}`)");
                self.push(Level::Minor, Kind::WebhookAdded, line);
            }
        }
    }
}

/// Wire value (or held type) -> Rust variant name.
type Keyed = BTreeMap<String, String>;

/// What an input of an operation sets, for the report: `the query parameter `q``.
fn input_source(api: &Api, op: &Operation, input: &crate::ir::calls::Input) -> String {
    use crate::ir::calls::{BodyShape, InputSource};
    match input.source {
        InputSource::Path(i) => format!("the path parameter `{}`", op.path_params[i].name),
        InputSource::Query(i) => format!("the query parameter `{}`", op.query_params[i].name),
        InputSource::Header(i) => format!("the header `{}`", op.header_params[i].name),
        InputSource::Field(i) => match op.call.body {
            BodyShape::Fields { ty, .. } => match &api.types[ty].kind {
                TypeKind::Struct { fields, .. } => format!("the body property `{}`", fields[i].name),
                _ => "a body property".to_string(),
            },
            _ => "a body property".to_string(),
        },
        InputSource::Body => "the body".to_string(),
    }
}

fn kind_name(k: &TypeKind) -> &'static str {
    match k {
        TypeKind::Struct { .. } => "struct",
        TypeKind::Enum { .. } => "string enum",
        TypeKind::IntEnum { .. } => "integer enum",
        TypeKind::Union { .. } => "union",
        TypeKind::Alias { .. } => "alias",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_diff_counts_each_kind() {
        let f = |p: &str, c: &str| File { path: p.into(), contents: c.into() };
        let d = FileDiff::between(&[f("a", "1"), f("b", "1")], &[f("b", "2"), f("c", "1")]);
        assert_eq!(d, FileDiff { added: 1, removed: 1, modified: 1 });
    }
}
