//! Speech to text over WebSocket: stream an audio file's bytes and print the transcripts as
//! they arrive, as `SpeechToTextWS` does in the official TypeScript SDK.
//!
//! `TELNYX_API_KEY=... cargo run --example transcribe_stream -- speech.wav` (with no file, it
//! sends a second of a 440 Hz tone made here; `TELNYX_BASE_URL` points it elsewhere).

use futures_util::StreamExt;
use telnyx::types::{InputFormat, SttServerEvent, TranscriptionEngine};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let audio = match std::env::args().nth(1) {
        Some(path) => std::fs::read(path)?,
        None => tone_wav(),
    };
    let client = telnyx::Client::from_env()?;
    let session = client
        .speech_to_text()
        .transcription()
        .transcription_engine(TranscriptionEngine::Telnyx)
        .input_format(InputFormat::Wav)
        .interim_results(true)
        .await?;
    let (mut audio_out, mut events) = session.split();
    // Send while reading: audio goes out in chunks of about 100 ms, then the session closes.
    let sending = tokio::spawn(async move {
        for chunk in audio.chunks(3_200) {
            audio_out.send(chunk.to_vec()).await?;
        }
        audio_out.close().await
    });
    while let Some(event) = events.next().await {
        match event? {
            SttServerEvent::TranscriptFrame(t) if t.is_final == Some(true) => println!("final: {}", t.transcript),
            SttServerEvent::TranscriptFrame(t) => println!("interim: {}", t.transcript),
            SttServerEvent::SttErrorFrame(e) => eprintln!("error from the engine: {}", e.error),
            other => println!("other event: {other:?}"),
        }
    }
    sending.await??;
    Ok(())
}

/// One second of a 440 Hz tone as 16 kHz mono 16-bit WAV.
fn tone_wav() -> Vec<u8> {
    let rate = 16_000u32;
    let samples: Vec<i16> =
        (0..rate).map(|i| ((i as f32 * 440.0 * std::f32::consts::TAU / rate as f32).sin() * 8_000.0) as i16).collect();
    let data_len = samples.len() as u32 * 2;
    let mut wav = Vec::with_capacity(44 + data_len as usize);
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + data_len).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes());
    wav.extend_from_slice(&1u16.to_le_bytes()); // PCM
    wav.extend_from_slice(&1u16.to_le_bytes()); // mono
    wav.extend_from_slice(&rate.to_le_bytes());
    wav.extend_from_slice(&(rate * 2).to_le_bytes());
    wav.extend_from_slice(&2u16.to_le_bytes());
    wav.extend_from_slice(&16u16.to_le_bytes());
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&data_len.to_le_bytes());
    samples.iter().for_each(|s| wav.extend_from_slice(&s.to_le_bytes()));
    wav
}
