//! SQLite, driven directly: the connections of the writer thread and of the reader threads,
//! how sea-query's bound values are given to SQLite, and how rows come back.
//!
//! Statements are built by sea-orm / sea-query, the same builders the PostgreSQL path uses;
//! only their execution is here. Each connection runs on a thread of its own, never on the
//! async runtime's threads, and keeps its prepared statements cached.
//!
//! Why not through sqlx's SQLite driver: it runs each connection on a worker thread too, but
//! hands every row (and every statement) across a channel to the async side one at a time,
//! copying each value; a page of twenty cases costs twenty thread wake-ups. Here a read is one
//! job to a reader thread and one answer back, whatever it returns.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::types::Value as Sql;
use sea_orm::sea_query::Value;
use tokio::sync::oneshot;

use crate::StorageError;
use crate::entities::{audit_event, idempotency_key};
use crate::queries::{
    ComplianceCounts, LateCount, Stored, StoredDeadline, StoredEvent, StoredOutbox,
};

/// How long a connection waits for a lock another process holds.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How often the checkpointer copies committed WAL frames into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);

/// WAL frames (pages) beyond which the checkpointer makes the WAL start afresh: 16 MiB.
const RESTART_FRAMES: i64 = 4096;

/// Open a connection to the database file (which exists: the sqlx pool created it). No
/// connection checkpoints on commit (`wal_autocheckpoint = 0`): the [`checkpointer`] does, off
/// the writer's path, so a commit never waits for pages to be copied and the file synced.
pub(crate) fn open(path: &Path, query_only: bool) -> Result<rusqlite::Connection, rusqlite::Error> {
    let conn = rusqlite::Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;
         PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 67108864;",
    )?;
    if query_only {
        conn.execute_batch("PRAGMA query_only = ON;")?;
    }
    conn.set_prepared_statement_cache_capacity(256);
    Ok(conn)
}

/// A bound value as SQLite stores it, exactly as sqlx binds it: timestamps as RFC 3339 text
/// (so that the rows each driver writes compare alike in queries), integers, text and blobs as
/// they are.
pub(crate) fn value(value: &Value) -> Result<Sql, StorageError> {
    Ok(match value {
        Value::BigInt(v) => v.map_or(Sql::Null, Sql::Integer),
        Value::Int(v) => v.map_or(Sql::Null, |v| Sql::Integer(v.into())),
        Value::BigUnsigned(v) => match v {
            None => Sql::Null,
            Some(v) => Sql::Integer(i64::try_from(*v).map_err(|_| {
                StorageError::Sqlite(rusqlite::Error::IntegralValueOutOfRange(0, i64::MAX))
            })?),
        },
        Value::String(v) => v.as_ref().map_or(Sql::Null, |v| Sql::Text(v.to_string())),
        Value::Bytes(v) => v.as_ref().map_or(Sql::Null, |v| Sql::Blob(v.to_vec())),
        Value::ChronoDateTimeUtc(v) => v.as_ref().map_or(Sql::Null, |v| {
            Sql::Text(v.to_rfc3339_opts(SecondsFormat::AutoSi, false))
        }),
        other => {
            return Err(StorageError::Internal(format!(
                "a value of an unexpected type was bound: {other:?}"
            )));
        }
    })
}

/// Every bound value of a statement.
pub(crate) fn values(
    values: Option<&sea_orm::sea_query::Values>,
) -> Result<Vec<Sql>, StorageError> {
    values.map_or(Ok(Vec::new()), |v| v.iter().map(value).collect())
}

/// A row type the readers can return.
pub(crate) trait FromRow: Sized + Send + 'static {
    fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self>;
}

impl FromRow for Stored {
    fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(Stored {
            id: row.get("id")?,
            authority_code: row.get("authority_code")?,
            referral_id: row.get("referral_id")?,
            case_id: row.get("case_id")?,
            version: row.get("version")?,
            body: row.get("body")?,
        })
    }
}

impl FromRow for StoredDeadline {
    fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(StoredDeadline {
            id: row.get("id")?,
            due_at: row.get("due_at")?,
            body: row.get("body")?,
        })
    }
}

impl FromRow for ComplianceCounts {
    fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(ComplianceCounts {
            code: row.get("code")?,
            met_on_time: row.get("met_on_time")?,
            met_late: row.get("met_late")?,
            overdue: row.get("overdue")?,
            pending: row.get("pending")?,
            cancelled: row.get("cancelled")?,
        })
    }
}

impl FromRow for LateCount {
    fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(LateCount {
            code: row.get("code")?,
            days_late: row.get("days_late")?,
            n: row.get("n")?,
        })
    }
}

impl FromRow for StoredOutbox {
    fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(StoredOutbox {
            seq: row.get("seq")?,
            body: row.get("body")?,
        })
    }
}

impl FromRow for StoredEvent {
    fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(StoredEvent {
            seq: row.get("seq")?,
            body: row.get("body")?,
        })
    }
}

