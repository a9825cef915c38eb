//! Emits `.paginator()` on the calls of a paged operation: the plain functions of a
//! `telnyx::PageSpec` that read a page and move the params to the next one.

use super::types::{is_double_option, is_optional, rust_type};
use super::{ident, Ctx};
use crate::ir::{Field, FieldRef, Operation, PageInput, Pagination, PaginationStyle, Response, Ty, TypeKind};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `.paginator()` on the calls of a paged operation, or nothing when it does not page.
pub fn paginator_method(op: &Operation, ctx: &Ctx<'_>) -> TokenStream {
    paginator(op, ctx).unwrap_or_default()
}

/// Whether [`paginator_method`] gives the operation's calls a `.paginator()`.
pub fn has_paginator(op: &Operation, ctx: &Ctx<'_>) -> bool {
    paginator(op, ctx).is_some()
}

fn paginator(op: &Operation, ctx: &Ctx<'_>) -> Option<TokenStream> {
    let p = op.pagination.as_ref()?;
    let first = p.inputs.first().filter(|_| !op.params_type.is_empty())?;
    let Response::Json { ty } = &op.success else { return None };
    let bare = op.name.trim_start_matches("r#");
    let params = ident(&op.params_type);
    // A call that returns the `data` of its response pages through that `data`: the paths into
    // the page lose their first step.
    let (page, receive, stripped);
    let p = if op.call.returns_data {
        let Ty::Named(id) = ty else { return None };
        let TypeKind::Struct { fields, .. } = &ctx.api.types[*id].kind else { return None };
        page = rust_type(&fields[0].ty, ctx);
        receive = quote!(crate::call::AsData);
        stripped = without_data(p, *id)?;
        &stripped
    } else {
        page = rust_type(ty, ctx);
        receive = quote!(crate::call::AsJson);
        p
    };
    let item = rust_type(&p.item_ty, ctx);
    let doc = format!(
        " Every page of [`{}::{bare}`]: a [`crate::Paginator`] over pages or items that stops by itself (paged by {}).",
        ctx.resource_struct(&op.resource),
        p.params
            .iter()
            .filter(|w| p.inputs.iter().any(|i| &i.wire == *w))
            .map(|w| format!("`{w}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let style = match p.style {
        PaginationStyle::PageNumber => quote!(Number),
        PaginationStyle::Cursor => quote!(Cursor),
        PaginationStyle::NextUri => quote!(NextUri),
    };
    let number = match p.style {
        PaginationStyle::PageNumber => read_input(first, op, ctx)?,
        _ => quote!(|_| None),
    };
    let meta = meta_fn(p, ctx)?;
    let items = items_fn(p, ctx)?;
    let apply = apply_fn(p, op, ctx)?;
    Some(quote! {
        impl<'a, S: crate::Ready> crate::Call<'a, #params, #page, #receive, S> {
            #[doc = #doc]
            #[inline]
            pub fn paginator(self) -> crate::Paginator<'a, #params, #page, #item> {
                self.pages_by(crate::PageSpec {
                    style: crate::PageStyle::#style,
                    number: #number,
                    meta: #meta,
                    items: #items,
                    apply: #apply,
                })
            }
        }
    })
}

/// `p` with the first step (the `data` field of `page`) taken off every path into the page.
fn without_data(p: &Pagination, page: crate::ir::TypeId) -> Option<Pagination> {
    let strip = |path: &Vec<FieldRef>| -> Option<Vec<FieldRef>> {
        match path.split_first() {
            Some((first, rest)) if first.owner == page => Some(rest.to_vec()),
            _ => None,
        }
    };
    let opt = |path: &Option<Vec<FieldRef>>| -> Option<Option<Vec<FieldRef>>> {
        match path {
            Some(path) => strip(path).map(Some),
            None => Some(None),
        }
    };
    Some(Pagination {
        items: strip(&p.items)?,
        page_number: opt(&p.page_number)?,
        total_pages: opt(&p.total_pages)?,
        total_items: opt(&p.total_items)?,
        next_cursor: opt(&p.next_cursor)?,
        has_more: opt(&p.has_more)?,
        next_uri: opt(&p.next_uri)?,
        ..p.clone()
    })
}

