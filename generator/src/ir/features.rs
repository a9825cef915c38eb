//! Cargo features of the client: one per top-level resource, plus `webhooks`, and for each type
//! the features that need it. A feature needs every type its operations (or, for `webhooks`,
//! its event payloads) reach through parameters, bodies, responses, fields and variants; a type
//! compiles when any feature that needs it is on, and exists once whichever features are on.

use super::{Api, Module, Operation, Ty, TypeId};
use std::collections::{BTreeMap, BTreeSet};

/// The feature of the webhook event enum and the verifier.
pub const WEBHOOKS: &str = "webhooks";

/// The feature of the runtime's WebSocket sessions (`runtime/src/websocket.rs`), turned on by the
/// features of the resources that have a WebSocket operation.
pub const WEBSOCKET: &str = "websocket";

/// The feature of the axum extractor of verified webhooks (`src/axum.rs`).
pub const AXUM: &str = "axum";

/// The feature of the test doubles for apps built on the client (`src/test_util.rs`).
pub const TEST_UTIL: &str = "test-util";

/// The feature of calls and paginators without async (`runtime/src/blocking.rs`).
pub const BLOCKING: &str = "blocking";

/// The features for building an app on the client rather than for calling the API: hand-written,
/// in every client, never in `default` nor `full`.
pub const APP_FEATURES: [&str; 3] = [AXUM, BLOCKING, TEST_UTIL];

/// The feature that turns on every resource, `webhooks` and `extra_types`.
pub const FULL: &str = "full";

/// What `default` turns on: the two APIs most Telnyx apps call, the Messaging API (`messages`:
/// send an SMS or MMS) and the Voice API's Call Control (`calls`: dial, answer, speak, gather,
/// transfer, hang up), the two that quickstarts start with. Everything else is one
/// feature away, `webhooks` and the numbers' resources first; docs/compile-cost.md has why this
/// set and what each feature adds to a build.
pub const DEFAULT: &[&str] = &["calls", "messages"];

/// The features `default` lists: those of [`DEFAULT`] the spec has; for a spec that has none of
/// them (not Telnyx's: a test fixture), every feature `full` lists.
pub fn default_features(plan: &FeaturePlan) -> Vec<&str> {
    let chosen: Vec<&str> = plan.features.iter().map(String::as_str).filter(|f| DEFAULT.contains(f)).collect();
    if chosen.is_empty() {
        return full_features(plan);
    }
    chosen
}

/// The features `full` lists: every one but [`WEBSOCKET`], which the resources that stream turn
/// on (so a spec without them does not compile the WebSocket crates), and the [`APP_FEATURES`]
/// (the whole API is not a web framework's extractor nor test doubles).
pub fn full_features(plan: &FeaturePlan) -> Vec<&str> {
    plan.features.iter().map(String::as_str).filter(|f| *f != WEBSOCKET && !APP_FEATURES.contains(f)).collect()
}

/// What a runtime feature turns on: its optional crates (`dep:`), or the runtime crate's
/// feature. A build without the feature does not compile them.
pub fn runtime_feature(feature: &str) -> &'static [&'static str] {
    match feature {
        // The signature verifier (`src/webhooks.rs`).
        WEBHOOKS => &["dep:ed25519-dalek", "dep:base64", "dep:thiserror", "dep:tracing"],
        // The sessions (`runtime/src/websocket.rs`).
        WEBSOCKET => &["telnyx-runtime/websocket"],
        // The runtime's own scheduler for the calls waited for (`runtime/src/blocking.rs`).
        BLOCKING => &["telnyx-runtime/blocking"],
        // The extractor checks signatures with the verifier.
        AXUM => &[WEBHOOKS, "dep:axum-core", "dep:http"],
        // A mocked answer is a typed value encoded as the server would send it, and a request's
        // body decodes into its typed inputs: every type needs both serde impls. Paths and
        // queries are decoded with the runtime's crates.
        TEST_UTIL => &[super::directions::ROUND_TRIP, "dep:http", "dep:percent-encoding", "dep:form_urlencoded"],
        _ => &[],
    }
}

/// The feature of operations that have no resource (none in the Telnyx spec today).
pub const ROOT: &str = "root";

/// The feature of component schemas that no operation or webhook uses.
pub const EXTRA_TYPES: &str = "extra_types";

/// Which feature enables what.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeaturePlan {
    /// Every feature, sorted (neither `default` nor `full`, which list others, nor `round_trip`).
    pub features: Vec<String>,
    /// For each type (by id), the features that need it, sorted; [`EXTRA_TYPES`] alone for a
    /// type that no operation or webhook reaches.
    pub of_type: Vec<Vec<String>>,
    /// What each feature turns on besides its own code: crates, and other features.
    pub enables: BTreeMap<String, Vec<String>>,
}

/// The feature of an operation: its top-level resource.
pub fn of_operation(op: &Operation) -> &str {
    op.resource.first().map(String::as_str).unwrap_or(ROOT)
}

/// The types an operation names directly: parameters, body, response and page items.
pub fn operation_roots(op: &Operation, mut f: impl FnMut(TypeId)) {
    operation_roots_by_direction(op, |id, _sent| f(id));
}

