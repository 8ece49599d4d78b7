//! The transport every gRPC server in this package uses — the service and the echo baseline
//! alike, so that a benchmark's share of echo compares like with like.
//!
//! - The accept loop is this module's own ([`Transport::incoming`]), a task that hands tonic
//!   finished connections. With [`Tls`] it runs each TLS handshake (rustls, ALPN `h2`) in a
//!   task of its own, so a slow or silent client never holds up the next accept, and the
//!   certificate can be swapped while serving.
//! - At most [`Transport::max_connections`] connections are open at once, handshakes
//!   included. At the limit the loop stops accepting until one closes: new connections wait
//!   in the kernel's listen backlog (1,024), and past it their SYNs go unanswered and clients
//!   retry. None is accepted only to be dropped.
//! - An accept error from exhaustion (no file descriptor, no memory: EMFILE, ENFILE, ENOMEM,
//!   ENOBUFS) pauses the loop, 10 ms doubling to 1 s, instead of spinning on a core; other
//!   errors (a connection reset before it was accepted) are skipped at once.
//! - [`Transport::handshake_timeout`]: a connection must complete its TLS handshake, and start
//!   its first request, within this time of being accepted, or it is closed; so sockets
//!   opened and left silent (no token, no request) are reclaimed.
//! - `TCP_NODELAY` on every accepted socket. tonic applies its builder's `tcp_nodelay` only to
//!   sockets it accepts itself, not to an incoming stream it is handed, and without it a small
//!   answer waits for the peer's delayed ACK (~40 ms on Linux).
//! - HTTP/2 keepalive pings find peers that went away without closing.
//! - An idle timeout closes a connection that has had no request in flight for
//!   [`Transport::idle_timeout`] (gRPC's `MAX_CONNECTION_IDLE`): keepalive answers do not count
//!   as activity, requests do. [`ActivityLayer`] counts requests; [`Conn`] closes the socket.
//! - Load shedding: at most [`Transport::max_in_flight`] requests are served at once across all
//!   connections; one more is answered RESOURCE_EXHAUSTED at once instead of queueing (tower's
//!   load-shed over a global concurrency limit), so a saturated server stays fast for what it
//!   takes and clients back off. Each connection carries at most
//!   [`Transport::max_streams_per_connection`] streams.
//! - Request deadlines: a call's `grpc-timeout` is honoured, and none runs longer than
//!   [`Transport::request_timeout`] (streams' bodies excepted).

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Sleep;
use tokio_stream::Stream;
use tonic::transport::Server;
use tonic::transport::server::{Connected, TcpConnectInfo};
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::load_shed::LoadShedLayer;
use tower_layer::{Identity, Stack};

use crate::tls::Tls;

/// The layers every server of this package applies, outermost first: activity counting, load
/// shedding, the global concurrency limit.
pub type Layers =
    Stack<GlobalConcurrencyLimitLayer, Stack<LoadShedLayer, Stack<ActivityLayer, Identity>>>;

/// Connection settings shared by every server of this package.
#[derive(Debug, Clone, Copy)]
pub struct Transport {
    /// How often an HTTP/2 PING is sent on a connection.
    pub keepalive_interval: Duration,
    /// How long a PING may go unanswered before the connection is closed.
    pub keepalive_timeout: Duration,
    /// How long a connection may have no request in flight before it is closed.
    pub idle_timeout: Duration,
    /// How long a new connection has, from being accepted, to complete its TLS handshake (if
    /// any) and start its first request before it is closed.
    pub handshake_timeout: Duration,
    /// The most connections open at once, handshakes included; at the limit, accepting pauses
    /// until one closes. Default: [`default_max_connections`].
    pub max_connections: usize,
    /// The most requests served at once, across every connection.
    pub max_in_flight: usize,
    /// The most concurrent streams one HTTP/2 connection may open.
    pub max_streams_per_connection: u32,
    /// The longest a request may take to answer.
    pub request_timeout: Duration,
}

impl Default for Transport {
    fn default() -> Self {
        Transport {
            keepalive_interval: Duration::from_secs(60),
            keepalive_timeout: Duration::from_secs(20),
            idle_timeout: Duration::from_secs(300),
            handshake_timeout: Duration::from_secs(10),
            max_connections: default_max_connections(),
            max_in_flight: 4096,
            max_streams_per_connection: 256,
            request_timeout: Duration::from_secs(30),
        }
    }
}

