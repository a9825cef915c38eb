//! Dial a call, speak to the callee, play an audio file, and hang up (Call Control).
//!
//! `TELNYX_API_KEY=... cargo run --example dial_call`. In a real application each step follows
//! a webhook (`call.answered`, `call.speak.ended`, ...); see the `webhook_server` example.

#[tokio::main]
async fn main() -> telnyx::Result<()> {
    let client = telnyx::Client::from_env()?;
    let call = client
        .calls()
        .dial()
        .connection_id("1684641123236054244")
        .from("+18005550101")
        .to("+18005550100")
        .timeout_secs(30)
        .await?;
    let id = call.call_control_id;
    println!("dialled: call_control_id {id}, call_leg_id {}", call.call_leg_id);

    let actions = client.calls().actions();
    let spoke = actions.speak(&id).payload("Hello from Rust.").voice("female").await?;
    println!("speak: {:?}", spoke.result);
    let played = actions.start_playback(&id).audio_url("https://example.com/hold.mp3").await?;
    println!("playback: {:?}", played.result);
    let hung = actions.hangup(&id).await?;
    println!("hangup: {:?}", hung.result);
    Ok(())
}
