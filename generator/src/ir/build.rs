//! Builds the [`Api`] from the parsed spec: operations with their parameters, bodies and
//! responses, the type space, and webhooks. Names are left to [`super::naming`].

use super::schema::{Site, TypeSpace};
use super::{
    field_at, resolve_alias, Api, BodyEncoding, ExampleSite, Field, FieldRef, Frame, Operation, PageInput, Pagination,
    PaginationStyle, Param, ParamLocation, ParamStyle, RequestBody, Response, ResponseInfo, Ty, TypeDef, TypeId,
    TypeKind, WebSocket, Webhook,
};
use crate::error::{pointer, Error, Result};
use crate::parse::Spec;
use indexmap::IndexMap;
use openapiv3::{
    Components, MediaType, Parameter, ParameterSchemaOrContent, PathItem, QueryStyle, ReferenceOr, StatusCode,
};
use std::collections::BTreeSet;
use std::path::Path;

const METHOD_ORDER: [&str; 8] = ["get", "post", "put", "patch", "delete", "head", "options", "trace"];

/// Builds the IR and resolves its names.
pub fn build(
    file: &Path,
    spec: &Spec,
    names: &super::naming::NameFile,
    kept: &super::naming::NameFile,
    type_names: &super::naming::TypeNames,
    lenient: bool,
    example_sites: Option<&BTreeSet<String>>,
) -> Result<Api> {
    let empty = Components::default();
    let components = spec.openapi.components.as_ref().unwrap_or(&empty);
    let mut space = TypeSpace::new(&components.schemas);
    if let Some(sites) = example_sites {
        space.wanted.clone_from(sites);
    }
    space.build_components();
    // `A: {$ref: B}`, `B: {$ref: A}` (or `A: {items: {$ref: A}}`) would be a type alias cycle.
    let mut degraded = Vec::new();
    for (id, chain) in super::schema::alias_cycles(&space.types) {
        let pointer = space.types[id].pointer.clone();
        let reason = format!("$ref cycle with no object in it: {chain}");
        if !lenient {
            return Err(Error::new(file, pointer, reason));
        }
        space.types[id].kind = super::TypeKind::Alias { ty: Ty::Any };
        degraded.push(super::Fallback { pointer, reason });
    }

    let mut raw_ops = Vec::new();
    for (path, item) in &spec.openapi.paths.paths {
        let item_ptr = pointer(["paths", path.as_str()]);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => {
                return Err(Error::new(file, item_ptr, "a $ref path item is not supported"))
            }
        };
        for (method, op) in item.iter() {
            raw_ops.push((path.as_str(), method, item, op));
        }
    }
    raw_ops.sort_by_key(|(path, method, ..)| (*path, METHOD_ORDER.iter().position(|m| m == method)));

    let default_server = spec.openapi.servers.first().map(server_url).unwrap_or_default();
    let mut operations = Vec::with_capacity(raw_ops.len());
    for (index, (path, method, item, op)) in raw_ops.iter().enumerate() {
        let op_ptr = pointer(["paths", path, method]);
        let ctx = OpContext { file, components, index, pointer: &op_ptr, default_server: &default_server };
        operations.push(ctx.operation(&mut space, path, method, item, op)?);
    }

    // Shared responses (mostly errors) with examples, once each, for the example checks.
    for (name, r) in &components.responses {
        let ReferenceOr::Item(r) = r else { continue };
        let ptr = pointer(["components", "responses", name.as_str()]);
        if let Some((mt, media)) = json_media(&r.content) {
            let mptr = pointer_join(&ptr, &["content", mt]);
            let has_examples = media.example.is_some() || !media.examples.is_empty() || space.is_wanted(&mptr);
            let sp = pointer_join(&mptr, &["schema"]);
            if let Some(schema) =
                media.schema.as_ref().filter(|s| has_examples || has_example(s) || space.wants_under(&sp))
            {
                let ty = space.ty_shared(schema, name, &sp);
                if has_examples {
                    space.examples.push(ExampleSite { pointer: mptr, ty });
                }
            }
        }
    }

    let mut webhooks = Vec::new();
    for (name, item) in &spec.webhooks {
        let ReferenceOr::Item(item) = item else { continue };
        for (method, op) in item.iter() {
            let ptr = pointer(["webhooks", name.as_str(), method]);
            let payload = match &op.request_body {
                Some(body) => {
                    let body = resolve(file, &ptr, body, &components.request_bodies, "requestBodies")?;
                    let hint = vec![name.clone(), "Payload".to_string()];
                    json_media(&body.content).and_then(|(mt, media)| Some((mt, media.schema.as_ref()?))).map(
                        |(mt, schema)| {
                            let sp = pointer_join(&ptr, &["requestBody", "content", mt, "schema"]);
                            let site = Site { hint: &hint, owner_op: None, pointer: &sp };
                            space.ty(schema, &site)
                        },
                    )
                }
                None => None,
            };
            let event_types = payload.as_ref().map(|ty| event_types(&space.types, ty)).unwrap_or_default();
            webhooks.push(Webhook {
                name: name.clone(),
                rust_name: String::new(),
                summary: op.summary.clone(),
                payload,
                event_types,
            });
        }
    }
    // An event type announces one webhook: the first that declares it.
    let mut claimed = std::collections::HashSet::new();
    for w in &mut webhooks {
        w.event_types.retain(|t| claimed.insert(t.clone()));
    }
    let mut required_beyond_spec = require_envelope(&mut space.types, &webhooks);

    let mut api = Api {
        title: spec.openapi.info.title.clone(),
        version: spec.openapi.info.version.clone(),
        base_url: default_server,
        operations,
        types: space.types,
        webhooks,
        fallbacks: space.fallbacks,
        degraded,
        examples: space.examples,
        required_beyond_spec: Vec::new(),
        features: Default::default(),
        directions: Default::default(),
        names_from_file: 0,
    };
    super::idempotency::mark(&mut api);
    super::naming::resolve(&mut api, names, kept, type_names)?;
    super::calls::shape(&mut api).map_err(|(pointer, reason)| Error::new(file, pointer, reason))?;
    required_beyond_spec.extend(super::calls::data_required(&api.types));
    required_beyond_spec.sort();
    required_beyond_spec.dedup();
    api.required_beyond_spec = required_beyond_spec;
    api.features = super::features::plan(&api).map_err(|e| Error::new(file, "", e))?;
    api.directions = super::directions::plan(&api);
    Ok(api)
}

