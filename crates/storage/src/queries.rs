//! The queries the service makes: reads only, on any connection. Writes are in `write`.
//!
//! Record reads select only what the service needs to name, version and decode a record
//! ([`Stored`]), not every column: each column read is a value copied and, for timestamps,
//! parsed, which is most of a point read's cost on SQLite.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect, Select, SelectModel, Selector, Statement, Value,
};

use crate::entities::{
    agenda_item, audit_event, case, deadline, event, idempotency_key, meeting, outbox_event,
    referral,
};
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

    /// Every row a hand-written query returns. `sql` numbers its parameters PostgreSQL's way
    /// (`$1`, `$2`, ...; a number may repeat); SQLite reads them as `?1`, `?2`, ... (so `sql`
    /// must hold no other `$`).
    async fn fetch_sql<M>(&self, sql: &str, values: Vec<Value>) -> Result<Vec<M>, StorageError>
    where
        M: FromQueryResult + FromRow,
    {
        match &self.readers {
            Some(readers) => {
                let sql = sql.replace('$', "?");
                readers
                    .all(Statement::from_sql_and_values(
                        DbBackend::Sqlite,
                        sql,
                        values,
                    ))
                    .await
            }
            None => {
                let statement =
                    Statement::from_sql_and_values(self.db.get_database_backend(), sql, values);
                Ok(M::find_by_statement(statement).all(&self.db).await?)
            }
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

/// The same child's referrals to an authority received before `before`, newest first: those with
/// the same NHS number, or the same exact name and date of birth where either has no NHS number.
pub async fn earlier_referrals(
    store: &Store,
    authority: &str,
    nhs_number: Option<&str>,
    child_key: Option<&str>,
    before: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Stored>, StorageError> {
    use referral::Column as C;
    let mut same = Condition::any();
    if let Some(nhs) = nhs_number {
        same = same.add(C::ChildNhsNumber.eq(nhs));
    }
    if let Some(key) = child_key {
        let mut by_name = Condition::all().add(C::ChildKey.eq(key));
        if nhs_number.is_some() {
            by_name = by_name.add(C::ChildNhsNumber.is_null());
        }
        same = same.add(by_name);
    }
    if nhs_number.is_none() && child_key.is_none() {
        return Ok(Vec::new());
    }
    let q = referral::Entity::find()
        .filter(C::AuthorityCode.eq(authority))
        .filter(same)
        .filter(C::ReceivedAt.lt(before))
        .order_by_desc(C::ReceivedAt)
        .limit(limit);
    store.fetch(stored_referrals(q)).await
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

// ---------------------------------------------------------------------------------------------
// Deadlines
// ---------------------------------------------------------------------------------------------

/// A deadline as a list reads it: its body, and its sort key.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct StoredDeadline {
    pub id: String,
    pub due_at: i64,
    pub body: Vec<u8>,
}

/// Which state a deadline list wants; "pending" and "overdue" depend on the instant `now`
/// (milliseconds since the epoch).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineState {
    /// Unmet, and its latest allowed time has not passed. `widest` is the most a deadline's
    /// latest allowed time can follow its due time at this authority (milliseconds): it bounds
    /// the scan from below, so overdue deadlines are not walked past.
    Pending {
        now: i64,
        widest: i64,
    },
    /// Unmet, and its latest allowed time has passed.
    Overdue {
        now: i64,
    },
    Met,
    Cancelled,
}

#[derive(Debug, Clone, Default)]
pub struct DeadlineFilter {
    pub state: Option<DeadlineState>,
    /// Due at or after / before, milliseconds since the epoch.
    pub due_from: Option<i64>,
    pub due_before: Option<i64>,
    pub allocated_worker: Option<String>,
    pub code: Option<String>,
    pub level: Option<String>,
}

/// Soonest due first (ties by id), resuming after the key `(due_at, id)`.
pub async fn list_deadlines(
    store: &Store,
    authority: &str,
    filter: &DeadlineFilter,
    after: Option<(i64, &str)>,
    limit: u64,
) -> Result<Vec<StoredDeadline>, StorageError> {
    use deadline::Column as C;
    let mut q = deadline::Entity::find().filter(C::AuthorityCode.eq(authority));
    match filter.state {
        Some(DeadlineState::Pending { now, widest }) => {
            q = q
                .filter(C::State.eq("PENDING"))
                .filter(C::LateAt.gte(now))
                // Implied (late_at <= due_at + widest), and an index bound on due_at.
                .filter(C::DueAt.gte(now - widest));
        }
        Some(DeadlineState::Overdue { now }) => {
            q = q
                .filter(C::State.eq("PENDING"))
                .filter(C::LateAt.lt(now))
                // Implied (due_at <= late_at), and an index bound on due_at: the plan reads
                // the state index in due order instead of sorting every past deadline.
                .filter(C::DueAt.lt(now));
        }
        Some(DeadlineState::Met) => q = q.filter(C::State.eq("MET")),
        Some(DeadlineState::Cancelled) => q = q.filter(C::State.eq("CANCELLED")),
        None => {}
    }
    if let Some(from) = filter.due_from {
        q = q.filter(C::DueAt.gte(from));
    }
    if let Some(before) = filter.due_before {
        q = q.filter(C::DueAt.lt(before));
    }
    if let Some(worker) = &filter.allocated_worker {
        q = q.filter(C::AllocatedWorker.eq(worker.clone()));
    }
    if let Some(code) = &filter.code {
        q = q.filter(C::Code.eq(code.clone()));
    }
    if let Some(level) = &filter.level {
        q = q.filter(C::Level.eq(level.clone()));
    }
    if let Some((due_at, id)) = after {
        // A row value, which both databases use as one index bound.
        q = q.filter(
            Expr::tuple([Expr::col(C::DueAt).into(), Expr::col(C::Id).into()])
                .gt(Expr::tuple([Expr::value(due_at), Expr::value(id)])),
        );
    }
    let q = q
        .order_by_asc(C::DueAt)
        .order_by_asc(C::Id)
        .limit(limit)
        .select_only()
        .columns([C::Id, C::DueAt, C::Body]);
    store.fetch(q.into_model()).await
}

/// How the deadlines of one kind stand, among those whose latest allowed time falls in a range.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct ComplianceCounts {
    pub code: String,
    pub met_on_time: i64,
    pub met_late: i64,
    pub overdue: i64,
    pub pending: i64,
    pub cancelled: i64,
}

/// Per kind, the deadlines whose latest allowed time is in `[from, before)`, counted by how
/// they stand at `now` (all milliseconds since the epoch). One aggregate query.
pub async fn compliance_counts(
    store: &Store,
    authority: &str,
    from: i64,
    before: i64,
    now: i64,
) -> Result<Vec<ComplianceCounts>, StorageError> {
    const SQL: &str = "SELECT code, \
        SUM(CASE WHEN state = 'MET' AND met_at <= late_at THEN 1 ELSE 0 END) AS met_on_time, \
        SUM(CASE WHEN state = 'MET' AND met_at > late_at THEN 1 ELSE 0 END) AS met_late, \
        SUM(CASE WHEN state = 'PENDING' AND late_at < $4 THEN 1 ELSE 0 END) AS overdue, \
        SUM(CASE WHEN state = 'PENDING' AND late_at >= $4 THEN 1 ELSE 0 END) AS pending, \
        SUM(CASE WHEN state = 'CANCELLED' THEN 1 ELSE 0 END) AS cancelled \
        FROM deadlines WHERE authority_code = $1 AND late_at >= $2 AND late_at < $3 \
        GROUP BY code ORDER BY code";
    store
        .fetch_sql(
            SQL,
            vec![authority.into(), from.into(), before.into(), now.into()],
        )
        .await
}

/// How many deadlines of a kind were late by a number of working days.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct LateCount {
    pub code: String,
    pub days_late: i64,
    pub n: i64,
}

