//! Handle errors: an API error (not found, rate limited: status, request id, the API's own
//! error list), a per-request timeout, and the retry settings.
//!
//! `TELNYX_API_KEY=... cargo run --example handle_errors`

use std::time::Duration;
use telnyx::reqwest::header::{HeaderName, HeaderValue};
use telnyx::{Error, RequestOptions};

fn explain(what: &str, result: telnyx::Result<impl std::fmt::Debug>) {
    match result {
        Ok(value) => println!("{what}: ok {value:?}"),
        Err(Error::Api(e)) if e.is_not_found() => {
            println!("{what}: not found (status {}, request id {:?})", e.status, e.request_id)
        }
        Err(Error::Api(e)) if e.is_rate_limited() => {
            println!("{what}: rate limited (status {}); slow down and try later", e.status)
        }
        Err(Error::Api(e)) => {
            let details: Vec<_> = e.errors.iter().map(|d| (d.code.clone(), d.title.clone())).collect();
            println!("{what}: API error {} {details:?}", e.status)
        }
        Err(e) if e.is_timeout() => println!("{what}: timed out: {e}"),
        Err(e) => println!("{what}: {e}"),
    }
}

#[tokio::main]
async fn main() -> telnyx::Result<()> {
    // Up to 4 retries (429, 5xx, connection errors; `Retry-After` honoured), 20 s per attempt.
    let client = telnyx::Client::builder().max_retries(4).timeout(Duration::from_secs(20)).build()?;

    // A missing resource. (`Prefer: code=404` asks a Prism mock server for its 404 answer; the
    // real API answers 404 by itself for an unknown id.)
    let prefer_404 =
        RequestOptions::new().header(HeaderName::from_static("prefer"), HeaderValue::from_static("code=404"));
    explain("missing number order", client.with_options(prefer_404).number_orders().retrieve("no-such-order").await);

    // Rate limited: a 429 is retried with backoff (honouring `Retry-After`) before it is an
    // error; here with retries off. (`Prefer: code=429` asks Prism for the 429 this operation
    // documents; the real API answers 429 to a burst of email verification requests.)
    let prefer_429 = RequestOptions::new()
        .max_retries(0)
        .header(HeaderName::from_static("prefer"), HeaderValue::from_static("code=429"));
    explain(
        "email verification burst",
        client.with_options(prefer_429).dir().verify_email().create("0b8a1d1e-1b6d-4a51-9a6e-6d3b1f1f2a3c").await,
    );

    // A per-request timeout no server can meet, and no retries for this one call.
    let hurried = RequestOptions::new().timeout(Duration::from_nanos(1)).max_retries(0);
    explain("hurried balance", client.with_options(hurried).balance().retrieve().await);

    // And a call that works.
    explain("balance", client.balance().retrieve().await.map(|b| b.balance));
    Ok(())
}
