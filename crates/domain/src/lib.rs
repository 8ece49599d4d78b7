//! Continuum's domain rules that need no IO: resource names, page tokens, UK civil time,
//! deadline arithmetic and the field-violation collector used by validation.
//!
//! Nothing here reads a clock, a file, the network or a database: callers pass `now` in.

pub mod deadline;
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