/// File descriptors kept back from connections, for the database, plugins, logs and files.
const RESERVED_FILES: u64 = 256;
/// The default connection limit never exceeds this, however high the limit of open files.
const MAX_CONNECTIONS_CAP: u64 = 100_000;

/// The default connection limit: the process's soft limit of open files (`RLIMIT_NOFILE`,
/// raised first by [`raise_open_files_limit`] at start-up) less 256 kept for everything else,
/// at least half the limit, at most 100,000.
pub fn default_max_connections() -> usize {
    let files = open_files_limit().unwrap_or(1024);
    let connections = files
        .saturating_sub(RESERVED_FILES)
        .max(files / 2)
        .clamp(1, MAX_CONNECTIONS_CAP);
    usize::try_from(connections).unwrap_or(1024)
}

/// The process's soft limit of open files, where there is one.
pub fn open_files_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        rlimit::Resource::NOFILE.get().ok().map(|(soft, _)| soft)
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Raise the process's soft limit of open files to its hard limit (every connection is a
/// file); the soft limit now in force.
pub fn raise_open_files_limit() -> io::Result<u64> {
    #[cfg(unix)]
    {
        rlimit::increase_nofile_limit(u64::MAX)
    }
    #[cfg(not(unix))]
    {
        Ok(u64::MAX)
    }
}

impl Transport {
    /// A tonic server builder with these settings; add services to it, then serve it
    /// [`incoming`](Transport::incoming) connections.
    pub fn builder(&self) -> Server<Layers> {
        Server::builder()
            .tcp_nodelay(true)
            .http2_keepalive_interval(Some(self.keepalive_interval))
            .http2_keepalive_timeout(Some(self.keepalive_timeout))
            .max_concurrent_streams(Some(self.max_streams_per_connection))
            .timeout(self.request_timeout)
            .layer(ActivityLayer)
            .layer(LoadShedLayer::new())
            .layer(GlobalConcurrencyLimitLayer::new(self.max_in_flight.max(1)))
    }

    /// Accept connections on `listener` in a background task (so: call it within a tokio
    /// runtime), over TLS when `tls` is given, under the connection limit, with `TCP_NODELAY`
    /// set and the handshake and idle timeouts armed. Dropping the stream stops the task and
    /// closes the listener.
    pub fn incoming(&self, listener: TcpListener, tls: Option<Tls>) -> Incoming {
        let max = self.max_connections.clamp(1, Semaphore::MAX_PERMITS);
        let permits = Arc::new(Semaphore::new(max));
        let (tx, rx) = mpsc::channel(64);
        let accepted = Arc::new(AtomicU64::new(0));
        let open = Arc::new(AtomicUsize::new(0));
        let accept = Accept {
            listener,
            tls,
            accepted: accepted.clone(),
            open: open.clone(),
            permits,
            max_connections: max,
            handshake_timeout: self.handshake_timeout,
            idle_timeout: self.idle_timeout,
        };
        Incoming {
            connections: Connections {
                open,
                max,
                accepted,
            },
            accepted: rx,
            task: tokio::spawn(accept.run(tx)),
        }
    }
}

/// Accepted connections, ready for HTTP/2; see [`Transport::incoming`].
#[derive(Debug)]
pub struct Incoming {
    accepted: mpsc::Receiver<Conn>,
    task: JoinHandle<()>,
    connections: Connections,
}

impl Incoming {
    /// A handle that counts this stream's open connections.
    pub fn connections(&self) -> Connections {
        self.connections.clone()
    }
}

impl Drop for Incoming {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Stream for Incoming {
    type Item = io::Result<Conn>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.accepted.poll_recv(cx).map(|conn| conn.map(Ok))
    }
}

/// How many connections are open (accepted and not yet closed, handshakes included).
#[derive(Debug, Clone)]
pub struct Connections {
    open: Arc<AtomicUsize>,
    max: usize,
    accepted: Arc<AtomicU64>,
}

impl Connections {
    /// Connections open now.
    pub fn open(&self) -> usize {
        self.open.load(Ordering::Relaxed)
    }

    /// The most that may be open at once.
    pub fn max(&self) -> usize {
        self.max
    }

