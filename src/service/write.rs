//! The unit of work: the one way a write RPC changes records.
//!
//! Every write RPC is a [`Change`] run by [`write`], which takes the same steps for each:
//!
//! 1. **replay**: a `request_id` already served answers what the first call produced (the same
//!    request) or INVALID_ARGUMENT (a different request under the same id);
//! 2. **read** what the change changes, once;
//! 3. **etag**: the caller's etag must name the version read (required where the RPC says so);
//! 4. **apply** the change, which says what to write: records with their new versions, history
//!    events;
//! 5. **save** all of it, with the idempotency key, as one change set: one transaction, durable
//!    when this returns ([`Store::write`], group commit on SQLite).
//!
//! A record that changed between read and save writes nothing: with an etag that is ABORTED
//! (the caller read a stale version); without one the steps run again on what is there now.
//! A `request_id` raced by two calls makes one record: the loser replays the winner's answer.
//!
//! [`Store::write`]: continuum_storage::Store::write

use std::future::Future;

use continuum_storage::{Changes, Conflict, NewEvent, OutboxEntry, WriteError, idempotency_key};
use prost::Message;
use sha2::{Digest, Sha256};

use super::common::etag;
use super::records::{Loaded, Record};
use super::tracking::WorkingDays;
use crate::AppState;
use crate::error::ApiError;
use crate::pb;
use crate::state::Ctx;

/// The longest `request_id` accepted.
pub(crate) const MAX_REQUEST_ID: usize = 128;

/// How many times a change without an etag is tried against records that keep changing.
const ATTEMPTS: usize = 8;

/// One write RPC, for [`write`].
pub(crate) trait Change: Send + Sync {
    /// What the change reads (each attempt reads afresh).
    type Read: Send;
    /// What the RPC answers.
    type Output: Send;
    /// The RPC, as recorded with its idempotency key.
    fn method(&self) -> &'static str;

    /// Read what the change needs; NOT_FOUND names what is missing.
    fn read(
        &self,
        state: &AppState,
        ctx: &Ctx,
    ) -> impl Future<Output = Result<Self::Read, ApiError>> + Send;

    /// The version the caller's etag must name, if the change is to an existing record.
    fn version(read: &Self::Read) -> Option<i64>;

    /// Make the change: say what to write in `w`, and what to answer.
    fn apply(&self, ctx: &Ctx, read: Self::Read, w: &mut Writes) -> Result<Self::Output, ApiError>;

    /// The resource the answer is about, kept with the idempotency key.
    fn resource(output: &Self::Output) -> &str;

    /// Whether a retry must be looked for before reading: true unless nothing a first call
    /// wrote can make this one fail or differ before its save (a pure create), in which case
    /// the unique idempotency key finds a retry at save time and saves a read per call.
    fn replay_first(&self) -> bool {
        true
    }

    /// The answer to a retry of a request that produced `resource`.
    fn replay(
        &self,
        state: &AppState,
        ctx: &Ctx,
        resource: &str,
    ) -> impl Future<Output = Result<Self::Output, ApiError>> + Send;
}

/// A request's idempotency: its `request_id` and a fingerprint of the rest of it.
#[derive(Debug, Clone, Default)]
pub(crate) struct RequestId {
    id: String,
    hash: String,
}

impl RequestId {
    /// Take the `request_id` out of a request and fingerprint what is left.
    pub fn take<M: Message>(request: &mut M, field: impl FnOnce(&mut M) -> &mut String) -> Self {
        let id = std::mem::take(field(request));
        if id.is_empty() {
            return RequestId::default();
        }
        let digest = Sha256::digest(request.encode_to_vec());
        RequestId {
            id,
            hash: digest.iter().map(|b| format!("{b:02x}")).collect(),
        }
    }
}

/// The etag a change was sent with.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Etag<'a> {
    given: &'a str,
    required: bool,
}

