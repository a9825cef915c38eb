//! The runtime against a local mock server, through real generated operations.

use telnyx::resources::number_orders::NumberOrdersListFilter;
use telnyx::{Client, Error};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder().api_key("KEY123").base_url(format!("{}/v2", server.uri())).build().unwrap()
}

/// JSON calls ask for JSON; an `Accept` the operation takes as a parameter wins.
#[tokio::test]
async fn json_calls_send_accept_unless_the_caller_sets_it() {
    use telnyx::resources::organizations::OrganizationsUsersGetGroupsReportAccept as Accept;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/number_orders/o1"))
        .and(header("accept", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"data": {"id": "o1"}})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/organizations/users/users_groups_report"))
        .and(header("accept", "text/csv"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"data": []})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    client.number_orders().retrieve("o1").await.unwrap();
    client.organizations().users().get_groups_report().accept(Accept::TextCsv).await.unwrap();
}

#[tokio::test]
async fn path_parameters_stay_one_segment_and_auth_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/number_orders/..%2Fa%2Fb"))
        .and(header("authorization", "Bearer KEY123"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"data": {"id": "x"}})))
        .expect(1)
        .mount(&server)
        .await;
    let order = client(&server).number_orders().retrieve("../a/b").await.unwrap();
    assert_eq!(order.id.as_deref(), Some("x"));
}

#[tokio::test]
async fn deep_object_query_parameters() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/number_orders"))
        .and(query_param("filter[customer_reference]", "ref-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"data": []})))
        .expect(1)
        .mount(&server)
        .await;
    let filter = NumberOrdersListFilter::default().customer_reference("ref-1");
    let page = client(&server).number_orders().list().filter(filter).await.unwrap();
    assert_eq!(page.data.map(|d| d.len()), Some(0));
}

#[tokio::test]
async fn version_prefix_is_not_doubled() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/mobile_phone_numbers/abc"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .expect(2)
        .mount(&server)
        .await;
    // Base URL ending in /v2 (the real one) and without it (a mock serving spec paths).
    client(&server).mobile_phone_numbers().retrieve("abc").await.unwrap();
    let bare = Client::builder().api_key("k").base_url(server.uri()).build().unwrap();
    bare.mobile_phone_numbers().retrieve("abc").await.unwrap();
}

#[tokio::test]
async fn api_errors_keep_status_request_id_and_decoded_errors() {
    let server = MockServer::start().await;
    let body =
        serde_json::json!({"errors": [{"code": "10005", "title": "Resource not found", "detail": "no such order"}]});
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(body).insert_header("x-request-id", "req-42"))
        .mount(&server)
        .await;
    let err = client(&server).number_orders().retrieve("nope").await.unwrap_err();
    let api = err.api().expect("an API error");
    assert!(api.is_not_found());
    assert_eq!(api.request_id.as_deref(), Some("req-42"));
    assert_eq!(api.errors[0].code.as_deref(), Some("10005"));
    assert_eq!(api.errors[0].detail.as_deref(), Some("no such order"));
    assert!(err.to_string().contains("404") && err.to_string().contains("req-42"), "{err}");
}

