//! A smoke test of an account, for a maintainer with an API key: a few read-only calls (the
//! balance, and a page of the phone numbers, messaging profiles and connections), each printed
//! with what it got, and a one-line summary. Nothing it calls by default costs money or changes
//! the account; `--spend` adds one call that does (an SMS from `TELNYX_LIVE_FROM` to
//! `TELNYX_LIVE_TO`).
//!
//! `TELNYX_API_KEY=... cargo xtask live [--spend]` runs it against the real API (CI never does);
//! CI runs it against a mock of the API, as it runs every example.

use std::future::Future;
use std::time::Instant;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let spend = std::env::args().any(|a| a == "--spend");
    let client = match telnyx::Client::from_env() {
        Ok(client) => client,
        Err(e) => {
            eprintln!("live: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let started = Instant::now();
    let mut checks = Checks::default();
    println!("live: {}", client.base_url());

    checks
        .run("balance", async {
            let b = client.balance().retrieve().await?;
            Ok(format!("{} {}", b.balance.unwrap_or_default(), b.currency.unwrap_or_default()))
        })
        .await;
    checks
        .run("phone numbers", async {
            let page = client.phone_numbers().list().await?;
            Ok(format!("{} on the first page", page.data.len()))
        })
        .await;
    checks
        .run("messaging profiles", async {
            let page = client.messaging_profiles().list().await?;
            Ok(format!("{} on the first page", page.data.unwrap_or_default().len()))
        })
        .await;
    checks
        .run("connections", async {
            let page = client.connections().list().await?;
            Ok(format!("{} on the first page", page.data.unwrap_or_default().len()))
        })
        .await;
    if spend {
        checks
            .run("send an SMS (--spend)", async {
                let var = |name: &str| std::env::var(name).map_err(|_| format!("--spend needs {name}"));
                let (from, to) = (var("TELNYX_LIVE_FROM")?, var("TELNYX_LIVE_TO")?);
                let sent = client.messages().send().from(from).to(to).text("telnyx-sdk live check").await?;
                Ok(format!("message {}", sent.id.unwrap_or_default()))
            })
            .await;
    } else {
        checks.skipped += 1;
    }

    println!(
        "live: {} passed, {} failed, {} skipped (calls that cost money: --spend) in {:.1} s",
        checks.passed,
        checks.failed,
        checks.skipped,
        started.elapsed().as_secs_f64()
    );
    if checks.failed == 0 {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}

#[derive(Default)]
struct Checks {
    passed: usize,
    failed: usize,
    skipped: usize,
}

impl Checks {
    async fn run(&mut self, name: &str, check: impl Future<Output = Result<String, Box<dyn std::error::Error>>>) {
        let started = Instant::now();
        match check.await {
            Ok(got) => {
                self.passed += 1;
                println!("  ok      {name}: {got} ({} ms)", started.elapsed().as_millis());
            }
            Err(e) => {
                self.failed += 1;
                println!("  FAILED  {name}: {e}");
            }
        }
    }
}
