//! Building and sending one request: path and query encoding, bodies, authentication and the
//! retry loop. Everything here is non-generic except thin entry points, so the generated
//! operations stay small and rustc does not instantiate the same machinery per type.

use crate::error::ApiError;
use crate::multipart::MultipartForm;
use crate::retry;
use crate::transport::{Effective, Transport};
use crate::{Error, RequestOptions, Result};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE};
use serde::Serialize;
use serde_json::Value;
use std::borrow::Cow;
use std::time::SystemTime;
use tracing::Instrument;

/// Everything but RFC 3986 unreserved characters is escaped, so `a/b` and `../x` stay one
/// path segment.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// Percent-encodes one path parameter. `.` and `..` are encoded too, so that they cannot walk
/// up the path.
pub fn encode_path(value: &str) -> Cow<'_, str> {
    match value {
        "." => Cow::Borrowed("%2E"),
        ".." => Cow::Borrowed("%2E%2E"),
        _ => utf8_percent_encode(value, PATH_SEGMENT).into(),
    }
}

/// How a query parameter is laid out (OpenAPI `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `name=a&name=b` (exploded) or `name=a,b`.
    Form,
    /// `name[key]=value`, nested as `name[a][b]=value`.
    DeepObject,
    /// `name=a%20b`.
    SpaceDelimited,
    /// `name=a|b`.
    PipeDelimited,
}

/// The encoded body; cheap to clone, so every attempt sends the same bytes (a multipart body
/// with a streamed file is the exception, and is sent once).
enum Body {
    None,
    Json(bytes::Bytes),
    Form(bytes::Bytes),
    Bytes(&'static str, bytes::Bytes),
    Multipart(MultipartForm),
}

/// A request being built. Encoding errors are kept and reported by `send_*`.
pub struct RequestBuilder<'c> {
    /// Borrowed from the resource handle; owned when options were set for this request alone.
    pub(crate) transport: Cow<'c, Transport>,
    method: reqwest::Method,
    url: String,
    query: Vec<(String, String)>,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Body,
    /// What `Accept` says when neither the call nor the defaults set it.
    pub(crate) accept: Option<&'static str>,
    /// The idempotency token the request carries (the caller's or one the client made), which
    /// lets it be retried without taking effect twice.
    token: Option<String>,
    /// The protocol the request upgrades the connection to, if it does.
    upgrade: Option<Upgrade>,
    /// What the layers above keep with the request until it is sent (a WebSocket session's
    /// reconnection policy).
    extensions: http::Extensions,
    error: Option<Error>,
}

/// An HTTP/1.1 `Upgrade` that a request asks for (the handshake of a WebSocket session): each
/// attempt goes to `url` over the client's HTTP/1.1 pool with `Connection: Upgrade`,
/// `Upgrade: <protocol>` and `headers`, and `101 Switching Protocols` is a success.
#[derive(Debug, Clone)]
#[cfg_attr(not(feature = "websocket"), allow(dead_code))]
pub(crate) struct Upgrade {
    pub url: String,
    pub protocol: &'static str,
    pub headers: reqwest::header::HeaderMap,
}

impl<'c> RequestBuilder<'c> {
    pub(crate) fn new(transport: &'c Transport, method: reqwest::Method, url: String) -> Self {
        Self::with_transport(Cow::Borrowed(transport), method, url)
    }

    fn with_transport(transport: Cow<'c, Transport>, method: reqwest::Method, url: String) -> Self {
        RequestBuilder {
            transport,
            method,
            url,
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::None,
            accept: None,
            token: None,
            upgrade: None,
            extensions: http::Extensions::new(),
            error: None,
        }
    }

