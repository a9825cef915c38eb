//! Stream a chat completion as server-sent events (the Anthropic-compatible messages API).
//!
//! `TELNYX_API_KEY=... cargo run --example stream_chat`

#[tokio::main]
async fn main() -> telnyx::Result<()> {
    let client = telnyx::Client::from_env()?;
    let message = serde_json::json!({"role": "user", "content": "Say hello in five words."});
    let serde_json::Value::Object(message) = message else { unreachable!("an object literal") };
    let mut events = client
        .ai()
        .anthropic()
        .v1()
        .messages_stream()
        .max_tokens(64)
        .messages([message])
        .model("anthropic/claude-3-5-haiku")
        .stream(true)
        .await?;
    let mut count = 0;
    while let Some(event) = events.next_event().await {
        let event = event?;
        count += 1;
        println!("{}: {}", if event.event.is_empty() { "message" } else { &event.event }, event.data);
    }
    println!("{count} events");
    Ok(())
}
