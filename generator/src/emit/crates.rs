//! The crates of types (see `ir::crates`): each one's manifest, `lib.rs` and module list, and
//! what the client's manifest and its `types` module say of them. The crates are written under
//! the client's generated folder, in [`DIR`]; the client depends on each by path.

use super::{cfg_any, ident, Emitter, File, HEADER};
use crate::ir::{crates, directions::ROUND_TRIP, features::TEST_UTIL, Api, Module};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// Where the crates are written, relative to the client's generated folder.
pub const DIR: &str = "crates";

/// The version of the crates of types: the client's, with which they are published.
pub const VERSION: &str = "0.1.0";

/// The runtime crate from a crate of types (`generated-client/src/generated/crates/<name>/`).
pub const RUNTIME_PATH: &str = "../../../../../runtime";

/// The features that are not the API's own but that the types' code tests: every crate of
/// types has them, and the client's features of the same names turn them on in each.
pub const SHARED_FEATURES: [&str; 2] = [ROUND_TRIP, TEST_UTIL];

/// A type file's module name and the features that need it, by crate (every crate, even one
/// with no file: the client depends on all of them).
pub fn files_by_crate(api: &Api) -> BTreeMap<&'static str, Vec<(String, Vec<String>)>> {
    let mut out: BTreeMap<&'static str, Vec<(String, Vec<String>)>> = crates::all().map(|c| (c, Vec::new())).collect();
    let mut seen = BTreeSet::new();
    for def in &api.types {
        let Module::Types(file) = &def.module else { continue };
        if seen.insert(file.as_str()) {
            // Every type of a file needs the same features (see `ir::features`).
            let features = api.features.of_type[def.id].clone();
            out.get_mut(crates::of_type(&features)).expect("a known crate").push((file.clone(), features));
        }
    }
    for files in out.values_mut() {
        files.sort();
    }
    out
}

/// The resources that have types of their own (the inline parameters and bodies of their
/// operations, in `Module::Resource`), by the crate of their feature (every crate, even one
/// with none). The client's module of the resource re-exports them.
pub fn resources_by_crate(api: &Api) -> BTreeMap<&'static str, BTreeSet<String>> {
    let mut out: BTreeMap<&'static str, BTreeSet<String>> = crates::all().map(|c| (c, BTreeSet::new())).collect();
    for def in &api.types {
        if let Module::Resource(file) = &def.module {
            // Only the resource's own feature needs them (`ir::features` checks it).
            out.get_mut(crates::of_feature(file)).expect("a known crate").insert(file.clone());
        }
    }
    out
}

/// Each crate's own features: those that need one of its types.
pub fn features_by_crate(api: &Api) -> BTreeMap<&'static str, BTreeSet<String>> {
    let mut out: BTreeMap<&'static str, BTreeSet<String>> = files_by_crate(api)
        .into_iter()
        .map(|(krate, files)| (krate, files.into_iter().flat_map(|(_, f)| f).collect()))
        .collect();
    for (krate, resources) in resources_by_crate(api) {
        out.get_mut(krate).expect("a known crate").extend(resources);
    }
    out
}

/// The path of a file of `krate`'s sources, relative to the generated folder.
pub fn source(krate: &str, file: &str) -> String {
    format!("{DIR}/{krate}/src/{file}")
}

/// What `lib.rs` says of a crate's types.
fn about(krate: &str) -> String {
    match crates::GROUPS.iter().position(|(name, _)| *name == krate) {
        None => "the types that resources of several of the crates `telnyx-types-*` need".to_string(),
        Some(i) => {
            let first = if i == 0 { 'a' } else { (crates::GROUPS[i - 1].1 as u8 + 1) as char };
            format!("the types of the resources from `{first}` to `{}`", crates::GROUPS[i].1)
        }
    }
}

/// The crate's `lib.rs`: written as text, laid out as rustfmt would (`cargo fmt` formats it; the
/// modules of types are skipped, as the client's generated code is).
pub fn lib_rs(krate: &str) -> String {
    let core = krate == crates::CORE;
    let mut out = String::from(HEADER);
    out.push_str(&format!(
        "//! Part of the Telnyx API client `telnyx-sdk`: {}.\n\
         //! Use them as `telnyx::types::X`, a resource's own as `telnyx::resources::<resource>::X`:\n\
         //! the client re-exports the types of every crate, compiled apart so that no one rustc holds\n\
         //! the whole API. Each type compiles when a feature that uses it is on.\n\n\
         #![cfg_attr(docsrs, feature(doc_cfg))]\n\n",
        about(krate)
    ));
    out.push_str(
        "// What the generated code names at `crate::`.\n\
         #[allow(unused_imports)]\n\
         use telnyx_runtime::{de, string_enum, tagged, Base64, Data, FilePart, Missing, Ready, Set};\n",
    );
    if core {
        out.push_str(
            "\n// Formatted by the generator (prettyplease), not by rustfmt.\n\
             #[rustfmt::skip]\npub mod required;\n",
        );
    } else {
        out.push_str("#[allow(unused_imports)]\nuse telnyx_types::required;\n");
    }
    out.push_str(
        "\n// Formatted by the generator (prettyplease), not by rustfmt: `cargo fmt` must not touch it.\n\
         // Deprecated types and fields warn where users touch them, not where the crate defines them.\n\
         // A module, not the crate's root, so that a schema may be named like an item above.\n\
         #[rustfmt::skip]\n\
         #[allow(deprecated, clippy::type_complexity)]\n\
         pub mod types;\n\n\
         // The types of single resources, re-exported by the client's modules of the resources.\n\
         #[rustfmt::skip]\n\
         #[allow(deprecated, clippy::type_complexity)]\n\
         pub mod resources;\n\n\
         /// The builder of this crate's structs (`X::builder()`): each crate of types has its\n\
         /// own, because the generated code gives it a method per field.\n\
         pub mod inputs {\n    telnyx_runtime::builder!();\n}\n\
         #[allow(unused_imports)]\n\
         use inputs::Builder;\n",
    );
    out
}

