//! Emits the conformance table: for every operation, a function that decodes JSON arguments
//! (keyed by the spec's parameter names, plus `body`) into the operation's real call through the
//! generated client; for paged operations a second one that walks every page, and for an
//! operation that can answer with server-sent events one that reads its event stream. Not a
//! module of the crate: `generated-client/tests/conformance.rs` includes it and supplies the
//! helpers named `super::...`.

use super::types::rust_type;
use super::{ident, Ctx};
use crate::ir::calls::{BodyShape, InputSource};
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
        //! Types are named `crate::types::...`: the test that includes it makes those resolve.
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

/// Statements that decode the arguments into the call, and the call expression: the operation's
/// method or one of its twins. Each input goes through its method of the call; a body whose
/// properties are methods goes through `with_body`, whole.
fn invocation(op: &Operation, twin: Twin, ctx: &Ctx<'_>) -> (TokenStream, TokenStream) {
    let mut prelude = Vec::new();
    let mut call_args = Vec::new();
    if let Some(i) = op.call.argument {
        let p = &op.path_params[i];
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
    let chain = op.resource.iter().map(|r| {
        let r = ident(r);
        quote!(.#r())
    });
    let (method, then) = match twin {
        Twin::None => (ident(&op.name), quote!()),
        Twin::Paginator => (ident(&op.name), quote!(.paginator())),
        Twin::Stream => (format_ident!("{}_stream", op.name.trim_start_matches("r#")), quote!()),
    };
    prelude.push(quote!(let call = client #(#chain)* .#method(#(#call_args),*);));
    // Required inputs first: each moves the call to another state (type).
    let mut optional = Vec::new();
    let fields_body = matches!(op.call.body, BodyShape::Fields { .. });
    for input in &op.call.inputs {
        let setter = ident(&input.setter);
        let (wire, ty): (&str, Ty) = match input.source {
            InputSource::Path(i) => {
                let p = &op.path_params[i];
                let ty = match p.ty {
                    Ty::Integer | Ty::Int32 | Ty::Number | Ty::Boolean => p.ty.clone(),
                    _ => Ty::String,
                };
                (&p.name, ty)
            }
            InputSource::Query(i) => (&op.query_params[i].name, op.query_params[i].ty.clone()),
            InputSource::Header(i) => (&op.header_params[i].name, op.header_params[i].ty.clone()),
            // Set whole, below.
            InputSource::Field(_) => continue,
            InputSource::Body => {
                let binary =
                    op.body.as_ref().is_some_and(|b| matches!(b.encoding, BodyEncoding::Binary | BodyEncoding::Text));
                let read = match (binary, input.required) {
                    (true, true) => quote!(super::bytes(args)?),
                    (true, false) => quote!(super::optional_bytes(args)?),
                    (false, true) => {
                        let t = rust_type(&op.body.as_ref().map(|b| b.ty.clone()).unwrap_or(Ty::Any), ctx);
                        quote!(super::arg::<#t>(args, "body")?)
                    }
                    (false, false) => {
                        let t = rust_type(&op.body.as_ref().map(|b| b.ty.clone()).unwrap_or(Ty::Any), ctx);
                        quote!(super::arg::<Option<#t>>(args, "body")?)
                    }
                };
                if input.required {
                    prelude.push(quote!(let call = call.#setter(#read);));
                } else {
                    optional.push(quote!(if let Some(v) = #read { call = call.#setter(v); }));
                }
                continue;
            }
        };
        let t = rust_type(&ty, ctx);
        if input.required {
            prelude.push(quote!(let call = call.#setter(super::arg::<#t>(args, #wire)?);));
        } else {
            optional.push(quote!(if let Some(v) = super::arg::<Option<#t>>(args, #wire)? { call = call.#setter(v); }));
        }
    }
    if let (true, Some(b), BodyShape::Fields { optional: absent, .. }) = (fields_body, &op.body, op.call.body) {
        let t = rust_type(&b.ty, ctx);
        if absent {
            optional
                .push(quote!(if let Some(v) = super::arg::<Option<#t>>(args, "body")? { call = call.with_body(v); }));
        } else {
            prelude.push(quote!(let call = call.with_body(super::arg::<#t>(args, "body")?);));
        }
    }
    if !optional.is_empty() {
        prelude.push(quote!(let mut call = call; #(#optional)*));
    }
    (quote!(#(#prelude)*), quote!(call #then))
}
