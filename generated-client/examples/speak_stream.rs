//! Text to speech over WebSocket: send text, write the audio chunks to a file as they arrive,
//! as `TextToSpeechWS` does in the official TypeScript SDK.
//!
//! `TELNYX_API_KEY=... cargo run --example speak_stream -- "Hello from Rust" hello.mp3` (the
//! file defaults to `speech.mp3` in the temporary directory; `TELNYX_BASE_URL` points it
//! elsewhere).

use futures_util::StreamExt;
use std::io::Write;
use telnyx::types::{ClientTextFrame, Provider, TtsServerEvent};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let text = args.next().unwrap_or_else(|| "Hello from the Telnyx Rust SDK.".into());
    let path = args.next().map(std::path::PathBuf::from).unwrap_or_else(|| std::env::temp_dir().join("speech.mp3"));
    let client = telnyx::Client::from_env()?;
    let mut session =
        client.text_to_speech().speech().stream().provider(Provider::Telnyx).voice("Telnyx.NaturalHD.astra").await?;
    // The handshake (a single space), then the text.
    session.send(ClientTextFrame::builder().text(" ")).await?;
    session.send(ClientTextFrame::builder().text(text)).await?;
    let mut file = std::fs::File::create(&path)?;
    let mut written = 0;
    while let Some(event) = session.next().await {
        match event? {
            TtsServerEvent::AudioChunkFrame(chunk) => {
                if let Some(Some(audio)) = chunk.audio {
                    file.write_all(&audio)?;
                    written += audio.len();
                }
            }
            // The audio of the text is complete.
            TtsServerEvent::FinalFrame(_) => break,
            TtsServerEvent::ErrorFrame(e) => return Err(format!("synthesis failed: {:?}", e.error).into()),
            other => println!("other event: {other:?}"),
        }
    }
    session.close().await?;
    println!("wrote {written} bytes of audio to {}", path.display());
    Ok(())
}
