//! The audit log and the hash chains that make it, and the case history, tamper-evident.
//!
//! - `audit_events`: one row per access to a child's record (reads, writes and refusals): who,
//!   what, when, the request id and the outcome. Numbered per authority (`seq` from 1, no gaps)
//!   and chained: each row's `hash` covers its content and the hash of the row before it.
//! - `events` (the case history) gains the same chain: `chain_seq` and `hash`, per authority.
//!   Rows written before this migration have neither and are outside the chain.
//! - `chain_heads`: each chain's last number and hash. A change locks its chain's head row
//!   until it commits, so a chain's order is its commit order.
//!
//! Both logs are append-only: triggers refuse UPDATE and DELETE on them, on SQLite and on
//! PostgreSQL alike (on PostgreSQL, also run the service as a role without UPDATE, DELETE and
//! TRUNCATE on them; see docs/reliability.md).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    AuthorityCode,
    Seq,
    RecordedAt,
    RequestId,
    Subject,
    Role,
    Method,
    Resource,
    Returned,
    Outcome,
    Hash,
}

#[derive(DeriveIden)]
enum ChainHeads {
    Table,
    Chain,
    Seq,
    Hash,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    ChainSeq,
    Hash,
}

/// The tables no row of which may change once written.
const APPEND_ONLY: [&str; 2] = ["audit_events", "events"];

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(AuditEvents::Table)
                .col(
                    ColumnDef::new(AuditEvents::AuthorityCode)
                        .string()
                        .not_null(),
                )
                .col(ColumnDef::new(AuditEvents::Seq).big_integer().not_null())
                .col(
                    ColumnDef::new(AuditEvents::RecordedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(ColumnDef::new(AuditEvents::RequestId).string().not_null())
                .col(ColumnDef::new(AuditEvents::Subject).string().not_null())
                .col(ColumnDef::new(AuditEvents::Role).string().not_null())
                .col(ColumnDef::new(AuditEvents::Method).string().not_null())
                .col(ColumnDef::new(AuditEvents::Resource).string().not_null())
                .col(ColumnDef::new(AuditEvents::Returned).text().not_null())
                .col(ColumnDef::new(AuditEvents::Outcome).string().not_null())
                .col(ColumnDef::new(AuditEvents::Hash).string().not_null())
                .primary_key(
                    Index::create()
                        .col(AuditEvents::AuthorityCode)
                        .col(AuditEvents::Seq),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("audit_events_by_resource")
                .table(AuditEvents::Table)
                .col(AuditEvents::AuthorityCode)
                .col(AuditEvents::Resource)
                .col(AuditEvents::Seq)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ChainHeads::Table)
                .col(
                    ColumnDef::new(ChainHeads::Chain)
                        .string()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(ChainHeads::Seq).big_integer().not_null())
                .col(ColumnDef::new(ChainHeads::Hash).string().not_null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Events::Table)
                .add_column(ColumnDef::new(Events::ChainSeq).big_integer().null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Events::Table)
                .add_column(ColumnDef::new(Events::Hash).string().null())
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        match m.get_database_backend() {
            DbBackend::Sqlite => {
                for table in APPEND_ONLY {
                    for op in ["UPDATE", "DELETE"] {
                        let lower = op.to_lowercase();
                        db.execute_unprepared(&format!(
                            "CREATE TRIGGER {table}_no_{lower} BEFORE {op} ON {table} \
                             BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                        ))
                        .await?;
                    }
                }
            }
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE FUNCTION continuum_append_only() RETURNS trigger LANGUAGE plpgsql AS \
                     $$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$",
                )
                .await?;
                for table in APPEND_ONLY {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} \
                         FOR EACH ROW EXECUTE FUNCTION continuum_append_only()"
                    ))
                    .await?;
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} \
                         FOR EACH STATEMENT EXECUTE FUNCTION continuum_append_only()"
                    ))
                    .await?;
                }
            }
            DbBackend::MySql => {}
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        match m.get_database_backend() {
            DbBackend::Sqlite => {
                for table in APPEND_ONLY {
                    for op in ["update", "delete"] {
                        db.execute_unprepared(&format!("DROP TRIGGER {table}_no_{op}"))
                            .await?;
                    }
                }
            }
            DbBackend::Postgres => {
                for table in APPEND_ONLY {
                    db.execute_unprepared(&format!("DROP TRIGGER {table}_append_only ON {table}"))
                        .await?;
                    db.execute_unprepared(&format!("DROP TRIGGER {table}_no_truncate ON {table}"))
                        .await?;
                }
                db.execute_unprepared("DROP FUNCTION continuum_append_only()")
                    .await?;
            }
            DbBackend::MySql => {}
        }
        m.alter_table(
            Table::alter()
                .table(Events::Table)
                .drop_column(Events::Hash)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Events::Table)
                .drop_column(Events::ChainSeq)
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(ChainHeads::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(AuditEvents::Table).to_owned())
            .await
    }
}