/// Telnyx sends an event's `data`, and the `payload` in it, with every event, though the spec
/// leaves them optional: they are required fields, so `event.data.payload` holds no `Option`
/// (an event without one decodes with a correction, or fails when decoding strictly).
/// Returns what it made required, as (schema pointer, property).
fn require_envelope(types: &mut [TypeDef], webhooks: &[Webhook]) -> Vec<(String, String)> {
    let mut made = Vec::new();
    for w in webhooks {
        let Some(Ty::Named(top)) = w.payload.as_ref().map(|t| resolve_alias(types, t).clone()) else { continue };
        if let Some(data) = require_field(types, top, "data", &mut made) {
            require_field(types, data, "payload", &mut made);
        }
    }
    made
}

/// Makes field `name` of struct `id` required (unless nullable), noting it in `made` when the
/// spec did not; the struct type it holds, if any.
fn require_field(types: &mut [TypeDef], id: TypeId, name: &str, made: &mut Vec<(String, String)>) -> Option<TypeId> {
    let pointer = types[id].pointer.clone();
    let TypeKind::Struct { fields, .. } = &mut types[id].kind else { return None };
    let field = fields.iter_mut().find(|f| f.name == name && !f.nullable)?;
    if !field.required {
        made.push((pointer, name.to_string()));
    }
    field.required = true;
    let ty = field.ty.clone();
    match resolve_alias(types, &ty) {
        Ty::Named(inner) if matches!(types[*inner].kind, TypeKind::Struct { .. }) => Some(*inner),
        _ => None,
    }
}

struct OpContext<'a> {
    file: &'a Path,
    components: &'a Components,
    index: usize,
    pointer: &'a str,
    /// The spec's first server: where operations without servers of their own go.
    default_server: &'a str,
}

