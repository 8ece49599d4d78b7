//! Connections and credentials.
//!
//! A tonic [`Channel`] is one HTTP/2 connection; every request on it shares that connection's
//! TCP socket and flow-control windows. The tool opens several (by default one per 16 requests
//! in flight) and deals requests over them in turn, as a fleet of clients would, so one socket
//! is not what is measured.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use tonic::Request;
use tonic::metadata::{Ascii, MetadataValue};
use tonic::transport::{Channel, Endpoint};

use super::LoadError;
use crate::echo::pb::echo_client::EchoClient;
use crate::pb::authority_service_client::AuthorityServiceClient;
use crate::pb::case_service_client::CaseServiceClient;
use crate::pb::meeting_service_client::MeetingServiceClient;
use crate::pb::referral_service_client::ReferralServiceClient;

/// Requests in flight per connection, by default.
pub const IN_FLIGHT_PER_CONNECTION: usize = 16;

/// Connections to one server, used in turn.
#[derive(Debug)]
pub struct Clients {
    channels: Vec<Channel>,
    next: AtomicUsize,
}

/// `http://host:port` for `host:port` (a URI with a scheme is kept as it is).
pub fn uri(addr: &str) -> String {
    if addr.contains("://") {
        addr.to_owned()
    } else {
        format!("http://{addr}")
    }
}

impl Clients {
    /// Open `connections` HTTP/2 connections to `addr`; every request on them times out after
    /// `timeout`.
    pub async fn connect(
        addr: &str,
        connections: usize,
        timeout: Duration,
    ) -> Result<Clients, LoadError> {
        let connect_error = |source| LoadError::Connect {
            addr: addr.to_owned(),
            source,
        };
        let endpoint = Endpoint::from_shared(uri(addr))
            .map_err(connect_error)?
            .tcp_nodelay(true)
            .connect_timeout(Duration::from_secs(5))
            .timeout(timeout);
        let mut channels = Vec::with_capacity(connections.max(1));
        for _ in 0..connections.max(1) {
            channels.push(endpoint.connect().await.map_err(connect_error)?);
        }
        Ok(Clients {
            channels,
            next: AtomicUsize::new(0),
        })
    }

    /// How many connections there are.
    pub fn len(&self) -> usize {
        self.channels.len()
    }

    /// Always false: there is at least one connection.
    pub fn is_empty(&self) -> bool {
        self.channels.is_empty()
    }

    /// The next connection in turn.
    pub fn channel(&self) -> Channel {
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.channels.len();
        self.channels[i].clone()
    }

    pub fn referrals(&self) -> ReferralServiceClient<Channel> {
        ReferralServiceClient::new(self.channel())
    }

    pub fn cases(&self) -> CaseServiceClient<Channel> {
        CaseServiceClient::new(self.channel())
    }

    pub fn meetings(&self) -> MeetingServiceClient<Channel> {
        MeetingServiceClient::new(self.channel())
    }

    pub fn authorities(&self) -> AuthorityServiceClient<Channel> {
        AuthorityServiceClient::new(self.channel())
    }

    pub fn echo(&self) -> EchoClient<Channel> {
        EchoClient::new(self.channel())
    }
}

/// The `authorization` header value for a bearer token.
pub fn bearer(token: &str) -> Result<MetadataValue<Ascii>, LoadError> {
    format!("Bearer {token}")
        .parse()
        .map_err(|_| LoadError::Token("the token is not a valid header value".into()))
}

/// A request carrying `authorization`.
pub fn authed<T>(authorization: &MetadataValue<Ascii>, message: T) -> Request<T> {
    let mut request = Request::new(message);
    request
        .metadata_mut()
        .insert("authorization", authorization.clone());
    request
}

/// The `authority` claim of a JWT, read without verifying it (the server verifies it; the tool
/// only needs to know which authority's records the token may touch).
pub fn token_authority(token: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    claims
        .get("authority")
        .and_then(|a| a.as_str())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{Role, mint_hs256};

    #[test]
    fn the_authority_claim_is_read_from_a_token() {
        let token = mint_hs256(&[7; 32], "x", "E06000027", Role::Practitioner, 60).unwrap();
        assert_eq!(token_authority(&token).as_deref(), Some("E06000027"));
        assert_eq!(token_authority("not-a-jwt"), None);
        assert_eq!(uri("127.0.0.1:1"), "http://127.0.0.1:1");
        assert_eq!(uri("http://[::1]:1"), "http://[::1]:1");
    }
}
