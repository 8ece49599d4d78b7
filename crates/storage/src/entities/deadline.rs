use sea_orm::entity::prelude::*;

/// A tracked deadline on a case. The case's body holds the same deadlines (the case is what a
/// change reads and versions); this table is their index for the lists and aggregates that run
/// across an authority's cases. A deadline row is written only in the change set that writes
/// its case, so the case's version guards it.
///
/// Instants are whole milliseconds since the Unix epoch, so that both databases compare and
/// aggregate them as plain integers.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deadlines")]
pub struct Model {
    /// A UUIDv7.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub authority_code: String,
    pub case_id: String,
    /// The deadline's kind: the authority's code, e.g. "FSW-PHONE-CALL".
    pub code: String,
    /// The case's level when it started.
    pub level: String,
    /// The case's allocated worker now.
    pub allocated_worker: Option<String>,
    /// "PENDING", "MET" or "CANCELLED"; overdue is pending with `late_at` passed.
    pub state: String,
    pub due_at: i64,
    /// The latest allowed instant: the range's latest time, or `due_at`.
    pub late_at: i64,
    /// The working-day number (in the authority's division) of the latest allowed day.
    pub late_day: i64,
    pub met_at: Option<i64>,
    /// The working-day number of the day it was met.
    pub met_day: Option<i64>,
    pub body: Vec<u8>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
