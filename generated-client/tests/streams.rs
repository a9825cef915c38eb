//! Binary downloads and server-sent events, through generated operations.

use futures_util::StreamExt;
use telnyx::Client;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder().api_key("k").base_url(server.uri()).build().unwrap()
}

#[tokio::test]
async fn binary_bodies_come_whole_or_as_a_stream() {
    let server = MockServer::start().await;
    let csv: Vec<u8> = (0..200_000u32).flat_map(|i| format!("{i},blocked\n").into_bytes()).collect();
    Mock::given(method("GET"))
        .and(path("/email_blocks/export"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(csv.clone(), "text/csv"))
        .mount(&server)
        .await;
    let c = client(&server);

    let download = c.email_blocks().retrieve_export().await.unwrap();
    assert_eq!(download.content_type(), Some("text/csv"));
    assert_eq!(download.bytes().await.unwrap(), csv);

    let download = c.email_blocks().retrieve_export().await.unwrap();
    let mut chunks = 0;
    let mut streamed = Vec::new();
    let mut stream = Box::pin(download.stream());
    while let Some(chunk) = stream.next().await {
        streamed.extend_from_slice(&chunk.unwrap());
        chunks += 1;
    }
    assert_eq!(streamed, csv);
    assert!(chunks >= 1);
}

#[tokio::test]
async fn event_streams_parse_into_events() {
    let server = MockServer::start().await;
    let body = concat!(
        ": a comment line is ignored\n",
        "event: message_start\n",
        "data: {\"type\":\"message_start\",\"n\":1}\n\n",
        "event: content_block_delta\n",
        "id: 7\n",
        "data: {\"type\":\"content_block_delta\",\n",
        "data:  \"text\":\"Hi\"}\n\n",
        "data: plain\n\n",
    );
    Mock::given(method("POST"))
        .and(path("/ai/anthropic/v1/messages"))
        .and(header("accept", "text/event-stream"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "text/event-stream"))
        .expect(1)
        .mount(&server)
        .await;
    let hello = serde_json::json!({"role": "user", "content": "Hello"});
    let serde_json::Value::Object(hello) = hello else { unreachable!("an object literal") };
    let client = client(&server);
    let call = client.ai().anthropic().v1().messages_stream();
    let mut events = call.model("claude").max_tokens(16).stream(true).messages([hello]).await.unwrap();

    let first = events.next_event().await.unwrap().unwrap();
    assert_eq!(first.event, "message_start");
    let value: serde_json::Value = first.json().unwrap();
    assert_eq!(value["n"], 1);

    let second = events.next().await.unwrap().unwrap();
    assert_eq!((second.event.as_str(), second.id.as_str()), ("content_block_delta", "7"));
    assert_eq!(second.json::<serde_json::Value>().unwrap()["text"], "Hi");

    let third = events.next_event().await.unwrap().unwrap();
    assert_eq!((third.event.as_str(), third.data.as_str()), ("message", "plain"));
    assert!(third.json::<serde_json::Value>().is_err(), "not JSON: a decode error, not a panic");
    assert!(events.next_event().await.is_none(), "the stream ends when the server closes it");
}
