//! What the methods that set an input are made of, for the structs users build and for the
//! calls of operations alike: the parameter a method takes for a type, the value it stores, the
//! placeholder a required input holds until it is set, and the typestate of required inputs
//! (see `generated-client/src/inputs.rs`).

use super::types::rust_type;
use super::{docs, ident, Ctx};
use crate::ir::{Field, Ty, TypeKind};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// The parameter type of a method that sets a value of `ty`, and the value it stores, made of
/// `value`: `impl Into<T>`, or for a list any iterable of what converts into its items (so
/// `.to(["+18005550100"])` takes `&str`s).
pub fn param(ty: &Ty, ctx: &Ctx<'_>) -> (TokenStream, TokenStream) {
    // A list under any name (an alias of one too).
    match crate::ir::resolve_alias(&ctx.api.types, ty) {
        Ty::List(item) => {
            let item = rust_type(item, ctx);
            (quote!(impl IntoIterator<Item = impl Into<#item>>), quote!(value.into_iter().map(Into::into).collect()))
        }
        _ => {
            let t = rust_type(ty, ctx);
            (quote!(impl Into<#t>), quote!(value.into()))
        }
    }
}

/// [`param`] for a struct field: the stored value boxed, and wrapped in `Some` where the field
/// is an `Option` (twice for an optional, nullable one).
pub fn field_param(f: &Field, ctx: &Ctx<'_>) -> (TokenStream, TokenStream) {
    let (t, mut value) = param(&f.ty, ctx);
    if f.boxed {
        value = quote!(Box::new(#value));
    }
    if super::types::is_double_option(f) {
        value = quote!(Some(Some(#value)));
    } else if super::types::is_optional(f) {
        value = quote!(Some(#value));
    }
    (t, value)
}

/// A placeholder of `ty`: what a required input holds until its method is called. It is never
/// sent, as the call (or builder) cannot be awaited (or built) before.
pub fn blank(ty: &Ty, ctx: &Ctx<'_>) -> TokenStream {
    match ty {
        Ty::String => quote!(String::new()),
        Ty::Integer | Ty::Int32 => quote!(0),
        Ty::Number => quote!(0.0),
        Ty::Boolean => quote!(false),
        Ty::List(_) => quote!(Vec::new()),
        Ty::Map(_) | Ty::Bytes | Ty::Base64 => quote!(Default::default()),
        Ty::Nullable(_) => quote!(None),
        Ty::Any => quote!(serde_json::Value::Null),
        Ty::Named(id) => {
            let def = &ctx.api.types[*id];
            let path = ctx.type_path(*id);
            match &def.kind {
                TypeKind::Alias { ty } => blank(ty, ctx),
                TypeKind::Struct { .. } if def.blank => quote!(#path::blank()),
                TypeKind::Struct { .. } => quote!(<#path>::default()),
                TypeKind::Enum { values } if values.len() == 1 => {
                    let v = ident(&values[0].rust_name);
                    quote!(#path::#v)
                }
                TypeKind::Enum { .. } => quote!(#path::Unknown(String::new())),
                TypeKind::IntEnum { .. } => quote!(#path::Unknown(0)),
                TypeKind::Union { discriminator: Some(_), .. } => quote!(#path::Unknown(serde_json::Value::Null)),
                TypeKind::Union { variants, discriminator: None } => {
                    let catch_all = super::types::catch_all_name(variants);
                    quote!(#path::#catch_all(serde_json::Value::Null))
                }
            }
        }
    }
}

/// The value a field starts with in a placeholder of its struct: `None` when it is an
/// `Option`, else a placeholder of its type.
pub fn field_blank(f: &Field, ctx: &Ctx<'_>) -> TokenStream {
    if super::types::is_optional(f) {
        return quote!(None);
    }
    let value = blank(&f.ty, ctx);
    if f.boxed {
        quote!(Box::new(#value))
    } else {
        value
    }
}

/// The doc line of a method that sets an input: the first line of its description, else the
/// name it has on the wire.
pub fn doc(description: Option<&str>, wire: &str) -> TokenStream {
    let line = description.and_then(|d| docs::clean(d).into_iter().find(|l| !l.is_empty()));
    docs::of(Some(line.as_deref().unwrap_or(&format!("Sets `{wire}`."))))
}

/// Typestate of `count` required inputs: the generic slot names `S0, S1, ...`.
pub fn slots(count: usize) -> Vec<Ident> {
    (0..count).map(|i| format_ident!("S{}", i)).collect()
}

/// The state tuple with slot `set` (if any) replaced by `crate::Set`.
pub fn state_with(slots: &[Ident], set: &[usize]) -> TokenStream {
    let items = slots.iter().enumerate().map(|(i, s)| if set.contains(&i) { quote!(crate::Set) } else { quote!(#s) });
    quote!((#(#items,)*))
}

/// The state of nothing set yet: `(crate::Missing<crate::required::a>, ...)`.
pub fn missing(names: &[&str]) -> TokenStream {
    let items = names.iter().map(|n| {
        let n = ident(n);
        quote!(crate::Missing<crate::required::#n>)
    });
    quote!((#(#items,)*))
}
