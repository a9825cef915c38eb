//! The client: configuration, authentication and the shared connection pool.

use crate::request::RequestBuilder;
use crate::{Error, Result};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
const DEFAULT_MAX_RETRIES: u32 = 2;

/// A Telnyx API client. Cloning is cheap and shares the connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// Overrides for the requests made through this handle (see [`Client::with_options`]).
    options: Option<Arc<RequestOptions>>,
}

struct Inner {
    http: reqwest::Client,
    api_key: String,
    base_url: String,
    /// The builder's settings: timeout, retries, default headers.
    defaults: RequestOptions,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("api_key", &"<redacted>")
            .field("defaults", &self.inner.defaults)
            .field("options", &self.options)
            .finish()
    }
}

/// Per-request settings: a timeout, a number of retries, extra headers and extra query
/// parameters. Apply them with [`Client::with_options`].
#[derive(Debug, Clone, Default)]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) headers: HeaderMap,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) capture: Option<ResponseCapture>,
}

/// What the server answered, beside the typed value a call returns: status, headers, the
/// request id and how many attempts it took.
#[derive(Debug, Clone)]
pub struct ResponseMeta {
    /// The URL the answer came from, query included.
    pub url: String,
    pub status: reqwest::StatusCode,
    pub headers: HeaderMap,
    /// The `x-request-id` header, to quote to Telnyx support.
    pub request_id: Option<String>,
    /// 1 when the first attempt answered, more after retries.
    pub attempts: u32,
}

/// Receives the [`ResponseMeta`] of the calls made through a handle that has it in its
/// options; cloning shares the slot.
///
/// ```no_run
/// # async fn run(client: telnyx::Client) -> telnyx::Result<()> {
/// let capture = telnyx::ResponseCapture::new();
/// let order = client
///     .with_options(telnyx::RequestOptions::new().capture_response(&capture))
///     .number_orders()
///     .retrieve("id")
///     .await?;
/// let meta = capture.last().expect("a response arrived");
/// println!("{:?} {} {:?}", order.data, meta.status, meta.request_id);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct ResponseCapture {
    last: Arc<std::sync::Mutex<Option<ResponseMeta>>>,
}

impl ResponseCapture {
    pub fn new() -> Self {
        ResponseCapture::default()
    }

    /// The last response received through this capture.
    pub fn last(&self) -> Option<ResponseMeta> {
        self.last.lock().map(|m| m.clone()).unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }

    pub(crate) fn record(&self, response: &reqwest::Response, attempts: u32) {
        let headers = response.headers().clone();
        let request_id = headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(String::from);
        let url = response.url().to_string();
        let meta = ResponseMeta { url, status: response.status(), headers, request_id, attempts };
        match self.last.lock() {
            Ok(mut slot) => *slot = Some(meta),
            Err(poisoned) => *poisoned.into_inner() = Some(meta),
        }
    }
}

impl RequestOptions {
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// Timeout of each attempt, body included.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How many times a failed attempt is retried (0 disables retries).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// An extra header; it replaces a header of the same name set by the client.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// An extra query parameter, for parameters the spec does not describe.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Record the status, headers and request id of each response in `capture`.
    pub fn capture_response(mut self, capture: &ResponseCapture) -> Self {
        self.capture = Some(capture.clone());
        self
    }

    /// `other`'s settings on top of these.
    fn merged(&self, other: RequestOptions) -> RequestOptions {
        let mut headers = self.headers.clone();
        headers.extend(other.headers);
        let mut query = self.query.clone();
        query.extend(other.query);
        RequestOptions {
            timeout: other.timeout.or(self.timeout),
            max_retries: other.max_retries.or(self.max_retries),
            headers,
            query,
            capture: other.capture.or_else(|| self.capture.clone()),
        }
    }
}

/// The settings one request is sent with.
pub(crate) struct Effective<'a> {
    pub timeout: Duration,
    pub max_retries: u32,
    pub default_headers: &'a HeaderMap,
    pub options: Option<&'a RequestOptions>,
}

impl Client {
    /// A client with the given API key and the default configuration.
    pub fn new(api_key: impl Into<String>) -> Result<Client> {
        Client::builder().api_key(api_key).build()
    }

