//! What every request handler can reach, and the per-request envelope: authentication, the
//! clock read once, the audit row, one log line, the error mapping.

use std::fmt::Debug;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use chrono::{DateTime, Utc};
use continuum_domain::calendar::Calendar;
use continuum_plugin_host::{DynamicPlugin, PluginSet};
use continuum_storage::{AuditEntry, Store};
use tonic::{Request, Response, Status};

use crate::auth::{Caller, Role, Verifier};
use crate::error::ApiError;
use crate::service::audit::{self, AuditReturned, AuditTarget};
use crate::service::tracking::{Timescales, WorkingDays, division};

/// The longest resource name a log line or an audit row keeps of what a request named (names
/// the service issues are far shorter; a longer one is refused by the handler).
const MAX_LOGGED_NAME: usize = 300;

/// The metadata key a request id travels in, both ways.
const REQUEST_ID: &str = "x-request-id";

/// Where the service's time comes from. Read once per request: every time a request records
/// (`create_time`, deadlines' starts, history) is that one reading.
pub trait Clock: Send + Sync + Debug {
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// One authenticated request: who is calling, and the time it is being served.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub caller: Caller,
    pub now: DateTime<Utc>,
    /// The request's audit row, when the request is about a child's record: the unit of work
    /// writes it with a change (and marks it written); otherwise [`AppState::handle`] does.
    pub audit: Option<Arc<Audit>>,
}

/// What a request's audit row records beyond its outcome, and whether it is written yet.
#[derive(Debug)]
pub struct Audit {
    pub method: &'static str,
    pub request_id: String,
    pub resource: String,
    written: AtomicBool,
}

impl Audit {
    /// The audit row of an authenticated request, answered `outcome` with `returned` records.
    pub fn entry(&self, ctx: &Ctx, outcome: tonic::Code, returned: Vec<String>) -> AuditEntry {
        AuditEntry {
            authority_code: ctx.caller.authority.clone(),
            recorded_at: ctx.now,
            request_id: self.request_id.clone(),
            subject: ctx.caller.subject.clone(),
            role: ctx.caller.role.as_str().to_owned(),
            method: self.method.to_owned(),
            resource: self.resource.clone(),
            returned,
            outcome: audit::code_name(outcome).to_owned(),
        }
    }

    /// The unit of work wrote the row with its change.
    pub fn written(&self) {
        self.written.store(true, Ordering::Release);
    }
}

/// What every request handler can reach.
#[derive(Debug, Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    store: Store,
    plugins: PluginSet,
    verifier: Verifier,
    clock: Arc<dyn Clock>,
    calendar: Calendar,
    events: EventHub,
}

/// Wakes the event streams this process serves when a change commits here (streams also look
/// for changes other replicas committed, every [`EventHub::POLL`]).
#[derive(Debug, Clone, Default)]
pub struct EventHub(Arc<tokio::sync::Notify>);

impl EventHub {
    /// How often a waiting stream looks for changes committed elsewhere.
    pub const POLL: std::time::Duration = std::time::Duration::from_millis(50);

    /// A change committed: wake every waiting stream.
    pub fn committed(&self) {
        self.0.notify_waiters();
    }

    /// What a stream waits on.
    pub fn waker(&self) -> Arc<tokio::sync::Notify> {
        self.0.clone()
    }
}

