//! Workspace-level integration tests live in `tests/`: the whole Telnyx spec, and the
//! command-line behaviour of `cargo xtask`.
