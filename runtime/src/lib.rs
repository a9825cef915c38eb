//! The runtime of the generated Telnyx API client, the `telnyx` crate: use that crate, which
//! re-exports what its users need from here. These modules are written by hand; `telnyx`
//! holds the code generated from the spec, the `Client` and its calls.
//!
//! The modules are layers, each using only those above it in this list (a test,
//! `runtime_layers` in the workspace's tests, keeps it so):
//!
//! 1. values: how JSON is read leniently and written (`de`, [`decode`], `tagged`, `data`,
//!    `string_enum`, `encoded`), and the markers of required inputs (`inputs`);
//! 2. settings: [`retry`] policies, the request options and what a capture records, errors, and
//!    the [`Connector`] seam's types;
//! 3. transport: the [`Transport`] (credentials, connection pools, URLs), OAuth2 tokens, request
//!    encoding and the retry loop ([`RequestBuilder`]), multipart bodies;
//! 4. receiving: a response read as JSON, text, bytes, a [`Download`] or server-sent events, and
//!    the [`receive::Receive`] that picks one;
//! 5. paging: [`pagination`], over any call that receives pages;
//! 6. sessions: `websocket` (feature `websocket`), over an upgraded request;
//! 7. blocking: `blocking` (feature `blocking`), a call or a paginator waited for without async.

#![cfg_attr(docsrs, feature(doc_cfg))]

// 1. values
mod data;
#[doc(hidden)]
pub mod de;
pub mod decode;
mod encoded;
mod inputs;
mod string_enum;
#[doc(hidden)]
pub mod tagged;
// 2. settings
mod connector;
mod error;
mod options;
pub mod retry;
// 3. transport
mod multipart;
mod oauth;
mod request;
mod transport;
// 4. receiving
pub mod receive;
mod stream;
// 5. paging
pub mod pagination;
// 6. sessions
#[cfg(feature = "websocket")]
#[cfg_attr(docsrs, doc(cfg(feature = "websocket")))]
pub mod websocket;
// 7. blocking
#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub mod blocking;

pub use connector::{Connector, Fault, FaultKind};
pub use data::Data;
pub use decode::{Correction, CorrectionKind, DecodeMode, Decoded};
pub use encoded::Base64;
pub use error::{ApiError, ApiErrorDetail, DecodeError, Error, Result};
pub use inputs::{IsSet, Missing, Ready, Set};
pub use multipart::{FilePart, MultipartForm};
pub use options::{RequestOptions, ResponseCapture, ResponseMeta};
pub use pagination::{NextPage, PageMeta, PageSpec, PageStyle, Paginator};
pub use receive::{decode_json, decode_json_with};
pub use request::{encode_path, QueryStyle, RequestBuilder};
pub use retry::{NotRetried, RetryPolicy, MAX_RETRY_AFTER};
pub use stream::{Download, EventStream, ServerSentEvent};
#[doc(hidden)]
pub use string_enum::StrVisitor;
pub use transport::{Build, ClientBuilder, Transport};
#[cfg(feature = "websocket")]
pub use websocket::{Reconnect, Session};

pub use bytes;
pub use http;
pub use reqwest;
pub use serde_json;