    /// Connections accepted since the server started.
    pub fn accepted(&self) -> u64 {
        self.accepted.load(Ordering::Relaxed)
    }
}

/// The accept loop's state.
struct Accept {
    listener: TcpListener,
    tls: Option<Tls>,
    /// Connections accepted so far.
    accepted: Arc<AtomicU64>,
    /// Connections open now.
    open: Arc<AtomicUsize>,
    /// One permit per connection that may still be opened; a [`Conn`] holds one in its
    /// [`Slot`].
    permits: Arc<Semaphore>,
    max_connections: usize,
    handshake_timeout: Duration,
    idle_timeout: Duration,
}

impl Accept {
    /// Accept until `tx`'s receiver is dropped (the server stopped accepting).
    async fn run(self, tx: mpsc::Sender<Conn>) {
        let mut handshakes = JoinSet::new();
        let mut backoff = Backoff::default();
        let mut at_limit = false;
        loop {
            while handshakes.try_join_next().is_some() {}
            if self.permits.available_permits() == 0 && !at_limit {
                tracing::warn!(
                    max_connections = self.max_connections,
                    "at the connection limit: accepting pauses until a connection closes"
                );
            }
            at_limit = self.permits.available_permits() == 0;
            let permit = tokio::select! {
                permit = self.permits.clone().acquire_owned() => permit,
                () = tx.closed() => return,
            };
            // The semaphore is never closed.
            let Ok(permit) = permit else { return };
            let accepted = tokio::select! {
                accepted = self.listener.accept() => accepted,
                () = tx.closed() => return,
            };
            let (stream, peer) = match accepted {
                Ok(accepted) => {
                    backoff.reset();
                    accepted
                }
                Err(e) => {
                    drop(permit);
                    match backoff.after(&e) {
                        Some(pause) => {
                            tracing::warn!(error = %e, pause_ms = pause.as_millis() as u64, "cannot accept: pausing");
                            tokio::select! {
                                () = tokio::time::sleep(pause) => {}
                                () = tx.closed() => return,
                            }
                        }
                        None => tracing::debug!(error = %e, "accept failed"),
                    }
                    continue;
                }
            };
            let accepted_at = Instant::now();
            self.accepted.fetch_add(1, Ordering::Relaxed);
            let slot = Slot::new(permit, self.open.clone());
            if let Err(e) = stream.set_nodelay(true) {
                tracing::warn!(error = %e, "cannot set TCP_NODELAY on an accepted socket");
            }
            let timeouts = Timeouts {
                accepted_at,
                first_request: self.handshake_timeout,
                idle: self.idle_timeout,
            };
            let Some(tls) = &self.tls else {
                let conn = Conn::new(Socket::Plain(stream), timeouts, slot);
                if tx.send(conn).await.is_err() {
                    return;
                }
                continue;
            };
            let acceptor = tokio_rustls::TlsAcceptor::from(tls.current());
            let tx = tx.clone();
            let deadline = accepted_at + self.handshake_timeout;
            handshakes.spawn(async move {
                match tokio::time::timeout_at(deadline.into(), acceptor.accept(stream)).await {
                    Ok(Ok(stream)) => {
                        let conn = Conn::new(Socket::Tls(Box::new(stream)), timeouts, slot);
                        let _ = tx.send(conn).await;
                    }
                    Ok(Err(e)) => tracing::debug!(%peer, error = %e, "TLS handshake failed"),
                    Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
                }
            });
        }
    }
}

/// The pause after an accept error. Exhaustion (no file descriptor or memory left) waits
/// 10 ms, doubling to 1 s while it lasts, so that the loop does not spin on a core while
/// nothing can be accepted; any other error (a connection reset before it was accepted) does
/// not wait.
#[derive(Debug)]
struct Backoff {
    next: Duration,
}

impl Backoff {
    const FIRST: Duration = Duration::from_millis(10);
    const MAX: Duration = Duration::from_secs(1);

    fn after(&mut self, error: &io::Error) -> Option<Duration> {
        if !is_exhaustion(error) {
            return None;
        }
        let pause = self.next;
        self.next = (self.next * 2).min(Self::MAX);
        Some(pause)
    }

    fn reset(&mut self) {
        self.next = Self::FIRST;
    }
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff { next: Self::FIRST }
    }
}

