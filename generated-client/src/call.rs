//! [`Call`]: what every operation returns. It holds the request and the operation's inputs
//! until it is awaited, so optional inputs are set by name on it (`.page(..)`, `.filter(..)`)
//! and a later spec that adds an optional parameter adds a setter, never an argument.

use crate::pagination::{PageSpec, Paginator};
use crate::request::RequestBuilder;
use crate::{RequestOptions, Result};
use futures_util::future::BoxFuture;
use std::future::IntoFuture;

/// Sends an operation's request with its inputs: written per operation by the generator.
#[doc(hidden)]
pub type Send<'a, P, T> = fn(RequestBuilder<'a>, P) -> BoxFuture<'a, Result<T>>;

/// One call of an operation, not sent yet: `.await` sends it.
///
/// The operation's required inputs are its arguments; the optional ones are methods of the
/// call, named after the parameters (`client.number_orders().list().filter(..).await`).
/// [`Call::with_params`] sets every input at once, and [`Call::with_options`] the timeout,
/// retries or headers of this call alone.
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
pub struct Call<'a, P, T> {
    req: RequestBuilder<'a>,
    params: P,
    send: Send<'a, P, T>,
}

impl<P: std::fmt::Debug, T> std::fmt::Debug for Call<'_, P, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (method, url) = self.req.target();
        f.debug_struct("Call").field("method", method).field("url", &url).field("params", &self.params).finish()
    }
}

impl<'a, P, T> Call<'a, P, T> {
    #[doc(hidden)]
    pub fn new(req: RequestBuilder<'a>, params: P, send: Send<'a, P, T>) -> Self {
        Call { req, params, send }
    }

    /// Every input of the operation at once (the params struct), in place of those set so far.
    pub fn with_params(mut self, params: impl Into<P>) -> Self {
        self.params = params.into();
        self
    }

    /// The inputs set so far.
    pub fn params(&self) -> &P {
        &self.params
    }

    #[doc(hidden)]
    pub fn params_mut(&mut self) -> &mut P {
        &mut self.params
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
        T: serde::Serialize + std::marker::Send + 'a,
        Item: std::marker::Send + 'a,
    {
        let Call { req, params, send } = self;
        Paginator::new(params, spec, move |params| send(req.restart(), params))
    }
}

impl<'a, P, T> IntoFuture for Call<'a, P, T> {
    type Output = Result<T>;
    type IntoFuture = BoxFuture<'a, Result<T>>;

    fn into_future(self) -> Self::IntoFuture {
        (self.send)(self.req, self.params)
    }
}
