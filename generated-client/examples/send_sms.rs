//! Send an SMS: `POST /messages`, as `client.messages.send({ from, to, text })` in the official SDKs.
//!
//! `TELNYX_API_KEY=... cargo run --example send_sms` (`TELNYX_BASE_URL` points it elsewhere).

#[tokio::main]
async fn main() -> telnyx::Result<()> {
    let client = telnyx::Client::from_env()?;
    let message = client.messages().send().from("+18005550101").to("+18005550100").text("Hello from Rust!").await?;
    println!("message {} to {:?}: {:?}", message.id.unwrap_or_default(), message.to, message.text);
    Ok(())
}
