//! Call an endpoint, or pass a parameter, that the spec does not describe: `Client::request`
//! keeps the client's authentication, retries and error handling.
//!
//! `TELNYX_API_KEY=... cargo run --example custom_endpoint`

use telnyx::reqwest::Method;

#[tokio::main]
async fn main() -> telnyx::Result<()> {
    let client = telnyx::Client::from_env()?;
    // A JSON answer, read as untyped JSON (any `serde::Deserialize` type works too).
    let mut request = client.request(Method::GET, "/balance");
    request.header("x-example", &"custom-endpoint");
    let balance: serde_json::Value = request.send_json().await?;
    println!("GET /balance: {}", balance["data"]);

    // A path this version of the spec does not have: the API error says what happened.
    match client.request(Method::GET, "/not_in_the_spec").send_json::<serde_json::Value>().await {
        Ok(value) => println!("GET /not_in_the_spec: {value}"),
        Err(e) => println!("GET /not_in_the_spec: {}", e.api().map_or_else(|| e.to_string(), |a| a.status.to_string())),
    }
    Ok(())
}
