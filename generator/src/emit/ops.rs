//! Emits resources: one file per top-level resource, holding its resource structs (one per
//! chain), their methods, the params structs and the operations' own types.

use super::types::rust_type;
use super::{docs, ident, Ctx};
use crate::ir::calls::{BodyShape, InputSource};
use crate::ir::idempotency::Token;
use crate::ir::{BodyEncoding, Frame, Operation, Param, ParamStyle, Response, Ty, TypeKind};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeSet;

/// One resource chain and what hangs off it.
#[derive(Default)]
pub struct ResourceNode<'a> {
    pub children: BTreeSet<String>,
    pub operations: Vec<&'a Operation>,
}

pub fn resource_struct(
    chain: &[String],
    node: &ResourceNode<'_>,
    ctx: &Ctx<'_>,
    examples: &super::snippets::Examples<'_>,
) -> TokenStream {
    let structs = ctx.structs;
    let name = ident(&structs[chain]);
    let doc = format!(" Operations under `{}`.", chain.join("."));
    let accessors = node.children.iter().map(|child| {
        let mut sub = chain.to_vec();
        sub.push(child.clone());
        let sub_name = ident(&structs[&sub]);
        let method = ident(child);
        quote! {
            pub fn #method(&self) -> #sub_name<'a> {
                #sub_name { client: self.client }
            }
        }
    });
    let methods = node.operations.iter().map(|op| operation_method(op, ctx, examples.get(op.pointer.as_str())));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #name<'a> {
            pub(crate) client: &'a crate::Client,
        }

        impl<'a> #name<'a> {
            #(#accessors)*
            #(#methods)*
        }
    }
}

