use sea_orm::entity::prelude::*;

/// One access to a child's record (a read, a write or a refusal), in its authority's audit
/// chain: `seq` counts the authority's rows from 1 without gaps, in commit order, and `hash`
/// covers the row's content and the previous row's hash (see `chain`). Append-only.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub authority_code: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    /// When the service served the request (whole microseconds).
    pub recorded_at: DateTimeUtc,
    pub request_id: String,
    /// The caller: the token's subject and role.
    pub subject: String,
    pub role: String,
    /// The RPC, as `Service/Method`.
    pub method: String,
    /// The resource the request named (a record, or the parent of a list).
    pub resource: String,
    /// The records the answer returned or the change wrote, one name a line.
    pub returned: String,
    /// The gRPC status code's name: `OK`, `NOT_FOUND`, `PERMISSION_DENIED`...
    pub outcome: String,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
