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
    /// Reads the audit log of its authority (ListAuditEvents), and nothing else.
    Auditor,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "practitioner" => Some(Role::Practitioner),
            "manager" => Some(Role::Manager),
            "viewer" => Some(Role::Viewer),
            "auditor" => Some(Role::Auditor),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Practitioner => "practitioner",
            Role::Manager => "manager",
            Role::Viewer => "viewer",
            Role::Auditor => "auditor",
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
            Role::Viewer | Role::Auditor => Err(ApiError::PermissionDenied(format!(
                "the {} role may not change records",
                self.role.as_str()
            ))),
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

/// The most a caller's clock may differ from the service's, in seconds: `exp`, `nbf` and `iat`
/// are judged with this much leeway.
pub const CLOCK_SKEW_SECONDS: u64 = 60;

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

    /// Require tokens issued by `issuer` and meant for `audience` (each when given).
    pub fn expecting(mut self, issuer: Option<&str>, audience: Option<&str>) -> Verifier {
        if let Some(issuer) = issuer {
            self.validation.set_issuer(&[issuer]);
            self.validation.required_spec_claims.insert("iss".into());
        }
        if let Some(audience) = audience {
            self.validation.set_audience(&[audience]);
            self.validation.required_spec_claims.insert("aud".into());
        }
        self
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
        // A token issued in the future (beyond the clock skew allowed) is not yet valid.
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        if claims.iat > now + self.validation.leeway {
            return Err(ApiError::Unauthenticated(
                "invalid token: issued in the future (iat)".into(),
            ));
        }
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
    v.set_required_spec_claims(&["exp", "sub", "iat"]);
    v.validate_nbf = true;
    v.leeway = CLOCK_SKEW_SECONDS;
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

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"a-test-secret-of-at-least-32-bytes-long!";

    fn now() -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default()
    }

    fn token(claims: serde_json::Value) -> String {
        jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(SECRET),
        )
        .unwrap()
    }

    fn check(verifier: &Verifier, token: &str) -> Result<Caller, ApiError> {
        let mut metadata = MetadataMap::new();
        metadata.insert("authorization", format!("Bearer {token}").parse().unwrap());
        verifier.caller(&metadata)
    }

    fn claims(extra: serde_json::Value) -> serde_json::Value {
        let mut c = serde_json::json!({
            "sub": "alice", "authority": "E10000034", "role": "practitioner",
            "exp": now() + 600, "iat": now(),
        });
        for (k, v) in extra.as_object().unwrap() {
            c[k] = v.clone();
        }
        c
    }

    #[test]
    fn time_claims_are_honoured_within_sixty_seconds() {
        let v = Verifier::hs256(SECRET).unwrap();
        assert!(check(&v, &token(claims(serde_json::json!({})))).is_ok());
        // Not yet valid, or issued in the future, beyond the skew allowed.
        assert!(check(&v, &token(claims(serde_json::json!({"nbf": now() + 120})))).is_err());
        assert!(check(&v, &token(claims(serde_json::json!({"iat": now() + 120})))).is_err());
        // Within the skew: accepted.
        assert!(check(&v, &token(claims(serde_json::json!({"iat": now() + 30})))).is_ok());
        assert!(check(&v, &token(claims(serde_json::json!({"exp": now() - 120})))).is_err());
    }

    #[test]
    fn issuer_and_audience_are_checked_when_configured() {
        let v = Verifier::hs256(SECRET)
            .unwrap()
            .expecting(Some("https://idp.council.example"), Some("continuum"));
        let good = claims(serde_json::json!({
            "iss": "https://idp.council.example", "aud": "continuum"
        }));
        assert!(check(&v, &token(good)).is_ok());
        let other = claims(serde_json::json!({"iss": "https://elsewhere", "aud": "continuum"}));
        assert!(check(&v, &token(other)).is_err());
        let none = claims(serde_json::json!({}));
        assert!(check(&v, &token(none)).is_err(), "iss and aud are required");
    }
}
