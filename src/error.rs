//! The one mapping from the service's errors to `tonic::Status`, with google.rpc details:
//! BadRequest field violations for INVALID_ARGUMENT, PreconditionFailure for
//! FAILED_PRECONDITION, bounded so that a refusal always fits in the headers it travels in.

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

/// How much a refusal may say. It travels in HTTP/2 headers (grpc-message and
/// grpc-status-details-bin), which clients cap (16 KiB in hyper's, 8 KiB in grpc-java's), while
/// a request may hold megabytes and thousands of bad fields and a description may quote what was
/// sent. Past these bounds a text loses its middle (its start and its explanation at the end
/// stay), and the details stop listing violations: the message says how many more there were.
const MAX_MESSAGE: usize = 1_000;
const MAX_FIELD: usize = 200;
const MAX_DESCRIPTION: usize = 500;
const MAX_DETAILS: usize = 3_000;

/// `text`, or its start and end around an ellipsis when it is longer than `max` bytes.
fn elide(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut head = max / 2;
    while !text.is_char_boundary(head) {
        head -= 1;
    }
    let mut tail = text.len() - max / 2;
    while !text.is_char_boundary(tail) {
        tail += 1;
    }
    format!("{} … {}", &text[..head], &text[tail..])
}

/// The first `(field, description)` pairs that fit in [`MAX_DETAILS`] (at least one), each
/// bounded, and how many were left out.
fn bounded<'a>(
    items: impl ExactSizeIterator<Item = (&'a str, &'a str)>,
) -> (Vec<(String, String)>, usize) {
    let total = items.len();
    let mut shown = Vec::new();
    let mut room = MAX_DETAILS;
    for (field, description) in items {
        let (field, description) = (elide(field, MAX_FIELD), elide(description, MAX_DESCRIPTION));
        let size = field.len() + description.len();
        if !shown.is_empty() && size > room {
            break;
        }
        room = room.saturating_sub(size);
        shown.push((field, description));
    }
    let left_out = total - shown.len();
    (shown, left_out)
}

/// `message`, saying how many items the details left out, bounded.
fn message(message: String, left_out: usize) -> String {
    let message = match left_out {
        0 => message,
        n => format!("{message} (and {n} more)"),
    };
    elide(&message, MAX_MESSAGE)
}

impl From<ApiError> for Status {
    fn from(error: ApiError) -> Status {
        let code = error.code();
        match error {
            ApiError::Invalid(violations) => {
                let items = violations.0.iter();
                let (shown, left_out) =
                    bounded(items.map(|v| (v.field.as_str(), v.description.as_str())));
                let mut details = ErrorDetails::new();
                let mut listed = Vec::new();
                for (field, description) in shown {
                    listed.push(format!("{field}: {description}"));
                    details.add_bad_request_violation(field, description);
                }
                let text = format!("invalid argument: {}", listed.join("; "));
                Status::with_error_details(code, message(text, left_out), details)
            }
            ApiError::FailedPrecondition { summary, unmet } => {
                let (shown, left_out) = bounded(
                    unmet
                        .iter()
                        .map(|u| (u.kind.as_str(), u.description.as_str())),
                );
                let mut details = ErrorDetails::new();
                for ((kind, description), u) in shown.into_iter().zip(&unmet) {
                    details.add_precondition_failure_violation(
                        kind,
                        elide(&u.subject, MAX_FIELD),
                        description,
                    );
                }
                Status::with_error_details(code, message(summary, left_out), details)
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
            other => Status::new(code, message(other.to_string(), 0)),
        }
    }
}