impl OpContext<'_> {
    fn site<'s>(&self, hint: &'s [String], pointer: &'s str) -> Site<'s> {
        Site { hint, owner_op: Some(self.index), pointer }
    }

    fn operation(
        &self,
        space: &mut TypeSpace<'_>,
        path: &str,
        method: &str,
        item: &PathItem,
        op: &openapiv3::Operation,
    ) -> Result<Operation> {
        // Operation parameters override path-item ones with the same name and location.
        let mut params: Vec<(String, &Parameter)> = Vec::new();
        for (base, list) in [("parameters", &item.parameters), ("", &op.parameters)] {
            for (i, p) in list.iter().enumerate() {
                let ptr = if base.is_empty() {
                    format!("{}/parameters/{i}", self.pointer)
                } else {
                    let item_ptr = &self.pointer[..self.pointer.rfind('/').unwrap_or(0)];
                    format!("{item_ptr}/parameters/{i}")
                };
                let home = written_at(&ptr, p);
                let p = resolve(self.file, &ptr, p, &self.components.parameters, "parameters")?;
                let data = p.parameter_data_ref();
                params.retain(|(_, q)| {
                    let d = q.parameter_data_ref();
                    !(d.name == data.name && std::mem::discriminant(*q) == std::mem::discriminant(p))
                });
                params.push((home, p));
            }
        }

        let mut path_params = Vec::new();
        let mut query_params = Vec::new();
        let mut header_params = Vec::new();
        for (ptr, p) in &params {
            let data = p.parameter_data_ref();
            let (location, style, explode_default) = match p {
                Parameter::Path { .. } => (ParamLocation::Path, ParamStyle::Simple, false),
                Parameter::Header { .. } => (ParamLocation::Header, ParamStyle::Simple, false),
                Parameter::Query { style, .. } => match style {
                    QueryStyle::Form => (ParamLocation::Query, ParamStyle::Form, true),
                    QueryStyle::DeepObject => (ParamLocation::Query, ParamStyle::DeepObject, true),
                    QueryStyle::SpaceDelimited => (ParamLocation::Query, ParamStyle::SpaceDelimited, false),
                    QueryStyle::PipeDelimited => (ParamLocation::Query, ParamStyle::PipeDelimited, false),
                },
                // Cookies are not used by this API; the client sends none.
                Parameter::Cookie { .. } => continue,
            };
            // The client sets authentication itself.
            if location == ParamLocation::Header && data.name.eq_ignore_ascii_case("authorization") {
                continue;
            }
            let hint = vec![data.name.clone()];
            let schema = match &data.format {
                ParameterSchemaOrContent::Schema(s) => Some((s, format!("{ptr}/schema"))),
                ParameterSchemaOrContent::Content(c) => c
                    .iter()
                    .next()
                    .and_then(|(mt, m)| m.schema.as_ref().map(|s| (s, pointer_join(ptr, &["content", mt, "schema"])))),
            };
            let example = data.example.clone().or_else(|| schema.as_ref().and_then(|(s, _)| space.example(s)));
            let ty = match (schema, shared_component(ptr, "parameters")) {
                (Some((s, sp)), Some(component)) => space.ty_shared(s, &component, &sp),
                (Some((s, sp)), None) => space.ty(s, &self.site(&hint, &sp)),
                (None, _) => Ty::String,
            };
            let param = Param {
                name: data.name.clone(),
                rust_name: String::new(),
                location,
                required: data.required || location == ParamLocation::Path,
                style,
                explode: data.explode.unwrap_or(explode_default),
                ty,
                description: data.description.clone(),
                deprecated: data.deprecated.unwrap_or(false),
                example,
            };
            match location {
                ParamLocation::Path => path_params.push(param),
                ParamLocation::Query => query_params.push(param),
                ParamLocation::Header => header_params.push(param),
            }
        }
        // Path parameters in path order; a placeholder without a declaration is a string.
        let mut ordered = Vec::new();
        for placeholder in placeholders(path) {
            match path_params.iter().position(|p: &Param| p.name == placeholder) {
                Some(i) => ordered.push(path_params.remove(i)),
                None => ordered.push(Param {
                    name: placeholder.to_string(),
                    rust_name: String::new(),
                    location: ParamLocation::Path,
                    required: true,
                    style: ParamStyle::Simple,
                    explode: false,
                    ty: Ty::String,
                    description: None,
                    deprecated: false,
                    example: None,
                }),
            }
        }

        let mut body = match &op.request_body {
            Some(b) => {
                let ptr = format!("{}/requestBody", self.pointer);
                let home = written_at(&ptr, b);
                let b = resolve(self.file, &ptr, b, &self.components.request_bodies, "requestBodies")?;
                self.request_body(space, b, &home)
            }
            None => None,
        };

        // The operation's own servers, else its path's, else the spec's.
        let server = op.servers.first().or(item.servers.first()).map(server_url).filter(|u| u != self.default_server);
        let on_socket = server.as_deref().is_some_and(|u| u.starts_with("ws://") || u.starts_with("wss://"));
        let upgrade = op.responses.responses.get(&StatusCode::Code(101));
        let websocket = match (upgrade, on_socket) {
            (None, false) => None,
            _ => Some(self.websocket(space, upgrade, body.take())?),
        };

        let (success, responses) = self.responses(space, op)?;
        let event_stream = success != Response::EventStream
            && responses.iter().any(|r| {
                r.status.starts_with('2')
                    && r.media_types.iter().any(|m| m.to_ascii_lowercase().starts_with("text/event-stream"))
            });
        let pagination = if method == "get" { detect_pagination(&query_params, &success, &space.types) } else { None };

        Ok(Operation {
            operation_id: op.operation_id.clone().unwrap_or_default(),
            method: method.to_ascii_uppercase(),
            path: path.to_string(),
            resource: Vec::new(),
            name: String::new(),
            named_by_file: false,
            params_type: String::new(),
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            tags: op.tags.clone(),
            path_params: ordered,
            query_params,
            header_params,
            body,
            success,
            event_stream,
            responses,
            pagination,
            idempotency: None,
            server,
            websocket,
            pointer: self.pointer.to_string(),
            call: Default::default(),
        })
    }

    /// The frames of a WebSocket operation. The client's are its request body; the server's
    /// are the `101` response's schema. A `101` schema that is a `oneOf` of both directions (and
    /// no request body) is split by the names of its members: a component named with the word
    /// `Client` is what the client sends, one with `Server` what the server sends; any other
    /// member is an error, as there is then no telling.
    fn websocket(
        &self,
        space: &mut TypeSpace<'_>,
        upgrade: Option<&ReferenceOr<openapiv3::Response>>,
        body: Option<RequestBody>,
    ) -> Result<WebSocket> {
        let mut send = match body {
            None => None,
            Some(b) => Some(match b.encoding {
                BodyEncoding::Binary => Frame::Binary,
                BodyEncoding::Text => Frame::Text,
                BodyEncoding::Json => Frame::Json { ty: b.ty },
                other => {
                    return Err(Error::new(
                        self.file,
                        format!("{}/requestBody", self.pointer),
                        format!("a WebSocket operation's frames cannot be {} bodies", other.name()),
                    ))
                }
            }),
        };
        let ptr = pointer_join(self.pointer, &["responses", "101"]);
        let schema = match upgrade {
            Some(raw) => {
                let r = resolve(self.file, &ptr, raw, &self.components.responses, "responses")?;
                let home = written_at(&ptr, raw);
                json_media(&r.content)
                    .and_then(|(mt, m)| Some((pointer_join(&home, &["content", mt, "schema"]), m.schema.as_ref()?)))
            }
            None => None,
        };
        let hint = vec!["Frame".to_string()];
        let receive = match schema {
            None => Frame::Text,
            Some((sp, ReferenceOr::Item(s))) if send.is_none() && one_of(s).is_some() => {
                let members = one_of(s).unwrap_or_default();
                let mut server = None;
                for (i, member) in members.iter().enumerate() {
                    let at = format!("{sp}/oneOf/{i}");
                    let words = match member {
                        ReferenceOr::Reference { reference } => {
                            heck::ToSnakeCase::to_snake_case(reference.rsplit('/').next().unwrap_or(""))
                        }
                        ReferenceOr::Item(_) => String::new(),
                    };
                    let words: Vec<&str> = words.split('_').collect();
                    let side = match (words.contains(&"client"), words.contains(&"server")) {
                        (true, false) => &mut send,
                        (false, true) => &mut server,
                        _ => {
                            return Err(Error::new(
                                self.file,
                                at,
                                "cannot tell who sends this WebSocket frame: refer to a schema named with `Client` or `Server`",
                            ))
                        }
                    };
                    if side.is_some() {
                        return Err(Error::new(self.file, at, "a second WebSocket frame schema for the same side"));
                    }
                    *side = Some(Frame::Json { ty: space.ty(member, &self.site(&hint, &at)) });
                }
                server.ok_or_else(|| Error::new(self.file, sp.clone(), "no WebSocket frame the server sends"))?
            }
            Some((sp, s)) => Frame::Json { ty: space.ty(s, &self.site(&hint, &sp)) },
        };
        if let Frame::Json { ty } = &receive {
            base64_fields(space, ty);
        }
        Ok(WebSocket { send: send.unwrap_or(Frame::Text), receive })
    }

    fn request_body(&self, space: &mut TypeSpace<'_>, b: &openapiv3::RequestBody, ptr: &str) -> Option<RequestBody> {
        let mut best: Option<(u8, &String, &MediaType, BodyEncoding)> = None;
        for (mt, media) in &b.content {
            let (rank, encoding) = body_encoding(mt);
            if best.as_ref().is_none_or(|(r, ..)| rank < *r) {
                best = Some((rank, mt, media, encoding));
            }
        }
        let (_, mt, media, encoding) = best?;
        let hint = vec!["Body".to_string()];
        let sp = pointer_join(ptr, &["content", mt, "schema"]);
        let shared = shared_component(ptr, "requestBodies");
        let ty = match (&media.schema, encoding) {
            (_, BodyEncoding::Binary) => Ty::Bytes,
            (Some(s), _) => match &shared {
                Some(component) => space.ty_shared(s, component, &sp),
                None => space.ty(s, &self.site(&hint, &sp)),
            },
            (None, BodyEncoding::Text) => Ty::String,
            (None, _) => Ty::Any,
        };
        // The client does not send the other media types, but their examples are checked too.
        for (other, m) in &b.content {
            let sp = pointer_join(ptr, &["content", other, "schema"]);
            if let Some(s) = m.schema.as_ref().filter(|s| other != mt && (has_example(s) || space.wants_under(&sp))) {
                let hint = vec!["Body".to_string(), body_encoding(other).1.name().to_string()];
                space.ty(s, &self.site(&hint, &sp));
            }
        }
        Some(RequestBody {
            required: b.required,
            media_type: mt.clone(),
            encoding,
            ty,
            alternatives: b.content.keys().filter(|k| *k != mt).cloned().collect(),
            description: b.description.clone(),
            // The media type's example, else the first of its examples, else the body schema's.
            example: media
                .example
                .clone()
                .or_else(|| {
                    media.examples.values().find_map(|e| match e {
                        openapiv3::ReferenceOr::Item(e) => e.value.clone(),
                        openapiv3::ReferenceOr::Reference { .. } => None,
                    })
                })
                .or_else(|| media.schema.as_ref().and_then(|s| space.example(s))),
        })
    }

    fn responses(&self, space: &mut TypeSpace<'_>, op: &openapiv3::Operation) -> Result<(Response, Vec<ResponseInfo>)> {
        let mut infos = Vec::new();
        let mut success: Option<(u16, Response)> = None;
        // Every 2xx JSON body: its status, schema (as JSON, to notice the same schema written
        // twice) and type.
        let mut bodies: Vec<(u16, serde_json::Value, Ty)> = Vec::new();
        // With several 2xx JSON bodies, each is named after its status, and `Response` is left
        // to their union.
        let several = op
            .responses
            .responses
            .iter()
            .filter(|(status, raw)| {
                matches!(status, StatusCode::Code(200..=299) | StatusCode::Range(2))
                    && resolve(self.file, self.pointer, raw, &self.components.responses, "responses")
                        .is_ok_and(|r| json_media(&r.content).is_some())
            })
            .count()
            > 1;
        for (status, raw) in &op.responses.responses {
            let code = status.to_string();
            let ptr = pointer_join(self.pointer, &["responses", &code]);
            let r = resolve(self.file, &ptr, raw, &self.components.responses, "responses")?;
            let home = written_at(&ptr, raw);
            infos.push(ResponseInfo { status: code.clone(), media_types: r.content.keys().cloned().collect() });
            let n = match status {
                StatusCode::Code(n) if (200..300).contains(n) => *n,
                StatusCode::Range(2) => 299,
                _ => {
                    // Error bodies are read by the runtime's `ApiError`; an inline one with
                    // examples still gets a type, so that the examples can be checked.
                    if let (ReferenceOr::Item(_), Some((mt, media))) = (raw, json_media(&r.content)) {
                        let sp = pointer_join(&ptr, &["content", mt, "schema"]);
                        if let Some(schema) = media.schema.as_ref().filter(|s| has_example(s) || space.wants_under(&sp))
                        {
                            space.ty(schema, &self.site(&["Error".to_string()], &sp));
                        }
                    }
                    continue;
                }
            };
            let hint = vec![if several { format!("Response{code}") } else { "Response".to_string() }];
            // Binary and text bodies are not decoded, but a string example on their schema is
            // still a string.
            let json = json_media(&r.content).map(|(mt, _)| mt);
            for (mt, media) in r.content.iter().filter(|(mt, _)| Some(*mt) != json) {
                if let Some(ReferenceOr::Item(s)) = &media.schema {
                    let pointer = pointer_join(&home, &["content", mt, "schema"]);
                    if s.schema_data.example.is_some() || space.is_wanted(&pointer) {
                        space.examples.push(ExampleSite { pointer, ty: Ty::String });
                    }
                }
            }
            let response = if let Some((mt, media)) = json_media(&r.content) {
                // A response is named after its operation even when it is a shared component:
                // Telnyx moves responses in and out of `components/responses` between specs
                // (2025-08-27 to 2026-06-30 inlined hundreds), and the operation's name has
                // never depended on other operations.
                let sp = pointer_join(&ptr, &["content", mt, "schema"]);
                let mut ty = match &media.schema {
                    Some(s) => space.ty(s, &self.site(&hint, &sp)),
                    None => Ty::Any,
                };
                let written = shape_of(serde_json::to_value(&media.schema).unwrap_or_default());
                match bodies.iter().find(|(_, w, _)| *w == written) {
                    // The same schema under another status is the same type.
                    Some((_, _, same)) => ty = same.clone(),
                    None => bodies.push((n, written, ty.clone())),
                }
                let pointer = pointer_join(&home, &["content", mt]);
                if media.example.is_some() || !media.examples.is_empty() || space.is_wanted(&pointer) {
                    space.examples.push(ExampleSite { pointer, ty: ty.clone() });
                }
                Response::Json { ty }
            } else if let Some((mt, _)) = r.content.iter().next() {
                let base = mt.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
                if base == "text/event-stream" {
                    Response::EventStream
                } else if base.starts_with("text/") && base != "text/csv" {
                    Response::Text { media_type: mt.clone() }
                } else {
                    Response::Bytes { media_type: mt.clone() }
                }
            } else {
                Response::Empty
            };
            match &success {
                None => success = Some((n, response)),
                Some((best, _)) => {
                    if n < *best && !matches!(response, Response::Empty) {
                        success = Some((n, response));
                    }
                }
            }
        }
        let mut success = success.map(|(_, r)| r).unwrap_or(Response::Empty);
        // 2xx bodies of different types: an untagged union of them, by status.
        if bodies.len() > 1 && matches!(success, Response::Json { .. }) {
            bodies.sort_by_key(|(n, ..)| *n);
            let variants = bodies
                .into_iter()
                .map(|(n, _, ty)| super::Variant {
                    hint: format!("Status{n}"),
                    rust_name: String::new(),
                    ty,
                    tags: Vec::new(),
                })
                .collect();
            let kind = TypeKind::Union { variants, discriminator: None };
            let ty = space.define(kind, &self.site(&["Response".to_string()], &format!("{}/responses", self.pointer)));
            success = Response::Json { ty };
        }
        Ok((success, infos))
    }
}

