//! The crates the types are compiled in. One rustc holding every type of the API peaks at about
//! 2 GB, so the types are split across crates that cargo builds side by side, and the client
//! (`telnyx`) re-exports them all as `telnyx::types`.
//!
//! A type goes by the features that need it (see [`super::features`]): with all of them in one
//! group of features, to that group's crate; else to [`CORE`], which every group's crate
//! depends on. The groups are ranges of the features' first letters, fixed, so that a new
//! resource lands in a crate without anyone choosing one and a type moves only when the
//! features that need it do. Nearly every type of Telnyx's spec is needed by one feature, and
//! the ranges hold about a quarter of them each (docs/compile-cost.md).
//!
//! The types a type names are needed by at least its features (a feature reaches all a type
//! reaches), so a group's type names only its own group's types and [`CORE`]'s, and [`CORE`]'s
//! only its own: the crates depend on each other in one direction.

/// The crate of the types that features of several groups need.
pub const CORE: &str = "telnyx-types";

/// The crates of the groups, each with the last first letter of its features.
pub const GROUPS: [(&str, char); 4] =
    [("telnyx-types-a-c", 'c'), ("telnyx-types-d-l", 'l'), ("telnyx-types-m-p", 'p'), ("telnyx-types-q-z", 'z')];

/// Every crate of types, [`CORE`] first.
pub fn all() -> impl Iterator<Item = &'static str> {
    std::iter::once(CORE).chain(GROUPS.iter().map(|(name, _)| *name))
}

/// The group crate of a feature: by its first letter (anything after `z`, the last).
pub fn of_feature(feature: &str) -> &'static str {
    let first = feature.trim_start_matches("r#").chars().next().unwrap_or('z');
    GROUPS.iter().find(|(_, last)| first <= *last).map_or(GROUPS[GROUPS.len() - 1].0, |(name, _)| name)
}

/// The crate of a type needed by `features`.
pub fn of_type(features: &[String]) -> &'static str {
    let mut groups = features.iter().map(|f| of_feature(f));
    match groups.next() {
        Some(first) if groups.all(|g| g == first) => first,
        _ => CORE,
    }
}

/// The crate's library name, as Rust code names it.
pub fn lib_name(krate: &str) -> String {
    krate.replace('-', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_type_goes_to_its_features_group_or_to_the_core() {
        assert_eq!(of_type(&features(&["calls"])), "telnyx-types-a-c");
        assert_eq!(of_type(&features(&["ai", "calls"])), "telnyx-types-a-c");
        assert_eq!(of_type(&features(&["messages"])), "telnyx-types-m-p");
        assert_eq!(of_type(&features(&["webhooks", "x402"])), "telnyx-types-q-z");
        assert_eq!(of_type(&features(&["calls", "webhooks"])), CORE);
        assert_eq!(of_type(&features(&["extra_types", "dir"])), "telnyx-types-d-l");
    }

    #[test]
    fn every_feature_has_a_group() {
        for f in ["a", "c", "d", "l", "m", "p", "q", "z", "_x", "r#type", "~"] {
            assert!(GROUPS.iter().any(|(name, _)| *name == of_feature(f)), "{f}");
        }
        assert_eq!(of_feature("r#type"), "telnyx-types-q-z");
        assert_eq!(of_feature("~"), "telnyx-types-q-z");
    }
}
