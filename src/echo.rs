//! The calibration baseline: a bare gRPC echo service.
//!
//! `continuum load --echo ADDR` drives this service at the same concurrency or rate as the real
//! run, so every figure of the real run can also be read as a multiple of what gRPC, HTTP/2,
//! TCP on loopback and this machine cost by themselves. For that comparison to be fair the echo
//! server uses exactly the transport the service uses ([`crate::transport::Transport`]:
//! `TCP_NODELAY`, keepalive, idle timeout) and, from the command line (`continuum echo`), the
//! same multi-thread tokio runtime. It does nothing else: no authentication, no logging.

use std::future::Future;

use tokio::net::TcpListener;
use tonic::{Request, Response, Status};

use crate::transport::Transport;

/// The generated echo API (`proto/continuum/bench/v1/echo.proto`). Generated code: no hand
/// edits.
pub mod pb {
    #![allow(clippy::all, missing_docs)]
    tonic::include_proto!("continuum.bench.v1");
}

/// Answers every request with its own payload.
#[derive(Debug, Clone, Copy, Default)]
pub struct EchoApi;

#[tonic::async_trait]
impl pb::echo_server::Echo for EchoApi {
    async fn echo(
        &self,
        request: Request<pb::EchoRequest>,
    ) -> Result<Response<pb::EchoResponse>, Status> {
        Ok(Response::new(pb::EchoResponse {
            payload: request.into_inner().payload,
        }))
    }
}

/// Serve the echo service on `listener` until `shutdown` completes, with the service's own
/// transport settings (plaintext; call it within a tokio runtime).
pub async fn serve(
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    if let Err(e) = crate::transport::raise_open_files_limit() {
        tracing::warn!(error = %e, "cannot raise the limit of open files");
    }
    let transport = Transport::default();
    transport
        .builder()
        .add_service(pb::echo_server::EchoServer::new(EchoApi))
        .serve_with_incoming_shutdown(transport.incoming(listener, None), shutdown)
        .await
}
