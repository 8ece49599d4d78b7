//! The Continuum server: the v1 gRPC services over storage and the authority plugins.
//!
//! Only this crate knows tonic. Requests are authenticated, validated, checked against the
//! caller's authority plugin and written (with their history event, in one transaction)
//! through `continuum-storage`.

pub mod auth;
mod codec;
pub mod config;
mod convert;
pub mod echo;
pub mod error;
pub mod load;
mod server;
mod service;
mod state;
pub mod tls;
pub mod transport;

pub use server::{RunningServer, ServerError, serve, start, start_with_clock};
pub use service::fuzzing;
pub use state::{AppState, Clock, Ctx, SystemClock};

/// The generated v1 API (messages, servers and clients). Generated code: no hand edits.
pub mod pb {
    #![allow(clippy::all, missing_docs)]
    tonic::include_proto!("continuum.v1");

    /// The encoded file descriptor set, for server reflection.
    pub const FILE_DESCRIPTOR_SET: &[u8] =
        include_bytes!(concat!(env!("OUT_DIR"), "/continuum_descriptor.bin"));
}
