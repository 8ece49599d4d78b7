//! The queries the service makes: reads only, on any connection. Writes are in `write`.
//!
//! Record reads select only what the service needs to name, version and decode a record
//! ([`Stored`]), not every column: each column read is a value copied and, for timestamps,
//! parsed, which is most of a point read's cost on SQLite.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, Select, SelectModel, Selector,
};

use crate::entities::{case, event, idempotency_key, meeting, referral};
use crate::sqlite::FromRow;
use crate::{StorageError, Store};

impl Store {
    /// Every row a query returns: on SQLite from a reader thread, on PostgreSQL from the pool.
    async fn fetch<M>(&self, selector: Selector<SelectModel<M>>) -> Result<Vec<M>, StorageError>
    where
        M: FromQueryResult + FromRow,
    {
        match &self.readers {
            Some(readers) => {
                readers
                    .all(selector.into_statement(DbBackend::Sqlite))
                    .await
            }
            None => Ok(selector.all(&self.db).await?),
        }
    }

    /// The first row a query returns, if any.
    async fn fetch_one<M>(
        &self,
        selector: Selector<SelectModel<M>>,
    ) -> Result<Option<M>, StorageError>
    where
        M: FromQueryResult + FromRow,
    {
        Ok(self.fetch(selector).await?.into_iter().next())
    }
}

/// A record as the service reads it: its key, version and body (the protobuf encoding of the
/// API message), and the records it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct Stored {
    pub id: String,
    pub authority_code: String,
    /// A case's referral; `None` for other records.
    pub referral_id: Option<String>,
    /// A meeting's case; `None` for other records.
    pub case_id: Option<String>,
    pub version: i64,
    pub body: Vec<u8>,
}

/// A history event as the service reads it.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct StoredEvent {
    pub seq: i64,
    pub body: Vec<u8>,
}

/// `NULL` for a [`Stored`] column the table does not have.
fn none() -> SimpleExpr {
    Expr::cust("CAST(NULL AS TEXT)")
}

fn stored_referrals(
    q: Select<referral::Entity>,
) -> sea_orm::Selector<sea_orm::SelectModel<Stored>> {
    use referral::Column as C;
    q.select_only()
        .columns([C::Id, C::AuthorityCode, C::Version, C::Body])
        .column_as(none(), "referral_id")
        .column_as(none(), "case_id")
        .into_model()
}

fn stored_cases(q: Select<case::Entity>) -> sea_orm::Selector<sea_orm::SelectModel<Stored>> {
    use case::Column as C;
    q.select_only()
        .columns([C::Id, C::AuthorityCode, C::ReferralId, C::Version, C::Body])
        .column_as(none(), "case_id")
        .into_model()
}

fn stored_meetings(q: Select<meeting::Entity>) -> sea_orm::Selector<sea_orm::SelectModel<Stored>> {
    use meeting::Column as C;
    q.select_only()
        .columns([C::Id, C::AuthorityCode, C::CaseId, C::Version, C::Body])
        .column_as(none(), "referral_id")
        .into_model()
}

// ---------------------------------------------------------------------------------------------
// Referrals
// ---------------------------------------------------------------------------------------------

pub async fn get_referral(
    store: &Store,
    authority: &str,
    id: &str,
) -> Result<Option<Stored>, StorageError> {
    let q = referral::Entity::find_by_id(id.to_owned())
        .filter(referral::Column::AuthorityCode.eq(authority));
    store.fetch_one(stored_referrals(q.limit(1))).await
}

#[derive(Debug, Clone, Default)]
pub struct ReferralFilter {
    pub status: Option<String>,
    pub received_on_or_after: Option<DateTime<Utc>>,
    pub received_before: Option<DateTime<Utc>>,
}

/// Newest first, resuming after `after_id`.
pub async fn list_referrals(
    store: &Store,
    authority: &str,
    filter: &ReferralFilter,
    after_id: Option<&str>,
    limit: u64,
) -> Result<Vec<Stored>, StorageError> {
    let mut q = referral::Entity::find().filter(referral::Column::AuthorityCode.eq(authority));
    if let Some(status) = &filter.status {
        q = q.filter(referral::Column::Status.eq(status.clone()));
    }
    if let Some(from) = filter.received_on_or_after {
        q = q.filter(referral::Column::ReceivedAt.gte(from));
    }
    if let Some(before) = filter.received_before {
        q = q.filter(referral::Column::ReceivedAt.lt(before));
    }
    if let Some(after) = after_id {
        q = q.filter(referral::Column::Id.lt(after));
    }
    let q = q.order_by_desc(referral::Column::Id).limit(limit);
    store.fetch(stored_referrals(q)).await
}

