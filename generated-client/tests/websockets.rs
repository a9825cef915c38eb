//! The two WebSocket operations end to end, without the network: a local server
//! (`common/ws_server.rs`) checks each upgrade request and plays a scripted exchange, with a
//! server error frame, a ping, a frame that does not decode, an error close, an abrupt close
//! and a refused upgrade. Prism cannot speak WebSocket, so this is where they are tested.

#[allow(dead_code)]
#[path = "common/ws_server.rs"]
mod ws_server;

use futures_util::StreamExt;
use telnyx::types::{
    ClientTextFrame, InputFormat, Provider, SttServerEvent, TranscriptionEngine as Engine, TtsServerEvent,
};
use ws_server::{audio_for, start, Fault};

fn client(base_url: &str) -> telnyx::Client {
    telnyx::Client::builder().api_key("test-key").base_url(base_url).max_retries(0).build().unwrap()
}

/// Opens the session every test uses: Deepgram on WAV audio, English, interim results.
async fn transcription(
    client: &telnyx::Client,
) -> telnyx::Result<telnyx::Session<telnyx::bytes::Bytes, SttServerEvent>> {
    let call = client.speech_to_text().transcription().transcription_engine(Engine::Deepgram);
    call.input_format(InputFormat::Wav).language("en").interim_results(true).await
}

/// Every event of a session until it ends, as text.
async fn transcripts(session: &mut telnyx::Session<telnyx::bytes::Bytes, SttServerEvent>, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    while out.len() < n {
        match session.next().await {
            Some(Ok(SttServerEvent::TranscriptFrame(t))) => out.push(format!("{} {:?}", t.transcript, t.is_final)),
            Some(Ok(SttServerEvent::SttErrorFrame(e))) => out.push(format!("error: {}", e.error)),
            Some(Ok(other)) => out.push(format!("{other:?}")),
            Some(Err(e)) => out.push(format!("failed: {e}")),
            None => break,
        }
    }
    out
}

#[tokio::test]
async fn speech_to_text_sends_audio_and_reads_transcripts() {
    let server = start(Fault::None).await;
    let client = client(&server.base_url());
    let mut session = transcription(&client).await.expect("the session opens");
    assert_eq!(session.request_id(), Some("req-ws"));
    assert!(session.url().starts_with("ws://127.0.0.1:"), "{}", session.url());
    session.send(vec![1u8, 2, 3]).await.unwrap();
    session.send(telnyx::bytes::Bytes::from_static(b"RIFF....WAVE")).await.unwrap();
    let got = transcripts(&mut session, 4).await;
    assert_eq!(
        got,
        ["part 1 Some(false)", "chunk 1 of 3 bytes Some(true)", "part 3 Some(false)", "chunk 3 of 12 bytes Some(true)"]
    );
    session.close().await.expect("a clean close");

    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    let s = &seen[0];
    assert_eq!(s.path, "/speech-to-text/transcription");
    assert_eq!(s.query, "transcription_engine=Deepgram&input_format=wav&language=en&interim_results=true");
    assert_eq!(s.authorization, "Bearer test-key");
    assert_eq!(s.binary, [vec![1, 2, 3], b"RIFF....WAVE".to_vec()]);
    assert!(s.closed_by_client, "the client sent a close frame");
}

