//! The type space: turns schemas into [`Ty`] uses and [`TypeDef`] definitions. Component schemas
//! are registered first so that references (including recursive ones) resolve to a fixed id.

use super::{EnumValue, ExampleSite, Fallback, Field, IntEnumValue, Module, Ty, TypeDef, TypeId, TypeKind, Variant};
use crate::error::escape_token;
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, IntegerFormat, ReferenceOr, Schema, SchemaKind, Type, VariantOrUnknownOrEmpty,
};
use std::collections::{BTreeSet, HashMap};

const COMPONENT_PREFIX: &str = "#/components/schemas/";

pub struct TypeSpace<'a> {
    components: &'a IndexMap<String, ReferenceOr<Schema>>,
    component_ids: HashMap<&'a str, TypeId>,
    pub types: Vec<TypeDef>,
    pub fallbacks: Vec<Fallback>,
    /// Every schema with an `example`, and the type its values decode into.
    pub examples: Vec<ExampleSite>,
    /// Pointers that get an [`ExampleSite`] even without an example of their own (see
    /// [`crate::Options::example_sites`]).
    pub wanted: BTreeSet<String>,
    /// The types of the schemas of shared parameters and request bodies (and of the shared
    /// responses read for their examples), by pointer: defined once, whichever operations use them.
    shared: HashMap<String, Ty>,
}

/// Where a schema sits, for naming what it defines.
#[derive(Clone)]
pub struct Site<'s> {
    pub hint: &'s [String],
    pub owner_op: Option<usize>,
    pub pointer: &'s str,
}

impl<'s> Site<'s> {
    fn child(&self, hint: &mut Vec<String>, piece: &str, pointer: &mut String, tokens: &[&str]) {
        hint.clear();
        hint.extend_from_slice(self.hint);
        hint.push(piece.to_string());
        pointer.clear();
        pointer.push_str(self.pointer);
        for t in tokens {
            pointer.push('/');
            pointer.push_str(&escape_token(t));
        }
    }
}

/// The properties of `allOf` members gathered into one object, with where each is written.
#[derive(Default)]
struct Merged {
    properties: IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: Vec<String>,
    additional: Option<AdditionalProperties>,
    origins: HashMap<String, String>,
}

/// What a schema needs: either a plain type use, or a definition of its own.
enum Shape {
    Use(Ty),
    Define(TypeKind),
}

/// A schema with its `$ref`s to components followed.
enum Resolved<'a> {
    Schema(&'a Schema),
    Missing(String),
}

impl<'a> TypeSpace<'a> {
    pub fn new(components: &'a IndexMap<String, ReferenceOr<Schema>>) -> Self {
        let mut space = TypeSpace {
            components,
            component_ids: HashMap::new(),
            shared: HashMap::new(),
            types: Vec::new(),
            fallbacks: Vec::new(),
            examples: Vec::new(),
            wanted: BTreeSet::new(),
        };
        for name in components.keys() {
            let id = space.push(TypeDef {
                id: 0,
                name: String::new(),
                hint: vec![name.clone()],
                owner_op: None,
                module: Module::Unassigned,
                pointer: format!("/components/schemas/{}", escape_token(name)),
                description: None,
                deprecated: false,
                kind: TypeKind::Alias { ty: Ty::Any },
                construct: Default::default(),
                blank: false,
            });
            space.component_ids.insert(name.as_str(), id);
        }
        space
    }

    /// Defines every component schema.
    pub fn build_components(&mut self) {
        for (name, schema) in self.components {
            let id = self.component_ids[name.as_str()];
            let hint = vec![name.clone()];
            let pointer = self.types[id].pointer.clone();
            let site = Site { hint: &hint, owner_op: None, pointer: &pointer };
            let (kind, description, deprecated) = match schema {
                ReferenceOr::Reference { reference } => {
                    if self.is_wanted(&pointer) {
                        self.examples.push(ExampleSite { pointer: pointer.clone(), ty: Ty::Named(id) });
                    }
                    (TypeKind::Alias { ty: self.reference(reference, &pointer) }, None, false)
                }
                ReferenceOr::Item(s) => {
                    self.note_example(s, &pointer, Ty::Named(id));
                    let kind = match self.shape(s, &site) {
                        Shape::Use(ty) => TypeKind::Alias { ty },
                        Shape::Define(kind) => kind,
                    };
                    (kind, s.schema_data.description.clone(), s.schema_data.deprecated)
                }
            };
            let def = &mut self.types[id];
            def.kind = kind;
            def.description = description;
            def.deprecated = deprecated;
        }
    }

