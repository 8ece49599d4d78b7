//! The v1 services.
//!
//! - `routes`: the tonic traits, which only route each RPC to its handler;
//! - `referrals`, `cases`, `meetings`, `authorities`: one handler module per service, each RPC a
//!   function `(state, ctx, request) -> Result<_, ApiError>`; `deadlines` holds CaseService's
//!   views across cases (ListDeadlines, GetComplianceSummary); no handler module imports another;
//! - `write`: the unit of work every write RPC goes through (`Change`, `write`);
//! - `records`: the stored record types and their row mapping (`Record`);
//! - `moves`: what happens to a case when it moves (the transition check, a request that waits,
//!   the move, a referral opening a case, a panel agenda item), shared by the RPCs that move one;
//! - `events`: EventService, the outbox read as an ordered stream (WatchEvents, ListEvents);
//! - `export`: ExportService, the DfE children's social care data flow from the event stream;
//! - `tracking`: deadlines as tracked objects (started, met, rolled forward, cancelled, overdue);
//! - `audit`: what each request names and returns for its audit row, and AuditService;
//! - `validate`: request field validators; `common`: helpers the handlers share;
//! - `fuzzing`: the body of the `decode_validate` fuzz target (bytes decoded and checked).

pub(crate) mod audit;
mod authorities;
mod cases;
mod common;
mod deadlines;
pub(crate) mod events;
mod export;
pub mod fuzzing;
mod meetings;
mod moves;
mod panels;
mod records;
mod referrals;
mod routes;
pub(crate) mod tracking;
mod validate;
mod write;

pub use routes::{
    AuditApi, AuthorityApi, CaseApi, EventApi, ExportApi, MeetingApi, PanelApi, ReferralApi,
};
