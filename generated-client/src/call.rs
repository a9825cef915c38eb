//! [`Call`]: what every operation returns. It holds the request and the operation's inputs
//! until it is awaited, so every input is set by name on it (`.to(..)`, `.page(..)`), the
//! compiler checks that the required ones are (see [`crate::inputs`]), and a later spec that
//! adds an optional input adds a method, never an argument.

use crate::inputs::Ready;
use crate::pagination::{PageSpec, Paginator};
use crate::request::RequestBuilder;
use crate::{RequestOptions, Result};
use futures_util::future::BoxFuture;
use serde::de::DeserializeOwned;
use std::future::IntoFuture;
use std::marker::PhantomData;

/// Puts an operation's inputs on its request: written per operation by the generator. It is
/// plain code; what reads the response (and its future) is chosen by `R` and compiled only
/// where a call is awaited.
#[doc(hidden)]
pub type Apply<'a, P> = fn(&mut RequestBuilder<'a>, P);

/// How a call reads its response into `T`: the last type parameter of [`Call`].
pub trait Receive<'a, T> {
    #[doc(hidden)]
    fn receive(req: RequestBuilder<'a>) -> BoxFuture<'a, Result<T>>;
}

/// The response is a JSON body, decoded as the client's [`crate::DecodeMode`] says.
#[derive(Debug)]
pub struct AsJson;
/// The response is a JSON object that holds only `data`: the call returns the `data` (see
/// [`crate::Data`]; a missing `data` is a correction, or an error when decoding strictly).
#[derive(Debug)]
pub struct AsData;
/// The response has no body worth reading.
#[derive(Debug)]
pub struct AsEmpty;
/// The response is a file: a [`crate::Download`].
#[derive(Debug)]
pub struct AsDownload;
/// The response is text.
#[derive(Debug)]
pub struct AsText;
/// The response is a stream of server-sent events: an [`crate::EventStream`].
#[derive(Debug)]
pub struct AsEvents;

impl<'a, T: DeserializeOwned + std::marker::Send + 'a> Receive<'a, T> for AsJson {
    fn receive(req: RequestBuilder<'a>) -> BoxFuture<'a, Result<T>> {
        Box::pin(req.send_json())
    }
}
impl<'a, T: DeserializeOwned + std::marker::Send + 'a> Receive<'a, T> for AsData {
    fn receive(req: RequestBuilder<'a>) -> BoxFuture<'a, Result<T>> {
        Box::pin(async move { req.send_json::<crate::Data<T>>().await.map(|d| d.data) })
    }
}
impl<'a> Receive<'a, ()> for AsEmpty {
    fn receive(req: RequestBuilder<'a>) -> BoxFuture<'a, Result<()>> {
        Box::pin(req.send_empty())
    }
}
impl<'a> Receive<'a, crate::Download> for AsDownload {
    fn receive(req: RequestBuilder<'a>) -> BoxFuture<'a, Result<crate::Download>> {
        Box::pin(req.send_download())
    }
}
impl<'a> Receive<'a, String> for AsText {
    fn receive(req: RequestBuilder<'a>) -> BoxFuture<'a, Result<String>> {
        Box::pin(req.send_text())
    }
}
impl<'a> Receive<'a, crate::EventStream> for AsEvents {
    fn receive(req: RequestBuilder<'a>) -> BoxFuture<'a, Result<crate::EventStream>> {
        Box::pin(req.send_events())
    }
}

/// One call of an operation, not sent yet: `.await` sends it.
///
/// Every input but one path parameter is a method of the call, named after the input:
/// `client.calls().dial().connection_id(..).from(..).to(..).await`. The required ones are
/// tracked in `S` (see [`crate::inputs`]): a call whose required inputs are not all set is not
/// a future, and the compiler names what is missing. [`Call::with_options`] sets the timeout,
/// retries or headers of this call alone. `P` is the operation's params struct (or `()`), `T`
/// what the call returns, `R` how it reads the response (JSON unless said otherwise).
///
/// ```no_run
/// # async fn run(client: telnyx::Client) -> telnyx::Result<()> {
/// use telnyx::RequestOptions;
/// let orders = client
///     .number_orders()
///     .list()
///     .with_options(RequestOptions::new().timeout(std::time::Duration::from_secs(5)))
///     .await?;
/// # Ok(()) }
/// ```
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<'a, P, T, R = AsJson, S = ()> {
    req: RequestBuilder<'a>,
    /// Set in place by the generated methods of the inputs (a field, not a method: a method
    /// call would have rustc search the impls of every operation's calls).
    pub(crate) params: P,
    apply: Apply<'a, P>,
    receive: Marker<T, R, S>,
}

/// What a call returns (`T`), how it reads it (`R`), and which required inputs are set (`S`).
type Marker<T, R, S> = PhantomData<fn() -> (T, R, S)>;

/// The same call in another state: written by the generator for the methods of required
/// inputs, each of which sets its slot of `S` (a spec without required inputs has none).
#[allow(dead_code)]
#[inline]
pub(crate) fn into_state<'a, P, T, R, S, S2>(call: Call<'a, P, T, R, S>) -> Call<'a, P, T, R, S2> {
    Call { req: call.req, params: call.params, apply: call.apply, receive: PhantomData }
}

impl<P: std::fmt::Debug, T, R, S> std::fmt::Debug for Call<'_, P, T, R, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (method, url) = self.req.target();
        f.debug_struct("Call").field("method", method).field("url", &url).field("params", &self.params).finish()
    }
}