    fn push(&mut self, mut def: TypeDef) -> TypeId {
        let id = self.types.len();
        def.id = id;
        self.types.push(def);
        id
    }

    fn fallback(&mut self, pointer: &str, reason: impl Into<String>) -> Ty {
        self.fallbacks.push(Fallback { pointer: pointer.to_string(), reason: reason.into() });
        Ty::Any
    }

    fn reference(&mut self, reference: &str, pointer: &str) -> Ty {
        match reference.strip_prefix(COMPONENT_PREFIX).and_then(|n| self.component_ids.get(n)) {
            Some(id) => Ty::Named(*id),
            None => self.fallback(pointer, format!("$ref {reference:?} does not name a component schema")),
        }
    }

    fn resolve(&self, schema: &'a ReferenceOr<Schema>) -> Resolved<'a> {
        let mut current = schema;
        for _ in 0..32 {
            match current {
                ReferenceOr::Item(s) => return Resolved::Schema(s),
                ReferenceOr::Reference { reference } => {
                    match reference.strip_prefix(COMPONENT_PREFIX).and_then(|n| self.components.get(n)) {
                        Some(next) => current = next,
                        None => return Resolved::Missing(reference.clone()),
                    }
                }
            }
        }
        Resolved::Missing("a cycle of $refs".into())
    }

    /// The string values a union member declares for its discriminator `property`.
    fn declared_tags(&self, member: &'a ReferenceOr<Schema>, property: &str) -> Vec<String> {
        let Resolved::Schema(s) = self.resolve(member) else { return Vec::new() };
        let SchemaKind::Type(Type::Object(object)) = &s.schema_kind else { return Vec::new() };
        let prop = match object.properties.get(property) {
            Some(ReferenceOr::Item(p)) => Some(&**p),
            Some(ReferenceOr::Reference { reference }) => match self.resolve_ref(reference) {
                Resolved::Schema(p) => Some(p),
                Resolved::Missing(_) => None,
            },
            None => None,
        };
        match prop.map(|p| &p.schema_kind) {
            Some(SchemaKind::Type(Type::String(t))) => t.enumeration.iter().flatten().cloned().collect(),
            _ => Vec::new(),
        }
    }

    fn resolve_ref(&self, reference: &str) -> Resolved<'a> {
        match reference.strip_prefix(COMPONENT_PREFIX).and_then(|n| self.components.get(n)) {
            Some(next) => self.resolve(next),
            None => Resolved::Missing(reference.to_string()),
        }
    }

    /// Whether a (possibly referenced) schema admits `null`.
    pub fn is_nullable(&self, schema: &'a ReferenceOr<Schema>) -> bool {
        match self.resolve(schema) {
            Resolved::Schema(s) => schema_nullable(s),
            Resolved::Missing(_) => false,
        }
    }

    /// The example of a (possibly referenced) schema.
    pub fn example(&self, schema: &'a ReferenceOr<Schema>) -> Option<serde_json::Value> {
        match self.resolve(schema) {
            Resolved::Schema(s) => s.schema_data.example.clone(),
            Resolved::Missing(_) => None,
        }
    }

    /// The example of the component schema `reference` points at.
    fn example_at(&self, reference: &str) -> Option<serde_json::Value> {
        let schema = reference.strip_prefix(COMPONENT_PREFIX).and_then(|n| self.components.get(n))?;
        self.example(schema)
    }

    /// The type of a schema in use position, defining a named type if it needs one.
    pub fn ty(&mut self, schema: &ReferenceOr<Schema>, site: &Site<'_>) -> Ty {
        match schema {
            ReferenceOr::Reference { reference } => self.reference_at(reference, site.pointer),
            ReferenceOr::Item(s) => self.ty_of(s, site),
        }
    }

