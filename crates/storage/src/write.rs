//! The one way records are written: a [`Changes`] set, applied atomically by [`Store::write`].
//!
//! A change set is everything one request changes: records inserted, records updated at the
//! version they were read at, history events, and the request's idempotency key. It is applied
//! in one transaction, or not at all; a record whose version moved on, or a `request_id` that
//! another request recorded first, is a [`Conflict`] and writes nothing.
//!
//! A change set becomes a [`Plan`]: its SQL statements, built once with sea-query (the same
//! builders for both databases), the ones that can conflict first. Then:
//!
//! - **SQLite: group commit.** One writer thread owns the only write connection (SQLite has one
//!   writer anyway). Plans queue to it; it takes every plan that is waiting (up to
//!   [`MAX_BATCH`]), runs each inside its own savepoint, so that one that fails rolls back
//!   alone, and commits them together: one `COMMIT`, one fsync (`synchronous=FULL`) for the
//!   whole group. Only then is each request answered, so an acknowledged write is durable and a
//!   crash loses only writes that were never acknowledged. The thread drives SQLite through
//!   rusqlite, synchronously, with cached prepared statements: a statement costs microseconds
//!   there, against tens of microseconds for a round trip to an async driver's worker thread,
//!   and the writer's time per statement is what bounds the write rate.
//! - **PostgreSQL**: each plan is its own transaction on the pool; the server commits
//!   concurrent transactions in parallel and groups their WAL flushes itself.
//!
//! The executors are private to this module: nothing outside it can write a record except
//! through a change set.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{
    Expr, InsertStatement, OnConflict, SqliteQueryBuilder, UpdateStatement, Values,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, IntoActiveModel, QueryFilter, QueryTrait,
    TransactionTrait,
};
use tokio::sync::{mpsc, oneshot};

use crate::chain::{Append, AuditEntry};
use crate::entities::{
    agenda_item, authority_sequence, case, deadline, idempotency_key, meeting, outbox_event,
    referral,
};
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
    /// A case's deadline. It carries no version of its own: it is written only in the change
    /// set that writes its case at the case's next version, which guards it.
    Deadline(deadline::Model),
    AgendaItem(agenda_item::Model),
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

