//! The client: configuration, authentication and the shared connection pool.

use crate::request::RequestBuilder;
use crate::{Error, Result};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// A Telnyx API client. Cloning is cheap and shares the connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    api_key: String,
    base_url: String,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client").field("base_url", &self.inner.base_url).field("api_key", &"<redacted>").finish()
    }
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

    /// Starts a request to `path` (as the spec writes it) with authentication set.
    pub fn request(&self, method: reqwest::Method, path: impl AsRef<str>) -> RequestBuilder<'_> {
        RequestBuilder::new(self, method, self.url(path.as_ref()))
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
    timeout: Option<Duration>,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
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

    /// Timeout of each request (default 60 s). Ignored when [`Self::http_client`] is given.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
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
                .timeout(self.timeout.unwrap_or(Duration::from_secs(60)))
                .user_agent(concat!("telnyx-rust/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(Error::Connection)?,
        };
        Ok(Client { inner: Arc::new(Inner { http, api_key, base_url }) })
    }
}