    /// The type of the schema of a shared component (`#/components/parameters/X`, a request
    /// body), named after the component, not after an operation that uses it: the first use
    /// defines it, every later one gets the same type.
    pub fn ty_shared(&mut self, schema: &ReferenceOr<Schema>, component: &str, pointer: &str) -> Ty {
        if let Some(ty) = self.shared.get(pointer) {
            return ty.clone();
        }
        let hint = [component.to_string()];
        let ty = self.ty(schema, &Site { hint: &hint, owner_op: None, pointer });
        self.shared.insert(pointer.to_string(), ty.clone());
        ty
    }

    pub fn ty_boxed(&mut self, schema: &ReferenceOr<Box<Schema>>, site: &Site<'_>) -> Ty {
        match schema {
            ReferenceOr::Reference { reference } => self.reference_at(reference, site.pointer),
            ReferenceOr::Item(s) => self.ty_of(s, site),
        }
    }

    /// A `$ref` written at `pointer` (a wanted site there decodes into what it names).
    fn reference_at(&mut self, reference: &str, pointer: &str) -> Ty {
        let ty = self.reference(reference, pointer);
        if self.is_wanted(pointer) {
            self.examples.push(ExampleSite { pointer: pointer.to_string(), ty: ty.clone() });
        }
        ty
    }

    /// Whether `pointer` is a wanted site (see [`TypeSpace::wanted`]).
    pub fn is_wanted(&self, pointer: &str) -> bool {
        self.wanted.contains(pointer)
    }

    /// Whether a wanted site is at `pointer` or inside it: its schema needs a type then.
    pub fn wants_under(&self, pointer: &str) -> bool {
        self.wanted
            .range::<str, _>((std::ops::Bound::Included(pointer), std::ops::Bound::Unbounded))
            .next()
            .is_some_and(|w| w.starts_with(pointer))
    }

    fn ty_of(&mut self, s: &Schema, site: &Site<'_>) -> Ty {
        let ty = self.ty_of_inner(s, site);
        self.note_example(s, site.pointer, ty.clone());
        ty
    }

    /// Defines a named type of the given kind at `site` (for shapes no single schema has).
    pub fn define(&mut self, kind: TypeKind, site: &Site<'_>) -> Ty {
        Ty::Named(self.push(TypeDef {
            id: 0,
            name: String::new(),
            hint: site.hint.to_vec(),
            owner_op: site.owner_op,
            module: Module::Unassigned,
            pointer: site.pointer.to_string(),
            description: None,
            deprecated: false,
            kind,
            construct: Default::default(),
            blank: false,
        }))
    }

    /// Records that `example` values of `s` decode into `ty` (or its `Option` when nullable).
    fn note_example(&mut self, s: &Schema, pointer: &str, ty: Ty) {
        let has =
            s.schema_data.example.is_some() || s.schema_data.extensions.contains_key(crate::normalize::NULL_EXAMPLE);
        if has || self.is_wanted(pointer) {
            let ty = if schema_nullable(s) { Ty::Nullable(Box::new(ty)) } else { ty };
            self.examples.push(ExampleSite { pointer: pointer.to_string(), ty });
        }
    }

    fn ty_of_inner(&mut self, s: &Schema, site: &Site<'_>) -> Ty {
        match self.shape(s, site) {
            Shape::Use(ty) => ty,
            Shape::Define(kind) => {
                let ty = self.define(kind, site);
                if let Ty::Named(id) = ty {
                    self.types[id].description.clone_from(&s.schema_data.description);
                    self.types[id].deprecated = s.schema_data.deprecated;
                }
                ty
            }
        }
    }

