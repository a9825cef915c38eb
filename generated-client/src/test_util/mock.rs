//! [`Mock`]: rules keyed by operation, answering a client's requests in process.

use super::{Connector, Fault};
use bytes::Bytes;
use futures_util::future::BoxFuture;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

/// The base URL of a client built by [`Mock::client`]: the spec's, on a host that does not
/// exist, so a request that escaped the mock could not reach Telnyx.
pub const MOCK_BASE_URL: &str = "http://telnyx.mock/v2";

/// The Telnyx API in process, for tests: a [`Connector`] that answers each request by the first
/// of its rules that matches it, and records every request. Clones share the rules and the
/// record.
///
/// A request that no rule matches is answered `404` with a Telnyx error body that names its
/// method and path and the rules there are, so the call fails with an [`crate::Error::Api`]
/// saying so (a status that is not retried); [`Mock::unmatched`] lists them too.
#[derive(Clone, Default)]
pub struct Mock {
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    rules: Vec<Arc<RuleState>>,
    requests: Vec<MockRequest>,
    unmatched: Vec<MockRequest>,
}

/// A condition a rule puts on the requests it answers.
type Condition = Box<dyn Fn(&MockRequest) -> bool + Send + Sync>;

struct RuleState {
    route: Route,
    matches: Vec<Condition>,
    answers: Mutex<Answers>,
    requests: Mutex<Vec<MockRequest>>,
}

struct Answers {
    queue: VecDeque<Answer>,
    /// Answer with the one for ever (`answer`), rather than each once (`sequence`).
    repeat: bool,
}

impl std::fmt::Debug for Mock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.lock();
        f.debug_struct("Mock")
            .field("rules", &state.rules.iter().map(|r| r.route.to_string()).collect::<Vec<_>>())
            .field("requests", &state.requests.len())
            .field("unmatched", &state.unmatched.len())
            .finish()
    }
}

impl Mock {
    /// A mock with no rules: every request is unmatched until rules are added.
    pub fn new() -> Mock {
        Mock::default()
    }

    /// A client whose requests this mock answers (API key `test`, base URL [`MOCK_BASE_URL`],
    /// the builder's defaults otherwise: retries included).
    pub fn client(&self) -> crate::Client {
        self.client_builder().build().expect("a mock client's settings are valid")
    }

    /// [`Mock::client`] before it is built, to change its settings (`.max_retries(0)`,
    /// `.timeout(..)`, `.strict_decoding(true)`).
    pub fn client_builder(&self) -> crate::ClientBuilder {
        crate::Client::builder().api_key("test").base_url(MOCK_BASE_URL).connector(self.clone())
    }

    /// A rule for the operation `route`, as its docs write it: a method and a path, each
    /// `{parameter}` standing for one segment (`"POST /calls/{call_control_id}/actions/answer"`).
    /// Rules are tried in the order they were added. Panics on a route that is not `METHOD
    /// /path` (an uppercase method, a path without a query).
    pub fn on(&self, route: &str) -> RuleBuilder {
        RuleBuilder { mock: self.clone(), route: Route::parse(route), matches: Vec::new() }
    }

