//! Per-call overhead of a generated operation next to a hand-written `reqwest` + `serde` call
//! of the same request, against a minimal local HTTP server that answers every request with
//! the same Telnyx-shaped JSON body. Prints the median time per call of each and their ratio.
//!
//! Run: `cargo bench -p telnyx-sdk --bench overhead` (optionally `-- ROUNDS CALLS_PER_ROUND`).

use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const BODY: &str = r#"{"data":{"id":"12ade33a-21c0-473b-b055-b3c836e1c292","record_type":"number_order","phone_numbers_count":2,"connection_id":"346789098765567","messaging_profile_id":"abc85f64-5717-4562-b3fc-2c9600","billing_group_id":"abc85f64-5717-4562-b3fc-2c963f66afa6","status":"success","customer_reference":"MY REF 001","requirements_met":true,"created_at":"2018-01-01T00:00:00.000000Z","updated_at":"2018-01-01T00:00:00.000000Z","sub_number_orders_ids":["3fa85f64-5717-4562-b3fc-2c963f66afa6"],"phone_numbers":[{"id":"dc8e4d67-33a0-4cbb-af74-7b58f05bd494","record_type":"number_order_phone_number","phone_number":"+19705555098","regulatory_requirements":[],"requirements_met":true,"status":"success","requirements_status":"approved","bundle_id":null,"country_code":"US","phone_number_type":"local"},{"id":"ec8e4d67-33a0-4cbb-af74-7b58f05bd495","record_type":"number_order_phone_number","phone_number":"+19705555099","regulatory_requirements":[],"requirements_met":true,"status":"success","requirements_status":"approved","bundle_id":null,"country_code":"US","phone_number_type":"local"}]}}"#;

/// An HTTP/1.1 keep-alive server that ignores the request and sends `BODY`.
async fn serve(listener: TcpListener) {
    let response =
        format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{BODY}", BODY.len());
    loop {
        let Ok((mut socket, _)) = listener.accept().await else { return };
        let response = response.clone();
        tokio::spawn(async move {
            let mut buf = vec![0u8; 8192];
            let mut seen = Vec::new();
            loop {
                let Ok(n) = socket.read(&mut buf).await else { return };
                if n == 0 {
                    return;
                }
                seen.extend_from_slice(&buf[..n]);
                // GET requests carry no body: each blank line ends one request.
                while let Some(end) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
                    seen.drain(..end + 4);
                    if socket.write_all(response.as_bytes()).await.is_err() {
                        return;
                    }
                }
            }
        });
    }
}

async fn time_calls<F, Fut>(calls: usize, mut f: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let start = Instant::now();
    for _ in 0..calls {
        f().await;
    }
    start.elapsed() / calls as u32
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let rounds = args.first().copied().unwrap_or(15);
    let calls = args.get(1).copied().unwrap_or(400);

    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a local port");
    let base = format!("http://{}", listener.local_addr().expect("local address"));
    tokio::spawn(serve(listener));

    let client = telnyx::Client::builder().api_key("KEY").base_url(&base).build().expect("client");
    // What a careful hand-written call has too: a timeout (the generated client's default).
    let http = reqwest::Client::builder()
        .user_agent("bench")
        .timeout(Duration::from_secs(60))
        .build()
        .expect("reqwest client");
    let id = "12ade33a-21c0-473b-b055-b3c836e1c292";

    let generated = || async {
        let r = client.number_orders().retrieve(id).await.expect("generated call");
        std::hint::black_box(r);
    };
    let hand_written = || async {
        let bytes = http
            .get(format!("{base}/number_orders/{id}"))
            .bearer_auth("KEY")
            .send()
            .await
            .expect("send")
            .error_for_status()
            .expect("status")
            .bytes()
            .await
            .expect("body");
        let r: telnyx::resources::number_orders::NumberOrdersRetrieveResponse =
            serde_json::from_slice(&bytes).expect("decode");
        std::hint::black_box(r);
    };

    // Warm up connections and caches, then alternate so drift hits both alike.
    time_calls(200, generated).await;
    time_calls(200, hand_written).await;
    let (mut g, mut h) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        g.push(time_calls(calls, generated).await);
        h.push(time_calls(calls, hand_written).await);
    }
    let (g, h) = (median(g), median(h));
    println!(
        "per-call time, median of {rounds} rounds x {calls} calls (GET /number_orders/{{id}}, {} byte body)",
        BODY.len()
    );
    println!("  generated client    {:>8.1} us", g.as_secs_f64() * 1e6);
    println!("  hand-written        {:>8.1} us", h.as_secs_f64() * 1e6);
    println!("  ratio               {:>8.3}  (target <= 1.10)", g.as_secs_f64() / h.as_secs_f64());

    decode_large_list(rounds);
}