impl<'a, T, R> Call<'a, (), T, R> {
    #[doc(hidden)]
    pub fn plain(req: RequestBuilder<'a>) -> Self {
        Call::new(req, (), |_, ()| {})
    }
}

impl<'a, P, T, R, S> Call<'a, P, T, R, S> {
    #[doc(hidden)]
    pub fn new(req: RequestBuilder<'a>, params: P, apply: Apply<'a, P>) -> Self {
        Call { req, params, apply, receive: PhantomData }
    }

    /// The request, for calls of one kind to set what is theirs (a session's reconnection).
    #[cfg(feature = "websocket")]
    pub(crate) fn request_mut(&mut self) -> &mut RequestBuilder<'a> {
        &mut self.req
    }

    /// The inputs set so far (a required one not set yet holds a placeholder).
    pub fn params(&self) -> &P {
        &self.params
    }

    /// Options for this call alone (timeout, retries, headers, query, capture), over the
    /// client's (see [`crate::Client::with_options`] for a handle that keeps them).
    pub fn with_options(mut self, options: RequestOptions) -> Self {
        self.req.set_options(options);
        self
    }

    /// A paginator over this call's pages, starting with the page its params ask for. Written
    /// by the generator as `.paginator()` on the calls of operations that page.
    #[doc(hidden)]
    pub fn pages_by<Item>(self, spec: PageSpec<P, T, Item>) -> Paginator<'a, P, T, Item>
    where
        P: Clone + std::marker::Send + 'a,
        T: std::fmt::Debug + std::marker::Send + 'a,
        Item: std::marker::Send + 'a,
        R: Receive<'a, T>,
        S: Ready,
    {
        let Call { req, params, apply, .. } = self;
        Paginator::new(params, spec, move |params| {
            let mut req = req.restart();
            apply(&mut req, params);
            R::receive(req)
        })
    }
}

impl<'a, P, T, R: Receive<'a, T>, S: Ready> IntoFuture for Call<'a, P, T, R, S> {
    type Output = Result<T>;
    type IntoFuture = BoxFuture<'a, Result<T>>;

    fn into_future(self) -> Self::IntoFuture {
        let Call { mut req, params, apply, .. } = self;
        apply(&mut req, params);
        R::receive(req)
    }
}
