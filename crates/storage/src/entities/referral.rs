use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "referrals")]
pub struct Model {
    /// A UUIDv7: ordering by id orders by creation.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub authority_code: String,
    pub status: String,
    pub received_at: DateTimeUtc,
    pub version: i64,
    pub body: Vec<u8>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
