//! Continuum's storage: one SQLite file by default, PostgreSQL in production.
//!
//! Invariants:
//! - Every write goes through [`Store::begin_write`]: one transaction, committed only when the
//!   whole change and its history event are written, so both are visible together or not at all.
//! - On SQLite, writes are serialised inside the process (SQLite has one writer; taking the
//!   lock before `BEGIN` gives the effect of `BEGIN IMMEDIATE` without busy-upgrade failures)
//!   and the file runs in WAL mode with `synchronous=FULL` and a busy timeout.
//! - Optimistic concurrency: updates of versioned rows name the version they read and fail
//!   (return `false`) if it changed.
//! - This crate knows rows and bytes, not protobuf or gRPC.

pub mod entities;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use continuum_migrations::MigratorTrait;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectOptions, ConnectionTrait, Database, DatabaseConnection,
    DatabaseTransaction, DbBackend, DbErr, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, SqlxSqliteConnector, TransactionTrait,
};

pub use entities::{case, event, idempotency_key, meeting, referral};
pub use sea_orm::DbErr as DatabaseError;

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    #[error("cannot open database {url}: {reason}")]
    Connect { url: String, reason: String },
}

/// The database, and how writes reach it.
#[derive(Debug, Clone)]
pub struct Store {
    db: DatabaseConnection,
    /// Held for the whole of a write transaction on SQLite; `None` on PostgreSQL.
    write_lock: Option<Arc<tokio::sync::Mutex<()>>>,
}

impl Store {
    /// Open `url`: `sqlite://path/to/file.db` (created if missing) or `postgres://...`.
    pub async fn connect(url: &str) -> Result<Store, StorageError> {
        let connect_error = |reason: String| StorageError::Connect {
            url: redact(url),
            reason,
        };
        if url.starts_with("sqlite:") {
            use sqlx::sqlite::{
                SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
            };
            let options = SqliteConnectOptions::from_str(url)
                .map_err(|e| connect_error(e.to_string()))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true);
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(options)
                .await
                .map_err(|e| connect_error(e.to_string()))?;
            Ok(Store {
                db: SqlxSqliteConnector::from_sqlx_sqlite_pool(pool),
                write_lock: Some(Arc::new(tokio::sync::Mutex::new(()))),
            })
        } else {
            let mut options = ConnectOptions::new(url.to_owned());
            options
                .max_connections(32)
                .min_connections(1)
                .connect_timeout(Duration::from_secs(10))
                .sqlx_logging(false);
            let db = Database::connect(options)
                .await
                .map_err(|e| connect_error(e.to_string()))?;
            Ok(Store {
                db,
                write_lock: None,
            })
        }
    }

    /// Bring the schema up to date, each migration in a transaction.
    ///
    /// sea-orm-migration wraps migrations in a transaction only on PostgreSQL, so on SQLite each
    /// pending migration runs in a write transaction of its own here. On PostgreSQL a
    /// transaction-scoped advisory lock makes replicas that start together migrate one at a time.
    pub async fn migrate(&self) -> Result<(), StorageError> {
        use continuum_migrations::Migrator;
        match self.backend() {
            DbBackend::Sqlite => {
                let pending = Migrator::get_pending_migrations(&self.db).await?.len();
                for _ in 0..pending {
                    let txn = self.begin_write().await?;
                    Migrator::up(&*txn, Some(1)).await?;
                    txn.commit().await?;
                }
            }
            backend => {
                let txn = self.db.begin().await?;
                if backend == DbBackend::Postgres {
                    txn.execute_unprepared("SELECT pg_advisory_xact_lock(7263548201)")
                        .await?;
                }
                Migrator::up(&txn, None).await?;
                txn.commit().await?;
            }
        }
        Ok(())
    }

    /// The connection, for reads.
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    pub fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    /// Begin a write transaction. Nothing it writes is visible until [`WriteTxn::commit`];
    /// dropping it without committing rolls everything back.
    pub async fn begin_write(&self) -> Result<WriteTxn, StorageError> {
        let lock = match &self.write_lock {
            Some(lock) => Some(lock.clone().lock_owned().await),
            None => None,
        };
        let txn = self.db.begin().await?;
        Ok(WriteTxn { txn, _lock: lock })
    }
}

/// One write transaction (and, on SQLite, the process's write lock, released after it ends).
#[derive(Debug)]
pub struct WriteTxn {
    // Field order matters: the transaction ends (commit or rollback) before the lock is freed.
    txn: DatabaseTransaction,
    _lock: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl std::ops::Deref for WriteTxn {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

impl WriteTxn {
    pub async fn commit(self) -> Result<(), StorageError> {
        self.txn.commit().await?;
        Ok(())
    }
}

/// A database URL safe to log: any user and password replaced by `***`.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://***{}", &url[..scheme], &url[at..])
        }
        _ => url.to_owned(),
    }
}

// ---------------------------------------------------------------------------------------------
// Referrals
// ---------------------------------------------------------------------------------------------

pub async fn insert_referral(
    c: &impl ConnectionTrait,
    row: referral::Model,
) -> Result<(), StorageError> {
    row.into_active_model().insert(c).await?;
    Ok(())
}

