//! How each operation is called, decided once for every emitter (the operations, their doc
//! examples, `API.md`, the conformance table): which input is passed by position, which are
//! methods of the call, which of those the compiler requires, and what the call returns. And,
//! for the types users build, how they build them.
//!
//! The rule, as in the official SDKs: one path parameter, the last, is passed by position
//! (`speak(call_control_id)`); every other input is named. Path, query and header parameters
//! are methods of the call named after them; a body that is an object lends the call one method
//! per property (`dial().connection_id(..).from(..).to(..)`); any other body is the one method
//! `body`. An input is required (the call is no future until it is set) when the spec requires
//! it, unless the client fills it (an idempotency token) or it can hold one value only (an enum
//! of one value, which is preset).

use super::idempotency::Token;
use super::{resolve_alias, Api, BodyEncoding, Field, Operation, Response, Ty, TypeDef, TypeId, TypeKind};
use serde::Serialize;
use std::collections::HashSet;

/// How an operation is called.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CallShape {
    /// The one input passed by position: the last path parameter (its index in
    /// [`Operation::path_params`]).
    pub argument: Option<usize>,
    /// Every other input, each a method of the call: path, query and header parameters, then
    /// the body's properties (or the body).
    pub inputs: Vec<Input>,
    pub body: BodyShape,
    /// The response is an object that holds only `data`: the call returns the `data`.
    pub returns_data: bool,
}

/// One input set by a method of the call.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Input {
    /// The method's name.
    pub setter: String,
    /// For an optional, nullable property: the method that sends `null`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub null_setter: Option<String>,
    pub source: InputSource,
    /// The compiler requires it: the call is not a future until it is set.
    pub required: bool,
}

/// Where an input goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "in", content = "index", rename_all = "snake_case")]
pub enum InputSource {
    Path(usize),
    Query(usize),
    Header(usize),
    /// A property of the body (index in the body struct's fields).
    Field(usize),
    /// The whole body.
    Body,
}

/// How the body is held.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BodyShape {
    #[default]
    None,
    /// An object whose properties are inputs. `optional`: the spec lets the body be left out
    /// and none of its properties is required, so it is sent only once one is set.
    Fields { ty: TypeId, optional: bool },
    /// The body is one input, [`InputSource::Body`].
    Whole,
}

/// How users get a value of a struct type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Construct {
    /// They do not: it is only decoded (a response, an event), or only filled through a call's
    /// methods (a body whose properties are inputs).
    #[default]
    Decoded,
    /// `X::default()`, then a method per field (no field is required).
    Default,
    /// `X::builder()`, a method per field, the required ones checked by the compiler, `.build()`.
    Builder,
}

/// The methods of the client's `Call` (`generated-client/src/call.rs`), which no input's
/// method may take.
pub const CALL_METHODS: &[&str] = &[
    "new",
    "plain",
    "params",
    "with_options",
    "with_body",
    "pages_by",
    "paginator",
    "into_future",
    "reconnect",
    "wait",
    "method_and_url",
];

/// Names no field's method may take: trait methods the types have, and the runtime builder's.
const TYPE_METHODS: &[&str] = &[
    "new",
    "default",
    "builder",
    "blank",
    "build",
    "clone",
    "clone_from",
    "into",
    "fmt",
    "hash",
    "to_owned",
    "to_string",
    "serialize",
];

/// The most required inputs a call (or a builder) can track: the client's `Ready` is
/// implemented for tuples up to this many slots (`generated-client/src/inputs.rs`).
pub const MAX_REQUIRED: usize = 32;

/// Sets [`Operation::call`], and [`TypeDef::construct`], [`TypeDef::blank`] and the fields'
/// methods. Runs after naming. Fails, with the JSON pointer and the reason, on a struct users
/// build that requires itself through required fields only (no value of it exists: the JSON
/// would have no end), and on a call or struct with more than [`MAX_REQUIRED`] required inputs.
pub fn shape(api: &mut Api) -> Result<(), (String, String)> {
    let shapes: Vec<CallShape> = api.operations.iter().map(|op| call_shape(op, &api.types)).collect();
    for (op, shape) in api.operations.iter_mut().zip(shapes) {
        op.call = shape;
    }
    let built = built_by_users(api);
    for (id, def) in api.types.iter_mut().enumerate() {
        if let TypeKind::Struct { fields, .. } = &def.kind {
            def.construct = match (built.contains(&id), fields.iter().all(is_optional)) {
                (false, _) => Construct::Decoded,
                (true, true) => Construct::Default,
                (true, false) => Construct::Builder,
            };
        }
    }
    name_field_methods(&mut api.types);
    mark_blanks(api);
    too_many_required(api)?;
    required_cycle(&api.types).map_err(|(pointer, chain)| {
        (
            pointer,
            format!("the schema requires itself through required properties ({chain}): no value of it can be sent"),
        )
    })
}

