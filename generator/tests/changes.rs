//! The change report: one fixture pair per kind of change (`specs/changes/base.yaml` and a
//! merge patch of it from `patches.yaml`), each checked for the kinds of lines it gives, one
//! line's text and the semver verdict; plus the report's Markdown shape.

use generator::changes::{Kind, Level, Report};
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/changes")
}

fn yaml(path: &Path) -> serde_json::Value {
    serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The report from the base fixture to the base with patch `name` applied.
fn report(name: &str) -> Report {
    let base = dir().join("base.yaml");
    let patches = yaml(&dir().join("patches.yaml"));
    let patch = patches.get(name).unwrap_or_else(|| panic!("no patch {name:?} in patches.yaml"));
    let mut new = yaml(&base);
    json_patch::merge(&mut new, patch);
    let tmp = tempfile::tempdir().unwrap();
    let new_path = tmp.path().join(format!("{name}.json"));
    std::fs::write(&new_path, serde_json::to_string(&new).unwrap()).unwrap();
    let old = generator::build_ir(&base).unwrap_or_else(|e| panic!("{e}"));
    let new = generator::build_ir(&new_path).unwrap_or_else(|e| panic!("{e}"));
    generator::changes::compare(&old, &new)
}

/// Checks the kinds of lines (exactly), that one line contains `text`, and the verdict.
fn check(name: &str, verdict: Level, kinds: &[Kind], text: &str) {
    let r = report(name);
    let mut got: Vec<Kind> = r.changes.iter().map(|c| c.kind).collect();
    got.sort();
    got.dedup();
    let mut want = kinds.to_vec();
    want.sort();
    assert_eq!(got, want, "{name}: kinds of change\n{}", r.markdown());
    assert!(r.changes.iter().any(|c| c.text.contains(text)), "{name}: no line contains {text:?}\n{}", r.markdown());
    assert_eq!(r.verdict(), verdict, "{name}: verdict\n{}", r.markdown());
}

macro_rules! kinds {
    ($($test:ident: $verdict:ident, [$($kind:ident),*], $text:expr;)*) => {$(
        #[test]
        fn $test() {
            check(stringify!($test), Level::$verdict, &[$(Kind::$kind),*], $text);
        }
    )*};
}

kinds! {
    operation_added: Minor, [OperationAdded, TypeAdded], "Operation added: `GET /widgets` (`client.widgets().list(..)`)";
    operation_removed: Major, [OperationRemoved, TypeRemoved], "Operation removed: `GET /things` (`client.things().list(..)`)";
    operation_renamed: Major, [OperationRenamed],
        "Operation renamed: `POST /items/{id}` was `client.items().archive(..)`, now `client.items().restore(..)`";
    parameter_added: Minor, [ParameterAdded],
        "Optional input added to `GET /things` (`client.things().list(..)`): `.q(..)`, a method of its calls";
    parameter_removed: Major, [ParameterRemoved], "Input removed from `GET /things` (`client.things().list(..)`): its calls lose `.sort(..)`";
    field_added: Minor, [FieldAdded], "Field added: `Item.color`: `Option<String>` (a new field)";
    field_removed: Major, [FieldRemoved], "Field removed: `Item.size`";
    // A body's new optional property: a new method of the call that sends it.
    body_field_added: Minor, [ParameterAdded, FieldAdded],
        "Optional input added to `POST /items` (`client.items().create(..)`): `.color(..)`, a method of its calls";
    made_required: Major, [MadeRequired], "Input `.tags(..)` of `POST /items` (`client.items().create(..)`) is now required";
    made_optional: Major, [MadeOptional], "Field `NewItem.name` is now optional: `String` -> `Option<String>`";
    type_changed: Major, [TypeChanged], "Type of field `Item.size` changed: `Option<i64>` -> `Option<String>`";
    enum_value_added: Minor, [VariantAdded], "Enum value added: `ItemStatus::Archived` (archived)";
    enum_value_removed: Major, [VariantRemoved], "Enum value removed: `ItemStatus::Inactive` (inactive)";
    union_variant_added: Minor, [VariantAdded], "Variant of untagged union added: `ItemOwner::Org` (Org)";
    union_variant_removed: Major, [VariantRemoved], "Variant of untagged union removed: `ItemOwner::Bot` (Bot)";
    tagged_variant_added: Minor, [VariantAdded], "Union variant added: `Pet::Bird` (Bird)";
    enum_values_reordered: Patch, [VariantsReordered], "Enum values of `ItemStatus` reordered: its `Ord` follows the new order";
    params_argument_added: Major, [ParameterAdded],
        "Required input added to `GET /items/{id}` (`client.items().retrieve(..)`): its calls need `.expand(..)`";
    first_optional_parameter: Minor, [ParameterAdded],
        "Optional input added to `GET /items/{id}` (`client.items().retrieve(..)`): `.expand(..)`, a method of its calls";
    webhook_added: Minor, [WebhookAdded], "Webhook added: `itemDeleted` (`WebhookEvent::ItemDeleted`)";
    webhook_removed: Major, [WebhookRemoved], "Webhook removed: `itemCreated` (`WebhookEvent::ItemCreated`)";
    // `GET /things` answered `{data}` alone, so its calls returned the list; with page facts
    // beside it they return the whole page.
    pagination_added: Major, [PaginationAdded, ParameterAdded, FieldAdded, ResponseChanged],
        "Pagination added to `GET /things` (`client.things().list(..)`): `.paginator()` on its calls";
    pagination_removed: Major, [PaginationRemoved, ParameterRemoved], "Pagination removed from `GET /items` (`client.items().list(..)`)";
    response_changed: Major, [ResponseChanged], "Response of `GET /items/{id}` (`client.items().retrieve(..)`) changed: `Item` -> `NewItem`";
    body_changed: Major, [BodyChanged, ParameterAdded, ParameterRemoved, MadeOptional],
        "Request body of `POST /items` (`client.items().create(..)`) changed: `NewItem` (json) -> `Item` (json)";
    documentation_only: Patch, [Documentation], "Documentation changed: `Item`";
}

#[test]
fn nothing_users_see_gives_an_empty_report() {
    let r = report("nothing");
    assert!(r.changes.is_empty(), "{}", r.markdown());
    assert_eq!(r.verdict(), Level::Patch);
    assert!(r.markdown().contains("Semver verdict: **patch** (nothing users can see changed)."), "{}", r.markdown());
}

#[test]
fn every_patch_has_a_test() {
    let patches = yaml(&dir().join("patches.yaml"));
    let tests = include_str!("changes.rs");
    for name in patches.as_object().unwrap().keys() {
        assert!(tests.contains(&format!("    {name}: ")) || name == "nothing", "patch {name:?} has no test");
    }
}

#[test]
fn the_markdown_puts_the_deciding_lines_first() {
    let r = report("union_variant_removed");
    let md = r.markdown();
    assert!(md.starts_with("# What changes for users of the crate: spec 1 -> 1\n"), "{md}");
    assert!(
        md.contains(
            "Semver verdict: **major** (1 breaking, 0 additive, 0 other).\nIt is decided by the 1 major lines below."
        ),
        "{md}"
    );
    let breaking = md.find("## Breaking changes (major)").expect("a breaking section");
    assert!(md[breaking..].contains("- Variant of untagged union removed: `ItemOwner::Bot` (Bot)"), "{md}");
    assert!(!md.contains("## Additions"), "{md}");
}
