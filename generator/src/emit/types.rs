//! Emits type definitions: structs, open string enums, untagged unions and aliases.

use super::setters::Method;
use super::{docs, ident, Ctx};
use crate::ir::calls::Construct;
use crate::ir::directions::ROUND_TRIP;
use crate::ir::{Field, Ty, TypeDef, TypeKind, Variant};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// [`rust_type`] as text, as prettyplease prints it, for code written as text.
pub fn rust_type_text(ty: &Ty, ctx: &Ctx<'_>) -> String {
    match ty {
        Ty::Named(id) => ctx.type_path_text(*id),
        Ty::String => "String".into(),
        Ty::Integer => "i64".into(),
        Ty::Int32 => "i32".into(),
        Ty::Number => "f64".into(),
        Ty::Boolean => "bool".into(),
        Ty::List(t) => format!("Vec<{}>", rust_type_text(t, ctx)),
        Ty::Map(t) if **t == Ty::Any => "serde_json::Map<String, serde_json::Value>".into(),
        Ty::Map(t) => format!("std::collections::BTreeMap<String, {}>", rust_type_text(t, ctx)),
        Ty::Nullable(t) => format!("Option<{}>", rust_type_text(t, ctx)),
        Ty::Any => "serde_json::Value".into(),
        Ty::Bytes => "crate::FilePart".into(),
        Ty::Base64 => "crate::Base64".into(),
    }
}

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
        Ty::Base64 => quote!(crate::Base64),
    }
}

