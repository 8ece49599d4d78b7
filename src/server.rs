//! Starting the gRPC server: the v1 services with health checking and reflection, over the
//! package's transport settings, in plaintext or TLS.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use continuum_plugin_host::PluginSet;
use continuum_storage::Store;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::ServerConfig;
use crate::pb;
use crate::service::{
    AuditApi, AuthorityApi, CaseApi, EventApi, ExportApi, MeetingApi, PanelApi, ReferralApi,
};
use crate::state::{AppState, Clock, SystemClock};
use crate::tls::{Tls, TlsError};
use crate::transport::{Connections, Incoming, Transport};

/// How often the TLS files are read to see whether they changed, unless configured.
const TLS_RELOAD_INTERVAL: Duration = Duration::from_secs(5);

/// Why the server could not start, or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("token keys: {0}")]
    Keys(#[from] crate::auth::KeyError),
    #[error(transparent)]
    Storage(#[from] continuum_storage::StorageError),
    #[error("plugins: {0}")]
    Plugins(#[from] continuum_plugin_host::LoadError),
    #[error(transparent)]
    Calendar(#[from] crate::config::CalendarFileError),
    #[error(transparent)]
    Config(#[from] crate::config::ConfigRefused),
    #[error("TLS: {0}")]
    Tls(#[from] TlsError),
    #[error("cannot listen: {0}")]
    Io(#[from] std::io::Error),
    #[error("transport: {0}")]
    Transport(#[from] tonic::transport::Error),
    #[error("the server task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// A server started by [`start`].
#[derive(Debug)]
pub struct RunningServer {
    pub addr: SocketAddr,
    pub state: AppState,
    /// The TLS configuration in use, when the server speaks TLS.
    pub tls: Option<Tls>,
    /// The connections open now, and the limit.
    pub connections: Connections,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<(), tonic::transport::Error>>,
}

impl RunningServer {
    /// Read the TLS files again now (as on SIGHUP) and use them for new connections; on an
    /// error the certificate in use stays. Nothing to do without TLS.
    pub fn reload_tls(&self) -> Result<(), TlsError> {
        match &self.tls {
            Some(tls) => tls.reload(),
            None => Ok(()),
        }
    }

    /// Stop accepting, finish in-flight requests, and wait.
    pub async fn stop(mut self) -> Result<(), ServerError> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.task.await??;
        Ok(())
    }

    /// [`stop`](Self::stop), waiting at most `bound` for requests in flight (event streams never
    /// finish on their own); `false` if they were cut off.
    pub async fn drain(self, bound: std::time::Duration) -> Result<bool, ServerError> {
        match tokio::time::timeout(bound, self.stop()).await {
            Ok(result) => result.map(|()| true),
            Err(_) => Ok(false),
        }
    }
}

/// Open the database (migrating it), load the plugins, bind, and serve in the background.
pub async fn start(config: &ServerConfig) -> Result<RunningServer, ServerError> {
    start_with_clock(config, Arc::new(SystemClock)).await
}

/// [`start`], with the service's time taken from `clock` (tests move it).
pub async fn start_with_clock(
    config: &ServerConfig,
    clock: Arc<dyn Clock>,
) -> Result<RunningServer, ServerError> {
    config.check()?;
    let tls = config.tls_files()?.map(Tls::load).transpose()?;
    let verifier = config
        .keys
        .verifier()?
        .expecting(config.jwt_issuer.as_deref(), config.jwt_audience.as_deref());
    let calendar = config.calendar()?;
    let store = Store::connect(&config.database_url).await?;
    store.migrate().await?;
    let plugins = PluginSet::load_dir(&config.plugins_dir)?;
    if plugins.plugins().is_empty() {
        tracing::warn!(dir = %config.plugins_dir.display(), "no authority plugins loaded");
    }
    let state = AppState::new(store, plugins, verifier, clock, calendar);
    let listener = TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let (tx, rx) = oneshot::channel::<()>();
    // Every connection is a file: use all the process may open before the limit is counted.
    let open_files = crate::transport::raise_open_files_limit()
        .inspect_err(|e| tracing::warn!(error = %e, "cannot raise the limit of open files"))
        .ok();
    let mut transport = Transport::default();
    if let Some(max) = config.max_in_flight {
        transport.max_in_flight = max;
    }
    if let Some(max) = config.max_connections {
        transport.max_connections = max;
    }
    if let Some(timeout) = config.handshake_timeout {
        transport.handshake_timeout = timeout;
    }
    if let Some(tls) = &tls {
        tls.watch(config.tls_reload_interval.unwrap_or(TLS_RELOAD_INTERVAL));
    }
    let incoming = transport.incoming(listener, tls.clone());
    let connections = incoming.connections();
    let task = tokio::spawn(serve(state.clone(), transport, incoming, async {
        let _ = rx.await;
    }));
    tracing::info!(
        %addr,
        tls = tls.is_some(),
        mutual_tls = config.tls_client_ca.is_some(),
        max_connections = connections.max(),
        open_files,
        database = %continuum_storage::redact(&config.database_url),
        plugins = state.plugins().plugins().len(),
        tokens = %config.keys.describe(),
        "serving"
    );
    Ok(RunningServer {
        addr,
        state,
        tls,
        connections,
        shutdown: Some(tx),
        task,
    })
}

/// Serve the v1 services, health and reflection on the `incoming` connections (see
/// [`Transport::incoming`]) until `shutdown` completes.
pub async fn serve(
    state: AppState,
    transport: Transport,
    incoming: Incoming,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), tonic::transport::Error> {
    let (health, health_service) = tonic_health::server::health_reporter();
    health
        .set_serving::<pb::referral_service_server::ReferralServiceServer<ReferralApi>>()
        .await;
    health
        .set_serving::<pb::case_service_server::CaseServiceServer<CaseApi>>()
        .await;
    health
        .set_serving::<pb::meeting_service_server::MeetingServiceServer<MeetingApi>>()
        .await;
    health
        .set_serving::<pb::authority_service_server::AuthorityServiceServer<AuthorityApi>>()
        .await;
    health
        .set_serving::<pb::panel_service_server::PanelServiceServer<PanelApi>>()
        .await;
    health
        .set_serving::<pb::event_service_server::EventServiceServer<EventApi>>()
        .await;
    health
        .set_serving::<pb::export_service_server::ExportServiceServer<ExportApi>>()
        .await;
    health
        .set_serving::<pb::audit_service_server::AuditServiceServer<AuditApi>>()
        .await;
    // Server reflection in both protocols: v1, and v1alpha, which grpcurl 1.8 and many GUI
    // clients still speak.
    let reflection = || {
        tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(pb::FILE_DESCRIPTOR_SET)
            .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
    };
    let reflection_v1 = reflection().build_v1();
    let reflection_v1alpha = reflection().build_v1alpha();
    let mut router = transport
        .builder()
        .add_service(health_service)
        .add_service(pb::referral_service_server::ReferralServiceServer::new(
            ReferralApi(state.clone()),
        ))
        .add_service(pb::case_service_server::CaseServiceServer::new(CaseApi(
            state.clone(),
        )))
        .add_service(pb::meeting_service_server::MeetingServiceServer::new(
            MeetingApi(state.clone()),
        ))
        .add_service(pb::panel_service_server::PanelServiceServer::new(PanelApi(
            state.clone(),
        )))
        .add_service(pb::event_service_server::EventServiceServer::new(EventApi(
            state.clone(),
        )))
        .add_service(pb::export_service_server::ExportServiceServer::new(
            ExportApi(state.clone()),
        ))
        .add_service(pb::audit_service_server::AuditServiceServer::new(AuditApi(
            state.clone(),
        )))
        .add_service(pb::authority_service_server::AuthorityServiceServer::new(
            AuthorityApi(state),
        ));
    match (reflection_v1, reflection_v1alpha) {
        (Ok(v1), Ok(v1alpha)) => router = router.add_service(v1).add_service(v1alpha),
        (Err(e), _) | (_, Err(e)) => tracing::warn!(error = %e, "server reflection disabled"),
    }
    // On shutdown, health answers NOT_SERVING first (so balancers stop sending), then the server
    // stops accepting and finishes the requests in flight.
    let shutdown = async move {
        shutdown.await;
        health
            .set_service_status("", tonic_health::ServingStatus::NotServing)
            .await;
        for service in SERVICES {
            health
                .set_service_status(service, tonic_health::ServingStatus::NotServing)
                .await;
        }
    };
    router
        .serve_with_incoming_shutdown(incoming, shutdown)
        .await
}

/// The API's services, by their full names (for health).
const SERVICES: [&str; 8] = [
    "continuum.v1.ReferralService",
    "continuum.v1.CaseService",
    "continuum.v1.MeetingService",
    "continuum.v1.PanelService",
    "continuum.v1.EventService",
    "continuum.v1.ExportService",
    "continuum.v1.AuditService",
    "continuum.v1.AuthorityService",
];
