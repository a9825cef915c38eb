//! Read the raw response beside the typed value: status, headers, the request id to quote to
//! Telnyx support, and how many attempts the call took.
//!
//! `TELNYX_API_KEY=... cargo run --example raw_response`

use telnyx::{RequestOptions, ResponseCapture};

#[tokio::main]
async fn main() -> telnyx::Result<()> {
    let client = telnyx::Client::from_env()?;
    let capture = ResponseCapture::new();
    let balance = client.with_options(RequestOptions::new().capture_response(&capture)).balance().retrieve().await?;
    let meta = capture.last().expect("a response arrived");
    println!("balance: {:?}", balance.balance);
    println!("status {} from {} after {} attempt(s)", meta.status, meta.url, meta.attempts);
    println!("request id: {:?}", meta.request_id);
    println!("content-type: {:?}", meta.headers.get("content-type"));
    Ok(())
}
