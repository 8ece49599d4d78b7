//! The v1 services.
//!
//! - `routes`: the tonic traits, which only route each RPC to its handler;
//! - `referrals`, `cases`, `meetings`, `authorities`: one handler module per service, each RPC a
//!   function `(state, ctx, request) -> Result<_, ApiError>`; no handler module imports another;
//! - `write`: the unit of work every write RPC goes through (`Change`, `write`);
//! - `records`: the stored record types and their row mapping (`Record`);
//! - `validate`: request field validators; `common`: helpers the handlers share.

mod authorities;
mod cases;
mod common;
mod meetings;
mod records;
mod referrals;
mod routes;
mod validate;
mod write;

pub use routes::{AuthorityApi, CaseApi, MeetingApi, ReferralApi};
