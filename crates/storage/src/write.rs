//! The one way records are written: a [`Changes`] set, applied atomically by [`Store::write`].
//!
//! A change set is everything one request changes: records inserted, records updated at the
//! version they were read at, history events, and the request's idempotency key. It is applied
//! in one transaction, or not at all; a record whose version moved on, or a `request_id` that
//! another request recorded first, is a [`Conflict`] and writes nothing.
//!
//! On SQLite one writer task owns the only write connection (SQLite has one writer anyway).
//! Requests queue to it; it takes every change set that is waiting (up to [`MAX_BATCH`]),
//! applies each inside its own savepoint, so that one that fails rolls back alone, and commits
//! them together: one `COMMIT`, one fsync (`synchronous=FULL`) for the whole group. Only then is
//! each request answered, so an acknowledged write is durable and a crash loses only writes
//! that were never acknowledged. On PostgreSQL each change set is its own transaction on the
//! pool: the server commits concurrent transactions in parallel and groups their WAL flushes
//! itself.
//!
//! The functions that write rows take a [`WriteTxn`], which only this module can make: nothing
//! outside it can write a record except through a change set.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, TransactionTrait,
};
use tokio::sync::{mpsc, oneshot};

use crate::entities::{case, event, idempotency_key, meeting, referral};
use crate::{StorageError, Store};

/// The most change sets one group commit takes.
pub const MAX_BATCH: usize = 256;

/// How many change sets may wait for the SQLite writer before callers wait to queue.
pub(crate) const QUEUE: usize = 4 * MAX_BATCH;

/// One record's row, as it is inserted or replaces its previous version.
#[derive(Debug, Clone)]
pub enum Row {
    Referral(referral::Model),
    Case(case::Model),
    Meeting(meeting::Model),
}

impl Row {
    fn describe(&self) -> (&'static str, &str) {
        match self {
            Row::Referral(r) => ("referral", &r.id),
            Row::Case(r) => ("case", &r.id),
            Row::Meeting(r) => ("meeting", &r.id),
        }
    }
}

/// A history event to append.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub authority_code: String,
    pub referral_id: Option<String>,
    pub case_id: Option<String>,
    pub kind: String,
    pub occurred_at: DateTime<Utc>,
    pub body: Vec<u8>,
}

/// Everything one request writes, applied together or not at all.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    /// Records created, each at version 1.
    pub inserts: Vec<Row>,
    /// Records replaced: each row carries its new version, and is written only if the stored
    /// row is still at the version before it.
    pub updates: Vec<Row>,
    pub events: Vec<NewEvent>,
    /// The request's `request_id`, if it gave one: recorded with what it produced.
    pub idempotency_key: Option<idempotency_key::Model>,
}

/// Why a change set was not applied although the database is well.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Conflict {
    /// The record changed since it was read.
    #[error("the {kind} {id} changed since it was read")]
    Version { kind: &'static str, id: String },
    /// Another request recorded this `request_id` first.
    #[error("another request recorded this request_id first")]
    RequestId,
}

/// Why [`Store::write`] wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(transparent)]
    Conflict(#[from] Conflict),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<DbErr> for WriteError {
    fn from(e: DbErr) -> Self {
        WriteError::Storage(StorageError::Db(e))
    }
}

/// A write transaction (or a savepoint inside one). Only this module makes them.
pub struct WriteTxn<'a>(&'a DatabaseTransaction);

impl Store {
    /// Apply a change set atomically; `Ok` once it is durable.
    pub async fn write(&self, changes: Changes) -> Result<(), WriteError> {
        match &self.writer {
            Some(queue) => {
                let (done, answer) = oneshot::channel();
                queue
                    .send(Job { changes, done })
                    .await
                    .map_err(|_| StorageError::WriterStopped)?;
                answer.await.map_err(|_| StorageError::WriterStopped)?
            }
            None => {
                let txn = self.db.begin().await?;
                apply(&WriteTxn(&txn), &changes).await?;
                txn.commit().await?;
                Ok(())
            }
        }
    }
}

/// A change set waiting for the SQLite writer, and where to send its outcome.
pub(crate) struct Job {
    changes: Changes,
    done: oneshot::Sender<Result<(), WriteError>>,
}

/// The SQLite writer: group commit over the one write connection, until every sender is gone.
pub(crate) async fn run_writer(db: DatabaseConnection, mut queue: mpsc::Receiver<Job>) {
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut jobs, MAX_BATCH).await > 0 {
        let outcomes = commit_group(&db, &jobs).await;
        for (job, outcome) in jobs.drain(..).zip(outcomes) {
            // A caller that gave up waiting no longer needs its answer.
            let _ = job.done.send(outcome);
        }
    }
}

/// Apply `jobs` in one transaction, each in a savepoint; commit once. One outcome per job.
async fn commit_group(db: &DatabaseConnection, jobs: &[Job]) -> Vec<Result<(), WriteError>> {
    let failed_all = |e: &StorageError| {
        jobs.iter()
            .map(|_| Err(WriteError::Storage(StorageError::Group(e.to_string()))))
            .collect()
    };
    let txn = match db.begin().await {
        Ok(txn) => txn,
        Err(e) => return failed_all(&e.into()),
    };
    let mut outcomes = Vec::with_capacity(jobs.len());
    for job in jobs {
        let outcome = if jobs.len() == 1 {
            // Alone in the group: the transaction itself is its savepoint.
            apply(&WriteTxn(&txn), &job.changes).await
        } else {
            match in_savepoint(&txn, &job.changes).await {
                Ok(outcome) => outcome,
                // The savepoint itself failed: the transaction cannot be trusted.
                Err(e) => {
                    let _ = txn.rollback().await;
                    return failed_all(&e.into());
                }
            }
        };
        outcomes.push(outcome);
    }
    if outcomes.iter().all(Result::is_err) {
        let _ = txn.rollback().await;
        return outcomes;
    }
    match txn.commit().await {
        Ok(()) => outcomes,
        Err(e) => failed_all(&e.into()),
    }
}

