//! The transport: authentication, the connection pools, the base URL and the settings every
//! request is sent with; [`ClientBuilder`] makes one.

use crate::options::RequestOptions;
use crate::request::RequestBuilder;
use crate::{Error, Result};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
const DEFAULT_MAX_RETRIES: u32 = 2;

/// What [`ClientBuilder::http_settings`] does to each `reqwest::Client` the crate builds.
type HttpSettings = Arc<dyn Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync>;

/// The `User-Agent` of the crate's requests.
pub(crate) const USER_AGENT: &str = concat!("telnyx-rust/", env!("CARGO_PKG_VERSION"));

/// A `reqwest::Client` builder with the crate's user agent.
fn http_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder().user_agent(USER_AGENT)
}

/// How requests authenticate.
enum Auth {
    /// `Authorization: Bearer <API key>`.
    ApiKey(String),
    /// OAuth2 client credentials: a bearer token obtained, cached and renewed by the client.
    ClientCredentials(crate::oauth::ClientCredentials),
}

/// What a client sends its requests with: the connection pools, the credentials, the base URL
/// and the settings. Cloning is cheap and shares the pools. The crate's `Client` holds one.
#[derive(Clone)]
pub struct Transport {
    inner: Arc<Inner>,
    /// Overrides for the requests made through this handle (see [`Transport::with_options`]).
    options: Option<Arc<RequestOptions>>,
}

struct Inner {
    http: reqwest::Client,
    /// HTTP/1.1 only, for upgrades (HTTP/2 has no `Upgrade`); made on first use.
    upgrade_http: std::sync::OnceLock<reqwest::Client>,
    /// The builder's `http_settings`, applied to the upgrade pool too.
    http_settings: Option<HttpSettings>,
    /// Whether `http` is the caller's own (`ClientBuilder::http_client`).
    http_given: bool,
    /// The caller's client answered an upgrade over HTTP/2: upgrades use a pool of the crate's.
    given_http_speaks_h2: std::sync::atomic::AtomicBool,
    auth: Auth,
    base_url: String,
    /// The spec's server, which [`Transport::server_url`] moves operations' own servers from.
    default_base_url: &'static str,
    /// The webhook public key: the builder's, else `TELNYX_PUBLIC_KEY`.
    public_key: Option<String>,
    /// The builder's settings: timeout, retries, default headers.
    defaults: RequestOptions,
    /// What sends requests instead of `http` (`ClientBuilder::connector`).
    connector: Option<Arc<dyn crate::Connector>>,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
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

/// The settings one request is sent with.
pub(crate) struct Effective<'a> {
    pub timeout: Duration,
    pub max_retries: u32,
    pub retry_policy: crate::RetryPolicy,
    pub default_headers: &'a HeaderMap,
    pub options: Option<&'a RequestOptions>,
    pub decode_mode: crate::DecodeMode,
}

impl Transport {
    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// A handle whose requests use `options` (on top of any this handle already has).
    pub fn with_options(&self, options: RequestOptions) -> Transport {
        let options = match &self.options {
            Some(current) => current.merged(options),
            None => options,
        };
        Transport { inner: self.inner.clone(), options: Some(Arc::new(options)) }
    }

    /// Starts a request to `path` (as the spec writes it) with authentication, retries and
    /// error handling.
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

