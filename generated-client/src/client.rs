//! The client: the runtime's [`Transport`] (credentials, connection pools, settings), with the
//! API's resources as methods (written by the generator in `generated/resources/`).

use crate::{RequestBuilder, RequestOptions, Result};
use telnyx_runtime::Transport;

/// A Telnyx API client. Cloning is cheap and shares the connection pool.
#[derive(Clone)]
pub struct Client {
    transport: Transport,
}

/// Configures a [`Client`].
///
/// ```no_run
/// # fn run() -> telnyx::Result<()> {
/// let client = telnyx::Client::builder()
///     .http_settings(|http| http.proxy(telnyx::reqwest::Proxy::https("http://proxy.internal:3128").unwrap()))
///     .build()?;
/// # Ok(()) }
/// ```
pub type ClientBuilder = telnyx_runtime::ClientBuilder<Client>;

impl From<Transport> for Client {
    fn from(transport: Transport) -> Self {
        Client { transport }
    }
}

impl telnyx_runtime::Build for Client {
    const DEFAULT_BASE_URL: &'static str = crate::DEFAULT_BASE_URL;
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Client").field(&self.transport).finish()
    }
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
        self.transport.base_url()
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
        Client { transport: self.transport.with_options(options) }
    }

    /// Starts a request to `path` (as the spec writes it) with authentication, retries and
    /// error handling: the escape hatch for endpoints or parameters the spec does not describe.
    pub fn request(&self, method: reqwest::Method, path: impl AsRef<str>) -> RequestBuilder<'_> {
        self.transport.request(method, path)
    }

    /// [`Client::request`] for an operation the spec sends to a server of its own (its path's
    /// or its own `servers`): the URL is that server's, moved onto the base URL by the rule of
    /// [`Client::server_url`].
    pub fn request_on(&self, server: &str, method: reqwest::Method, path: impl AsRef<str>) -> RequestBuilder<'_> {
        self.transport.request_on(server, method, path)
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
        self.transport.server_url(server)
    }

    /// A webhook verifier for the builder's public key, else `TELNYX_PUBLIC_KEY`.
    #[cfg(feature = "webhooks")]
    #[cfg_attr(docsrs, doc(cfg(feature = "webhooks")))]
    pub fn webhook_verifier(&self) -> std::result::Result<crate::webhooks::Verifier, crate::webhooks::WebhookError> {
        crate::webhooks::Verifier::from_keys(self.transport.public_key().unwrap_or_default())
    }
}