/// A server's URL, its variables at their defaults.
fn server_url(server: &openapiv3::Server) -> String {
    let mut url = server.url.clone();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    url
}

/// The members of a `oneOf` schema.
fn one_of(s: &openapiv3::Schema) -> Option<&[ReferenceOr<openapiv3::Schema>]> {
    match &s.schema_kind {
        openapiv3::SchemaKind::OneOf { one_of } => Some(one_of),
        _ => None,
    }
}

/// Server frames carry audio as base64 strings, which the spec marks only in words: a string
/// field of a frame type (or of a variant of it) whose description begins with "Base64-encoded"
/// (or "Base64 encoded") becomes [`Ty::Base64`], decoded to bytes.
fn base64_fields(space: &mut TypeSpace<'_>, ty: &Ty) {
    let mut stack = Vec::new();
    ty.named(&mut |id| stack.push(id));
    let mut seen = BTreeSet::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        match &mut space.types[id].kind {
            TypeKind::Union { variants, .. } => variants.iter().for_each(|v| v.ty.named(&mut |n| stack.push(n))),
            TypeKind::Alias { ty } => ty.named(&mut |n| stack.push(n)),
            TypeKind::Struct { fields, .. } => {
                for f in fields.iter_mut().filter(|f| f.ty == Ty::String) {
                    let d = f.description.as_deref().unwrap_or("").to_ascii_lowercase();
                    if d.starts_with("base64-encoded") || d.starts_with("base64 encoded") {
                        f.ty = Ty::Base64;
                    }
                }
            }
            TypeKind::Enum { .. } | TypeKind::IntEnum { .. } => {}
        }
    }
}