pub fn type_def(def: &TypeDef, ctx: &Ctx<'_>) -> TokenStream {
    let name = ident(&def.name);
    let doc_lines = def.description.as_deref().map(docs::clean).unwrap_or_default();
    let doc = docs::attrs(&doc_lines);
    let doc = if def.deprecated { quote!(#doc #[deprecated]) } else { doc };
    // Resource files are gated whole; a shared type says which features compile it.
    let doc = match def.module {
        crate::ir::Module::Types(_) => {
            let note = super::doc_cfg(&ctx.api.features.of_type[def.id]);
            quote!(#doc #note)
        }
        _ => doc,
    };
    match &def.kind {
        TypeKind::Struct { fields, .. } if crate::ir::calls::wraps_data(def) => {
            // One generic type for the hundreds of objects that only hold `data`.
            let t = rust_type(&fields[0].ty, ctx);
            quote! {
                #doc
                pub type #name = crate::Data<#t>;
            }
        }
        TypeKind::Struct { fields, additional } => {
            let all_optional = fields.iter().all(is_optional);
            let default = if all_optional { quote!(, Default) } else { quote!() };
            let extra_ty = additional.as_ref().map(|ty| match ty {
                Ty::Any => quote!(serde_json::Map<String, serde_json::Value>),
                other => {
                    let t = rust_type(other, ctx);
                    quote!(std::collections::BTreeMap<String, #t>)
                }
            });
            let construct = construct(def, &name, fields, extra_ty.is_some(), ctx);
            let extra_text = extra_ty.as_ref().map(super::type_text);
            let dirs = &ctx.api.directions;
            let serialize = round_trip_text(dirs.serializes(def.id))
                + &struct_serialize(&def.name, &def.name, fields, extra_ty.is_some());
            let deserialize = round_trip_text(dirs.deserializes(def.id))
                + &struct_deserialize(&def.name, &def.name, fields, extra_text.as_deref());
            let serde = super::raw_text(serialize + &deserialize);
            let fields = fields.iter().map(|f| field(f, ctx));
            let extra = extra_ty.as_ref().map(|map| {
                quote! {
                    /// Properties not declared in the spec.
                    pub extra: #map,
                }
            });
            // Not built with a literal outside the crate, so a new field is a minor change.
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq #default)]
                #[non_exhaustive]
                pub struct #name {
                    #(#fields)*
                    #extra
                }

                #construct
                #serde
            }
        }
        TypeKind::IntEnum { values } => {
            let name_text = def.name.as_str();
            let variants: Vec<Ident> = values.iter().map(|v| ident(&v.rust_name)).collect();
            let wire: Vec<i64> = values.iter().map(|v| v.value).collect();
            let docs = wire.iter().map(|w| format!(" `{w}`"));
            quote! {
                #doc
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
                #[non_exhaustive]
                pub enum #name {
                    #( #[doc = #docs] #variants, )*
                    /// A value this version of the crate does not know, kept as sent.
                    Unknown(i64),
                }

                impl #name {
                    /// The value as sent on the wire.
                    pub fn value(self) -> i64 {
                        match self {
                            #( Self::#variants => #wire, )*
                            Self::Unknown(other) => other,
                        }
                    }
                }

                impl From<i64> for #name {
                    fn from(value: i64) -> Self {
                        match value {
                            #( #wire => Self::#variants, )*
                            other => Self::Unknown(other),
                        }
                    }
                }

                impl From<#name> for i64 {
                    fn from(value: #name) -> Self {
                        value.value()
                    }
                }

                impl std::fmt::Display for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        self.value().fmt(f)
                    }
                }

                impl serde::Serialize for #name {
                    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        serializer.serialize_i64(self.value())
                    }
                }

                impl<'de> serde::Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let value = Self::from(<i64 as serde::Deserialize>::deserialize(deserializer)?);
                        if let Self::Unknown(other) = value {
                            crate::de::unknown_value::<D::Error>(#name_text, &other.to_string())?;
                        }
                        Ok(value)
                    }
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
        TypeKind::Union { variants, discriminator: Some(property) } => {
            tagged_union(def, &name, &doc, variants, property, ctx)
        }
        TypeKind::Union { variants, .. } => {
            let froms = variant_froms(&name, variants, ctx);
            // Untagged: serde tries variants in order and takes the first that decodes, so the
            // more demanding come first: objects with more required fields before those with
            // fewer (one with none accepts any object), then lists and maps, integers before
            // numbers, other primitives, and `Any` last.
            let mut ordered: Vec<_> = variants.iter().collect();
            ordered.sort_by_key(|v| untagged_rank(&v.ty, ctx));
            let names: Vec<Ident> = ordered.iter().map(|v| ident(&v.rust_name)).collect();
            let types = ordered.iter().map(|v| rust_type(&v.ty, ctx));
            let catch_all = catch_all_name(variants);
            let name_text = def.name.as_str();
            let dirs = &ctx.api.directions;
            let serialize = if dirs.serializes(def.id) {
                quote!(#[derive(serde::Serialize)] #[serde(untagged)])
            } else {
                let on = quote!(feature = #ROUND_TRIP);
                quote!(#[cfg_attr(#on, derive(serde::Serialize), serde(untagged))])
            };
            let deserialize = round_trip(dirs.deserializes(def.id));
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq)]
                #serialize
                #[non_exhaustive]
                #[allow(clippy::large_enum_variant)]
                pub enum #name {
                    #( #names(#types), )*
                    /// A value that matches none of the shapes above, kept as sent.
                    #catch_all(serde_json::Value),
                }

                #deserialize
                impl<'de> serde::Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        crate::de::untagged(
                            deserializer,
                            #name_text,
                            &[#( |v| crate::de::variant(v).map(Self::#names), )*],
                            Self::#catch_all,
                        )
                    }
                }
                #froms
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

