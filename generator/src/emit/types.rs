//! Emits type definitions: structs, open string enums, untagged unions and aliases.

use super::{docs, ident, Ctx};
use crate::ir::{Field, Ty, TypeDef, TypeKind};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// The Rust type of a [`Ty`] as seen from the module of `ctx`.
pub fn rust_type(ty: &Ty, ctx: &Ctx<'_>) -> TokenStream {
    match ty {
        Ty::Named(id) => ctx.type_path(*id),
        Ty::String => quote!(String),
        Ty::Integer => quote!(i64),
        Ty::Int32 => quote!(i32),
        Ty::Number => quote!(f64),
        Ty::Boolean => quote!(bool),
        Ty::List(t) => {
            let t = rust_type(t, ctx);
            quote!(Vec<#t>)
        }
        Ty::Map(t) if **t == Ty::Any => quote!(serde_json::Map<String, serde_json::Value>),
        Ty::Map(t) => {
            let t = rust_type(t, ctx);
            quote!(std::collections::BTreeMap<String, #t>)
        }
        Ty::Nullable(t) => {
            let t = rust_type(t, ctx);
            quote!(Option<#t>)
        }
        Ty::Any => quote!(serde_json::Value),
        Ty::Bytes => quote!(crate::FilePart),
    }
}

/// Whether a value of this type can be built with `Default` (used to derive `Default`).
fn has_default(ty: &Ty, ctx: &Ctx<'_>) -> bool {
    match ty {
        Ty::List(_)
        | Ty::Map(_)
        | Ty::Nullable(_)
        | Ty::Any
        | Ty::String
        | Ty::Integer
        | Ty::Int32
        | Ty::Number
        | Ty::Boolean => true,
        Ty::Named(id) => match &ctx.api.types[*id].kind {
            TypeKind::Alias { ty } => !matches!(ty, Ty::Named(_)) && has_default(ty, ctx),
            _ => false,
        },
        Ty::Bytes => false,
    }
}

pub fn type_def(def: &TypeDef, ctx: &Ctx<'_>) -> TokenStream {
    let name = ident(&def.name);
    let mut doc_lines = def.description.as_deref().map(docs::clean).unwrap_or_default();
    if def.deprecated {
        if !doc_lines.is_empty() {
            doc_lines.push(String::new());
        }
        doc_lines.push("**Deprecated.**".into());
    }
    let doc = docs::attrs(&doc_lines);
    match &def.kind {
        TypeKind::Struct { fields, additional } => {
            let all_optional = fields.iter().all(|f| is_optional(f) || has_default(&f.ty, ctx) && !f.required);
            let default = if all_optional { quote!(, Default) } else { quote!() };
            let fields = fields.iter().map(|f| field(f, ctx));
            let extra = additional.as_ref().map(|ty| {
                let map = match ty {
                    Ty::Any => quote!(serde_json::Map<String, serde_json::Value>),
                    other => {
                        let t = rust_type(other, ctx);
                        quote!(std::collections::BTreeMap<String, #t>)
                    }
                };
                quote! {
                    /// Properties not declared in the spec.
                    #[serde(flatten)]
                    pub extra: #map,
                }
            });
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize #default)]
                pub struct #name {
                    #(#fields)*
                    #extra
                }
            }
        }
        TypeKind::Enum { values } => {
            let variants: Vec<Ident> = values.iter().map(|v| ident(&v.rust_name)).collect();
            let wire: Vec<&str> = values.iter().map(|v| v.value.as_str()).collect();
            let docs = wire.iter().map(|w| format!(" `{}`", w.replace('`', "'")));
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
                #[non_exhaustive]
                pub enum #name {
                    #( #[doc = #docs] #variants, )*
                    /// A value this version of the crate does not know, kept as sent.
                    Unknown(String),
                }

                impl #name {
                    /// The value as sent on the wire.
                    pub fn as_str(&self) -> &str {
                        match self {
                            #( Self::#variants => #wire, )*
                            Self::Unknown(other) => other,
                        }
                    }
                }

                impl From<&str> for #name {
                    fn from(value: &str) -> Self {
                        match value {
                            #( #wire => Self::#variants, )*
                            other => Self::Unknown(other.to_string()),
                        }
                    }
                }

                crate::string_enum!(#name);
            }
        }
        TypeKind::Union { variants, .. } => {
            // Untagged: serde tries variants in order, so named types (objects) come before
            // primitives, and `Any` last, so a looser variant never shadows a stricter one.
            let mut ordered: Vec<_> = variants.iter().collect();
            ordered.sort_by_key(|v| match v.ty {
                Ty::Named(_) => 0,
                Ty::List(_) | Ty::Map(_) => 1,
                Ty::Any => 3,
                _ => 2,
            });
            let variants = ordered.iter().map(|v| {
                let variant = ident(&v.rust_name);
                let t = rust_type(&v.ty, ctx);
                quote!( #variant(#t), )
            });
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                #[serde(untagged)]
                #[allow(clippy::large_enum_variant)]
                pub enum #name {
                    #(#variants)*
                }
            }
        }
        TypeKind::Alias { ty } => {
            let t = rust_type(ty, ctx);
            quote! {
                #doc
                pub type #name = #t;
            }
        }
    }
}

/// Whether a field is an `Option` in Rust.
pub fn is_optional(f: &Field) -> bool {
    !f.required || f.nullable
}

fn field(f: &Field, ctx: &Ctx<'_>) -> TokenStream {
    let name = ident(&f.rust_name);
    let mut t = rust_type(&f.ty, ctx);
    if f.boxed {
        t = quote!(Box<#t>);
    }
    let mut attrs = Vec::new();
    if f.rust_name.trim_start_matches("r#") != f.name {
        let wire = &f.name;
        attrs.push(quote!(rename = #wire));
    }
    let ty = if is_optional(f) {
        if !f.required {
            attrs.push(quote!(default, skip_serializing_if = "Option::is_none"));
        }
        quote!(Option<#t>)
    } else {
        t
    };
    let serde = if attrs.is_empty() { quote!() } else { quote!(#[serde(#(#attrs),*)]) };
    let mut lines = f.description.as_deref().map(docs::clean).unwrap_or_default();
    if f.deprecated {
        lines.push("**Deprecated.**".into());
    }
    let doc = docs::attrs(&lines);
    quote! {
        #doc
        #serde
        pub #name: #ty,
    }
}
