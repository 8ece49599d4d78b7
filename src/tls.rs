//! TLS for the server's own accept path (rustls, the ring provider, ALPN `h2`), with
//! certificates that are reloaded without a restart.
//!
//! [`Tls`] holds the current `rustls::ServerConfig` behind an [`ArcSwap`]: every handshake
//! takes the configuration current when it starts, and a reload swaps in a new one for the
//! connections that come after. [`Tls::watch`] reads the files every few seconds and reloads
//! when their contents change; [`Tls::reload`] reloads at once (`continuum serve` calls it on
//! SIGHUP). A reload that fails (a file missing or half-written, a key that does not match its
//! certificate) keeps the configuration in use and logs an error.
//!
//! With a client CA, every client must present a certificate that CA signed (mutual TLS); one
//! without a certificate, or with one from another CA, fails its handshake.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use arc_swap::ArcSwap;
use rustls::RootCertStore;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use sha2::{Digest, Sha256};

/// The PEM files TLS is configured from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    /// The server's certificate chain, leaf first.
    pub cert: PathBuf,
    /// The certificate's private key (PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
    /// When set, clients must present a certificate signed by one of these CAs (mutual TLS).
    pub client_ca: Option<PathBuf>,
}

/// Why a TLS configuration could not be built from its files.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("{path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Pem { path: String, message: String },
    #[error("{path}: no certificate in the file")]
    NoCertificate { path: String },
    #[error("client CA {path}: {message}")]
    ClientCa { path: String, message: String },
    #[error("TLS configuration: {0}")]
    Rustls(#[from] rustls::Error),
}

/// The files' contents, as read for one configuration.
struct Contents {
    cert: Vec<u8>,
    key: Vec<u8>,
    client_ca: Option<Vec<u8>>,
}

impl Contents {
    fn read(files: &TlsFiles) -> Result<Contents, TlsError> {
        Ok(Contents {
            cert: read(&files.cert)?,
            key: read(&files.key)?,
            client_ca: files.client_ca.as_deref().map(read).transpose()?,
        })
    }

    /// A digest of every file, to notice a change without keeping the key's bytes.
    fn digest(&self) -> [u8; 32] {
        let mut hash = Sha256::new();
        for part in [Some(&self.cert), Some(&self.key), self.client_ca.as_ref()]
            .into_iter()
            .flatten()
        {
            hash.update((part.len() as u64).to_le_bytes());
            hash.update(part);
        }
        hash.finalize().into()
    }
}

fn read(path: &Path) -> Result<Vec<u8>, TlsError> {
    std::fs::read(path).map_err(|source| TlsError::Read {
        path: path.display().to_string(),
        source,
    })
}

/// Build a server configuration from the files' contents.
fn server_config(files: &TlsFiles, contents: &Contents) -> Result<rustls::ServerConfig, TlsError> {
    let pem_error = |path: &Path, e: rustls::pki_types::pem::Error| TlsError::Pem {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let chain = CertificateDer::pem_slice_iter(&contents.cert)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| pem_error(&files.cert, e))?;
    if chain.is_empty() {
        return Err(TlsError::NoCertificate {
            path: files.cert.display().to_string(),
        });
    }
    let key = PrivateKeyDer::from_pem_slice(&contents.key).map_err(|e| pem_error(&files.key, e))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()?;
    let builder = match (&files.client_ca, &contents.client_ca) {
        (Some(path), Some(pem)) => {
            builder.with_client_cert_verifier(client_verifier(path, pem, provider)?)
        }
        _ => builder.with_no_client_auth(),
    };
    let mut config = builder.with_single_cert(chain, key)?;
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(config)
}

/// A verifier that accepts only client certificates signed by a CA in `pem`.
fn client_verifier(
    path: &Path,
    pem: &[u8],
    provider: Arc<CryptoProvider>,
) -> Result<Arc<dyn rustls::server::danger::ClientCertVerifier>, TlsError> {
    let error = |message: String| TlsError::ClientCa {
        path: path.display().to_string(),
        message,
    };
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(pem) {
        roots
            .add(cert.map_err(|e| error(e.to_string()))?)
            .map_err(|e| error(e.to_string()))?;
    }
    if roots.is_empty() {
        return Err(error("no certificate in the file".into()));
    }
    WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
        .build()
        .map_err(|e| error(e.to_string()))
}

