//! Continuum's storage: one SQLite file by default, PostgreSQL in production.
//!
//! Invariants:
//! - Every record is written through [`Store::write`]: one change set (records, their history
//!   events, the idempotency key) applied in one transaction, so all of it is visible together
//!   or none of it is. The row-writing functions take a write transaction only `write` can make.
//! - On SQLite one writer thread owns the write connection (rusqlite) and commits waiting change
//!   sets as a group (one fsync); the file runs in WAL mode with `synchronous=FULL` and a busy
//!   timeout, and reads go to a pool of other connections (sqlx, through sea-orm). See `write`.
//! - Optimistic concurrency: an updated row names the version it replaces, and a change set
//!   whose record moved on is a [`Conflict`] that writes nothing.
//! - Queries use stable SQL text with bound parameters, so each connection prepares a statement
//!   once and reuses it (sqlx's per-connection statement cache).
//! - This crate knows rows and bytes, not protobuf or gRPC.

pub mod chain;
pub mod entities;
mod queries;
mod sqlite;
mod write;

use std::str::FromStr;
use std::time::Duration;

use continuum_migrations::MigratorTrait;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr,
    SqlxSqliteConnector, TransactionTrait,
};
use tokio::sync::mpsc;

pub use chain::{AuditEntry, ChainCheck};
pub use entities::{
    agenda_item, audit_event, case, deadline, event, idempotency_key, meeting, referral,
};
pub use queries::*;
pub use sea_orm::DbErr as DatabaseError;
pub use write::{Changes, Conflict, MAX_BATCH, NewEvent, OutboxEntry, Row, WriteError};

/// How many reader threads (each with its connection) serve queries on SQLite.
const READERS: usize = 4;

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    #[error("cannot open database {url}: {reason}")]
    Connect { url: String, reason: String },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the group commit failed: {0}")]
    Group(String),
    #[error("the database writer has stopped")]
    WriterStopped,
    /// The database cannot be reached, or has no connection to give: retry later.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    #[error("{0}")]
    Internal(String),
}

impl StorageError {
    /// Whether the database is out of reach (down, restarting, its connections lost or all in
    /// use) rather than refusing this statement: the request may succeed if retried later.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StorageError::Db(e) => unavailable(e),
            StorageError::WriterStopped | StorageError::Unavailable(_) => true,
            _ => false,
        }
    }
}

fn unavailable(e: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    match e {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            match e {
                sqlx::Error::Io(_)
                | sqlx::Error::Tls(_)
                | sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::WorkerCrashed => true,
                // PostgreSQL's connection exceptions (08) and operator interventions such as a
                // shutdown or restart (57P).
                sqlx::Error::Database(e) => e
                    .code()
                    .is_some_and(|c| c.starts_with("08") || c.starts_with("57P")),
                _ => false,
            }
        }
        _ => false,
    }
}

/// The database, and how writes reach it.
#[derive(Debug, Clone)]
pub struct Store {
    /// Reads, schema migrations, and (on PostgreSQL) writes.
    db: DatabaseConnection,
    /// On SQLite: the queue to the writer thread, which owns the one write connection.
    writer: Option<mpsc::Sender<write::Job>>,
    /// On SQLite: the reader threads the service's queries run on.
    readers: Option<sqlite::Readers>,
    /// On SQLite: the checkpointer thread stops when the last clone of this is dropped.
    _checkpointer: Option<crossbeam_channel::Sender<()>>,
    /// On PostgreSQL: the queue to the task that writes reads' audit rows in groups (on SQLite
    /// the writer thread groups them with everything else).
    audit: Option<mpsc::Sender<write::AuditJob>>,
}

impl Store {
    /// Open `url`: `sqlite://path/to/file.db` (created if missing) or `postgres://...`.
    /// On SQLite this starts the writer thread.
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
                .foreign_keys(true)
                .statement_cache_capacity(256);
            let path = options.get_filename().to_owned();
            // The sqlx pool first: it creates the file and switches it to WAL. It serves
            // migrations and `db()`; the service's own queries run on the reader threads.
            let read_pool = SqlitePoolOptions::new()
                .min_connections(1)
                .max_connections(2)
                .connect_with(options)
                .await
                .map_err(|e| connect_error(e.to_string()))?;
            let writer = sqlite::open(&path, false).map_err(|e| connect_error(e.to_string()))?;
            let readers =
                sqlite::Readers::start(&path, READERS).map_err(|e| connect_error(e.to_string()))?;
            let (checkpointer, stop) = crossbeam_channel::bounded(0);
            let restart_wal = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            sqlite::checkpointer(&path, stop, restart_wal.clone())
                .map_err(|e| connect_error(e.to_string()))?;
            let (queue, jobs) = mpsc::channel(write::QUEUE);
            std::thread::Builder::new()
                .name("continuum-sqlite-writer".into())
                .spawn(move || write::run_writer(writer, jobs, restart_wal))
                .map_err(|e| connect_error(format!("cannot start the writer thread: {e}")))?;
            Ok(Store {
                db: SqlxSqliteConnector::from_sqlx_sqlite_pool(read_pool),
                writer: Some(queue),
                readers: Some(readers),
                _checkpointer: Some(checkpointer),
                audit: None,
            })
        } else {
            let mut options = ConnectOptions::new(url.to_owned());
            options
                .max_connections(32)
                .min_connections(1)
                .connect_timeout(Duration::from_secs(10))
                // A request waits at most this long for a connection, then is UNAVAILABLE
                // (the database is down, or every connection is busy).
                .acquire_timeout(Duration::from_secs(5))
                .sqlx_logging(false);
            let db = Database::connect(options)
                .await
                .map_err(|e| connect_error(e.to_string()))?;
            let store = Store {
                db,
                writer: None,
                readers: None,
                _checkpointer: None,
                audit: None,
            };
            let (queue, jobs) = mpsc::channel(write::QUEUE);
            tokio::spawn(write::run_auditor(store.clone(), jobs));
            Ok(Store {
                audit: Some(queue),
                ..store
            })
        }
    }

    /// Bring the schema up to date, each migration in a transaction.
    ///
    /// sea-orm-migration wraps migrations in a transaction only on PostgreSQL, so on SQLite each
    /// pending migration runs in a transaction of its own on the write connection here. On
    /// PostgreSQL a transaction-scoped advisory lock makes replicas that start together migrate
    /// one at a time.
    pub async fn migrate(&self) -> Result<(), StorageError> {
        use continuum_migrations::Migrator;
        match self.backend() {
            DbBackend::Sqlite => {
                let pending = Migrator::get_pending_migrations(&self.db).await?.len();
                for _ in 0..pending {
                    let txn = self.db.begin().await?;
                    Migrator::up(&txn, Some(1)).await?;
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

    /// The sqlx connection, for migrations and ad-hoc queries (tests). The service's own
    /// queries are the functions of this crate, which on SQLite run on the reader threads.
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    pub fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
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