fn operation_method(op: &Operation, ctx: &Ctx<'_>, example: Option<&&super::snippets::Snippet>) -> TokenStream {
    let name = ident(&op.name);
    let mut lines: Vec<String> = Vec::new();
    if let Some(s) = &op.summary {
        lines.extend(docs::clean(s));
    }
    if let Some(d) = &op.description {
        let d = docs::clean(d);
        if !d.is_empty() && d.first() != lines.first() {
            lines.push(String::new());
            lines.extend(d);
        }
    }
    if !lines.is_empty() {
        lines.push(String::new());
    }
    match &op.websocket {
        None => lines.push(format!("`{} {}`", op.method, op.path)),
        Some(ws) => {
            lines.push(format!(
                "`{} {}`, a WebSocket session: send {}, read {}.",
                op.method,
                op.path,
                frame_doc(&ws.send, ctx),
                frame_doc(&ws.receive, ctx)
            ));
        }
    }
    let documented: Vec<&Param> = op.path_params.iter().filter(|p| p.description.is_some()).collect();
    if !documented.is_empty() {
        lines.push(String::new());
        lines.push("Parameters:".into());
        for p in documented {
            let d = docs::clean(p.description.as_deref().unwrap_or("")).into_iter().next().unwrap_or_default();
            lines.push(format!("- `{}`: {}", p.rust_name.trim_start_matches("r#"), d));
        }
    }
    let doc = docs::attrs(&lines);
    // Compiled by a test of its own, not as a doctest (1156 doctests would cost CI minutes):
    // left out while rustdoc collects doctests, shown in the docs.
    let example = example.map(|e| {
        let text = format!(" # Example\n\n{}", e.doc());
        quote!(#[doc = ""] #[cfg_attr(not(doctest), doc = #text)])
    });
    let doc = quote!(#doc #example);
    let deprecated = if op.deprecated { quote!(#[deprecated]) } else { quote!() };

    // The one input passed by position (the last path parameter); every other is a method of
    // the call (see `ir::calls`).
    let args: Vec<TokenStream> = op
        .call
        .argument
        .map(|i| {
            let p = &op.path_params[i];
            let n = ident(&p.rust_name);
            let t = path_arg_type(&p.ty);
            quote!(#n: #t)
        })
        .into_iter()
        .collect();
    let initial = initial_params(op, ctx);

    let path_expr = path_expression(op);
    let method = format_ident!("{}", op.method);
    let named_paths = op.path_params.iter().enumerate().filter(|(i, _)| Some(*i) != op.call.argument).map(|(_, p)| {
        let placeholder = format!("{{{}}}", p.name);
        let field = ident(&p.rust_name);
        match p.ty {
            Ty::Integer | Ty::Int32 | Ty::Number | Ty::Boolean => {
                quote!(req.path_param(#placeholder, &params.#field.to_string());)
            }
            _ => quote!(req.path_param(#placeholder, &params.#field);),
        }
    });
    let query = op.query_params.iter().map(|p| {
        let wire = &p.name;
        let field = ident(&p.rust_name);
        let style = match p.style {
            ParamStyle::DeepObject => quote!(DeepObject),
            ParamStyle::SpaceDelimited => quote!(SpaceDelimited),
            ParamStyle::PipeDelimited => quote!(PipeDelimited),
            ParamStyle::Form | ParamStyle::Simple => quote!(Form),
        };
        let explode = p.explode;
        quote!(req.query(#wire, crate::QueryStyle::#style, #explode, &params.#field);)
    });
    let token = op.idempotency.as_ref();
    let headers = op.header_params.iter().map(|p| {
        let wire = &p.name;
        let field = ident(&p.rust_name);
        if token == Some(&Token::Header(p.name.clone())) {
            // Filled with a fresh UUID when empty, the same on every attempt.
            quote!(req.idempotency_header(#wire, &params.#field);)
        } else {
            quote!(req.header(#wire, &params.#field);)
        }
    });
    let body_present = body_stored(op).map(|(_, optional)| !optional).unwrap_or(false);
    let body = op.body.as_ref().map(|b| match (b.encoding, token) {
        (BodyEncoding::Json, Some(Token::BodyField(member))) => {
            // An absent (optional) body is sent as `{"<member>": token}` (see `ir::idempotency`).
            quote!(req.json_with_token(&params.body, #member);)
        }
        (BodyEncoding::Json | BodyEncoding::Form, _) => {
            let setter = if b.encoding == BodyEncoding::Json { quote!(json) } else { quote!(form) };
            if body_present {
                quote!(req.#setter(&params.body);)
            } else {
                quote!(if let Some(body) = &params.body {
                    req.#setter(body);
                })
            }
        }
        (BodyEncoding::Multipart, _) => multipart(body_present, &b.ty, ctx),
        (BodyEncoding::Binary | BodyEncoding::Text, _) => {
            let ct = &b.media_type;
            if body_present {
                quote!(req.bytes(#ct, params.body);)
            } else {
                quote!(if let Some(body) = params.body { req.bytes(#ct, body); })
            }
        }
    });
    // What the call returns, and how it reads the response: a marker type of the runtime
    // (`AsJson`, the default), so the future that sends and decodes is generic code, compiled
    // only where a call is awaited.
    let (ret, receive) = returns(op, ctx);
    let request = match &op.server {
        Some(server) => quote!(self.client.request_on(#server, reqwest::Method::#method, #path_expr)),
        None => quote!(self.client.request(reqwest::Method::#method, #path_expr)),
    };
    let build = quote! {
        #(#named_paths)*
        #(#query)*
        #(#headers)*
        #body
    };
    let inputs = if op.params_type.is_empty() {
        quote!(())
    } else {
        let t = ident(&op.params_type);
        quote!(#t)
    };
    let required: Vec<&str> = op.call.inputs.iter().filter(|i| i.required).map(|i| i.setter.as_str()).collect();
    let state = if required.is_empty() { quote!() } else { super::setters::missing(&required) };
    // The call: the request, the inputs, and a plain function that puts them on the request.
    let call = |extra: TokenStream| {
        if op.params_type.is_empty() && extra.is_empty() {
            quote!(crate::Call::plain(#request))
        } else {
            let bound = if op.params_type.is_empty() { quote!(_) } else { quote!(params) };
            quote!(crate::Call::new(#request, #initial, |req, #bound| { #build #extra }))
        }
    };
    let call_type = |ret: &TokenStream, receive: &TokenStream| match (required.is_empty(), receive.is_empty()) {
        (true, true) => quote!(crate::Call<'a, #inputs, #ret>),
        (true, false) => quote!(crate::Call<'a, #inputs, #ret, #receive>),
        (false, true) => quote!(crate::Call<'a, #inputs, #ret, crate::call::AsJson, #state>),
        (false, false) => quote!(crate::Call<'a, #inputs, #ret, #receive, #state>),
    };
    let stream_twin = op.event_stream.then(|| {
        let stream_name = format_ident!("{}_stream", op.name.trim_start_matches("r#"));
        let stream_doc = format!(
            " [`Self::{}`], answered as a stream of server-sent events (`Accept: text/event-stream`); the request must ask for streaming as the API documents.",
            op.name.trim_start_matches("r#")
        );
        let call = call(quote!(req.header("accept", "text/event-stream");));
        let ty = call_type(&quote!(crate::EventStream), &quote!(crate::call::AsEvents));
        quote! {
            #[doc = #stream_doc]
            #deprecated
            #[inline]
            pub fn #stream_name(&self, #(#args),*) -> #ty {
                #call
            }
        }
    });
    let call = call(quote!());
    let ty = call_type(&ret, &receive);
    quote! {
        #doc
        #deprecated
        #[inline]
        pub fn #name(&self, #(#args),*) -> #ty {
            #call
        }
        #stream_twin
    }
}

/// What a call returns, and the runtime's marker of how it reads the response (empty for the
/// default, JSON).
fn returns(op: &Operation, ctx: &Ctx<'_>) -> (TokenStream, TokenStream) {
    match (&op.websocket, &op.success) {
        (Some(ws), _) => {
            let frames = |frame: &Frame| match frame {
                Frame::Binary => (quote!(bytes::Bytes), quote!(crate::websocket::BinaryFrames)),
                Frame::Text => (quote!(String), quote!(crate::websocket::TextFrames)),
                Frame::Json { ty } => (rust_type(ty, ctx), quote!(crate::websocket::JsonFrames)),
            };
            let ((send_ty, sent), (event_ty, received)) = (frames(&ws.send), frames(&ws.receive));
            (quote!(crate::Session<#send_ty, #event_ty>), quote!(crate::websocket::AsSession<#sent, #received>))
        }
        (None, success) => match success {
            Response::Empty => (quote!(()), quote!(crate::call::AsEmpty)),
            Response::Json { ty: Ty::Named(id) } if op.call.returns_data => {
                let TypeKind::Struct { fields, .. } = &ctx.api.types[*id].kind else { unreachable!("`data` wrapper") };
                (rust_type(&fields[0].ty, ctx), quote!(crate::call::AsData))
            }
            Response::Json { ty } => (rust_type(ty, ctx), quote!()),
            Response::Bytes { .. } => (quote!(crate::Download), quote!(crate::call::AsDownload)),
            Response::Text { .. } => (quote!(String), quote!(crate::call::AsText)),
            Response::EventStream => (quote!(crate::EventStream), quote!(crate::call::AsEvents)),
        },
    }
}

/// The body's type in the params struct, and whether it is an `Option` there.
fn body_stored(op: &Operation) -> Option<(&crate::ir::RequestBody, bool)> {
    let b = op.body.as_ref()?;
    let optional = match op.call.body {
        BodyShape::Fields { optional, .. } => optional,
        _ => !b.required,
    };
    Some((b, optional))
}

/// The params struct a call starts from: every required input a placeholder, every optional
/// one `None`.
fn initial_params(op: &Operation, ctx: &Ctx<'_>) -> TokenStream {
    if op.params_type.is_empty() {
        return quote!(());
    }
    let name = ident(&op.params_type);
    let mut values = Vec::new();
    for (i, p) in op.path_params.iter().enumerate() {
        if Some(i) == op.call.argument {
            continue;
        }
        let n = ident(&p.rust_name);
        let v = super::setters::blank(&path_field_type(&p.ty), ctx);
        values.push(quote!(#n: #v,));
    }
    for p in op.query_params.iter().chain(&op.header_params) {
        let n = ident(&p.rust_name);
        let v = if p.required { super::setters::blank(&p.ty, ctx) } else { quote!(None) };
        values.push(quote!(#n: #v,));
    }
    if let Some((b, optional)) = body_stored(op) {
        let v = match (optional, b.encoding) {
            (true, _) => quote!(None),
            (false, BodyEncoding::Binary | BodyEncoding::Text) => quote!(bytes::Bytes::new()),
            (false, _) => super::setters::blank(&b.ty, ctx),
        };
        values.push(quote!(body: #v,));
    }
    quote!(#name { #(#values)* })
}

/// The type a path parameter that is a method of the call is kept as.
fn path_field_type(ty: &Ty) -> Ty {
    match ty {
        Ty::Integer | Ty::Int32 | Ty::Number | Ty::Boolean => ty.clone(),
        _ => Ty::String,
    }
}

/// What a WebSocket frame is, in the operation's docs.
fn frame_doc(frame: &Frame, ctx: &Ctx<'_>) -> String {
    match frame {
        Frame::Binary => "binary frames (bytes)".into(),
        Frame::Text => "text frames".into(),
        Frame::Json { ty: Ty::Named(id) } => {
            let path = ctx.type_path(*id).to_string().replace(' ', "");
            format!("[`{}`]({path}) frames", ctx.api.types[*id].name)
        }
        Frame::Json { .. } => "JSON frames".into(),
    }
}

fn multipart(required: bool, ty: &Ty, ctx: &Ctx<'_>) -> TokenStream {
    let fields = match ty {
        Ty::Named(id) => match &ctx.api.types[*id].kind {
            TypeKind::Struct { fields, additional: None } => Some(fields),
            _ => None,
        },
        _ => None,
    };
    let Some(fields) = fields else {
        // No declared parts: send the value's top-level members as parts.
        return if required {
            quote!(req.multipart_value(&params.body);)
        } else {
            quote!(if let Some(body) = &params.body {
                req.multipart_value(body);
            })
        };
    };
    let parts = fields.iter().map(|f| {
        let wire = &f.name;
        let name = ident(&f.rust_name);
        let optional = !f.required || f.nullable;
        match (&f.ty, optional) {
            (Ty::Bytes, true) if super::types::is_double_option(f) => {
                quote!(if let Some(Some(file)) = &body.#name { form.file(#wire, file); })
            }
            (Ty::Bytes, false) => quote!(form.file(#wire, &body.#name);),
            (Ty::Bytes, true) => quote!(if let Some(file) = &body.#name { form.file(#wire, file); }),
            (_, _) => quote!(form.field(#wire, &body.#name);),
        }
    });
    let build = quote! {
        let mut form = crate::MultipartForm::default();
        #(#parts)*
        req.multipart(form);
    };
    if required {
        quote!({ let body = &params.body; #build })
    } else {
        quote!(if let Some(body) = &params.body { #build })
    }
}

pub fn path_arg_type(ty: &Ty) -> TokenStream {
    match ty {
        Ty::Integer => quote!(i64),
        Ty::Int32 => quote!(i32),
        Ty::Number => quote!(f64),
        Ty::Boolean => quote!(bool),
        _ => quote!(&str),
    }
}

/// `["/a/", &crate::encode_path(x), "/b"].concat()`, or a plain string without parameters.
fn path_expression(op: &Operation) -> TokenStream {
    if op.path_params.is_empty() {
        let p = &op.path;
        return quote!(#p);
    }
    let mut pieces = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else { break };
        if start > 0 {
            let literal = &rest[..start];
            pieces.push(quote!(#literal));
        }
        let name = &rest[start + 1..start + end];
        let p = op.path_params.iter().position(|p| p.name == name);
        pieces.push(match p {
            // A path parameter that is a method of the call is put in place when it is sent.
            Some(i) if Some(i) != op.call.argument => {
                let placeholder = format!("{{{name}}}");
                quote!(#placeholder)
            }
            Some(i) => {
                let p = &op.path_params[i];
                let a = ident(&p.rust_name);
                match p.ty {
                    Ty::Integer | Ty::Int32 | Ty::Number | Ty::Boolean => quote!(&crate::encode_path(&#a.to_string())),
                    _ => quote!(&crate::encode_path(#a)),
                }
            }
            None => quote!(""),
        });
        rest = &rest[start + end + 1..];
    }
    if !rest.is_empty() {
        pieces.push(quote!(#rest));
    }
    quote!([#(#pieces),*].concat())
}

pub fn params_struct(op: &Operation, ctx: &Ctx<'_>) -> TokenStream {
    if op.params_type.is_empty() {
        return quote!();
    }
    let name = ident(&op.params_type);
    let method = format!("{}::{}", ctx.resource_struct(&op.resource), op.name.trim_start_matches("r#"));
    let doc = format!(
        " Inputs of [`{method}`] but the one passed by position: each is set by a method of its [`crate::Call`]."
    );
    let optional = |required: bool, t: TokenStream| if required { t } else { quote!(Option<#t>) };
    let paths = op.path_params.iter().enumerate().filter(|(i, _)| Some(*i) != op.call.argument).map(|(_, p)| {
        let n = ident(&p.rust_name);
        let t = rust_type(&path_field_type(&p.ty), ctx);
        let d = docs::of(p.description.as_deref());
        quote!( #d pub #n: #t, )
    });
    let params = op.query_params.iter().chain(&op.header_params).map(|p| {
        let n = ident(&p.rust_name);
        let t = optional(p.required, rust_type(&p.ty, ctx));
        let d = docs::of(p.description.as_deref());
        quote!( #d pub #n: #t, )
    });
    let body = body_stored(op).map(|(b, is_optional)| {
        let t = match b.encoding {
            BodyEncoding::Binary | BodyEncoding::Text => quote!(bytes::Bytes),
            _ => rust_type(&b.ty, ctx),
        };
        let t = optional(!is_optional, t);
        let d = docs::of(b.description.as_deref().or(Some("The request body.")));
        quote!( #d pub body: #t, )
    });
    let setters = setters(op, &name, ctx);
    let paginator = super::paging::paginator_method(op, ctx);
    // A paginator asks for each page with a copy of the params.
    let clone = (!paginator.is_empty()).then(|| quote!(, Clone));
    quote! {
        #[doc = #doc]
        #[derive(Debug #clone)]
        #[non_exhaustive]
        pub struct #name {
            #(#paths)*
            #(#params)*
            #body
        }
        #setters
        #paginator
    }
}

/// The methods of the call that set its inputs, on every call of the operation (its `_stream`
/// twin's too): a required one moves its slot of the call's state to `Set`.
fn setters(op: &Operation, params: &proc_macro2::Ident, ctx: &Ctx<'_>) -> TokenStream {
    use super::setters::{field_param, param, state_with, Method};
    let types = &ctx.api.types;
    let required: Vec<usize> = op.call.inputs.iter().enumerate().filter(|(_, i)| i.required).map(|(k, _)| k).collect();
    let slots = super::setters::slots(required.len());
    let call = |state: &str| format!("crate::Call<'a, {params}, T, R, {state}>");
    let body_fields = match op.call.body {
        BodyShape::Fields { ty, optional } => match &types[ty].kind {
            TypeKind::Struct { fields, .. } => Some((fields, optional, ty)),
            _ => None,
        },
        _ => None,
    };
    // Where a property of the body is, in the params: `self.params.body.x`.
    let field_place = |on: &str, field: &str, optional: bool| match optional {
        true => format!("{on}.params.body.get_or_insert_with(Default::default).{field}"),
        false => format!("{on}.params.body.{field}"),
    };
    let mut methods = Vec::new();
    for (k, input) in op.call.inputs.iter().enumerate() {
        let (t, value, place, description, wire, deprecated) = match input.source {
            InputSource::Path(i) => {
                let p = &op.path_params[i];
                let (t, v) = param(&path_field_type(&p.ty), ctx);
                (t, v, format!("params.{}", p.rust_name), p.description.as_deref(), p.name.as_str(), p.deprecated)
            }
            InputSource::Query(i) | InputSource::Header(i) => {
                let p = if matches!(input.source, InputSource::Query(_)) {
                    &op.query_params[i]
                } else {
                    &op.header_params[i]
                };
                let (t, v) = param(&p.ty, ctx);
                let v = if p.required { v } else { format!("Some({v})") };
                (t, v, format!("params.{}", p.rust_name), p.description.as_deref(), p.name.as_str(), p.deprecated)
            }
            InputSource::Field(i) => {
                let Some((fields, optional, _)) = body_fields else { continue };
                let f = &fields[i];
                let (t, v) = field_param(f, ctx);
                let place = field_place("", &f.rust_name, optional).trim_start_matches('.').to_string();
                (t, v, place, f.description.as_deref(), f.name.as_str(), f.deprecated)
            }
            InputSource::Body => {
                let Some((b, is_optional)) = body_stored(op) else { continue };
                let (t, v) = match b.encoding {
                    BodyEncoding::Binary | BodyEncoding::Text => {
                        ("impl Into<bytes::Bytes>".into(), "value.into()".into())
                    }
                    _ => param(&b.ty, ctx),
                };
                let v = if is_optional { format!("Some({v})") } else { v };
                (t, v, "params.body".into(), b.description.as_deref().or(Some("The request body.")), "body", false)
            }
        };
        let doc = super::setters::doc(description, wire);
        let name = &input.setter;
        match required.iter().position(|r| *r == k) {
            Some(slot) => methods.push(Method {
                doc,
                deprecated,
                name: name.clone(),
                params: vec!["self".into(), format!("value: {t}")],
                ret: call(&state_with(&slots, &[slot])),
                body: vec![
                    "let mut call = self;".into(),
                    format!("call.{place} = {value};"),
                    "crate::call::into_state(call)".into(),
                ],
            }),
            None => methods.push(Method::optional(doc, deprecated, name, &t, &format!("self.{place}"), &value)),
        }
        if let (Some(null), InputSource::Field(i), Some((fields, optional, _))) =
            (&input.null_setter, input.source, body_fields)
        {
            let place = field_place("self", &fields[i].rust_name, optional);
            methods.push(Method::null(&fields[i].name, deprecated, null, &place));
        }
    }
    // The whole body at once (one read from JSON, say), in place of the methods of its fields.
    if let Some((_, optional, ty)) = body_fields {
        let body_slots: Vec<usize> = required
            .iter()
            .enumerate()
            .filter(|(_, k)| matches!(op.call.inputs[**k].source, InputSource::Field(_)))
            .map(|(slot, _)| slot)
            .collect();
        let value = if optional { "Some(value.into())" } else { "value.into()" };
        methods.push(Method {
            doc: "The whole body at once (one read from JSON, say), in place of the methods of its properties.".into(),
            deprecated: false,
            name: "with_body".into(),
            params: vec!["self".into(), format!("value: impl Into<{}>", ctx.type_path_text(ty))],
            ret: call(&state_with(&slots, &body_slots)),
            body: vec![
                "let mut call = self;".into(),
                format!("call.params.body = {value};"),
                "crate::call::into_state(call)".into(),
            ],
        });
    }
    if methods.is_empty() {
        return quote!();
    }
    let allow: &[&str] =
        if op.call.inputs.iter().any(|i| input_deprecated(op, i, ctx)) { &["#[allow(deprecated)]"] } else { &[] };
    let generics: Vec<String> =
        ["'a".to_string(), "T".into(), "R".into()].into_iter().chain(slots.iter().cloned()).collect();
    let state = if slots.is_empty() { "()".to_string() } else { super::setters::tuple(&slots) };
    let header = format!("impl<{}> {}", generics.join(", "), call(&state));
    super::setters::impl_block(allow, &header, &methods)
}

/// Whether the spec deprecates an input.
fn input_deprecated(op: &Operation, input: &crate::ir::calls::Input, ctx: &Ctx<'_>) -> bool {
    match input.source {
        InputSource::Path(i) => op.path_params[i].deprecated,
        InputSource::Query(i) => op.query_params[i].deprecated,
        InputSource::Header(i) => op.header_params[i].deprecated,
        InputSource::Field(i) => match op.call.body {
            BodyShape::Fields { ty, .. } => match &ctx.api.types[ty].kind {
                TypeKind::Struct { fields, .. } => fields[i].deprecated,
                _ => false,
            },
            _ => false,
        },
        InputSource::Body => false,
    }
}