/// An entry for an authority's event stream: numbered when it commits.
#[derive(Debug, Clone)]
pub struct OutboxEntry {
    pub authority_code: String,
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
    /// The event-stream entries of the change, in order.
    pub outbox: Vec<OutboxEntry>,
    /// The request's `request_id`, if it gave one: recorded with what it produced.
    pub idempotency_key: Option<idempotency_key::Model>,
    /// The audit rows of the request (who changed what), in their authorities' chains.
    pub audit: Vec<AuditEntry>,
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

impl From<sea_orm::DbErr> for WriteError {
    fn from(e: sea_orm::DbErr) -> Self {
        WriteError::Storage(e.into())
    }
}

impl From<rusqlite::Error> for WriteError {
    fn from(e: rusqlite::Error) -> Self {
        WriteError::Storage(e.into())
    }
}

/// One statement of a plan, and the conflict it means if it changes no row.
#[derive(Debug)]
struct Step {
    statement: Statement,
    if_no_row: Option<Conflict>,
}

#[derive(Debug)]
enum Statement {
    Insert(InsertStatement),
    Update(UpdateStatement),
    /// Rows appended to a hash chain: its statements are made once its head is read.
    Chain(Append),
}

/// The statements of one change set, in the order they run: those that can conflict first, so
/// a conflict is found before anything else is written.
#[derive(Debug)]
struct Plan(Vec<Step>);

impl Plan {
    fn of(changes: Changes) -> Plan {
        let mut steps = Vec::new();
        if let Some(key) = changes.idempotency_key {
            // ON CONFLICT DO NOTHING rather than a failed statement, which would abort a
            // PostgreSQL transaction: no row inserted means another request has the id.
            let insert = idempotency_key::Entity::insert(key.into_active_model()).on_conflict(
                OnConflict::columns([
                    idempotency_key::Column::AuthorityCode,
                    idempotency_key::Column::RequestId,
                ])
                .do_nothing()
                .to_owned(),
            );
            steps.push(Step {
                statement: Statement::Insert(insert.into_query()),
                if_no_row: Some(Conflict::RequestId),
            });
        }
        for row in changes.updates {
            let (kind, id) = match &row {
                Row::Referral(r) => ("referral", r.id.clone()),
                Row::Case(r) => ("case", r.id.clone()),
                Row::Meeting(r) => ("meeting", r.id.clone()),
                Row::Deadline(r) => ("deadline", r.id.clone()),
                Row::AgendaItem(r) => ("agenda item", r.id.clone()),
            };
            steps.push(Step {
                statement: Statement::Update(update(row)),
                if_no_row: Some(Conflict::Version { kind, id }),
            });
        }
        for row in changes.inserts {
            steps.push(Step {
                statement: Statement::Insert(insert(row)),
                if_no_row: None,
            });
        }
        let mut audit = Vec::new();
        for append in crate::chain::appends(changes.events, changes.audit) {
            // History before the event stream, the audit log after it: every transaction takes
            // the locks it needs in the same order.
            if append.is_audit() {
                audit.push(append);
            } else {
                steps.push(Step {
                    statement: Statement::Chain(append),
                    if_no_row: None,
                });
            }
        }
        for (reserve, append) in append_outbox(changes.outbox) {
            steps.push(Step {
                statement: Statement::Insert(reserve),
                if_no_row: None,
            });
            steps.push(Step {
                statement: Statement::Insert(append),
                if_no_row: None,
            });
        }
        for append in audit {
            steps.push(Step {
                statement: Statement::Chain(append),
                if_no_row: None,
            });
        }
        Plan(steps)
    }
}

fn insert(row: Row) -> InsertStatement {
    match row {
        Row::Referral(r) => referral::Entity::insert(r.into_active_model()).into_query(),
        Row::Case(r) => case::Entity::insert(r.into_active_model()).into_query(),
        Row::Meeting(r) => meeting::Entity::insert(r.into_active_model()).into_query(),
        Row::Deadline(r) => deadline::Entity::insert(r.into_active_model()).into_query(),
        Row::AgendaItem(r) => agenda_item::Entity::insert(r.into_active_model()).into_query(),
    }
}

/// Replace a row if the stored one is at the version before the new row's.
fn update(row: Row) -> UpdateStatement {
    match row {
        Row::Referral(r) => referral::Entity::update_many()
            .col_expr(referral::Column::Status, Expr::value(r.status))
            .col_expr(referral::Column::Body, Expr::value(r.body))
            .col_expr(referral::Column::Version, Expr::value(r.version))
            .col_expr(referral::Column::UpdatedAt, Expr::value(r.updated_at))
            .filter(referral::Column::Id.eq(r.id))
            .filter(referral::Column::AuthorityCode.eq(r.authority_code))
            .filter(referral::Column::Version.eq(r.version - 1))
            .into_query(),
        Row::Case(r) => case::Entity::update_many()
            .col_expr(case::Column::Status, Expr::value(r.status))
            .col_expr(case::Column::Level, Expr::value(r.level))
            .col_expr(
                case::Column::AllocatedWorker,
                Expr::value(r.allocated_worker),
            )
            .col_expr(case::Column::Body, Expr::value(r.body))
            .col_expr(case::Column::Version, Expr::value(r.version))
            .col_expr(case::Column::UpdatedAt, Expr::value(r.updated_at))
            .filter(case::Column::Id.eq(r.id))
            .filter(case::Column::AuthorityCode.eq(r.authority_code))
            .filter(case::Column::Version.eq(r.version - 1))
            .into_query(),
        Row::Meeting(r) => meeting::Entity::update_many()
            .col_expr(meeting::Column::Body, Expr::value(r.body))
            .col_expr(meeting::Column::Version, Expr::value(r.version))
            .filter(meeting::Column::Id.eq(r.id))
            .filter(meeting::Column::AuthorityCode.eq(r.authority_code))
            .filter(meeting::Column::Version.eq(r.version - 1))
            .into_query(),
        Row::Deadline(r) => {
            use deadline::Column as C;
            deadline::Entity::update_many()
                .col_expr(C::AllocatedWorker, Expr::value(r.allocated_worker))
                .col_expr(C::State, Expr::value(r.state))
                .col_expr(C::DueAt, Expr::value(r.due_at))
                .col_expr(C::LateAt, Expr::value(r.late_at))
                .col_expr(C::LateDay, Expr::value(r.late_day))
                .col_expr(C::MetAt, Expr::value(r.met_at))
                .col_expr(C::MetDay, Expr::value(r.met_day))
                .col_expr(C::Body, Expr::value(r.body))
                .filter(C::Id.eq(r.id))
                .filter(C::AuthorityCode.eq(r.authority_code))
                .filter(C::CaseId.eq(r.case_id))
                .into_query()
        }
        Row::AgendaItem(r) => {
            use agenda_item::Column as C;
            agenda_item::Entity::update_many()
                .col_expr(C::SittingDate, Expr::value(r.sitting_date))
                .col_expr(C::State, Expr::value(r.state))
                .col_expr(C::Body, Expr::value(r.body))
                .col_expr(C::Version, Expr::value(r.version))
                .filter(C::Id.eq(r.id))
                .filter(C::AuthorityCode.eq(r.authority_code))
                .filter(C::Version.eq(r.version - 1))
                .into_query()
        }
    }
}

/// For each authority in `entries`: the statement that takes its next numbers (adding their
/// count to its sequence, which holds the row until the transaction ends, so numbers are given
/// in commit order and a rolled-back change gives none), and the one that appends the entries
/// numbered from it.
fn append_outbox(entries: Vec<OutboxEntry>) -> Vec<(InsertStatement, InsertStatement)> {
    use sea_orm::sea_query::{Query, SubQueryStatement};
    let mut by_authority: Vec<(String, Vec<Vec<u8>>)> = Vec::new();
    for e in entries {
        match by_authority
            .iter_mut()
            .find(|(a, _)| *a == e.authority_code)
        {
            Some((_, bodies)) => bodies.push(e.body),
            None => by_authority.push((e.authority_code, vec![e.body])),
        }
    }
    by_authority
        .into_iter()
        .map(|(authority, bodies)| {
            use authority_sequence::Column as S;
            let n = bodies.len() as i64;
            let reserve = Query::insert()
                .into_table(authority_sequence::Entity)
                .columns([S::AuthorityCode, S::Seq])
                .values_panic([authority.clone().into(), n.into()])
                .on_conflict(
                    OnConflict::column(S::AuthorityCode)
                        .value(
                            S::Seq,
                            Expr::col((authority_sequence::Entity, S::Seq)).add(n),
                        )
                        .to_owned(),
                )
                .to_owned();
            let last = Query::select()
                .column(S::Seq)
                .from(authority_sequence::Entity)
                .and_where(S::AuthorityCode.into_expr().eq(authority.clone()))
                .to_owned();
            let mut append = Query::insert();
            append.into_table(outbox_event::Entity).columns([
                outbox_event::Column::AuthorityCode,
                outbox_event::Column::Seq,
                outbox_event::Column::Body,
            ]);
            for (i, body) in bodies.into_iter().enumerate() {
                let seq = sea_orm::sea_query::SimpleExpr::SubQuery(
                    None,
                    Box::new(SubQueryStatement::SelectStatement(last.clone())),
                )
                .sub(n - 1 - i as i64);
                append.values_panic([authority.clone().into(), seq, body.into()]);
            }
            (reserve, append)
        })
        .collect()
}

impl Store {
    /// Apply a change set atomically; `Ok` once it is durable.
    pub async fn write(&self, changes: Changes) -> Result<(), WriteError> {
        let plan = Plan::of(changes);
        match &self.writer {
            Some(queue) => {
                // Build the SQL here, on the caller's task, to keep the writer's time for SQLite.
                let statements = plan
                    .0
                    .into_iter()
                    .map(|step| match step.statement {
                        Statement::Insert(s) => {
                            let (sql, values) = s.build(SqliteQueryBuilder);
                            JobStep::Exec(sql, values, step.if_no_row)
                        }
                        Statement::Update(s) => {
                            let (sql, values) = s.build(SqliteQueryBuilder);
                            JobStep::Exec(sql, values, step.if_no_row)
                        }
                        Statement::Chain(append) => JobStep::Chain(append),
                    })
                    .collect();
                let (done, answer) = oneshot::channel();
                queue
                    .send(Job { statements, done })
                    .await
                    .map_err(|_| StorageError::WriterStopped)?;
                answer.await.map_err(|_| StorageError::WriterStopped)?
            }
            None => {
                let backend = self.db.get_database_backend();
                let txn = self.db.begin().await?;
                for step in plan.0 {
                    let statement = match step.statement {
                        Statement::Insert(s) => backend.build(&s),
                        Statement::Update(s) => backend.build(&s),
                        Statement::Chain(append) => {
                            append_to_chain(&txn, &append).await?;
                            continue;
                        }
                    };
                    let result = txn.execute(statement).await?;
                    if let Some(conflict) = step.if_no_row
                        && result.rows_affected() != 1
                    {
                        return Err(conflict.into());
                    }
                }
                txn.commit().await?;
                Ok(())
            }
        }
    }
}

/// Append to a hash chain inside a PostgreSQL transaction: take its head (locked until the
/// transaction ends), write the rows and move the head.
async fn append_to_chain(
    txn: &sea_orm::DatabaseTransaction,
    append: &Append,
) -> Result<(), WriteError> {
    let backend = txn.get_database_backend();
    let sql = |(sql, values): (String, Values)| {
        sea_orm::Statement::from_sql_and_values(backend, sql, values)
    };
    let head = txn
        .query_one(sql(append.take_head(backend)))
        .await?
        .ok_or_else(|| StorageError::Internal("taking a chain head answered no row".into()))?;
    let seq: i64 = head.try_get("", "seq")?;
    let hash: String = head.try_get("", "hash")?;
    for statement in append.statements(seq, hash, backend) {
        txn.execute(sql(statement)).await?;
    }
    Ok(())
}

/// One step of a change set for the SQLite writer: a statement, and the conflict it means if
/// it changes no row; or rows for a hash chain.
pub(crate) enum JobStep {
    Exec(String, Values, Option<Conflict>),
    Chain(Append),
}

impl Store {
    /// Record accesses that write nothing else (reads, refusals); `Ok` once durable. Entries
    /// that arrive together are written together: on SQLite by the writer's group commit, on
    /// PostgreSQL by one transaction per group ([`run_auditor`]).
    pub async fn audit(&self, entry: AuditEntry) -> Result<(), WriteError> {
        match &self.audit {
            Some(queue) => {
                let (done, answer) = oneshot::channel();
                queue
                    .send(AuditJob { entry, done })
                    .await
                    .map_err(|_| StorageError::WriterStopped)?;
                answer.await.map_err(|_| StorageError::WriterStopped)?
            }
            None => {
                self.write(Changes {
                    audit: vec![entry],
                    ..Changes::default()
                })
                .await
            }
        }
    }
}

/// An audit entry waiting for [`run_auditor`].
#[derive(Debug)]
pub(crate) struct AuditJob {
    entry: AuditEntry,
    done: oneshot::Sender<Result<(), WriteError>>,
}

/// On PostgreSQL: writes waiting audit entries, up to [`MAX_BATCH`] at a time, each group in
/// one transaction (one lock of each chain head, one commit), until every sender is gone.
pub(crate) async fn run_auditor(store: Store, mut queue: mpsc::Receiver<AuditJob>) {
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut jobs, MAX_BATCH).await > 0 {
        let changes = Changes {
            audit: jobs.iter().map(|j| j.entry.clone()).collect(),
            ..Changes::default()
        };
        let outcome = store.write(changes).await;
        for job in jobs.drain(..) {
            let answer = match &outcome {
                Ok(()) => Ok(()),
                Err(WriteError::Storage(e)) if e.is_unavailable() => Err(WriteError::Storage(
                    StorageError::Unavailable(e.to_string()),
                )),
                Err(e) => Err(WriteError::Storage(StorageError::Group(e.to_string()))),
            };
            let _ = job.done.send(answer);
        }
    }
}