impl<'a> Etag<'a> {
    /// An etag the caller may send.
    pub fn optional(given: &'a str) -> Self {
        Etag {
            given,
            required: false,
        }
    }

    /// An etag the caller must send.
    pub fn required(given: &'a str) -> Self {
        Etag {
            given,
            required: true,
        }
    }

    /// No etag: a create, or a change that is not to a versioned record.
    pub fn none() -> Self {
        Etag::optional("")
    }

    fn check(self, version: i64) -> Result<(), ApiError> {
        if self.given.is_empty() {
            return if self.required {
                Err(ApiError::invalid(
                    "etag",
                    "is required: send the etag you read",
                ))
            } else {
                Ok(())
            };
        }
        if self.given == etag(version) {
            Ok(())
        } else {
            Err(stale(self.given, Some(version)))
        }
    }
}

fn stale(given: &str, now: Option<i64>) -> ApiError {
    let now = now
        .map(|v| format!(" (now {:?})", etag(v)))
        .unwrap_or_default();
    ApiError::Aborted(format!(
        "etag {given:?} is stale: the record changed since it was read{now}; read it again and retry"
    ))
}

/// What a change writes, collected by [`Change::apply`].
#[derive(Debug)]
pub(crate) struct Writes<'a> {
    changes: Changes,
    /// The event-stream entries of the change, finished (with its history's kinds) at save.
    stream: Vec<pb::Event>,
    ctx: &'a Ctx,
    /// The caller's authority's working days, for the index rows of deadlines.
    days: Option<WorkingDays<'a>>,
}

impl Writes<'_> {
    /// Create `record` (version 1); its etag is set.
    pub fn insert<R: Record>(&mut self, record: &mut R) -> Result<(), ApiError> {
        let row = self.row(record, 1)?;
        self.changes.inserts.push(row);
        self.stream(record, "created");
        self.index_rows(None, record)
    }

    /// Replace the record `loaded` was read as with `record` (the next version); its etag is
    /// set. Saved only if the stored record is still the version read.
    pub fn update<R: Record>(
        &mut self,
        loaded: &Loaded<R>,
        record: &mut R,
    ) -> Result<(), ApiError> {
        let row = self.row(record, loaded.version() + 1)?;
        self.changes.updates.push(row);
        self.stream(record, "updated");
        self.index_rows(Some(&loaded.record), record)
    }

    /// The event-stream entry for `record` as written (with its new etag).
    fn stream<R: Record>(&mut self, record: &R, what: &str) {
        self.stream.push(pb::Event {
            kind: format!("{}.{what}", R::KIND),
            resource: record.resource_name().to_owned(),
            commit_time: Some(crate::convert::timestamp(self.ctx.now)),
            payload: Some(record.clone().into_payload()),
            ..Default::default()
        });
    }

    fn index_rows<R: Record>(&mut self, before: Option<&R>, record: &R) -> Result<(), ApiError> {
        for (row, new) in record.index_rows(before, self.days.as_ref())? {
            if new {
                self.changes.inserts.push(row);
            } else {
                self.changes.updates.push(row);
            }
        }
        Ok(())
    }

    fn row<R: Record>(
        &self,
        record: &mut R,
        version: i64,
    ) -> Result<continuum_storage::Row, ApiError> {
        record.set_etag(String::new());
        let row = record.to_row(record.encode_to_vec(), version, self.ctx.now)?;
        record.set_etag(etag(version));
        Ok(row)
    }

    /// Append a history event about a referral and/or a case.
    pub fn event(
        &mut self,
        referral_id: Option<&str>,
        case_id: Option<&str>,
        event: pb::CaseEvent,
    ) {
        self.changes.events.push(NewEvent {
            authority_code: self.ctx.caller.authority.clone(),
            referral_id: referral_id.map(str::to_owned),
            case_id: case_id.map(str::to_owned),
            kind: event.kind.clone(),
            occurred_at: crate::convert::instant(event.occur_time.as_ref()).unwrap_or(self.ctx.now),
            body: event.encode_to_vec(),
        });
    }
}

