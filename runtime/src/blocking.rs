//! Calls without async (feature `blocking`): for scripts, command-line tools and build scripts.
//! A call is sent and waited for on a runtime of the crate's own, one worker thread made on first
//! use and shared by every client; its connection pools live on it between calls. The same call
//! inside an async runtime would block one of its threads, or deadlock a single-threaded one:
//! there it is an [`Error::Config`] that says to `.await` the call instead. That includes code
//! that runs in a runtime's context without being async (`spawn_blocking`, `Runtime::enter`):
//! there, `Handle::current().block_on(call)` waits for it on that runtime.

use crate::pagination::Paginator;
use crate::{Error, Result};
use futures_util::StreamExt as _;
use std::future::Future;
use std::sync::OnceLock;

/// The crate's runtime for blocking calls.
fn runtime() -> Result<&'static tokio::runtime::Runtime> {
    static RUNTIME: OnceLock<std::io::Result<tokio::runtime::Runtime>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .thread_name("telnyx-blocking")
                .enable_all()
                .build()
        })
        .as_ref()
        .map_err(|e| Error::Config(format!("cannot start the runtime of blocking calls: {e}")))
}

/// Runs `future` to completion on the crate's runtime, blocking this thread; an error inside an
/// async runtime.
pub fn wait<F: Future>(future: F) -> Result<F::Output> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::Config(
            "a blocking call inside an async runtime would block it: `.await` the call instead of `.wait()`".into(),
        ));
    }
    Ok(runtime()?.block_on(future))
}

impl<'a, P, Page, Item> Paginator<'a, P, Page, Item>
where
    P: Clone + Send + 'a,
    Page: std::fmt::Debug + Send + 'a,
    Item: Send + 'a,
{
    /// [`Paginator::pages`] as an iterator: each page is fetched, blocking, when the iterator
    /// gets to it. Stops after the first error (an async runtime's is the first item).
    pub fn pages_iter(self) -> impl Iterator<Item = Result<Page>> + 'a {
        blocking_iter(self.pages())
    }

    /// [`Paginator::items`] as an iterator: a page is fetched, blocking, when the iterator gets to
    /// its first item. Stops after the first error (an async runtime's is the first item).
    pub fn items_iter(self) -> impl Iterator<Item = Result<Item>> + 'a {
        blocking_iter(self.items())
    }
}

/// A stream of results as an iterator that waits for each.
fn blocking_iter<'a, T: 'a>(
    mut stream: futures_util::stream::BoxStream<'a, Result<T>>,
) -> impl Iterator<Item = Result<T>> + 'a {
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let next = match wait(stream.next()) {
            Ok(next) => next,
            Err(e) => Some(Err(e)),
        };
        done = !matches!(next, Some(Ok(_)));
        next
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_outside_a_runtime() {
        assert_eq!(wait(async { 7 }).unwrap(), 7);
        // The runtime is made once and kept.
        assert_eq!(
            wait(async {
                tokio::task::yield_now().await;
                8
            })
            .unwrap(),
            8
        );
    }

    #[test]
    fn refuses_inside_a_runtime_instead_of_blocking_it() {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let error = runtime.block_on(async { wait(async { 7 }) }).unwrap_err();
        assert!(matches!(&error, Error::Config(m) if m.contains("`.await` the call")), "{error}");
    }

    #[test]
    fn an_iterator_stops_after_the_first_error() {
        let stream = futures_util::stream::iter([Ok(1), Err(Error::Config("x".into())), Ok(3)]).boxed();
        let got: Vec<String> = blocking_iter(stream).map(|r| format!("{r:?}")).collect();
        assert_eq!(got, ["Ok(1)", "Err(Config(\"x\"))"]);
    }
}