/// Nothing for a serde impl the type needs (see [`crate::ir::directions`]); for one it does not,
/// the `cfg` that compiles it only with the `round_trip` feature.
pub(super) fn round_trip(needed: bool) -> TokenStream {
    if needed {
        return quote!();
    }
    quote!(#[cfg(feature = #ROUND_TRIP)] #[cfg_attr(docsrs, doc(cfg(feature = #ROUND_TRIP)))])
}

/// [`round_trip`] as text, on a line of its own.
fn round_trip_text(needed: bool) -> String {
    if needed {
        return String::new();
    }
    format!("#[cfg(feature = {ROUND_TRIP:?})]\n#[cfg_attr(docsrs, doc(cfg(feature = {ROUND_TRIP:?})))]\n")
}

// The two serde impls of each struct are half of the generated code. They are written here
// as text, already laid out, and spliced into the formatted file (see `super::raw_text`):
// parsing them with syn and printing them with prettyplease took most of the generation time.

/// `Serialize` for a struct, as serde's derive would with `skip_serializing_if =
/// "Option::is_none"` on the optional fields and `flatten` on `extra`, in fewer lines: each
/// field is written by its wire name, an absent optional one left out.
fn struct_serialize(name: &str, rust_name: &str, fields: &[Field], keeps_extra: bool) -> String {
    let (begin, method, trait_) = if keeps_extra {
        ("serializer.serialize_map(None)?".to_string(), "serialize_entry", "SerializeMap")
    } else {
        (format!("serializer.serialize_struct({rust_name:?}, {})?", fields.len()), "serialize_field", "SerializeStruct")
    };
    let mutable = if fields.is_empty() && !keeps_extra { "" } else { "mut " };
    let mut t = String::new();
    t.push_str(&format!("impl serde::Serialize for {name} {{\n"));
    t.push_str("    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {\n");
    t.push_str(&format!("        use serde::ser::{trait_};\n"));
    t.push_str(&format!("        let {mutable}out = {begin};\n"));
    for f in fields {
        let (field, wire) = (&f.rust_name, &f.name);
        if f.required {
            t.push_str(&format!("        out.{method}({wire:?}, &self.{field})?;\n"));
        } else {
            t.push_str(&format!("        if let Some(v) = &self.{field} {{\n"));
            t.push_str(&format!("            out.{method}({wire:?}, v)?;\n"));
            t.push_str("        }\n");
        }
    }
    if keeps_extra {
        t.push_str("        for (k, v) in &self.extra {\n            out.serialize_entry(k, v)?;\n        }\n");
    }
    t.push_str("        out.end()\n    }\n}\n");
    t
}

/// `Deserialize` for a struct: one map visitor that matches each key by its index in the wire
/// names and leaves the rest to `crate::de` (see there why it is not derived). An optional field
/// is `None` when absent, as with the derive; a required one (nullable or not) is settled by
/// `crate::de::required`: an error, or its fallback when the client decodes leniently.
fn struct_deserialize(name: &str, rust_name: &str, fields: &[Field], extra: Option<&str>) -> String {
    let mut t = String::new();
    t.push_str(&format!("impl<'de> serde::Deserialize<'de> for {name} {{\n"));
    t.push_str("    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {\n");
    let wire: Vec<String> = fields.iter().map(|f| format!("{:?}", f.name)).collect();
    let one_line = format!("        const FIELDS: &[&str] = &[{}];", wire.join(", "));
    if one_line.len() <= 100 {
        t.push_str(&one_line);
        t.push('\n');
    } else {
        t.push_str("        const FIELDS: &[&str] = &[\n");
        for w in &wire {
            t.push_str(&format!("            {w},\n"));
        }
        t.push_str("        ];\n");
    }
    t.push_str("        struct V;\n");
    t.push_str("        impl<'de> serde::de::Visitor<'de> for V {\n");
    t.push_str(&format!("            type Value = {name};\n"));
    t.push_str("            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {\n");
    t.push_str(&format!("                f.write_str({:?})\n", format!("struct {rust_name}")));
    t.push_str("            }\n");
    t.push_str(&format!(
        "            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<{name}, A::Error> {{\n"
    ));
    for i in 0..fields.len() {
        t.push_str(&format!("                let mut f{i} = None;\n"));
    }
    if let Some(map) = extra {
        t.push_str(&format!("                let mut extra: {map} = Default::default();\n"));
    }
    // With `extra`, keys come as a declared index or the name of another property.
    let next = if extra.is_some() { "crate::de::KeyOrName(FIELDS)" } else { "crate::de::Field(FIELDS)" };
    t.push_str(&format!("                while let Some(key) = map.next_key_seed({next})? {{\n"));
    t.push_str("                    match key {\n");
    for (i, f) in fields.iter().enumerate() {
        let pattern = if extra.is_some() { format!("crate::de::Key::Declared({i})") } else { i.to_string() };
        // A required field is wrapped once more, so that absent and `null` stay apart. A value
        // that is an `Option` is read with `crate::de::optional`: one that does not convert is
        // `None` when the client decodes leniently, not a fallback.
        let optional = "crate::de::optional(&mut map)?";
        let value = match (f.required, f.nullable) {
            (true, false) => "Some(map.next_value()?)".to_string(),
            (_, true) => format!("Some({optional})"),
            (false, false) => optional.to_string(),
        };
        t.push_str(&format!("                        {pattern} => f{i} = {value},\n"));
    }
    if extra.is_some() {
        t.push_str("                        crate::de::Key::Other(key) => {\n");
        t.push_str("                            extra.insert(key, map.next_value()?);\n");
        t.push_str("                        }\n");
        t.push_str("                        crate::de::Key::Declared(_) => crate::de::skip(&mut map)?,\n");
    } else {
        t.push_str("                        _ => crate::de::skip(&mut map)?,\n");
    }
    t.push_str("                    }\n                }\n");
    t.push_str(&format!("                Ok({name} {{\n"));
    for (i, f) in fields.iter().enumerate() {
        let field = &f.rust_name;
        if !f.required {
            t.push_str(&format!("                    {field}: f{i},\n"));
        } else {
            t.push_str(&format!("                    {field}: crate::de::required(f{i}, {:?})?,\n", f.name));
        }
    }
    if extra.is_some() {
        t.push_str("                    extra,\n");
    }
    t.push_str("                })\n            }\n        }\n");
    t.push_str(&format!("        deserializer.deserialize_struct({rust_name:?}, FIELDS, V)\n"));
    t.push_str("    }\n}\n");
    t
}

/// Where an untagged variant is tried: lower first (see the caller).
fn untagged_rank(ty: &Ty, ctx: &Ctx<'_>) -> (u8, std::cmp::Reverse<usize>) {
    match crate::ir::resolve_alias(&ctx.api.types, ty) {
        Ty::Named(id) => match &ctx.api.types[*id].kind {
            TypeKind::Struct { fields, .. } => {
                let required = fields.iter().filter(|f| f.required).count();
                (if required > 0 { 0 } else { 1 }, std::cmp::Reverse(required))
            }
            TypeKind::Union { .. } => (1, std::cmp::Reverse(0)),
            TypeKind::Enum { .. } | TypeKind::IntEnum { .. } => (4, std::cmp::Reverse(0)),
            TypeKind::Alias { .. } => (5, std::cmp::Reverse(0)),
        },
        Ty::List(_) | Ty::Map(_) => (2, std::cmp::Reverse(0)),
        Ty::Integer | Ty::Int32 => (3, std::cmp::Reverse(0)),
        Ty::Number => (4, std::cmp::Reverse(0)),
        Ty::Any => (9, std::cmp::Reverse(0)),
        _ => (5, std::cmp::Reverse(0)),
    }
}

/// A `oneOf`/`anyOf` with a discriminator: the tag property picks the variant, and a tag this
/// crate does not know decodes into `Unknown` with the JSON kept, so a new kind of value from
/// the server never fails a call.
fn tagged_union(
    def: &TypeDef,
    name: &Ident,
    doc: &TokenStream,
    variants: &[Variant],
    property: &str,
    ctx: &Ctx<'_>,
) -> TokenStream {
    let name_text = name.to_string();
    let serialize_gate = round_trip(ctx.api.directions.serializes(def.id));
    let deserialize_gate = round_trip(ctx.api.directions.deserializes(def.id));
    let names: Vec<Ident> = variants.iter().map(|v| ident(&v.rust_name)).collect();
    let types = variants.iter().map(|v| rust_type(&v.ty, ctx));
    let docs = variants.iter().map(|v| {
        let tags: Vec<String> = v.tags.iter().map(|t| format!("`{}`", t.replace('`', "'"))).collect();
        format!(" `{property}`: {}", tags.join(", "))
    });
    let first_tags: Vec<&str> = variants.iter().map(|v| v.tags[0].as_str()).collect();
    let patterns = variants.iter().map(|v| {
        let tags = v.tags.iter().map(String::as_str);
        quote!(#(#tags)|*)
    });
    let serialize = variants.iter().zip(&names).map(|(v, n)| {
        let carries_tag = match &v.ty {
            Ty::Named(id) => match &ctx.api.types[*id].kind {
                TypeKind::Struct { fields, .. } => fields.iter().any(|f| f.name == property && f.required),
                _ => false,
            },
            _ => false,
        };
        if carries_tag {
            quote!(Self::#n(v) => v.serialize(serializer),)
        } else {
            let tag = &v.tags[0];
            quote!(Self::#n(v) => crate::tagged::serialize_with_tag(v, #property, #tag, serializer),)
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #( #[doc = #docs] #names(#types), )*
            /// A kind this version of the crate does not know, kept as sent.
            Unknown(serde_json::Value),
        }

        impl #name {
            /// The discriminator value of this variant (the first the spec maps to it), or the
            /// one an unknown value came with.
            pub fn tag(&self) -> Option<&str> {
                match self {
                    #( Self::#names(_) => Some(#first_tags), )*
                    Self::Unknown(value) => value.get(#property).and_then(serde_json::Value::as_str),
                }
            }
        }

        #serialize_gate
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize)*
                    Self::Unknown(v) => v.serialize(serializer),
                }
            }
        }

        #deserialize_gate
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    #( Some(#patterns) => crate::tagged::variant(&value).map(Self::#names), )*
                    _ => crate::tagged::unknown(
                        value,
                        #name_text,
                        #property,
                        &[#( |v| crate::de::variant(v).map(Self::#names), )*],
                        Self::Unknown,
                    ),
                }
            }
        }
    }
}

