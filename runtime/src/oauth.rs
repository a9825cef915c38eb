//! OAuth2 client credentials, as the official SDKs do it: the client trades its id and secret
//! (HTTP Basic) for an access token at the spec's token endpoint (`POST /oauth/token`,
//! `grant_type=client_credentials`), keeps it until it expires, and asks for a new one when a
//! 401 arrives while it is about to. The token and the secret are never logged or printed.

use crate::{ApiError, Error, Result};
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use std::fmt;
use std::time::{Duration, Instant};

/// The token endpoint, relative to the base URL: the spec's `tokenUrl` is
/// `https://api.telnyx.com/v2/oauth/token`.
pub(crate) const TOKEN_PATH: &str = "/oauth/token";

/// A 401 within this long of the token's expiry means the token expired in flight.
const NEAR_EXPIRY: Duration = Duration::from_secs(10);

/// When the grant does not say how long the token lives.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

pub(crate) struct ClientCredentials {
    client_id: String,
    client_secret: String,
    token_url: String,
    cached: tokio::sync::Mutex<Option<Token>>,
}

struct Token {
    access: String,
    expires_at: Instant,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("token_url", &self.token_url)
            .finish()
    }
}

impl ClientCredentials {
    pub(crate) fn new(client_id: String, client_secret: String, token_url: String) -> Self {
        ClientCredentials { client_id, client_secret, token_url, cached: tokio::sync::Mutex::new(None) }
    }

    /// The current access token, from the cache or, when there is none or it has expired,
    /// from the token endpoint. Concurrent callers wait for one grant.
    pub(crate) async fn access_token(&self, http: &reqwest::Client, timeout: Duration) -> Result<String> {
        let mut slot = self.cached.lock().await;
        if let Some(token) = slot.as_ref().filter(|t| Instant::now() < t.expires_at) {
            return Ok(token.access.clone());
        }
        let token = self.grant(http, timeout).await?;
        let access = token.access.clone();
        *slot = Some(token);
        Ok(access)
    }

    /// After a 401: drops the cached token if it was at most [`NEAR_EXPIRY`] from expiring,
    /// and says whether it did (the request is then worth sending again with a new token).
    pub(crate) async fn expired_in_flight(&self) -> bool {
        let mut slot = self.cached.lock().await;
        let near = slot.as_ref().is_some_and(|t| t.expires_at.saturating_duration_since(Instant::now()) < NEAR_EXPIRY);
        if near {
            *slot = None;
        }
        near
    }

    async fn grant(&self, http: &reqwest::Client, timeout: Duration) -> Result<Token> {
        tracing::debug!(url = %self.token_url, "requesting an OAuth2 access token");
        let asked = Instant::now();
        let response = http
            .post(&self.token_url)
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .body("grant_type=client_credentials")
            .timeout(timeout)
            .send()
            .await
            .map_err(Error::transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(Error::transport)?;
        if !status.is_success() {
            return Err(Error::Api(Box::new(ApiError::new(status, headers, &body))));
        }
        // The body holds the token: errors name the field, never quote the body.
        let refused = |message: &str| {
            let failure = crate::decode::Failure {
                path: "access_token".into(),
                message: format!("the token endpoint's answer: {message} (body withheld: it may hold a token)"),
            };
            Error::Decode(Box::new(crate::error::DecodeError::new(
                failure,
                Some(status),
                headers.clone(),
                Default::default(),
            )))
        };
        let value: serde_json::Value = serde_json::from_slice(&body).map_err(|_| refused("not JSON"))?;
        let access = value
            .get("access_token")
            .and_then(|v| v.as_str())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| refused("no `access_token` string"))?
            .to_string();
        let lifetime = value.get("expires_in").and_then(|v| v.as_u64()).map_or(DEFAULT_LIFETIME, Duration::from_secs);
        Ok(Token { access, expires_at: asked + lifetime })
    }
}
