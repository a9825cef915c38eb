//! The intermediate representation: what the API is, in plain Rust data, independent of both
//! the OpenAPI document it came from and the Rust code it becomes. `cargo xtask ir` prints it.
//!
//! Built in two steps: [`build`] turns the parsed spec into operations and a type space (with
//! raw name hints), then [`naming`] resolves every Rust identifier once.

pub mod build;
pub mod calls;
pub mod crates;
pub mod directions;
pub mod features;
pub mod idempotency;
pub mod naming;
pub mod schema;

use serde::Serialize;

/// Index of a [`TypeDef`] in [`Api::types`].
pub type TypeId = usize;

#[derive(Debug, Clone, Serialize)]
pub struct Api {
    pub title: String,
    pub version: String,
    /// The first server URL, the default base URL of the client.
    pub base_url: String,
    /// Every operation, sorted by path then method.
    pub operations: Vec<Operation>,
    /// Every named type: component schemas first, in spec order, then inline ones.
    pub types: Vec<TypeDef>,
    pub webhooks: Vec<Webhook>,
    /// Places where the generator could not give a precise type and used JSON or bytes instead.
    pub fallbacks: Vec<Fallback>,
    /// Schemas the generator could not read, generated as `serde_json::Value` (lenient mode).
    pub degraded: Vec<Fallback>,
    /// Schemas and responses that carry an `example`, with the type it must decode into.
    pub examples: Vec<ExampleSite>,
    /// Properties the client requires where the spec leaves them optional, as (schema pointer,
    /// property): the `data` of an object that holds only `data`, and a webhook event's `data`
    /// and the `payload` in it, which the API always sends (set by [`build`] and [`calls`]).
    pub required_beyond_spec: Vec<(String, String)>,
    /// The cargo features and the types each one needs (set after [`naming`]).
    #[serde(skip)]
    pub features: features::FeaturePlan,
    /// Which way each type travels, so which serde impls it gets (set with `features`).
    #[serde(skip)]
    pub directions: directions::Directions,
    /// How many operations are named by the names file rather than by the rules.
    pub names_from_file: usize,
}

/// An `example` in the spec: the JSON pointer of the object holding it (a schema, or a media
/// type of a response) and the type its value decodes into.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExampleSite {
    pub pointer: String,
    pub ty: Ty,
}

#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    pub operation_id: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// The path template as the spec writes it.
    pub path: String,
    /// Chain of Rust resource accessor names, e.g. `["bundle_pricing", "billing_bundles"]`.
    pub resource: Vec<String>,
    /// The Rust method name on the innermost resource.
    pub name: String,
    /// Whether the reviewed names file names it (set by [`naming`]).
    #[serde(skip)]
    pub named_by_file: bool,
    /// Rust name of the params struct (query, header and body inputs); empty when there are none.
    pub params_type: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub tags: Vec<String>,
    /// Path parameters, in the order they appear in the path.
    pub path_params: Vec<Param>,
    pub query_params: Vec<Param>,
    pub header_params: Vec<Param>,
    pub body: Option<RequestBody>,
    /// What a successful call returns.
    pub success: Response,
    /// A 2xx response can also be a `text/event-stream` (the client then asks for it with
    /// `Accept`, through a second method).
    pub event_stream: bool,
    /// Every declared response, for reference.
    pub responses: Vec<ResponseInfo>,
    pub pagination: Option<Pagination>,
    /// The idempotency token the request carries, if the spec gives it one.
    pub idempotency: Option<idempotency::Token>,
    /// The server the operation goes to when it is not the spec's first (a path- or
    /// operation-level `servers` entry, variables at their defaults); `None` for the default.
    pub server: Option<String>,
    /// Set when the call opens a WebSocket session (a `101` response, or a `ws(s)://` server)
    /// instead of answering once; its frames then are not [`Operation::body`] nor
    /// [`Operation::success`].
    pub websocket: Option<WebSocket>,
    /// JSON pointer of the operation in the spec.
    pub pointer: String,
    /// How the operation is called (set after naming, see [`calls`]).
    pub call: calls::CallShape,
}

/// The frames of a WebSocket session, each way.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WebSocket {
    /// What the client sends: the operation's request body, or the client's members of a
    /// `101` schema that holds both directions.
    pub send: Frame,
    /// What the server sends: the `101` response's schema (or its server members).
    pub receive: Frame,
}

/// One direction of a WebSocket session.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Frame {
    /// Binary frames of raw bytes (audio).
    Binary,
    /// Text frames the crate does not type.
    Text,
    /// Text frames of JSON, each a `ty`.
    Json { ty: Ty },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamStyle {
    Simple,
    Form,
    DeepObject,
    SpaceDelimited,
    PipeDelimited,
}

