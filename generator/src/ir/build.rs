//! Builds the [`Api`] from the parsed spec: operations with their parameters, bodies and
//! responses, the type space, and webhooks. Names are left to [`super::naming`].

use super::schema::{Site, TypeSpace};
use super::{
    Api, BodyEncoding, Operation, Pagination, PaginationStyle, Param, ParamLocation, ParamStyle, RequestBody, Response,
    ResponseInfo, Ty, TypeKind, Webhook,
};
use crate::error::{pointer, Error, Result};
use crate::parse::Spec;
use indexmap::IndexMap;
use openapiv3::{
    Components, MediaType, Parameter, ParameterSchemaOrContent, PathItem, QueryStyle, ReferenceOr, StatusCode,
};
use std::path::Path;

const METHOD_ORDER: [&str; 8] = ["get", "post", "put", "patch", "delete", "head", "options", "trace"];

/// Builds the IR and resolves its names.
pub fn build(file: &Path, spec: &Spec) -> Result<Api> {
    let empty = Components::default();
    let components = spec.openapi.components.as_ref().unwrap_or(&empty);
    let mut space = TypeSpace::new(&components.schemas);
    space.build_components();

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

    let mut operations = Vec::with_capacity(raw_ops.len());
    for (index, (path, method, item, op)) in raw_ops.iter().enumerate() {
        let op_ptr = pointer(["paths", path, method]);
        let ctx = OpContext { file, components, index, pointer: &op_ptr };
        operations.push(ctx.operation(&mut space, path, method, item, op)?);
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
                    json_media(&body.content).and_then(|(_, mt)| mt.schema.as_ref()).map(|schema| {
                        let site = Site { hint: &hint, owner_op: None, pointer: &ptr };
                        space.ty(schema, &site)
                    })
                }
                None => None,
            };
            webhooks.push(Webhook { name: name.clone(), summary: op.summary.clone(), payload });
        }
    }

    let mut api = Api {
        title: spec.openapi.info.title.clone(),
        version: spec.openapi.info.version.clone(),
        base_url: spec.openapi.servers.first().map(|s| s.url.clone()).unwrap_or_default(),
        operations,
        types: space.types,
        webhooks,
        fallbacks: space.fallbacks,
    };
    super::naming::resolve(&mut api);
    Ok(api)
}

struct OpContext<'a> {
    file: &'a Path,
    components: &'a Components,
    index: usize,
    pointer: &'a str,
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
                let p = resolve(self.file, &ptr, p, &self.components.parameters, "parameters")?;
                let data = p.parameter_data_ref();
                params.retain(|(_, q)| {
                    let d = q.parameter_data_ref();
                    !(d.name == data.name && std::mem::discriminant(*q) == std::mem::discriminant(p))
                });
                params.push((ptr, p));
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
            let ty = match schema {
                Some((s, sp)) => space.ty(s, &self.site(&hint, &sp)),
                None => Ty::String,
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
                }),
            }
        }

        let body = match &op.request_body {
            Some(b) => {
                let ptr = format!("{}/requestBody", self.pointer);
                let b = resolve(self.file, &ptr, b, &self.components.request_bodies, "requestBodies")?;
                self.request_body(space, b, &ptr)
            }
            None => None,
        };

        let (success, responses) = self.responses(space, op)?;
        let event_stream = success != Response::EventStream
            && responses.iter().any(|r| {
                r.status.starts_with('2')
                    && r.media_types.iter().any(|m| m.to_ascii_lowercase().starts_with("text/event-stream"))
            });
        let pagination = if method == "get" { detect_pagination(&query_params, space) } else { None };

        Ok(Operation {
            operation_id: op.operation_id.clone().unwrap_or_default(),
            method: method.to_ascii_uppercase(),
            path: path.to_string(),
            resource: Vec::new(),
            name: String::new(),
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
            pointer: self.pointer.to_string(),
        })
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
        let ty = match (&media.schema, encoding) {
            (_, BodyEncoding::Binary) => Ty::Bytes,
            (Some(s), _) => space.ty(s, &self.site(&hint, &sp)),
            (None, BodyEncoding::Text) => Ty::String,
            (None, _) => Ty::Any,
        };
        Some(RequestBody {
            required: b.required,
            media_type: mt.clone(),
            encoding,
            ty,
            alternatives: b.content.keys().filter(|k| *k != mt).cloned().collect(),
            description: b.description.clone(),
        })
    }

    fn responses(&self, space: &mut TypeSpace<'_>, op: &openapiv3::Operation) -> Result<(Response, Vec<ResponseInfo>)> {
        let mut infos = Vec::new();
        let mut success: Option<(u16, Response)> = None;
        let mut other_types = false;
        for (status, r) in &op.responses.responses {
            let code = status.to_string();
            let ptr = pointer_join(self.pointer, &["responses", &code]);
            let r = resolve(self.file, &ptr, r, &self.components.responses, "responses")?;
            infos.push(ResponseInfo { status: code.clone(), media_types: r.content.keys().cloned().collect() });
            let n = match status {
                StatusCode::Code(n) if (200..300).contains(n) => *n,
                StatusCode::Range(2) => 299,
                _ => continue,
            };
            let hint = vec!["Response".to_string()];
            let response = if let Some((mt, media)) = json_media(&r.content) {
                let sp = pointer_join(&ptr, &["content", mt, "schema"]);
                let ty = match &media.schema {
                    Some(s) => space.ty(s, &self.site(&hint, &sp)),
                    None => Ty::Any,
                };
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
                Some((best, current)) => {
                    if *current != response && !matches!(response, Response::Empty) {
                        other_types = true;
                    }
                    if n < *best && !matches!(response, Response::Empty) {
                        success = Some((n, response));
                    }
                }
            }
        }
        let mut success = success.map(|(_, r)| r).unwrap_or(Response::Empty);
        if other_types {
            if let Response::Json { .. } = success {
                space.fallbacks.push(super::Fallback {
                    pointer: format!("{}/responses", self.pointer),
                    reason: "2xx responses of different JSON types are decoded as JSON values".into(),
                });
                success = Response::Json { ty: Ty::Any };
            }
        }
        Ok((success, infos))
    }
}