#[tokio::test]
async fn decode_errors_name_the_field() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"data": {"id": 5}}"#))
        .mount(&server)
        .await;
    let strict = client(&server).with_options(telnyx::RequestOptions::new().strict_decoding(true));
    match strict.number_orders().retrieve("x").await.unwrap_err() {
        Error::Decode(e) => {
            assert_eq!(e.path, "data.id");
            assert_eq!(e.body_text(), r#"{"data": {"id": 5}}"#);
            assert_eq!(e.status.map(|s| s.as_u16()), Some(200));
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn empty_and_binary_responses() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(b"%PDF-1.7\x00\xff".to_vec(), "application/pdf"))
        .mount(&server)
        .await;
    let c = client(&server);
    c.request(reqwest::Method::DELETE, "/things/1").send_empty().await.unwrap();
    let pdf = c.request(reqwest::Method::GET, "/doc.pdf").send_bytes().await.unwrap();
    assert_eq!(&pdf[..], b"%PDF-1.7\x00\xff");
}

#[test]
fn debug_never_shows_the_key() {
    let c = Client::new("SECRET-KEY").unwrap();
    assert!(!format!("{c:?}").contains("SECRET-KEY"));
    assert_eq!(c.base_url(), telnyx::DEFAULT_BASE_URL);
}

#[test]
fn open_enums_keep_unknown_values() {
    use telnyx::types::*;
    // Any generated string enum: a value the crate does not know round-trips unchanged.
    let v: CallRequestRecord = serde_json::from_str("\"something-new\"").unwrap();
    assert_eq!(v, CallRequestRecord::Unknown("something-new".into()));
    assert_eq!(serde_json::to_string(&v).unwrap(), "\"something-new\"");
    let known: CallRequestRecord = "record-from-answer".parse().unwrap();
    assert_eq!(known.to_string(), "record-from-answer");
}

#[tokio::test]
async fn every_error_kind_is_told_apart() {
    type Check = fn(&telnyx::ApiError) -> bool;
    let kinds: [(u16, Check); 8] = [
        (400, telnyx::ApiError::is_bad_request),
        (401, telnyx::ApiError::is_authentication),
        (403, telnyx::ApiError::is_permission_denied),
        (404, telnyx::ApiError::is_not_found),
        (409, telnyx::ApiError::is_conflict),
        (422, telnyx::ApiError::is_unprocessable),
        (429, telnyx::ApiError::is_rate_limited),
        (500, telnyx::ApiError::is_server_error),
    ];
    let server = MockServer::start().await;
    for (status, _) in &kinds {
        Mock::given(method("GET"))
            .and(path(format!("/v2/number_orders/s{status}")))
            .respond_with(ResponseTemplate::new(*status).insert_header("x-should-retry", "false"))
            .mount(&server)
            .await;
    }
    let c = client(&server);
    for (status, check) in kinds {
        let err = c.number_orders().retrieve(&format!("s{status}")).await.unwrap_err();
        let api = err.api().unwrap_or_else(|| panic!("{status}: {err:?}"));
        assert_eq!(api.status.as_u16(), status);
        assert!(check(api), "{status}");
        let others = [
            api.is_bad_request(),
            api.is_authentication(),
            api.is_permission_denied(),
            api.is_not_found(),
            api.is_conflict(),
            api.is_unprocessable(),
            api.is_rate_limited(),
            api.is_server_error(),
        ];
        assert_eq!(others.iter().filter(|b| **b).count(), 1, "{status} is one kind only");
    }
}

#[tokio::test]
async fn multipart_uploads_carry_file_names_and_types() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/messaging_hosted_number_orders/o1/actions/file_upload"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let loa = telnyx::FilePart::new(b"%PDF-loa".to_vec()).file_name("loa.pdf").content_type("application/pdf");
    let bill = telnyx::FilePart::new(b"bill-bytes".to_vec());
    client(&server).messaging_hosted_number_orders().actions().upload_file("o1").loa(loa).bill(bill).await.unwrap();

    let request = &server.received_requests().await.unwrap()[0];
    let content_type = request.headers["content-type"].to_str().unwrap().to_string();
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect(&content_type);
    let text = String::from_utf8_lossy(&request.body);
    let parts: Vec<&str> = text.split(&format!("--{boundary}")).filter(|p| p.contains("Content-Disposition")).collect();
    assert_eq!(parts.len(), 2, "{text}");
    assert!(parts[0].contains("name=\"bill\"; filename=\"bill\"") && parts[0].contains("bill-bytes"), "{}", parts[0]);
    // A part given no type says what it is anyway (some servers reject a file part without one).
    assert!(parts[0].contains("Content-Type: application/octet-stream"), "{}", parts[0]);
    assert!(parts[1].contains("name=\"loa\"; filename=\"loa.pdf\""), "{}", parts[1]);
    assert!(parts[1].contains("Content-Type: application/pdf") && parts[1].contains("%PDF-loa"), "{}", parts[1]);
}