fn pointer_join(base: &str, tokens: &[&str]) -> String {
    format!("{base}{}", pointer(tokens))
}

fn placeholders(path: &str) -> impl Iterator<Item = &str> {
    path.split('{').skip(1).filter_map(|s| s.split_once('}').map(|(name, _)| name))
}

/// Follows a `#/components/<section>/<name>` reference (possibly several) to its item.
/// The values an event payload declares for its `event_type` (under `data`, or at the top).
fn event_types(types: &[TypeDef], payload: &Ty) -> Vec<String> {
    for at in [&["data", "event_type"][..], &["event_type"][..]] {
        let Some(path) = field_path(types, payload, at) else { continue };
        let Some(field) = path.last().and_then(|f| field_at(types, *f)) else { continue };
        if let Ty::Named(id) = resolve_alias(types, &field.ty) {
            if let TypeKind::Enum { values } = &types[*id].kind {
                return values.iter().map(|v| v.value.clone()).collect();
            }
        }
    }
    Vec::new()
}

/// A schema as JSON without the keys that only document it, to compare shapes.
fn shape_of(mut schema: serde_json::Value) -> serde_json::Value {
    // `names` is set for a map of property names, whose keys are data, not keywords.
    fn strip(v: &mut serde_json::Value, names: bool) {
        match v {
            serde_json::Value::Object(m) => {
                if !names {
                    for key in ["example", "examples", "description", "title", crate::normalize::NULL_EXAMPLE] {
                        m.remove(key);
                    }
                }
                for (k, sub) in m.iter_mut() {
                    strip(sub, !names && k == "properties");
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(|x| strip(x, false)),
            _ => {}
        }
    }
    strip(&mut schema, false);
    schema
}

/// Whether a schema holds an `example` anywhere inside it.
fn has_example(schema: &ReferenceOr<openapiv3::Schema>) -> bool {
    serde_json::to_string(schema).is_ok_and(|s| s.contains("\"example\"") || s.contains(crate::normalize::NULL_EXAMPLE))
}

/// Where an item is written: at `ptr`, or where its `$ref` points (the section's `resolve`
/// checks that it exists; `components` entries are not references themselves in Telnyx's spec).
/// The name of the shared component of `section` (`parameters`, `requestBodies`, `responses`)
/// written at `home`, a pointer where a `$ref` led: its types are named after it.
fn shared_component(home: &str, section: &str) -> Option<String> {
    let name = home.strip_prefix("/components/")?.strip_prefix(section)?.strip_prefix('/')?;
    (!name.contains('/')).then(|| name.replace("~1", "/").replace("~0", "~"))
}

fn written_at<T>(ptr: &str, item: &ReferenceOr<T>) -> String {
    match item {
        ReferenceOr::Reference { reference } => reference.trim_start_matches('#').to_string(),
        ReferenceOr::Item(_) => ptr.to_string(),
    }
}

fn resolve<'a, T>(
    file: &Path,
    ptr: &str,
    item: &'a ReferenceOr<T>,
    section: &'a IndexMap<String, ReferenceOr<T>>,
    section_name: &str,
) -> Result<&'a T> {
    let mut current = item;
    for _ in 0..32 {
        match current {
            ReferenceOr::Item(t) => return Ok(t),
            ReferenceOr::Reference { reference } => {
                let prefix = format!("#/components/{section_name}/");
                current = reference.strip_prefix(&prefix).and_then(|name| section.get(name)).ok_or_else(|| {
                    Error::new(
                        file,
                        format!("{ptr}/$ref"),
                        format!("$ref {reference:?} must name one of #/components/{section_name}"),
                    )
                })?;
            }
        }
    }
    Err(Error::new(file, ptr, "$ref chain too long or cyclic"))
}