/// A change set's statements waiting for the SQLite writer, and where to send its outcome.
pub(crate) struct Job {
    statements: Vec<JobStep>,
    done: oneshot::Sender<Result<(), WriteError>>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("statements", &self.statements.len())
            .finish()
    }
}

/// The SQLite writer thread: group commit over the one write connection, until every sender
/// is gone.
pub(crate) fn run_writer(
    mut conn: rusqlite::Connection,
    mut queue: mpsc::Receiver<Job>,
    restart_wal: Arc<AtomicBool>,
) {
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = queue.blocking_recv() {
        jobs.push(first);
        while jobs.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let started = Instant::now();
        let outcomes = commit_group(&mut conn, &jobs);
        tracing::trace!(
            jobs = jobs.len(),
            us = started.elapsed().as_micros() as u64,
            "group commit"
        );
        for (job, outcome) in jobs.drain(..).zip(outcomes) {
            // A caller that gave up waiting no longer needs its answer.
            let _ = job.done.send(outcome);
        }
        if restart_wal.swap(false, Ordering::AcqRel) {
            crate::sqlite::restart_wal(&conn);
        }
    }
}

/// Apply `jobs` in one transaction, each in a savepoint; commit once. One outcome per job.
fn commit_group(conn: &mut rusqlite::Connection, jobs: &[Job]) -> Vec<Result<(), WriteError>> {
    let failed_all = |e: &dyn std::fmt::Display| -> Vec<Result<(), WriteError>> {
        jobs.iter()
            .map(|_| Err(WriteError::Storage(StorageError::Group(e.to_string()))))
            .collect()
    };
    let txn = match conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate) {
        Ok(txn) => txn,
        Err(e) => return failed_all(&e),
    };
    let mut outcomes = Vec::with_capacity(jobs.len());
    for job in jobs {
        match in_savepoint(&txn, &job.statements) {
            Ok(outcome) => outcomes.push(outcome),
            // The savepoint itself failed: the transaction cannot be trusted (dropping it
            // rolls it back).
            Err(e) => return failed_all(&e),
        }
    }
    if outcomes.iter().all(Result::is_err) {
        return outcomes;
    }
    match txn.commit() {
        Ok(()) => outcomes,
        Err(e) => failed_all(&e),
    }
}

