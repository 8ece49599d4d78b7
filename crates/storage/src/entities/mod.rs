//! sea-orm entities, one per table (see `migrations/`). `body` columns hold the protobuf
//! encoding of the v1 API message; the other columns are what queries filter and order on.

pub mod agenda_item;
pub mod audit_event;
pub mod authority_sequence;
pub mod case;
pub mod chain_head;
pub mod deadline;
pub mod event;
pub mod idempotency_key;
pub mod meeting;
pub mod outbox_event;
pub mod referral;
