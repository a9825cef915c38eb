//! The client: configuration, authentication and the shared connection pool.

use crate::request::RequestBuilder;
use crate::{Error, Result};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
const DEFAULT_MAX_RETRIES: u32 = 2;

/// What [`ClientBuilder::http_settings`] does to each `reqwest::Client` the crate builds.
type HttpSettings = Arc<dyn Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync>;

/// A `reqwest::Client` builder with the crate's user agent.
fn http_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder().user_agent(concat!("telnyx-rust/", env!("CARGO_PKG_VERSION")))
}

/// How requests authenticate.
enum Auth {
    /// `Authorization: Bearer <API key>`.
    ApiKey(String),
    /// OAuth2 client credentials: a bearer token obtained, cached and renewed by the client.
    ClientCredentials(crate::oauth::ClientCredentials),
}

/// A Telnyx API client. Cloning is cheap and shares the connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// Overrides for the requests made through this handle (see [`Client::with_options`]).
    options: Option<Arc<RequestOptions>>,
}

struct Inner {
    http: reqwest::Client,
    /// HTTP/1.1 only, for WebSocket upgrades (HTTP/2 has no `Upgrade`); made on first use.
    #[cfg(feature = "websocket")]
    websocket_http: std::sync::OnceLock<reqwest::Client>,
    /// The builder's `http_settings`, applied to the WebSocket pool too.
    #[cfg(feature = "websocket")]
    http_settings: Option<HttpSettings>,
    /// Whether `http` is the caller's own (`ClientBuilder::http_client`).
    #[cfg(feature = "websocket")]
    http_given: bool,
    /// The caller's client answered an upgrade over HTTP/2: sessions use a pool of the crate's.
    #[cfg(feature = "websocket")]
    given_http_speaks_h2: std::sync::atomic::AtomicBool,
    auth: Auth,
    base_url: String,
    /// The webhook public key: the builder's, else `TELNYX_PUBLIC_KEY`.
    #[cfg_attr(not(feature = "webhooks"), allow(dead_code))]
    public_key: Option<String>,
    /// The builder's settings: timeout, retries, default headers.
    defaults: RequestOptions,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field(
                "auth",
                &match &self.inner.auth {
                    Auth::ApiKey(_) => "API key <redacted>",
                    Auth::ClientCredentials(_) => "OAuth2 client credentials <redacted>",
                },
            )
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
    pub(crate) retry_policy: Option<crate::RetryPolicy>,
    pub(crate) headers: HeaderMap,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) capture: Option<ResponseCapture>,
    pub(crate) decode_mode: Option<crate::DecodeMode>,
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
    /// Where the body deviated from the spec and what the client made of it (empty when it
    /// matched; see [`crate::DecodeMode`]).
    pub corrections: Vec<crate::Correction>,
}

/// Receives the [`ResponseMeta`] of every response to the calls made through a handle that has
/// it in its options, each with its own corrections (concurrent calls and a paginator's pages
/// included); cloning shares it. It keeps them until [`ResponseCapture::take`].
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
/// println!("{:?} {} {:?}", order.status, meta.status, meta.request_id);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct ResponseCapture {
    responses: Arc<std::sync::Mutex<Captured>>,
}

/// The responses of a capture, each under the number it was recorded with.
#[derive(Debug, Default)]
struct Captured {
    next: u64,
    responses: Vec<(u64, ResponseMeta)>,
}

impl ResponseCapture {
    pub fn new() -> Self {
        ResponseCapture::default()
    }

    /// The last response received through this capture.
    pub fn last(&self) -> Option<ResponseMeta> {
        self.slot().responses.last().map(|(_, m)| m.clone())
    }

    /// Every response received through this capture, in the order they arrived.
    pub fn all(&self) -> Vec<ResponseMeta> {
        self.slot().responses.iter().map(|(_, m)| m.clone()).collect()
    }

    /// Every response received through this capture, which then holds none.
    pub fn take(&self) -> Vec<ResponseMeta> {
        std::mem::take(&mut self.slot().responses).into_iter().map(|(_, m)| m).collect()
    }

    /// Records a response; the number its body's corrections are added under.
    pub(crate) fn record(&self, response: &reqwest::Response, attempts: u32) -> u64 {
        let headers = response.headers().clone();
        let request_id = headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(String::from);
        let url = response.url().to_string();
        let meta =
            ResponseMeta { url, status: response.status(), headers, request_id, attempts, corrections: Vec::new() };
        self.record_meta(meta)
    }

