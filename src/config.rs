//! Server configuration, from flags and environment variables (see `continuum serve --help`).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use continuum_domain::calendar::Calendar;

use crate::auth::{KeyError, Verifier};
use crate::tls::TlsFiles;

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
    /// Which key this is, for the start-up log and `continuum token`.
    pub fn describe(&self) -> String {
        match self {
            KeySource::Secret(_) => "the shared HS256 secret (CONTINUUM_JWT_SECRET)".into(),
            KeySource::PublicKey(path) => format!("the public key in {}", path.display()),
            KeySource::DevSecretFile(path) => {
                format!("the development secret in {}", path.display())
            }
        }
    }

    pub fn verifier(&self) -> Result<Verifier, KeyError> {
        match self {
            KeySource::Secret(secret) => Verifier::hs256(secret),
            KeySource::PublicKey(path) => Verifier::public_key_file(path),
            KeySource::DevSecretFile(path) => Verifier::hs256(&dev_secret(path)?),
        }
    }
}

/// Where `continuum serve` and `continuum token` keep the development secret unless told
/// otherwise: one place per user (`$XDG_CONFIG_HOME/continuum/dev-secret`, or
/// `~/.config/continuum/dev-secret`), so a token minted in any directory is accepted by a
/// server started in any other. Without a home directory, `continuum.dev-secret` here.
pub fn default_dev_secret_file() -> PathBuf {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|home| PathBuf::from(home).join(".config"))
        });
    match base {
        Some(base) => base.join("continuum").join("dev-secret"),
        None => PathBuf::from("continuum.dev-secret"),
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
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(read_error)?;
            }
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
    /// The issuer (`iss`) and audience (`aud`) tokens must name, when configured.
    pub jwt_issuer: Option<String>,
    pub jwt_audience: Option<String>,
    /// Development or production: production refuses what is only fit for development.
    pub profile: Profile,
    /// Serve plaintext on an address other than loopback (with a warning). Without it, start-up
    /// refuses: bearer tokens and children's records must not cross a network in clear.
    pub insecure_plaintext: bool,
    /// The most requests served at once before more are shed (RESOURCE_EXHAUSTED); `None` for
    /// the transport's default.
    pub max_in_flight: Option<usize>,
    /// The server's certificate chain (PEM) and its private key (PEM): with both, the service
    /// speaks TLS (`CONTINUUM_TLS_CERT`, `CONTINUUM_TLS_KEY`).
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    /// CA certificates (PEM): clients must present a certificate one of them signed (mutual
    /// TLS, `CONTINUUM_TLS_CLIENT_CA`). Needs `tls_cert` and `tls_key`.
    pub tls_client_ca: Option<PathBuf>,
    /// How often the TLS files are read to see whether they changed (then reloaded without a
    /// restart); `None` for every 5 seconds.
    pub tls_reload_interval: Option<Duration>,
    /// The most connections open at once (`CONTINUUM_MAX_CONNECTIONS`); `None` for the
    /// transport's default, from the limit of open files.
    pub max_connections: Option<usize>,
    /// How long a new connection has to complete its TLS handshake and start its first
    /// request; `None` for the transport's default (10 s).
    pub handshake_timeout: Option<Duration>,
}

impl Default for ServerConfig {
    /// `continuum serve`'s defaults: loopback, the SQLite file, plugins beside the binary, the
    /// development secret.
    fn default() -> Self {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 50051)),
            database_url: "sqlite://continuum.db".into(),
            plugins_dir: default_plugins_dir(),
            keys: KeySource::DevSecretFile(default_dev_secret_file()),
            calendar_file: None,
            jwt_issuer: None,
            jwt_audience: None,
            profile: Profile::Development,
            insecure_plaintext: false,
            max_in_flight: None,
            tls_cert: None,
            tls_key: None,
            tls_client_ca: None,
            tls_reload_interval: None,
            max_connections: None,
            handshake_timeout: None,
        }
    }
}

/// What the server is run as.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Profile {
    #[default]
    Development,
    /// Refuses the development secret, a missing issuer or audience, and plaintext anywhere but
    /// loopback (TLS is fine anywhere).
    Production,
}

/// Why start-up refused a configuration.
#[derive(Debug, thiserror::Error)]
#[error("configuration refused: {0}")]
pub struct ConfigRefused(pub String);

