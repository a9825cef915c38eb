//! The two WebSocket operations end to end, without the network: a local server
//! (`common/ws_server.rs`) checks each upgrade request and plays a scripted exchange, with a
//! server error frame, a ping, a frame that does not decode, an error close, an abrupt close,
//! a refused upgrade, a server that stops reading, and connections lost and opened again; over
//! TLS through a CONNECT proxy too. Prism cannot speak WebSocket, so this is where they are
//! tested.

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

/// The same session, reconnecting as `policy` says.
async fn reconnecting(
    client: &telnyx::Client,
    policy: telnyx::Reconnect,
) -> telnyx::Session<telnyx::bytes::Bytes, SttServerEvent> {
    let call = client.speech_to_text().transcription().transcription_engine(Engine::Deepgram);
    call.input_format(InputFormat::Wav).reconnect(policy).await.expect("the session opens")
}

fn ms(millis: u64) -> std::time::Duration {
    std::time::Duration::from_millis(millis)
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

/// A client trusting the test CA and going through `proxy` (HTTP/1.1: it opens sessions).
fn proxied_http(proxy: &ws_server::Proxy) -> reqwest::ClientBuilder {
    let ca = reqwest::Certificate::from_pem(ws_server::CA_PEM).unwrap();
    reqwest::Client::builder()
        .proxy(reqwest::Proxy::all(format!("http://{}", proxy.addr)).unwrap())
        .add_root_certificate(ca)
}

#[tokio::test]
async fn a_session_goes_through_the_proxy_and_roots_of_the_given_client() {
    // The server answers as `telnyx.test` over TLS, which only the proxy can reach and only
    // the test CA vouches for: a session that ignored the client's settings could not open.
    let server = ws_server::start_tls(Fault::None).await;
    let proxy = ws_server::start_proxy(server.addr).await;
    let base_url = format!("https://telnyx.test:{}", server.addr.port());
    let given = proxied_http(&proxy).http1_only().build().unwrap();
    let client = telnyx::Client::builder().api_key("test-key").base_url(&base_url).http_client(given).build().unwrap();
    let mut session = transcription(&client).await.expect("the session opens through the proxy");
    assert!(session.url().starts_with("wss://telnyx.test:"), "{}", session.url());
    session.send(vec![5u8; 2]).await.unwrap();
    assert_eq!(transcripts(&mut session, 2).await, ["part 1 Some(false)", "chunk 1 of 2 bytes Some(true)"]);
    session.close().await.unwrap();
    let connects = proxy.connects.lock().unwrap().clone();
    assert_eq!(connects, [format!("CONNECT telnyx.test:{} HTTP/1.1", server.addr.port())]);
    assert_eq!(server.seen()[0].authorization, "Bearer test-key");
}

#[tokio::test]
async fn a_session_goes_through_the_proxy_and_roots_of_the_http_settings() {
    let server = ws_server::start_tls(Fault::None).await;
    let proxy = ws_server::start_proxy(server.addr).await;
    let (proxy_url, ca) =
        (format!("http://{}", proxy.addr), reqwest::Certificate::from_pem(ws_server::CA_PEM).unwrap());
    let client = telnyx::Client::builder()
        .api_key("test-key")
        .base_url(format!("https://telnyx.test:{}", server.addr.port()))
        .http_settings(move |http| {
            http.proxy(reqwest::Proxy::all(&proxy_url).unwrap()).add_root_certificate(ca.clone())
        })
        .build()
        .unwrap();
    let mut session = transcription(&client).await.expect("the session opens through the proxy");
    session.send(vec![5u8; 3]).await.unwrap();
    assert_eq!(transcripts(&mut session, 2).await, ["part 1 Some(false)", "chunk 1 of 3 bytes Some(true)"]);
    session.close().await.unwrap();
    assert_eq!(proxy.connects.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn sends_and_close_return_within_the_timeout_when_the_server_stops_reading() {
    let server = start(Fault::StopReading).await;
    let timeout = std::time::Duration::from_millis(300);
    let client = telnyx::Client::builder()
        .api_key("test-key")
        .base_url(server.base_url())
        .timeout(timeout)
        .max_retries(0)
        .build()
        .unwrap();
    let mut session = transcription(&client).await.unwrap();
    // Frames of 1 MiB fill the socket's buffers within a few sends; the send that finds them
    // full gives up after the timeout instead of waiting for the server forever.
    let stalled = tokio::time::timeout(std::time::Duration::from_secs(8), async {
        for sent in 0..256 {
            let started = std::time::Instant::now();
            if let Err(e) = session.send(vec![0u8; 1 << 20]).await {
                return (sent, started.elapsed(), e);
            }
        }
        panic!("256 MiB sent to a server that reads nothing");
    })
    .await
    .expect("a send that returns");
    let (sent, took, e) = stalled;
    assert!(sent > 0, "the first frames fit in the buffers");
    assert!(took >= timeout && took < timeout + std::time::Duration::from_secs(2), "{took:?}");
    assert!(e.to_string().contains("within the client's timeout"), "{e}");
    assert!(matches!(e, telnyx::Error::WebSocket { .. }), "{e:?}");
    let started = std::time::Instant::now();
    let closed = tokio::time::timeout(std::time::Duration::from_secs(4), session.close()).await;
    assert!(closed.is_ok(), "the close returns");
    assert!(started.elapsed() < timeout + std::time::Duration::from_secs(2), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_split_sender_stuck_on_a_full_socket_returns_then_closes_within_the_timeout() {
    let server = start(Fault::StopReading).await;
    let timeout = std::time::Duration::from_millis(300);
    let client =
        telnyx::Client::builder().api_key("test-key").base_url(server.base_url()).timeout(timeout).build().unwrap();
    let session = transcription(&client).await.unwrap();
    let (mut sender, events) = session.split();
    // A task that sends until it is stuck, then the close from here.
    let filler = tokio::spawn(async move {
        while sender.send(vec![0u8; 1 << 20]).await.is_ok() {}
        let started = std::time::Instant::now();
        (sender.close().await, started.elapsed())
    });
    let (closed, took) =
        tokio::time::timeout(std::time::Duration::from_secs(8), filler).await.expect("returns").unwrap();
    assert!(took < timeout + std::time::Duration::from_secs(2), "{took:?}");
    // The connection was given up with the stuck frame: the close has nothing left to do.
    assert!(closed.is_ok(), "{closed:?}");
    drop(events);
}

#[tokio::test]
async fn a_session_that_reconnects_comes_back_after_a_dropped_connection_and_sends_what_was_kept() {
    for fault in [Fault::AbruptOnce, Fault::CloseOnce(1012), Fault::CloseOnce(1001)] {
        let server = start(fault).await;
        let client = client(&server.base_url());
        let policy = telnyx::Reconnect::new().delays(ms(600), ms(1000));
        let mut session = reconnecting(&client, policy).await;
        session.send(vec![1u8]).await.unwrap();
        assert_eq!(transcripts(&mut session, 1).await, ["part 1 Some(false)"], "{fault:?}");
        // Sent while the session is away: kept, then sent first on the new connection.
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        session.send(vec![2u8, 2]).await.expect("kept while away");
        assert_eq!(
            transcripts(&mut session, 2).await,
            ["part 1 Some(false)", "chunk 1 of 2 bytes Some(true)"],
            "{fault:?}"
        );
        assert_eq!(session.reconnects(), 1, "{fault:?}");
        session.close().await.unwrap();
        let seen = server.seen();
        assert_eq!(seen.len(), 2, "{fault:?}: two upgrades");
        assert_eq!(seen[0].binary, [vec![1u8]]);
        assert_eq!(seen[1].binary, [vec![2u8, 2]]);
        assert!(seen[1].authorization == "Bearer test-key" && seen[1].query == seen[0].query, "the same request again");
    }
}

#[tokio::test]
async fn a_session_does_not_reconnect_after_a_normal_or_policy_close() {
    for (code, error) in [(1000, None), (1008, Some("the server closed the session: 1008 going"))] {
        let server = start(Fault::CloseOnce(code)).await;
        let client = client(&server.base_url());
        let policy = telnyx::Reconnect::new().delays(ms(20), ms(50));
        let mut session = reconnecting(&client, policy).await;
        session.send(vec![1u8]).await.unwrap();
        assert!(matches!(session.next().await, Some(Ok(SttServerEvent::TranscriptFrame(_)))));
        match (session.next().await, error) {
            (None, None) => {}
            (Some(Err(e)), Some(want)) => assert!(e.to_string().contains(want), "{e}"),
            (other, _) => panic!("{code}: {other:?}"),
        }
        assert!(session.next().await.is_none());
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert_eq!(server.seen().len(), 1, "{code}: no second upgrade");
        assert_eq!(session.reconnects(), 0);
    }
}

#[tokio::test]
async fn a_session_that_cannot_come_back_ends_with_an_error_that_says_so() {
    let server = start(Fault::AbruptThenRefuse).await;
    let client = client(&server.base_url());
    let policy = telnyx::Reconnect::new().delays(ms(20), ms(50));
    let mut session = reconnecting(&client, policy).await;
    session.send(vec![1u8]).await.unwrap();
    assert!(matches!(session.next().await, Some(Ok(SttServerEvent::TranscriptFrame(_)))));
    let e = session.next().await.expect("an error").expect_err("an error");
    assert!(e.to_string().contains("could not be opened again"), "{e}");
    assert!(e.to_string().contains("401"), "{e}");
    assert!(session.next().await.is_none());
    // A refused upgrade is not tried again: one refusal, after the first connection.
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn frames_past_the_queue_limit_are_refused_while_the_session_is_away() {
    let server = start(Fault::AbruptOnce).await;
    let client = client(&server.base_url());
    let policy = telnyx::Reconnect::new().delays(ms(600), ms(1000)).max_queued_bytes(4);
    let mut session = reconnecting(&client, policy).await;
    session.send(vec![1u8]).await.unwrap();
    assert_eq!(transcripts(&mut session, 1).await, ["part 1 Some(false)"]);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    session.send(vec![2u8, 2]).await.expect("kept");
    let e = session.send(vec![3u8; 3]).await.expect_err("past the 4 bytes kept");
    assert!(e.to_string().contains("this one was not kept"), "{e}");
    session.send(vec![4u8, 4]).await.expect("kept: 4 bytes in all");
    let got = transcripts(&mut session, 4).await;
    assert_eq!(got[1], "chunk 1 of 2 bytes Some(true)");
    session.close().await.unwrap();
    assert_eq!(server.seen()[1].binary, [vec![2u8, 2], vec![4, 4]], "the kept frames, in order");
}

#[tokio::test]
async fn a_given_client_that_speaks_http2_leaves_sessions_to_an_http1_pool() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    // wiremock speaks HTTP/2 to a client that asks for it, and never upgrades: the session
    // fails with its 426 either way, after an attempt over HTTP/2 (which drops `Upgrade`) and
    // one over HTTP/1.1.
    let mock = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(426)).mount(&mock).await;
    let h2 = reqwest::Client::builder().http2_prior_knowledge().build().unwrap();
    let client = telnyx::Client::builder()
        .api_key("test-key")
        .base_url(mock.uri())
        .http_client(h2)
        .max_retries(0)
        .build()
        .unwrap();
    for _ in 0..2 {
        let e = transcription(&client).await.expect_err("not upgraded");
        assert_eq!(e.api().map(|a| a.status.as_u16()), Some(426), "{e:?}");
    }
    let upgrades: Vec<Option<String>> = mock
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.headers.get("upgrade").map(|v| v.to_str().unwrap().to_string()))
        .collect();
    // The second session goes straight to the HTTP/1.1 pool.
    assert_eq!(upgrades, [None, Some("websocket".into()), Some("websocket".into())]);
}

#[tokio::test]
async fn a_server_that_closes_every_connection_at_once_is_dialled_a_bounded_number_of_times() {
    // Each connection opens, so each reconnection succeeds; none brings a frame, so the
    // attempts add up and the session gives up after the policy's number.
    let server = start(Fault::CloseAtOnce(1011)).await;
    let client = client(&server.base_url());
    let policy = telnyx::Reconnect::new().delays(ms(10), ms(20)).max_attempts(3);
    let mut session = reconnecting(&client, policy).await;
    let ended = tokio::time::timeout(std::time::Duration::from_secs(5), session.next()).await.expect("it gives up");
    let e = ended.expect("an error").expect_err("an error");
    assert!(e.to_string().contains("could not be opened again"), "{e}");
    let telnyx::Error::WebSocket { close_code, .. } = &e else { panic!("{e:?}") };
    assert_eq!(*close_code, Some(1011));
    assert_eq!(server.seen().len(), 4, "the first connection and 3 attempts");
    assert_eq!(session.reconnects(), 3);
}

#[tokio::test]
async fn a_session_dropped_by_its_holder_closes_its_connection() {
    let server = start(Fault::None).await;
    let client = client(&server.base_url());
    let session = transcription(&client).await.unwrap();
    let (sender, events) = session.split();
    // The sender first, then the events, with a server that sends nothing: the connection's
    // task must notice that nobody holds the session.
    drop(sender);
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    drop(events);
    for _ in 0..40 {
        if server.seen()[0].ended {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the connection is still open 2 s after the session was dropped");
}

#[tokio::test]
async fn frames_read_before_an_error_close_come_first_and_sends_after_it_fail_at_once() {
    // As many events as the session reads ahead, then the close: the session reads the close,
    // and holds its error until the caller has read the events.
    let server = start(Fault::Flood(32)).await;
    let client = telnyx::Client::builder()
        .api_key("test-key")
        .base_url(server.base_url())
        .timeout(std::time::Duration::from_secs(3))
        .build()
        .unwrap();
    let mut session = transcription(&client).await.unwrap();
    session.send(vec![1u8]).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let started = std::time::Instant::now();
    let e = session.send(vec![2u8]).await.expect_err("the session is over");
    assert!(started.elapsed() < std::time::Duration::from_secs(1), "{:?}: {e}", started.elapsed());
    assert!(e.to_string().contains("the session is over"), "{e}");
    let got = transcripts(&mut session, 33).await;
    assert_eq!(got.len(), 33, "{got:?}");
    assert_eq!(got[0], "flood 1 Some(false)");
    assert_eq!(got[31], "flood 32 Some(false)");
    assert!(got[32].contains("the server closed the session: 1011 flooded"), "{}", got[32]);
}
