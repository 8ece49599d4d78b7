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
    /// The child's NHS number, normalised, when given: how a child is known again.
    pub child_nhs_number: Option<String>,
    /// The child's exact given name, family name and date of birth ("given|family|YYYY-MM-DD"),
    /// when a date of birth is given: how a child without an NHS number is known again.
    pub child_key: Option<String>,
    pub version: i64,
    pub body: Vec<u8>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
