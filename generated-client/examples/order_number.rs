//! Search the available phone numbers with a filter, then order the first one.
//!
//! `TELNYX_API_KEY=... cargo run --example order_number`

use telnyx::resources::available_phone_numbers::AvailablePhoneNumbersListFilter;
use telnyx::types::{CreateNumberOrderRequest, CreateNumberOrderRequestPhoneNumbersItem};

#[tokio::main]
async fn main() -> telnyx::Result<()> {
    let client = telnyx::Client::from_env()?;
    let filter = AvailablePhoneNumbersListFilter {
        country_code: Some("US".into()),
        locality: Some("Chicago".into()),
        limit: Some(5),
        ..Default::default()
    };
    let found = client.available_phone_numbers().list().filter(filter).await?;
    let numbers: Vec<String> = found.data.unwrap_or_default().into_iter().filter_map(|n| n.phone_number).collect();
    println!("available: {numbers:?}");
    let Some(first) = numbers.first() else {
        println!("nothing to order");
        return Ok(());
    };
    let order = client
        .number_orders()
        .create(CreateNumberOrderRequest {
            phone_numbers: Some(vec![CreateNumberOrderRequestPhoneNumbersItem::new(first.as_str())]),
            ..Default::default()
        })
        .await?;
    let order = order.data.expect("the order");
    println!("order {} is {:?}", order.id.unwrap_or_default(), order.status);
    Ok(())
}
