//! Send an SMS: `POST /messages`, as `client.messages.send({ from, to, text })` in the official SDKs.
//!
//! `TELNYX_API_KEY=... cargo run --example send_sms` (`TELNYX_BASE_URL` points it elsewhere).

use telnyx::types::CreateMessageRequest;

#[tokio::main]
async fn main() -> telnyx::Result<()> {
    let client = telnyx::Client::from_env()?;
    let sent = client
        .messages()
        .send(CreateMessageRequest {
            from: Some("+18005550101".into()),
            text: Some("Hello from Rust!".into()),
            ..CreateMessageRequest::new("+18005550100")
        })
        .await?;
    let message = sent.data.expect("the message");
    println!("message {} to {:?}: {:?}", message.id.unwrap_or_default(), message.to, message.text);
    Ok(())
}
