//! Required inputs, checked by the compiler.
//!
//! Every input of an operation is a method of its [`crate::Call`], named after the input
//! (`client.calls().dial().connection_id(..).from(..).to(..)`), so two inputs of the same type
//! cannot be swapped by position. The required ones are tracked in the call's last type
//! parameter, one slot each: [`Missing<name>`] until its method is called, [`Set`] after. A call
//! is a future, and a struct's builder builds, only once every slot is [`Set`] ([`Ready`]); so a
//! required input left out is a compile error that names it:
//!
//! ```text
//! error[E0277]: `Call<'_, MessagesSendParams, OutboundMessagePayload, AsData, (telnyx::Missing<to>,)>` is not a future
//!   |     client.messages().send().text("Hello!").await?;
//!   |                                             ^^^^^ `Call<..., (telnyx::Missing<to>,)>` is not a future
//! ```
//!
//! A struct with required fields is built the same way: `X::builder()`, one method per field,
//! then `.build()` (or pass the builder where an `X` is taken). A struct without required fields
//! is `X::default()` with one method per field.

pub use telnyx_runtime::{Missing, Ready, Set};

// Each crate of types (`telnyx-types`, `telnyx-types-a-c`, ...) defines the builder of its own
// structs, because the generated code gives it a method per field (see `telnyx_runtime::builder!`):
// a struct's builder is the type its `builder()` returns.
