//! The one error type of the generator: every failure names the spec file and the JSON pointer
//! of the problem, so a maintainer can jump straight to it.

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem with a spec (or with writing the output), located by file and JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The spec file (or output path) concerned.
    pub file: PathBuf,
    /// RFC 6901 JSON pointer into the document, `""` for the whole document.
    pub pointer: String,
    /// What is wrong, in one line.
    pub message: String,
}

impl Error {
    pub fn new(file: &Path, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        let message: String = message.into();
        Error {
            file: file.to_path_buf(),
            pointer: pointer.into(),
            // Keep the error to one line whatever the underlying library printed.
            message: message.split_whitespace().collect::<Vec<_>>().join(" "),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: #{}: {}", self.file.display(), self.pointer, self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Escapes one reference token of a JSON pointer (RFC 6901).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Joins reference tokens into a JSON pointer.
pub fn pointer<I, S>(tokens: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = String::new();
    for t in tokens {
        out.push('/');
        out.push_str(&escape_token(t.as_ref()));
    }
    out
}