    /// [`Transport::request`] for an operation the spec sends to a server of its own (its
    /// path's or its own `servers`): the URL is that server's, moved onto the base URL by the
    /// rule of [`Transport::server_url`].
    pub fn request_on(&self, server: &str, method: reqwest::Method, path: impl AsRef<str>) -> RequestBuilder<'_> {
        let root = self.server_url(server);
        RequestBuilder::new(self, method, join(&root, path.as_ref()))
    }

    /// Where the operations that the spec gives `server` (instead of its first server) go with
    /// this base URL: the part of `server` that is the default server is swapped for the base
    /// URL (the client's `server_url` has the whole rule, and the tests below its cases).
    pub fn server_url(&self, server: &str) -> String {
        server_url(self.inner.default_base_url, &self.inner.base_url, server)
    }

    /// Joins the base URL and a spec path.
    fn url(&self, path: &str) -> String {
        join(&self.inner.base_url, path)
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The connector given to the builder, which sends requests instead of reqwest.
    pub(crate) fn connector(&self) -> Option<&Arc<dyn crate::Connector>> {
        self.inner.connector.as_ref()
    }

    /// The connection pool of upgrades (WebSocket sessions): the caller's client, unless the
    /// builder has `http_settings` or that client answered an upgrade over HTTP/2; else one made
    /// on first use from the `http_settings`, or like the default one of requests, HTTP/1.1
    /// only (HTTP/2 has no `Upgrade`).
    pub(crate) fn upgrade_http(&self) -> Result<&reqwest::Client> {
        if self.uses_given_http_for_upgrades() {
            return Ok(&self.inner.http);
        }
        if let Some(http) = self.inner.upgrade_http.get() {
            return Ok(http);
        }
        let builder = match &self.inner.http_settings {
            Some(settings) => settings(http_builder()),
            None => http_builder(),
        };
        let http = builder.http1_only().build().map_err(Error::transport)?;
        Ok(self.inner.upgrade_http.get_or_init(|| http))
    }

    fn uses_given_http_for_upgrades(&self) -> bool {
        let inner = &self.inner;
        inner.http_given
            && inner.http_settings.is_none()
            && !inner.given_http_speaks_h2.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// After an upgrade answered over HTTP/2: whether it is worth sending again, on the crate's
    /// HTTP/1.1 pool (the caller's client spoke HTTP/2, and upgrades leave it from now on).
    pub(crate) fn leave_given_http_for_upgrades(&self) -> bool {
        if !self.uses_given_http_for_upgrades() {
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

    /// The webhook public key: the builder's, else `TELNYX_PUBLIC_KEY`.
    pub fn public_key(&self) -> Option<&str> {
        self.inner.public_key.as_deref()
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

/// The rule of [`Transport::server_url`]: `server` moved from `default` onto `base`.
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

/// What a [`ClientBuilder`] builds: a client around a [`Transport`], for an API whose first
/// server is `DEFAULT_BASE_URL`.
pub trait Build: From<Transport> {
    const DEFAULT_BASE_URL: &'static str;
}

/// Configures a client (`C`: the crate's `Client`).
pub struct ClientBuilder<C> {
    api_key: Option<String>,
    client_credentials: Option<(String, String)>,
    token_url: Option<String>,
    public_key: Option<String>,
    base_url: Option<String>,
    defaults: RequestOptions,
    http: Option<reqwest::Client>,
    http_settings: Option<HttpSettings>,
    connector: Option<Arc<dyn crate::Connector>>,
    client: PhantomData<fn() -> C>,
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            api_key: None,
            client_credentials: None,
            token_url: None,
            public_key: None,
            base_url: None,
            defaults: RequestOptions::default(),
            http: None,
            http_settings: None,
            connector: None,
            client: PhantomData,
        }
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
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
            .field("connector", &self.connector.is_some())
            .finish()
    }
}

impl<C> ClientBuilder<C> {
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

    /// The base64 Ed25519 public key webhooks are signed with (see the client's
    /// `webhook_verifier`); `TELNYX_PUBLIC_KEY` when not given.
    pub fn public_key(mut self, key: impl Into<String>) -> Self {
        self.public_key = Some(key.into());
        self
    }

    /// The base URL; `TELNYX_BASE_URL` when not given, else the spec's first server.
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

    /// Send every request through `connector` instead of reqwest: an in-process test double
    /// (the client crate's `test_util::Mock`), a recorder, a gateway of your own. Each attempt
    /// reaches it whole (authentication, the crate's `User-Agent`, headers, query, body, a
    /// multipart one read into memory), within the request's timeout; retries, errors and
    /// decoding work as they do over the network. The reqwest settings ([`Self::http_client`],
    /// [`Self::http_settings`]) do not apply to it. WebSocket sessions need the network (an
    /// [`crate::Error::Config`]), and OAuth2's token requests go over reqwest.
    pub fn connector(mut self, connector: impl crate::Connector) -> Self {
        self.connector = Some(Arc::new(connector));
        self
    }

    /// Settings (a proxy, root certificates, a client certificate, a local address...) for
    /// every `reqwest::Client` the crate builds: the one of requests (unless
    /// [`ClientBuilder::http_client`] gives one) and the HTTP/1.1 one of WebSocket sessions.
    pub fn http_settings(
        mut self,
        settings: impl Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync + 'static,
    ) -> Self {
        self.http_settings = Some(Arc::new(settings));
        self
    }
}

impl<C: Build> ClientBuilder<C> {
    pub fn build(self) -> Result<C> {
        self.build_with_env(|name| std::env::var(name).ok()).map(C::from)
    }

    /// [`ClientBuilder::build`] reading the environment through `env`. The builder's settings
    /// come first; then `TELNYX_API_KEY`; then `TELNYX_CLIENT_ID` with `TELNYX_CLIENT_SECRET`.
    fn build_with_env(self, env: impl Fn(&str) -> Option<String>) -> Result<Transport> {
        let env = |name: &str| env(name).filter(|v| !v.trim().is_empty());
        let base_url =
            self.base_url.or_else(|| env("TELNYX_BASE_URL")).unwrap_or_else(|| C::DEFAULT_BASE_URL.to_string());
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
        let http_given = self.http.is_some();
        let http = match (self.http, &self.http_settings) {
            (Some(h), _) => Ok(h),
            (None, Some(settings)) => settings(http_builder()).build(),
            (None, None) => http_builder().build(),
        }
        .map_err(|source| Error::Connection { source, not_retried: None })?;
        let inner = Inner {
            http,
            upgrade_http: std::sync::OnceLock::new(),
            http_settings: self.http_settings,
            http_given,
            given_http_speaks_h2: std::sync::atomic::AtomicBool::new(false),
            auth,
            base_url,
            default_base_url: C::DEFAULT_BASE_URL,
            public_key,
            defaults: self.defaults,
            connector: self.connector,
        };
        Ok(Transport { inner: Arc::new(inner), options: None })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
    }

    /// A client of an API whose first server is Telnyx's (the tests read the transport that
    /// `build_with_env` makes for it).
    struct Client;

    impl From<Transport> for Client {
        fn from(_: Transport) -> Self {
            Client
        }
    }

    impl Build for Client {
        const DEFAULT_BASE_URL: &'static str = "https://api.telnyx.com/v2";
    }

    impl Client {
        fn builder() -> ClientBuilder<Client> {
            ClientBuilder::default()
        }
    }

    fn auth(client: &Transport) -> &'static str {
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
