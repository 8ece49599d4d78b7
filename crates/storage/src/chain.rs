//! Hash chains: what makes the audit log and the case history tamper-evident.
//!
//! Each authority has two chains, `audit/{authority}` (the rows of `audit_events`) and
//! `history/{authority}` (the rows of `events`). A row's number in its chain counts from 1
//! without gaps, and its hash is SHA-256 over the previous row's hash and the row's own
//! content, each field length-prefixed. `chain_heads` keeps each chain's last number and hash;
//! a change set appends to a chain while it holds the head row (locked until it commits), so
//! the chain's order is its commit order.
//!
//! [`verify`] walks every chain and names the first row whose number or hash does not follow:
//! an edited row (its hash no longer matches its content), a deleted one (a gap, or a head
//! beyond the last row) or a reordered one (its hash does not follow the row before it).
//! A rewrite of a whole chain's tail together with its head is not detectable from inside the
//! database: record the head hashes `verify` prints somewhere else to anchor them.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{
    Expr, InsertStatement, OnConflict, PostgresQueryBuilder, Query, SqliteQueryBuilder,
    UpdateStatement, Values,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use sha2::{Digest, Sha256};

use crate::entities::{audit_event, chain_head, event};
use crate::write::NewEvent;
use crate::{StorageError, Store};

/// The hash "before" a chain's first row.
pub const GENESIS: &str = "";

/// One access to record in an authority's audit chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub authority_code: String,
    pub recorded_at: DateTime<Utc>,
    pub request_id: String,
    pub subject: String,
    pub role: String,
    pub method: String,
    pub resource: String,
    /// The records returned or written.
    pub returned: Vec<String>,
    /// The gRPC status code's name.
    pub outcome: String,
}

/// The instant as stored: whole microseconds (PostgreSQL's precision), so a hash computed
/// before a write is the hash of what is read back.
pub fn stored_instant(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(t.timestamp_micros()).unwrap_or(t)
}

/// SHA-256 over length-prefixed fields.
struct Hasher(Sha256);

impl Hasher {
    fn new(previous: &str) -> Hasher {
        let mut h = Hasher(Sha256::new());
        h.field(previous.as_bytes());
        h
    }

