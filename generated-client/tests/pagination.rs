//! Auto-pagination through real generated operations, one test per paging style and per rule
//! that ends a walk.

use futures_util::TryStreamExt;
use serde_json::{json, Value};
use std::collections::HashMap;
use telnyx::{Client, Error, RequestOptions};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder().api_key("k").base_url(format!("{}/v2", server.uri())).max_retries(0).build().unwrap()
}

fn query(req: &Request) -> HashMap<String, String> {
    req.url.query_pairs().into_owned().collect()
}

/// Mounts `respond` on `GET route` and returns the server.
async fn serve(route: &str, respond: impl Fn(&HashMap<String, String>) -> Value + Send + Sync + 'static) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(move |req: &Request| ResponseTemplate::new(200).set_body_json(respond(&query(req))))
        .mount(&server)
        .await;
    server
}

async fn requests(server: &MockServer) -> Vec<HashMap<String, String>> {
    server.received_requests().await.unwrap().iter().map(query).collect()
}

fn number_page(number: i64, total_pages: i64, ids: &[&str]) -> Value {
    let data: Vec<Value> = ids.iter().map(|id| json!({"id": id})).collect();
    json!({"data": data, "meta": {"page_number": number, "page_size": 2, "total_pages": total_pages, "total_results": 5}})
}

#[tokio::test]
async fn page_number_walks_to_the_last_page_by_metadata() {
    let server = serve("/v2/number_orders", |q| match q.get("page[number]").map(String::as_str) {
        None | Some("1") => number_page(1, 3, &["a", "b"]),
        Some("2") => number_page(2, 3, &["c", "d"]),
        Some("3") => number_page(3, 3, &["e"]),
        Some(other) => panic!("asked for page {other}"),
    })
    .await;
    let items = client(&server).number_orders().list().paginator().collect_items().await.unwrap();
    let ids: Vec<_> = items.iter().map(|o| o.id.clone().unwrap()).collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    let sent: Vec<_> = requests(&server).await.iter().map(|q| q.get("page[number]").cloned()).collect();
    assert_eq!(sent, [None, Some("2".into()), Some("3".into())]);
}

#[tokio::test]
async fn page_number_keeps_the_callers_filters_and_start_page() {
    use telnyx::resources::number_orders::NumberOrdersListFilter;
    use telnyx::types::NumbersPageConsolidated;
    let server = serve("/v2/number_orders", |q| {
        assert_eq!(q.get("filter[customer_reference]").map(String::as_str), Some("ref"));
        assert_eq!(q.get("page[size]").map(String::as_str), Some("2"));
        let n: i64 = q["page[number]"].parse().unwrap();
        number_page(n, 3, &[&format!("p{n}")])
    })
    .await;
    let pages: Vec<_> = client(&server)
        .number_orders()
        .list()
        .page(NumbersPageConsolidated::default().number(2).size(2))
        .filter(NumberOrdersListFilter::default().customer_reference("ref"))
        .paginator()
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2, "pages 2 and 3");
}

/// A page number the server gets wrong does not steer the walk once the walk has asked for one.
#[tokio::test]
async fn the_next_page_follows_the_number_asked_for_not_a_wrong_one_reported() {
    let server = serve("/v2/number_orders", |q| match q.get("page[number]").map(String::as_str) {
        None => number_page(-7, 3, &["a"]),
        Some("2") => number_page(-7, 3, &["b"]),
        Some("3") => number_page(0, 3, &["c"]),
        Some(other) => panic!("asked for page {other}"),
    })
    .await;
    let items = client(&server).number_orders().list().paginator().collect_items().await.unwrap();
    assert_eq!(items.len(), 3);
    let sent: Vec<_> = requests(&server).await.iter().map(|q| q.get("page[number]").cloned()).collect();
    assert_eq!(sent, [None, Some("2".into()), Some("3".into())]);
}