pub async fn get_referral(
    c: &impl ConnectionTrait,
    authority: &str,
    id: &str,
) -> Result<Option<referral::Model>, StorageError> {
    Ok(referral::Entity::find_by_id(id.to_owned())
        .filter(referral::Column::AuthorityCode.eq(authority))
        .one(c)
        .await?)
}

/// Replace a referral if it is still at `expected_version`; the row's version is bumped.
pub async fn update_referral(
    c: &impl ConnectionTrait,
    row: &referral::Model,
    expected_version: i64,
) -> Result<bool, StorageError> {
    let result = referral::Entity::update_many()
        .col_expr(referral::Column::Status, Expr::value(row.status.clone()))
        .col_expr(referral::Column::Body, Expr::value(row.body.clone()))
        .col_expr(referral::Column::Version, Expr::value(expected_version + 1))
        .col_expr(referral::Column::UpdatedAt, Expr::value(row.updated_at))
        .filter(referral::Column::Id.eq(row.id.clone()))
        .filter(referral::Column::AuthorityCode.eq(row.authority_code.clone()))
        .filter(referral::Column::Version.eq(expected_version))
        .exec(c)
        .await?;
    Ok(result.rows_affected == 1)
}

#[derive(Debug, Clone, Default)]
pub struct ReferralFilter {
    pub status: Option<String>,
    pub received_on_or_after: Option<DateTime<Utc>>,
    pub received_before: Option<DateTime<Utc>>,
}

/// Newest first, resuming after `after_id`.
pub async fn list_referrals(
    c: &impl ConnectionTrait,
    authority: &str,
    filter: &ReferralFilter,
    after_id: Option<&str>,
    limit: u64,
) -> Result<Vec<referral::Model>, StorageError> {
    let mut q = referral::Entity::find().filter(referral::Column::AuthorityCode.eq(authority));
    if let Some(status) = &filter.status {
        q = q.filter(referral::Column::Status.eq(status.clone()));
    }
    if let Some(from) = filter.received_on_or_after {
        q = q.filter(referral::Column::ReceivedAt.gte(from));
    }
    if let Some(before) = filter.received_before {
        q = q.filter(referral::Column::ReceivedAt.lt(before));
    }
    if let Some(after) = after_id {
        q = q.filter(referral::Column::Id.lt(after));
    }
    Ok(q.order_by_desc(referral::Column::Id)
        .limit(limit)
        .all(c)
        .await?)
}

// ---------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------

pub async fn insert_case(c: &impl ConnectionTrait, row: case::Model) -> Result<(), StorageError> {
    row.into_active_model().insert(c).await?;
    Ok(())
}

pub async fn get_case(
    c: &impl ConnectionTrait,
    authority: &str,
    id: &str,
) -> Result<Option<case::Model>, StorageError> {
    Ok(case::Entity::find_by_id(id.to_owned())
        .filter(case::Column::AuthorityCode.eq(authority))
        .one(c)
        .await?)
}

/// Replace a case if it is still at `expected_version`; the row's version is bumped.
pub async fn update_case(
    c: &impl ConnectionTrait,
    row: &case::Model,
    expected_version: i64,
) -> Result<bool, StorageError> {
    let result = case::Entity::update_many()
        .col_expr(case::Column::Status, Expr::value(row.status.clone()))
        .col_expr(case::Column::Level, Expr::value(row.level.clone()))
        .col_expr(
            case::Column::AllocatedWorker,
            Expr::value(row.allocated_worker.clone()),
        )
        .col_expr(case::Column::Body, Expr::value(row.body.clone()))
        .col_expr(case::Column::Version, Expr::value(expected_version + 1))
        .col_expr(case::Column::UpdatedAt, Expr::value(row.updated_at))
        .filter(case::Column::Id.eq(row.id.clone()))
        .filter(case::Column::AuthorityCode.eq(row.authority_code.clone()))
        .filter(case::Column::Version.eq(expected_version))
        .exec(c)
        .await?;
    Ok(result.rows_affected == 1)
}

#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub level: Option<String>,
    pub status: Option<String>,
    pub allocated_worker: Option<String>,
}

/// Newest first, resuming after `after_id`.
pub async fn list_cases(
    c: &impl ConnectionTrait,
    authority: &str,
    filter: &CaseFilter,
    after_id: Option<&str>,
    limit: u64,
) -> Result<Vec<case::Model>, StorageError> {
    let mut q = case::Entity::find().filter(case::Column::AuthorityCode.eq(authority));
    if let Some(level) = &filter.level {
        q = q.filter(case::Column::Level.eq(level.clone()));
    }
    if let Some(status) = &filter.status {
        q = q.filter(case::Column::Status.eq(status.clone()));
    }
    if let Some(worker) = &filter.allocated_worker {
        q = q.filter(case::Column::AllocatedWorker.eq(worker.clone()));
    }
    if let Some(after) = after_id {
        q = q.filter(case::Column::Id.lt(after));
    }
    Ok(q.order_by_desc(case::Column::Id)
        .limit(limit)
        .all(c)
        .await?)
}

