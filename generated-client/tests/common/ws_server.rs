//! A local WebSocket server that plays Telnyx's two streaming operations from a script:
//! speech to text (binary audio in, transcript frames out) and text to speech (JSON text
//! frames in, base64 audio chunks and a final frame out). It records every upgrade request
//! (path, query, `Authorization`) and what the client sent, and can misbehave on demand.
//! Used by `tests/websockets.rs` and by `tests/run_examples.rs` for the streaming examples.

use futures_util::{SinkExt, StreamExt};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
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
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a local port");
    let addr = listener.local_addr().expect("local address");
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                let mut this = Seen::default();
                // The handshake callback's type is tungstenite's, large error response and all.
                #[allow(clippy::result_large_err)]
                let callback = |req: &Request, resp: Response| -> Result<Response, ErrorResponse> {
                    this.path = req.uri().path().to_string();
                    this.query = req.uri().query().unwrap_or("").to_string();
                    this.authorization =
                        req.headers().get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
                    if fault == Fault::Refuse {
                        let body =
                            r#"{"errors":[{"code":"10009","title":"Authentication failed","detail":"bad key"}]}"#;
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
                play(socket, fault, &this.path, record).await;
            });
        }
    });
    Server { addr, seen }
}

type Socket = tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>;

/// The scripted exchange of one session.
async fn play(mut ws: Socket, fault: Fault, path: &str, record: impl Fn(&mut dyn FnMut(&mut Seen))) {
    let stt = path.ends_with("/speech-to-text/transcription");
    let mut events = 0usize;
    if fault == Fault::Ping {
        let _ = ws.send(Message::Ping(vec![7, 7].into())).await;
    }
    if fault == Fault::BadFrame {
        let _ = ws.send(Message::Text("this is not JSON".into())).await;
    }
    while let Some(Ok(message)) = ws.next().await {
        let replies: Vec<String> = match message {
            Message::Binary(b) => {
                record(&mut |s| s.binary.push(b.to_vec()));
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
                    _ => {}
                }
            }
        }
    }
}