    /// A request to the same URL by the same transport, with nothing else set (nor the
    /// extensions): the next page.
    #[doc(hidden)]
    pub fn restart(&self) -> RequestBuilder<'c> {
        Self::with_transport(self.transport.clone(), self.method.clone(), self.url.clone())
    }

    /// The method and the URL (without its query), for `Debug`.
    #[doc(hidden)]
    pub fn target(&self) -> (&reqwest::Method, &str) {
        (&self.method, &self.url)
    }

    /// The same request (method, URL, query, headers; no body), owning its transport, sent once
    /// per call: a WebSocket session sends it again to reconnect. What the layers above keep
    /// with the request (its extensions) is not carried over.
    #[cfg_attr(not(feature = "websocket"), allow(dead_code))]
    pub(crate) fn detached(&self) -> RequestBuilder<'static> {
        let transport: Transport = self.transport.clone().into_owned();
        let mut req = RequestBuilder::with_transport(Cow::Owned(transport), self.method.clone(), self.url.clone());
        req.query.clone_from(&self.query);
        req.headers.clone_from(&self.headers);
        req.accept = self.accept;
        req.set_options(RequestOptions::new().max_retries(0));
        req
    }

    /// Makes the request an HTTP/1.1 upgrade.
    #[cfg_attr(not(feature = "websocket"), allow(dead_code))]
    pub(crate) fn set_upgrade(&mut self, upgrade: Upgrade) {
        self.upgrade = Some(upgrade);
    }

    /// What the layers above keep with the request until it is sent.
    #[cfg_attr(not(feature = "websocket"), allow(dead_code))]
    pub(crate) fn extensions_mut(&mut self) -> &mut http::Extensions {
        &mut self.extensions
    }

    /// Options for this request alone, over the client's.
    #[doc(hidden)]
    pub fn set_options(&mut self, options: RequestOptions) {
        self.transport = Cow::Owned(self.transport.with_options(options));
    }

    fn fail(&mut self, e: Error) {
        self.error.get_or_insert(e);
    }

    fn encode_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Option<Value> {
        match serde_json::to_value(value) {
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(Error::Encode(e.to_string()));
                None
            }
        }
    }

    /// Puts a path parameter that is a method of the call (`{queue_name}` in the path, when
    /// the path has more than one) in its place, percent-encoded as one segment.
    pub fn path_param(&mut self, placeholder: &str, value: &str) -> &mut Self {
        self.url = self.url.replace(placeholder, &encode_path(value));
        self
    }

    /// Adds a query parameter; `None`/`null` values are left out.
    pub fn query<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        style: QueryStyle,
        explode: bool,
        value: &T,
    ) -> &mut Self {
        if let Some(v) = self.encode_value(value) {
            encode_query(&mut self.query, name, style, explode, &v);
        }
        self
    }

    /// Adds a header; `None`/`null` values are left out.
    pub fn header<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> &mut Self {
        let text = match self.encode_value(value) {
            Some(Value::Null) | None => return self,
            Some(Value::String(s)) => s,
            Some(Value::Array(items)) => items.iter().map(scalar).collect::<Vec<_>>().join(","),
            Some(other) => scalar(&other),
        };
        match (HeaderName::try_from(name), HeaderValue::try_from(text)) {
            (Ok(n), Ok(v)) => self.headers.push((n, v)),
            _ => self.fail(Error::Encode(format!("header {name} has a value that cannot be sent"))),
        }
        self
    }

    /// An idempotency header (`Idempotency-Key`): the caller's value, or, when that is `None`
    /// or empty, a fresh UUID v4. Every attempt sends the same value, so the request is retried
    /// like an idempotent one (see [`crate::RetryPolicy`]).
    pub fn idempotency_header<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> &mut Self {
        let given = match self.encode_value(value) {
            Some(Value::String(s)) if !s.is_empty() => s,
            Some(Value::Null) | Some(Value::String(_)) => new_token(),
            Some(other) => scalar(&other),
            None => return self,
        };
        self.header(name, &given);
        self.token = Some(given);
        self
    }

    /// A JSON body that carries an idempotency token in its member `member` (`command_id`): the
    /// caller's value, or, when it is absent, `null` or empty, a fresh UUID v4 (a body of `None`
    /// becomes `{"<member>": "<uuid>"}`). Every attempt sends the same bytes, so the request is
    /// retried like an idempotent one.
    pub fn json_with_token<T: Serialize + ?Sized>(&mut self, body: &T, member: &str) -> &mut Self {
        if let Some(value) = self.encode_value(body) {
            self.json_value_with_token(value, member);
        }
        self
    }

    fn json_value_with_token(&mut self, value: Value, member: &str) {
        let mut object = match value {
            Value::Object(map) => map,
            Value::Null => serde_json::Map::new(),
            // Not an object: nowhere to put a token; sent as it is, and not replayable.
            other => {
                self.json(&other);
                return;
            }
        };
        let token = match object.get(member) {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            Some(Value::Null | Value::String(_)) | None => {
                let fresh = new_token();
                object.insert(member.to_string(), Value::String(fresh.clone()));
                fresh
            }
            Some(other) => other.to_string(),
        };
        self.json(&object);
        self.token = Some(token);
    }

    /// The idempotency token the request carries, if any.
    pub fn idempotency_token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// Whether sending the request again cannot repeat its effect: an idempotent method, or
    /// an idempotency token.
    /// Whether the next attempt can send the body (a streamed file that an attempt read is gone).
    fn sendable(&self) -> bool {
        match &self.body {
            Body::Multipart(form) => form.sendable(),
            _ => true,
        }
    }

    fn replayable(&self) -> bool {
        self.token.is_some() || retry::idempotent_method(&self.method)
    }

    /// A JSON body.
    pub fn json<T: Serialize + ?Sized>(&mut self, body: &T) -> &mut Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Body::Json(bytes.into()),
            Err(e) => self.fail(Error::Encode(e.to_string())),
        }
        self
    }

    /// An `application/x-www-form-urlencoded` body; nested values use `a[b]=c`.
    pub fn form<T: Serialize + ?Sized>(&mut self, body: &T) -> &mut Self {
        if let Some(v) = self.encode_value(body) {
            let mut pairs = Vec::new();
            encode_query(&mut pairs, "", QueryStyle::DeepObject, true, &v);
            let mut ser = form_urlencoded::Serializer::new(String::new());
            ser.extend_pairs(pairs);
            self.body = Body::Form(ser.finish().into());
        }
        self
    }

    /// A raw body with its content type.
    pub fn bytes(&mut self, content_type: &'static str, body: bytes::Bytes) -> &mut Self {
        self.body = Body::Bytes(content_type, body);
        self
    }

    /// A `multipart/form-data` body.
    pub fn multipart(&mut self, form: MultipartForm) -> &mut Self {
        self.body = Body::Multipart(form);
        self
    }

    /// A `multipart/form-data` body made of the top-level members of a JSON object.
    pub fn multipart_value<T: Serialize + ?Sized>(&mut self, body: &T) -> &mut Self {
        if let Some(Value::Object(map)) = self.encode_value(body) {
            let mut form = MultipartForm::default();
            for (k, v) in &map {
                form.field(k, v);
            }
            self.body = Body::Multipart(form);
        }
        self
    }

    /// One attempt's request, with auth, headers, query, body and timeout.
    fn attempt(&self, settings: &Effective<'_>, bearer: &str) -> Result<reqwest::RequestBuilder> {
        let mut req = match &self.upgrade {
            None => self.transport.http().request(self.method.clone(), &self.url),
            Some(upgrade) => self
                .transport
                .upgrade_http()?
                .get(&upgrade.url)
                .version(reqwest::Version::HTTP_11)
                .header(reqwest::header::CONNECTION, "Upgrade")
                .header(reqwest::header::UPGRADE, upgrade.protocol)
                .headers(upgrade.headers.clone()),
        };
        req = req.bearer_auth(bearer).timeout(settings.timeout);
        if !settings.default_headers.is_empty() {
            req = req.headers(settings.default_headers.clone());
        }
        if !self.query.is_empty() {
            req = req.query(&self.query);
        }
        if let Some(accept) = self.accept {
            let given = settings.default_headers.contains_key(ACCEPT) || self.headers.iter().any(|(n, _)| n == ACCEPT);
            if !given {
                req = req.header(ACCEPT, accept);
            }
        }
        for (n, v) in &self.headers {
            req = req.header(n, v);
        }
        if let Some(options) = settings.options {
            if !options.query.is_empty() {
                req = req.query(&options.query);
            }
            if !options.headers.is_empty() {
                req = req.headers(options.headers.clone());
            }
        }
        Ok(match &self.body {
            Body::None => req,
            Body::Json(b) => req.header(CONTENT_TYPE, "application/json").body(b.clone()),
            Body::Form(b) => req.header(CONTENT_TYPE, "application/x-www-form-urlencoded").body(b.clone()),
            Body::Bytes(ct, b) => req.header(CONTENT_TYPE, *ct).body(b.clone()),
            Body::Multipart(f) => req.multipart(f.to_reqwest()?),
        })
    }

    /// Sends the request, retrying as [`crate::retry`] says; a non-success status is an
    /// [`Error::Api`].
    pub async fn send_raw(self) -> Result<reqwest::Response> {
        self.send_recorded().await.map(|(response, _)| response)
    }

    /// [`Self::send_raw`], with the number the response was recorded under in the call's
    /// capture, if it has one (its body's corrections go there).
    pub(crate) async fn send_recorded(self) -> Result<(reqwest::Response, Option<u64>)> {
        // The URL holds no query string (that is added per attempt), so it is safe to record.
        let span = tracing::debug_span!("telnyx.request", method = %self.method, url = %self.url);
        self.send_with_retries().instrument(span).await
    }

    async fn send_with_retries(mut self) -> Result<(reqwest::Response, Option<u64>)> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        let settings = self.transport.effective();
        // A streamed file is read by the attempt that sends it: once read, nothing is left to
        // send again; an attempt that could not connect read none of it, and gives it back.
        let streamed = matches!(&self.body, Body::Multipart(form) if !form.replayable());
        let max_retries = settings.max_retries;
        let replayable = self.replayable();
        let mut retry = 0;
        let mut renewed_token = false;
        // An attempt got no answer, or a 5xx: it may have taken effect.
        let mut unknown_outcome = false;
        loop {
            let bearer = match self.transport.bearer(settings.timeout).await {
                Ok(bearer) => bearer,
                // The OAuth2 grant failed: this request was not sent, and a grant can be asked
                // for again without harm.
                Err(e) => {
                    let verdict = token_failure(&e)
                        .map_or(retry::Verdict::GiveUp, |f| retry::verdict(f, true, settings.retry_policy));
                    if retry >= max_retries || verdict != retry::Verdict::Retry {
                        return Err(e);
                    }
                    let wait = retry::delay(retry, e.api().map(|a| &a.headers), SystemTime::now());
                    tracing::info!(error = %e, retry = retry + 1, wait_ms = wait.as_millis() as u64, "retrying the access token");
                    tokio::time::sleep(wait).await;
                    retry += 1;
                    continue;
                }
            };
            let started = std::time::Instant::now();
            let outcome = match self.transport.connector() {
                None => self.attempt(&settings, &bearer)?.send().await.map_err(Failed::Reqwest),
                Some(connector) => {
                    if self.upgrade.is_some() {
                        return Err(Error::Config(
                            "a WebSocket session needs the network: a client with a connector cannot open one".into(),
                        ));
                    }
                    let request = self.attempt(&settings, &bearer)?.build().map_err(Error::transport)?;
                    through(connector.as_ref(), request, settings.timeout).await?
                }
            };
            let elapsed_ms = started.elapsed().as_millis() as u64;
            let wait = match outcome {
                // HTTP/2 has no `Upgrade`: the caller's client negotiated it. Again at once, on
                // the crate's HTTP/1.1 pool (nothing was upgraded, and a GET did nothing).
                Ok(response)
                    if self.upgrade.is_some()
                        && response.version() == reqwest::Version::HTTP_2
                        && self.transport.leave_given_http_for_upgrades() =>
                {
                    continue;
                }
                Ok(response) if self.answered(response.status()) => {
                    tracing::debug!(status = response.status().as_u16(), elapsed_ms, "response");
                    let capture = settings.options.and_then(|o| o.capture.as_ref());
                    let recorded = capture.map(|c| c.record(&response, retry + 1));
                    return Ok((response, recorded));
                }
                Ok(response)
                    if response.status() == reqwest::StatusCode::UNAUTHORIZED
                        && !renewed_token
                        && max_retries > 0
                        && self.transport.token_expired_in_flight().await =>
                {
                    // The OAuth2 token expired on the way: once, at once, with a new one (a
                    // request refused as unauthorized did nothing).
                    tracing::info!(elapsed_ms, "access token expired in flight; renewing it");
                    renewed_token = true;
                    continue;
                }
                Ok(response) => {
                    let status = response.status();
                    let headers = response.headers().clone();
                    let verdict = match streamed {
                        // The server read the streamed file, or began to: it cannot go again.
                        true => retry::Verdict::GiveUp,
                        false => {
                            retry::verdict(retry::Failure::Status(status, &headers), replayable, settings.retry_policy)
                        }
                    };
                    let too_long = retry::too_long(&headers, SystemTime::now());
                    if retry >= max_retries || verdict != retry::Verdict::Retry || too_long.is_some() {
                        tracing::debug!(status = status.as_u16(), elapsed_ms, "error response");
                        if let Some(capture) = settings.options.and_then(|o| o.capture.as_ref()) {
                            capture.record(&response, retry + 1);
                        }
                        let body = response.bytes().await.map_err(Error::transport)?;
                        let mut error = ApiError::new(status, headers, &body);
                        error.not_retried = not_retried(verdict, retry, max_retries);
                        error.retry_after = retry::retry_after(&error.headers, SystemTime::now());
                        error.likely_applied = unknown_outcome && likely_applied(&self.method, status);
                        return Err(Error::Api(Box::new(error)));
                    }
                    unknown_outcome |= status.is_server_error();
                    let wait = retry::delay(retry, Some(&headers), SystemTime::now());
                    tracing::info!(
                        status = status.as_u16(),
                        retry = retry + 1,
                        wait_ms = wait.as_millis() as u64,
                        "retrying"
                    );
                    wait
                }
                Err(e) => {
                    let failure = e.failure();
                    let verdict = match (failure, streamed) {
                        // Nothing was sent: a streamed file came back unread, and goes again.
                        (Some(retry::Failure::NotSent), true) if self.sendable() => retry::Verdict::Retry,
                        (_, true) => retry::Verdict::GiveUp,
                        (failure, false) => failure
                            .map_or(retry::Verdict::GiveUp, |f| retry::verdict(f, replayable, settings.retry_policy)),
                    };
                    if retry >= max_retries || verdict != retry::Verdict::Retry {
                        tracing::debug!(error = %e, elapsed_ms, "transport error");
                        return Err(e.into_error(not_retried(verdict, retry, max_retries)));
                    }
                    unknown_outcome |= matches!(failure, Some(retry::Failure::NoAnswer));
                    let wait = retry::delay(retry, None, SystemTime::now());
                    tracing::info!(error = %e, retry = retry + 1, wait_ms = wait.as_millis() as u64, "retrying");
                    wait
                }
            };
            tokio::time::sleep(wait).await;
            retry += 1;
        }
    }

    /// Whether a status ends the request: a success, or for an upgrade any non-error status (a
    /// `2xx` there is not an upgrade, and is told so by the layer that asked for it).
    fn answered(&self, status: reqwest::StatusCode) -> bool {
        match self.upgrade {
            None => status.is_success(),
            Some(_) => status.is_success() || status.is_informational(),
        }
    }
}