/// The server's TLS configuration, swapped whole when its files change. Cloning shares it.
#[derive(Clone)]
pub struct Tls(Arc<Inner>);

struct Inner {
    files: TlsFiles,
    current: ArcSwap<rustls::ServerConfig>,
    /// The digest of the files as last read, whether or not they made a configuration.
    seen: Mutex<[u8; 32]>,
}

impl fmt::Debug for Tls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tls").field("files", &self.0.files).finish()
    }
}

impl Tls {
    /// Read the files and build the first configuration; an error here stops start-up.
    pub fn load(files: TlsFiles) -> Result<Tls, TlsError> {
        let contents = Contents::read(&files)?;
        let config = server_config(&files, &contents)?;
        Ok(Tls(Arc::new(Inner {
            current: ArcSwap::from_pointee(config),
            seen: Mutex::new(contents.digest()),
            files,
        })))
    }

    /// The configuration new handshakes use.
    pub fn current(&self) -> Arc<rustls::ServerConfig> {
        self.0.current.load_full()
    }

    /// The files this configuration comes from.
    pub fn files(&self) -> &TlsFiles {
        &self.0.files
    }

    /// Read the files again and, if they make a configuration, use it for new connections
    /// (whether or not they changed). On an error the configuration in use stays.
    pub fn reload(&self) -> Result<(), TlsError> {
        let contents = Contents::read(&self.0.files)?;
        self.remember(contents.digest());
        self.install(&contents)
    }

    /// [`reload`](Self::reload) if the files' contents differ from when they were last read;
    /// `Ok(false)` when they do not.
    pub fn reload_if_changed(&self) -> Result<bool, TlsError> {
        let contents = Contents::read(&self.0.files)?;
        if !self.remember(contents.digest()) {
            return Ok(false);
        }
        self.install(&contents).map(|()| true)
    }

    /// Record `digest` as the files' last seen contents; true if it differs from before.
    fn remember(&self, digest: [u8; 32]) -> bool {
        let mut seen = match self.0.seen.lock() {
            Ok(seen) => seen,
            Err(poisoned) => poisoned.into_inner(),
        };
        let changed = *seen != digest;
        *seen = digest;
        changed
    }

    fn install(&self, contents: &Contents) -> Result<(), TlsError> {
        let config = server_config(&self.0.files, contents)?;
        self.0.current.store(Arc::new(config));
        Ok(())
    }

    /// Look at the files every `interval` in a background task and reload when they change,
    /// logging the outcome. A read or a configuration that fails is logged once per change of
    /// the files, and the configuration in use stays. The task ends once every clone of this
    /// `Tls` is dropped.
    pub fn watch(&self, interval: Duration) -> tokio::task::JoinHandle<()> {
        let weak: Weak<Inner> = Arc::downgrade(&self.0);
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(interval);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            ticks.tick().await;
            // A read error is logged once until the files can be read again.
            let mut unreadable = false;
            loop {
                ticks.tick().await;
                let Some(inner) = weak.upgrade() else { return };
                let tls = Tls(inner);
                match tls.reload_if_changed() {
                    Ok(false) => unreadable = false,
                    Ok(true) => {
                        unreadable = false;
                        tracing::info!(cert = %tls.0.files.cert.display(), "TLS certificate reloaded");
                    }
                    Err(e @ TlsError::Read { .. }) => {
                        if !unreadable {
                            tracing::error!(error = %e, "TLS reload failed: keeping the certificate in use");
                        }
                        unreadable = true;
                    }
                    Err(e) => {
                        unreadable = false;
                        tracing::error!(error = %e, "TLS reload failed: keeping the certificate in use");
                    }
                }
            }
        })
    }
}
