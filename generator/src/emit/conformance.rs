//! Emits the conformance table: for every operation, a function that decodes JSON arguments
//! (keyed by the spec's parameter names, plus `body`) into the operation's real call through the
//! generated client; for paged operations a second one that walks every page, and for an
//! operation that can answer with server-sent events one that reads its event stream. Not a
//! module of the crate: `generated-client/tests/conformance.rs` includes it and supplies the
//! helpers named `super::...`.

use super::{ident, Ctx};
use crate::ir::{BodyEncoding, Operation, Response, Ty};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

pub fn table(ctx: &Ctx<'_>) -> TokenStream {
    let mut functions = Vec::new();
    let mut rows = Vec::new();
    let mut taken = std::collections::HashSet::new();
    for op in &ctx.api.operations {
        // Named after the operation, not its position, so that a new operation changes only
        // its own lines of the table.
        let stem = stem(op, &mut taken);
        let call = format_ident!("call_{stem}");
        functions.push(function(&call, op, Twin::None, ctx, |call| match &op.success {
            Response::Bytes { .. } => quote!(super::download(#call.await).await),
            Response::EventStream => quote!(super::events(#call.await).await),
            Response::Empty | Response::Json { .. } | Response::Text { .. } => quote!(super::done(#call.await)),
        }));
        let walk = (op.pagination.is_some() && super::paging::has_paginator(op, ctx)).then(|| {
            let walk = format_ident!("walk_{stem}");
            functions.push(function(
                &walk,
                op,
                Twin::Paginator,
                ctx,
                |paginator| quote!(super::walk(#paginator).await),
            ));
            walk
        });
        let stream = op.event_stream.then(|| {
            let stream = format_ident!("stream_{stem}");
            functions.push(function(&stream, op, Twin::Stream, ctx, |call| quote!(super::events(#call.await).await)));
            stream
        });
        let walk = option(walk.map(|w| quote!(#w)));
        let stream = option(stream.map(|s| quote!(#s)));
        let media_type = option(op.body.as_ref().map(|b| {
            let m = &b.media_type;
            quote!(#m)
        }));
        let (operation_id, pointer, method, path) = (&op.operation_id, &op.pointer, &op.method, &op.path);
        let websocket = op.websocket.is_some();
        let server = option(op.server.as_ref().map(|s| quote!(#s)));
        rows.push(quote! {
            super::Case {
                operation_id: #operation_id,
                pointer: #pointer,
                method: #method,
                path: #path,
                server: #server,
                websocket: #websocket,
                body_media_type: #media_type,
                call: #call,
                walk: #walk,
                stream: #stream,
            },
        });
    }
    quote! {
        //! Every operation as a call through the generated client, its arguments decoded from
        //! JSON: path, query and header parameters by their names in the spec, the body as `body`.
        // Operations without arguments ignore `args`.
        #![allow(deprecated, unused_variables)]

        pub const OPERATIONS: &[super::Case] = &[ #(#rows)* ];

        #(#functions)*
    }
}

/// One table function: decode the arguments, then `finish` the call expression.
fn function(
    name: &Ident,
    op: &Operation,
    twin: Twin,
    ctx: &Ctx<'_>,
    finish: impl FnOnce(TokenStream) -> TokenStream,
) -> TokenStream {
    let (prelude, call) = invocation(op, twin, ctx);
    let body = finish(call);
    quote! {
        fn #name<'a>(client: &'a telnyx::Client, args: &'a super::Args) -> super::Call<'a> {
            Box::pin(async move {
                #prelude
                #body
            })
        }
    }
}

/// `Some(x)` or `None` as tokens.
fn option(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

/// A unique snake-case name for the operation: its resource chain and method name.
fn stem(op: &Operation, taken: &mut std::collections::HashSet<String>) -> String {
    let parts: Vec<&str> =
        op.resource.iter().chain(std::iter::once(&op.name)).map(|p| p.trim_start_matches("r#")).collect();
    let base = heck::ToSnakeCase::to_snake_case(parts.join("_").as_str());
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}_{n}");
        n += 1;
    }
    name
}

/// Which method of an operation a call goes to.
enum Twin {
    None,
    Paginator,
    Stream,
}

/// Statements that decode the arguments, and the call expression: the operation's method or one
/// of its twins.
fn invocation(op: &Operation, twin: Twin, ctx: &Ctx<'_>) -> (TokenStream, TokenStream) {
    let mut prelude = Vec::new();
    let mut call_args = Vec::new();
    for p in &op.path_params {
        let name = ident(&p.rust_name);
        let wire = &p.name;
        let (ty, pass) = match p.ty {
            Ty::Integer => (quote!(i64), quote!(#name)),
            Ty::Int32 => (quote!(i32), quote!(#name)),
            Ty::Number => (quote!(f64), quote!(#name)),
            Ty::Boolean => (quote!(bool), quote!(#name)),
            _ => (quote!(String), quote!(&#name)),
        };
        prelude.push(quote!(let #name: #ty = super::arg(args, #wire)?;));
        call_args.push(pass);
    }
    let mut with_params = quote!();
    if !op.params_type.is_empty() {
        let top = ident(op.resource.first().map(String::as_str).unwrap_or("root"));
        let params = ident(&op.params_type);
        // The params structs are `#[non_exhaustive]`: built by `new` (or `default`), then
        // the optional inputs set as fields.
        let value = |wire: &str, ty: &Ty| match ty {
            Ty::String => quote!(super::arg::<String>(args, #wire)?),
            _ => quote!(super::arg(args, #wire)?),
        };
        let mut required = Vec::new();
        let mut optional = Vec::new();
        for p in op.query_params.iter().chain(&op.header_params) {
            let field = ident(&p.rust_name);
            let wire = &p.name;
            if p.required {
                required.push(value(wire, &p.ty));
            } else {
                optional.push(quote!(params.#field = super::arg(args, #wire)?;));
            }
        }
        if let Some(b) = &op.body {
            let read = match (b.encoding, b.required) {
                (BodyEncoding::Binary | BodyEncoding::Text, true) => quote!(super::bytes(args)?),
                (BodyEncoding::Binary | BodyEncoding::Text, false) => quote!(super::optional_bytes(args)?),
                _ => quote!(super::arg(args, "body")?),
            };
            match (super::ops::body_is_argument(op, &ctx.api.types), b.required) {
                (true, true) => required.push(read),
                // Required by its fields, absent by the spec: the case's body is given.
                (true, false) => required.push(quote!(super::arg(args, "body")?)),
                (false, _) => optional.push(quote!(params.body = #read;)),
            }
        }
        let takes = super::ops::takes_params(op, &ctx.api.types);
        let start = if takes {
            quote!(telnyx::resources::#top::#params::new(#(#required),*))
        } else {
            quote!(<telnyx::resources::#top::#params>::default())
        };
        let mutable = if optional.is_empty() { quote!() } else { quote!(mut) };
        prelude.push(quote! {
            let #mutable params = #start;
            #(#optional)*
        });
        if takes {
            call_args.push(quote!(params));
        } else {
            with_params = quote!(.with_params(params));
        }
    }
    let chain = op.resource.iter().map(|r| {
        let r = ident(r);
        quote!(.#r())
    });
    let (method, then) = match twin {
        Twin::None => (ident(&op.name), quote!()),
        Twin::Paginator => (ident(&op.name), quote!(.paginator())),
        Twin::Stream => (format_ident!("{}_stream", op.name.trim_start_matches("r#")), quote!()),
    };
    (quote!(#(#prelude)*), quote!(client #(#chain)* .#method(#(#call_args),*) #with_params #then))
}