/// [`operation_roots`], each with whether the client sends it (`true`: a parameter, the body, a
/// frame it writes, a page input) or receives it (`false`: the response, a frame it reads, the
/// page items).
pub fn operation_roots_by_direction(op: &Operation, mut f: impl FnMut(TypeId, bool)) {
    let mut sent = |id| f(id, true);
    let params = op.path_params.iter().chain(&op.query_params).chain(&op.header_params);
    params.for_each(|p| p.ty.named(&mut sent));
    if let Some(b) = &op.body {
        b.ty.named(&mut sent);
    }
    if let Some(ws) = &op.websocket {
        if let super::Frame::Json { ty } = &ws.send {
            ty.named(&mut sent);
        }
    }
    if let Some(p) = &op.pagination {
        p.inputs.iter().for_each(|i| i.ty.named(&mut sent));
    }
    let mut received = |id| f(id, false);
    if let super::Response::Json { ty } = &op.success {
        ty.named(&mut received);
    }
    if let Some(ws) = &op.websocket {
        if let super::Frame::Json { ty } = &ws.receive {
            ty.named(&mut received);
        }
    }
    if let Some(p) = &op.pagination {
        p.item_ty.named(&mut received);
    }
}

/// Every type reachable from `roots` through fields, variants and aliases, where reaching a
/// type of a `types/` file reaches every type of that file (a file compiles whole, so all it
/// names must compile too).
fn closure(
    api: &Api,
    roots: impl IntoIterator<Item = TypeId>,
    files: &BTreeMap<&str, Vec<TypeId>>,
) -> BTreeSet<TypeId> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<TypeId> = roots.into_iter().collect();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        let def = &api.types[id];
        def.kind.each_ty(&mut |t: &Ty| t.named(&mut |n| stack.push(n)));
        if let Module::Types(file) = &def.module {
            stack.extend(files.get(file.as_str()).into_iter().flatten().copied());
        }
    }
    seen
}

/// Computes the plan. Types emitted in a resource's own file belong to that resource; a type
/// of one resource's file that another feature reached would not compile without the first
/// feature, so that is reported as an error (a naming bug, not a spec problem).
pub fn plan(api: &Api) -> Result<FeaturePlan, String> {
    let mut roots: BTreeMap<String, Vec<TypeId>> = BTreeMap::new();
    for op in &api.operations {
        let ids = roots.entry(of_operation(op).to_string()).or_default();
        operation_roots(op, |id| ids.push(id));
    }
    for def in &api.types {
        if let Module::Resource(file) = &def.module {
            roots.entry(file.clone()).or_default().push(def.id);
        }
    }
    let hooks = roots.entry(WEBHOOKS.to_string()).or_default();
    for w in &api.webhooks {
        if let Some(t) = &w.payload {
            t.named(&mut |id| hooks.push(id));
        }
    }
    let mut files: BTreeMap<&str, Vec<TypeId>> = BTreeMap::new();
    for def in &api.types {
        if let Module::Types(file) = &def.module {
            files.entry(file).or_default().push(def.id);
        }
    }
    let mut of_type: Vec<BTreeSet<String>> = vec![BTreeSet::new(); api.types.len()];
    for (feature, ids) in &roots {
        for id in closure(api, ids.iter().copied(), &files) {
            if let Module::Resource(file) = &api.types[id].module {
                if file != feature {
                    return Err(format!(
                        "type `{}` ({}) lives in resource `{file}` but feature `{feature}` needs it",
                        api.types[id].name, api.types[id].pointer
                    ));
                }
            }
            of_type[id].insert(feature.clone());
        }
    }
    let mut features: BTreeSet<String> = roots.into_keys().collect();
    // The types nothing needs are `extra_types`'s, and so is every type they name: with
    // `extra_types` alone they compile, and a type needs at least the features of the types
    // that name it (which `ir::crates` relies on).
    let unused: Vec<TypeId> = (0..of_type.len()).filter(|&id| of_type[id].is_empty()).collect();
    if !unused.is_empty() {
        features.insert(EXTRA_TYPES.to_string());
        for id in closure(api, unused, &files) {
            of_type[id].insert(EXTRA_TYPES.to_string());
        }
    }
    let mut enables: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for op in api.operations.iter().filter(|op| op.websocket.is_some()) {
        let list = enables.entry(of_operation(op).to_string()).or_default();
        if list.is_empty() {
            list.push(WEBSOCKET.to_string());
        }
    }
    // The runtime names it whatever the spec has, like `webhooks`; it is on when a resource
    // that streams is (see `in_default`).
    features.insert(WEBSOCKET.to_string());
    features.extend(APP_FEATURES.iter().map(|f| f.to_string()));
    for f in &features {
        let runtime = runtime_feature(f);
        if !runtime.is_empty() {
            enables.entry(f.clone()).or_default().extend(runtime.iter().map(|s| s.to_string()));
        }
    }
    Ok(FeaturePlan {
        features: features.into_iter().collect(),
        of_type: of_type.into_iter().map(|s| s.into_iter().collect()).collect(),
        enables,
    })
}