/// An attempt that got no response: from reqwest, or from the client's connector.
enum Failed {
    Reqwest(reqwest::Error),
    Fault(crate::Fault),
}

impl Failed {
    /// How it failed, as far as retrying goes.
    fn failure(&self) -> Option<retry::Failure<'static>> {
        match self {
            Failed::Reqwest(e) => retry::Failure::transport(e),
            Failed::Fault(fault) => Some(retry::Failure::fault(fault)),
        }
    }

    fn into_error(self, not_retried: Option<crate::NotRetried>) -> Error {
        match self {
            Failed::Reqwest(e) => Error::transport_not_retried(e, not_retried),
            Failed::Fault(fault) => Error::Fault { fault, not_retried },
        }
    }
}

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failed::Reqwest(e) => e.fmt(f),
            Failed::Fault(fault) => fault.fmt(f),
        }
    }
}

/// One attempt sent through a [`crate::Connector`], within `timeout`: the request as reqwest
/// would send it (its body read into memory, a multipart one too), and the response as reqwest
/// would give it (its URL the request's).
async fn through(
    connector: &dyn crate::Connector,
    request: reqwest::Request,
    timeout: std::time::Duration,
) -> Result<std::result::Result<reqwest::Response, Failed>> {
    use http_body_util::BodyExt as _;
    let url = request.url().clone();
    let request = http::Request::<reqwest::Body>::try_from(request).map_err(Error::transport)?;
    let (mut parts, body) = request.into_parts();
    let body = body.collect().await.map_err(|e| Error::Encode(format!("{url}: cannot read the body: {e}")))?;
    if !parts.headers.contains_key(reqwest::header::USER_AGENT) {
        parts.headers.insert(reqwest::header::USER_AGENT, HeaderValue::from_static(crate::transport::USER_AGENT));
    }
    let sent = http::Request::from_parts(parts, body.to_bytes());
    Ok(match tokio::time::timeout(timeout, connector.send(sent)).await {
        Err(_) => Err(Failed::Fault(crate::Fault::timed_out(format!("no response within {timeout:?}")))),
        Ok(Err(fault)) => Err(Failed::Fault(fault)),
        Ok(Ok(response)) => {
            use reqwest::ResponseBuilderExt as _;
            let (parts, body) = response.into_parts();
            let mut builder = http::Response::builder().status(parts.status).version(parts.version).url(url);
            if let Some(headers) = builder.headers_mut() {
                *headers = parts.headers;
            }
            Ok(reqwest::Response::from(builder.body(body).map_err(|e| Error::Config(e.to_string()))?))
        }
    })
}

