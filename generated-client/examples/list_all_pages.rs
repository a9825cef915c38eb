//! List with a filter and walk every page: a paginator's `.items()` asks for the next page
//! as the stream runs dry, and always ends.
//!
//! `TELNYX_API_KEY=... cargo run --example list_all_pages`

use futures_util::TryStreamExt;
use telnyx::resources::phone_numbers::{PhoneNumbersListFilter, PhoneNumbersListFilterStatus};
use telnyx::types::NumbersPageConsolidated;

#[tokio::main]
async fn main() -> telnyx::Result<()> {
    let client = telnyx::Client::from_env()?;
    let active = PhoneNumbersListFilter::default().status(PhoneNumbersListFilterStatus::Active);
    let page = NumbersPageConsolidated::default().size(50);
    let mut items = client.phone_numbers().list().filter(active).page(page).paginator().items();
    let mut count = 0;
    while let Some(number) = items.try_next().await? {
        count += 1;
        println!("{count}: {} {:?}", number.phone_number.unwrap_or_default(), number.status);
    }
    println!("{count} active numbers");
    Ok(())
}
