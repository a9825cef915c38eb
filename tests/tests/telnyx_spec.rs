//! The whole, real Telnyx spec: every operation generated, deterministically, and the
//! committed client up to date. Reads the spec as codegen does (`TELNYX_SPEC`, `specs/telnyx/`,
//! `../shared`).

use std::path::{Path, PathBuf};
use workspace_tests::{pinned_spec as spec, root};

/// The names file the committed client is generated with.
fn names() -> PathBuf {
    root().join("specs/telnyx.names")
}

/// The pinned spec generated as `cargo xtask codegen` does it.
fn generate_pinned(spec: &Path) -> generator::Generated {
    let names = names();
    generator::generate_with(spec, generator::Options { names: Some(&names), ..Default::default() })
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn whole_spec_generates_every_operation_deterministically() {
    let spec = spec();
    let first = generate_pinned(&spec);
    let api = &first.api;
    assert_eq!(api.operations.len(), 1156, "every operation of the spec is generated");
    assert_eq!(api.webhooks.len(), 66);
    assert!(api.types.len() >= 1875, "every component schema is a type");

    // Every operation has a resource chain and a method name, unique per resource.
    let mut seen = std::collections::HashSet::new();
    for op in &api.operations {
        assert!(!op.resource.is_empty() && !op.name.is_empty(), "{} {} has no name", op.method, op.path);
        assert!(seen.insert((op.resource.clone(), op.name.clone())), "{:?}.{} is used twice", op.resource, op.name);
    }
    // The duplicated operationId becomes two distinct methods.
    let dup: Vec<_> = api.operations.iter().filter(|o| o.operation_id == "ListPhoneNumbers").collect();
    assert_eq!(dup.len(), 2);
    assert_ne!((&dup[0].resource, &dup[0].name), (&dup[1].resource, &dup[1].name));

    let second = generate_pinned(&spec);
    assert!(
        first.files == second.files && first.test_files == second.test_files,
        "two runs on the same spec give byte-identical output"
    );
    // Official names: the calls of Telnyx's docs read the same here.
    let named = |method: &str, path: &str| {
        let op = api.operations.iter().find(|o| o.method == method && o.path == path).expect("the operation");
        format!("{}.{}", op.resource.join("."), op.name)
    };
    assert_eq!(named("POST", "/calls"), "calls.dial");
    assert_eq!(named("POST", "/messages"), "messages.send");
    assert_eq!(named("POST", "/calls/{call_control_id}/actions/playback_start"), "calls.actions.start_playback");
    assert_eq!(named("GET", "/10dlc/brand/feedback/{brandId}"), "messaging_10dlc.brand.get_feedback");
    assert_eq!(named("POST", "/room_sessions/{room_session_id}/actions/end"), "rooms.sessions.actions.end");

    let stale = first.stale_sources(&root().join("generated-client"));
    assert!(stale.is_empty(), "the committed client is stale; run `cargo xtask codegen`: {stale:?}");
}

#[test]
fn older_specs_generate_too() {
    // The 2024 and 2025 specs are OpenAPI 3.0; the 2026-06 one is 3.1.
    let history = spec().parent().unwrap().join("history");
    let Ok(entries) = std::fs::read_dir(&history) else { return };
    let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    files.sort();
    assert!(!files.is_empty());
    for f in files {
        let g = generator::generate(&f).unwrap_or_else(|e| panic!("{e}"));
        assert!(g.api.operations.len() > 100, "{}: {}", f.display(), g.summary());
    }
}

/// Every type mentioned by `ty`, and every type those mention, through fields, additional
/// properties, variants and aliases. Written here again, apart from the generator's own walk,
/// so that a mistake in one is not repeated in the other.
fn reach(api: &generator::ir::Api, ty: &generator::ir::Ty, out: &mut std::collections::BTreeSet<usize>) {
    use generator::ir::{Ty, TypeKind};
    match ty {
        Ty::Named(id) => {
            if !out.insert(*id) {
                return;
            }
            match &api.types[*id].kind {
                TypeKind::Struct { fields, additional } => {
                    fields.iter().for_each(|f| reach(api, &f.ty, out));
                    additional.iter().for_each(|t| reach(api, t, out));
                }
                TypeKind::Union { variants, .. } => variants.iter().for_each(|v| reach(api, &v.ty, out)),
                TypeKind::Alias { ty } => reach(api, ty, out),
                TypeKind::Enum { .. } | TypeKind::IntEnum { .. } => {}
            }
        }
        Ty::List(t) | Ty::Map(t) | Ty::Nullable(t) => reach(api, t, out),
        _ => {}
    }
}

#[test]
fn each_feature_enables_every_type_its_operations_reach() {
    use generator::ir::{Module, Response};
    let generated = generate_pinned(&spec());
    let api = &generated.api;
    let plan = &api.features;
    let enabled = |id: usize, feature: &str| plan.of_type[id].iter().any(|f| f == feature);

    let mut checked = 0;
    for op in &api.operations {
        let feature = &op.resource[0];
        assert!(plan.features.contains(feature), "no feature `{feature}` for {} {}", op.method, op.path);
        let mut reached = std::collections::BTreeSet::new();
        let params = op.path_params.iter().chain(&op.query_params).chain(&op.header_params);
        params.for_each(|p| reach(api, &p.ty, &mut reached));
        if let Some(b) = &op.body {
            reach(api, &b.ty, &mut reached);
        }
        if let Response::Json { ty } = &op.success {
            reach(api, ty, &mut reached);
        }
        if let Some(p) = &op.pagination {
            reach(api, &p.item_ty, &mut reached);
        }
        for id in reached {
            let t = &api.types[id];
            assert!(
                enabled(id, feature),
                "{} {} (feature `{feature}`) reaches `{}` ({}), which `{feature}` does not enable",
                op.method,
                op.path,
                t.name,
                t.pointer
            );
            checked += 1;
        }
    }
    for w in &api.webhooks {
        let mut reached = std::collections::BTreeSet::new();
        w.payload.iter().for_each(|t| reach(api, t, &mut reached));
        for id in reached {
            assert!(
                enabled(id, "webhooks"),
                "webhook {} reaches `{}`, which `webhooks` does not enable",
                w.name,
                api.types[id].name
            );
            checked += 1;
        }
    }
    assert!(checked > 5000, "only {checked} type uses checked");

    // A type in a resource's own file is needed by that resource only (the file is gated whole);
    // the types of one `types/` file share their features (the file is gated whole too).
    let mut by_file: std::collections::BTreeMap<&str, &Vec<String>> = Default::default();
    for t in &api.types {
        let features = &plan.of_type[t.id];
        assert!(!features.is_empty(), "`{}` compiles under no feature", t.name);
        match &t.module {
            Module::Resource(file) => assert_eq!(features, &vec![file.clone()], "`{}`", t.name),
            Module::Types(file) => {
                let first = by_file.entry(file).or_insert(features);
                assert_eq!(*first, features, "types of types/{file}.rs need different features");
            }
            Module::Unassigned => {}
        }
    }

    // Publishable: the registry takes at most 300 features; the committed manifest is current.
    assert!(plan.features.len() < 300, "{} features", plan.features.len());
    let manifest_path = root().join("generated-client/Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path).unwrap();
    assert_eq!(generated.manifest(&manifest_path, &manifest).unwrap(), manifest, "run `cargo xtask codegen`");

    // The types' crates: each type's crate holds only its features' groups (or it is the
    // core), and a type names only types of its own crate or of the core.
    use generator::ir::crates;
    for def in api.types.iter().filter(|d| matches!(d.module, Module::Types(_))) {
        let own = crates::of_type(&plan.of_type[def.id]);
        let mut named = std::collections::BTreeSet::new();
        def.kind.each_ty(&mut |t: &generator::ir::Ty| reach(api, t, &mut named));
        for id in named.into_iter().filter(|&id| matches!(api.types[id].module, Module::Types(_))) {
            let theirs = crates::of_type(&plan.of_type[id]);
            assert!(
                theirs == own || theirs == crates::CORE,
                "{} (in {own}) names {} (in {theirs})",
                def.name,
                api.types[id].name
            );
        }
    }
}

/// The client depends on every crate of types, at the client's version (they are published
/// with it), by the path the generator writes them to.
#[test]
fn the_client_depends_on_every_crate_of_types_at_its_version() {
    let manifest = std::fs::read_to_string(root().join("generated-client/Cargo.toml")).unwrap();
    let version = manifest.split("\nversion = \"").nth(1).and_then(|r| r.split('"').next()).expect("a version");
    assert_eq!(version, generator::emit::crates::VERSION, "the crates of types are the client's version");
    for krate in generator::ir::crates::all() {
        let dir = format!("{}/{}/{krate}", generator::GENERATED_DIR, generator::emit::crates::DIR);
        let line = format!("{krate} = {{ version = \"{version}\", path = \"{dir}\" }}");
        assert!(manifest.contains(&line), "the client's manifest lacks `{line}`");
    }
    // Every build compiles all five (empty but for the features that are on).
    let calls = client_crates(&["calls"]);
    assert!(generator::ir::crates::all().all(|k| calls.contains(k)), "{calls:?}");
}

/// The crates a build of the client compiles (normal dependencies), by `cargo tree`.
fn client_crates(features: &[&str]) -> std::collections::BTreeSet<String> {
    let mut cmd = std::process::Command::new(env!("CARGO"));
    cmd.current_dir(root()).args(["tree", "--locked", "-p", "telnyx-sdk", "-e", "normal", "--prefix", "none"]);
    if !features.is_empty() {
        cmd.args(["--no-default-features", "--features", &features.join(",")]);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "cargo tree: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    text.lines().filter_map(|l| l.split_whitespace().next()).map(str::to_string).collect()
}

#[test]
fn only_their_features_compile_the_signature_and_websocket_crates() {
    let default = client_crates(&[]);
    let full = client_crates(&["full"]);
    let calls = client_crates(&["calls"]);
    for (feature, crates) in
        [("webhooks", ["ed25519-dalek", "curve25519-dalek"]), ("speech_to_text", ["tokio-tungstenite", "tungstenite"])]
    {
        let with = client_crates(&[feature]);
        for name in crates {
            assert!(full.contains(name), "`full` lacks {name}");
            assert!(with.contains(name), "`{feature}` lacks {name}");
            assert!(!calls.contains(name), "`calls` alone compiles {name}");
        }
    }
    // The default build (`calls` and `messages`) compiles neither.
    for name in ["ed25519-dalek", "tokio-tungstenite"] {
        assert!(!default.contains(name), "the default build compiles {name}");
    }
    assert!(calls.len() < full.len(), "{} crates with `calls`, {} with `full`", calls.len(), full.len());
}

/// The features for building an app (the axum extractor, blocking calls, the test doubles) add
/// their crates to no other build, `full` included, and `default` lists none of them.
#[test]
fn only_the_app_features_compile_their_crates() {
    let full = client_crates(&["full"]);
    let axum = client_crates(&["axum"]);
    assert!(axum.contains("axum-core"), "`axum` lacks axum-core");
    assert!(axum.contains("ed25519-dalek"), "`axum` does not turn on the verifier");
    assert!(!full.contains("axum-core"), "`full` compiles axum-core");
    // The test doubles and the blocking calls use the runtime's crates (`http`, tokio's
    // multi-threaded scheduler is a feature): they add none to a build.
    let none = client_crates(&["round_trip"]);
    assert_eq!(client_crates(&["test-util"]), none, "`test-util` adds crates");
    assert_eq!(client_crates(&["blocking"]), none, "`blocking` adds crates");
    let manifest = std::fs::read_to_string(root().join("generated-client/Cargo.toml")).unwrap();
    let list = |name: &str| {
        let rest = manifest.split(&format!("\n{name} = [")).nth(1).unwrap_or_else(|| panic!("no `{name}` feature"));
        rest.split(']').next().unwrap().to_string()
    };
    let (default, full) = (list("default"), list("full"));
    assert!(full.contains("\"calls\"") && default.contains("\"calls\""), "the lists are read: {default}");
    for app in ["axum", "blocking", "test-util"] {
        assert!(!default.contains(&format!("\"{app}\"")), "`default` turns on `{app}`");
        assert!(!full.contains(&format!("\"{app}\"")), "`full` turns on `{app}`");
    }
}

/// The last identifier of a type path (`crate::types::Foo` -> `Foo`).
fn last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The generic arguments of a type path's last segment.
fn type_args(ty: &syn::Type) -> Vec<syn::Type> {
    let syn::Type::Path(p) = ty else { return Vec::new() };
    let Some(syn::PathArguments::AngleBracketed(a)) = p.path.segments.last().map(|s| &s.arguments) else {
        return Vec::new();
    };
    a.args.iter().filter_map(|g| if let syn::GenericArgument::Type(t) = g { Some(t.clone()) } else { None }).collect()
}

/// The names `Missing<crate::required::name>` of a state tuple, in order.
fn missing_names(state: &syn::Type) -> Vec<String> {
    let syn::Type::Tuple(t) = state else { return Vec::new() };
    let names = t.elems.iter().filter_map(|e| type_args(e).first().and_then(last_ident));
    names.map(|n| n.trim_start_matches("r#").to_string()).collect()
}

#[test]
fn every_struct_users_build_has_a_method_per_field_and_its_required_ones_checked() {
    use generator::ir::calls::{is_required_input, Construct};
    use generator::ir::TypeKind;
    use std::collections::{BTreeSet, HashMap};
    // Read back from the generated sources, not from the generator's IR: what a user gets.
    let generated = generate_pinned(&spec());
    let api = &generated.api;
    // Methods by the type they are on (`X`, or `Builder<X>` as "builder X"); builders' states.
    let mut methods: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut states: HashMap<String, Vec<String>> = HashMap::new();
    let mut non_exhaustive: BTreeSet<String> = BTreeSet::new();
    for file in generated.files.iter().filter(|f| f.path.ends_with(".rs")) {
        let parsed = syn::parse_file(&file.contents).unwrap_or_else(|e| panic!("{}: {e}", file.path));
        for item in &parsed.items {
            match item {
                syn::Item::Struct(s) if s.attrs.iter().any(|a| a.path().is_ident("non_exhaustive")) => {
                    non_exhaustive.insert(s.ident.to_string());
                }
                syn::Item::Impl(imp) if imp.trait_.is_none() => {
                    let Some(owner) = last_ident(&imp.self_ty) else { continue };
                    let key = match owner.as_str() {
                        "Builder" => format!(
                            "builder {}",
                            type_args(&imp.self_ty).first().and_then(last_ident).unwrap_or_default()
                        ),
                        _ => owner,
                    };
                    for member in &imp.items {
                        let syn::ImplItem::Fn(f) = member else { continue };
                        let name = f.sig.ident.to_string().trim_start_matches("r#").to_string();
                        if name == "builder" {
                            if let syn::ReturnType::Type(_, ret) = &f.sig.output {
                                let state = type_args(ret).get(1).map(missing_names).unwrap_or_default();
                                states.insert(format!("builder {key}"), state);
                            }
                        }
                        methods.entry(key.clone()).or_default().insert(name);
                    }
                }
                _ => {}
            }
        }
    }
    let (mut by_default, mut by_builder, mut decoded) = (0, 0, 0);
    for def in &api.types {
        let TypeKind::Struct { fields, .. } = &def.kind else { continue };
        if generator::ir::calls::wraps_data(def) {
            continue; // `telnyx::Data<T>`
        }
        let name = &def.name;
        assert!(non_exhaustive.contains(name), "{name} can be built with a literal: a new field would break it");
        let setters: BTreeSet<String> =
            fields.iter().filter(|f| !f.read_only).map(|f| f.setter.trim_start_matches("r#").to_string()).collect();
        let have = |key: &str| methods.get(key).cloned().unwrap_or_default();
        match def.construct {
            Construct::Default => {
                by_default += 1;
                let on_value = have(name);
                let missing: Vec<_> = setters.difference(&on_value).collect();
                assert!(missing.is_empty(), "{name}::default() lacks methods {missing:?}");
            }
            Construct::Builder => {
                by_builder += 1;
                let key = format!("builder {name}");
                let on_builder = have(&key);
                let missing: Vec<_> = setters.difference(&on_builder).collect();
                assert!(missing.is_empty(), "{name}::builder() lacks methods {missing:?}");
                let required: Vec<String> = fields
                    .iter()
                    .filter(|f| is_required_input(f, &api.types))
                    .map(|f| f.setter.trim_start_matches("r#").to_string())
                    .collect();
                assert_eq!(states.get(&key), Some(&required), "{name}::builder() checks its required fields");
            }
            Construct::Decoded => decoded += 1,
        }
    }
    println!("structs: {by_default} built from default(), {by_builder} with a builder, {decoded} only decoded");
    assert!(by_default > 300 && by_builder > 100 && decoded > 1000, "{by_default}, {by_builder}, {decoded}");
}

/// The history specs, oldest first, then the pinned one: each generated after the one before as
/// `cargo xtask update-spec` does it, keeping the type and operation names of the previous
/// client. Every operation of both keeps its method; every type whose schema did not change
/// keeps its name, unless the operation it is named after was renamed.
#[test]
fn names_are_stable_across_the_published_specs() {
    let history = root().join("../shared/specs/telnyx/history");
    let mut specs: Vec<PathBuf> = ["2024-01-10.yml", "2025-08-27.yml", "2026-06-30.yml"]
        .iter()
        .map(|f| history.join(f))
        .filter(|p| p.is_file())
        .collect();
    assert!(specs.len() == 3, "the history specs are in {}", history.display());
    specs.push(spec());
    let names = names();
    let options = generator::Options { names: Some(&names), names_skip_missing: true, ..Default::default() };
    let mut previous: Option<(generator::ir::Api, serde_json::Value)> = None;
    let (mut checked, mut operations_checked, mut displaced) = (0, 0, 0);
    for spec in &specs {
        let by_rule = generator::build_ir_with(spec, options).unwrap_or_else(|e| panic!("{e}"));
        let doc = normalized(spec);
        let api = match &previous {
            None => by_rule,
            Some((old, _)) => {
                let (kept, methods) =
                    generator::kept_names(old, spec, options, Path::new("telnyx.types"), Path::new("telnyx.methods"))
                        .unwrap_or_else(|e| panic!("{e}"));
                let options =
                    generator::Options { type_names: Some(&kept), kept_operations: Some(&methods), ..options };
                generator::build_ir_with(spec, options).unwrap_or_else(|e| panic!("{e}"))
            }
        };
        if let Some((old, old_doc)) = &previous {
            // Every operation of both specs keeps its method, whatever came or went beside it. (A
            // reviewed name of `specs/telnyx.names` is a person's choice, and wins.)
            // A method whose name a new sub-resource took has to move (`text_to_speech.speech`
            // became a resource when `GET /text-to-speech/speech` came).
            let name = |o: &generator::ir::Operation| format!("{}.{}", o.resource.join("."), o.name);
            let chains: std::collections::HashSet<String> =
                api.operations.iter().flat_map(|o| (1..=o.resource.len()).map(|i| o.resource[..i].join("."))).collect();
            let mut moved = Vec::new();
            for o in &api.operations {
                let Some(was) = generator::ir::naming::counterpart(old, o) else { continue };
                operations_checked += 1;
                if name(was) == name(o) || o.named_by_file {
                    continue;
                }
                match chains.contains(&name(was)) {
                    true => displaced += 1,
                    false => moved.push(format!("{} {}: {} -> {}", o.method, o.path, name(was), name(o))),
                }
            }
            assert!(moved.is_empty(), "{}: methods renamed:\n{}", spec.display(), moved.join("\n"));
            let call = |api: &generator::ir::Api, t: &generator::ir::TypeDef| {
                t.owner_op.map(|i| (api.operations[i].resource.clone(), api.operations[i].name.clone()))
            };
            let now: std::collections::HashMap<String, &generator::ir::TypeDef> =
                api.types.iter().map(|t| (generator::ir::type_key(&api.operations, t), t)).collect();
            let mut renamed = Vec::new();
            for t in &old.types {
                let Some(n) = now.get(&generator::ir::type_key(&old.operations, t)) else { continue };
                let same_schema =
                    old_doc.pointer(&t.pointer).is_some() && old_doc.pointer(&t.pointer) == doc.pointer(&n.pointer);
                if !same_schema || call(old, t) != call(&api, n) {
                    continue;
                }
                checked += 1;
                if t.name != n.name {
                    renamed.push(format!("{} -> {} ({})", t.name, n.name, t.pointer));
                }
            }
            assert!(renamed.is_empty(), "{}: unchanged schemas renamed:\n{}", spec.display(), renamed.join("\n"));
        }
        previous = Some((api, doc));
    }
    println!(
        "stable names: {checked} types and {operations_checked} operations kept across the published specs \
         ({displaced} methods moved where a new sub-resource took their name)"
    );
    assert!(checked > 5000, "types checked: {checked}");
    assert!(operations_checked > 1000, "operations checked: {operations_checked}");
}

/// The spec as the generator reads it (3.0 forms, webhooks back in place), for JSON pointers.
fn normalized(spec: &Path) -> serde_json::Value {
    let raw = generator::load::load(spec).unwrap_or_else(|e| panic!("{e}"));
    let n = generator::normalize::normalize(spec, raw).unwrap_or_else(|e| panic!("{e}"));
    let mut doc = n.document;
    doc["webhooks"] = n.webhooks;
    doc
}

/// Diff locality: a change to one schema of the pinned spec regenerates that schema's file and
/// nothing else (other files name the type, and its name does not change).
#[test]
fn a_change_to_one_schema_changes_one_file() {
    let spec = spec();
    let base = generate_pinned(&spec);
    let doc = generator::load::load(&spec).unwrap_or_else(|e| panic!("{e}"));
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    // A string enum used by operations, and the body of `POST /calls`.
    let (enum_name, _) = schemas
        .iter()
        .find(|(_, s)| s["type"] == "string" && s["enum"].as_array().is_some_and(|v| v.len() > 2))
        .expect("a string enum");
    let changes: [(&str, String, serde_json::Value); 2] = [
        ("CallRequest", "/properties/retry_budget".into(), serde_json::json!({"type": "integer"})),
        (enum_name.as_str(), "/enum/0".into(), serde_json::json!("zz_new_value")),
    ];
    for (schema, at, value) in changes {
        let mut changed = doc.clone();
        let target = changed.pointer_mut(&format!("/components/schemas/{schema}")).unwrap();
        match at.strip_prefix("/properties/") {
            Some(name) => {
                target["properties"].as_object_mut().unwrap().insert(name.to_string(), value);
            }
            None => target["enum"].as_array_mut().unwrap().push(value),
        }
        let tmp = std::env::temp_dir().join(format!("telnyx-locality-{}-{schema}.json", std::process::id()));
        std::fs::write(&tmp, serde_json::to_string(&changed).unwrap()).unwrap();
        let new = generate_pinned(&tmp);
        let _ = std::fs::remove_file(&tmp);
        let old: std::collections::HashMap<&str, &str> =
            base.files.iter().map(|f| (f.path.as_str(), f.contents.as_str())).collect();
        let differ: Vec<&str> = new
            .files
            .iter()
            .filter(|f| old.get(f.path.as_str()) != Some(&f.contents.as_str()))
            .map(|f| f.path.as_str())
            .collect();
        let def = new.api.types.iter().find(|t| t.pointer == format!("/components/schemas/{schema}")).unwrap();
        let generator::ir::Module::Types(file) = &def.module else { panic!("{schema} is not in types/") };
        // The body of `POST /calls` lends its properties to the call: one more method there.
        let krate = generator::ir::crates::of_type(&new.api.features.of_type[def.id]);
        let mut want = vec![generator::emit::crates::source(krate, &format!("types/{file}.rs"))];
        if schema == "CallRequest" {
            want.push("resources/calls.rs".to_string());
        }
        want.sort();
        assert_eq!(differ, want, "{schema}: files changed");
        assert_eq!(new.files.len(), base.files.len());
    }
}
