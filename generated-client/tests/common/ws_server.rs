//! A local WebSocket server that plays Telnyx's two streaming operations from a script:
//! speech to text (binary audio in, transcript frames out) and text to speech (JSON text
//! frames in, base64 audio chunks and a final frame out). It records every upgrade request
//! (path, query, `Authorization`) and what the client sent, and can misbehave on demand.
//! Used by `tests/websockets.rs` and by `tests/run_examples.rs` for the streaming examples.
//! It also serves over TLS (a test certificate for `telnyx.test`), and comes with a CONNECT
//! proxy, for the sessions that go through the client's proxy and roots.

use futures_util::{SinkExt, StreamExt};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;

/// What the server does besides the plain exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    None,
    /// A ping before the first event (the client must answer it with a pong).
    Ping,
    /// An error frame of the operation, after the first event.
    ErrorFrame,
    /// The TCP connection dropped after the first event, without a close frame.
    Abrupt,
    /// A close frame with code 1011 after the first event.
    CloseWithError,
    /// A text frame that is not JSON before the first event.
    BadFrame,
    /// The upgrade refused with `401` and a Telnyx error body.
    Refuse,
    /// The client's close frame left unanswered (the connection stays open a while).
    IgnoreClose,
    /// Nothing the client sends is read (the connection stays open a while).
    StopReading,
    /// The first connection dropped after its first event, without a close frame; the next
    /// ones play the exchange.
    AbruptOnce,
    /// The first connection closed with this code after its first event; the next ones play
    /// the exchange.
    CloseOnce(u16),
    /// The first connection dropped after its first event; the next upgrades refused.
    AbruptThenRefuse,
    /// Every connection closed with this code as soon as it is open.
    CloseAtOnce(u16),
    /// This many events for the first frame, then a close with code 1011.
    Flood(usize),
}

/// One upgrade request as the server saw it, and what followed.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    pub path: String,
    pub query: String,
    pub authorization: String,
    /// Binary frames' bytes, and text frames, in order.
    pub binary: Vec<Vec<u8>>,
    pub text: Vec<String>,
    pub pongs: usize,
    /// The client sent a close frame.
    pub closed_by_client: bool,
    /// The connection is over (the server read its end).
    pub ended: bool,
}

pub struct Server {
    pub addr: SocketAddr,
    pub seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// The audio the text-to-speech script answers for one text: its bytes, whatever the text.
pub fn audio_for(text: &str) -> Vec<u8> {
    let mut audio = b"ID3-audio-for:".to_vec();
    audio.extend(text.bytes());
    audio
}

/// Starts the server on a free local port, in the current Tokio runtime.
pub async fn start(fault: Fault) -> Server {
    serve(fault, None).await
}

/// [`start`] over TLS, with the certificate of `tls/server.pem` (for `telnyx.test`, signed by
/// `tls/ca.pem`).
pub async fn start_tls(fault: Fault) -> Server {
    use tokio_rustls::rustls;
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs = CertificateDer::pem_slice_iter(include_bytes!("tls/server.pem")).collect::<Result<Vec<_>, _>>();
    let key = PrivateKeyDer::from_pem_slice(include_bytes!("tls/server.key")).expect("the test key");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(certs.expect("the test certificate"), key)
        .expect("a server configuration");
    serve(fault, Some(tokio_rustls::TlsAcceptor::from(Arc::new(config)))).await
}

/// The CA that signed the TLS server's certificate, to trust in the client.
pub const CA_PEM: &[u8] = include_bytes!("tls/ca.pem");

async fn serve(fault: Fault, tls: Option<tokio_rustls::TlsAcceptor>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a local port");
    let addr = listener.local_addr().expect("local address");
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (log, tls) = (log.clone(), tls.clone());
            tokio::spawn(async move {
                match tls {
                    None => session(tcp, fault, log).await,
                    Some(tls) => {
                        if let Ok(stream) = tls.accept(tcp).await {
                            session(stream, fault, log).await
                        }
                    }
                }
            });
        }
    });
    Server { addr, seen }
}

