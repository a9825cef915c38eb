//! Prism, the mock server the conformance tests run against: installed from npm at the version
//! pinned in `xtask/prism/package-lock.json` into the git-ignored `tools/prism`, started on a
//! free port of 127.0.0.1, and stopped by its process id when dropped, whatever happened.

use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long Prism may take to load the spec (about 10 s on the CI machine).
const STARTUP_LIMIT: Duration = Duration::from_secs(180);

/// Installs the pinned Prism unless `tools/prism` already holds exactly it; returns its binary.
pub fn install(root: &Path) -> Result<PathBuf, String> {
    let pinned = root.join("xtask/prism");
    let dir = root.join("tools/prism");
    let bin = dir.join("node_modules/.bin/prism");
    let lock = fs::read(pinned.join("package-lock.json")).map_err(|e| format!("cannot read the Prism pin: {e}"))?;
    // npm rewrites node_modules/.package-lock.json on install; a copy of the pin beside it
    // tells whether what is installed is what is pinned.
    let stamp = dir.join("installed-lock.json");
    if bin.exists() && fs::read(&stamp).ok().as_deref() == Some(lock.as_slice()) {
        return Ok(bin);
    }
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for file in ["package.json", "package-lock.json"] {
        fs::copy(pinned.join(file), dir.join(file)).map_err(|e| format!("cannot copy {file}: {e}"))?;
    }
    println!("==> installing Prism into {}: npm ci", dir.display());
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&dir)
        .status()
        .map_err(|e| format!("cannot run npm (Node.js and npm are needed for Prism): {e}"))?;
    if !status.success() || !bin.exists() {
        return Err(format!("npm ci in {} failed ({status})", dir.display()));
    }
    fs::write(&stamp, &lock).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    Ok(bin)
}

/// A running Prism, stopped when dropped.
pub struct Prism {
    child: Child,
    pub url: String,
    pub log: PathBuf,
}

impl Prism {
    /// Starts Prism on `spec` and waits until it answers. `dynamic` makes it generate answers
    /// from the schemas instead of serving the spec's examples (seeded, though Prism's answers
    /// still vary from run to run).
    pub fn start(bin: &Path, spec: &Path, dynamic: bool, log: PathBuf) -> Result<Prism, String> {
        let port = free_port()?;
        let log_file = fs::File::create(&log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let err_file = log_file.try_clone().map_err(|e| e.to_string())?;
        let mut command = Command::new(bin);
        // Without `--errors`, a request that breaks the spec still gets a 422 with the violations
        // in `sl-violations`, and an answer that breaks it comes with them in that header too,
        // so the client's decoding is tested even then.
        command.args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()]);
        if dynamic {
            command.args(["--dynamic", "--seed", "1"]);
        }
        command.arg(spec).stdin(Stdio::null()).stdout(log_file).stderr(err_file);
        let child = command.spawn().map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let mut prism = Prism { child, url: format!("http://127.0.0.1:{port}"), log };
        prism.wait_until_ready(port)?;
        Ok(prism)
    }

    fn wait_until_ready(&mut self, port: u16) -> Result<(), String> {
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("Prism exited while loading the spec ({status}); its log:\n{}", self.log_tail()));
            }
            if answers(port) {
                return Ok(());
            }
            if started.elapsed() > STARTUP_LIMIT {
                return Err(format!(
                    "Prism did not answer within {} s; its log:\n{}",
                    STARTUP_LIMIT.as_secs(),
                    self.log_tail()
                ));
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    fn log_tail(&self) -> String {
        let text = fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    listener.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

/// Whether an HTTP server answers on the port (any status: Prism answers 404 to `/`).
fn answers(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else { return false };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 5];
    stream.read_exact(&mut head).is_ok() && &head == b"HTTP/"
}
