//! Stable type names: a type's name depends on its own place in the spec only, so reordering
//! the spec, or adding and removing unrelated schemas and operations, renames nothing; and a
//! schema of the same name that comes later takes the number, when the names of the previous
//! spec are kept (`specs/telnyx.types`, [`generator::ir::naming::carry`]).

use generator::ir::naming::{carry, TypeNames};
use generator::ir::{type_key, Api};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn base() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/changes/names.yaml");
    serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The IR of a spec given as JSON, with the given kept type names.
fn ir(spec: &Value, kept: Option<&TypeNames>) -> Api {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("spec.json");
    std::fs::write(&path, serde_json::to_string(spec).unwrap()).unwrap();
    let options = generator::Options { type_names: kept, ..Default::default() };
    generator::build_ir_with(&path, options).unwrap_or_else(|e| panic!("{e}"))
}

fn names(api: &Api) -> BTreeMap<String, String> {
    api.types.iter().map(|t| (type_key(&api.operations, t), t.name.clone())).collect()
}

/// Every type both have keeps its name.
fn assert_kept(old: &Api, new: &Api) {
    let new = names(new);
    let mut shared = 0;
    for (key, name) in names(old) {
        if let Some(now) = new.get(&key) {
            assert_eq!(&name, now, "{key} was renamed");
            shared += 1;
        }
    }
    assert!(shared >= 10, "the fixtures share their types ({shared})");
}

fn patched(patch: Value) -> Value {
    let mut spec = base();
    json_patch::merge(&mut spec, &patch);
    spec
}

#[test]
fn collisions_are_settled_by_place_not_by_order() {
    let api = ir(&base(), None);
    let named = |pointer: &str| api.types.iter().find(|t| t.pointer == pointer).map(|t| t.name.as_str());
    // The component spelled as its Rust name keeps it; the other is numbered.
    assert_eq!(named("/components/schemas/CountryCode"), Some("CountryCode"));
    assert_eq!(named("/components/schemas/country_code"), Some("CountryCode2"));
    // A component before an inline type of the same name.
    assert_eq!(named("/components/schemas/ItemKind"), Some("ItemKind"));
    assert_eq!(named("/components/schemas/Item/properties/kind"), Some("ItemKind2"));
    // Two inline types: by place.
    assert_eq!(named("/components/schemas/Item/properties/tools/items"), Some("ItemToolsItem"));
    assert_eq!(named("/components/schemas/ItemTools/items"), Some("ItemToolsItem2"));

    // The same spec with its components and paths in the opposite order.
    let mut reversed = base();
    for section in [&["components", "schemas"][..], &["paths"][..]] {
        let mut v = &mut reversed;
        for key in section {
            v = &mut v[*key];
        }
        let map = v.as_object().unwrap().clone();
        *v = Value::Object(map.into_iter().rev().collect());
    }
    assert_kept(&api, &ir(&reversed, None));
}

#[test]
fn unrelated_schemas_and_operations_rename_nothing() {
    let old = ir(&base(), None);
    let added = patched(json!({
        "paths": {"/zebras": {"get": {"operationId": "ListZebras", "responses": {"200": {"description": "ok",
            "content": {"application/json": {"schema": {"type": "object", "properties": {"status": {"type": "string", "enum": ["z"]}}}}}}}}}},
        "components": {"schemas": {"Aardvark": {"type": "object", "properties": {"status": {"type": "string", "enum": ["q"]}}},
            "Zebra": {"type": "object", "properties": {"code": {"type": "string"}}}}}
    }));
    assert_kept(&old, &ir(&added, None));
    let removed = patched(json!({"paths": {"/old": null}, "components": {"schemas": {"Unused": null}}}));
    assert_kept(&old, &ir(&removed, None));
}