/// One connection: the handshake, then the script.
async fn session<T: AsyncRead + AsyncWrite + Unpin>(tcp: T, fault: Fault, log: Arc<Mutex<Vec<Seen>>>) {
    let mut this = Seen::default();
    let first = log.lock().unwrap().is_empty();
    // The handshake callback's type is tungstenite's, large error response and all.
    #[allow(clippy::result_large_err)]
    let callback = |req: &Request, resp: Response| -> Result<Response, ErrorResponse> {
        this.path = req.uri().path().to_string();
        this.query = req.uri().query().unwrap_or("").to_string();
        this.authorization = req.headers().get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        if fault == Fault::Refuse || (fault == Fault::AbruptThenRefuse && !first) {
            let body = r#"{"errors":[{"code":"10009","title":"Authentication failed","detail":"bad key"}]}"#;
            let refused = tokio_tungstenite::tungstenite::http::Response::builder()
                .status(401)
                .header("content-type", "application/json")
                .header("x-request-id", "req-refused")
                .body(Some(body.to_string()))
                .unwrap();
            return Err(refused);
        }
        let mut resp = resp;
        resp.headers_mut().insert("x-request-id", "req-ws".parse().unwrap());
        Ok(resp)
    };
    let socket = tokio_tungstenite::accept_hdr_async(tcp, callback).await;
    let index = {
        let mut all = log.lock().unwrap();
        all.push(this.clone());
        all.len() - 1
    };
    let Ok(socket) = socket else { return };
    let record = |f: &mut dyn FnMut(&mut Seen)| f(&mut log.lock().unwrap()[index]);
    // The faults of a first connection only are no faults on the next ones.
    let fault = match fault {
        Fault::AbruptOnce | Fault::CloseOnce(_) | Fault::AbruptThenRefuse if !first => Fault::None,
        Fault::AbruptOnce | Fault::AbruptThenRefuse => Fault::Abrupt,
        other => other,
    };
    play(socket, fault, &this.path, record).await;
}

/// A CONNECT proxy on a free local port: every tunnel goes to `target`, whatever host it asks
/// for; the request lines it was asked are recorded.
pub struct Proxy {
    pub addr: SocketAddr,
    pub connects: Arc<Mutex<Vec<String>>>,
}

pub async fn start_proxy(target: SocketAddr) -> Proxy {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a local port");
    let addr = listener.local_addr().expect("local address");
    let connects: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = connects.clone();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if client.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head);
                let line = head.lines().next().unwrap_or("").to_string();
                log.lock().unwrap().push(line.clone());
                if !line.starts_with("CONNECT ") {
                    let _ = client.write_all(b"HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\n\r\n").await;
                    return;
                }
                let Ok(mut upstream) = tokio::net::TcpStream::connect(target).await else { return };
                if client.write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n").await.is_ok() {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
                }
            });
        }
    });
    Proxy { addr, connects }
}

type Socket<T> = tokio_tungstenite::WebSocketStream<T>;

