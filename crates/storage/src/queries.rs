//! The queries the service makes: reads only, on any connection. Writes are in `write`.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::StorageError;
use crate::entities::{case, event, idempotency_key, meeting, referral};

// ---------------------------------------------------------------------------------------------
// Referrals
// ---------------------------------------------------------------------------------------------

pub async fn get_referral(
    c: &impl ConnectionTrait,
    authority: &str,
    id: &str,
) -> Result<Option<referral::Model>, StorageError> {
    Ok(referral::Entity::find_by_id(id.to_owned())
        .filter(referral::Column::AuthorityCode.eq(authority))
        .one(c)
        .await?)
}

#[derive(Debug, Clone, Default)]
pub struct ReferralFilter {
    pub status: Option<String>,
    pub received_on_or_after: Option<DateTime<Utc>>,
    pub received_before: Option<DateTime<Utc>>,
}

/// Newest first, resuming after `after_id`.
pub async fn list_referrals(
    c: &impl ConnectionTrait,
    authority: &str,
    filter: &ReferralFilter,
    after_id: Option<&str>,
    limit: u64,
) -> Result<Vec<referral::Model>, StorageError> {
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
    Ok(q.order_by_desc(referral::Column::Id)
        .limit(limit)
        .all(c)
        .await?)
}

// ---------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------

pub async fn get_case(
    c: &impl ConnectionTrait,
    authority: &str,
    id: &str,
) -> Result<Option<case::Model>, StorageError> {
    Ok(case::Entity::find_by_id(id.to_owned())
        .filter(case::Column::AuthorityCode.eq(authority))
        .one(c)
        .await?)
}

#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub level: Option<String>,
    pub status: Option<String>,
    pub allocated_worker: Option<String>,
}

/// Newest first, resuming after `after_id`.
pub async fn list_cases(
    c: &impl ConnectionTrait,
    authority: &str,
    filter: &CaseFilter,
    after_id: Option<&str>,
    limit: u64,
) -> Result<Vec<case::Model>, StorageError> {
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
    Ok(q.order_by_desc(case::Column::Id)
        .limit(limit)
        .all(c)
        .await?)
}

// ---------------------------------------------------------------------------------------------
// Meetings
// ---------------------------------------------------------------------------------------------

pub async fn get_meeting(
    c: &impl ConnectionTrait,
    authority: &str,
    case_id: &str,
    id: &str,
) -> Result<Option<meeting::Model>, StorageError> {
    Ok(meeting::Entity::find_by_id(id.to_owned())
        .filter(meeting::Column::AuthorityCode.eq(authority))
        .filter(meeting::Column::CaseId.eq(case_id))
        .one(c)
        .await?)
}

/// Oldest first, resuming after `after_id`.
pub async fn list_meetings(
    c: &impl ConnectionTrait,
    authority: &str,
    case_id: &str,
    after_id: Option<&str>,
    limit: u64,
) -> Result<Vec<meeting::Model>, StorageError> {
    let mut q = meeting::Entity::find()
        .filter(meeting::Column::AuthorityCode.eq(authority))
        .filter(meeting::Column::CaseId.eq(case_id));
    if let Some(after) = after_id {
        q = q.filter(meeting::Column::Id.gt(after));
    }
    Ok(q.order_by_asc(meeting::Column::Id)
        .limit(limit)
        .all(c)
        .await?)
}

// ---------------------------------------------------------------------------------------------
// History events
// ---------------------------------------------------------------------------------------------

/// A case's history, and that of the referral it came from, oldest first, after `after_seq`.
pub async fn case_history(
    c: &impl ConnectionTrait,
    authority: &str,
    case_id: &str,
    referral_id: Option<&str>,
    after_seq: Option<i64>,
    limit: u64,
) -> Result<Vec<event::Model>, StorageError> {
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
    Ok(q.order_by_asc(event::Column::Seq)
        .limit(limit)
        .all(c)
        .await?)
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
    c: &impl ConnectionTrait,
    authority: &str,
    request_id: &str,
) -> Result<Option<idempotency_key::Model>, StorageError> {
    Ok(
        idempotency_key::Entity::find_by_id((authority.to_owned(), request_id.to_owned()))
            .one(c)
            .await?,
    )
}
