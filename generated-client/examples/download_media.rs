//! Download a stored media file (a binary response) and save it, streaming it to disk.
//!
//! `TELNYX_API_KEY=... cargo run --example download_media [MEDIA_NAME]`

use futures_util::TryStreamExt;
use tokio::io::AsyncWriteExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = telnyx::Client::from_env()?;
    let name = std::env::args().nth(1).unwrap_or_else(|| "my-greeting.mp3".into());
    let download = client.media().download(&name).await?;
    println!("{name}: {:?}, {:?} bytes announced", download.content_type(), download.content_length());
    let path = std::env::temp_dir().join(format!("telnyx-example-{}", std::process::id()));
    let mut file = tokio::fs::File::create(&path).await?;
    let mut chunks = download.stream();
    let mut written = 0;
    while let Some(chunk) = chunks.try_next().await? {
        file.write_all(&chunk).await?;
        written += chunk.len();
    }
    file.flush().await?;
    println!("saved {written} bytes to {}", path.display());
    tokio::fs::remove_file(&path).await?;
    Ok(())
}