/// A type with its aliases followed: `ToNumber` (an alias of `String`) is a string.
fn resolved<'t>(ty: &'t Ty, ctx: &'t Ctx<'_>) -> &'t Ty {
    let mut ty = ty;
    for _ in 0..16 {
        match ty {
            Ty::Named(id) => match &ctx.api.types[*id].kind {
                TypeKind::Alias { ty: inner } => ty = inner,
                _ => return ty,
            },
            _ => return ty,
        }
    }
    ty
}

/// `From<V>` for each variant type of an untagged union that only one variant has (and
/// `From<&str>` for its string variant), so a value is passed as `"+18005550100".into()`.
fn variant_froms(name: &Ident, variants: &[Variant], ctx: &Ctx<'_>) -> TokenStream {
    let key = |v: &Variant| rust_type(resolved(&v.ty, ctx), ctx).to_string();
    let keys: Vec<String> = variants.iter().map(key).collect();
    let impls =
        variants.iter().zip(&keys).filter(|(_, k)| keys.iter().filter(|o| o == k).count() == 1).map(|(v, _)| {
            let variant = ident(&v.rust_name);
            let t = rust_type(&v.ty, ctx);
            let from_str = matches!(resolved(&v.ty, ctx), Ty::String).then(|| {
                quote! {
                    impl From<&str> for #name {
                        fn from(value: &str) -> Self {
                            #name::#variant(value.to_string())
                        }
                    }
                }
            });
            quote! {
                impl From<#t> for #name {
                    fn from(value: #t) -> Self {
                        #name::#variant(value)
                    }
                }
                #from_str
            }
        });
    quote!(#(#impls)*)
}

