//! Tracing output of a request and a retry. In a test binary of its own: `tracing` caches
//! per callsite whether anyone listens, so a test elsewhere in the same binary that hits the
//! same callsites first, without a subscriber, would hide the events from this one.

use telnyx::Client;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn tracing_reports_requests_and_retries_without_the_key() {
    #[derive(Clone, Default)]
    struct Buffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
    impl std::io::Write for Buffer {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after-ms", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    let c = Client::builder().api_key("SECRET-KEY-123").base_url(server.uri()).build().unwrap();
    c.number_orders().retrieve("x").await.unwrap();

    let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("telnyx.request"), "{log}");
    assert!(log.contains("retrying") && log.contains("status=503"), "{log}");
    assert!(log.contains("status=200"), "{log}");
    assert!(!log.contains("SECRET-KEY-123"), "the key never reaches the logs: {log}");
}