fn chunks() -> impl futures_util::Stream<Item = Result<bytes::Bytes, std::io::Error>> + Send + 'static {
    futures_util::stream::iter(["%PDF-", "streamed", "-loa"].map(|c| Ok(bytes::Bytes::from_static(c.as_bytes()))))
}

#[tokio::test]
async fn file_parts_stream_from_a_stream() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/messaging_hosted_number_orders/o1/actions/file_upload"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let loa = telnyx::FilePart::from_stream(chunks(), Some(17)).file_name("loa.pdf").content_type("application/pdf");
    client(&server).messaging_hosted_number_orders().actions().upload_file("o1").loa(loa).await.unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    let text = String::from_utf8_lossy(&request.body);
    assert!(text.contains("filename=\"loa.pdf\"") && text.contains("%PDF-streamed-loa"), "{text}");
}

#[tokio::test]
async fn a_request_with_a_streamed_file_is_not_retried_and_cannot_be_resent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/messaging_hosted_number_orders/o1/actions/file_upload"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let loa = telnyx::FilePart::from_stream(chunks(), None);
    let c = Client::builder().api_key("k").base_url(format!("{}/v2", server.uri())).max_retries(3).build().unwrap();
    let err = c.messaging_hosted_number_orders().actions().upload_file("o1").loa(loa.clone()).await.unwrap_err();
    assert!(matches!(&err, Error::Api(e) if e.status == 503), "{err:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "a streamed body is sent once");
    // The clone shares the stream, which is spent.
    let again = c.messaging_hosted_number_orders().actions().upload_file("o1").loa(loa).await.unwrap_err();
    assert!(matches!(&again, Error::Encode(m) if m.contains("already sent")), "{again:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_streamed_upload_that_could_not_connect_is_sent_on_the_retry() {
    // Nothing listens on the port at first (the connection is refused: nothing is sent, and
    // the stream comes back unread); the server comes up before the retry.
    let address = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let late = tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        let listener = std::net::TcpListener::bind(address).unwrap();
        let server = MockServer::builder().listener(listener).start().await;
        Mock::given(method("POST"))
            .and(path("/v2/messaging_hosted_number_orders/o1/actions/file_upload"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
            .expect(1)
            .mount(&server)
            .await;
        server
    });
    let c = Client::builder().api_key("k").base_url(format!("http://{address}/v2")).max_retries(2).build().unwrap();
    let loa = telnyx::FilePart::from_stream(chunks(), None).file_name("loa.pdf");
    c.messaging_hosted_number_orders().actions().upload_file("o1").loa(loa).await.expect("sent on the retry");
    let server = late.await.unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    let text = String::from_utf8_lossy(&request.body);
    assert!(text.contains("%PDF-streamed-loa"), "the whole stream was sent: {text}");
}

#[tokio::test]
async fn a_file_part_from_a_path_is_named_after_the_file() {
    let dir = std::env::temp_dir().join(format!("telnyx-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bill.pdf");
    std::fs::write(&file, b"%PDF-bill").unwrap();
    let part = telnyx::FilePart::from_path(&file).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(part.file_name.as_deref(), Some("bill.pdf"));
    assert_eq!(part.bytes().map(|b| b.as_ref()), Some(&b"%PDF-bill"[..]));
    assert!(!part.is_stream());
}

#[test]
fn a_builder_builds_its_value_once_its_required_fields_are_set() {
    let frame = telnyx::types::ClientTextFrame::builder().text("hello").build();
    assert_eq!(frame.text, "hello");
    assert_eq!(frame.force, None);
}