/// A call or a struct users build with more required inputs than a call's state can track.
fn too_many_required(api: &Api) -> Result<(), (String, String)> {
    let too_many = |n: usize| n > MAX_REQUIRED;
    for op in &api.operations {
        let n = op.call.inputs.iter().filter(|i| i.required).count();
        if too_many(n) {
            return Err((
                op.pointer.clone(),
                format!("{n} required inputs, more than the {MAX_REQUIRED} a call can track"),
            ));
        }
    }
    for def in api.types.iter().filter(|d| d.construct == Construct::Builder) {
        if let TypeKind::Struct { fields, .. } = &def.kind {
            let n = fields.iter().filter(|f| is_required_input(f, &api.types)).count();
            if too_many(n) {
                return Err((
                    def.pointer.clone(),
                    format!("{n} required fields, more than the {MAX_REQUIRED} a builder can track"),
                ));
            }
        }
    }
    Ok(())
}

/// Whether a field is an `Option` in Rust (optional, or nullable).
pub fn is_optional(f: &Field) -> bool {
    !f.required || f.nullable
}

/// Whether the compiler requires a field to be set when users build its struct (or its call):
/// required by the spec, not nullable, not read-only, and not an enum of one value (preset).
pub fn is_required_input(f: &Field, types: &[TypeDef]) -> bool {
    !is_optional(f) && !f.read_only && one_value(&f.ty, types).is_none()
}

/// The one value of an enum type that has one (the value its placeholder takes).
pub fn one_value<'t>(ty: &'t Ty, types: &'t [TypeDef]) -> Option<&'t str> {
    match resolve_alias(types, ty) {
        Ty::Named(id) => match &types[*id].kind {
            TypeKind::Enum { values } if values.len() == 1 => Some(values[0].value.as_str()),
            _ => None,
        },
        _ => None,
    }
}

/// The struct type of a body that lends the call its properties, if it is one: a JSON, form or
/// multipart object (properties it does not declare go through `with_body`).
fn fields_body(op: &Operation, types: &[TypeDef]) -> Option<TypeId> {
    let b = op.body.as_ref()?;
    if !matches!(b.encoding, BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart) {
        return None;
    }
    match resolve_alias(types, &b.ty) {
        Ty::Named(id) => match &types[*id].kind {
            TypeKind::Struct { .. } => Some(*id),
            _ => None,
        },
        _ => None,
    }
}

fn call_shape(op: &Operation, types: &[TypeDef]) -> CallShape {
    let mut inputs = Vec::new();
    let argument = op.path_params.len().checked_sub(1);
    for i in 0..op.path_params.len().saturating_sub(1) {
        let p = &op.path_params[i];
        inputs.push(Input {
            setter: p.rust_name.clone(),
            null_setter: None,
            source: InputSource::Path(i),
            required: true,
        });
    }
    let token = op.idempotency.as_ref();
    for (i, p) in op.query_params.iter().enumerate() {
        inputs.push(Input {
            setter: p.rust_name.clone(),
            null_setter: None,
            source: InputSource::Query(i),
            required: p.required,
        });
    }
    for (i, p) in op.header_params.iter().enumerate() {
        // The client fills a token left empty.
        let filled = token == Some(&Token::Header(p.name.clone()));
        let required = p.required && !filled;
        inputs.push(Input { setter: p.rust_name.clone(), null_setter: None, source: InputSource::Header(i), required });
    }
    let mut taken: HashSet<String> = CALL_METHODS.iter().map(|m| m.to_string()).collect();
    taken.extend(inputs.iter().map(|i| i.setter.clone()));
    let body = match (&op.body, fields_body(op, types)) {
        (None, _) => BodyShape::None,
        (Some(b), Some(id)) => {
            let TypeKind::Struct { fields, .. } = &types[id].kind else { unreachable!("fields_body is a struct") };
            // Sent only once a property is set: where nothing is required (nor preset), so that
            // it starts from its `Default`.
            let all_optional = fields.iter().all(is_optional);
            for (i, f) in fields.iter().enumerate() {
                if f.read_only {
                    continue;
                }
                let filled = token == Some(&Token::BodyField(f.name.clone()));
                let setter = unique(&mut taken, &f.rust_name);
                let null_setter =
                    (f.nullable && !f.required).then(|| unique(&mut taken, &format!("{}_null", bare(&f.rust_name))));
                let required = is_required_input(f, types) && !filled;
                inputs.push(Input { setter, null_setter, source: InputSource::Field(i), required });
            }
            BodyShape::Fields { ty: id, optional: !b.required && all_optional }
        }
        (Some(b), None) => {
            let setter = unique(&mut taken, "body");
            inputs.push(Input { setter, null_setter: None, source: InputSource::Body, required: b.required });
            BodyShape::Whole
        }
    };
    let returns_data = match &op.success {
        Response::Json { ty: Ty::Named(id) } if op.websocket.is_none() => holds_only_data(&types[*id]),
        _ => false,
    };
    CallShape { argument, inputs, body, returns_data }
}