#[tokio::test]
async fn text_to_speech_sends_json_and_reads_decoded_audio() {
    let server = start(Fault::None).await;
    let client = client(&server.base_url());
    let session = client
        .text_to_speech()
        .speech()
        .stream()
        .provider(Provider::Telnyx)
        .voice("Telnyx.NaturalHD.astra")
        .await
        .expect("the session opens");
    let (mut sender, mut events) = session.split();
    sender.send(ClientTextFrame::builder().text(" ")).await.unwrap();
    sender.send(ClientTextFrame::builder().text("Hello from Rust")).await.unwrap();
    let mut audio = Vec::new();
    let mut finals = 0;
    while let Some(event) = events.next().await {
        match event.expect("a frame that decodes") {
            TtsServerEvent::AudioChunkFrame(chunk) => {
                audio.extend_from_slice(&chunk.audio.flatten().unwrap_or_default())
            }
            TtsServerEvent::FinalFrame(_) => {
                finals += 1;
                sender.close().await.unwrap();
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(finals, 1);
    assert_eq!(audio, audio_for("Hello from Rust"), "the base64 chunks decode to the audio");
    let s = &server.seen()[0];
    assert_eq!(s.path, "/text-to-speech/speech");
    assert_eq!(s.query, "voice=Telnyx.NaturalHD.astra&provider=telnyx");
    assert_eq!(s.authorization, "Bearer test-key");
    assert_eq!(s.text, [r#"{"text":" "}"#, r#"{"text":"Hello from Rust"}"#]);
}

#[tokio::test]
async fn a_server_error_frame_is_a_typed_event_and_a_ping_is_answered() {
    for fault in [Fault::ErrorFrame, Fault::Ping] {
        let server = start(fault).await;
        let client = client(&server.base_url());
        let mut session = transcription(&client).await.unwrap();
        session.send(vec![9u8; 5]).await.unwrap();
        let want: &[&str] = match fault {
            Fault::ErrorFrame => &["part 1 Some(false)", "error: engine overloaded", "chunk 1 of 5 bytes Some(true)"],
            _ => &["part 1 Some(false)", "chunk 1 of 5 bytes Some(true)"],
        };
        assert_eq!(transcripts(&mut session, want.len()).await, want, "{fault:?}");
        session.close().await.unwrap();
        if fault == Fault::Ping {
            assert_eq!(server.seen()[0].pongs, 1, "the client answered the ping");
        }
    }
}

#[tokio::test]
async fn an_abrupt_or_error_close_ends_the_stream_with_an_error() {
    for (fault, want) in [
        (Fault::Abrupt, "the connection dropped without a close frame"),
        (Fault::CloseWithError, "the server closed the session: 1011 engine crashed"),
    ] {
        let server = start(fault).await;
        let client = client(&server.base_url());
        let mut session = transcription(&client).await.unwrap();
        session.send(vec![1u8]).await.unwrap();
        assert!(matches!(session.next().await, Some(Ok(SttServerEvent::TranscriptFrame(_)))));
        let e = session.next().await.expect("an error").expect_err("an error");
        assert!(e.to_string().contains(want), "{fault:?}: {e}");
        let telnyx::Error::WebSocket { url, close_code, .. } = &e else { panic!("{e:?}") };
        assert!(url.ends_with("/speech-to-text/transcription"), "{url}");
        assert_eq!(*close_code, (fault == Fault::CloseWithError).then_some(1011));
        assert!(session.next().await.is_none(), "the stream ends after the error");
    }
}

#[tokio::test]
async fn a_frame_that_does_not_decode_names_the_frame_keeps_it_and_the_session_goes_on() {
    let server = start(Fault::BadFrame).await;
    let client = client(&server.base_url());
    let mut session = transcription(&client).await.unwrap();
    let e = session.next().await.unwrap().expect_err("not JSON");
    let d = e.decode().expect("a decode error");
    assert!(d.message.contains("frame 1 of ws://"), "{}", d.message);
    assert_eq!(d.body_text(), "this is not JSON");
    session.send(vec![1u8, 2]).await.unwrap();
    assert_eq!(transcripts(&mut session, 1).await, ["part 1 Some(false)"]);
}

#[tokio::test]
async fn a_refused_upgrade_is_an_api_error_with_the_body() {
    let server = start(Fault::Refuse).await;
    let client = client(&server.base_url());
    let e = transcription(&client).await.expect_err("refused");
    let api = e.api().unwrap_or_else(|| panic!("an API error: {e:?}"));
    assert_eq!(api.status.as_u16(), 401);
    assert_eq!(api.request_id.as_deref(), Some("req-refused"));
    assert_eq!(api.errors[0].detail.as_deref(), Some("bad key"));
    assert!(api.body.contains("Authentication failed"), "{}", api.body);
}

#[tokio::test]
async fn sessions_authenticate_with_oauth2_tokens_too() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let tokens = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                serde_json::json!({"access_token": "tok-1", "token_type": "Bearer", "expires_in": 3600}),
            ),
        )
        .mount(&tokens)
        .await;
    let server = start(Fault::None).await;
    let client = telnyx::Client::builder()
        .client_credentials("id", "secret")
        .token_url(format!("{}/oauth/token", tokens.uri()))
        .base_url(server.base_url())
        .build()
        .unwrap();
    let session = transcription(&client).await.unwrap();
    session.close().await.unwrap();
    assert_eq!(server.seen()[0].authorization, "Bearer tok-1");
}

#[tokio::test]
async fn the_well_known_operations_go_to_the_root_of_the_server() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let mock = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/.well-known/oauth-authorization-server"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"issuer": "https://api.telnyx.com"})))
        .mount(&mock)
        .await;
    // The base URL keeps `/v2`, as Telnyx's does: the well-known document is above it.
    let client = client(&format!("{}/v2", mock.uri()));
    let found = client.well_known().retrieve_authorization_server_metadata().await.expect("served at the root");
    assert_eq!(found.issuer.as_deref(), Some("https://api.telnyx.com"));
}

#[tokio::test]
async fn a_session_outlives_the_request_timeout() {
    // The timeout bounds the upgrade request; the session after it lasts as long as it needs.
    let server = start(Fault::None).await;
    let client = telnyx::Client::builder()
        .api_key("test-key")
        .base_url(server.base_url())
        .timeout(std::time::Duration::from_millis(200))
        .build()
        .unwrap();
    let mut session = transcription(&client).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    session.send(vec![4u8; 4]).await.unwrap();
    assert_eq!(transcripts(&mut session, 2).await, ["part 1 Some(false)", "chunk 1 of 4 bytes Some(true)"]);
    session.close().await.unwrap();
}

#[tokio::test]
async fn a_close_the_server_never_answers_gives_up_after_the_timeout() {
    let server = start(Fault::IgnoreClose).await;
    let client = telnyx::Client::builder()
        .api_key("test-key")
        .base_url(server.base_url())
        .timeout(std::time::Duration::from_millis(300))
        .build()
        .unwrap();
    let session = transcription(&client).await.unwrap();
    // The server holds the connection for 5 s; the close stops waiting after the timeout.
    let closed = tokio::time::timeout(std::time::Duration::from_secs(4), session.close()).await;
    assert!(matches!(closed, Ok(Ok(()))), "{closed:?}");
    assert!(server.seen()[0].closed_by_client);
}
