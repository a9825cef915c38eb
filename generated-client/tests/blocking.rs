//! Calls and paginators without async (`blocking`), answered by the in-process mock.

use serde_json::json;
use telnyx::test_util::{Answer, Mock};

fn page(number: i64, ids: &[&str]) -> Answer {
    let data: Vec<_> = ids.iter().map(|id| json!({ "id": id, "phone_number": format!("+1{id}") })).collect();
    Answer::json(
        200,
        json!({ "data": data, "meta": { "page_number": number, "page_size": 2, "total_pages": 2, "total_results": 3 } }),
    )
}

#[test]
fn a_call_waits_for_its_answer_with_retries_as_awaited() {
    let mock = Mock::new();
    let rule = mock.on("POST /messages").sequence([
        Answer::error(429, "10011", "Too many requests", "slow down").header("retry-after", "0"),
        Answer::data(json!({ "id": "40385f64-5717-4562-b3fc-2c963f66afa6", "text": "Hello!" })),
    ]);
    let client = mock.client();
    let sms = client.messages().send().from("+18005550101").to("+18005550100").text("Hello!").wait().unwrap();
    assert_eq!(sms.text.as_deref(), Some("Hello!"));
    assert_eq!(rule.num_calls(), 2);
    // And again: the crate's runtime is kept between calls.
    let error = client.messages().send().from("+18005550101").to("+18005550100").text("Hello!").wait().unwrap_err();
    assert_eq!(error.api().map(|e| e.status.as_u16()), Some(404));
}

#[test]
fn a_paginator_is_an_iterator_that_fetches_as_it_goes() {
    let mock = Mock::new();
    let first =
        mock.on("GET /phone_numbers").when(|r| r.query_param("page[number]").is_none()).answer(page(1, &["a", "b"]));
    let second =
        mock.on("GET /phone_numbers").when(|r| r.query_param("page[number]") == Some("2")).answer(page(2, &["c"]));
    let client = mock.client();
    let mut items = client.phone_numbers().list().paginator().items_iter();
    assert_eq!(items.next().unwrap().unwrap().id, "a");
    assert_eq!((first.num_calls(), second.num_calls()), (1, 0), "the second page is not fetched before it is needed");
    let rest: Vec<String> = items.map(|n| n.unwrap().id).collect();
    assert_eq!(rest, ["b", "c"]);
    assert_eq!((first.num_calls(), second.num_calls()), (1, 1));

    let pages: Vec<usize> =
        client.phone_numbers().list().paginator().pages_iter().map(|p| p.unwrap().data.len()).collect();
    assert_eq!(pages, [2, 1]);
}

#[test]
fn inside_an_async_runtime_it_is_an_error_not_a_deadlock() {
    let mock = Mock::new();
    let rule = mock.on("POST /messages").answer(Answer::data(json!({ "text": "Hello!" })));
    let client = mock.client();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let error = runtime
        .block_on(async { client.messages().send().from("+18005550101").to("+18005550100").text("Hello!").wait() })
        .unwrap_err();
    assert!(matches!(&error, telnyx::Error::Config(m) if m.contains("`.await` the call instead")), "{error}");
    assert_eq!(rule.num_calls(), 0, "nothing was sent");
    let items: Vec<_> = runtime.block_on(async { client.phone_numbers().list().paginator().items_iter().collect() });
    assert!(matches!(items.as_slice(), [Err(telnyx::Error::Config(_))]), "{items:?}");
}