#[derive(Debug, Clone, Serialize)]
pub struct Param {
    /// The name on the wire.
    pub name: String,
    /// The Rust field or argument name.
    pub rust_name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub style: ParamStyle,
    pub explode: bool,
    pub ty: Ty,
    pub description: Option<String>,
    pub deprecated: bool,
    /// The spec's example value (of the parameter, else of its schema): the value the
    /// operation's doc example passes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyEncoding {
    Json,
    Form,
    Multipart,
    Binary,
    Text,
}

impl BodyEncoding {
    pub fn name(self) -> &'static str {
        match self {
            BodyEncoding::Json => "Json",
            BodyEncoding::Form => "Form",
            BodyEncoding::Multipart => "Multipart",
            BodyEncoding::Binary => "Binary",
            BodyEncoding::Text => "Text",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RequestBody {
    pub required: bool,
    /// The media type the client sends.
    pub media_type: String,
    pub encoding: BodyEncoding,
    pub ty: Ty,
    /// Other media types the spec accepts for this body (not used by the client).
    pub alternatives: Vec<String>,
    pub description: Option<String>,
    /// The spec's example of the whole body (its media type's `example`, else the first of
    /// its `examples`, else its schema's `example`): where the doc example takes its values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Response {
    /// No body (204, or a 2xx without content).
    Empty,
    /// A JSON body decoded into `ty`.
    Json { ty: Ty },
    /// Raw bytes: PDF, WAV, CSV, images and anything else that is not JSON.
    Bytes { media_type: String },
    /// Text (plain, HTML).
    Text { media_type: String },
    /// A `text/event-stream` of server-sent events.
    EventStream,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResponseInfo {
    pub status: String,
    pub media_types: Vec<String>,
}

/// How a list operation pages: which input moves to the next page, and where the response
/// keeps its items and the facts that say whether another page exists.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pagination {
    pub style: PaginationStyle,
    /// The query parameters (as sent on the wire) that drive paging, for docs.
    pub params: Vec<String>,
    /// The inputs the client sets to ask for the next page: the page number or the cursor
    /// (for [`PaginationStyle::NextUri`], every paging input found in the link).
    pub inputs: Vec<PageInput>,
    /// The item list in the response; empty when the response is the list itself.
    pub items: Vec<FieldRef>,
    pub item_ty: Ty,
    pub page_number: Option<Vec<FieldRef>>,
    pub total_pages: Option<Vec<FieldRef>>,
    pub total_items: Option<Vec<FieldRef>>,
    pub next_cursor: Option<Vec<FieldRef>>,
    pub has_more: Option<Vec<FieldRef>>,
    pub next_uri: Option<Vec<FieldRef>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PaginationStyle {
    /// A page number that counts up (`page[number]`, `page`, `page_number`).
    PageNumber,
    /// An opaque cursor the response hands back (`page[after]`, `page_cursor`, `cursor`).
    Cursor,
    /// A link to the next page whose query carries the paging inputs (TeXML `next_page_uri`).
    NextUri,
}

/// One paging input: a query parameter, or a property of an object query parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageInput {
    /// The name on the wire, e.g. `page[number]` or `PageToken`.
    pub wire: String,
    /// Index in [`Operation::query_params`].
    pub param: usize,
    /// The property inside the parameter's object type, for `page[number]`-style inputs.
    pub field: Option<FieldRef>,
    pub ty: Ty,
}

/// Field `index` of the struct type `owner`; a chain of them is a path into a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FieldRef {
    pub owner: TypeId,
    pub index: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Webhook {
    pub name: String,
    /// The Rust variant name in the event enum (set by [`naming`]).
    pub rust_name: String,
    pub summary: Option<String>,
    /// The event payload.
    pub payload: Option<Ty>,
    /// The `event_type` values (at `data.event_type`, or at the top) that announce this event;
    /// empty when the spec declares none, and the event can only be decoded by its type.
    pub event_types: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Fallback {
    pub pointer: String,
    pub reason: String,
}

/// A type as used in a field, parameter or body.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ty {
    Named(TypeId),
    String,
    Integer,
    /// 32-bit integer (`format: int32`).
    Int32,
    Number,
    Boolean,
    List(Box<Ty>),
    /// String-keyed map.
    Map(Box<Ty>),
    /// Explicitly nullable (used for list items and map values; fields carry their own flag).
    Nullable(Box<Ty>),
    /// Any JSON value.
    Any,
    /// Raw bytes (`format: binary` in bodies and multipart parts).
    Bytes,
    /// Bytes sent as a base64 string in JSON (the audio of WebSocket frames).
    Base64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TypeDef {
    /// This type's index in [`Api::types`], which [`Ty::Named`] refers to.
    pub id: TypeId,
    /// Final Rust name (set by [`naming`]).
    pub name: String,
    /// Raw pieces the name is made of.
    pub hint: Vec<String>,
    /// When set, the type belongs to this operation (index in [`Api::operations`]) and its name
    /// is prefixed with the operation's resource and method names.
    pub owner_op: Option<usize>,
    /// The file module the type is emitted in (set by [`naming`]).
    pub module: Module,
    /// JSON pointer of the schema.
    pub pointer: String,
    pub description: Option<String>,
    pub deprecated: bool,
    pub kind: TypeKind,
    /// How users get a value of it, for a struct (set by [`calls`]).
    #[serde(skip_serializing_if = "is_decoded")]
    pub construct: calls::Construct,
    /// Whether a placeholder value is made for it (`blank()`): the starting value of a builder
    /// or of a call, where each required field is a placeholder until it is set (set by [`calls`]).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub blank: bool,
}

fn is_decoded(c: &calls::Construct) -> bool {
    *c == calls::Construct::Decoded
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Default)]
#[serde(tag = "in", content = "file", rename_all = "snake_case")]
pub enum Module {
    /// `types/<file>.rs` of its crate of types (see [`crates`])
    Types(String),
    /// The resource's own types: `resources/<file>.rs` of the crate of types of its feature,
    /// which the client's `resources/<file>.rs` re-exports
    Resource(String),
    #[default]
    Unassigned,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeKind {
    Struct {
        fields: Vec<Field>,
        additional: Option<Ty>,
    },
    /// A string enum; open (unknown values are kept).
    Enum {
        values: Vec<EnumValue>,
    },
    /// An integer enum; open like string enums.
    IntEnum {
        values: Vec<IntEnumValue>,
    },
    Union {
        variants: Vec<Variant>,
        discriminator: Option<String>,
    },
    Alias {
        ty: Ty,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub name: String,
    pub rust_name: String,
    pub ty: Ty,
    pub required: bool,
    pub nullable: bool,
    /// Set when the field must be boxed to break a cycle.
    pub boxed: bool,
    pub description: Option<String>,
    pub deprecated: bool,
    pub read_only: bool,
    pub write_only: bool,
    /// The spec's example of the property (or of the schema it refers to).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<serde_json::Value>,
    /// The method that sets it on the struct's builder or value, for a struct users build;
    /// empty otherwise (set by [`calls`]).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub setter: String,
    /// The method that sets it to `null`, for an optional, nullable field of such a struct.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub null_setter: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnumValue {
    pub value: String,
    pub rust_name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct IntEnumValue {
    pub value: i64,
    pub rust_name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Variant {
    pub hint: String,
    pub rust_name: String,
    pub ty: Ty,
    /// The discriminator values that select this variant (from the mapping, else the name of
    /// the component it refers to); empty without a discriminator.
    pub tags: Vec<String>,
}

/// What identifies a type across two specs, whatever its name: where it is written, the
/// operation it belongs to (by method and path, path parameter names left out) and its name hint.
pub fn type_key(operations: &[Operation], t: &TypeDef) -> String {
    let owner = t.owner_op.map(|i| &operations[i]).map(|o| format!("{} {}", o.method, path_key(&o.path)));
    format!("#{} | {} | {}", t.pointer, owner.as_deref().unwrap_or("-"), t.hint.join("/"))
}

/// A path with its parameter names blanked: `/calls/{id}` and `/calls/{call_id}` are one path.
pub fn path_key(path: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' => {
                depth += 1;
                out.push_str("{}");
            }
            '}' => depth -= 1,
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    out
}

/// The field a [`FieldRef`] points at, when it points into a struct.
pub fn field_at(types: &[TypeDef], f: FieldRef) -> Option<&Field> {
    match &types.get(f.owner)?.kind {
        TypeKind::Struct { fields, .. } => fields.get(f.index),
        _ => None,
    }
}

/// The type behind any aliases (`type A = B;`).
pub fn resolve_alias<'t>(types: &'t [TypeDef], mut ty: &'t Ty) -> &'t Ty {
    while let Ty::Named(id) = ty {
        match &types[*id].kind {
            TypeKind::Alias { ty: inner } => ty = inner,
            _ => break,
        }
    }
    ty
}

impl Ty {
    /// Visits every named type this type mentions.
    pub fn named(&self, f: &mut impl FnMut(TypeId)) {
        match self {
            Ty::Named(id) => f(*id),
            Ty::List(t) | Ty::Map(t) | Ty::Nullable(t) => t.named(f),
            _ => {}
        }
    }
}

impl TypeKind {
    /// Visits every type used directly by this definition.
    pub fn each_ty(&self, f: &mut impl FnMut(&Ty)) {
        match self {
            TypeKind::Struct { fields, additional } => {
                fields.iter().for_each(|x| f(&x.ty));
                additional.iter().for_each(f);
            }
            TypeKind::Union { variants, .. } => variants.iter().for_each(|v| f(&v.ty)),
            TypeKind::Alias { ty } => f(ty),
            TypeKind::Enum { .. } | TypeKind::IntEnum { .. } => {}
        }
    }
}