    /// A rule for the operation that `call` makes, named by the call itself, so that the compiler
    /// checks it: `mock.on_call(|c| c.calls().actions().answer("{call_control_id}"))`. A path
    /// argument written `"{name}"` stands for any value (and [`MockRequest::path_param`] hands it
    /// back under `name`); any other value matches only itself. The call is made, not sent.
    pub fn on_call<P, T, R, S>(
        &self,
        call: impl for<'c> FnOnce(&'c crate::Client) -> crate::Call<'c, P, T, R, S>,
    ) -> RuleBuilder {
        let client = self.client();
        let call = call(&client);
        let (method, url) = call.method_and_url();
        let uri: http::Uri = url.parse().expect("a call's URL is valid");
        let path = uri.path().strip_prefix(base_path()).unwrap_or(uri.path());
        let segments = segments(path)
            .map(|s| {
                let s = percent_encoding::percent_decode_str(s).decode_utf8_lossy();
                match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) => Segment::Param(name.to_string()),
                    None => Segment::Literal(s.into_owned()),
                }
            })
            .collect();
        RuleBuilder { mock: self.clone(), route: Route { method: method.clone(), segments }, matches: Vec::new() }
    }

    /// Every request the mock received, in order, the unmatched ones included.
    pub fn requests(&self) -> Vec<MockRequest> {
        self.lock().requests.clone()
    }

    /// The requests that no rule matched.
    pub fn unmatched(&self) -> Vec<MockRequest> {
        self.lock().unmatched.clone()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A test that panicked while holding it has failed already; its record is still good.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn answer(&self, request: http::Request<Bytes>) -> Result<http::Response<Bytes>, Fault> {
        let (parts, body) = request.into_parts();
        let path = parts.uri.path().strip_prefix(base_path()).unwrap_or(parts.uri.path()).to_string();
        let query =
            parts.uri.query().map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect()).unwrap_or_default();
        let mut request = MockRequest {
            method: parts.method,
            path,
            query,
            headers: parts.headers,
            body,
            route: None,
            params: Vec::new(),
        };
        // The conditions are the test's code: they run with the mock unlocked.
        let rules = self.lock().rules.clone();
        for rule in &rules {
            let Some(params) = rule.route.params(&request.method, &request.path) else { continue };
            request.route = Some(rule.route.to_string());
            request.params = params;
            if !rule.matches.iter().all(|m| m(&request)) {
                continue;
            }
            let answer = {
                let mut answers = rule.answers.lock().unwrap_or_else(|p| p.into_inner());
                match (answers.queue.len(), answers.repeat) {
                    (0, _) => continue,
                    (1, true) => answers.queue[0].clone(),
                    _ => answers.queue.pop_front().expect("not empty"),
                }
            };
            rule.requests.lock().unwrap_or_else(|p| p.into_inner()).push(request.clone());
            self.lock().requests.push(request);
            return answer.into_response();
        }
        request.route = None;
        request.params = Vec::new();
        let routes: Vec<String> = rules.iter().map(|r| r.route.to_string()).collect();
        let detail = format!(
            "no rule of the test mock matches {} {} (its rules: {})",
            request.method,
            request.path,
            if routes.is_empty() { "none".to_string() } else { routes.join(", ") }
        );
        let mut state = self.lock();
        state.requests.push(request.clone());
        state.unmatched.push(request);
        Answer::error(404, "mock_unmatched", "No mock rule matches the request", &detail).into_response()
    }
}

/// The path of [`MOCK_BASE_URL`], which routes leave out.
fn base_path() -> &'static str {
    "/v2"
}

impl Connector for Mock {
    fn send(&self, request: http::Request<Bytes>) -> BoxFuture<'static, Result<http::Response<Bytes>, Fault>> {
        let answer = self.answer(request);
        Box::pin(async move { answer })
    }
}

/// A rule being made: [`RuleBuilder::when`] adds conditions, [`RuleBuilder::answer`] or
/// [`RuleBuilder::sequence`] adds it to the mock.
#[must_use = "a rule is added to the mock by `answer` or `sequence`"]
pub struct RuleBuilder {
    mock: Mock,
    route: Route,
    matches: Vec<Condition>,
}

impl RuleBuilder {
    /// Only requests for which `condition` holds.
    pub fn when(mut self, condition: impl Fn(&MockRequest) -> bool + Send + Sync + 'static) -> Self {
        self.matches.push(Box::new(condition));
        self
    }

    /// Only requests whose JSON body decodes into `T` (the operation's body type, say
    /// `telnyx::types::CallRequest`) and satisfies `condition`.
    pub fn when_body<T: serde::de::DeserializeOwned>(
        self,
        condition: impl Fn(&T) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.when(move |request| request.json::<T>().is_ok_and(|body| condition(&body)))
    }