/// Per kind, the late deadlines (met late, or overdue at `now`) whose latest allowed time is in
/// `[from, before)`, counted by working days late: for a met one, from its latest allowed day to
/// the day it was met; for an overdue one, to `today` (the working-day number of `now`'s
/// date). A histogram, from which the percentiles follow without reading every deadline.
pub async fn late_histogram(
    store: &Store,
    authority: &str,
    from: i64,
    before: i64,
    now: i64,
    today: i64,
) -> Result<Vec<LateCount>, StorageError> {
    const SQL: &str = "SELECT code, days_late, COUNT(*) AS n FROM ( \
        SELECT code, CASE WHEN state = 'MET' THEN met_day - late_day ELSE $5 - late_day END \
        AS days_late FROM deadlines \
        WHERE authority_code = $1 AND late_at >= $2 AND late_at < $3 \
        AND ((state = 'MET' AND met_at > late_at) OR (state = 'PENDING' AND late_at < $4)) \
        ) late GROUP BY code, days_late ORDER BY code, days_late";
    store
        .fetch_sql(
            SQL,
            vec![
                authority.into(),
                from.into(),
                before.into(),
                now.into(),
                today.into(),
            ],
        )
        .await
}

// ---------------------------------------------------------------------------------------------
// Panel agendas
// ---------------------------------------------------------------------------------------------

