//! [`Call`]: what every operation returns. It holds the request and the operation's inputs
//! until it is awaited, so every input is set by name on it (`.to(..)`, `.page(..)`), the
//! compiler checks that the required ones are (see [`crate::inputs`]), and a later spec that
//! adds an optional input adds a method, never an argument.

use crate::inputs::Ready;
use crate::{PageSpec, Paginator, RequestBuilder, RequestOptions, Result};
use futures_util::future::BoxFuture;
use std::future::IntoFuture;
use std::marker::PhantomData;

pub use telnyx_runtime::receive::{AsData, AsDownload, AsEmpty, AsEvents, AsJson, AsText, Receive};

/// Puts an operation's inputs on its request: written per operation by the generator. It is
/// plain code; what reads the response (and its future) is chosen by `R` and compiled only
/// where a call is awaited.
#[doc(hidden)]
pub type Apply<'a, P> = fn(&mut RequestBuilder<'a>, P);

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

    /// The inputs set so far (a required one not set yet holds a placeholder).
    pub fn params(&self) -> &P {
        &self.params
    }

    /// The method and URL the call goes to.
    #[cfg(feature = "test-util")]
    pub(crate) fn method_and_url(&self) -> (&reqwest::Method, &str) {
        self.req.target()
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

#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
impl<'a, P, T, R: Receive<'a, T>, S: Ready> Call<'a, P, T, R, S> {
    /// Sends the call and waits for its answer, without async (see [`crate::blocking`]): the
    /// same as `.await`, retries and all. Inside an async runtime it is an
    /// [`crate::Error::Config`] that says to `.await` instead.
    ///
    /// ```no_run
    /// # fn run() -> telnyx::Result<()> {
    /// let client = telnyx::Client::from_env()?;
    /// let sms = client.messages().send().from("+18005550101").to("+18005550100").text("Hello!").wait()?;
    /// # let _ = sms; Ok(()) }
    /// ```
    pub fn wait(self) -> Result<T> {
        crate::blocking::wait(self.into_future())?
    }
}

#[cfg(feature = "websocket")]
impl<'a, P, S, E, Sent, Received, St>
    Call<'a, P, crate::websocket::Session<S, E>, crate::websocket::AsSession<Sent, Received>, St>
{
    /// Opens the session again on its own after a recoverable close (see
    /// [`crate::websocket::Reconnect`]).
    pub fn reconnect(mut self, policy: crate::websocket::Reconnect) -> Self {
        self.req.set_reconnect(policy);
        self
    }
}
