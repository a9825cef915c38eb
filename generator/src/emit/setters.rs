//! What the methods that set an input are made of, for the structs users build and for the
//! calls of operations alike: the parameter a method takes for a type, the value it stores, the
//! placeholder a required input holds until it is set, and the typestate of required inputs
//! (see `generated-client/src/inputs.rs`).
//!
//! The thousands of methods are written as text, already laid out, and spliced into the
//! formatted files (see `super::raw_text`), as the structs' serde impls are: parsed and printed
//! with syn and prettyplease, they took most of the generation time.

use super::types::rust_type_text;
use super::{docs, ident, Ctx};
use crate::ir::{Field, Ty, TypeKind};
use proc_macro2::TokenStream;
use quote::quote;

/// The parameter type of a method that sets a value of `ty`, and the value it stores, made of
/// `value`: `impl Into<T>`, or for a list any iterable of what converts into its items (so
/// `.to(["+18005550100"])` takes `&str`s).
pub fn param(ty: &Ty, ctx: &Ctx<'_>) -> (String, String) {
    // A list under any name (an alias of one too).
    match crate::ir::resolve_alias(&ctx.api.types, ty) {
        Ty::List(item) => {
            let item = rust_type_text(item, ctx);
            (
                format!("impl IntoIterator<Item = impl Into<{item}>>"),
                "value.into_iter().map(Into::into).collect()".into(),
            )
        }
        _ => (format!("impl Into<{}>", rust_type_text(ty, ctx)), "value.into()".into()),
    }
}

/// [`param`] for a struct field: the stored value boxed, and wrapped in `Some` where the field
/// is an `Option` (twice for an optional, nullable one).
pub fn field_param(f: &Field, ctx: &Ctx<'_>) -> (String, String) {
    let (t, mut value) = param(&f.ty, ctx);
    if f.boxed {
        value = format!("Box::new({value})");
    }
    if super::types::is_double_option(f) {
        value = format!("Some(Some({value}))");
    } else if super::types::is_optional(f) {
        value = format!("Some({value})");
    }
    (t, value)
}

/// A placeholder of `ty`: what a required input holds until its method is called. It is never
/// sent, as the call (or builder) cannot be awaited (or built) before.
pub fn blank(ty: &Ty, ctx: &Ctx<'_>) -> TokenStream {
    blank_text(ty, ctx).parse().expect("a placeholder is an expression")
}

/// [`blank`] as text.
pub fn blank_text(ty: &Ty, ctx: &Ctx<'_>) -> String {
    match ty {
        Ty::String => "String::new()".into(),
        Ty::Integer | Ty::Int32 => "0".into(),
        Ty::Number => "0.0".into(),
        Ty::Boolean => "false".into(),
        Ty::List(_) => "Vec::new()".into(),
        Ty::Map(_) | Ty::Bytes | Ty::Base64 => "Default::default()".into(),
        Ty::Nullable(_) => "None".into(),
        Ty::Any => "serde_json::Value::Null".into(),
        Ty::Named(id) => {
            let def = &ctx.api.types[*id];
            let path = ctx.type_path_text(*id);
            match &def.kind {
                TypeKind::Alias { ty } => blank_text(ty, ctx),
                // `crate::Data<T>`: `Default` only when `T` has it.
                TypeKind::Struct { fields, .. } if crate::ir::calls::wraps_data(def) => {
                    format!("crate::Data {{ data: {} }}", blank_text(&fields[0].ty, ctx))
                }
                TypeKind::Struct { .. } if def.blank => format!("{path}::blank()"),
                TypeKind::Struct { .. } => format!("<{path}>::default()"),
                TypeKind::Enum { values } if values.len() == 1 => format!("{path}::{}", values[0].rust_name),
                TypeKind::Enum { .. } => format!("{path}::Unknown(String::new())"),
                TypeKind::IntEnum { .. } => format!("{path}::Unknown(0)"),
                TypeKind::Union { discriminator: Some(_), .. } => format!("{path}::Unknown(serde_json::Value::Null)"),
                TypeKind::Union { variants, discriminator: None } => {
                    format!("{path}::{}(serde_json::Value::Null)", super::types::catch_all_name(variants))
                }
            }
        }
    }
}

