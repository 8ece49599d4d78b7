//! Continuum's domain rules that need no IO: resource names, page tokens, UK civil time, the UK
//! working-day calendar, deadline arithmetic and the field-violation collector used by validation.
//!
//! - [`calendar`]: the bank holidays of England and Wales, Scotland and Northern Ireland (statutory
//!   rules, a shipped table of one-off changes, and an operator's file in the gov.uk format) and
//!   working-day arithmetic over them, for the years 1995 to 2100.
//! - [`deadline`]: when a deadline falls, in hours, working days (skipping weekends and the
//!   division's bank holidays), calendar days, weeks or months.
//! - [`uk_time`]: UK civil time (GMT/BST).
//! - [`names`], [`page`], [`violations`]: resource names, page tokens, request validation.
//! - [`identity`], [`census`]: the child's NHS number and Unique Pupil Number, and the code sets
//!   of the DfE children in need census (referral source, primary need, reason for closure,
//!   factors at assessment, ethnicity, sex, disability).
//!
//! Nothing here reads a clock, a file, the network or a database: callers pass `now` in, and the
//! text of any calendar file.

pub mod calendar;
pub mod census;
pub mod deadline;
pub mod identity;
pub mod names;
pub mod page;
pub mod uk_time;
pub mod violations;

pub use violations::{FieldViolation, Violations};

/// Errors of the domain rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// The request is malformed; one violation per bad field.
    #[error("invalid request: {0}")]
    Invalid(Violations),
}

impl From<Violations> for DomainError {
    fn from(v: Violations) -> Self {
        DomainError::Invalid(v)
    }
}