    fn shape(&mut self, s: &Schema, site: &Site<'_>) -> Shape {
        match &s.schema_kind {
            SchemaKind::Type(Type::String(st)) => {
                let values: Vec<String> = st.enumeration.iter().flatten().cloned().collect();
                if !values.is_empty() {
                    return Shape::Define(enum_kind(values));
                }
                match &st.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary) => Shape::Use(Ty::Bytes),
                    _ => Shape::Use(Ty::String),
                }
            }
            SchemaKind::Type(Type::Integer(it)) if it.enumeration.iter().any(Option::is_some) => {
                let mut seen = std::collections::HashSet::new();
                let values = it
                    .enumeration
                    .iter()
                    .flatten()
                    .filter(|v| seen.insert(**v))
                    .map(|&value| IntEnumValue { value, rust_name: String::new() })
                    .collect();
                Shape::Define(TypeKind::IntEnum { values })
            }
            SchemaKind::Type(Type::Integer(it)) => Shape::Use(match it.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Ty::Int32,
                _ => Ty::Integer,
            }),
            SchemaKind::Type(Type::Number(_)) => Shape::Use(Ty::Number),
            SchemaKind::Type(Type::Boolean(_)) => Shape::Use(Ty::Boolean),
            SchemaKind::Type(Type::Array(at)) => Shape::Use(self.list(at.items.as_ref(), site)),
            SchemaKind::Type(Type::Object(ot)) => {
                self.object(&ot.properties, &ot.required, ot.additional_properties.as_ref(), site, &HashMap::new())
            }
            SchemaKind::OneOf { one_of } => self.union(one_of, s, site, "oneOf"),
            SchemaKind::AnyOf { any_of } => self.union(any_of, s, site, "anyOf"),
            SchemaKind::AllOf { all_of } => self.all_of(all_of, &IndexMap::new(), &[], site),
            SchemaKind::Not { .. } => Shape::Use(self.fallback(site.pointer, "`not` schemas have no Rust type")),
            SchemaKind::Any(any) => self.any(any, s, site),
        }
    }

    fn list(&mut self, items: Option<&ReferenceOr<Box<Schema>>>, site: &Site<'_>) -> Ty {
        let Some(items) = items else { return Ty::List(Box::new(Ty::Any)) };
        let (mut hint, mut pointer) = (Vec::new(), String::new());
        site.child(&mut hint, "item", &mut pointer, &["items"]);
        let child = Site { hint: &hint, owner_op: site.owner_op, pointer: &pointer };
        let ty = self.ty_boxed(items, &child);
        let nullable = match items {
            ReferenceOr::Item(s) => schema_nullable(s),
            ReferenceOr::Reference { .. } => false,
        };
        Ty::List(Box::new(if nullable { Ty::Nullable(Box::new(ty)) } else { ty }))
    }

    fn object(
        &mut self,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        site: &Site<'_>,
        origins: &HashMap<String, String>,
    ) -> Shape {
        let additional = match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let (mut hint, mut pointer) = (Vec::new(), String::new());
                site.child(&mut hint, "value", &mut pointer, &["additionalProperties"]);
                let child = Site { hint: &hint, owner_op: site.owner_op, pointer: &pointer };
                let ty = self.ty(schema, &child);
                let nullable = self.is_nullable(schema);
                Some(if nullable { Ty::Nullable(Box::new(ty)) } else { ty })
            }
            Some(AdditionalProperties::Any(true)) => Some(Ty::Any),
            Some(AdditionalProperties::Any(false)) => None,
            // An object that declares nothing is a free-form object.
            None if properties.is_empty() => Some(Ty::Any),
            None => None,
        };
        if properties.is_empty() {
            return Shape::Use(Ty::Map(Box::new(additional.unwrap_or(Ty::Any))));
        }
        let fields = self.fields(properties, required, site, origins);
        Shape::Define(TypeKind::Struct { fields, additional })
    }

    fn fields(
        &mut self,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        site: &Site<'_>,
        origins: &HashMap<String, String>,
    ) -> Vec<Field> {
        let (mut hint, mut pointer) = (Vec::new(), String::new());
        properties
            .iter()
            .map(|(name, schema)| {
                site.child(&mut hint, name, &mut pointer, &["properties", name]);
                if let Some(origin) = origins.get(name) {
                    pointer.clone_from(origin);
                }
                let child = Site { hint: &hint, owner_op: site.owner_op, pointer: &pointer };
                let ty = self.ty_boxed(schema, &child);
                let (nullable, data) = match schema {
                    ReferenceOr::Item(s) => (schema_nullable(s), Some(&s.schema_data)),
                    ReferenceOr::Reference { reference } => {
                        let n = reference
                            .strip_prefix(COMPONENT_PREFIX)
                            .and_then(|n| self.components.get(n))
                            .is_some_and(|s| self.is_nullable(s));
                        (n, None)
                    }
                };
                Field {
                    name: name.clone(),
                    rust_name: String::new(),
                    ty,
                    // A read-only field is never sent and a write-only one never received: the
                    // type serves both directions, so neither is required of it.
                    required: required.contains(name) && !data.is_some_and(|d| d.read_only || d.write_only),
                    nullable,
                    boxed: false,
                    description: data.and_then(|d| d.description.clone()),
                    deprecated: data.is_some_and(|d| d.deprecated),
                    read_only: data.is_some_and(|d| d.read_only),
                    write_only: data.is_some_and(|d| d.write_only),
                    example: match schema {
                        ReferenceOr::Item(s) => s.schema_data.example.clone(),
                        ReferenceOr::Reference { reference } => self.example_at(reference),
                    },
                    setter: String::new(),
                    null_setter: None,
                }
            })
            .collect()
    }

    fn union(&mut self, members: &[ReferenceOr<Schema>], s: &Schema, site: &Site<'_>, key: &str) -> Shape {
        let (mut hint, mut pointer) = (Vec::new(), String::new());
        let discriminator = s.schema_data.discriminator.as_ref();
        let mut variants = Vec::new();
        for (i, member) in members.iter().enumerate() {
            // A `null` member only makes the whole union nullable.
            if let ReferenceOr::Item(m) = member {
                if is_null_only(m) {
                    continue;
                }
            }
            let piece = match member {
                ReferenceOr::Reference { reference } => reference.rsplit('/').next().unwrap_or("").to_string(),
                ReferenceOr::Item(m) => variant_hint(m, i),
            };
            let tags = match (discriminator, member) {
                (Some(d), ReferenceOr::Reference { reference }) => {
                    let name = reference.rsplit('/').next().unwrap_or("");
                    let mapped: Vec<String> = d
                        .mapping
                        .iter()
                        .filter(|(_, target)| *target == reference || target.as_str() == name)
                        .map(|(tag, _)| tag.clone())
                        .collect();
                    if mapped.is_empty() {
                        // No mapping: OpenAPI's implicit tag is the schema's name, but where the
                        // variant declares the tag's values (an enum or `const`), those are
                        // what the API sends; they come first.
                        let mut tags = self.declared_tags(member, &d.property_name);
                        if !tags.iter().any(|t| t == name) {
                            tags.push(name.to_string());
                        }
                        tags
                    } else {
                        mapped
                    }
                }
                _ => Vec::new(),
            };
            site.child(&mut hint, &piece, &mut pointer, &[key, &i.to_string()]);
            let child = Site { hint: &hint, owner_op: site.owner_op, pointer: &pointer };
            let ty = self.ty(member, &child);
            variants.push(Variant { hint: piece, rust_name: String::new(), ty, tags });
        }
        // Tagging needs every variant to have its tags, each tag naming one variant.
        let mut seen = std::collections::HashSet::new();
        let tagged = discriminator.is_some()
            && variants.iter().all(|v| !v.tags.is_empty())
            && variants.iter().flat_map(|v| &v.tags).all(|t| seen.insert(t.clone()));
        if !tagged {
            variants.iter_mut().for_each(|v| v.tags.clear());
        }
        match variants.len() {
            0 => Shape::Use(Ty::Any),
            1 => Shape::Use(variants.remove(0).ty),
            _ => Shape::Define(TypeKind::Union {
                variants,
                discriminator: discriminator.filter(|_| tagged).map(|d| d.property_name.clone()),
            }),
        }
    }

    /// `allOf`: one wrapped `$ref` is that type; otherwise the members' properties merge into
    /// one struct (with `own` properties from the schema itself, for `AnySchema`).
    fn all_of(
        &mut self,
        members: &[ReferenceOr<Schema>],
        own: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        own_required: &[String],
        site: &Site<'_>,
    ) -> Shape {
        let non_null: Vec<&ReferenceOr<Schema>> =
            members.iter().filter(|m| !matches!(m, ReferenceOr::Item(s) if is_null_only(s))).collect();
        if own.is_empty() && non_null.len() == 1 {
            let (mut hint, mut pointer) = (Vec::new(), String::new());
            site.child(&mut hint, "", &mut pointer, &["allOf", "0"]);
            hint.pop();
            let child = Site { hint: &hint, owner_op: site.owner_op, pointer: &pointer };
            return Shape::Use(self.ty(non_null[0], &child));
        }
        let mut merged = Merged::default();
        for (i, member) in members.iter().enumerate() {
            if matches!(member, ReferenceOr::Item(s) if is_null_only(s)) {
                continue;
            }
            let base = format!("{}/allOf/{i}", site.pointer);
            if let Err(why) = self.collect_object(member, base, &mut merged, 0) {
                return Shape::Use(self.fallback(site.pointer, format!("allOf member cannot be merged: {why}")));
            }
        }
        let Merged { mut properties, mut required, additional, mut origins } = merged;
        for (k, v) in own {
            properties.insert(k.clone(), v.clone());
            origins.remove(k);
        }
        required.extend(own_required.iter().cloned());
        if properties.is_empty() {
            return Shape::Use(Ty::Map(Box::new(Ty::Any)));
        }
        // Merged properties get names from this type's hint like any other property, and
        // keep the pointer of where the spec writes them.
        self.object(&properties, &required, additional.as_ref(), site, &origins)
    }

    /// Adds the properties of one `allOf` member (written at `base`) to `merged`.
    fn collect_object(
        &self,
        member: &'a ReferenceOr<Schema>,
        base: String,
        merged: &mut Merged,
        depth: usize,
    ) -> Result<(), String> {
        if depth > 16 {
            return Err("allOf nests too deeply".into());
        }
        let s = match self.resolve(member) {
            Resolved::Schema(s) => s,
            Resolved::Missing(r) => return Err(format!("{r} does not resolve to a component schema")),
        };
        // Through a chain of `$ref`s, the properties are written in the last component.
        let mut base = base;
        let mut current = member;
        while let ReferenceOr::Reference { reference } = current {
            base = reference.trim_start_matches('#').to_string();
            match reference.strip_prefix(COMPONENT_PREFIX).and_then(|n| self.components.get(n)) {
                Some(next) => current = next,
                None => break,
            }
        }
        let (properties, required, all_of) = match &s.schema_kind {
            SchemaKind::Type(Type::Object(ot)) => {
                if let Some(AdditionalProperties::Schema(_)) = &ot.additional_properties {
                    merged.additional = ot.additional_properties.clone();
                }
                (&ot.properties, &ot.required, &[][..])
            }
            SchemaKind::AllOf { all_of } => (&IndexMap::new(), &Vec::new(), &all_of[..]),
            SchemaKind::Any(any) if any.one_of.is_empty() && any.any_of.is_empty() => {
                (&any.properties, &any.required, &any.all_of[..])
            }
            _ => return Err("it is not an object".into()),
        };
        for (k, v) in properties {
            merged.properties.insert(k.clone(), v.clone());
            merged.origins.insert(k.clone(), format!("{base}/properties/{}", escape_token(k)));
        }
        merged.required.extend(required.iter().cloned());
        for (i, m) in all_of.iter().enumerate() {
            self.collect_object(m, format!("{base}/allOf/{i}"), merged, depth + 1)?;
        }
        Ok(())
    }

    /// Schemas `openapiv3` could not put in one `type` (mixed keywords, missing `type`, ...).
    fn any(&mut self, any: &AnySchema, s: &Schema, site: &Site<'_>) -> Shape {
        if !any.all_of.is_empty() {
            return self.all_of(&any.all_of, &any.properties, &any.required, site);
        }
        if !any.one_of.is_empty() {
            return self.union(&any.one_of, s, site, "oneOf");
        }
        if !any.any_of.is_empty() {
            return self.union(&any.any_of, s, site, "anyOf");
        }
        if any.not.is_some() {
            return Shape::Use(self.fallback(site.pointer, "`not` schemas have no Rust type"));
        }
        if !any.properties.is_empty() || any.typ.as_deref() == Some("object") {
            let none = HashMap::new();
            return self.object(&any.properties, &any.required, any.additional_properties.as_ref(), site, &none);
        }
        if !any.enumeration.is_empty() {
            let strings: Vec<String> = any.enumeration.iter().filter_map(|v| v.as_str().map(String::from)).collect();
            let non_null = any.enumeration.iter().filter(|v| !v.is_null()).count();
            if !strings.is_empty() && strings.len() == non_null {
                return Shape::Define(enum_kind(strings));
            }
        }
        match any.typ.as_deref() {
            Some("string") if any.format.as_deref() == Some("binary") => Shape::Use(Ty::Bytes),
            Some("string") => Shape::Use(Ty::String),
            Some("integer") if any.format.as_deref() == Some("int32") => Shape::Use(Ty::Int32),
            Some("integer") => Shape::Use(Ty::Integer),
            Some("number") => Shape::Use(Ty::Number),
            Some("boolean") => Shape::Use(Ty::Boolean),
            Some("array") => Shape::Use(self.list(any.items.as_ref(), site)),
            // No type and no constraints: any JSON value, which is exactly what the spec says.
            None => Shape::Use(Ty::Any),
            Some(other) => Shape::Use(self.fallback(site.pointer, format!("unknown type {other:?}"))),
        }
    }
}