/// Apply one change set inside a savepoint of `txn`: released if it applied, rolled back if not.
/// The outer error is a failure of the savepoint itself.
async fn in_savepoint(
    txn: &DatabaseTransaction,
    changes: &Changes,
) -> Result<Result<(), WriteError>, DbErr> {
    let savepoint = txn.begin().await?;
    let outcome = apply(&WriteTxn(&savepoint), changes).await;
    match outcome {
        Ok(()) => savepoint.commit().await?,
        Err(_) => savepoint.rollback().await?,
    }
    Ok(outcome)
}

/// Write a change set in `txn`. The statements that can conflict run first.
async fn apply(txn: &WriteTxn<'_>, changes: &Changes) -> Result<(), WriteError> {
    if let Some(key) = &changes.idempotency_key {
        insert_idempotency_key(txn, key).await?;
    }
    for row in &changes.updates {
        if !update(txn, row).await? {
            let (kind, id) = row.describe();
            return Err(Conflict::Version {
                kind,
                id: id.to_owned(),
            }
            .into());
        }
    }
    for row in &changes.inserts {
        insert(txn, row).await?;
    }
    if !changes.events.is_empty() {
        append_events(txn, &changes.events).await?;
    }
    Ok(())
}

async fn insert(txn: &WriteTxn<'_>, row: &Row) -> Result<(), DbErr> {
    let c = txn.0;
    match row.clone() {
        Row::Referral(r) => {
            referral::Entity::insert(r.into_active_model())
                .exec_without_returning(c)
                .await?
        }
        Row::Case(r) => {
            case::Entity::insert(r.into_active_model())
                .exec_without_returning(c)
                .await?
        }
        Row::Meeting(r) => {
            meeting::Entity::insert(r.into_active_model())
                .exec_without_returning(c)
                .await?
        }
    };
    Ok(())
}

/// Replace a row if the stored one is at the version before the new row's; `false` if not.
async fn update(txn: &WriteTxn<'_>, row: &Row) -> Result<bool, DbErr> {
    let c = txn.0;
    let result = match row {
        Row::Referral(r) => {
            referral::Entity::update_many()
                .col_expr(referral::Column::Status, Expr::value(r.status.clone()))
                .col_expr(referral::Column::Body, Expr::value(r.body.clone()))
                .col_expr(referral::Column::Version, Expr::value(r.version))
                .col_expr(referral::Column::UpdatedAt, Expr::value(r.updated_at))
                .filter(referral::Column::Id.eq(r.id.as_str()))
                .filter(referral::Column::AuthorityCode.eq(r.authority_code.as_str()))
                .filter(referral::Column::Version.eq(r.version - 1))
                .exec(c)
                .await?
        }
        Row::Case(r) => {
            case::Entity::update_many()
                .col_expr(case::Column::Status, Expr::value(r.status.clone()))
                .col_expr(case::Column::Level, Expr::value(r.level.clone()))
                .col_expr(
                    case::Column::AllocatedWorker,
                    Expr::value(r.allocated_worker.clone()),
                )
                .col_expr(case::Column::Body, Expr::value(r.body.clone()))
                .col_expr(case::Column::Version, Expr::value(r.version))
                .col_expr(case::Column::UpdatedAt, Expr::value(r.updated_at))
                .filter(case::Column::Id.eq(r.id.as_str()))
                .filter(case::Column::AuthorityCode.eq(r.authority_code.as_str()))
                .filter(case::Column::Version.eq(r.version - 1))
                .exec(c)
                .await?
        }
        Row::Meeting(r) => {
            meeting::Entity::update_many()
                .col_expr(meeting::Column::Body, Expr::value(r.body.clone()))
                .col_expr(meeting::Column::Version, Expr::value(r.version))
                .filter(meeting::Column::Id.eq(r.id.as_str()))
                .filter(meeting::Column::AuthorityCode.eq(r.authority_code.as_str()))
                .filter(meeting::Column::Version.eq(r.version - 1))
                .exec(c)
                .await?
        }
    };
    Ok(result.rows_affected == 1)
}

async fn append_events(txn: &WriteTxn<'_>, events: &[NewEvent]) -> Result<(), DbErr> {
    use sea_orm::ActiveValue::{NotSet, Set};
    let rows = events.iter().cloned().map(|e| event::ActiveModel {
        seq: NotSet,
        authority_code: Set(e.authority_code),
        referral_id: Set(e.referral_id),
        case_id: Set(e.case_id),
        kind: Set(e.kind),
        occurred_at: Set(e.occurred_at),
        body: Set(e.body),
    });
    event::Entity::insert_many(rows)
        .exec_without_returning(txn.0)
        .await?;
    Ok(())
}

/// Record a served `request_id`; a [`Conflict::RequestId`] if another request recorded it.
async fn insert_idempotency_key(
    txn: &WriteTxn<'_>,
    key: &idempotency_key::Model,
) -> Result<(), WriteError> {
    // ON CONFLICT DO NOTHING rather than catching the error: a failed statement would abort a
    // PostgreSQL transaction.
    let inserted = idempotency_key::Entity::insert(key.clone().into_active_model())
        .on_conflict(
            OnConflict::columns([
                idempotency_key::Column::AuthorityCode,
                idempotency_key::Column::RequestId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(txn.0)
        .await?;
    if inserted == 1 {
        Ok(())
    } else {
        Err(Conflict::RequestId.into())
    }
}
