//! Auto-pagination: walk a list operation page by page or item by item, with a guarantee that
//! the walk ends.
//!
//! The calls of every paged operation have `.paginator()`, returning a [`Paginator`]. It stops at the
//! first of: the last page by the response's metadata (`total_pages`, a total item count,
//! `has_more: false`, no next cursor or link), an empty page, a page the server already sent
//! (the same body again, or a cursor or link seen before), an error, or the page cap
//! ([`Paginator::max_pages`], [`DEFAULT_MAX_PAGES`] unless changed). A server that always
//! answers "page 2 of 3" therefore costs two requests, not an endless loop.

use crate::Result;
use futures_core::future::BoxFuture;
use futures_core::stream::BoxStream;
use futures_util::{stream, TryStreamExt};
use std::collections::HashSet;
use std::hash::{DefaultHasher, Hasher};

/// The page cap of a [`Paginator`] unless [`Paginator::max_pages`] says otherwise: at the
/// largest page sizes Telnyx allows this is millions of items, so only a misbehaving server
/// reaches it.
pub const DEFAULT_MAX_PAGES: usize = 10_000;

/// How the next page is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PageStyle {
    /// A page number that counts up.
    Number,
    /// An opaque cursor handed back by the previous page.
    Cursor,
    /// A link to the next page, whose query carries the paging inputs.
    NextUri,
}

/// What one page says about itself, read by the generated code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PageMeta {
    /// How many items the page holds.
    pub items: usize,
    /// The page number the server says it sent.
    pub page_number: Option<i64>,
    pub total_pages: Option<i64>,
    /// The number of items over all pages.
    pub total_items: Option<i64>,
    pub next_cursor: Option<String>,
    pub has_more: Option<bool>,
    pub next_uri: Option<String>,
}

impl PageMeta {
    pub fn new(items: usize) -> Self {
        PageMeta { items, ..PageMeta::default() }
    }
}

/// What to change in the params to get the next page.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NextPage {
    Number(i64),
    Cursor(String),
    /// The query pairs of the next-page link.
    Query(Vec<(String, String)>),
}

impl NextPage {
    pub fn number(&self) -> Option<i64> {
        match self {
            NextPage::Number(n) => Some(*n),
            _ => None,
        }
    }

    pub fn cursor(&self) -> Option<&str> {
        match self {
            NextPage::Cursor(c) => Some(c),
            _ => None,
        }
    }

    /// A value of the next-page link's query, by wire name.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        match self {
            NextPage::Query(pairs) => pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()),
            _ => None,
        }
    }
}

/// How one operation pages, as plain functions the generator writes: where the page number is
/// in the params, what a page says about itself, where its items are, and how to ask for the
/// next one.
pub struct PageSpec<P, Page, Item> {
    pub style: PageStyle,
    /// The page number the params ask for (`None` means the first, page 1).
    pub number: fn(&P) -> Option<i64>,
    pub meta: fn(&Page) -> PageMeta,
    pub items: fn(Page) -> Vec<Item>,
    pub apply: fn(&mut P, &NextPage),
}

impl<P, Page, Item> Clone for PageSpec<P, Page, Item> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P, Page, Item> Copy for PageSpec<P, Page, Item> {}

type Fetch<'a, P, Page> = Box<dyn FnMut(P) -> BoxFuture<'a, Result<Page>> + Send + 'a>;

/// Pages of a list operation, fetched one at a time as the stream is polled. Walk them with
/// [`Paginator::pages`], or walk the items with [`Paginator::items`].
pub struct Paginator<'a, P, Page, Item> {
    params: P,
    spec: PageSpec<P, Page, Item>,
    fetch: Fetch<'a, P, Page>,
    max_pages: usize,
}

impl<P, Page, Item> std::fmt::Debug for Paginator<'_, P, Page, Item> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginator").field("style", &self.spec.style).field("max_pages", &self.max_pages).finish()
    }
}