/// A fresh idempotency token: a random UUID v4.
fn new_token() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The reason to put on an error that was not retried for safety: only when the rule, not the
/// retry budget, stopped it.
fn not_retried(verdict: retry::Verdict, retry: u32, max_retries: u32) -> Option<crate::NotRetried> {
    match verdict {
        retry::Verdict::Unsafe(reason) if retry < max_retries => Some(reason),
        _ => None,
    }
}

/// Whether an error status on a retry says that an earlier attempt, whose outcome was unknown,
/// most likely took effect: a DELETE or PUT answered 404 (the resource is gone already) or 409
/// (it is already as asked).
fn likely_applied(method: &reqwest::Method, status: reqwest::StatusCode) -> bool {
    matches!(*method, reqwest::Method::DELETE | reqwest::Method::PUT) && matches!(status.as_u16(), 404 | 409)
}

/// How a failed OAuth2 grant failed, as far as retrying it goes (`None`: not worth retrying,
/// e.g. a token endpoint's answer that cannot be read).
fn token_failure(e: &Error) -> Option<retry::Failure<'_>> {
    match e {
        Error::Api(api) => Some(retry::Failure::Status(api.status, &api.headers)),
        // Whatever broke on the way (the grant's body too), a grant can be asked for again.
        Error::Connection { source, .. } | Error::Timeout { source, .. } => {
            retry::Failure::transport(source).or(Some(retry::Failure::NoAnswer))
        }
        _ => None,
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Appends the query pairs of one parameter. An empty `name` (form bodies) puts the members
/// of an object at the top level.
pub(crate) fn encode_query(out: &mut Vec<(String, String)>, name: &str, style: QueryStyle, explode: bool, v: &Value) {
    match (v, style) {
        (Value::Null, _) => {}
        (Value::Object(map), QueryStyle::DeepObject) => {
            for (k, x) in map {
                let key = if name.is_empty() { k.clone() } else { format!("{name}[{k}]") };
                encode_query(out, &key, style, explode, x);
            }
        }
        (Value::Object(map), _) if explode => {
            for (k, x) in map {
                encode_query(out, k, QueryStyle::Form, explode, x);
            }
        }
        (Value::Object(map), _) => {
            let joined: Vec<String> = map.iter().flat_map(|(k, x)| [k.clone(), scalar(x)]).collect();
            out.push((name.to_string(), joined.join(",")));
        }
        (Value::Array(items), QueryStyle::Form | QueryStyle::DeepObject) if explode => {
            for x in items {
                match x {
                    Value::Object(_) | Value::Array(_) => out.push((name.to_string(), x.to_string())),
                    _ => out.push((name.to_string(), scalar(x))),
                }
            }
        }
        (Value::Array(items), _) => {
            let sep = match style {
                QueryStyle::SpaceDelimited => " ",
                QueryStyle::PipeDelimited => "|",
                _ => ",",
            };
            out.push((name.to_string(), items.iter().map(scalar).collect::<Vec<_>>().join(sep)));
        }
        (scalar_value, _) => out.push((name.to_string(), scalar(scalar_value))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pairs(name: &str, style: QueryStyle, explode: bool, v: Value) -> Vec<(String, String)> {
        let mut out = Vec::new();
        encode_query(&mut out, name, style, explode, &v);
        out
    }

    fn p(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn deep_object_nests() {
        assert_eq!(
            pairs(
                "filter",
                QueryStyle::DeepObject,
                true,
                json!({"status": "active", "date": {"gte": "2024-01-01"}, "n": null})
            ),
            p(&[("filter[status]", "active"), ("filter[date][gte]", "2024-01-01")])
        );
    }

    #[test]
    fn arrays_explode_or_join() {
        assert_eq!(pairs("id", QueryStyle::Form, true, json!(["a", "b"])), p(&[("id", "a"), ("id", "b")]));
        assert_eq!(pairs("id", QueryStyle::Form, false, json!(["a", "b"])), p(&[("id", "a,b")]));
        assert_eq!(pairs("id", QueryStyle::PipeDelimited, false, json!([1, 2])), p(&[("id", "1|2")]));
        assert_eq!(pairs("flag", QueryStyle::Form, true, json!(true)), p(&[("flag", "true")]));
        assert!(pairs("x", QueryStyle::Form, true, Value::Null).is_empty());
    }

    #[test]
    fn hostile_path_values_stay_one_segment() {
        assert_eq!(encode_path("a/b"), "a%2Fb");
        assert_eq!(encode_path("../x"), "..%2Fx");
        assert_eq!(encode_path(".."), "%2E%2E");
        assert_eq!(encode_path("+1 555?#"), "%2B1%20555%3F%23");
        assert_eq!(encode_path("abc-_.~"), "abc-_.~");
    }
}
