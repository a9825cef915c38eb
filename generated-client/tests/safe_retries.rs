//! Safe retries, proven against a fault-injecting local server that counts effects the way the
//! API does: one effect per `command_id`, per `Idempotency-Key`, per state a PUT or DELETE
//! leaves; one per request for a plain POST; none for a GET. For each kind of operation and
//! each fault (on the first attempt; later attempts are answered), the caller sees the right
//! outcome, no request takes effect twice, and every attempt of a request carries the same
//! token. With `RetryPolicy::Always` a plain POST does take effect twice, which shows what the
//! rule prevents.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use telnyx::{Client, Error, NotRetried, RequestOptions, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Get,
    Put,
    Delete,
    /// A call-control command: deduplicated by its body's `command_id`.
    PostCommandId,
    /// Deduplicated by its `Idempotency-Key` header.
    PostIdempotencyKey,
    /// Nothing to deduplicate by: each request that arrives takes effect.
    PlainPost,
}

const KINDS: [Kind; 6] =
    [Kind::Get, Kind::Put, Kind::Delete, Kind::PostCommandId, Kind::PostIdempotencyKey, Kind::PlainPost];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    /// Nothing listens yet: the first attempt's connection is refused.
    Refused,
    /// The server reads the request, carries it out and closes the connection unanswered.
    Dropped,
    /// The server carries the request out and answers after the client's timeout.
    Timeout,
    /// The server carries the request out (in part, as far as the client knows) and says 500.
    Status500,
    /// The server is down for maintenance: 503 with `Retry-After`, nothing done.
    Status503,
    /// Rate limited: 429, nothing done.
    Status429,
}

const FAULTS: [Fault; 6] =
    [Fault::Refused, Fault::Dropped, Fault::Timeout, Fault::Status500, Fault::Status503, Fault::Status429];

/// What the client's timeout is in these tests, and how late the server answers a timeout.
const TIMEOUT: Duration = Duration::from_secs(1);
const LATE: Duration = Duration::from_secs(4);

/// One request as the server read it.
struct Request {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The token the request carries for this kind of operation.
    fn token(&self, kind: Kind) -> Option<String> {
        match kind {
            Kind::PostCommandId => serde_json::from_slice::<serde_json::Value>(&self.body)
                .ok()?
                .get("command_id")?
                .as_str()
                .map(String::from),
            Kind::PostIdempotencyKey => self.header("idempotency-key").map(String::from),
            _ => None,
        }
    }
}

/// What the server saw.
#[derive(Default)]
struct Seen {
    attempts: usize,
    tokens: Vec<Option<String>>,
    /// The identities of the effects carried out.
    effects: BTreeSet<String>,
}

struct FaultServer {
    addr: SocketAddr,
    seen: Arc<Mutex<Seen>>,
}

impl FaultServer {
    async fn start(kind: Kind, fault: Fault) -> FaultServer {
        let seen = Arc::new(Mutex::new(Seen::default()));
        // Bound but not listening: connections are refused, and the port stays ours, so no other
        // case's server (nor a client's own end) can take it while this one waits. Without
        // `SO_REUSEADDR`, so that binding port 0 elsewhere never picks it.
        let socket = TcpSocket::new_v4().unwrap();
        socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = socket.local_addr().unwrap();
        if fault == Fault::Refused {
            // Listening before the client's first retry (backoff >= 375 ms).
            let seen = seen.clone();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(100)).await;
                serve(socket.listen(1024).unwrap(), kind, fault, seen).await;
            });
        } else {
            tokio::spawn(serve(socket.listen(1024).unwrap(), kind, fault, seen.clone()));
        }
        FaultServer { addr, seen }
    }
}

async fn serve(listener: TcpListener, kind: Kind, fault: Fault, seen: Arc<Mutex<Seen>>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else { return };
        tokio::spawn(connection(stream, kind, fault, seen.clone()));
    }
}