impl AppState {
    pub fn new(
        store: Store,
        plugins: PluginSet,
        verifier: Verifier,
        clock: Arc<dyn Clock>,
        calendar: Calendar,
    ) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                store,
                plugins,
                verifier,
                clock,
                calendar,
                events: EventHub::default(),
            }),
        }
    }

    /// What wakes the event streams.
    pub fn events(&self) -> &EventHub {
        &self.inner.events
    }

    /// The UK bank-holiday calendar, with the operator's changes.
    pub fn calendar(&self) -> &Calendar {
        &self.inner.calendar
    }

    /// The working days of an authority's division (`None` for an authority with no plugin).
    pub(crate) fn working_days(&self, authority: &str) -> Option<WorkingDays<'_>> {
        let plugin = self.inner.plugins.get(authority)?;
        Some(self.working_days_of(plugin))
    }

    /// The working days of a plugin's authority.
    pub(crate) fn working_days_of(&self, plugin: &DynamicPlugin) -> WorkingDays<'_> {
        WorkingDays {
            calendar: &self.inner.calendar,
            division: division(plugin.description().nation),
        }
    }

    /// A plugin's timescales, in its authority's working days.
    pub(crate) fn timescales<'a>(&'a self, plugin: &'a DynamicPlugin) -> Timescales<'a> {
        Timescales {
            plugin,
            days: self.working_days_of(plugin),
        }
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn plugins(&self) -> &PluginSet {
        &self.inner.plugins
    }

    /// The plugin of an authority, or NOT_FOUND for `authorities/{code}`.
    pub fn authority(&self, code: &str) -> Result<&Arc<DynamicPlugin>, ApiError> {
        self.inner
            .plugins
            .get(code)
            .ok_or_else(|| ApiError::NotFound(continuum_domain::names::authority(code)))
    }

    /// Record an authenticated request's access in the audit log, unless it is not about a
    /// child's record or the unit of work recorded it with its change. The answer waits until
    /// the row is durable; if it cannot be written, the caller gets UNAVAILABLE, not the answer.
    async fn audit<Resp: AuditReturned>(
        &self,
        ctx: &Ctx,
        result: Result<Resp, ApiError>,
    ) -> Result<Resp, ApiError> {
        let Some(audit) = &ctx.audit else {
            return result;
        };
        if audit.written.load(Ordering::Acquire) {
            return result;
        }
        let (code, returned) = match &result {
            Ok(answer) => (tonic::Code::Ok, answer.audit_returned()),
            // The database is out of reach: nothing was read or written, and nothing can be
            // recorded there either; the request log has the refusal.
            Err(e) if e.code() == tonic::Code::Unavailable => return result,
            Err(e) => (e.code(), Vec::new()),
        };
        match self
            .inner
            .store
            .audit(audit.entry(ctx, code, returned))
            .await
        {
            Ok(()) => result,
            Err(e) => {
                tracing::error!(error = %e, "an access could not be recorded in the audit log");
                Err(ApiError::Unavailable(
                    "the access could not be recorded in the audit log, so nothing is returned; \
                     retry"
                        .into(),
                ))
            }
        }
    }

    /// Authenticate, read the clock, run the handler, record the access, log one line, map the
    /// error.
    pub(crate) async fn handle<Req, Resp, Fut>(
        &self,
        method: &'static str,
        request: Request<Req>,
        handler: impl FnOnce(Ctx, Req) -> Fut,
    ) -> Result<Response<Resp>, Status>
    where
        Req: AuditTarget,
        Resp: AuditReturned,
        Fut: Future<Output = Result<Resp, ApiError>>,
    {
        let start = Instant::now();
        // The caller's request id, or one of ours: logged, and returned, so a call can be found.
        let request_id = request
            .metadata()
            .get(REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_graphic()))
            .map_or_else(|| uuid::Uuid::now_v7().to_string(), str::to_owned);
        let mut who = None;
        let mut resource = String::new();
        let result = match self.inner.verifier.caller(request.metadata()) {
            Ok(caller) => {
                who = Some((
                    caller.subject.clone(),
                    caller.authority.clone(),
                    caller.role,
                ));
                let request = request.into_inner();
                let audit = request.audit_target().map(|target| {
                    resource = target.chars().take(MAX_LOGGED_NAME).collect();
                    Arc::new(Audit {
                        method,
                        request_id: request_id.clone(),
                        resource: resource.clone(),
                        written: AtomicBool::new(false),
                    })
                });
                let ctx = Ctx {
                    caller,
                    now: self.inner.clock.now(),
                    audit,
                };
                // An auditor reads the audit log and nothing else.
                let result =
                    if ctx.caller.role == Role::Auditor && !method.starts_with("AuditService/") {
                        Err(ApiError::PermissionDenied(
                            "the auditor role may read only the audit log".into(),
                        ))
                    } else {
                        handler(ctx.clone(), request).await
                    };
                self.audit(&ctx, result).await
            }
            Err(e) => Err(e),
        };
        let code = match &result {
            Ok(_) => tonic::Code::Ok,
            Err(e) => e.code(),
        };
        let latency_us = start.elapsed().as_micros() as u64;
        // Who and what, never whom: no child's details reach the log.
        let (subject, authority, role) = who.as_ref().map_or(("", "", ""), |(s, a, r)| {
            (s.as_str(), a.as_str(), r.as_str())
        });
        match &result {
            Err(e) if matches!(code, tonic::Code::Internal | tonic::Code::Unavailable) => {
                tracing::error!(
                    method, status = ?code, latency_us, request_id, subject, authority, role,
                    resource, error = %e, "request"
                )
            }
            _ => tracing::info!(
                method, status = ?code, latency_us, request_id, subject, authority, role,
                resource, "request"
            ),
        }
        let mut answer = result.map(Response::new).map_err(Status::from);
        if let Ok(value) = request_id.parse() {
            match &mut answer {
                Ok(response) => {
                    response.metadata_mut().insert(REQUEST_ID, value);
                }
                Err(status) => {
                    status.metadata_mut().insert(REQUEST_ID, value);
                }
            }
        }
        answer
    }
}