fn enum_kind(values: Vec<String>) -> TypeKind {
    let mut seen = std::collections::HashSet::new();
    let values = values
        .into_iter()
        .filter(|v| seen.insert(v.clone()))
        .map(|value| EnumValue { value, rust_name: String::new() })
        .collect();
    TypeKind::Enum { values }
}

pub fn schema_nullable(s: &Schema) -> bool {
    if s.schema_data.nullable {
        return true;
    }
    match &s.schema_kind {
        SchemaKind::Type(Type::String(st)) => st.enumeration.iter().any(Option::is_none),
        SchemaKind::Type(Type::Integer(it)) => it.enumeration.iter().any(Option::is_none),
        SchemaKind::OneOf { one_of: m } | SchemaKind::AnyOf { any_of: m } => {
            m.iter().any(|x| matches!(x, ReferenceOr::Item(s) if is_null_only(s)))
        }
        SchemaKind::Any(a) => {
            a.enumeration.iter().any(|v| v.is_null())
                || a.one_of.iter().chain(&a.any_of).any(|x| matches!(x, ReferenceOr::Item(s) if is_null_only(s)))
        }
        _ => false,
    }
}

/// `{nullable: true}` alone: what `type: 'null'` normalises to.
fn is_null_only(s: &Schema) -> bool {
    s.schema_data.nullable
        && matches!(&s.schema_kind, SchemaKind::Any(a) if a.typ.is_none() && a.properties.is_empty()
            && a.one_of.is_empty() && a.any_of.is_empty() && a.all_of.is_empty() && a.enumeration.is_empty()
            && a.items.is_none())
}