impl ServerConfig {
    /// The TLS files, when the service speaks TLS; an error when only some are given.
    pub fn tls_files(&self) -> Result<Option<TlsFiles>, ConfigRefused> {
        match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => Ok(Some(TlsFiles {
                cert: cert.clone(),
                key: key.clone(),
                client_ca: self.tls_client_ca.clone(),
            })),
            (None, None) if self.tls_client_ca.is_some() => Err(ConfigRefused(
                "CONTINUUM_TLS_CLIENT_CA needs CONTINUUM_TLS_CERT and CONTINUUM_TLS_KEY".into(),
            )),
            (None, None) => Ok(None),
            _ => Err(ConfigRefused(
                "TLS needs both CONTINUUM_TLS_CERT and CONTINUUM_TLS_KEY".into(),
            )),
        }
    }

    /// Refuse a configuration that is unsafe to expose: plaintext beyond loopback (unless asked
    /// for, and never in production), half a TLS configuration, and in production the
    /// development secret or a token check without issuer and audience. Warns about what is
    /// allowed but risky. TLS is fine on any address.
    pub fn check(&self) -> Result<(), ConfigRefused> {
        let loopback = self.listen.ip().is_loopback();
        let tls = self.tls_files()?.is_some();
        if !loopback && !tls && !self.insecure_plaintext {
            return Err(ConfigRefused(format!(
                "{} is not a loopback address and no TLS is configured: give \
                 CONTINUUM_TLS_CERT and CONTINUUM_TLS_KEY, put a TLS terminator in front and \
                 listen on loopback, or pass --insecure-plaintext",
                self.listen
            )));
        }
        if self.profile == Profile::Production {
            if !loopback && !tls {
                return Err(ConfigRefused(
                    "production serves plaintext only on loopback: configure TLS \
                     (CONTINUUM_TLS_CERT, CONTINUUM_TLS_KEY) or put a TLS terminator in front"
                        .into(),
                ));
            }
            if matches!(self.keys, KeySource::DevSecretFile(_)) {
                return Err(ConfigRefused(
                    "production needs CONTINUUM_JWT_SECRET or CONTINUUM_JWT_PUBLIC_KEY, not the \
                     development secret file"
                        .into(),
                ));
            }
            if self.jwt_issuer.is_none() || self.jwt_audience.is_none() {
                return Err(ConfigRefused(
                    "production needs CONTINUUM_JWT_ISSUER and CONTINUUM_JWT_AUDIENCE, so that \
                     only tokens meant for this service are accepted"
                        .into(),
                ));
            }
        }
        if self.max_connections == Some(0) {
            return Err(ConfigRefused(
                "CONTINUUM_MAX_CONNECTIONS must be at least 1".into(),
            ));
        }
        if !loopback && !tls {
            tracing::warn!(listen = %self.listen, "serving PLAINTEXT on a non-loopback address (--insecure-plaintext): tokens and records cross the network in clear");
        }
        Ok(())
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn config(listen: &str, profile: Profile) -> ServerConfig {
        ServerConfig {
            listen: listen.parse().unwrap(),
            database_url: String::new(),
            plugins_dir: PathBuf::new(),
            keys: KeySource::Secret(vec![b'x'; 32]),
            calendar_file: None,
            jwt_issuer: Some("https://idp.example".into()),
            jwt_audience: Some("continuum".into()),
            profile,
            ..Default::default()
        }
    }

    fn with_tls(mut config: ServerConfig) -> ServerConfig {
        config.tls_cert = Some("server.pem".into());
        config.tls_key = Some("server.key".into());
        config
    }

    #[test]
    fn plaintext_beyond_loopback_needs_saying_so() {
        assert!(
            config("127.0.0.1:50051", Profile::Development)
                .check()
                .is_ok()
        );
        assert!(
            config("0.0.0.0:50051", Profile::Development)
                .check()
                .is_err()
        );
        let mut insecure = config("0.0.0.0:50051", Profile::Development);
        insecure.insecure_plaintext = true;
        assert!(insecure.check().is_ok());
        insecure.profile = Profile::Production;
        assert!(insecure.check().is_err(), "never in production");
    }

    #[test]
    fn tls_is_fine_on_any_address_even_in_production() {
        assert!(
            with_tls(config("0.0.0.0:50051", Profile::Development))
                .check()
                .is_ok()
        );
        assert!(
            with_tls(config("0.0.0.0:50051", Profile::Production))
                .check()
                .is_ok()
        );
        assert!(
            with_tls(config("127.0.0.1:50051", Profile::Production))
                .check()
                .is_ok()
        );
    }

    #[test]
    fn half_a_tls_configuration_is_refused() {
        let mut cert_only = config("127.0.0.1:50051", Profile::Development);
        cert_only.tls_cert = Some("server.pem".into());
        assert!(cert_only.check().unwrap_err().to_string().contains("both"));
        let mut ca_only = config("127.0.0.1:50051", Profile::Development);
        ca_only.tls_client_ca = Some("ca.pem".into());
        assert!(
            ca_only
                .check()
                .unwrap_err()
                .to_string()
                .contains("CLIENT_CA")
        );
        let mut mutual = with_tls(config("0.0.0.0:50051", Profile::Production));
        mutual.tls_client_ca = Some("ca.pem".into());
        assert!(mutual.check().is_ok());
    }

    #[test]
    fn production_refuses_the_development_secret_and_a_missing_audience() {
        assert!(
            config("127.0.0.1:50051", Profile::Production)
                .check()
                .is_ok()
        );
        let mut dev = config("127.0.0.1:50051", Profile::Production);
        dev.keys = KeySource::DevSecretFile("continuum.dev-secret".into());
        assert!(
            dev.check()
                .unwrap_err()
                .to_string()
                .contains("development secret")
        );
        let mut open = config("127.0.0.1:50051", Profile::Production);
        open.jwt_audience = None;
        assert!(open.check().unwrap_err().to_string().contains("AUDIENCE"));
    }
}