/// Run a write RPC: replay, read, etag, apply, save with versions, history, idempotency key,
/// commit. See the module documentation.
pub(crate) async fn write<C: Change>(
    state: &AppState,
    ctx: &Ctx,
    request_id: RequestId,
    etag: Etag<'_>,
    change: &C,
) -> Result<C::Output, ApiError> {
    ctx.caller.require_write()?;
    // Handlers report a bad request_id with their other fields; this is the backstop.
    let mut v = continuum_domain::Violations::new();
    super::validate::request_id(&request_id.id, &mut v);
    v.into_result()?;
    for attempt in 0..ATTEMPTS {
        if (attempt > 0 || change.replay_first())
            && let Some(resource) = replayed(state, ctx, &request_id, change.method()).await?
        {
            return change.replay(state, ctx, &resource).await;
        }
        let read = change.read(state, ctx).await?;
        if let Some(version) = C::version(&read) {
            etag.check(version)?;
        }
        let mut w = Writes {
            changes: Changes::default(),
            stream: Vec::new(),
            ctx,
            days: state.working_days(&ctx.caller.authority),
        };
        let output = change.apply(ctx, read, &mut w)?;
        let causes: Vec<String> = w.changes.events.iter().map(|e| e.kind.clone()).collect();
        let mut written: Vec<String> = Vec::new();
        for mut e in std::mem::take(&mut w.stream) {
            if !written.contains(&e.resource) {
                written.push(e.resource.clone());
            }
            e.causes.clone_from(&causes);
            w.changes.outbox.push(OutboxEntry {
                authority_code: ctx.caller.authority.clone(),
                body: e.encode_to_vec(),
            });
        }
        // The access, recorded with the change: who wrote which records.
        if let Some(audit) = &ctx.audit {
            w.changes
                .audit
                .push(audit.entry(ctx, tonic::Code::Ok, written));
        }
        if !request_id.id.is_empty() {
            w.changes.idempotency_key = Some(idempotency_key::Model {
                authority_code: ctx.caller.authority.clone(),
                request_id: request_id.id.clone(),
                method: change.method().to_owned(),
                request_hash: request_id.hash.clone(),
                resource_name: C::resource(&output).to_owned(),
                created_at: ctx.now,
            });
        }
        match state.store().write(w.changes).await {
            Ok(()) => {
                if let Some(audit) = &ctx.audit {
                    audit.written();
                }
                state.events().committed();
                return Ok(output);
            }
            // The other request's answer is this one's: replay it.
            Err(WriteError::Conflict(Conflict::RequestId)) => continue,
            Err(WriteError::Conflict(Conflict::Version { .. })) if !etag.given.is_empty() => {
                return Err(stale(etag.given, None));
            }
            // No etag: the caller wants the change made to the record as it is now.
            Err(WriteError::Conflict(Conflict::Version { .. })) => continue,
            Err(WriteError::Storage(e)) => return Err(e.into()),
        }
    }
    Err(ApiError::Aborted(
        "the record kept changing while this change was being made; retry".into(),
    ))
}

/// If this `request_id` was served before: the resource it produced (the same request) or
/// INVALID_ARGUMENT (a different request under the same id).
async fn replayed(
    state: &AppState,
    ctx: &Ctx,
    request_id: &RequestId,
    method: &str,
) -> Result<Option<String>, ApiError> {
    if request_id.id.is_empty() {
        return Ok(None);
    }
    let key = continuum_storage::find_idempotency_key(
        state.store(),
        &ctx.caller.authority,
        &request_id.id,
    )
    .await?;
    match key {
        None => Ok(None),
        Some(key) if key.method == method && key.request_hash == request_id.hash => {
            Ok(Some(key.resource_name))
        }
        Some(_) => Err(ApiError::invalid(
            "request_id",
            "was already used for a different request: use a new request_id for a new request",
        )),
    }
}