    /// Only requests whose path parameter `name` (a `{name}` of the route) is `value`.
    pub fn when_param(self, name: &str, value: &str) -> Self {
        let (name, value) = (name.to_string(), value.to_string());
        self.when(move |request| request.path_param(&name) == Some(value.as_str()))
    }

    /// Answers every matching request with `answer`.
    pub fn answer(self, answer: Answer) -> Rule {
        self.add(VecDeque::from([answer]), true)
    }

    /// Answers the matching requests with `answers`, one each, in order (a fault, then a
    /// success: a retry); once they are used up the rule matches no more.
    pub fn sequence(self, answers: impl IntoIterator<Item = Answer>) -> Rule {
        self.add(answers.into_iter().collect(), false)
    }

    fn add(self, queue: VecDeque<Answer>, repeat: bool) -> Rule {
        let rule = Arc::new(RuleState {
            route: self.route,
            matches: self.matches,
            answers: Mutex::new(Answers { queue, repeat }),
            requests: Mutex::new(Vec::new()),
        });
        self.mock.lock().rules.push(rule.clone());
        Rule { state: rule }
    }
}

/// A rule of a [`Mock`]: what it answered, to assert on.
#[derive(Clone)]
pub struct Rule {
    state: Arc<RuleState>,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("route", &self.state.route.to_string()).field("calls", &self.num_calls()).finish()
    }
}