/// Whether a type is an object of one property, `data` (not nullable), that users do not build:
/// `telnyx::Data<T>`, whose `data` is required.
pub fn wraps_data(def: &TypeDef) -> bool {
    def.construct == Construct::Decoded && holds_only_data(def)
}

/// Whether a type is an object of one property, `data` (not nullable): a response whose call
/// returns its `data`.
pub fn holds_only_data(def: &TypeDef) -> bool {
    match &def.kind {
        TypeKind::Struct { fields, additional: None } => {
            matches!(fields.as_slice(), [f] if f.name == "data" && f.rust_name == "data" && !f.nullable && !f.boxed)
        }
        _ => false,
    }
}

/// The objects that hold only `data` where the spec leaves it optional, as (schema pointer,
/// `data`): `telnyx::Data<T>` requires it (see [`crate::ir::Api::required_beyond_spec`]).
pub fn data_required(types: &[TypeDef]) -> Vec<(String, String)> {
    types
        .iter()
        .filter(|t| wraps_data(t))
        .filter(|t| matches!(&t.kind, TypeKind::Struct { fields, .. } if !fields[0].required))
        .map(|t| (t.pointer.clone(), "data".to_string()))
        .collect()
}

/// `name`, or `name_2`, `name_3`, ... : the first not yet taken (and now taken).
fn unique(taken: &mut HashSet<String>, name: &str) -> String {
    if taken.insert(name.to_string()) {
        return name.to_string();
    }
    let raw = bare(name);
    let found = (2..).map(|n| format!("{raw}_{n}")).find(|c| !taken.contains(c)).expect("an unused name exists");
    taken.insert(found.clone());
    found
}

fn bare(name: &str) -> &str {
    name.trim_start_matches("r#")
}

/// The struct, union and alias types users build: reached from an operation's inputs (the
/// properties of a body that lends them to the call, not that body itself) or from what a
/// WebSocket session sends.
fn built_by_users(api: &Api) -> HashSet<TypeId> {
    let mut stack: Vec<TypeId> = Vec::new();
    for op in &api.operations {
        let params = op.path_params.iter().chain(&op.query_params).chain(&op.header_params);
        params.for_each(|p| p.ty.named(&mut |id| stack.push(id)));
        match op.call.body {
            BodyShape::Fields { ty, .. } => {
                if let TypeKind::Struct { fields, .. } = &api.types[ty].kind {
                    fields.iter().filter(|f| !f.read_only).for_each(|f| f.ty.named(&mut |id| stack.push(id)));
                }
            }
            BodyShape::Whole => {
                if let Some(b) = &op.body {
                    b.ty.named(&mut |id| stack.push(id));
                }
            }
            BodyShape::None => {}
        }
        if let Some(ws) = &op.websocket {
            if let super::Frame::Json { ty } = &ws.send {
                ty.named(&mut |id| stack.push(id));
            }
        }
    }
    let mut seen = HashSet::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        match &api.types[id].kind {
            TypeKind::Struct { fields, additional } => {
                fields.iter().filter(|f| !f.read_only).for_each(|f| f.ty.named(&mut |n| stack.push(n)));
                if let Some(t) = additional {
                    t.named(&mut |n| stack.push(n));
                }
            }
            kind => kind.each_ty(&mut |t| t.named(&mut |n| stack.push(n))),
        }
    }
    seen
}