async fn connection(mut stream: TcpStream, kind: Kind, fault: Fault, seen: Arc<Mutex<Seen>>) {
    while let Some(request) = read_request(&mut stream).await {
        let first = {
            let mut s = seen.lock().unwrap();
            s.attempts += 1;
            s.tokens.push(request.token(kind));
            s.attempts == 1
        };
        let fault = if first && fault != Fault::Refused { Some(fault) } else { None };
        let carried_out = !matches!(fault, Some(Fault::Status503 | Fault::Status429));
        if carried_out {
            if let Some(identity) = effect(kind, &request, &seen) {
                seen.lock().unwrap().effects.insert(identity);
            }
        }
        let answer = match fault {
            Some(Fault::Dropped) => return,
            Some(Fault::Timeout) => {
                tokio::time::sleep(LATE).await;
                answer(200, "", r#"{"data":{}}"#)
            }
            Some(Fault::Status500) => answer(500, "", r#"{"errors":[{"code":"10007","title":"Unexpected error"}]}"#),
            Some(Fault::Status503) => answer(503, "retry-after: 0\r\n", r#"{"errors":[{"title":"Maintenance"}]}"#),
            Some(Fault::Status429) => answer(429, "retry-after: 0\r\n", r#"{"errors":[{"code":"10011"}]}"#),
            Some(Fault::Refused) | None => answer(200, "", r#"{"data":{}}"#),
        };
        if stream.write_all(answer.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// The identity of the effect a request has, as the API tells requests apart.
fn effect(kind: Kind, request: &Request, seen: &Mutex<Seen>) -> Option<String> {
    match kind {
        Kind::Get => None,
        Kind::Put | Kind::Delete => {
            Some(format!("{} {} {}", request.method, request.path, String::from_utf8_lossy(&request.body)))
        }
        Kind::PostCommandId | Kind::PostIdempotencyKey => {
            // A request without a token is its own effect.
            Some(request.token(kind).unwrap_or_else(|| format!("untokened #{}", seen.lock().unwrap().attempts)))
        }
        Kind::PlainPost => Some(format!("request #{}", seen.lock().unwrap().attempts)),
    }
}

fn answer(status: u16, extra_headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{extra_headers}\r\n{body}",
        body.len()
    )
}

/// Reads one HTTP/1.1 request (`None` when the client closed the connection).
async fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut parsed = httparse::Request::new(&mut headers);
        if let httparse::Status::Complete(head) = parsed.parse(&buf).ok()? {
            let headers: Vec<(String, String)> = parsed
                .headers
                .iter()
                .map(|h| (h.name.to_string(), String::from_utf8_lossy(h.value).into_owned()))
                .collect();
            let (method, path) = (parsed.method?.to_string(), parsed.path?.to_string());
            let length = headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.parse::<usize>().ok())
                .unwrap_or(0);
            while buf.len() < head + length {
                let n = stream.read(&mut chunk).await.ok()?;
                if n == 0 {
                    return None;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            let body = buf[head..head + length].to_vec();
            return Some(Request { method, path, headers, body });
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// Calls the generated operation of this kind; `Ok` when it succeeded.
async fn call(client: &Client, kind: Kind) -> telnyx::Result<()> {
    match kind {
        Kind::Get => client.number_orders().retrieve("order-1").await.map(drop),
        Kind::Put => client.calls().actions().update_client_state("call-1").client_state("aGk=").await.map(drop),
        Kind::Delete => client.fqdns().delete("fqdn-1").await.map(drop),
        Kind::PostCommandId => client.calls().actions().hangup("call-1").await.map(drop),
        Kind::PostIdempotencyKey => client.email_validations().create().email("someone@example.com").await.map(drop),
        Kind::PlainPost => client.messages().send().to("+18005550100").await.map(drop),
    }
}

/// What one (kind, fault) case came to.
struct Outcome {
    kind: Kind,
    fault: Fault,
    result: telnyx::Result<()>,
    attempts: usize,
    tokens: Vec<Option<String>>,
    effects: usize,
}

async fn run(kind: Kind, fault: Fault, policy: RetryPolicy) -> Outcome {
    let server = FaultServer::start(kind, fault).await;
    let client = Client::builder()
        .api_key("k")
        .base_url(format!("http://{}", server.addr))
        .retry_policy(policy)
        .build()
        .unwrap()
        .with_options(RequestOptions::new().timeout(TIMEOUT));
    let result = call(&client, kind).await;
    let seen = server.seen.lock().unwrap();
    Outcome { kind, fault, result, attempts: seen.attempts, tokens: seen.tokens.clone(), effects: seen.effects.len() }
}

/// What the caller must see: success, or the error with the reason it was not retried.
fn expected(kind: Kind, fault: Fault) -> Result<(), NotRetried> {
    match (kind, fault) {
        (_, Fault::Refused | Fault::Status429) => Ok(()),
        (Kind::PlainPost, Fault::Dropped | Fault::Timeout) => Err(NotRetried::NoAnswer),
        (Kind::PlainPost, Fault::Status500) => Err(NotRetried::Status(500)),
        (Kind::PlainPost, Fault::Status503) => Err(NotRetried::Status(503)),
        _ => Ok(()),
    }
}

#[tokio::test]
async fn no_fault_makes_a_request_take_effect_twice() {
    let cases = KINDS.iter().flat_map(|&k| FAULTS.iter().map(move |&f| run(k, f, RetryPolicy::Safe)));
    let outcomes = futures_util::future::join_all(cases).await;
    let mut problems = Vec::new();
    let (mut succeeded, mut refused_to_retry, mut retried, mut tokened) = (0, 0, 0, 0);
    let mut effects = [0usize; 3];
    for o in &outcomes {
        let case = format!("{:?} with {:?}", o.kind, o.fault);
        effects[o.effects.min(2)] += 1;
        if o.effects > 1 {
            problems.push(format!("{case}: {} effects", o.effects));
        }
        let want_effects = match (o.kind, o.fault) {
            (Kind::Get, _) => 0,
            (Kind::PlainPost, Fault::Status503) => 0,
            _ => 1,
        };
        if o.effects != want_effects {
            problems.push(format!("{case}: {} effects, expected {want_effects}", o.effects));
        }
        match (&o.result, expected(o.kind, o.fault)) {
            (Ok(()), Ok(())) => succeeded += 1,
            (Err(e), Err(reason)) if e.not_retried() == Some(reason) => {
                refused_to_retry += 1;
                let right_kind = match o.fault {
                    Fault::Dropped => matches!(e, Error::Connection { .. }),
                    Fault::Timeout => e.is_timeout(),
                    _ => e.api().is_some(),
                };
                if !right_kind || !e.to_string().contains("not retried") {
                    problems.push(format!("{case}: the error does not say why it was not retried: {e}"));
                }
            }
            (got, want) => problems.push(format!("{case}: got {got:?}, expected {want:?}")),
        }
        let want_attempts = if expected(o.kind, o.fault).is_ok() { 2 } else { 1 };
        let attempts_seen = if o.fault == Fault::Refused { o.attempts + 1 } else { o.attempts };
        if attempts_seen != want_attempts {
            problems.push(format!("{case}: {attempts_seen} attempts, expected {want_attempts}"));
        }
        retried += usize::from(attempts_seen > 1);
        if matches!(o.kind, Kind::PostCommandId | Kind::PostIdempotencyKey) {
            let first = o.tokens.first().cloned().flatten();
            let is_uuid =
                first.as_deref().is_some_and(|t| uuid::Uuid::parse_str(t).is_ok_and(|u| u.get_version_num() == 4));
            if !is_uuid || o.tokens.iter().any(|t| *t != first) {
                problems.push(format!("{case}: tokens {:?}", o.tokens));
            } else {
                tokened += 1;
            }
        }
    }
    println!(
        "safe retries: {} cases (6 kinds x 6 faults): {succeeded} succeeded, {refused_to_retry} returned unretried \
         with the reason, {retried} retried; effects 0/1/2+: {}/{}/{}; {tokened} of 12 tokened cases kept one UUID \
         token across attempts",
        outcomes.len(),
        effects[0],
        effects[1],
        effects[2]
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn retrying_everything_repeats_a_plain_post() {
    // The old behaviour, on request: the same faults make a plain POST take effect twice, so
    // the server above does count what the safe rule prevents.
    for fault in [Fault::Dropped, Fault::Timeout, Fault::Status500] {
        let o = run(Kind::PlainPost, fault, RetryPolicy::Always).await;
        assert!(o.result.is_ok(), "{fault:?}: {:?}", o.result);
        assert_eq!(o.effects, 2, "{fault:?}");
    }
}

#[tokio::test]
async fn a_token_the_caller_sets_is_kept() {
    let server = FaultServer::start(Kind::PostCommandId, Fault::Status500).await;
    let client = Client::builder().api_key("k").base_url(format!("http://{}", server.addr)).build().unwrap();
    client.calls().actions().hangup("call-1").command_id("my-command-7").await.unwrap();
    let seen = server.seen.lock().unwrap();
    assert_eq!(seen.tokens, [Some("my-command-7".to_string()), Some("my-command-7".to_string())]);
    assert_eq!(seen.effects.len(), 1);
}