impl FromRow for audit_event::Model {
    fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        let recorded_at: String = row.get("recorded_at")?;
        Ok(audit_event::Model {
            authority_code: row.get("authority_code")?,
            seq: row.get("seq")?,
            recorded_at: instant(&recorded_at)?,
            request_id: row.get("request_id")?,
            subject: row.get("subject")?,
            role: row.get("role")?,
            method: row.get("method")?,
            resource: row.get("resource")?,
            returned: row.get("returned")?,
            outcome: row.get("outcome")?,
            hash: row.get("hash")?,
        })
    }
}

/// A stored RFC 3339 instant.
fn instant(text: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        })
}

impl FromRow for idempotency_key::Model {
    fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        let created_at: String = row.get("created_at")?;
        Ok(idempotency_key::Model {
            authority_code: row.get("authority_code")?,
            request_id: row.get("request_id")?,
            method: row.get("method")?,
            request_hash: row.get("request_hash")?,
            resource_name: row.get("resource_name")?,
            created_at: instant(&created_at)?,
        })
    }
}

/// Start the checkpointer thread: every [`CHECKPOINT_EVERY`] a PASSIVE checkpoint copies the
/// committed WAL frames into the database file (and syncs it) without blocking the writer or
/// any reader. It stops when `stop`'s sender (held by every clone of the store) is gone.
///
/// A PASSIVE checkpoint cannot make the WAL start afresh: under steady reads and writes there
/// may never be a moment when no reader needs it, and the WAL would grow without bound (and
/// every read slow down with it). So once the WAL holds more than [`RESTART_FRAMES`] and all of
/// them are copied, the checkpointer raises `restart`, and the writer, between two groups,
/// restarts the WAL ([`restart_wal`]): nothing is left to copy, so that only waits for the
/// readers of the moment to finish.
pub(crate) fn checkpointer(
    path: &Path,
    stop: crossbeam_channel::Receiver<()>,
    restart: Arc<AtomicBool>,
) -> Result<(), StorageError> {
    let conn = open(path, false)?;
    std::thread::Builder::new()
        .name("continuum-sqlite-checkpoint".into())
        .spawn(move || {
            while let Err(crossbeam_channel::RecvTimeoutError::Timeout) =
                stop.recv_timeout(CHECKPOINT_EVERY)
            {
                match conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                    Ok((r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
                }) {
                    Ok((log, copied)) if log > RESTART_FRAMES && copied == log => {
                        restart.store(true, Ordering::Release);
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "WAL checkpoint failed; retrying"),
                }
            }
            // A last one, so a clean shutdown leaves a small WAL behind.
            let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        })
        .map_err(|e| StorageError::Internal(format!("cannot start the checkpointer: {e}")))?;
    Ok(())
}

/// Make the next write transaction start the WAL from its beginning (on the writer's
/// connection, between groups, when the checkpointer asks).
pub(crate) fn restart_wal(conn: &rusqlite::Connection) {
    let started = std::time::Instant::now();
    match conn.query_row("PRAGMA wal_checkpoint(RESTART)", [], |r| r.get::<_, i64>(0)) {
        Ok(busy) => tracing::debug!(
            busy,
            us = started.elapsed().as_micros() as u64,
            "WAL restarted"
        ),
        Err(e) => tracing::warn!(error = %e, "WAL restart failed"),
    }
}

type ReadJob = Box<dyn FnOnce(&rusqlite::Connection) + Send>;

/// Reader threads, each with its own connection, taking read jobs from one queue.
#[derive(Debug, Clone)]
pub(crate) struct Readers {
    jobs: crossbeam_channel::Sender<ReadJob>,
}

impl Readers {
    /// Open `count` connections and start a thread for each.
    pub fn start(path: &Path, count: usize) -> Result<Readers, StorageError> {
        let (jobs, queue) = crossbeam_channel::unbounded::<ReadJob>();
        for i in 0..count {
            let conn = open(path, true)?;
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("continuum-sqlite-reader-{i}"))
                .spawn(move || {
                    // Ends when every sender (every clone of the store) is gone.
                    for job in queue {
                        job(&conn);
                    }
                })
                .map_err(|e| StorageError::Internal(format!("cannot start a reader: {e}")))?;
        }
        Ok(Readers { jobs })
    }

    /// Run one query on a reader thread; every row it returns.
    pub async fn all<T: FromRow>(
        &self,
        statement: sea_orm::Statement,
    ) -> Result<Vec<T>, StorageError> {
        let params = values(statement.values.as_ref())?;
        let (done, answer) = oneshot::channel();
        let job: ReadJob = Box::new(move |conn| {
            let rows = (|| {
                let mut prepared = conn.prepare_cached(&statement.sql)?;
                let rows = prepared.query_map(rusqlite::params_from_iter(params), T::from_row)?;
                rows.collect::<Result<Vec<T>, _>>()
            })();
            let _ = done.send(rows);
        });
        self.jobs
            .send(job)
            .map_err(|_| StorageError::Internal("the database readers have stopped".into()))?;
        answer
            .await
            .map_err(|_| StorageError::Internal("a database reader stopped".into()))?
            .map_err(StorageError::from)
    }
}