fn is_json(mt: &str) -> bool {
    let base = mt.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    base == "application/json" || base.ends_with("+json")
}

fn json_media(content: &IndexMap<String, MediaType>) -> Option<(&String, &MediaType)> {
    content.iter().find(|(mt, _)| is_json(mt)).or_else(|| {
        // `*/*` with a schema that is not binary is JSON in practice.
        content.iter().find(|(mt, m)| (*mt == "*/*" || *mt == "*") && m.schema.is_some())
    })
}

/// Preference order of request media types and how each is sent.
fn body_encoding(mt: &str) -> (u8, BodyEncoding) {
    let base = mt.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match base.as_str() {
        _ if is_json(&base) => (0, BodyEncoding::Json),
        "*/*" | "*" => (1, BodyEncoding::Json),
        "application/x-www-form-urlencoded" => (2, BodyEncoding::Form),
        "multipart/form-data" => (3, BodyEncoding::Multipart),
        b if b.starts_with("text/") => (5, BodyEncoding::Text),
        _ => (4, BodyEncoding::Binary),
    }
}

/// Recognises how a list operation pages, from its query parameters and the shape of its
/// response. Returns `None` when either side is missing: paging that cannot be driven (no
/// input) or cannot be read (no item list) is left to the caller.
fn detect_pagination(query: &[Param], success: &Response, types: &[TypeDef]) -> Option<Pagination> {
    let Response::Json { ty } = success else { return None };
    let inputs = page_inputs(query, types);
    let input = |wire: &str| inputs.iter().find(|i| i.wire == wire).cloned();
    let path = |names: &[&str]| field_path(types, ty, names);
    let params: Vec<String> = inputs.iter().map(|i| i.wire.clone()).collect();

    let (items, item_ty) = item_list(types, ty)?;
    let mut p = Pagination {
        style: PaginationStyle::PageNumber,
        params,
        inputs: Vec::new(),
        items,
        item_ty,
        page_number: None,
        total_pages: None,
        total_items: None,
        next_cursor: None,
        has_more: None,
        next_uri: None,
    };
    let cursor = [
        ("page[after]", &["meta", "cursors", "after"][..]),
        ("page_cursor", &["meta", "page_cursor"][..]),
        ("cursor", &["meta", "cursor"][..]),
    ]
    .into_iter()
    .find_map(|(wire, at)| Some((input(wire)?, path(at)?)));
    let next_uri = path(&["next_page_uri"]);
    if let Some((input, at)) = cursor {
        p.style = PaginationStyle::Cursor;
        p.inputs = vec![input];
        p.next_cursor = Some(at);
        p.has_more = path(&["meta", "has_more"]);
    } else if let (Some(at), Some(_)) = (&next_uri, input("Page").or_else(|| input("PageToken"))) {
        p.style = PaginationStyle::NextUri;
        p.inputs = ["Page", "PageToken"].iter().filter_map(|w| input(w)).collect();
        p.next_uri = Some(at.clone());
    } else if let Some(number) = ["page[number]", "page_number", "page"].iter().find_map(|w| input(w)) {
        p.style = PaginationStyle::PageNumber;
        p.inputs = vec![number];
        p.page_number = path(&["meta", "page_number"]).or_else(|| path(&["page"]));
        p.total_pages = path(&["meta", "total_pages"]);
    } else {
        return None;
    }
    p.total_items = ["total_results", "total_items"]
        .iter()
        .find_map(|n| path(&["meta", n]))
        .or_else(|| path(&["totalRecords"]))
        .or_else(|| path(&["total_records"]));
    // Only integer counters and string cursors can be read.
    let leaf_is = |at: &Option<Vec<FieldRef>>, ok: fn(&Ty) -> bool| {
        at.as_ref().is_none_or(|at| at.last().and_then(|f| field_at(types, *f)).is_some_and(|f| ok(&f.ty)))
    };
    let int = |t: &Ty| matches!(t, Ty::Integer | Ty::Int32);
    let string = |t: &Ty| matches!(t, Ty::String);
    for at in [&mut p.page_number, &mut p.total_pages, &mut p.total_items] {
        if !leaf_is(at, int) {
            *at = None;
        }
    }
    if !leaf_is(&p.has_more, |t| matches!(t, Ty::Boolean)) {
        p.has_more = None;
    }
    if !leaf_is(&p.next_cursor, string) || !leaf_is(&p.next_uri, string) {
        return None;
    }
    let number_ok = p.style != PaginationStyle::PageNumber || int(&p.inputs[0].ty);
    let text_ok = p.style != PaginationStyle::Cursor || string(&p.inputs[0].ty);
    (number_ok && text_ok).then_some(p)
}