/// The crate's `types.rs`: one module per schema file, each re-exported.
pub fn types_rs(krate: &str, files: Vec<(String, Vec<String>)>) -> Emitter<'static> {
    let core = krate == crates::CORE;
    Box::new(move || {
        let items = files.iter().map(|(file, features)| {
            let file = ident(file);
            let pred = cfg_any(features);
            quote!(#[cfg(#pred)] mod #file; #[cfg(#pred)] pub use #file::*;)
        });
        let below: TokenStream = match core {
            true => quote!(),
            false => quote! {
                // The types of `telnyx-types`, which this crate's types name as theirs (and its
                // resources' types as `crate::types::X`).
                #[allow(unused_imports)]
                pub(crate) use telnyx_types::types::*;
            },
        };
        quote! {
            //! One module per schema, all re-exported here.
            #below
            #(#items)*
        }
    })
}

/// The crate's `resources.rs`: a module per resource whose types it holds.
pub fn resources_rs(resources: BTreeSet<String>) -> Emitter<'static> {
    Box::new(move || {
        let items = resources.iter().map(|r| {
            let (module, feature) = (ident(r), cfg_any(std::slice::from_ref(r)));
            quote!(#[cfg(#feature)] pub mod #module;)
        });
        quote! {
            //! The types of single resources (their operations' inline parameters and bodies),
            //! one module per resource, as `telnyx::resources::<resource>` re-exports them.
            #(#items)*
        }
    })
}

/// The crate's Cargo.toml.
pub fn manifest(krate: &str, features: &BTreeSet<String>) -> String {
    let mut out = HEADER.replace("// ", "# ");
    out.push_str(&format!(
        "[package]\nname = \"{krate}\"\nversion = \"{VERSION}\"\n\
         description = \"Part of telnyx-sdk, the Telnyx API client: {}. Use them through `telnyx::types`.\"\n\
         edition.workspace = true\nlicense.workspace = true\nrust-version.workspace = true\n\
         homepage = \"https://developers.telnyx.com\"\n\n\
         [package.metadata.docs.rs]\nall-features = true\nrustdoc-args = [\"--cfg\", \"docsrs\"]\n\n\
         # The types are tested through the client (`telnyx-sdk`).\n\
         [lib]\ntest = false\ndoctest = false\nbench = false\n\n[features]\n",
        about(krate).replace('`', "")
    ));
    // As in the client: the test doubles need both serde impls of every type.
    out.push_str(&format!("{ROUND_TRIP} = []\n{TEST_UTIL} = [\"{ROUND_TRIP}\"]\n"));
    for f in features {
        out.push_str(&format!("{f} = []\n"));
    }
    out.push_str(&format!(
        "\n[dependencies]\ntelnyx-runtime = {{ version = \"{VERSION}\", path = \"{RUNTIME_PATH}\" }}\n"
    ));
    if krate != crates::CORE {
        out.push_str(&format!("telnyx-types = {{ version = \"{VERSION}\", path = \"../{}\" }}\n", crates::CORE));
    }
    out.push_str("serde.workspace = true\nserde_json.workspace = true\n");
    out
}

/// Every file of the crates of types but their modules of types, which [`super::emit`] plans:
/// manifests and `lib.rs`.
pub fn plain_files(api: &Api) -> Vec<File> {
    let features = features_by_crate(api);
    let mut out = Vec::new();
    for krate in crates::all() {
        out.push(File { path: format!("{DIR}/{krate}/Cargo.toml"), contents: manifest(krate, &features[krate]) });
        out.push(File { path: source(krate, "lib.rs"), contents: lib_rs(krate) });
    }
    out
}

/// The client's `types` module: every crate of types, re-exported.
pub fn client_types_mod() -> TokenStream {
    let crates = crates::all().map(|c| ident(&crates::lib_name(c)));
    quote! {
        //! Types of the Telnyx API, compiled in the crates `telnyx-types` and `telnyx-types-*`
        //! and all re-exported here. Each compiles when a feature that uses it is on (a crate
        //! none of whose features is on is empty).
        #( #[allow(unused_imports)] pub use #crates::types::*; )*
    }
}

/// What a feature of the client turns on in the crates of types: the feature of the same name
/// in each crate that has it.
pub fn forwarded(feature: &str, features: &BTreeMap<&'static str, BTreeSet<String>>) -> Vec<String> {
    let shared = SHARED_FEATURES.contains(&feature);
    crates::all().filter(|c| shared || features[c].contains(feature)).map(|c| format!("{c}/{feature}")).collect()
}