fn field<'c>(ctx: &'c Ctx<'_>, f: FieldRef) -> Option<&'c Field> {
    crate::ir::field_at(&ctx.api.types, f)
}

/// `Option<&Leaf>` for a path from `root`: a plain place expression while the fields are
/// required, `Option` combinators from the first optional one.
fn read_path(root: TokenStream, path: &[FieldRef], ctx: &Ctx<'_>) -> Option<TokenStream> {
    let mut expr = root;
    let mut wrapped = false;
    for f in path {
        let f = field(ctx, *f)?;
        let n = ident(&f.rust_name);
        let on = if wrapped { quote!(v) } else { expr.clone() };
        let step = match (is_optional(f), f.boxed) {
            (true, _) if is_double_option(f) && f.boxed => quote!(#on.#n.as_ref().and_then(Option::as_deref)),
            (true, _) if is_double_option(f) => quote!(#on.#n.as_ref().and_then(Option::as_ref)),
            (true, false) => quote!(#on.#n.as_ref()),
            (true, true) => quote!(#on.#n.as_deref()),
            (false, false) => quote!(#on.#n),
            (false, true) => quote!((*#on.#n)),
        };
        expr = match (wrapped, is_optional(f)) {
            (false, _) => step,
            (true, true) => quote!(#expr.and_then(|v| #step)),
            (true, false) => quote!(#expr.map(|v| &#step)),
        };
        wrapped |= is_optional(f);
    }
    Some(if wrapped { expr } else { quote!(Some(&#expr)) })
}

fn int_of(path: &[FieldRef], ctx: &Ctx<'_>) -> Option<TokenStream> {
    let read = read_path(quote!(page), path, ctx)?;
    Some(match &field(ctx, *path.last()?)?.ty {
        Ty::Int32 => quote!(#read.map(|n| i64::from(*n))),
        _ => quote!(#read.copied()),
    })
}

fn meta_fn(p: &Pagination, ctx: &Ctx<'_>) -> Option<TokenStream> {
    let required_items = match p.items.as_slice() {
        [f] => field(ctx, *f).filter(|f| !is_optional(f)),
        _ => None,
    };
    let count = if p.items.is_empty() {
        quote!(page.len())
    } else if let Some(f) = required_items {
        let n = ident(&f.rust_name);
        quote!(page.#n.len())
    } else {
        let read = read_path(quote!(page), &p.items, ctx)?;
        quote!(#read.map_or(0, |items| items.len()))
    };
    let mut sets = Vec::new();
    for (name, path) in
        [("page_number", &p.page_number), ("total_pages", &p.total_pages), ("total_items", &p.total_items)]
    {
        if let Some(path) = path {
            let n = format_ident!("{}", name);
            let v = int_of(path, ctx)?;
            sets.push(quote!(meta.#n = #v;));
        }
    }
    for (name, path) in [("next_cursor", &p.next_cursor), ("next_uri", &p.next_uri)] {
        if let Some(path) = path {
            let n = format_ident!("{}", name);
            let v = read_path(quote!(page), path, ctx)?;
            sets.push(quote!(meta.#n = #v.cloned();));
        }
    }
    if let Some(path) = &p.has_more {
        let v = read_path(quote!(page), path, ctx)?;
        sets.push(quote!(meta.has_more = #v.copied();));
    }
    if sets.is_empty() {
        return Some(quote!(|page| crate::PageMeta::new(#count)));
    }
    Some(quote! {
        |page| {
            let mut meta = crate::PageMeta::new(#count);
            #(#sets)*
            meta
        }
    })
}

fn items_fn(p: &Pagination, ctx: &Ctx<'_>) -> Option<TokenStream> {
    let Some(f) = p.items.first() else { return Some(quote!(|page| page)) };
    let f = field(ctx, *f)?;
    let n = ident(&f.rust_name);
    if is_double_option(f) {
        return Some(if f.boxed {
            quote!(|page| page.#n.flatten().map(|b| *b).unwrap_or_default())
        } else {
            quote!(|page| page.#n.flatten().unwrap_or_default())
        });
    }
    Some(match (is_optional(f), f.boxed) {
        (false, false) => quote!(|page| page.#n),
        (false, true) => quote!(|page| *page.#n),
        (true, false) => quote!(|page| page.#n.unwrap_or_default()),
        (true, true) => quote!(|page| page.#n.map(|b| *b).unwrap_or_default()),
    })
}

/// Reads the page number an input asks for, as `Option<i64>`.
fn read_input(input: &PageInput, op: &Operation, ctx: &Ctx<'_>) -> Option<TokenStream> {
    let param = &op.query_params[input.param];
    let n = ident(&param.rust_name);
    let widen = |t: &Ty| match t {
        Ty::Int32 => quote!(.map(i64::from)),
        _ => quote!(),
    };
    Some(match input.field {
        None => {
            let w = widen(&param.ty);
            if param.required {
                quote!(|params| Some(params.#n)#w)
            } else {
                quote!(|params| params.#n #w)
            }
        }
        Some(fr) => {
            let f = field(ctx, fr)?;
            let inner = ident(&f.rust_name);
            let w = widen(&f.ty);
            let get = if is_double_option(f) {
                quote!(x.#inner.flatten())
            } else if is_optional(f) {
                quote!(x.#inner)
            } else {
                quote!(Some(x.#inner))
            };
            if param.required {
                quote!(|params| { let x = &params.#n; #get #w })
            } else {
                quote!(|params| params.#n.as_ref().and_then(|x| #get)#w)
            }
        }
    })
}

/// Assigns `value` (an `Option` of the input's type) to an input.
fn write_input(input: &PageInput, op: &Operation, ctx: &Ctx<'_>, value: TokenStream) -> Option<TokenStream> {
    let param = &op.query_params[input.param];
    let n = ident(&param.rust_name);
    Some(match input.field {
        None if param.required => quote!(if let Some(v) = #value { params.#n = v; }),
        None => quote!(params.#n = #value;),
        Some(fr) => {
            let f = field(ctx, fr)?;
            let inner = ident(&f.rust_name);
            let target =
                if param.required { quote!(params.#n) } else { quote!(params.#n.get_or_insert_with(Default::default)) };
            if is_double_option(f) {
                quote!(#target.#inner = Some(#value);)
            } else if is_optional(f) {
                quote!(#target.#inner = #value;)
            } else {
                quote!(if let Some(v) = #value { #target.#inner = v; })
            }
        }
    })
}

fn apply_fn(p: &Pagination, op: &Operation, ctx: &Ctx<'_>) -> Option<TokenStream> {
    let mut sets = Vec::new();
    for input in &p.inputs {
        let value = match (p.style, &input.ty) {
            (PaginationStyle::PageNumber, Ty::Int32) => quote!(next.number().and_then(|n| i32::try_from(n).ok())),
            (PaginationStyle::PageNumber, _) => quote!(next.number()),
            (PaginationStyle::Cursor, _) => quote!(next.cursor().map(str::to_owned)),
            (PaginationStyle::NextUri, Ty::String) => {
                let wire = &input.wire;
                quote!(next.query_value(#wire).map(str::to_owned))
            }
            (PaginationStyle::NextUri, _) => {
                let wire = &input.wire;
                quote!(next.query_value(#wire).and_then(|v| v.parse().ok()))
            }
        };
        sets.push(write_input(input, op, ctx, value)?);
    }
    Some(quote!(|params, next| { #(#sets)* }))
}