    fn record_meta(&self, meta: ResponseMeta) -> u64 {
        let mut captured = self.slot();
        let id = captured.next;
        captured.next += 1;
        captured.responses.push((id, meta));
        id
    }

    /// Adds the corrections of the body of the response recorded as `id`.
    pub(crate) fn add_corrections(&self, id: u64, corrections: Vec<crate::Correction>) {
        let mut captured = self.slot();
        if let Some((_, meta)) = captured.responses.iter_mut().rev().find(|(i, _)| *i == id) {
            meta.corrections.extend(corrections);
        }
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Captured> {
        self.responses.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
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

    /// Which failures are retried: only those that cannot repeat the request's effect (the
    /// default, [`crate::RetryPolicy::Safe`]), or all of them.
    pub fn retry_policy(mut self, policy: crate::RetryPolicy) -> Self {
        self.retry_policy = Some(policy);
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

    /// Fail on a response that deviates from the spec instead of correcting it (see
    /// [`crate::DecodeMode`]); `false` goes back to the default, lenient decoding.
    pub fn strict_decoding(mut self, strict: bool) -> Self {
        self.decode_mode = Some(if strict { crate::DecodeMode::Strict } else { crate::DecodeMode::Lenient });
        self
    }

    /// Record the status, headers, request id and corrections of each response in `capture`.
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
            retry_policy: other.retry_policy.or(self.retry_policy),
            headers,
            query,
            capture: other.capture.or_else(|| self.capture.clone()),
            decode_mode: other.decode_mode.or(self.decode_mode),
        }
    }
}

/// The settings one request is sent with.
pub(crate) struct Effective<'a> {
    pub timeout: Duration,
    pub max_retries: u32,
    pub retry_policy: crate::RetryPolicy,
    pub default_headers: &'a HeaderMap,
    pub options: Option<&'a RequestOptions>,
    pub decode_mode: crate::DecodeMode,
}

impl Client {
    /// A client with the given API key and the default configuration.
    pub fn new(api_key: impl Into<String>) -> Result<Client> {
        Client::builder().api_key(api_key).build()
    }