/// Every query input by wire name: plain parameters, and the properties of object parameters
/// (`page` with `number` gives `page[number]`) when the object can be built from defaults.
fn page_inputs(query: &[Param], types: &[TypeDef]) -> Vec<PageInput> {
    let mut out = Vec::new();
    for (i, p) in query.iter().enumerate() {
        out.push(PageInput { wire: p.name.clone(), param: i, field: None, ty: p.ty.clone() });
        if let Some((owner, fields)) = struct_fields(types, &p.ty) {
            if fields.iter().all(|f| !f.required) {
                for (index, f) in fields.iter().enumerate() {
                    out.push(PageInput {
                        wire: format!("{}[{}]", p.name, f.name),
                        param: i,
                        field: Some(FieldRef { owner, index }),
                        ty: f.ty.clone(),
                    });
                }
            }
        }
    }
    out
}

/// Where the items are: the response itself when it is a list, else its `data` or `records`
/// property, else its only list property.
fn item_list(types: &[TypeDef], ty: &Ty) -> Option<(Vec<FieldRef>, Ty)> {
    if let Ty::List(item) = resolve_alias(types, ty) {
        return Some((Vec::new(), (**item).clone()));
    }
    let (owner, fields) = struct_fields(types, ty)?;
    let lists: Vec<usize> =
        (0..fields.len()).filter(|&i| matches!(resolve_alias(types, &fields[i].ty), Ty::List(_))).collect();
    let pick = ["data", "records"]
        .iter()
        .find_map(|n| lists.iter().copied().find(|&i| fields[i].name == *n))
        .or(if lists.len() == 1 { Some(lists[0]) } else { None })?;
    let Ty::List(item) = resolve_alias(types, &fields[pick].ty) else { return None };
    Some((vec![FieldRef { owner, index: pick }], (**item).clone()))
}

/// Follows `names` through struct properties from `ty`.
fn field_path(types: &[TypeDef], ty: &Ty, names: &[&str]) -> Option<Vec<FieldRef>> {
    let mut at = ty.clone();
    let mut path = Vec::new();
    for name in names {
        let (owner, fields) = struct_fields(types, &at)?;
        let index = fields.iter().position(|f| f.name == *name)?;
        path.push(FieldRef { owner, index });
        at = fields[index].ty.clone();
    }
    Some(path)
}

fn struct_fields<'t>(types: &'t [TypeDef], ty: &'t Ty) -> Option<(TypeId, &'t [Field])> {
    match resolve_alias(types, ty) {
        Ty::Named(id) => match &types[*id].kind {
            TypeKind::Struct { fields, .. } => Some((*id, fields)),
            _ => None,
        },
        _ => None,
    }
}