fn variant_hint(s: &Schema, index: usize) -> String {
    if let Some(title) = &s.schema_data.title {
        return title.clone();
    }
    match &s.schema_kind {
        SchemaKind::Type(Type::String(st)) if st.enumeration.len() == 1 => {
            st.enumeration[0].clone().unwrap_or_else(|| "String".into())
        }
        SchemaKind::Type(Type::String(_)) => "String".into(),
        SchemaKind::Type(Type::Integer(_)) => "Integer".into(),
        SchemaKind::Type(Type::Number(_)) => "Number".into(),
        SchemaKind::Type(Type::Boolean(_)) => "Boolean".into(),
        SchemaKind::Type(Type::Array(_)) => "List".into(),
        // An object of one property is named after it (`{contains: ..}` is `Contains`).
        SchemaKind::Type(Type::Object(o)) if o.properties.len() == 1 => {
            o.properties.keys().next().cloned().unwrap_or_default()
        }
        SchemaKind::Any(a) if a.properties.len() == 1 && a.all_of.is_empty() => {
            a.properties.keys().next().cloned().unwrap_or_default()
        }
        SchemaKind::Type(Type::Object(_)) => format!("Object{}", index + 1),
        // A `$ref` with notes beside it (wrapped in `allOf`) is named after its target.
        SchemaKind::AllOf { all_of: m } | SchemaKind::Any(AnySchema { all_of: m, .. }) if m.len() == 1 => match &m[0] {
            ReferenceOr::Reference { reference } => reference.rsplit('/').next().unwrap_or_default().to_string(),
            ReferenceOr::Item(inner) => variant_hint(inner, index),
        },
        _ => format!("Variant{}", index + 1),
    }
}