/// The name of an untagged union's catch-all variant: `Unknown`, unless a variant has it.
pub fn catch_all_name(variants: &[Variant]) -> Ident {
    let taken = |n: &str| variants.iter().any(|v| v.rust_name == n);
    ident(["Unknown", "UnknownShape", "UnknownValue"].into_iter().find(|n| !taken(n)).unwrap_or("Unknown_"))
}

/// How users build a struct (see `ir::calls::Construct`): a method per field on the value
/// (`X::default().a(..)`) or on its builder (`X::builder().a(..).build()`, the required fields
/// tracked by the compiler); and the placeholder value the builder, or a call, starts from.
fn construct(def: &TypeDef, name: &Ident, fields: &[Field], keeps_extra: bool, ctx: &Ctx<'_>) -> TokenStream {
    let types = &ctx.api.types;
    let allow = (def.deprecated || fields.iter().any(|f| f.deprecated)).then(|| quote!(#[allow(deprecated)]));
    let deprecated = if allow.is_some() { "#[allow(deprecated)]\n" } else { "" };
    let blank = def.blank.then(|| {
        let opening = format!(
            "{deprecated}impl {name} {{\n    \
             /// Every required field a placeholder, every other `None`: where a builder, or\n    \
             /// a call whose body this is, starts. Public for the client's calls, which live in\n    \
             /// another crate than the types.\n    \
             #[doc(hidden)]\n    #[inline]\n    pub fn blank() -> Self {{\n"
        );
        placeholder_impl(opening, name, fields, keeps_extra, ctx)
    });
    // A struct the crate only receives, with required fields, has neither a builder nor
    // `Default`: with `test-util` it gets `Default`, so that a test can make one to answer a
    // mocked call with.
    let test_default = (!def.blank && !fields.iter().all(is_optional)).then(|| {
        let feature = crate::ir::features::TEST_UTIL;
        let opening = format!(
            "#[cfg(feature = {feature:?})]\n#[cfg_attr(docsrs, doc(cfg(feature = {feature:?})))]\n\
             {deprecated}impl Default for {name} {{\n    \
             /// Every required field a placeholder (empty, zero, `Unknown`), every other `None`: a\n    \
             /// value for a test to fill in and answer a mocked call with.\n    \
             fn default() -> Self {{\n"
        );
        placeholder_impl(opening, name, fields, keeps_extra, ctx)
    });
    let settable: Vec<&Field> = fields.iter().filter(|f| !f.setter.is_empty()).collect();
    let allow_text: &[&str] = if allow.is_some() { &["#[allow(deprecated)]"] } else { &[] };
    let methods = match def.construct {
        Construct::Decoded => quote!(),
        Construct::Default => {
            let methods: Vec<Method> = settable.iter().flat_map(|f| field_setters(f, "self", ctx)).collect();
            super::setters::impl_block(allow_text, &format!("impl {name}"), &methods)
        }
        Construct::Builder => {
            let required: Vec<&Field> =
                settable.iter().copied().filter(|f| crate::ir::calls::is_required_input(f, types)).collect();
            let slots = super::setters::slots(required.len());
            let names: Vec<&str> = required.iter().map(|f| f.setter.as_str()).collect();
            let start = super::setters::missing(&names);
            let listed: Vec<String> = names.iter().map(|n| format!("`{}`", n.trim_start_matches("r#"))).collect();
            let builder_doc = if listed.is_empty() {
                format!(" A builder of `{name}`: a method per field, then `.build()`.")
            } else {
                format!(
                    " A builder of `{name}`: a method per field, then `.build()`, which compiles once the required ones are set ({}).",
                    listed.join(", ")
                )
            };
            let mut methods = Vec::new();
            for f in &settable {
                match required.iter().position(|r| std::ptr::eq(*r, *f)) {
                    Some(k) => {
                        let next = super::setters::state_with(&slots, &[k]);
                        let (t, value) = super::setters::field_param(f, ctx);
                        methods.push(Method {
                            doc: super::setters::doc(f.description.as_deref(), &f.name),
                            deprecated: f.deprecated,
                            name: f.setter.clone(),
                            params: vec!["self".into(), format!("value: {t}")],
                            ret: format!("crate::Builder<{name}, {next}>"),
                            body: vec![
                                "let mut b = self;".into(),
                                format!("b.value.{} = {value};", f.rust_name),
                                "crate::inputs::into_state(b)".into(),
                            ],
                        });
                    }
                    None => methods.extend(field_setters(f, "self.value", ctx)),
                }
            }
            let header = match slots.is_empty() {
                true => format!("impl crate::Builder<{name}, ()>"),
                false => {
                    format!("impl<{}> crate::Builder<{name}, {}>", slots.join(", "), super::setters::tuple(&slots))
                }
            };
            let setters = super::setters::impl_block(allow_text, &header, &methods);
            quote! {
                #allow
                impl #name {
                    #[doc = #builder_doc]
                    #[inline]
                    pub fn builder() -> crate::Builder<#name, #start> {
                        crate::Builder::new(#name::blank())
                    }
                }
                #setters
                impl<S: crate::Ready> From<crate::Builder<#name, S>> for #name {
                    #[inline]
                    fn from(builder: crate::Builder<#name, S>) -> Self {
                        builder.build()
                    }
                }
            }
        }
    };
    quote!(#blank #test_default #methods)
}

/// `opening` (an `impl` block's attributes and head, and its one function's docs and signature),
/// then the function's body: every required field of the struct a placeholder, every other `None`
/// (`blank()`, and `Default` under `test-util`). Written as text, like the setters: the
/// placeholder of `CallRequest` names 91 fields.
fn placeholder_impl(
    mut opening: String,
    name: &Ident,
    fields: &[Field],
    keeps_extra: bool,
    ctx: &Ctx<'_>,
) -> TokenStream {
    opening.push_str(&format!("        {name} {{\n"));
    for f in fields {
        opening.push_str(&format!("            {}: {},\n", f.rust_name, super::setters::field_blank_text(f, ctx)));
    }
    if keeps_extra {
        opening.push_str("            extra: Default::default(),\n");
    }
    opening.push_str("        }\n    }\n}\n");
    super::raw_text(opening)
}

/// The methods that set an optional field (reached through `on`: `self`, or `self.value` on a
/// builder), and for an optional, nullable one the method that sets it to `null`.
pub fn field_setters(f: &Field, on: &str, ctx: &Ctx<'_>) -> Vec<Method> {
    let (t, value) = super::setters::field_param(f, ctx);
    let place = format!("{on}.{}", f.rust_name);
    let doc = super::setters::doc(f.description.as_deref(), &f.name);
    let mut out = vec![Method::optional(doc, f.deprecated, &f.setter, &t, &place, &value)];
    if let Some(null) = &f.null_setter {
        out.push(Method::null(&f.name, f.deprecated, null, &place));
    }
    out
}

/// Whether a field is an `Option` in Rust.
pub fn is_optional(f: &Field) -> bool {
    !f.required || f.nullable
}

/// Whether a field is an `Option<Option<T>>`: optional *and* nullable, so that absent (`None`),
/// `null` (`Some(None)`) and a value (`Some(Some(v))`) are three different things, and a PATCH
/// can clear a value.
pub fn is_double_option(f: &Field) -> bool {
    !f.required && f.nullable
}

fn field(f: &Field, ctx: &Ctx<'_>) -> TokenStream {
    let name = ident(&f.rust_name);
    let mut t = rust_type(&f.ty, ctx);
    if f.boxed {
        t = quote!(Box<#t>);
    }
    // Neither serde trait is derived: see `struct_serialize` and `struct_deserialize`.
    let ty = if is_double_option(f) {
        quote!(Option<Option<#t>>)
    } else if is_optional(f) {
        quote!(Option<#t>)
    } else {
        t
    };
    let lines = f.description.as_deref().map(docs::clean).unwrap_or_default();
    let doc = docs::attrs(&lines);
    let doc = if f.deprecated { quote!(#doc #[deprecated]) } else { doc };
    quote! {
        #doc
        pub #name: #ty,
    }
}