/// The TypeScript SDK loops forever here: every answer says "page 2 of 3".
#[tokio::test]
async fn a_server_that_always_sends_the_same_page_costs_two_requests() {
    let server = serve("/v2/number_orders", |_| number_page(2, 3, &["same"])).await;
    let items = client(&server).number_orders().list().paginator().collect_items().await.unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn an_empty_page_ends_the_walk() {
    // MCP servers: the response is a bare list with no metadata at all.
    let server = serve("/v2/ai/mcp_servers", |q| match q.get("page[number]").map(String::as_str) {
        None => json!([{"id": "1", "name": "a", "type": "t", "url": "u", "created_at": "x"}]),
        Some("2") => json!([{"id": "2", "name": "b", "type": "t", "url": "u", "created_at": "x"}]),
        Some(_) => json!([]),
    })
    .await;
    let items = client(&server).ai().mcp_servers().list().paginator().collect_items().await.unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn a_total_item_count_ends_the_walk() {
    // 10DLC brands: `page`/`recordsPerPage` with `totalRecords`, and no page count.
    let server = serve("/v2/10dlc/brand", |q| {
        let page: i64 = q.get("page").map_or(1, |p| p.parse().unwrap());
        json!({"page": page, "totalRecords": 3, "records": [{"brandId": format!("b{page}")}, {"brandId": format!("c{page}")}]})
    })
    .await;
    let items = client(&server).messaging_10dlc().brand().list().paginator().collect_items().await.unwrap();
    assert_eq!(items.len(), 4, "two pages of two: the count of 3 is passed on the second");
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn page_after_cursor_is_followed_until_none() {
    let server = serve("/v2/storage/cloudfs", |q| {
        let (id, after) = match q.get("page[after]").map(String::as_str) {
            None => ("fs1", json!("c1")),
            Some("c1") => ("fs2", json!("c2")),
            Some("c2") => ("fs3", Value::Null),
            Some(other) => panic!("unknown cursor {other}"),
        };
        json!({"data": [{"id": id}], "meta": {"cursors": {"after": after}}})
    })
    .await;
    let items = client(&server).storage().cloudfs().list().paginator().collect_items().await.unwrap();
    assert_eq!(items.len(), 3);
    let sent: Vec<_> = requests(&server).await.iter().map(|q| q.get("page[after]").cloned()).collect();
    assert_eq!(sent, [None, Some("c1".into()), Some("c2".into())]);
}

#[tokio::test]
async fn a_cursor_seen_before_ends_the_walk() {
    let server = serve("/v2/storage/cloudfs", |q| {
        // Alternates between two cursors forever, with different items each time.
        let next = if q.get("page[after]").map(String::as_str) == Some("x") { "y" } else { "x" };
        let id = format!("fs-{}", q.get("page[after]").cloned().unwrap_or_default());
        json!({"data": [{"id": id}], "meta": {"cursors": {"after": next}}})
    })
    .await;
    let items = client(&server).storage().cloudfs().list().paginator().collect_items().await.unwrap();
    // Start, after x, after y; y's answer points back to x, already followed.
    assert_eq!(items.len(), 3);
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn has_more_false_ends_a_cursor_walk() {
    let server = serve("/v2/storage/kvs/store-1/keys", |q| match q.get("cursor").map(String::as_str) {
        None => json!({"data": [{"key": "a"}], "meta": {"cursor": "n1", "has_more": true}}),
        // A cursor is still given, but the server says there is nothing more.
        Some("n1") => json!({"data": [{"key": "b"}], "meta": {"cursor": "n2", "has_more": false}}),
        Some(other) => panic!("unexpected cursor {other}"),
    })
    .await;
    let items = client(&server).storage().kvs().keys().list("store-1").paginator().collect_items().await.unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn page_cursor_stops_when_the_cursor_is_missing() {
    let event = |t: &str| json!({"occurred_at": "2026-01-01T00:00:00Z", "type": t});
    let server = serve("/v2/email_messages/m1/events", move |q| match q.get("page_cursor").map(String::as_str) {
        None => json!({"data": [event("sent")], "meta": {"page_cursor": "abc", "page_size": 1}}),
        Some("abc") => json!({"data": [event("delivered")], "meta": {"page_size": 1}}),
        Some(other) => panic!("unexpected cursor {other}"),
    })
    .await;
    let pages: Vec<_> =
        client(&server).email_messages().retrieve_events("m1").paginator().pages().try_collect().await.unwrap();
    assert_eq!(pages.len(), 2);
}

#[tokio::test]
async fn texml_follows_next_page_uri_until_it_is_null() {
    let route = "/v2/texml/Accounts/AC1/Calls";
    let server = serve(route, |q| {
        let token = q.get("PageToken").cloned();
        let (sid, next) = match token.as_deref() {
            None => ("c0", json!("/v2/texml/Accounts/AC1/Calls.json?Page=1&PageSize=1&PageToken=T1")),
            Some("T1") => ("c1", Value::Null),
            Some(other) => panic!("unexpected token {other}"),
        };
        json!({"calls": [{"sid": sid}], "next_page_uri": next, "page": 0, "page_size": 1})
    })
    .await;
    let items =
        client(&server).texml().accounts().calls().retrieve_calls("AC1").paginator().collect_items().await.unwrap();
    assert_eq!(items.len(), 2);
    let sent = requests(&server).await;
    assert_eq!(sent[1].get("Page").map(String::as_str), Some("1"));
    assert_eq!(sent[1].get("PageToken").map(String::as_str), Some("T1"));
}

#[tokio::test]
async fn the_page_cap_ends_an_endless_walk() {
    // Every page is new and claims more follow.
    let server = serve("/v2/number_orders", |q| {
        let n: i64 = q.get("page[number]").map_or(1, |p| p.parse().unwrap());
        number_page(n, i64::MAX, &[&format!("o{n}")])
    })
    .await;
    let pages: Vec<_> =
        client(&server).number_orders().list().paginator().max_pages(4).pages().try_collect().await.unwrap();
    assert_eq!(pages.len(), 4);
    assert_eq!(requests(&server).await.len(), 4);
}

#[tokio::test]
async fn an_error_is_yielded_and_ends_the_walk() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/number_orders"))
        .respond_with(|req: &Request| {
            if query(req).contains_key("page[number]") {
                ResponseTemplate::new(500).set_body_json(json!({"errors": [{"title": "boom"}]}))
            } else {
                ResponseTemplate::new(200).set_body_json(number_page(1, 3, &["a"]))
            }
        })
        .mount(&server)
        .await;
    let results: Vec<_> =
        futures_util::StreamExt::collect(client(&server).number_orders().list().paginator().items()).await;
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    assert!(matches!(&results[1], Err(Error::Api(e)) if e.status == 500));
}

#[tokio::test]
async fn request_options_apply_to_every_page() {
    let server = serve("/v2/number_orders", |q| {
        assert_eq!(q.get("trace").map(String::as_str), Some("1"));
        let n: i64 = q.get("page[number]").map_or(1, |p| p.parse().unwrap());
        number_page(n, 2, &[&format!("o{n}")])
    })
    .await;
    let scoped = client(&server).with_options(RequestOptions::new().query("trace", "1"));
    let items = scoped.number_orders().list().paginator().collect_items().await.unwrap();
    assert_eq!(items.len(), 2);
}

#[tokio::test]
async fn each_page_keeps_its_own_corrections_in_a_capture() {
    // Page 1 sends an id as a number, page 2 a count as text: each page's response in the
    // capture holds its own correction, and none of the other's.
    let server = serve("/v2/number_orders", |q| match q.get("page[number]").map(String::as_str) {
        None | Some("1") => json!({"data": [{"id": 7}], "meta": {"page_number": 1, "total_pages": 2}}),
        Some("2") => {
            json!({"data": [{"id": "b", "phone_numbers_count": "3"}], "meta": {"page_number": 2, "total_pages": 2}})
        }
        Some(other) => panic!("asked for page {other}"),
    })
    .await;
    let capture = telnyx::ResponseCapture::new();
    let client = client(&server).with_options(RequestOptions::new().capture_response(&capture));
    let items = client.number_orders().list().paginator().collect_items().await.unwrap();
    assert_eq!(items.len(), 2);
    let pages = capture.take();
    let paths: Vec<Vec<&str>> = pages.iter().map(|m| m.corrections.iter().map(|c| c.path.as_str()).collect()).collect();
    assert_eq!(paths, [vec!["data[0].id"], vec!["data[0].phone_numbers_count"]]);
    assert!(capture.all().is_empty(), "taken");
}