/// The method of each field of a struct users build (none for read-only fields, which the
/// client never sends), and of its `null` for optional, nullable fields.
fn name_field_methods(types: &mut [TypeDef]) {
    for def in types.iter_mut() {
        if def.construct == Construct::Decoded {
            continue;
        }
        let TypeKind::Struct { fields, .. } = &mut def.kind else { continue };
        let mut taken: HashSet<String> = TYPE_METHODS.iter().map(|m| m.to_string()).collect();
        // Fields' own names first, so that a `_null` method never takes a field's name.
        for f in fields.iter_mut().filter(|f| !f.read_only) {
            f.setter = unique(&mut taken, &f.rust_name);
        }
        for f in fields.iter_mut().filter(|f| !f.read_only && f.nullable && !f.required) {
            f.null_setter = Some(unique(&mut taken, &format!("{}_null", bare(&f.setter))));
        }
    }
}

/// A struct with a placeholder that requires itself through required struct fields: the pointer
/// of one such struct, and the chain of names.
fn required_cycle(types: &[TypeDef]) -> Result<(), (String, String)> {
    let edges = |id: TypeId| -> Vec<TypeId> {
        match &types[id].kind {
            TypeKind::Struct { fields, .. } => fields
                .iter()
                .filter(|f| !is_optional(f))
                .filter_map(|f| match resolve_alias(types, &f.ty) {
                    Ty::Named(n) if types[*n].blank => Some(*n),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    };
    // 0: not seen, 1: on the path, 2: done.
    let mut state = vec![0u8; types.len()];
    for start in (0..types.len()).filter(|&id| types[id].blank) {
        if state[start] != 0 {
            continue;
        }
        let mut path: Vec<(TypeId, Vec<TypeId>)> = vec![(start, edges(start))];
        state[start] = 1;
        while let Some((id, next)) = path.last_mut() {
            match next.pop() {
                Some(n) if state[n] == 1 => {
                    let at = path.iter().position(|(p, _)| *p == n).unwrap_or(0);
                    let mut chain: Vec<&str> = path[at..].iter().map(|(p, _)| types[*p].name.as_str()).collect();
                    chain.push(&types[n].name);
                    return Err((types[n].pointer.clone(), chain.join(" -> ")));
                }
                Some(n) if state[n] == 0 => {
                    state[n] = 1;
                    path.push((n, edges(n)));
                }
                Some(_) => {}
                None => {
                    state[*id] = 2;
                    path.pop();
                }
            }
        }
    }
    Ok(())
}

/// Marks the structs that need a placeholder value (`blank()`): those built with a builder, the
/// bodies whose properties are a call's inputs and which have required ones, and the types of
/// the required fields of those, in turn.
fn mark_blanks(api: &mut Api) {
    let types = &api.types;
    let mut stack: Vec<TypeId> = Vec::new();
    for def in types {
        if def.construct == Construct::Builder {
            stack.push(def.id);
        }
    }
    for op in &api.operations {
        match op.call.body {
            BodyShape::Fields { ty, optional: false } => stack.push(ty),
            BodyShape::Whole if op.body.as_ref().is_some_and(|b| b.required) => {
                if let Some(b) = &op.body {
                    b.ty.named(&mut |id| stack.push(id));
                }
            }
            _ => {}
        }
    }
    let mut blank = vec![false; types.len()];
    while let Some(id) = stack.pop() {
        match &types[id].kind {
            TypeKind::Struct { fields, .. } => {
                // A struct without required fields has `Default`, and needs no placeholder.
                if blank[id] || fields.iter().all(is_optional) {
                    continue;
                }
                blank[id] = true;
                for f in fields.iter().filter(|f| !is_optional(f)) {
                    if let Ty::Named(n) = resolve_alias(types, &f.ty) {
                        stack.push(*n);
                    }
                }
            }
            TypeKind::Alias { ty: Ty::Named(n) } => stack.push(*n),
            _ => {}
        }
    }
    for (def, b) in api.types.iter_mut().zip(blank) {
        def.blank = b;
    }
}
