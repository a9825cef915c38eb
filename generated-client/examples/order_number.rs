//! Search the available phone numbers with a filter, then order the first one.
//!
//! `TELNYX_API_KEY=... cargo run --example order_number`

use telnyx::resources::available_phone_numbers::AvailablePhoneNumbersListFilter;
use telnyx::types::CreateNumberOrderRequestPhoneNumbersItem as OrderedNumber;

#[tokio::main]
async fn main() -> telnyx::Result<()> {
    let client = telnyx::Client::from_env()?;
    let filter = AvailablePhoneNumbersListFilter::default().country_code("US").locality("Chicago").limit(5);
    let found = client.available_phone_numbers().list().filter(filter).await?;
    let numbers: Vec<String> = found.data.into_iter().flatten().filter_map(|n| n.phone_number).collect();
    println!("available: {numbers:?}");
    let Some(first) = numbers.first() else {
        println!("nothing to order");
        return Ok(());
    };
    let order = client.number_orders().create().phone_numbers([OrderedNumber::builder().phone_number(first)]).await?;
    println!("order {} is {:?}", order.id.unwrap_or_default(), order.status);
    Ok(())
}