/// Marks the fields that must be boxed: a field holding (not through a list or map) a type that
/// leads back to its own struct.
/// Component aliases that reach themselves through aliases alone (a Rust type alias cannot
/// refer to itself), one per cycle, with the cycle spelled out.
pub fn alias_cycles(types: &[TypeDef]) -> Vec<(TypeId, String)> {
    fn aliases_in(ty: &Ty, types: &[TypeDef], out: &mut Vec<TypeId>) {
        ty.named(&mut |id| {
            if matches!(types[id].kind, TypeKind::Alias { .. }) {
                out.push(id)
            }
        });
    }
    let mut out = Vec::new();
    let mut done = vec![false; types.len()];
    for start in 0..types.len() {
        let TypeKind::Alias { ty } = &types[start].kind else { continue };
        if done[start] {
            continue;
        }
        // Depth-first over alias edges, looking for a way back to `start`.
        let mut stack: Vec<(TypeId, Vec<TypeId>)> = Vec::new();
        let mut next = Vec::new();
        aliases_in(ty, types, &mut next);
        stack.extend(next.into_iter().map(|id| (id, vec![start, id])));
        let mut seen = std::collections::HashSet::new();
        while let Some((id, path)) = stack.pop() {
            if id == start {
                let chain: Vec<String> = path.iter().map(|i| types[*i].pointer.clone()).collect();
                path.iter().for_each(|i| done[*i] = true);
                out.push((start, chain.join(" -> ")));
                break;
            }
            if !seen.insert(id) {
                continue;
            }
            if let TypeKind::Alias { ty } = &types[id].kind {
                let mut next = Vec::new();
                aliases_in(ty, types, &mut next);
                stack.extend(next.into_iter().map(|n| {
                    let mut p = path.clone();
                    p.push(n);
                    (n, p)
                }));
            }
        }
    }
    out
}