/// Run one job's statements inside a savepoint: released if they all applied, rolled back if
/// not. The outer error is a failure of the savepoint itself.
fn in_savepoint(
    txn: &rusqlite::Transaction<'_>,
    statements: &[JobStep],
) -> Result<Result<(), WriteError>, rusqlite::Error> {
    txn.prepare_cached("SAVEPOINT job")?.execute([])?;
    let outcome = run(txn, statements);
    if outcome.is_err() {
        txn.prepare_cached("ROLLBACK TO job")?.execute([])?;
    }
    txn.prepare_cached("RELEASE job")?.execute([])?;
    Ok(outcome)
}

fn run(conn: &rusqlite::Connection, statements: &[JobStep]) -> Result<(), WriteError> {
    for step in statements {
        match step {
            JobStep::Exec(sql, values, if_no_row) => {
                let changed = execute(conn, sql, values)?;
                if let Some(conflict) = if_no_row
                    && changed != 1
                {
                    return Err(conflict.clone().into());
                }
            }
            JobStep::Chain(append) => {
                let (sql, values) = append.take_head(DbBackend::Sqlite);
                let params = crate::sqlite::values(Some(&values))?;
                let (seq, hash): (i64, String) = conn
                    .prepare_cached(&sql)?
                    .query_row(rusqlite::params_from_iter(params), |row| {
                        Ok((row.get(0)?, row.get(1)?))
                    })?;
                for (sql, values) in append.statements(seq, hash, DbBackend::Sqlite) {
                    execute(conn, &sql, &values)?;
                }
            }
        }
    }
    Ok(())
}

fn execute(conn: &rusqlite::Connection, sql: &str, values: &Values) -> Result<usize, WriteError> {
    let mut statement = conn.prepare_cached(sql)?;
    let params = crate::sqlite::values(Some(values))?;
    Ok(statement.execute(rusqlite::params_from_iter(params))?)
}