    /// A client configured from the environment: `TELNYX_API_KEY`, or `TELNYX_CLIENT_ID` and
    /// `TELNYX_CLIENT_SECRET` (OAuth2 client credentials); and, when set, `TELNYX_BASE_URL` and
    /// `TELNYX_PUBLIC_KEY` (webhook signatures).
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
            retry_policy: options.and_then(|o| o.retry_policy).or(defaults.retry_policy).unwrap_or_default(),
            default_headers: &defaults.headers,
            options,
            decode_mode: options.and_then(|o| o.decode_mode).or(defaults.decode_mode).unwrap_or_default(),
        }
    }

    /// [`Client::request`] for an operation the spec sends to a server of its own (its path's
    /// or its own `servers`): the URL is that server's, moved onto the base URL by the rule of
    /// [`Client::server_url`].
    pub fn request_on(&self, server: &str, method: reqwest::Method, path: impl AsRef<str>) -> RequestBuilder<'_> {
        let root = self.server_url(server);
        RequestBuilder::new(self, method, join(&root, path.as_ref()))
    }

    /// Where the operations that the spec gives `server` (instead of its first server,
    /// [`crate::DEFAULT_BASE_URL`]) go with this client's base URL. The part of `server` that
    /// is the default server is swapped for the base URL:
    ///
    /// - the origin (scheme, host, port) becomes the base URL's, `ws://` for an `http://` base
    ///   and `wss://` for `https://` when `server` is a WebSocket one;
    /// - a server path that extends the default's (`/v2` or more) extends the base URL's path
    ///   the same way; any other server path (`https://api.telnyx.com`, without `/v2`) replaces
    ///   the default's path at the end of the base URL's, or, when the base URL's path does not
    ///   end with it (a mock server at its root), is added to it.
    ///
    /// So with the default base URL every operation goes where the spec says, and a mock server
    /// at `http://127.0.0.1:4010` gets `/.well-known/...` at its root and `ws://` streams. A
    /// server on another host than the default's is kept as it is.
    pub fn server_url(&self, server: &str) -> String {
        server_url(crate::DEFAULT_BASE_URL, &self.inner.base_url, server)
    }

    /// Joins the base URL and a spec path.
    fn url(&self, path: &str) -> String {
        join(&self.inner.base_url, path)
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The connection pool of WebSocket upgrades: the caller's client, unless the builder has
    /// `http_settings` or that client answered an upgrade over HTTP/2; else one made on first
    /// use from the `http_settings`, or like the default one of requests, HTTP/1.1 only (HTTP/2
    /// has no `Upgrade`).
    #[cfg(feature = "websocket")]
    pub(crate) fn websocket_http(&self) -> Result<&reqwest::Client> {
        if self.uses_given_http_for_websockets() {
            return Ok(&self.inner.http);
        }
        if let Some(http) = self.inner.websocket_http.get() {
            return Ok(http);
        }
        let builder = match &self.inner.http_settings {
            Some(settings) => settings(http_builder()),
            None => http_builder(),
        };
        let http = builder.http1_only().build().map_err(Error::transport)?;
        Ok(self.inner.websocket_http.get_or_init(|| http))
    }

    #[cfg(feature = "websocket")]
    fn uses_given_http_for_websockets(&self) -> bool {
        let inner = &self.inner;
        inner.http_given
            && inner.http_settings.is_none()
            && !inner.given_http_speaks_h2.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// After an upgrade answered over HTTP/2: whether it is worth sending again, on the crate's
    /// HTTP/1.1 pool (the caller's client spoke HTTP/2, and sessions leave it from now on).
    #[cfg(feature = "websocket")]
    pub(crate) fn leave_given_http_for_websockets(&self) -> bool {
        if !self.uses_given_http_for_websockets() {
            return false;
        }
        self.inner.given_http_speaks_h2.store(true, std::sync::atomic::Ordering::Relaxed);
        tracing::warn!(
            "the reqwest::Client given with ClientBuilder::http_client answered a WebSocket upgrade over HTTP/2, \
             which cannot upgrade: sessions now open on an HTTP/1.1 pool with reqwest's default settings (not that \
             client's proxy or roots); build the client with .http1_only(), or give ClientBuilder::http_settings"
        );
        true
    }

    /// The bearer token of the next attempt: the API key, or the OAuth2 access token (fetched
    /// when there is none or it has expired).
    pub(crate) async fn bearer(&self, timeout: Duration) -> Result<std::borrow::Cow<'_, str>> {
        match &self.inner.auth {
            Auth::ApiKey(key) => Ok(std::borrow::Cow::Borrowed(key)),
            Auth::ClientCredentials(c) => c.access_token(&self.inner.http, timeout).await.map(std::borrow::Cow::Owned),
        }
    }

    /// After a 401: whether the OAuth2 token expired in flight (it is then dropped, and the
    /// request is worth one more attempt with a new token).
    pub(crate) async fn token_expired_in_flight(&self) -> bool {
        match &self.inner.auth {
            Auth::ApiKey(_) => false,
            Auth::ClientCredentials(c) => c.expired_in_flight().await,
        }
    }

    /// A webhook verifier for the builder's public key, else `TELNYX_PUBLIC_KEY`.
    #[cfg(feature = "webhooks")]
    #[cfg_attr(docsrs, doc(cfg(feature = "webhooks")))]
    pub fn webhook_verifier(&self) -> std::result::Result<crate::webhooks::Verifier, crate::webhooks::WebhookError> {
        match &self.inner.public_key {
            Some(key) => crate::webhooks::Verifier::new(key),
            None => Err(crate::webhooks::WebhookError::NoPublicKey),
        }
    }
}

/// Joins a server URL and a spec path. Some spec paths repeat the `/v2` the server URL already
/// ends with; that prefix is not sent twice.
fn join(base: &str, path: &str) -> String {
    let base = base.trim_end_matches('/');
    let path = match path.strip_prefix("/v2/") {
        Some(rest) if base.ends_with("/v2") => &path[path.len() - rest.len() - 1..],
        _ => path,
    };
    format!("{base}{path}")
}

/// The rule of [`Client::server_url`]: `server` moved from `default` onto `base`.
fn server_url(default: &str, base: &str, server: &str) -> String {
    use url::{Position, Url};
    let (Ok(d), Ok(b), Ok(s)) = (Url::parse(default), Url::parse(base), Url::parse(server)) else {
        return server.trim_end_matches('/').to_string();
    };
    if (s.host_str(), s.port_or_known_default()) != (d.host_str(), d.port_or_known_default()) {
        return server.trim_end_matches('/').to_string();
    }
    let (d_path, b_path, s_path) =
        (d.path().trim_end_matches('/'), b.path().trim_end_matches('/'), s.path().trim_end_matches('/'));
    let path = match s_path.strip_prefix(d_path) {
        Some(rest) if rest.is_empty() || rest.starts_with('/') || d_path.is_empty() => format!("{b_path}{rest}"),
        _ => format!("{}{s_path}", b_path.strip_suffix(d_path).unwrap_or(b_path)),
    };
    let scheme = match (s.scheme(), b.scheme()) {
        ("ws" | "wss", "http") => "ws",
        ("ws" | "wss", "https") => "wss",
        (_, base) => base,
    };
    format!("{scheme}://{}{path}", &b[Position::BeforeHost..Position::AfterPort])
}