#[test]
fn shared_parameters_and_bodies_are_named_after_their_components() {
    let old = ir(&base(), None);
    let defined = |api: &Api, pointer: &str| -> Vec<String> {
        api.types.iter().filter(|t| t.pointer == pointer).map(|t| t.name.clone()).collect()
    };
    // One type for a parameter two operations use, named after the component.
    assert_eq!(defined(&old, "/components/parameters/SortItems/schema"), ["SortItems"]);
    // A schema has the name: the parameter says what it is.
    assert_eq!(defined(&old, "/components/parameters/ItemKind/schema"), ["ItemKindParam"]);
    assert_eq!(defined(&old, "/components/requestBodies/NewItem/content/application~1json/schema"), ["NewItem"]);
    assert_eq!(
        defined(&old, "/components/requestBodies/NewItem/content/application~1json/schema/properties/color"),
        ["NewItemColor"]
    );
    // A shared response is its operation's, as an inline one is (Telnyx moves responses in and
    // out of components between specs).
    let created = "/paths/~1items/post/responses/200/content/application~1json/schema";
    assert_eq!(defined(&old, created), ["ItemsCreateResponse"]);
    let ops = |api: &Api, name: &str| {
        let op = api.operations.iter().find(|o| o.operation_id == name).unwrap();
        op.query_params.iter().map(|p| p.ty.clone()).collect::<Vec<_>>()
    };
    assert_eq!(ops(&old, "GetOld"), ops(&old, "ListItems")[1..2]);

    // An operation that uses the parameter and sorts before its first user today, and one
    // that takes the body and the response: nothing is renamed, and still one type each.
    let added = patched(json!({
        "paths": {"/aardvarks": {
            "get": {"operationId": "ListAardvarks", "parameters": [{"$ref": "#/components/parameters/SortItems"}],
                "responses": {"200": {"$ref": "#/components/responses/ItemPage"}}},
            "post": {"operationId": "CreateAardvark", "requestBody": {"$ref": "#/components/requestBodies/NewItem"},
                "responses": {"200": {"$ref": "#/components/responses/ItemPage"}}}}}
    }));
    let new = ir(&added, None);
    assert_kept(&old, &new);
    assert_eq!(defined(&new, "/components/parameters/SortItems/schema"), ["SortItems"]);
    assert_eq!(defined(&new, created), ["ItemsCreateResponse"]);
    // The first user today gone: still the same names.
    let removed = patched(json!({"paths": {"/items": null}}));
    let new = ir(&removed, None);
    assert_kept(&old, &new);
    assert_eq!(defined(&new, "/components/parameters/SortItems/schema"), ["SortItems"]);
}

#[test]
fn a_schema_of_the_same_name_that_comes_later_takes_the_number() {
    let old = ir(&base(), None);
    let status = "#/components/schemas/Item/properties/status | - | Item/status";
    assert_eq!(names(&old)[status], "ItemStatus");
    // Telnyx adds a component that spells the inline enum's name.
    let new = patched(json!({"components": {"schemas": {"ItemStatus": {"type": "string", "enum": ["new"]}}}}));
    let by_rule = ir(&new, None);
    assert_eq!(names(&by_rule)[status], "ItemStatus2", "by the rule alone, the component wins");
    // Keeping the old names: the inline enum keeps its name, the newcomer is numbered.
    let kept = TypeNames::new(Path::new("telnyx.types"), carry(&old, &by_rule));
    assert_eq!(kept.len(), 1);
    let followed = ir(&new, Some(&kept));
    assert_kept(&old, &followed);
    let component = "#/components/schemas/ItemStatus | - | ItemStatus";
    assert_eq!(names(&followed)[component], "ItemStatus2");
    // The file written reads back to the same names.
    let text = kept.text();
    assert!(text.contains(&format!("\nItemStatus {status}\n")), "{text}");
    let read = TypeNames::parse(Path::new("telnyx.types"), &text).unwrap();
    assert_eq!(names(&ir(&new, Some(&read))), names(&followed));
}

#[test]
fn the_type_names_file_cannot_rot() {
    let file = PathBuf::from("telnyx.types");
    let gone = TypeNames::parse(&file, "# kept\nItemOld #/components/schemas/Gone | - | Gone\n").unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("spec.json");
    std::fs::write(&path, serde_json::to_string(&base()).unwrap()).unwrap();
    let err = generator::build_ir_with(&path, generator::Options { type_names: Some(&gone), ..Default::default() })
        .unwrap_err();
    assert_eq!(err.file, file);
    assert!(err.message.starts_with("line 2: the spec has no type #/components/schemas/Gone | - | Gone"), "{err}");
    // Skipped when reading other specs than the pinned one.
    let options = generator::Options { type_names: Some(&gone), names_skip_missing: true, ..Default::default() };
    assert!(generator::build_ir_with(&path, options).is_ok());

    // A kept name that a resource or another kept name has.
    for taken in [
        "ItemsApi #/components/schemas/country_code | - | country_code\n",
        "Thing #/components/schemas/country_code | - | country_code\nThing #/components/schemas/Unused | - | Unused\n",
    ] {
        let names = TypeNames::parse(&file, taken).unwrap();
        let options = generator::Options { type_names: Some(&names), ..Default::default() };
        let err = generator::build_ir_with(&path, options).unwrap_err();
        assert!(err.message.contains("is already the name of another type or of a resource"), "{err}");
    }
    let bad = TypeNames::parse(&file, "item_status #/x | - | x\n").unwrap_err();
    assert!(bad.message.starts_with("line 1: \"item_status\" is not an UpperCamelCase type name"), "{bad}");
}

