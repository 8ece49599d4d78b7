use sea_orm::entity::prelude::*;

/// One history event, written in the same transaction as the change it records.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub seq: i64,
    pub authority_code: String,
    pub referral_id: Option<String>,
    pub case_id: Option<String>,
    pub kind: String,
    pub occurred_at: DateTimeUtc,
    pub body: Vec<u8>,
    /// The event's number in its authority's history chain, and its chained hash (see
    /// `chain`); `None` for events written before the chain existed.
    pub chain_seq: Option<i64>,
    pub hash: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