/// Configures a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    api_key: Option<String>,
    client_credentials: Option<(String, String)>,
    token_url: Option<String>,
    public_key: Option<String>,
    base_url: Option<String>,
    defaults: RequestOptions,
    http: Option<reqwest::Client>,
    http_settings: Option<HttpSettings>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("client_id", &self.client_credentials.as_ref().map(|(id, _)| id))
            .field("client_secret", &self.client_credentials.as_ref().map(|_| "<redacted>"))
            .field("token_url", &self.token_url)
            .field("base_url", &self.base_url)
            .field("defaults", &self.defaults)
            .field("http_client", &self.http.is_some())
            .field("http_settings", &self.http_settings.is_some())
            .finish()
    }
}

impl ClientBuilder {
    /// The API key; `TELNYX_API_KEY` when not given.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// OAuth2 client credentials instead of an API key (else `TELNYX_CLIENT_ID` and
    /// `TELNYX_CLIENT_SECRET` when no API key is given either): the client gets an access token
    /// from the token endpoint with HTTP Basic auth, keeps it until it expires, and gets a new
    /// one when a 401 arrives as it expires.
    pub fn client_credentials(mut self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        self.client_credentials = Some((client_id.into(), client_secret.into()));
        self
    }

    /// The OAuth2 token endpoint; by default `/oauth/token` under the base URL (the spec's
    /// `https://api.telnyx.com/v2/oauth/token`).
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// The base64 Ed25519 public key webhooks are signed with (see
    /// [`Client::webhook_verifier`]); `TELNYX_PUBLIC_KEY` when not given.
    pub fn public_key(mut self, key: impl Into<String>) -> Self {
        self.public_key = Some(key.into());
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

    /// Which failures are retried (default [`crate::RetryPolicy::Safe`]: only those that cannot
    /// repeat the request's effect).
    pub fn retry_policy(mut self, policy: crate::RetryPolicy) -> Self {
        self.defaults = std::mem::take(&mut self.defaults).retry_policy(policy);
        self
    }

    /// Fail on a response that deviates from the spec instead of correcting it (default
    /// `false`: see [`crate::DecodeMode`]).
    pub fn strict_decoding(mut self, strict: bool) -> Self {
        self.defaults = std::mem::take(&mut self.defaults).strict_decoding(strict);
        self
    }

    /// A header sent with every request.
    pub fn default_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.defaults = std::mem::take(&mut self.defaults).header(name, value);
        self
    }

    /// Use this `reqwest::Client` (its own timeouts, proxies and TLS settings apply), for
    /// WebSocket sessions too. A WebSocket upgrade needs HTTP/1.1: build it with
    /// `.http1_only()` if it opens sessions over `https`, or give its settings with
    /// [`ClientBuilder::http_settings`] instead, which the crate applies to an HTTP/1.1 pool of
    /// its own for sessions. Should it answer an upgrade over HTTP/2, sessions warn and go on
    /// an HTTP/1.1 pool with reqwest's default settings instead.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Settings (a proxy, root certificates, a client certificate, a local address...) for
    /// every `reqwest::Client` the crate builds: the one of requests (unless
    /// [`ClientBuilder::http_client`] gives one) and the HTTP/1.1 one of WebSocket sessions.
    ///
    /// ```no_run
    /// # fn run() -> telnyx::Result<()> {
    /// let client = telnyx::Client::builder()
    ///     .http_settings(|http| http.proxy(telnyx::reqwest::Proxy::https("http://proxy.internal:3128").unwrap()))
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn http_settings(
        mut self,
        settings: impl Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync + 'static,
    ) -> Self {
        self.http_settings = Some(Arc::new(settings));
        self
    }

    pub fn build(self) -> Result<Client> {
        self.build_with_env(|name| std::env::var(name).ok())
    }