// ---------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------

pub async fn get_case(
    store: &Store,
    authority: &str,
    id: &str,
) -> Result<Option<Stored>, StorageError> {
    let q =
        case::Entity::find_by_id(id.to_owned()).filter(case::Column::AuthorityCode.eq(authority));
    store.fetch_one(stored_cases(q.limit(1))).await
}

#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub level: Option<String>,
    pub status: Option<String>,
    pub allocated_worker: Option<String>,
}

/// Newest first, resuming after `after_id`.
pub async fn list_cases(
    store: &Store,
    authority: &str,
    filter: &CaseFilter,
    after_id: Option<&str>,
    limit: u64,
) -> Result<Vec<Stored>, StorageError> {
    let mut q = case::Entity::find().filter(case::Column::AuthorityCode.eq(authority));
    if let Some(level) = &filter.level {
        q = q.filter(case::Column::Level.eq(level.clone()));
    }
    if let Some(status) = &filter.status {
        q = q.filter(case::Column::Status.eq(status.clone()));
    }
    if let Some(worker) = &filter.allocated_worker {
        q = q.filter(case::Column::AllocatedWorker.eq(worker.clone()));
    }
    if let Some(after) = after_id {
        q = q.filter(case::Column::Id.lt(after));
    }
    let q = q.order_by_desc(case::Column::Id).limit(limit);
    store.fetch(stored_cases(q)).await
}

// ---------------------------------------------------------------------------------------------
// Meetings
// ---------------------------------------------------------------------------------------------

pub async fn get_meeting(
    store: &Store,
    authority: &str,
    case_id: &str,
    id: &str,
) -> Result<Option<Stored>, StorageError> {
    let q = meeting::Entity::find_by_id(id.to_owned())
        .filter(meeting::Column::AuthorityCode.eq(authority))
        .filter(meeting::Column::CaseId.eq(case_id));
    store.fetch_one(stored_meetings(q.limit(1))).await
}

/// Oldest first, resuming after `after_id`.
pub async fn list_meetings(
    store: &Store,
    authority: &str,
    case_id: &str,
    after_id: Option<&str>,
    limit: u64,
) -> Result<Vec<Stored>, StorageError> {
    let mut q = meeting::Entity::find()
        .filter(meeting::Column::AuthorityCode.eq(authority))
        .filter(meeting::Column::CaseId.eq(case_id));
    if let Some(after) = after_id {
        q = q.filter(meeting::Column::Id.gt(after));
    }
    let q = q.order_by_asc(meeting::Column::Id).limit(limit);
    store.fetch(stored_meetings(q)).await
}

// ---------------------------------------------------------------------------------------------
// History events
// ---------------------------------------------------------------------------------------------

/// A case's history, and that of the referral it came from, oldest first, after `after_seq`.
pub async fn case_history(
    store: &Store,
    authority: &str,
    case_id: &str,
    referral_id: Option<&str>,
    after_seq: Option<i64>,
    limit: u64,
) -> Result<Vec<StoredEvent>, StorageError> {
    let mut subject = sea_orm::Condition::any().add(event::Column::CaseId.eq(case_id));
    if let Some(referral_id) = referral_id {
        subject = subject.add(event::Column::ReferralId.eq(referral_id));
    }
    let mut q = event::Entity::find()
        .filter(event::Column::AuthorityCode.eq(authority))
        .filter(subject);
    if let Some(after) = after_seq {
        q = q.filter(event::Column::Seq.gt(after));
    }
    let q = q
        .order_by_asc(event::Column::Seq)
        .limit(limit)
        .select_only()
        .columns([event::Column::Seq, event::Column::Body]);
    store.fetch(q.into_model()).await
}

/// Count rows of every record table (for tests proving that nothing was written).
pub async fn count_all(c: &impl ConnectionTrait) -> Result<[u64; 5], StorageError> {
    use sea_orm::PaginatorTrait;
    Ok([
        referral::Entity::find().count(c).await?,
        case::Entity::find().count(c).await?,
        meeting::Entity::find().count(c).await?,
        event::Entity::find().count(c).await?,
        idempotency_key::Entity::find().count(c).await?,
    ])
}

// ---------------------------------------------------------------------------------------------
// Idempotency keys
// ---------------------------------------------------------------------------------------------

pub async fn find_idempotency_key(
    store: &Store,
    authority: &str,
    request_id: &str,
) -> Result<Option<idempotency_key::Model>, StorageError> {
    let q = idempotency_key::Entity::find_by_id((authority.to_owned(), request_id.to_owned()))
        .limit(1)
        .into_model();
    store.fetch_one(q).await
}