/// The value a field starts with in a placeholder of its struct: `None` when it is an
/// `Option`, else a placeholder of its type.
pub fn field_blank_text(f: &Field, ctx: &Ctx<'_>) -> String {
    if super::types::is_optional(f) {
        return "None".into();
    }
    let value = blank_text(&f.ty, ctx);
    if f.boxed {
        format!("Box::new({value})")
    } else {
        value
    }
}

/// The doc line of a method that sets an input: the first line of its description, else the
/// name it has on the wire.
pub fn doc(description: Option<&str>, wire: &str) -> String {
    let line = description.and_then(|d| docs::clean(d).into_iter().find(|l| !l.is_empty()));
    line.unwrap_or_else(|| format!("Sets `{wire}`."))
}

/// Typestate of `count` required inputs: the generic slot names `S0, S1, ...`.
pub fn slots(count: usize) -> Vec<String> {
    (0..count).map(|i| format!("S{i}")).collect()
}

/// A tuple type as prettyplease prints one: `(A,)`, `(A, B)`.
pub fn tuple(items: &[String]) -> String {
    match items {
        [one] => format!("({one},)"),
        many => format!("({})", many.join(", ")),
    }
}

/// The state tuple with the slots `set` replaced by `crate::Set`.
pub fn state_with(slots: &[String], set: &[usize]) -> String {
    let items: Vec<String> =
        slots.iter().enumerate().map(|(i, s)| if set.contains(&i) { "crate::Set".into() } else { s.clone() }).collect();
    tuple(&items)
}

/// The state of nothing set yet: `(crate::Missing<crate::required::a>, ...)`.
pub fn missing(names: &[&str]) -> TokenStream {
    let items = names.iter().map(|n| {
        let n = ident(n);
        quote!(crate::Missing<crate::required::#n>)
    });
    quote!((#(#items,)*))
}

/// One method that sets an input, as text.
pub struct Method {
    pub doc: String,
    pub deprecated: bool,
    pub name: String,
    /// `mut self`, `value: impl Into<String>`.
    pub params: Vec<String>,
    pub ret: String,
    pub body: Vec<String>,
}

impl Method {
    /// A method that sets an optional input: `place` (`self.params.x`) to `value`.
    pub fn optional(doc: String, deprecated: bool, name: &str, param: &str, place: &str, value: &str) -> Method {
        Method {
            doc,
            deprecated,
            name: name.into(),
            params: vec!["mut self".into(), format!("value: {param}")],
            ret: "Self".into(),
            body: vec![format!("{place} = {value};"), "self".into()],
        }
    }

    /// A method that sends `null` for an optional, nullable input.
    pub fn null(wire: &str, deprecated: bool, name: &str, place: &str) -> Method {
        Method {
            doc: format!("Sends `{wire}` as `null` (which clears it where the API allows)."),
            deprecated,
            name: name.into(),
            params: vec!["mut self".into()],
            ret: "Self".into(),
            body: vec![format!("{place} = Some(None);"), "self".into()],
        }
    }
}

/// The width prettyplease wraps at.
const MAX_WIDTH: usize = 100;

/// An impl block of methods, laid out as prettyplease lays out code, as a marker item whose
/// text is spliced in after formatting.
pub fn impl_block(attrs: &[&str], header: &str, methods: &[Method]) -> TokenStream {
    if methods.is_empty() {
        return TokenStream::new();
    }
    let mut t = String::new();
    for a in attrs {
        t.push_str(a);
        t.push('\n');
    }
    t.push_str(header);
    t.push_str(" {\n");
    for m in methods {
        t.push_str(&format!("    /// {}\n", m.doc));
        if m.deprecated {
            t.push_str("    #[deprecated]\n");
        }
        t.push_str("    #[inline]\n");
        // As prettyplease does: the parameters on lines of their own when the line is long.
        let line = format!("    pub fn {}({}) -> {} {{\n", m.name, m.params.join(", "), m.ret);
        if line.len() <= MAX_WIDTH {
            t.push_str(&line);
        } else {
            t.push_str(&format!("    pub fn {}(\n", m.name));
            for p in &m.params {
                t.push_str(&format!("        {p},\n"));
            }
            t.push_str(&format!("    ) -> {} {{\n", m.ret));
        }
        for line in &m.body {
            t.push_str(&format!("        {line}\n"));
        }
        t.push_str("    }\n");
    }
    t.push_str("}\n");
    super::raw_text(t)
}