    /// [`ClientBuilder::build`] reading the environment through `env`. The builder's settings
    /// come first; then `TELNYX_API_KEY`; then `TELNYX_CLIENT_ID` with `TELNYX_CLIENT_SECRET`.
    fn build_with_env(self, env: impl Fn(&str) -> Option<String>) -> Result<Client> {
        let env = |name: &str| env(name).filter(|v| !v.trim().is_empty());
        let base_url =
            self.base_url.or_else(|| env("TELNYX_BASE_URL")).unwrap_or_else(|| crate::DEFAULT_BASE_URL.to_string());
        let token_url =
            self.token_url.unwrap_or_else(|| format!("{}{}", base_url.trim_end_matches('/'), crate::oauth::TOKEN_PATH));
        let oauth = |(id, secret): (String, String)| {
            if id.trim().is_empty() || secret.trim().is_empty() {
                return Err(Error::Config("OAuth2 client credentials need a client id and a client secret".into()));
            }
            Ok(Auth::ClientCredentials(crate::oauth::ClientCredentials::new(id, secret, token_url.clone())))
        };
        let auth = match (self.api_key, self.client_credentials) {
            (Some(key), _) if !key.trim().is_empty() => Auth::ApiKey(key),
            (Some(_), _) => return Err(Error::Config("the API key is empty".into())),
            (None, Some(pair)) => oauth(pair)?,
            (None, None) => match (env("TELNYX_API_KEY"), env("TELNYX_CLIENT_ID"), env("TELNYX_CLIENT_SECRET")) {
                (Some(key), _, _) => Auth::ApiKey(key),
                (None, Some(id), Some(secret)) => oauth((id, secret))?,
                (None, Some(_), None) => {
                    return Err(Error::Config("TELNYX_CLIENT_ID is set but TELNYX_CLIENT_SECRET is not".into()))
                }
                _ => {
                    return Err(Error::Config(
                        "no credentials: pass an API key or client credentials to the builder, or set TELNYX_API_KEY (or TELNYX_CLIENT_ID and TELNYX_CLIENT_SECRET)".into(),
                    ))
                }
            },
        };
        let public_key = self.public_key.or_else(|| env("TELNYX_PUBLIC_KEY"));
        #[cfg(feature = "websocket")]
        let http_given = self.http.is_some();
        let http = match (self.http, &self.http_settings) {
            (Some(h), _) => Ok(h),
            (None, Some(settings)) => settings(http_builder()).build(),
            (None, None) => http_builder().build(),
        }
        .map_err(|source| Error::Connection { source, not_retried: None })?;
        let inner = Inner {
            http,
            #[cfg(feature = "websocket")]
            websocket_http: std::sync::OnceLock::new(),
            #[cfg(feature = "websocket")]
            http_settings: self.http_settings,
            #[cfg(feature = "websocket")]
            http_given,
            #[cfg(feature = "websocket")]
            given_http_speaks_h2: std::sync::atomic::AtomicBool::new(false),
            auth,
            base_url,
            public_key,
            defaults: self.defaults,
        };
        Ok(Client { inner: Arc::new(inner), options: None })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(request_id: &str) -> ResponseMeta {
        ResponseMeta {
            url: "https://api.telnyx.test/v2/calls".into(),
            status: reqwest::StatusCode::OK,
            headers: Default::default(),
            request_id: Some(request_id.into()),
            attempts: 1,
            corrections: Vec::new(),
        }
    }

    #[test]
    fn corrections_stay_with_the_response_they_came_with() {
        // Two calls through one capture answer before either body is decoded: each body's
        // corrections go to its own response, not to the one recorded last.
        let capture = ResponseCapture::new();
        let first = capture.record_meta(response("req-1"));
        let second = capture.record_meta(response("req-2"));
        let correction = |path: &str| crate::Correction {
            path: path.into(),
            kind: crate::CorrectionKind::Converted,
            expected: "an integer".into(),
            found: None,
        };
        capture.add_corrections(first, vec![correction("a")]);
        capture.add_corrections(second, vec![correction("b")]);
        let all = capture.all();
        let paths: Vec<(Option<&str>, &str)> =
            all.iter().map(|m| (m.request_id.as_deref(), m.corrections[0].path.as_str())).collect();
        assert_eq!(paths, [(Some("req-1"), "a"), (Some("req-2"), "b")]);
        assert_eq!(capture.last().unwrap().request_id.as_deref(), Some("req-2"));
    }

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
    }