fn stored_agenda_items(
    q: Select<agenda_item::Entity>,
) -> sea_orm::Selector<sea_orm::SelectModel<Stored>> {
    use agenda_item::Column as C;
    q.select_only()
        .columns([C::Id, C::AuthorityCode, C::Version, C::Body])
        .column_as(none(), "referral_id")
        .column_as(none(), "case_id")
        .into_model()
}

pub async fn get_agenda_item(
    store: &Store,
    authority: &str,
    panel: &str,
    id: &str,
) -> Result<Option<Stored>, StorageError> {
    use agenda_item::Column as C;
    let q = agenda_item::Entity::find_by_id(id.to_owned())
        .filter(C::AuthorityCode.eq(authority))
        .filter(C::PanelCode.eq(panel));
    store.fetch_one(stored_agenda_items(q.limit(1))).await
}

/// A sitting's agenda in queue order: the items queued for or decided at `dates` (a panel that
/// meets as needed also lists its undated queue, `""`).
pub async fn list_agenda(
    store: &Store,
    authority: &str,
    panel: &str,
    dates: &[&str],
    limit: u64,
) -> Result<Vec<Stored>, StorageError> {
    use agenda_item::Column as C;
    let q = agenda_item::Entity::find()
        .filter(C::AuthorityCode.eq(authority))
        .filter(C::PanelCode.eq(panel))
        .filter(C::SittingDate.is_in(dates.iter().map(|d| (*d).to_owned())))
        .order_by_asc(C::Id)
        .limit(limit);
    store.fetch(stored_agenda_items(q)).await
}

// ---------------------------------------------------------------------------------------------
// The event stream
// ---------------------------------------------------------------------------------------------

/// An event-stream entry as read: its number in the authority's stream, and its body.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct StoredOutbox {
    pub seq: i64,
    pub body: Vec<u8>,
}

/// An authority's event-stream entries after `after`, in order.
pub async fn list_outbox(
    store: &Store,
    authority: &str,
    after: i64,
    limit: u64,
) -> Result<Vec<StoredOutbox>, StorageError> {
    use outbox_event::Column as C;
    let q = outbox_event::Entity::find()
        .filter(C::AuthorityCode.eq(authority))
        .filter(C::Seq.gt(after))
        .order_by_asc(C::Seq)
        .limit(limit)
        .select_only()
        .columns([C::Seq, C::Body]);
    store.fetch(q.into_model()).await
}

// ---------------------------------------------------------------------------------------------
// Reading the audit log
// ---------------------------------------------------------------------------------------------

/// Which audit rows a list wants.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only rows about this resource.
    pub resource: Option<String>,
    /// Only rows of this caller.
    pub subject: Option<String>,
}

/// An authority's audit rows after `after`, oldest first (on SQLite, from a reader thread).
pub async fn list_audit_events(
    store: &Store,
    authority: &str,
    filter: &AuditFilter,
    after: i64,
    limit: u64,
) -> Result<Vec<audit_event::Model>, StorageError> {
    use audit_event::Column as C;
    let mut q = audit_event::Entity::find()
        .filter(C::AuthorityCode.eq(authority))
        .filter(C::Seq.gt(after));
    if let Some(resource) = &filter.resource {
        q = q.filter(C::Resource.eq(resource.as_str()));
    }
    if let Some(subject) = &filter.subject {
        q = q.filter(C::Subject.eq(subject.as_str()));
    }
    store
        .fetch(q.order_by_asc(C::Seq).limit(limit).into_model())
        .await
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
