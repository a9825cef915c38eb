//! Emits resources: one file per top-level resource, holding its resource structs (one per
//! chain), their methods, the params structs and the operations' own types.

use super::types::rust_type;
use super::{docs, ident, Ctx};
use crate::ir::idempotency::Token;
use crate::ir::{BodyEncoding, Frame, Operation, Param, ParamStyle, Response, Ty, TypeDef, TypeKind};
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

    let args = op.path_params.iter().map(|p| {
        let n = ident(&p.rust_name);
        let t = path_arg_type(&p.ty);
        quote!(#n: #t)
    });
    // Required inputs are the argument (`impl Into<Params>`: the body alone converts); the
    // optional ones are set on the returned call, so a new optional parameter adds a setter
    // and changes no signature.
    let takes = takes_params(op, &ctx.api.types);
    let params_arg = takes.then(|| {
        let t = ident(&op.params_type);
        quote!(params: impl Into<#t>)
    });
    let initial = if takes {
        quote!(params.into())
    } else if op.params_type.is_empty() {
        quote!(())
    } else {
        quote!(Default::default())
    };
    let all_args: Vec<TokenStream> = args.chain(params_arg).collect();

    let path_expr = path_expression(op);
    let method = format_ident!("{}", op.method);
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
    let body = op.body.as_ref().map(|b| match (b.encoding, token) {
        (BodyEncoding::Json, Some(Token::BodyField(member))) => {
            // An absent (optional) body is sent as `{"<member>": token}` (see `ir::idempotency`).
            quote!(req.json_with_token(&params.body, #member);)
        }
        (BodyEncoding::Json | BodyEncoding::Form, _) => {
            let setter = if b.encoding == BodyEncoding::Json { quote!(json) } else { quote!(form) };
            if b.required {
                quote!(req.#setter(&params.body);)
            } else {
                quote!(if let Some(body) = &params.body {
                    req.#setter(body);
                })
            }
        }
        (BodyEncoding::Multipart, _) => multipart(b.required, &b.ty, ctx),
        (BodyEncoding::Binary | BodyEncoding::Text, _) => {
            let ct = &b.media_type;
            if b.required {
                quote!(req.bytes(#ct, params.body);)
            } else {
                quote!(if let Some(body) = params.body { req.bytes(#ct, body); })
            }
        }
    });
    // What the call returns, and how it reads the response: a marker type of the runtime
    // (`AsJson`, the default, left out), so the future that sends and decodes is generic
    // code, compiled only where a call is awaited.
    let (ret, receive) = match (&op.websocket, &op.success) {
        (Some(ws), _) => {
            let frames = |frame: &Frame| match frame {
                Frame::Binary => (quote!(bytes::Bytes), quote!(crate::websocket::BinaryFrames)),
                Frame::Text => (quote!(String), quote!(crate::websocket::TextFrames)),
                Frame::Json { ty } => (rust_type(ty, ctx), quote!(crate::websocket::JsonFrames)),
            };
            let ((send_ty, sent), (event_ty, received)) = (frames(&ws.send), frames(&ws.receive));
            (quote!(crate::Session<#send_ty, #event_ty>), quote!(, crate::websocket::AsSession<#sent, #received>))
        }
        (None, success) => match success {
            Response::Empty => (quote!(()), quote!(, crate::call::AsEmpty)),
            Response::Json { ty } => (rust_type(ty, ctx), quote!()),
            Response::Bytes { .. } => (quote!(crate::Download), quote!(, crate::call::AsDownload)),
            Response::Text { .. } => (quote!(String), quote!(, crate::call::AsText)),
            Response::EventStream => (quote!(crate::EventStream), quote!(, crate::call::AsEvents)),
        },
    };
    let request = match &op.server {
        Some(server) => quote!(self.client.request_on(#server, reqwest::Method::#method, #path_expr)),
        None => quote!(self.client.request(reqwest::Method::#method, #path_expr)),
    };
    let has_inputs = !(op.query_params.is_empty() && op.header_params.is_empty() && op.body.is_none());
    let build = quote! {
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
    // The call: the request, the inputs, and a plain function that puts them on the request.
    let call = |extra: TokenStream| {
        if has_inputs || !extra.is_empty() {
            let bound = if has_inputs { quote!(params) } else { quote!(_) };
            quote!(crate::Call::new(#request, #initial, |req, #bound| { #build #extra }))
        } else if op.params_type.is_empty() {
            quote!(crate::Call::plain(#request))
        } else {
            quote!(crate::Call::new(#request, #initial, |_, _| {}))
        }
    };
    let stream_twin = op.event_stream.then(|| {
        let stream_name = format_ident!("{}_stream", op.name.trim_start_matches("r#"));
        let stream_doc = format!(
            " [`Self::{}`], answered as a stream of server-sent events (`Accept: text/event-stream`); the request must ask for streaming as the API documents.",
            op.name.trim_start_matches("r#")
        );
        let call = call(quote!(req.header("accept", "text/event-stream");));
        quote! {
            #[doc = #stream_doc]
            #deprecated
            #[inline]
            pub fn #stream_name(&self, #(#all_args),*) -> crate::Call<'a, #inputs, crate::EventStream, crate::call::AsEvents> {
                #call
            }
        }
    });
    let call = call(quote!());
    quote! {
        #doc
        #deprecated
        #[inline]
        pub fn #name(&self, #(#all_args),*) -> crate::Call<'a, #inputs, #ret #receive> {
            #call
        }
        #stream_twin
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
        let p = op.path_params.iter().find(|p| p.name == name);
        pieces.push(match p {
            Some(p) => {
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
        " Inputs of [`{method}`] other than path parameters: the optional ones are also set on its [`crate::Call`]."
    );
    let all_optional = !takes_params(op, &ctx.api.types);
    let optional = |required: bool, t: TokenStream| if required { t } else { quote!(Option<#t>) };
    let params = op.query_params.iter().chain(&op.header_params).map(|p| {
        let n = ident(&p.rust_name);
        let t = optional(p.required, rust_type(&p.ty, ctx));
        let d = docs::of(p.description.as_deref());
        quote!( #d pub #n: #t, )
    });
    let body_ty = op.body.as_ref().map(|b| match b.encoding {
        BodyEncoding::Binary | BodyEncoding::Text => quote!(bytes::Bytes),
        _ => rust_type(&b.ty, ctx),
    });
    let body = op.body.as_ref().map(|b| {
        let t = optional(b.required, body_ty.clone().unwrap_or_default());
        let d = docs::of(b.description.as_deref().or(Some("The request body.")));
        quote!( #d pub body: #t, )
    });
    let default = if all_optional { quote!(, Default) } else { quote!() };
    let nones = || {
        op.query_params.iter().chain(&op.header_params).filter(|p| !p.required).map(|p| {
            let n = ident(&p.rust_name);
            quote!(#n: None,)
        })
    };
    // The body is the one required input: the operation takes the body itself.
    let body_value = match op.body.as_ref().is_some_and(|b| b.required) {
        true => quote!(body),
        false => quote!(body: Some(body)),
    };
    let from_body = body_is_the_input(op, &ctx.api.types).then(|| {
        let t = &body_ty;
        let nones = nones();
        let doc = format!(" The body with every optional input `None`: the argument of [`{method}`].");
        quote! {
            impl From<#t> for #name {
                #[doc = #doc]
                fn from(body: #t) -> Self {
                    #name { #(#nones)* #body_value }
                }
            }
        }
    });
    let constructor = (!all_optional).then(|| {
        let mut args = Vec::new();
        let mut values = Vec::new();
        for p in op.query_params.iter().chain(&op.header_params) {
            let n = ident(&p.rust_name);
            if !p.required {
                values.push(quote!(#n: None,));
                continue;
            }
            let (t, v) = match &p.ty {
                Ty::String => (quote!(impl Into<String>), quote!(#n: #n.into(),)),
                other => (rust_type(other, ctx), quote!(#n,)),
            };
            args.push(quote!(#n: #t));
            values.push(v);
        }
        if op.body.is_some() {
            if body_is_argument(op, &ctx.api.types) {
                let t = &body_ty;
                args.push(quote!(body: #t));
                values.push(quote!(#body_value,));
            } else {
                values.push(quote!(body: None,));
            }
        }
        let doc = format!(" A `{}` from its required inputs; the optional ones are `None`.", op.params_type);
        let many = (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        quote! {
            impl #name {
                #[doc = #doc]
                #many
                pub fn new(#(#args),*) -> Self {
                    #name { #(#values)* }
                }
            }
        }
    });
    let setters = setters(op, &name, body_ty.as_ref(), ctx);
    let paginator = super::paging::paginator_method(op, ctx);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq #default)]
        #[non_exhaustive]
        pub struct #name {
            #(#params)*
            #body
        }
        #constructor
        #from_body
        #setters
        #paginator
    }
}

/// The setters of the optional inputs, on every call of the operation (its `_stream` twin's too).
fn setters(op: &Operation, params: &proc_macro2::Ident, body_ty: Option<&TokenStream>, ctx: &Ctx<'_>) -> TokenStream {
    let mut methods = Vec::new();
    for p in op.query_params.iter().chain(&op.header_params).filter(|p| !p.required) {
        let n = ident(&p.rust_name);
        let t = rust_type(&p.ty, ctx);
        let d = docs::of(p.description.as_deref().or(Some(&format!("Sets `{}`.", p.name))));
        let deprecated = if p.deprecated { quote!(#[deprecated]) } else { quote!() };
        methods.push(quote! {
            #d
            #deprecated
            pub fn #n(mut self, value: impl Into<#t>) -> Self {
                self.params_mut().#n = Some(value.into());
                self
            }
        });
    }
    if let (Some(b), Some(t)) = (op.body.as_ref().filter(|b| !b.required), body_ty) {
        // Also when the body is the argument: it may be replaced, as the spec lets it be absent.
        let d = docs::of(b.description.as_deref().or(Some("The request body.")));
        methods.push(quote! {
            #d
            pub fn body(mut self, value: impl Into<#t>) -> Self {
                self.params_mut().body = Some(value.into());
                self
            }
        });
    }
    if methods.is_empty() {
        return quote!();
    }
    quote! {
        impl<T, R> crate::Call<'_, #params, T, R> {
            #(#methods)*
        }
    }
}

/// Whether the operation has a required input besides its path parameters: it then takes them
/// as an argument (`params: impl Into<Params>`); otherwise the call starts from the defaults.
pub fn takes_params(op: &Operation, types: &[TypeDef]) -> bool {
    op.query_params.iter().chain(&op.header_params).any(|p| p.required) || body_is_argument(op, types)
}

/// Whether the body is a required input: the spec requires it, or it has required fields of
/// its own (`POST /messages` may leave the body out, but a message needs its `to`), as the
/// official SDKs read it.
pub fn body_is_argument(op: &Operation, types: &[TypeDef]) -> bool {
    let Some(b) = &op.body else { return false };
    let has_required = |ty: &Ty| match ty {
        Ty::Named(id) => match &types[*id].kind {
            TypeKind::Struct { fields, .. } => fields.iter().any(|f| f.required),
            _ => false,
        },
        _ => false,
    };
    let structured = matches!(b.encoding, BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart);
    b.required || (structured && has_required(&b.ty))
}

/// Whether the body is the only required input: `From<Body>` for the params then.
pub fn body_is_the_input(op: &Operation, types: &[TypeDef]) -> bool {
    body_is_argument(op, types) && op.query_params.iter().chain(&op.header_params).all(|p| !p.required)
}