    fn auth(client: &Client) -> &'static str {
        match &client.inner.auth {
            Auth::ApiKey(_) => "api key",
            Auth::ClientCredentials(_) => "oauth",
        }
    }

    #[test]
    fn credentials_come_from_the_builder_then_the_api_key_then_the_client_id() {
        let all = [("TELNYX_API_KEY", "k"), ("TELNYX_CLIENT_ID", "id"), ("TELNYX_CLIENT_SECRET", "s")];
        let c = Client::builder().build_with_env(env(&all)).unwrap();
        assert_eq!(auth(&c), "api key");
        let c = Client::builder().client_credentials("a", "b").build_with_env(env(&all)).unwrap();
        assert_eq!(auth(&c), "oauth");
        let c = Client::builder().build_with_env(env(&all[1..])).unwrap();
        assert_eq!(auth(&c), "oauth");
        let e = Client::builder().build_with_env(env(&all[1..2])).unwrap_err();
        assert!(e.to_string().contains("TELNYX_CLIENT_SECRET is not"), "{e}");
        let e = Client::builder().build_with_env(env(&[])).unwrap_err();
        assert!(e.to_string().contains("no credentials"), "{e}");
        let e = Client::builder().client_credentials("a", " ").build_with_env(env(&[])).unwrap_err();
        assert!(e.to_string().contains("client secret"), "{e}");
    }

    #[test]
    fn servers_of_their_own_move_onto_the_base_url() {
        let d = "https://api.telnyx.com/v2";
        let cases = [
            // The default base URL: where the spec says.
            (d, "https://api.telnyx.com", "https://api.telnyx.com"),
            (d, "wss://api.telnyx.com/v2", "wss://api.telnyx.com/v2"),
            (d, "https://api.telnyx.com/v2/extra", "https://api.telnyx.com/v2/extra"),
            // A mock server at its root.
            ("http://127.0.0.1:4010", "https://api.telnyx.com", "http://127.0.0.1:4010"),
            ("http://127.0.0.1:4010", "wss://api.telnyx.com/v2", "ws://127.0.0.1:4010"),
            ("http://127.0.0.1:4010/", "https://api.telnyx.com/v2/extra", "http://127.0.0.1:4010/extra"),
            // A base URL that keeps `/v2`, behind a prefix.
            ("https://proxy.example/telnyx/v2/", "https://api.telnyx.com", "https://proxy.example/telnyx"),
            ("https://proxy.example/telnyx/v2", "wss://api.telnyx.com/v2", "wss://proxy.example/telnyx/v2"),
            ("http://localhost:9/v2", "https://api.telnyx.com", "http://localhost:9"),
            // Another host is another service.
            ("http://127.0.0.1:4010", "https://uploads.example.com/v1", "https://uploads.example.com/v1"),
        ];
        for (base, server, want) in cases {
            assert_eq!(server_url(d, base, server), want, "{base} + {server}");
        }
        assert_eq!(join("http://127.0.0.1:4010", "/.well-known/x"), "http://127.0.0.1:4010/.well-known/x");
        assert_eq!(join("https://api.telnyx.com/v2/", "/v2/calls"), "https://api.telnyx.com/v2/calls");
    }

    #[test]
    fn the_token_url_follows_the_base_url() {
        let c =
            Client::builder().client_credentials("a", "b").base_url("http://127.0.0.1:9/v2/").build_with_env(env(&[]));
        let Auth::ClientCredentials(creds) = &c.unwrap().inner.auth else { panic!("oauth") };
        assert!(format!("{creds:?}").contains("http://127.0.0.1:9/v2/oauth/token"));
    }

    #[test]
    fn debug_output_never_shows_secrets() {
        let c = Client::builder().client_credentials("id-1", "secret-1").build_with_env(env(&[])).unwrap();
        let b = Client::builder().api_key("key-1").client_credentials("id-1", "secret-2");
        for text in [format!("{c:?}"), format!("{b:?}")] {
            assert!(!text.contains("secret-") && !text.contains("key-1"), "{text}");
        }
    }

    #[test]
    fn the_public_key_comes_from_the_builder_or_the_environment() {
        let vars = [("TELNYX_API_KEY", "k"), ("TELNYX_PUBLIC_KEY", "from-env")];
        let c = Client::builder().build_with_env(env(&vars)).unwrap();
        assert_eq!(c.inner.public_key.as_deref(), Some("from-env"));
        let c = Client::builder().public_key("given").build_with_env(env(&vars)).unwrap();
        assert_eq!(c.inner.public_key.as_deref(), Some("given"));
    }
}
