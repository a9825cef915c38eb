//! Dial a call, speak to the callee, play an audio file, and hang up (Call Control).
//!
//! `TELNYX_API_KEY=... cargo run --example dial_call`. In a real application each step follows
//! a webhook (`call.answered`, `call.speak.ended`, ...); see the `webhook_server` example.

use telnyx::types::{CallRequest, HangupRequest, PlayAudioUrlRequest, SpeakRequest};

#[tokio::main]
async fn main() -> telnyx::Result<()> {
    let client = telnyx::Client::from_env()?;
    let call = client
        .calls()
        .dial(CallRequest {
            timeout_secs: Some(30),
            ..CallRequest::new("1684641123236054244", "+18005550101", "+18005550100")
        })
        .await?
        .data
        .expect("the call");
    let id = call.call_control_id.clone();
    println!("dialled: call_control_id {id}, call_leg_id {}", call.call_leg_id);

    let actions = client.calls().actions();
    let spoke = actions.speak(&id, SpeakRequest::new("Hello from Rust.", "female")).await?;
    println!("speak: {:?}", spoke.data.and_then(|r| r.result));
    let played = actions
        .start_playback(
            &id,
            PlayAudioUrlRequest { audio_url: Some("https://example.com/hold.mp3".into()), ..Default::default() },
        )
        .await?;
    println!("playback: {:?}", played.data.and_then(|r| r.result));
    let hung = actions.hangup(&id, HangupRequest::default()).await?;
    println!("hangup: {:?}", hung.data.and_then(|r| r.result));
    Ok(())
}
