//! The transport every gRPC server in this package uses — the service and the echo baseline
//! alike, so that a benchmark's share of echo compares like with like.
//!
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
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Sleep;
use tokio_stream::Stream;
use tonic::transport::Server;
use tonic::transport::server::{Connected, TcpConnectInfo};
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::load_shed::LoadShedLayer;
use tower_layer::{Identity, Stack};

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
            max_in_flight: 4096,
            max_streams_per_connection: 256,
            request_timeout: Duration::from_secs(30),
        }
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

    /// The connections accepted on `listener`, with `TCP_NODELAY` set and the idle timeout
    /// armed. Accept errors (a connection reset before it was accepted, no file descriptor
    /// left) are passed on; tonic logs them and keeps accepting.
    pub fn incoming(&self, listener: TcpListener) -> Incoming {
        Incoming {
            listener,
            idle_timeout: self.idle_timeout,
        }
    }
}

/// Accepted connections; see [`Transport::incoming`].
#[derive(Debug)]
pub struct Incoming {
    listener: TcpListener,
    idle_timeout: Duration,
}

impl Stream for Incoming {
    type Item = io::Result<Conn>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match self.listener.poll_accept(cx) {
            Poll::Ready(Ok((stream, _))) => {
                if let Err(e) = stream.set_nodelay(true) {
                    tracing::warn!(error = %e, "cannot set TCP_NODELAY on an accepted socket");
                }
                Poll::Ready(Some(Ok(Conn::new(stream, self.idle_timeout))))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Some(Err(e))),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// What a connection has in flight and when it last started or finished a request.
#[derive(Debug)]
pub struct Activity {
    epoch: Instant,
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

/// An accepted TCP connection that reads as closed once it has been idle too long.
#[derive(Debug)]
pub struct Conn {
    stream: TcpStream,
    activity: Arc<Activity>,
    idle_timeout: Duration,
    idle: Pin<Box<Sleep>>,
}

impl Conn {
    fn new(stream: TcpStream, idle_timeout: Duration) -> Conn {
        let now = Instant::now();
        Conn {
            stream,
            activity: Arc::new(Activity {
                epoch: now,
                in_flight: AtomicUsize::new(0),
                last_ms: AtomicU64::new(0),
            }),
            idle_timeout,
            idle: Box::pin(tokio::time::sleep_until((now + idle_timeout).into())),
        }
    }

    /// True once the connection has had no request in flight for the idle timeout; otherwise
    /// re-arms the timer for the earliest moment that could become true.
    fn poll_idle(&mut self, cx: &mut Context<'_>) -> bool {
        loop {
            if self.idle.as_mut().poll(cx).is_pending() {
                return false;
            }
            let deadline = match self.activity.idle_since() {
                Some(since) => since + self.idle_timeout,
                // Busy: look again after another full period.
                None => Instant::now() + self.idle_timeout,
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
            tracing::debug!("closing an idle connection");
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
    activity: Arc<Activity>,
}

impl Connected for Conn {
    type ConnectInfo = ConnInfo;

    fn connect_info(&self) -> ConnInfo {
        ConnInfo {
            tcp: self.stream.connect_info(),
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