/// The scripted exchange of one session.
async fn play<T: AsyncRead + AsyncWrite + Unpin>(
    mut ws: Socket<T>,
    fault: Fault,
    path: &str,
    record: impl Fn(&mut dyn FnMut(&mut Seen)),
) {
    let stt = path.ends_with("/speech-to-text/transcription");
    if let Fault::CloseAtOnce(code) = fault {
        let frame = CloseFrame { code: CloseCode::from(code), reason: "at once".into() };
        let _ = ws.send(Message::Close(Some(frame))).await;
        while let Some(Ok(_)) = ws.next().await {}
        return;
    }
    if fault == Fault::StopReading {
        tokio::time::sleep(std::time::Duration::from_secs(10)).await;
        return;
    }
    let mut events = 0usize;
    if fault == Fault::Ping {
        let _ = ws.send(Message::Ping(vec![7, 7].into())).await;
    }
    if fault == Fault::BadFrame {
        let _ = ws.send(Message::Text("this is not JSON".into())).await;
    }
    while let Some(message) = ws.next().await {
        let Ok(message) = message else { break };
        let replies: Vec<String> = match message {
            Message::Binary(b) => {
                record(&mut |s| s.binary.push(b.to_vec()));
                if let Fault::Flood(events) = fault {
                    for n in 1..=events {
                        let event = format!(r#"{{"type":"transcript","transcript":"flood {n}","is_final":false}}"#);
                        let _ = ws.send(Message::Text(event.into())).await;
                    }
                    let frame = CloseFrame { code: CloseCode::Error, reason: "flooded".into() };
                    let _ = ws.send(Message::Close(Some(frame))).await;
                    while let Some(Ok(_)) = ws.next().await {}
                    return;
                }
                if stt {
                    let n = events + 1;
                    vec![
                        format!(r#"{{"type":"transcript","transcript":"part {n}","is_final":false}}"#),
                        format!(
                            r#"{{"type":"transcript","transcript":"chunk {n} of {} bytes","is_final":true,"confidence":0.9}}"#,
                            b.len()
                        ),
                    ]
                } else {
                    vec![r#"{"type":"error","error":"binary frames are not text"}"#.to_string()]
                }
            }
            Message::Text(t) => {
                record(&mut |s| s.text.push(t.to_string()));
                let text = serde_json::from_str::<serde_json::Value>(&t)
                    .ok()
                    .and_then(|v| v.get("text").and_then(|x| x.as_str()).map(String::from))
                    .unwrap_or_default();
                if stt || text.trim().is_empty() {
                    Vec::new()
                } else {
                    use base64::Engine;
                    let audio = audio_for(&text);
                    let (a, b) = audio.split_at(audio.len() / 2);
                    let b64 = |x: &[u8]| base64::engine::general_purpose::STANDARD.encode(x);
                    vec![
                        format!(
                            r#"{{"type":"audio_chunk","audio":"{}","text":{},"isFinal":false,"timeToFirstAudioFrameMs":12}}"#,
                            b64(a),
                            serde_json::Value::from(text.clone())
                        ),
                        format!(
                            r#"{{"type":"audio_chunk","audio":"{}","text":null,"isFinal":false,"cached":false}}"#,
                            b64(b)
                        ),
                        r#"{"type":"final","audio":null,"text":"","isFinal":true}"#.to_string(),
                    ]
                }
            }
            Message::Pong(_) => {
                record(&mut |s| s.pongs += 1);
                continue;
            }
            Message::Close(_) => {
                record(&mut |s| s.closed_by_client = true);
                if fault == Fault::IgnoreClose {
                    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
                    return;
                }
                // Reading on sends the close frame that answers it, then sees the end.
                while let Some(Ok(_)) = ws.next().await {}
                return;
            }
            _ => continue,
        };
        for reply in replies {
            if ws.send(Message::Text(reply.into())).await.is_err() {
                return;
            }
            events += 1;
            if events == 1 {
                match fault {
                    Fault::ErrorFrame => {
                        let _ = ws.send(Message::Text(r#"{"type":"error","error":"engine overloaded"}"#.into())).await;
                    }
                    // Dropping the socket ends the TCP connection without a close frame.
                    Fault::Abrupt => return,
                    Fault::CloseWithError => {
                        let frame = CloseFrame { code: CloseCode::Error, reason: "engine crashed".into() };
                        let _ = ws.send(Message::Close(Some(frame))).await;
                        return;
                    }
                    Fault::CloseOnce(code) => {
                        let frame = CloseFrame { code: CloseCode::from(code), reason: "going".into() };
                        let _ = ws.send(Message::Close(Some(frame))).await;
                        // Reading on answers the client's close frame, if it sends one.
                        while let Some(Ok(_)) = ws.next().await {}
                        return;
                    }
                    _ => {}
                }
            }
        }
    }
    record(&mut |s| s.ended = true);
}
