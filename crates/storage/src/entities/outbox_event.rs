use sea_orm::entity::prelude::*;

/// One entry of an authority's event stream (the outbox): a record as it was after a change,
/// written in the change's own transaction. `seq` counts an authority's entries from 1, without
/// gaps, in commit order: a change takes its numbers from `authority_sequences`, whose row it
/// holds locked until it commits.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub authority_code: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    /// The event, encoded (the API's `Event`, less its cursor).
    pub body: Vec<u8>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
