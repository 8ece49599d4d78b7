//! EventService: an authority's committed changes, in commit order, from a cursor (the outbox
//! the unit of work writes in each change's own transaction).

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::Arc;

use continuum_domain::Violations;
use continuum_storage::{self as storage, Store};
use futures_util::Stream;
use prost::Message;
use tokio::sync::Notify;

use super::common::{event_after as after, event_cursor as cursor, parent_authority};
use crate::AppState;
use crate::error::ApiError;
use crate::pb;
use crate::state::{Ctx, EventHub};

/// Events read from the database at a time.
const BATCH: u64 = 256;
/// ListEvents' default and largest page.
const DEFAULT_PAGE: i32 = 100;
const MAX_PAGE: i32 = 1_000;

/// The stream WatchEvents answers with.
pub type EventStream = Pin<Box<dyn Stream<Item = Result<pb::Event, tonic::Status>> + Send>>;

/// Read the events after `after` (up to `limit`), decoded, with their cursors. OUT_OF_RANGE when
/// `after` is older than the history kept.
async fn read(
    store: &Store,
    authority: &str,
    after: i64,
    limit: u64,
) -> Result<Vec<pb::Event>, ApiError> {
    let rows = storage::list_outbox(store, authority, after, limit).await?;
    if let Some(first) = rows.first()
        && first.seq != after + 1
    {
        return Err(ApiError::OutOfRange(format!(
            "the cursor is older than the history kept: the oldest event available is number {} \
             (resume with the cursor {:?})",
            first.seq,
            cursor(authority, first.seq - 1)
        )));
    }
    rows.into_iter()
        .map(|row| {
            let mut e = pb::Event::decode(row.body.as_slice())
                .map_err(|e| ApiError::Internal(format!("a stored event does not decode: {e}")))?;
            e.sequence = row.seq;
            e.cursor = cursor(authority, row.seq);
            Ok(e)
        })
        .collect()
}

pub async fn list(
    state: &AppState,
    ctx: Ctx,
    r: pb::ListEventsRequest,
) -> Result<pb::ListEventsResponse, ApiError> {
    let authority = parent_authority(&ctx.caller, "parent", &r.parent)?;
    let mut v = Violations::new();
    let from = after(&authority, "after", &r.after).unwrap_or_else(|e| {
        v.0.extend(e.0);
        0
    });
    let size = match r.page_size {
        0 => DEFAULT_PAGE,
        n => n,
    };
    v.check(
        (1..=MAX_PAGE).contains(&size),
        "page_size",
        format!("must be between 1 and {MAX_PAGE}"),
    );
    v.into_result()?;
    let events = read(state.store(), &authority, from, size as u64).await?;
    let next_cursor = cursor(&authority, events.last().map_or(from, |e| e.sequence));
    Ok(pb::ListEventsResponse {
        events,
        next_cursor,
    })
}

/// Where a watch is: what it has read but not yet sent, and what it waits on.
struct Watch {
    store: Store,
    authority: String,
    after: i64,
    ready: VecDeque<pb::Event>,
    waker: Arc<Notify>,
    done: bool,
}

pub async fn watch(
    state: &AppState,
    ctx: Ctx,
    r: pb::WatchEventsRequest,
) -> Result<EventStream, ApiError> {
    let authority = parent_authority(&ctx.caller, "parent", &r.parent)?;
    let from = after(&authority, "after", &r.after)?;
    // Refuse a cursor older than the history kept now, rather than as the stream's first item.
    let ready: VecDeque<pb::Event> = read(state.store(), &authority, from, BATCH).await?.into();
    let watch = Watch {
        store: state.store().clone(),
        authority,
        after: ready.back().map_or(from, |e| e.sequence),
        ready,
        waker: state.events().waker(),
        done: false,
    };
    Ok(Box::pin(futures_util::stream::unfold(watch, next)))
}

/// The next event of a watch: from what was read, else read more, else wait for a commit here
/// (or look again after [`EventHub::POLL`], for commits by other replicas).
async fn next(mut w: Watch) -> Option<(Result<pb::Event, tonic::Status>, Watch)> {
    if w.done {
        return None;
    }
    loop {
        if let Some(e) = w.ready.pop_front() {
            return Some((Ok(e), w));
        }
        // Registered before reading, so a commit between the read and the wait still wakes it.
        let waker = w.waker.clone();
        let committed = waker.notified();
        match read(&w.store, &w.authority, w.after, BATCH).await {
            Ok(events) if !events.is_empty() => {
                w.after = events.last().map_or(w.after, |e| e.sequence);
                w.ready.extend(events);
            }
            Ok(_) => {
                let _ = tokio::time::timeout(EventHub::POLL, committed).await;
            }
            Err(e) => {
                w.done = true;
                return Some((Err(e.into()), w));
            }
        }
    }
}