impl<'a, P, Page, Item> Paginator<'a, P, Page, Item>
where
    P: Clone + Send + 'a,
    Page: std::fmt::Debug + Send + 'a,
    Item: Send + 'a,
{
    /// Used by generated code: `fetch` sends one request with the given params.
    pub fn new(
        params: P,
        spec: PageSpec<P, Page, Item>,
        fetch: impl FnMut(P) -> BoxFuture<'a, Result<Page>> + Send + 'a,
    ) -> Self {
        Paginator { params, spec, fetch: Box::new(fetch), max_pages: DEFAULT_MAX_PAGES }
    }

    /// Fetch at most `n` pages (at least one).
    pub fn max_pages(mut self, n: usize) -> Self {
        self.max_pages = n.max(1);
        self
    }

    /// Every page, starting with the one the params ask for. Stops after the first error. The
    /// stream is boxed, so `next()`/`try_next()` work on it without pinning.
    pub fn pages(self) -> BoxStream<'a, Result<Page>> {
        let walk = Walk {
            params: self.params,
            spec: self.spec,
            fetch: self.fetch,
            max_pages: self.max_pages,
            fetched: 0,
            bodies: HashSet::new(),
            links: HashSet::new(),
            items_seen: 0,
        };
        Box::pin(stream::unfold(Some(walk), |walk| async move {
            let mut walk = walk?;
            if walk.fetched >= walk.max_pages {
                tracing::debug!(max_pages = walk.max_pages, "pagination stopped at the page cap");
                return None;
            }
            let requested = (walk.spec.number)(&walk.params);
            let page = match (walk.fetch)(walk.params.clone()).await {
                Ok(page) => page,
                Err(e) => return Some((Err(e), None)),
            };
            walk.fetched += 1;
            if !walk.bodies.insert(fingerprint(&page)) {
                tracing::debug!(page = walk.fetched, "pagination stopped: the server sent a page again");
                return None;
            }
            let meta = (walk.spec.meta)(&page);
            match walk.next(&meta, requested) {
                Some(next) => {
                    (walk.spec.apply)(&mut walk.params, &next);
                    Some((Ok(page), Some(walk)))
                }
                None => Some((Ok(page), None)),
            }
        }))
    }

    /// Every item of every page, in order. Stops after the first error.
    pub fn items(self) -> BoxStream<'a, Result<Item>> {
        let items = self.spec.items;
        Box::pin(self.pages().map_ok(move |page| stream::iter(items(page).into_iter().map(Ok))).try_flatten())
    }

    /// Every item of every page, collected.
    pub async fn collect_items(self) -> Result<Vec<Item>> {
        self.items().try_collect().await
    }
}

struct Walk<'a, P, Page, Item> {
    params: P,
    spec: PageSpec<P, Page, Item>,
    fetch: Fetch<'a, P, Page>,
    max_pages: usize,
    fetched: usize,
    /// Fingerprints of the pages received, to notice a page sent again.
    bodies: HashSet<u64>,
    /// Cursors and links followed, to notice a loop.
    links: HashSet<String>,
    items_seen: u64,
}

impl<P, Page, Item> Walk<'_, P, Page, Item> {
    /// The next page to ask for, or `None` when this page is the last.
    fn next(&mut self, meta: &PageMeta, requested: Option<i64>) -> Option<NextPage> {
        if meta.items == 0 {
            return None;
        }
        self.items_seen += meta.items as u64;
        if meta.has_more == Some(false) {
            return None;
        }
        // Safe to stop on even when the walk began past page 1: the count then stays lower.
        if meta.total_items.is_some_and(|total| i64::try_from(self.items_seen).is_ok_and(|seen| seen >= total)) {
            return None;
        }
        match self.spec.style {
            PageStyle::Number => {
                // The number asked for is the one this page has; the server's own count only
                // fills in when the caller asked for none (it may count from 0), and a negative
                // one is ignored.
                let current = requested.or(meta.page_number.filter(|n| *n >= 0)).unwrap_or(1);
                if meta.total_pages.is_some_and(|total| current >= total) {
                    return None;
                }
                current.checked_add(1).map(NextPage::Number)
            }
            PageStyle::Cursor => {
                let cursor = meta.next_cursor.clone().filter(|c| !c.is_empty())?;
                self.links.insert(cursor.clone()).then_some(NextPage::Cursor(cursor))
            }
            PageStyle::NextUri => {
                let link = meta.next_uri.clone().filter(|l| !l.trim().is_empty())?;
                let base = reqwest::Url::parse("http://next.page/").ok()?;
                let url = base.join(link.trim()).ok()?;
                let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
                if pairs.is_empty() || !self.links.insert(link) {
                    return None;
                }
                Some(NextPage::Query(pairs))
            }
        }
    }
}

/// A hash of the page as decoded, to notice the same page twice. It hashes the page's `Debug`
/// text, which every generated type has (`Serialize` only those the crate sends).
fn fingerprint<Page: std::fmt::Debug>(page: &Page) -> u64 {
    struct Hashing(DefaultHasher);
    impl std::fmt::Write for Hashing {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0.write(s.as_bytes());
            Ok(())
        }
    }
    let mut out = Hashing(DefaultHasher::new());
    // Writing into a hasher cannot fail.
    let _ = std::fmt::Write::write_fmt(&mut out, format_args!("{page:?}"));
    out.0.finish()
}