// ---------------------------------------------------------------------------------------------
// Meetings
// ---------------------------------------------------------------------------------------------

pub async fn insert_meeting(
    c: &impl ConnectionTrait,
    row: meeting::Model,
) -> Result<(), StorageError> {
    row.into_active_model().insert(c).await?;
    Ok(())
}

pub async fn get_meeting(
    c: &impl ConnectionTrait,
    authority: &str,
    case_id: &str,
    id: &str,
) -> Result<Option<meeting::Model>, StorageError> {
    Ok(meeting::Entity::find_by_id(id.to_owned())
        .filter(meeting::Column::AuthorityCode.eq(authority))
        .filter(meeting::Column::CaseId.eq(case_id))
        .one(c)
        .await?)
}

pub async fn update_meeting_body(
    c: &impl ConnectionTrait,
    row: &meeting::Model,
) -> Result<(), StorageError> {
    meeting::Entity::update_many()
        .col_expr(meeting::Column::Body, Expr::value(row.body.clone()))
        .filter(meeting::Column::Id.eq(row.id.clone()))
        .exec(c)
        .await?;
    Ok(())
}

/// Oldest first, resuming after `after_id`.
pub async fn list_meetings(
    c: &impl ConnectionTrait,
    authority: &str,
    case_id: &str,
    after_id: Option<&str>,
    limit: u64,
) -> Result<Vec<meeting::Model>, StorageError> {
    let mut q = meeting::Entity::find()
        .filter(meeting::Column::AuthorityCode.eq(authority))
        .filter(meeting::Column::CaseId.eq(case_id));
    if let Some(after) = after_id {
        q = q.filter(meeting::Column::Id.gt(after));
    }
    Ok(q.order_by_asc(meeting::Column::Id)
        .limit(limit)
        .all(c)
        .await?)
}

// ---------------------------------------------------------------------------------------------
// History events
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct NewEvent {
    pub authority_code: String,
    pub referral_id: Option<String>,
    pub case_id: Option<String>,
    pub kind: String,
    pub occurred_at: DateTime<Utc>,
    pub body: Vec<u8>,
}

pub async fn append_event(c: &impl ConnectionTrait, e: NewEvent) -> Result<(), StorageError> {
    use sea_orm::ActiveValue::{NotSet, Set};
    event::ActiveModel {
        seq: NotSet,
        authority_code: Set(e.authority_code),
        referral_id: Set(e.referral_id),
        case_id: Set(e.case_id),
        kind: Set(e.kind),
        occurred_at: Set(e.occurred_at),
        body: Set(e.body),
    }
    .insert(c)
    .await?;
    Ok(())
}

/// A case's history, and that of the referral it came from, oldest first, after `after_seq`.
pub async fn case_history(
    c: &impl ConnectionTrait,
    authority: &str,
    case_id: &str,
    referral_id: Option<&str>,
    after_seq: Option<i64>,
    limit: u64,
) -> Result<Vec<event::Model>, StorageError> {
    let mut subject = sea_orm::Condition::any().add(event::Column::CaseId.eq(case_id));
    if let Some(referral_id) = referral_id {
        subject = subject.add(event::Column::ReferralId.eq(referral_id));
    }
    let mut q = event::Entity::find()
        .filter(event::Column::AuthorityCode.eq(authority))
        .filter(subject);
    if let Some(after) = after_seq {
        q = q.filter(event::Column::Seq.gt(after));
    }
    Ok(q.order_by_asc(event::Column::Seq)
        .limit(limit)
        .all(c)
        .await?)
}

/// Count rows of every record table (for tests proving that nothing was written).
pub async fn count_all(c: &impl ConnectionTrait) -> Result<[u64; 5], StorageError> {
    use sea_orm::PaginatorTrait;
    Ok([
        referral::Entity::find().count(c).await?,
        case::Entity::find().count(c).await?,
        meeting::Entity::find().count(c).await?,
        event::Entity::find().count(c).await?,
        idempotency_key::Entity::find().count(c).await?,
    ])
}

// ---------------------------------------------------------------------------------------------
// Idempotency keys
// ---------------------------------------------------------------------------------------------

pub async fn find_idempotency_key(
    c: &impl ConnectionTrait,
    authority: &str,
    request_id: &str,
) -> Result<Option<idempotency_key::Model>, StorageError> {
    Ok(
        idempotency_key::Entity::find_by_id((authority.to_owned(), request_id.to_owned()))
            .one(c)
            .await?,
    )
}

/// Record a served `request_id`; `false` if another transaction recorded it first.
pub async fn insert_idempotency_key(
    c: &impl ConnectionTrait,
    row: idempotency_key::Model,
) -> Result<bool, StorageError> {
    match row.into_active_model().insert(c).await {
        Ok(_) => Ok(true),
        Err(e)
            if matches!(
                e.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            ) =>
        {
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://user:secret@db:5432/x"),
            "postgres://***@db:5432/x"
        );
        assert_eq!(redact("sqlite://continuum.db"), "sqlite://continuum.db");
    }
}
