//! The database schema, one migration a file (sea-orm's layout). Migrations run at start-up and
//! with `continuum migrate`; each runs in a transaction, on SQLite as on PostgreSQL.
//!
//! Records keep their queryable fields in columns and their full content in `body`, the
//! protobuf encoding of the v1 API message (forward compatible by protobuf's rules).

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_create_records;
mod m20261129_000001_meeting_versions_and_list_indexes;
mod m20261129_000002_deadlines;
mod m20261129_000003_agenda_items;
mod m20261129_000004_event_outbox;
mod m20261129_000005_referral_child_match;
mod m20261129_000006_deadline_summary_index;
mod m20261130_000001_audit_log;

#[derive(Debug)]
pub struct Migrator;

#[sea_orm_migration::async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_records::Migration),
            Box::new(m20261129_000001_meeting_versions_and_list_indexes::Migration),
            Box::new(m20261129_000002_deadlines::Migration),
            Box::new(m20261129_000003_agenda_items::Migration),
            Box::new(m20261129_000004_event_outbox::Migration),
            Box::new(m20261129_000005_referral_child_match::Migration),
            Box::new(m20261129_000006_deadline_summary_index::Migration),
            Box::new(m20261130_000001_audit_log::Migration),
        ]
    }
}
