//! The one mapping from the service's errors to `tonic::Status`, with google.rpc details:
//! BadRequest field violations for INVALID_ARGUMENT, PreconditionFailure for
//! FAILED_PRECONDITION.

use continuum_domain::Violations;
use continuum_plugin_api::PluginError;
use continuum_storage::StorageError;
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};

/// A precondition the authority's rules (or the record's state) require and that is not met.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmet {
    /// e.g. a plugin rule id ("CAR-STEP-DOWN-8-WEEKS") or "STATE".
    pub kind: String,
    /// What it is about: for a rule, its citation ("shared/seeds/... § section").
    pub subject: String,
    pub description: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("invalid argument: {0}")]
    Invalid(Violations),
    #[error("{0} not found")]
    NotFound(String),
    #[error("{summary}")]
    FailedPrecondition { summary: String, unmet: Vec<Unmet> },
    #[error("{0}")]
    Aborted(String),
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{0}")]
    PermissionDenied(String),
    /// A position before the start of what is kept (an event cursor older than the history).
    #[error("{0}")]
    OutOfRange(String),
    /// The service cannot complete the request now (its database is unreachable, say); retry.
    #[error("{0}")]
    Unavailable(String),
    #[error("the authority's plugin failed: {0}")]
    Plugin(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("{0}")]
    Internal(String),
}

impl ApiError {
    pub fn invalid(field: impl Into<String>, description: impl Into<String>) -> Self {
        ApiError::Invalid(Violations::one(field, description))
    }

    pub fn precondition(
        summary: impl Into<String>,
        kind: &str,
        description: impl Into<String>,
    ) -> Self {
        let summary = summary.into();
        ApiError::FailedPrecondition {
            unmet: vec![Unmet {
                kind: kind.into(),
                subject: String::new(),
                description: description.into(),
            }],
            summary,
        }
    }

    /// A plugin's answer to a request: an invalid request names the field under `prefix`.
    pub fn from_plugin(error: PluginError, prefix: &str) -> Self {
        match error {
            PluginError::InvalidRequest { field, message } => {
                let field = match (prefix.is_empty(), field.is_empty()) {
                    (true, _) => field,
                    (false, true) => prefix.to_owned(),
                    (false, false) => format!("{prefix}.{field}"),
                };
                ApiError::invalid(field, message)
            }
            PluginError::Failed(message) => ApiError::Plugin(message),
        }
    }

    pub fn code(&self) -> Code {
        match self {
            ApiError::Invalid(_) => Code::InvalidArgument,
            ApiError::NotFound(_) => Code::NotFound,
            ApiError::FailedPrecondition { .. } => Code::FailedPrecondition,
            ApiError::Aborted(_) => Code::Aborted,
            ApiError::Unauthenticated(_) => Code::Unauthenticated,
            ApiError::PermissionDenied(_) => Code::PermissionDenied,
            ApiError::OutOfRange(_) => Code::OutOfRange,
            ApiError::Unavailable(_) => Code::Unavailable,
            ApiError::Storage(e) if e.is_unavailable() => Code::Unavailable,
            ApiError::Plugin(_) | ApiError::Storage(_) | ApiError::Internal(_) => Code::Internal,
        }
    }
}

impl From<Violations> for ApiError {
    fn from(v: Violations) -> Self {
        ApiError::Invalid(v)
    }
}

impl From<ApiError> for Status {
    fn from(error: ApiError) -> Status {
        let code = error.code();
        match error {
            ApiError::Invalid(violations) => {
                let mut details = ErrorDetails::new();
                for v in &violations.0 {
                    details.add_bad_request_violation(v.field.clone(), v.description.clone());
                }
                Status::with_error_details(code, format!("invalid argument: {violations}"), details)
            }
            ApiError::FailedPrecondition { summary, unmet } => {
                let mut details = ErrorDetails::new();
                for u in &unmet {
                    details.add_precondition_failure_violation(
                        u.kind.clone(),
                        u.subject.clone(),
                        u.description.clone(),
                    );
                }
                Status::with_error_details(code, summary, details)
            }
            ApiError::Storage(e) => {
                // Details stay in the log; the caller learns only that it failed.
                tracing::error!(error = %e, "storage failure");
                if code == Code::Unavailable {
                    Status::new(
                        code,
                        "the database is unavailable: nothing was done; retry with backoff",
                    )
                } else {
                    Status::new(code, "internal error: the request was not completed")
                }
            }
            other => Status::new(code, other.to_string()),
        }
    }
}
