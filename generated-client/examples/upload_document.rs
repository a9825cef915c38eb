//! Upload files as `multipart/form-data`: the signed LOA and a bill of a hosted number order.
//!
//! `TELNYX_API_KEY=... cargo run --example upload_document [LOA.pdf]`

use telnyx::FilePart;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = telnyx::Client::from_env()?;
    // A file from disk when given, else a few bytes made here.
    let loa = match std::env::args().nth(1) {
        Some(path) => FilePart::from_path(path)?,
        None => FilePart::new(b"%PDF-1.4 example LOA".to_vec()).file_name("loa.pdf"),
    };
    let bill = FilePart::new(b"%PDF-1.4 example bill".to_vec()).file_name("bill.pdf").content_type("application/pdf");
    let order = client
        .messaging_hosted_number_orders()
        .actions()
        .upload_file("86f58db9-0fe3-4adc-9d1f-46e66e6e9323")
        .loa(loa)
        .bill(bill)
        .await?;
    println!("hosted number order {} is {:?}", order.id.unwrap_or_default(), order.status);
    Ok(())
}