/// An accept error that will recur until something is freed.
fn is_exhaustion(error: &io::Error) -> bool {
    #[cfg(unix)]
    {
        matches!(
            error.raw_os_error(),
            Some(libc::EMFILE | libc::ENFILE | libc::ENOMEM | libc::ENOBUFS)
        )
    }
    #[cfg(not(unix))]
    {
        error.kind() == io::ErrorKind::OutOfMemory
    }
}

/// A connection's place under the limit, from its accept until it closes (or its handshake
/// fails).
#[derive(Debug)]
struct Slot {
    _permit: OwnedSemaphorePermit,
    open: Arc<AtomicUsize>,
}

impl Slot {
    fn new(permit: OwnedSemaphorePermit, open: Arc<AtomicUsize>) -> Slot {
        open.fetch_add(1, Ordering::Relaxed);
        Slot {
            _permit: permit,
            open,
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.open.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A connection's timeouts, from the moment it was accepted.
#[derive(Debug, Clone, Copy)]
struct Timeouts {
    accepted_at: Instant,
    first_request: Duration,
    idle: Duration,
}

/// An accepted socket, plain or TLS.
#[derive(Debug)]
enum Socket {
    Plain(TcpStream),
    Tls(Box<tokio_rustls::server::TlsStream<TcpStream>>),
}

impl Socket {
    fn tcp(&self) -> &TcpStream {
        match self {
            Socket::Plain(stream) => stream,
            Socket::Tls(stream) => stream.get_ref().0,
        }
    }
}

impl AsyncRead for Socket {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Socket::Plain(stream) => Pin::new(stream).poll_read(cx, buf),
            Socket::Tls(stream) => Pin::new(stream).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Socket {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Socket::Plain(stream) => Pin::new(stream).poll_write(cx, buf),
            Socket::Tls(stream) => Pin::new(stream).poll_write(cx, buf),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Socket::Plain(stream) => Pin::new(stream).poll_write_vectored(cx, bufs),
            Socket::Tls(stream) => Pin::new(stream).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            Socket::Plain(stream) => stream.is_write_vectored(),
            Socket::Tls(stream) => stream.is_write_vectored(),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Socket::Plain(stream) => Pin::new(stream).poll_flush(cx),
            Socket::Tls(stream) => Pin::new(stream).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Socket::Plain(stream) => Pin::new(stream).poll_shutdown(cx),
            Socket::Tls(stream) => Pin::new(stream).poll_shutdown(cx),
        }
    }
}
/// What a connection has in flight and when it last started or finished a request.
#[derive(Debug)]
pub struct Activity {
    epoch: Instant,
    /// Whether any request has started on the connection.
    started: AtomicBool,
    in_flight: AtomicUsize,
    /// Milliseconds since `epoch` of the last request start or end.
    last_ms: AtomicU64,
}

impl Activity {
    fn touch(&self) {
        let ms = self.epoch.elapsed().as_millis() as u64;
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    fn idle_since(&self) -> Option<Instant> {
        if self.in_flight.load(Ordering::Acquire) > 0 {
            return None;
        }
        Some(self.epoch + Duration::from_millis(self.last_ms.load(Ordering::Relaxed)))
    }
}

/// An accepted connection (plain TCP or TLS) that reads as closed once it has gone too long
/// without a first request, or idle too long after. It holds its place under the connection
/// limit until dropped.
#[derive(Debug)]
pub struct Conn {
    stream: Socket,
    tcp: TcpConnectInfo,
    activity: Arc<Activity>,
    timeouts: Timeouts,
    idle: Pin<Box<Sleep>>,
    _slot: Slot,
}

impl Conn {
    fn new(stream: Socket, timeouts: Timeouts, slot: Slot) -> Conn {
        let first_deadline = timeouts.accepted_at + timeouts.first_request.min(timeouts.idle);
        Conn {
            tcp: stream.tcp().connect_info(),
            stream,
            activity: Arc::new(Activity {
                epoch: timeouts.accepted_at,
                started: AtomicBool::new(false),
                in_flight: AtomicUsize::new(0),
                last_ms: AtomicU64::new(0),
            }),
            timeouts,
            idle: Box::pin(tokio::time::sleep_until(first_deadline.into())),
            _slot: slot,
        }
    }

    /// True once the connection has gone without a first request for the handshake timeout,
    /// or after one has had no request in flight for the idle timeout; otherwise re-arms the
    /// timer for the earliest moment that could become true.
    fn poll_idle(&mut self, cx: &mut Context<'_>) -> bool {
        loop {
            if self.idle.as_mut().poll(cx).is_pending() {
                return false;
            }
            let Timeouts {
                accepted_at,
                first_request,
                idle,
            } = self.timeouts;
            let deadline = if !self.activity.started.load(Ordering::Acquire) {
                accepted_at + first_request.min(idle)
            } else {
                match self.activity.idle_since() {
                    Some(since) => since + idle,
                    // Busy: look again after another full period.
                    None => Instant::now() + idle,
                }
            };
            if deadline <= Instant::now() {
                return true;
            }
            self.idle.as_mut().reset(deadline.into());
        }
    }
}

impl AsyncRead for Conn {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.poll_idle(cx) {
            // End of stream: hyper closes the connection.
            tracing::debug!(peer = ?self.tcp.remote_addr(), "closing an idle connection");
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// What a request can learn about its connection (a request extension).
#[derive(Debug, Clone)]
pub struct ConnInfo {
    pub tcp: TcpConnectInfo,
    /// Whether the connection is TLS (its client certificate, when mutual TLS is configured,
    /// was verified in the handshake).
    pub tls: bool,
    activity: Arc<Activity>,
}

impl ConnInfo {
    /// The peer's address.
    pub fn remote_addr(&self) -> Option<SocketAddr> {
        self.tcp.remote_addr()
    }
}

impl Connected for Conn {
    type ConnectInfo = ConnInfo;

    fn connect_info(&self) -> ConnInfo {
        ConnInfo {
            tcp: self.tcp.clone(),
            tls: matches!(self.stream, Socket::Tls(_)),
            activity: self.activity.clone(),
        }
    }
}

/// Counts each request in flight on its connection, for the idle timeout.
#[derive(Debug, Clone, Copy, Default)]
pub struct ActivityLayer;

impl<S> tower_layer::Layer<S> for ActivityLayer {
    type Service = ActivityService<S>;

    fn layer(&self, inner: S) -> ActivityService<S> {
        ActivityService { inner }
    }
}

/// See [`ActivityLayer`].
#[derive(Debug, Clone)]
pub struct ActivityService<S> {
    inner: S,
}

/// Marks a request finished when dropped (answered, failed or cancelled).
struct InFlight(Arc<Activity>);

impl InFlight {
    fn start(activity: Arc<Activity>) -> InFlight {
        activity.in_flight.fetch_add(1, Ordering::AcqRel);
        activity.started.store(true, Ordering::Release);
        activity.touch();
        InFlight(activity)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.touch();
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

impl<S, B> tower_service::Service<http::Request<B>> for ActivityService<S>
where
    S: tower_service::Service<http::Request<B>>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let guard = request
            .extensions()
            .get::<ConnInfo>()
            .map(|info| InFlight::start(info.activity.clone()));
        let future = self.inner.call(request);
        Box::pin(async move {
            let answer = future.await;
            drop(guard);
            answer
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn exhaustion_backs_off_doubling_to_a_second_and_other_errors_do_not_wait() {
        let mut backoff = Backoff::default();
        let emfile = io::Error::from_raw_os_error(libc::EMFILE);
        let pauses: Vec<u64> = (0..9)
            .map(|_| backoff.after(&emfile).unwrap().as_millis() as u64)
            .collect();
        assert_eq!(pauses, [10, 20, 40, 80, 160, 320, 640, 1000, 1000]);
        let aborted = io::Error::from(io::ErrorKind::ConnectionAborted);
        assert_eq!(backoff.after(&aborted), None);
        backoff.reset();
        let enfile = io::Error::from_raw_os_error(libc::ENFILE);
        assert_eq!(backoff.after(&enfile), Some(Duration::from_millis(10)));
    }

    #[test]
    fn the_default_connection_limit_leaves_files_for_everything_else() {
        let max = default_max_connections();
        assert!(max >= 1);
        if let Some(files) = open_files_limit() {
            assert!(max as u64 <= files.max(1));
        }
    }
}