impl Rule {
    /// How many requests it answered (each attempt of a retried call counts).
    pub fn num_calls(&self) -> usize {
        self.state.requests.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// The requests it answered, in order.
    pub fn requests(&self) -> Vec<MockRequest> {
        self.state.requests.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// One request a [`Mock`] received, as the client sent it.
#[derive(Debug, Clone)]
pub struct MockRequest {
    pub method: Method,
    /// The path below the base URL, as sent (percent-encoded): `/calls/v3%3Aabc/actions/answer`.
    pub path: String,
    /// The query's pairs, decoded, in order (`filter[status]`, `page[size]`, ...).
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// The route of the rule that matched it.
    pub route: Option<String>,
    params: Vec<(String, String)>,
}

impl MockRequest {
    /// The body decoded into `T` (the operation's body type, which `test-util` makes
    /// decodable), as the client decodes responses: strictly, so a field the type lacks is an
    /// error here.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> crate::Result<T> {
        crate::decode_json_with(&self.body, crate::DecodeMode::Strict).map(|decoded| decoded.value)
    }

    /// The body as a JSON value (`Null` when empty).
    pub fn json_value(&self) -> serde_json::Value {
        if self.body.is_empty() {
            return serde_json::Value::Null;
        }
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }

    /// The path parameter `name` (a `{name}` of the matched route), decoded.
    pub fn path_param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The first query value of `name`.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The header `name`, when it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// What a rule answers: a response (status, headers, body) or a transport fault.
#[derive(Debug, Clone)]
pub struct Answer {
    outcome: Result<(StatusCode, HeaderMap, Bytes), Fault>,
}

impl Answer {
    /// `status` with `body` as JSON: a typed value (with `test-util`, every type of the crate
    /// encodes) or a `serde_json::json!` literal.
    pub fn json(status: u16, body: impl serde::Serialize) -> Answer {
        let body = serde_json::to_vec(&body).expect("a mock answer encodes as JSON");
        Answer::bytes(status, "application/json", body)
    }

    /// `200` with `{"data": value}`: the answer of an operation whose call returns the `data`.
    pub fn data(value: impl serde::Serialize) -> Answer {
        Answer::json(200, serde_json::json!({ "data": value }))
    }

    /// `status` with a Telnyx error body: `{"errors": [{"code", "title", "detail"}]}`.
    pub fn error(status: u16, code: &str, title: &str, detail: &str) -> Answer {
        Answer::json(status, serde_json::json!({ "errors": [{ "code": code, "title": title, "detail": detail }] }))
    }

    /// `status` with no body.
    pub fn status(status: u16) -> Answer {
        Answer::bytes(status, "", Bytes::new())
    }

    /// `status` with `body` of `content_type` (text, audio, a file).
    pub fn bytes(status: u16, content_type: &str, body: impl Into<Bytes>) -> Answer {
        let status = StatusCode::from_u16(status).expect("a mock answer's status is 100 to 999");
        let mut headers = HeaderMap::new();
        if !content_type.is_empty() {
            headers.insert(http::header::CONTENT_TYPE, HeaderValue::from_str(content_type).expect("a content type"));
        }
        Answer { outcome: Ok((status, headers, body.into())) }
    }

    /// No response: the connection failed as `fault` says (see [`crate::test_util::FaultKind`]
    /// for how retries treat each).
    pub fn fault(fault: Fault) -> Answer {
        Answer { outcome: Err(fault) }
    }

    /// The answer with the header `name` (`retry-after`, `x-request-id`, ...); no effect on a
    /// fault.
    pub fn header(mut self, name: &str, value: &str) -> Answer {
        if let Ok((_, headers, _)) = &mut self.outcome {
            let name = HeaderName::from_bytes(name.as_bytes()).expect("a header name");
            headers.append(name, HeaderValue::from_str(value).expect("a header value"));
        }
        self
    }

    fn into_response(self) -> Result<http::Response<Bytes>, Fault> {
        let (status, headers, body) = self.outcome?;
        let mut response = http::Response::new(body);
        *response.status_mut() = status;
        *response.headers_mut() = headers;
        Ok(response)
    }
}

/// A rule's method and path template.
#[derive(Debug, Clone)]
struct Route {
    method: Method,
    segments: Vec<Segment>,
}

#[derive(Debug, Clone)]
enum Segment {
    Literal(String),
    Param(String),
}

impl Route {
    fn parse(route: &str) -> Route {
        let (method, path) =
            route.trim().split_once(' ').unwrap_or_else(|| panic!("a route is `METHOD /path`: {route:?}"));
        // A lowercase method or a query string would never match: refused, not ignored.
        let method = Method::from_bytes(method.as_bytes())
            .ok()
            .filter(|m| m.as_str().bytes().all(|b| b.is_ascii_uppercase()))
            .unwrap_or_else(|| panic!("not a method (GET, POST, ...): {method:?} in {route:?}"));
        assert!(!path.contains('?'), "a route is a path without a query (match on it with `when`): {route:?}");
        let segments = segments(path.trim())
            .map(|s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => Segment::Param(name.to_string()),
                None => Segment::Literal(s.to_string()),
            })
            .collect();
        Route { method, segments }
    }

    /// The path parameters, when `method` and `path` are this route's.
    fn params(&self, method: &Method, path: &str) -> Option<Vec<(String, String)>> {
        if *method != self.method {
            return None;
        }
        let got: Vec<&str> = segments(path).collect();
        if got.len() != self.segments.len() {
            return None;
        }
        let mut params = Vec::new();
        for (want, got) in self.segments.iter().zip(got) {
            let got = percent_encoding::percent_decode_str(got).decode_utf8_lossy();
            match want {
                Segment::Literal(literal) if *literal == got => {}
                Segment::Param(name) if !got.is_empty() => params.push((name.clone(), got.into_owned())),
                _ => return None,
            }
        }
        Some(params)
    }
}

fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.trim_matches('/').split('/').filter(|s| !s.is_empty())
}

impl std::fmt::Display for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ", self.method)?;
        if self.segments.is_empty() {
            return f.write_str("/");
        }
        for segment in &self.segments {
            match segment {
                Segment::Literal(s) => write!(f, "/{s}")?,
                Segment::Param(name) => write!(f, "/{{{name}}}")?,
            }
        }
        Ok(())
    }
}
