//! Rust client for the [Telnyx API](https://developers.telnyx.com), generated from Telnyx's
//! OpenAPI spec by `telnyx-codegen`.
//!
//! Quickstart: dial a call and send an SMS.
//!
//! ```no_run
//! # async fn run() -> telnyx::Result<()> {
//! // TELNYX_API_KEY (or TELNYX_CLIENT_ID and TELNYX_CLIENT_SECRET); TELNYX_BASE_URL if set.
//! let client = telnyx::Client::from_env()?;
//! let call = client.calls().dial().connection_id("1684641123236054244").from("+18005550101").to("+18005550100").await?;
//! let sms = client.messages().send().from("+18005550101").to("+18005550100").text("Hello!").await?;
//! println!("{} {:?}", call.call_control_id, sms.id);
//! # Ok(()) }
//! ```
//!
//! Operations hang off [`Client`] by resource and carry the official Telnyx SDKs' names
//! (`client.calls.dial` there, `client.calls().dial()` here). An operation returns a [`Call`],
//! sent when awaited. One path parameter, the last, is passed by position; every other input is
//! a method of the call named after it (`.from(..)`, `.filter(..)`), and the compiler checks that
//! the required ones are set (see [`inputs`]), so no two inputs can be swapped and none left
//! out. A response that holds only `data` gives the `data` itself. Structs are built the same
//! way: `X::default().a(..)`, or `X::builder().a(..).build()` when some fields are required.
//! Types are in [`types`], operations and their params in [`resources`]; whole programs are in
//! the repository's `generated-client/examples/`.
//!
//! - The calls of list operations that page have `.paginator()`: a [`Paginator`] whose
//!   `.pages()` and `.items()` streams always end (see [`pagination`]).
//! - A field that is optional and nullable is `Option<Option<T>>`: `None` leaves it out,
//!   `Some(None)` sends `null` (its method `.x_null()`), `Some(Some(v))` sends `v`.
//! - Enums are open: a value the crate does not know decodes into `Unknown` and is sent back
//!   unchanged; unions with a discriminator are picked by it, with an `Unknown` variant too.
//! - A response that deviates from the spec (a number as a string, a required field `null` or
//!   absent) still decodes: each correction is logged and kept in the [`ResponseMeta`] of a
//!   [`ResponseCapture`]; [`RequestOptions::strict_decoding`] makes it an error (see [`DecodeMode`]).
//!   [`Error::Decode`] keeps the whole response.
//! - Retries never repeat an effect: a request is retried only if its method is idempotent, it
//!   carries an idempotency token (`command_id`, `Idempotency-Key`: filled with a UUID when
//!   left empty, the same on every attempt), it was never sent, or the server said it did
//!   nothing (see [`RetryPolicy`]).
//! - Operations that stream over WebSocket (speech to text, text to speech) open a
//!   [`Session`]: send typed frames, read a `Stream` of typed events (feature `websocket`, on
//!   with the resources that need it).
//! - [`webhooks`] verifies a webhook's signature and hands back a typed [`webhooks::WebhookEvent`].
//! - For building an app (features outside `default` and `full`): `axum`, an extractor of verified
//!   webhook events; `test_util` (feature `test-util`), an in-process mock of the API and a
//!   webhook signer for the app's tests; `blocking`, calls and paginators without async
//!   (`.wait()`). The seam between the client and the network, [`Connector`], is public.
//!
//! The modules under `generated/` are written by `cargo xtask codegen`; the rest of this crate
//! (the client, its calls, input builders, webhooks) is written by hand, and so is the runtime
//! (transport, retries, decoding, sessions) in the crate `telnyx-runtime`, re-exported here.

#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum;
pub mod call;
mod client;
pub mod inputs;
#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod test_util;
#[cfg(feature = "webhooks")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhooks")))]
pub mod webhooks;

// Formatted by the generator (prettyplease), not by rustfmt: `cargo fmt` must not touch it.
// Deprecated types and fields warn where users touch them, not where the crate defines them.
// The type of a call, or of a builder, lists its required inputs: long, by design.
#[rustfmt::skip]
#[allow(deprecated, clippy::type_complexity)]
mod generated;

pub use call::Call;
pub use client::{Client, ClientBuilder};
pub use generated::{required, resources, types, API_TITLE, API_VERSION, DEFAULT_BASE_URL};
pub use inputs::{Missing, Ready, Set};

// The runtime (`telnyx-runtime`, written by hand): its items keep their paths here.
#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
#[doc(inline)]
pub use telnyx_runtime::blocking;
#[doc(inline)]
pub use telnyx_runtime::{
    decode_json, decode_json_with, encode_path, ApiError, ApiErrorDetail, Base64, Connector, Correction,
    CorrectionKind, Data, DecodeError, DecodeMode, Decoded, Download, Error, EventStream, Fault, FaultKind, FilePart,
    MultipartForm, NextPage, NotRetried, PageMeta, PageSpec, PageStyle, Paginator, QueryStyle, RequestBuilder,
    RequestOptions, ResponseCapture, ResponseMeta, Result, RetryPolicy, ServerSentEvent, MAX_RETRY_AFTER,
};
#[doc(inline)]
pub use telnyx_runtime::{pagination, retry};
#[cfg(feature = "websocket")]
#[cfg_attr(docsrs, doc(cfg(feature = "websocket")))]
#[doc(inline)]
pub use telnyx_runtime::{websocket, Reconnect, Session};
// What the generated code calls.
#[doc(hidden)]
pub use telnyx_runtime::{de, string_enum, tagged, StrVisitor};

pub use telnyx_runtime::{bytes, http, reqwest, serde_json};

/// Every operation as its call, by resource, on one page: the crate's `API.md`, written by the
/// generator.
///
#[doc = include_str!("../API.md")]
pub mod api_reference {}

/// The crate README's examples compile (`cargo test --doc`).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