/// A spec of `GET` operations on these paths, each answering 204, the ones in `ids` with an
/// operationId.
fn gadgets(paths: &[&str], ids: &[(&str, &str)]) -> Value {
    let mut out = serde_json::Map::new();
    for p in paths {
        let mut get = json!({"responses": {"204": {"description": "ok"}}});
        if let Some((_, id)) = ids.iter().find(|(path, _)| path == p) {
            get["operationId"] = json!(id);
        }
        out.insert(p.to_string(), json!({ "get": get }));
    }
    json!({"openapi": "3.0.3", "info": {"title": "gadgets", "version": "1"}, "paths": out})
}

#[test]
fn kept_method_names_move_no_other_method() {
    // Three operations of `gadgets` want `retrieve` (`/v2` is the server's, and left out):
    // `retrieve`, `retrieve_2`, `retrieve_3` by path order.
    let old_spec = gadgets(&["/gadgets", "/gadgets/", "/v2/gadgets"], &[]);
    let old = ir(&old_spec, None);
    let name_of = |api: &Api, path: &str| api.operations.iter().find(|o| o.path == path).unwrap().name.clone();
    assert_eq!(
        [name_of(&old, "/gadgets"), name_of(&old, "/gadgets/"), name_of(&old, "/v2/gadgets")],
        ["retrieve", "retrieve_2", "retrieve_3"]
    );
    // The next spec drops `/gadgets/` and adds `//gadgets`, which sorts first and has an
    // operationId: by the rules alone it takes `retrieve`, and the others move.
    let new_spec = gadgets(&["//gadgets", "/gadgets", "/v2/gadgets"], &[("//gadgets", "ListAllGadgets")]);
    let by_rule = ir(&new_spec, None);
    assert_eq!(name_of(&by_rule, "/gadgets"), "retrieve_2");
    // Kept once, `/gadgets` would move `/v2/gadgets` to `retrieve_2`; kept to a fixed point, no
    // existing method moves, and the newcomer takes its operationId.
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("new.json");
    std::fs::write(&path, serde_json::to_string(&new_spec).unwrap()).unwrap();
    let (types, methods) =
        generator::kept_names(&old, &path, Default::default(), Path::new("t.types"), Path::new("t.methods")).unwrap();
    let options =
        generator::Options { type_names: Some(&types), kept_operations: Some(&methods), ..Default::default() };
    let kept = generator::build_ir_with(&path, options).unwrap();
    assert_eq!(
        [name_of(&kept, "/gadgets"), name_of(&kept, "/v2/gadgets"), name_of(&kept, "//gadgets")],
        ["retrieve", "retrieve_3", "list_all_gadgets"]
    );
    // The kept names read back as written (`specs/telnyx.methods`).
    let text = methods.kept_text();
    let again = generator::ir::naming::NameFile::parse(Path::new("t.methods"), &text).unwrap();
    assert_eq!(again.kept_text(), text);
    assert_eq!(again.len(), 2, "{text}");
}

#[test]
fn the_kept_names_file_reads_back_resources_named_after_keywords() {
    // A resource module named after a keyword (`type_`) and a method that is one (`r#type`).
    let entries = [(("GET".to_string(), "/type/{id}".to_string()), (vec!["type_".to_string()], "r#type".to_string()))];
    let file = generator::ir::naming::NameFile::kept(Path::new("t.methods"), entries.into_iter().collect());
    let text = file.kept_text();
    assert!(text.ends_with("GET /type/{id} type_.type\n"), "{text}");
    let again = generator::ir::naming::NameFile::parse(Path::new("t.methods"), &text).unwrap();
    assert_eq!(again.kept_text(), text);
}