    /// A client configured from `TELNYX_API_KEY` and, if set, `TELNYX_BASE_URL`.
    pub fn from_env() -> Result<Client> {
        Client::builder().build()
    }

    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// A handle whose requests use `options` (on top of any this handle already has). Cheap:
    /// the connection pool is shared.
    ///
    /// ```no_run
    /// # async fn run(client: telnyx::Client) -> telnyx::Result<()> {
    /// use std::time::Duration;
    /// let patient = client.with_options(telnyx::RequestOptions::new().timeout(Duration::from_secs(120)).max_retries(5));
    /// patient.number_orders().retrieve("id").await?;
    /// # Ok(()) }
    /// ```
    pub fn with_options(&self, options: RequestOptions) -> Client {
        let options = match &self.options {
            Some(current) => current.merged(options),
            None => options,
        };
        Client { inner: self.inner.clone(), options: Some(Arc::new(options)) }
    }

    /// Starts a request to `path` (as the spec writes it) with authentication, retries and
    /// error handling: the escape hatch for endpoints or parameters the spec does not describe.
    pub fn request(&self, method: reqwest::Method, path: impl AsRef<str>) -> RequestBuilder<'_> {
        RequestBuilder::new(self, method, self.url(path.as_ref()))
    }

    pub(crate) fn effective(&self) -> Effective<'_> {
        let options = self.options.as_deref();
        let defaults = &self.inner.defaults;
        Effective {
            timeout: options.and_then(|o| o.timeout).or(defaults.timeout).unwrap_or(DEFAULT_TIMEOUT),
            max_retries: options.and_then(|o| o.max_retries).or(defaults.max_retries).unwrap_or(DEFAULT_MAX_RETRIES),
            default_headers: &defaults.headers,
            options,
        }
    }

    /// Joins the base URL and a spec path. Some spec paths repeat the `/v2` the server URL
    /// already ends with; that prefix is not sent twice.
    fn url(&self, path: &str) -> String {
        let base = self.inner.base_url.trim_end_matches('/');
        let path = match path.strip_prefix("/v2/") {
            Some(rest) if base.ends_with("/v2") => &path[path.len() - rest.len() - 1..],
            _ => path,
        };
        format!("{base}{path}")
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    pub(crate) fn api_key(&self) -> &str {
        &self.inner.api_key
    }
}

/// Configures a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    api_key: Option<String>,
    base_url: Option<String>,
    defaults: RequestOptions,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("base_url", &self.base_url)
            .field("defaults", &self.defaults)
            .finish()
    }
}

impl ClientBuilder {
    /// The API key; `TELNYX_API_KEY` when not given.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The base URL; `TELNYX_BASE_URL` when not given, else [`crate::DEFAULT_BASE_URL`].
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Timeout of each attempt, body included (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.defaults = std::mem::take(&mut self.defaults).timeout(timeout);
        self
    }

    /// How many times a failed attempt is retried (default 2; 0 disables retries).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.defaults = std::mem::take(&mut self.defaults).max_retries(retries);
        self
    }

    /// A header sent with every request.
    pub fn default_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.defaults = std::mem::take(&mut self.defaults).header(name, value);
        self
    }

    /// Use this `reqwest::Client` (its own timeouts, proxies and TLS settings apply).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    pub fn build(self) -> Result<Client> {
        let api_key = match self.api_key.or_else(|| std::env::var("TELNYX_API_KEY").ok()) {
            Some(k) if !k.trim().is_empty() => k,
            _ => return Err(Error::Config("no API key: pass one to the builder or set TELNYX_API_KEY".into())),
        };
        let base_url = self
            .base_url
            .or_else(|| std::env::var("TELNYX_BASE_URL").ok().filter(|u| !u.is_empty()))
            .unwrap_or_else(|| crate::DEFAULT_BASE_URL.to_string());
        let http = match self.http {
            Some(h) => h,
            None => reqwest::Client::builder()
                .user_agent(concat!("telnyx-rust/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(Error::Connection)?,
        };
        let inner = Inner { http, api_key, base_url, defaults: self.defaults };
        Ok(Client { inner: Arc::new(inner), options: None })
    }
}