/// One `PhoneNumberDetailed` as the API sends it, numbered.
fn phone_number(i: usize) -> String {
    format!(
        r#"{{"id":"{i}","record_type":"phone_number","phone_number":"+1970555{i:04}","status":"active","tags":["tag_1","tag_2"],"external_pin":"1234","connection_id":"1293384261075731499","connection_name":"connection-name","customer_reference":"customer-reference","messaging_profile_id":"abc85f64-5717-4562-b3fc-2c9600000000","messaging_profile_name":"regional-customers","billing_group_id":"86f58db9-0fe3-4adc-9d1f-46e66e6e9323","emergency_enabled":true,"emergency_address_id":"1315261609962112019","call_forwarding_enabled":true,"cnam_listing_enabled":true,"caller_id_name_enabled":true,"call_recording_enabled":true,"t38_fax_gateway_enabled":true,"phone_number_type":"local","inbound_call_screening":"disabled","purchased_at":"2019-10-23T18:10:00.000Z","created_at":"2019-10-23T18:10:00.000Z","updated_at":"2019-10-24T18:10:00.000Z","country_iso_alpha2":"US","deletion_lock_enabled":false,"source_type":"number_order"}}"#
    )
}

/// Decoding a list of 1,000 phone numbers (about 700 KB): serde alone (what the client did
/// before resilient decoding), the client's decode of the same body (its fast path), and of a
/// body whose every record has one field that needs a correction (the lenient path).
fn decode_large_list(rounds: usize) {
    type List = telnyx::resources::phone_numbers::PhoneNumbersListResponse;
    let items: Vec<String> = (0..1000).map(phone_number).collect();
    let meta = r#""meta":{"page_number":1,"page_size":1000,"total_pages":1,"total_results":1000}"#;
    let body = format!(r#"{{"data":[{}],{meta}}}"#, items.join(","));
    let deviating = body.replace(r#""deletion_lock_enabled":false"#, r#""deletion_lock_enabled":"false""#);
    let strict = telnyx::decode_json_with::<List>(body.as_bytes(), telnyx::DecodeMode::Strict);
    assert!(strict.is_ok_and(|d| d.corrections.is_empty()), "the body matches the spec");
    let corrected = telnyx::decode_json_with::<List>(deviating.as_bytes(), telnyx::DecodeMode::Lenient).unwrap();
    assert_eq!(corrected.corrections.len(), 1000);

    let time = |f: &dyn Fn()| {
        let mut v = Vec::new();
        for _ in 0..rounds {
            let start = Instant::now();
            for _ in 0..10 {
                f();
            }
            v.push(start.elapsed() / 10);
        }
        median(v)
    };
    let (mut serde_alone, mut client, mut lenient) = (Vec::new(), Vec::new(), Vec::new());
    // Alternate, so that drift on a shared machine hits all three alike.
    for _ in 0..3 {
        serde_alone.push(time(&|| {
            std::hint::black_box(serde_json::from_slice::<List>(body.as_bytes()).unwrap());
        }));
        client.push(time(&|| {
            std::hint::black_box(telnyx::decode_json::<List>(body.as_bytes()).unwrap());
        }));
        lenient.push(time(&|| {
            let d = telnyx::decode_json_with::<List>(deviating.as_bytes(), telnyx::DecodeMode::Lenient);
            std::hint::black_box(d.unwrap());
        }));
    }
    let (s, c, l) = (median(serde_alone), median(client), median(lenient));
    println!("decoding 1,000 phone numbers ({} bytes), median of {rounds} x 10:", body.len());
    println!("  serde alone (before)      {:>8.0} us", s.as_secs_f64() * 1e6);
    println!(
        "  client, body as the spec  {:>8.0} us  ratio {:.3} (target <= 1.10)",
        c.as_secs_f64() * 1e6,
        c.as_secs_f64() / s.as_secs_f64()
    );
    println!(
        "  client, 1,000 corrections {:>8.0} us  ratio {:.3}",
        l.as_secs_f64() * 1e6,
        l.as_secs_f64() / s.as_secs_f64()
    );
}