fn pointer_join(base: &str, tokens: &[&str]) -> String {
    format!("{base}{}", pointer(tokens))
}

fn placeholders(path: &str) -> impl Iterator<Item = &str> {
    path.split('{').skip(1).filter_map(|s| s.split_once('}').map(|(name, _)| name))
}

/// Follows a `#/components/<section>/<name>` reference (possibly several) to its item.
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

/// Recognises the paging scheme of a list operation from its query parameters. DeepObject
/// parameters count with their properties (`page` with `number` is `page[number]`).
fn detect_pagination(query: &[Param], space: &TypeSpace<'_>) -> Option<Pagination> {
    let mut names: Vec<String> = Vec::new();
    for p in query {
        names.push(p.name.clone());
        if let (ParamStyle::DeepObject, Ty::Named(id)) = (p.style, &p.ty) {
            if let TypeKind::Struct { fields, .. } = &space.types[*id].kind {
                names.extend(fields.iter().map(|f| format!("{}[{}]", p.name, f.name)));
            }
        }
    }
    let has = |n: &str| names.iter().any(|x| x == n);
    let pick = |style, list: &[&str]| {
        let params: Vec<String> = list.iter().filter(|n| has(n)).map(|n| n.to_string()).collect();
        Some(Pagination { style, params })
    };
    if has("page[after]") || has("page[before]") {
        pick(PaginationStyle::Cursor, &["page[after]", "page[before]", "page[limit]", "page[size]"])
    } else if has("page_cursor") || has("cursor") || has("page_token") || has("page[cursor]") {
        pick(
            PaginationStyle::Cursor,
            &["page_cursor", "cursor", "page_token", "page[cursor]", "limit", "page_size", "page[size]"],
        )
    } else if has("page[number]") {
        pick(PaginationStyle::PageNumber, &["page[number]", "page[size]"])
    } else if has("Page") && has("PageSize") {
        pick(PaginationStyle::PageNumber, &["Page", "PageSize", "PageToken"])
    } else if has("page") && (has("per_page") || has("recordsPerPage") || has("page_size") || has("size")) {
        pick(PaginationStyle::PageNumber, &["page", "per_page", "recordsPerPage", "page_size", "size"])
    } else if has("offset") && has("limit") || has("page[offset]") {
        pick(PaginationStyle::Offset, &["offset", "limit", "page[offset]", "page[limit]"])
    } else {
        None
    }
}
