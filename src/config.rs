//! Server configuration, from flags and environment variables (see `continuum serve --help`).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use continuum_domain::calendar::Calendar;

use crate::auth::{KeyError, Verifier};

/// How bearer tokens are verified.
#[derive(Debug, Clone)]
pub enum KeySource {
    /// A shared HS256 secret.
    Secret(Vec<u8>),
    /// A PEM public key file (RS256 or ES256).
    PublicKey(PathBuf),
    /// A development secret kept in this file, created with a random value if missing.
    DevSecretFile(PathBuf),
}

impl KeySource {
    pub fn verifier(&self) -> Result<Verifier, KeyError> {
        match self {
            KeySource::Secret(secret) => Verifier::hs256(secret),
            KeySource::PublicKey(path) => Verifier::public_key_file(path),
            KeySource::DevSecretFile(path) => Verifier::hs256(&dev_secret(path)?),
        }
    }
}

/// Read, or create, the development secret file.
pub fn dev_secret(path: &Path) -> Result<Vec<u8>, KeyError> {
    let read_error = |source| KeyError::Read {
        path: path.display().to_string(),
        source,
    };
    match std::fs::read(path) {
        Ok(secret) => Ok(secret.trim_ascii().to_vec()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let secret = format!(
                "{}{}",
                uuid::Uuid::new_v4().simple(),
                uuid::Uuid::new_v4().simple()
            );
            write_private(path, secret.as_bytes()).map_err(read_error)?;
            Ok(secret.into_bytes())
        }
        Err(e) => Err(read_error(e)),
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?
        .write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub listen: SocketAddr,
    pub database_url: String,
    pub plugins_dir: PathBuf,
    pub keys: KeySource,
    /// A bank-holidays file in gov.uk's JSON format that replaces or extends the built-in UK
    /// calendar (`CONTINUUM_CALENDAR_FILE`); `None` for the built-in one.
    pub calendar_file: Option<PathBuf>,
}

impl ServerConfig {
    /// The UK working-day calendar: the built-in one, with the operator's file if any.
    pub fn calendar(&self) -> Result<Calendar, CalendarFileError> {
        let calendar = Calendar::uk();
        let Some(path) = &self.calendar_file else {
            return Ok(calendar);
        };
        let name = path.display().to_string();
        let text =
            std::fs::read_to_string(path).map_err(|e| CalendarFileError(format!("{name}: {e}")))?;
        calendar
            .with_file(&name, &text)
            .map_err(|e| CalendarFileError(e.to_string()))
    }
}

/// A calendar file that cannot be read or does not parse: the message names the file, and the
/// line and problem.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct CalendarFileError(String);

/// The directory the running executable is in: where `cargo build` puts the workspace's
/// plugin libraries next to the `continuum` binary.
pub fn default_plugins_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("."))
}