pub fn break_cycles(types: &mut [TypeDef]) {
    fn direct(ty: &Ty, out: &mut Vec<TypeId>) {
        match ty {
            Ty::Named(id) => out.push(*id),
            Ty::Nullable(t) => direct(t, out),
            _ => {}
        }
    }
    let edges: Vec<Vec<TypeId>> = types
        .iter()
        .map(|t| {
            let mut out = Vec::new();
            t.kind.each_ty(&mut |ty| direct(ty, &mut out));
            out
        })
        .collect();
    let component = strongly_connected(&edges);
    let mut to_box: Vec<(TypeId, usize)> = Vec::new();
    for (id, t) in types.iter().enumerate() {
        if let TypeKind::Struct { fields, .. } = &t.kind {
            for (i, f) in fields.iter().enumerate() {
                let mut targets = Vec::new();
                direct(&f.ty, &mut targets);
                if targets.iter().any(|&target| component[target] == component[id]) {
                    to_box.push((id, i));
                }
            }
        }
    }
    for (id, i) in to_box {
        if let TypeKind::Struct { fields, .. } = &mut types[id].kind {
            fields[i].boxed = true;
        }
    }
}

/// Kosaraju's algorithm, iterative: the strongly connected component of every node.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut order = Vec::with_capacity(n);
    let mut seen = vec![false; n];
    for start in 0..n {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        let mut stack = vec![(start, 0usize)];
        while let Some((node, next)) = stack.pop() {
            if let Some(&child) = edges[node].get(next) {
                stack.push((node, next + 1));
                if !seen[child] {
                    seen[child] = true;
                    stack.push((child, 0));
                }
            } else {
                order.push(node);
            }
        }
    }
    let mut reverse = vec![Vec::new(); n];
    for (from, tos) in edges.iter().enumerate() {
        for &to in tos {
            reverse[to].push(from);
        }
    }
    let mut component = vec![usize::MAX; n];
    for (c, &root) in order.iter().rev().enumerate() {
        if component[root] != usize::MAX {
            continue;
        }
        component[root] = c;
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            for &prev in &reverse[node] {
                if component[prev] == usize::MAX {
                    component[prev] = c;
                    stack.push(prev);
                }
            }
        }
    }
    component
}