    fn field(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    fn int(&mut self, n: i64) -> &mut Self {
        self.field(&n.to_le_bytes())
    }

    fn optional(&mut self, s: Option<&str>) -> &mut Self {
        match s {
            Some(s) => self.int(1).field(s.as_bytes()),
            None => self.int(0),
        }
    }

    fn finish(&mut self) -> String {
        let digest = std::mem::take(&mut self.0).finalize();
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// The hash of an audit row that follows a row hashed `previous`.
pub fn audit_hash(previous: &str, row: &audit_event::Model) -> String {
    Hasher::new(previous)
        .field(row.authority_code.as_bytes())
        .int(row.seq)
        .int(row.recorded_at.timestamp_micros())
        .field(row.request_id.as_bytes())
        .field(row.subject.as_bytes())
        .field(row.role.as_bytes())
        .field(row.method.as_bytes())
        .field(row.resource.as_bytes())
        .field(row.returned.as_bytes())
        .field(row.outcome.as_bytes())
        .finish()
}

/// The hash of a history event numbered `chain_seq` that follows a row hashed `previous`.
pub fn event_hash(previous: &str, chain_seq: i64, row: &event::Model) -> String {
    Hasher::new(previous)
        .field(row.authority_code.as_bytes())
        .int(chain_seq)
        .optional(row.referral_id.as_deref())
        .optional(row.case_id.as_deref())
        .field(row.kind.as_bytes())
        .int(row.occurred_at.timestamp_micros())
        .field(&row.body)
        .finish()
}

/// Rows to append to one chain, inside a change set's transaction.
#[derive(Debug, Clone)]
pub(crate) struct Append {
    chain: String,
    rows: Rows,
}

#[derive(Debug, Clone)]
enum Rows {
    Audit(Vec<AuditEntry>),
    History(Vec<NewEvent>),
}

/// The chain appends for a change set's history events and audit entries: one per authority
/// and log, history first, each kind in the order of its chain's name (so two transactions
/// take chain heads in the same order).
pub(crate) fn appends(events: Vec<NewEvent>, audit: Vec<AuditEntry>) -> Vec<Append> {
    let mut history: std::collections::BTreeMap<String, Vec<NewEvent>> = Default::default();
    for e in events {
        history
            .entry(format!("history/{}", e.authority_code))
            .or_default()
            .push(e);
    }
    let mut audits: std::collections::BTreeMap<String, Vec<AuditEntry>> = Default::default();
    for e in audit {
        audits
            .entry(format!("audit/{}", e.authority_code))
            .or_default()
            .push(e);
    }
    let history = history.into_iter().map(|(chain, rows)| Append {
        chain,
        rows: Rows::History(rows),
    });
    let audits = audits.into_iter().map(|(chain, rows)| Append {
        chain,
        rows: Rows::Audit(rows),
    });
    history.chain(audits).collect()
}

impl Append {
    /// Whether these are audit rows (appended last in a transaction).
    pub fn is_audit(&self) -> bool {
        matches!(self.rows, Rows::Audit(_))
    }
}

/// A statement in one dialect.
pub(crate) type Sql = (String, Values);

impl Append {
    /// Takes the chain's head: creates it if the chain has none yet, and answers its
    /// `(seq, hash)`. The row stays locked until the transaction ends (on SQLite the one writer
    /// holds the whole database anyway).
    pub fn take_head(&self, backend: DbBackend) -> Sql {
        use chain_head::Column as C;
        let q = Query::insert()
            .into_table(chain_head::Entity)
            .columns([C::Chain, C::Seq, C::Hash])
            .values_panic([self.chain.clone().into(), 0i64.into(), GENESIS.into()])
            .on_conflict(
                OnConflict::column(C::Chain)
                    .value(C::Seq, Expr::col((chain_head::Entity, C::Seq)))
                    .to_owned(),
            )
            .returning(Query::returning().columns([C::Seq, C::Hash]))
            .to_owned();
        build_insert(&q, backend)
    }

    /// The statements that append the rows after a head at `(seq, hash)`: the rows, then the
    /// head moved to the last of them.
    pub fn statements(&self, seq: i64, hash: String, backend: DbBackend) -> Vec<Sql> {
        let mut seq = seq;
        let mut hash = hash;
        let mut out = Vec::new();
        match &self.rows {
            Rows::Audit(entries) => {
                let mut insert = audit_event::Entity::insert_many(entries.iter().map(|e| {
                    seq += 1;
                    let mut row = audit_event::Model {
                        authority_code: e.authority_code.clone(),
                        seq,
                        recorded_at: stored_instant(e.recorded_at),
                        request_id: e.request_id.clone(),
                        subject: e.subject.clone(),
                        role: e.role.clone(),
                        method: e.method.clone(),
                        resource: e.resource.clone(),
                        returned: e.returned.join("\n"),
                        outcome: e.outcome.clone(),
                        hash: String::new(),
                    };
                    row.hash = audit_hash(&hash, &row);
                    hash.clone_from(&row.hash);
                    sea_orm::IntoActiveModel::into_active_model(row)
                }));
                out.push(build_insert(
                    sea_orm::QueryTrait::query(&mut insert),
                    backend,
                ));
            }
            Rows::History(events) => {
                use sea_orm::ActiveValue::{NotSet, Set};
                let mut insert = event::Entity::insert_many(events.iter().map(|e| {
                    seq += 1;
                    let row = event::Model {
                        seq: 0,
                        authority_code: e.authority_code.clone(),
                        referral_id: e.referral_id.clone(),
                        case_id: e.case_id.clone(),
                        kind: e.kind.clone(),
                        occurred_at: stored_instant(e.occurred_at),
                        body: e.body.clone(),
                        chain_seq: Some(seq),
                        hash: None,
                    };
                    hash = event_hash(&hash, seq, &row);
                    event::ActiveModel {
                        seq: NotSet,
                        authority_code: Set(row.authority_code),
                        referral_id: Set(row.referral_id),
                        case_id: Set(row.case_id),
                        kind: Set(row.kind),
                        occurred_at: Set(row.occurred_at),
                        body: Set(row.body),
                        chain_seq: Set(row.chain_seq),
                        hash: Set(Some(hash.clone())),
                    }
                }));
                out.push(build_insert(
                    sea_orm::QueryTrait::query(&mut insert),
                    backend,
                ));
            }
        }
        out.push(build_update(&head_update(&self.chain, seq, &hash), backend));
        out
    }
}

fn head_update(chain: &str, seq: i64, hash: &str) -> UpdateStatement {
    use chain_head::Column as C;
    Query::update()
        .table(chain_head::Entity)
        .value(C::Seq, seq)
        .value(C::Hash, hash)
        .and_where(Expr::col(C::Chain).eq(chain))
        .to_owned()
}

fn build_insert(q: &InsertStatement, backend: DbBackend) -> Sql {
    match backend {
        DbBackend::Postgres => q.build(PostgresQueryBuilder),
        _ => q.build(SqliteQueryBuilder),
    }
}

fn build_update(q: &UpdateStatement, backend: DbBackend) -> Sql {
    match backend {
        DbBackend::Postgres => q.build(PostgresQueryBuilder),
        _ => q.build(SqliteQueryBuilder),
    }
}

// ---------------------------------------------------------------------------------------------
// Verification
// ---------------------------------------------------------------------------------------------

/// What [`verify`] found in one chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainCheck {
    /// `audit/{authority}` or `history/{authority}`.
    pub chain: String,
    /// Rows checked.
    pub rows: u64,
    /// The head as `chain_heads` records it.
    pub head_seq: i64,
    pub head_hash: String,
    /// The first row that does not follow, named, and why; `None` if the chain is intact.
    pub problem: Option<String>,
}

/// How many rows [`verify`] reads at a time.
const VERIFY_PAGE: u64 = 5000;

/// Walk every chain (of one authority, or all) and check each row follows the one before.
pub async fn verify(
    store: &Store,
    authority: Option<&str>,
) -> Result<Vec<ChainCheck>, StorageError> {
    let db = store.db();
    let mut heads = chain_head::Entity::find().order_by_asc(chain_head::Column::Chain);
    if let Some(a) = authority {
        heads = heads.filter(
            chain_head::Column::Chain
                .eq(format!("audit/{a}"))
                .or(chain_head::Column::Chain.eq(format!("history/{a}"))),
        );
    }
    let mut checks = Vec::new();
    for head in heads.all(db).await? {
        let check = match head.chain.split_once('/') {
            Some(("audit", a)) => verify_audit(db, a, &head).await?,
            Some(("history", a)) => verify_history(db, a, &head).await?,
            _ => ChainCheck {
                chain: head.chain.clone(),
                rows: 0,
                head_seq: head.seq,
                head_hash: head.hash.clone(),
                problem: Some("unknown chain".into()),
            },
        };
        checks.push(check);
    }
    Ok(checks)
}

/// Follows a chain row by row: the next number expected and the last hash.
struct Walk {
    check: ChainCheck,
    next: i64,
    hash: String,
}

impl Walk {
    fn new(head: &chain_head::Model) -> Walk {
        Walk {
            check: ChainCheck {
                chain: head.chain.clone(),
                rows: 0,
                head_seq: head.seq,
                head_hash: head.hash.clone(),
                problem: None,
            },
            next: 1,
            hash: GENESIS.to_owned(),
        }
    }

    /// One row, named `name`, numbered `seq`, stored with `stored` and hashing to `computed`
    /// after the previous row. False once a problem is found.
    fn row(&mut self, name: &str, seq: i64, stored: &str, computed: String) -> bool {
        self.check.rows += 1;
        let problem = if seq > self.next {
            Some(format!(
                "{name}: rows {} to {} are missing (deleted)",
                self.next,
                seq - 1
            ))
        } else if seq < self.next {
            Some(format!(
                "{name}: number {seq} appears twice or out of order"
            ))
        } else if computed != stored {
            Some(format!(
                "{name}: its hash does not match its content and the row before it (edited, or \
                 moved from another place in the chain)"
            ))
        } else {
            None
        };
        if problem.is_some() {
            self.check.problem = problem;
            return false;
        }
        self.next = seq + 1;
        self.hash = computed;
        true
    }

    fn finish(mut self, what: &str) -> ChainCheck {
        if self.check.problem.is_none() {
            let last = self.next - 1;
            if self.check.head_seq != last {
                self.check.problem = Some(format!(
                    "{what}: the chain's head says {} rows, {} found (rows after {last} deleted)",
                    self.check.head_seq, last
                ));
            } else if self.check.head_hash != self.hash {
                self.check.problem = Some(format!(
                    "{what}: the chain's head hash does not match its last row {last}"
                ));
            }
        }
        self.check
    }
}

/// A row of a chain, as [`walk`] checks it.
trait ChainRow {
    /// Its number in the chain.
    fn position(&self) -> i64;
    fn stored_hash(&self) -> &str;
    /// Its hash, following a row hashed `previous`.
    fn hash_after(&self, previous: &str) -> String;
    /// How a report names it.
    fn name(&self, authority: &str) -> String;
}

impl ChainRow for audit_event::Model {
    fn position(&self) -> i64 {
        self.seq
    }
    fn stored_hash(&self) -> &str {
        &self.hash
    }
    fn hash_after(&self, previous: &str) -> String {
        audit_hash(previous, self)
    }
    fn name(&self, authority: &str) -> String {
        format!("authorities/{authority}/auditEvents/{}", self.seq)
    }
}

impl ChainRow for event::Model {
    fn position(&self) -> i64 {
        self.chain_seq.unwrap_or_default()
    }
    fn stored_hash(&self) -> &str {
        self.hash.as_deref().unwrap_or_default()
    }
    fn hash_after(&self, previous: &str) -> String {
        event_hash(previous, self.position(), self)
    }
    fn name(&self, authority: &str) -> String {
        format!(
            "history event {} of authorities/{authority} (events.seq {})",
            self.position(),
            self.seq
        )
    }
}

/// Walk a chain page by page (`page(after)`: its rows after a position, in order) and check
/// each row follows the one before.
async fn walk<R: ChainRow>(
    head: &chain_head::Model,
    authority: &str,
    what: String,
    mut page: impl AsyncFnMut(i64) -> Result<Vec<R>, StorageError>,
) -> Result<ChainCheck, StorageError> {
    let mut walk = Walk::new(head);
    let mut after = 0i64;
    'pages: loop {
        let rows = page(after).await?;
        let Some(last) = rows.last() else { break };
        after = last.position();
        for row in &rows {
            let computed = row.hash_after(&walk.hash);
            if !walk.row(
                &row.name(authority),
                row.position(),
                row.stored_hash(),
                computed,
            ) {
                break 'pages;
            }
        }
    }
    Ok(walk.finish(&what))
}

async fn verify_audit(
    db: &impl ConnectionTrait,
    authority: &str,
    head: &chain_head::Model,
) -> Result<ChainCheck, StorageError> {
    use audit_event::Column as C;
    let what = format!("authorities/{authority}/auditEvents");
    walk(head, authority, what, async |after| {
        Ok(audit_event::Entity::find()
            .filter(C::AuthorityCode.eq(authority))
            .filter(C::Seq.gt(after))
            .order_by_asc(C::Seq)
            .limit(VERIFY_PAGE)
            .all(db)
            .await?)
    })
    .await
}

async fn verify_history(
    db: &impl ConnectionTrait,
    authority: &str,
    head: &chain_head::Model,
) -> Result<ChainCheck, StorageError> {
    use event::Column as C;
    let what = format!("authorities/{authority} history");
    walk(head, authority, what, async |after| {
        Ok(event::Entity::find()
            .filter(C::AuthorityCode.eq(authority))
            .filter(C::ChainSeq.gt(after))
            .order_by_asc(C::ChainSeq)
            .limit(VERIFY_PAGE)
            .all(db)
            .await?)
    })
    .await
}
