use sea_orm::entity::prelude::*;

/// An item on a panel's agenda: a referral queued for the panel, or a case's transition request
/// that the panel decides. It moves between sittings when deferred.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agenda_items")]
pub struct Model {
    /// A UUIDv7: ordering by id orders by queue time.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub authority_code: String,
    pub panel_code: String,
    /// "YYYY-MM-DD", or "" for a panel that meets as needed, until decided.
    pub sitting_date: String,
    /// "QUEUED" or "DECIDED".
    pub state: String,
    /// The referral's or the case's resource name.
    pub subject: String,
    /// Bumped on every change; the API's etag.
    pub version: i64,
    pub body: Vec<u8>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
