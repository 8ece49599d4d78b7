//! Who is calling: a bearer JWT (HS256 with a shared secret, or RS256/ES256 with a public key)
//! whose claims name the caller (`sub`), their authority's GSS code (`authority`) and their role
//! (`role`). A caller sees and changes only its own authority's records.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use tonic::metadata::MetadataMap;

use crate::error::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Records and changes referrals, cases and meetings.
    Practitioner,
    /// As a practitioner; the role is recorded with what a manager decides.
    Manager,
    /// Reads only.
    Viewer,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "practitioner" => Some(Role::Practitioner),
            "manager" => Some(Role::Manager),
            "viewer" => Some(Role::Viewer),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Practitioner => "practitioner",
            Role::Manager => "manager",
            Role::Viewer => "viewer",
        }
    }
}

/// The authenticated caller of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub subject: String,
    pub authority: String,
    pub role: Role,
}

impl Caller {
    /// Writes need a role that may change records.
    pub fn require_write(&self) -> Result<(), ApiError> {
        match self.role {
            Role::Practitioner | Role::Manager => Ok(()),
            Role::Viewer => Err(ApiError::PermissionDenied(
                "the viewer role may not change records".into(),
            )),
        }
    }

    /// How the caller is recorded in history: "alice (practitioner)".
    pub fn actor(&self) -> String {
        format!("{} ({})", self.subject, self.role.as_str())
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub authority: String,
    pub role: String,
    pub exp: u64,
    pub iat: u64,
}

/// Verifies bearer tokens.
#[derive(Clone)]
pub struct Verifier {
    key: DecodingKey,
    validation: Validation,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("algorithms", &self.validation.algorithms)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read key file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is neither an RSA nor an EC (P-256) public key in PEM form")]
    Unrecognised { path: String },
    #[error("the HS256 secret must be at least 32 bytes")]
    ShortSecret,
}

impl Verifier {
    pub fn hs256(secret: &[u8]) -> Result<Verifier, KeyError> {
        if secret.len() < 32 {
            return Err(KeyError::ShortSecret);
        }
        Ok(Verifier {
            key: DecodingKey::from_secret(secret),
            validation: validation(Algorithm::HS256),
        })
    }

    /// An RS256 or ES256 public key, in PEM.
    pub fn public_key_file(path: &Path) -> Result<Verifier, KeyError> {
        let pem = std::fs::read(path).map_err(|source| KeyError::Read {
            path: path.display().to_string(),
            source,
        })?;
        if let Ok(key) = DecodingKey::from_rsa_pem(&pem) {
            return Ok(Verifier {
                key,
                validation: validation(Algorithm::RS256),
            });
        }
        if let Ok(key) = DecodingKey::from_ec_pem(&pem) {
            return Ok(Verifier {
                key,
                validation: validation(Algorithm::ES256),
            });
        }
        Err(KeyError::Unrecognised {
            path: path.display().to_string(),
        })
    }

    /// The caller named by the request's `authorization: Bearer <token>` header.
    pub fn caller(&self, metadata: &MetadataMap) -> Result<Caller, ApiError> {
        let header = metadata.get("authorization").ok_or_else(|| {
            ApiError::Unauthenticated("missing bearer token (authorization: Bearer <jwt>)".into())
        })?;
        let token = header
            .to_str()
            .ok()
            .and_then(|h| {
                h.strip_prefix("Bearer ")
                    .or_else(|| h.strip_prefix("bearer "))
            })
            .ok_or_else(|| {
                ApiError::Unauthenticated("the authorization header is not a bearer token".into())
            })?;
        let claims = jsonwebtoken::decode::<Claims>(token.trim(), &self.key, &self.validation)
            .map_err(|e| ApiError::Unauthenticated(format!("invalid token: {e}")))?
            .claims;
        let role = Role::parse(&claims.role).ok_or_else(|| {
            ApiError::Unauthenticated(format!(
                "invalid token: unknown role {:?} (practitioner, manager or viewer)",
                claims.role
            ))
        })?;
        if claims.sub.trim().is_empty() || claims.authority.trim().is_empty() {
            return Err(ApiError::Unauthenticated(
                "invalid token: sub and authority are required".into(),
            ));
        }
        Ok(Caller {
            subject: claims.sub,
            authority: claims.authority,
            role,
        })
    }
}

fn validation(algorithm: Algorithm) -> Validation {
    let mut v = Validation::new(algorithm);
    v.set_required_spec_claims(&["exp", "sub"]);
    v.leeway = 30;
    v
}

/// Mint an HS256 token (for development: `continuum token`, and tests).
pub fn mint_hs256(
    secret: &[u8],
    subject: &str,
    authority: &str,
    role: Role,
    ttl_secs: u64,
) -> Result<String, jsonwebtoken::errors::Error> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let claims = Claims {
        sub: subject.into(),
        authority: authority.into(),
        role: role.as_str().into(),
        exp: now + ttl_secs,
        iat: now,
    };
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(secret),
    )
}
