//! The audit log: what each request names and returns, for the row `AppState::handle` (reads,
//! refusals) or the unit of work (writes) records; and AuditService, the log read back by an
//! authority's auditors.
//!
//! Every RPC that reads or changes a child's record is audited. AuthorityService is not: it
//! answers from an authority's published procedures and holds no child's record.

use continuum_domain::Violations;
use continuum_storage::{self as storage, AuditFilter};

use super::common::{PageRequest, parent_authority};
use crate::AppState;
use crate::auth::Role;
use crate::error::ApiError;
use crate::pb;
use crate::state::Ctx;

/// What a request is about, for its audit row.
pub(crate) trait AuditTarget {
    /// The resource the request names (a record, or the parent of a list); `None` for a request
    /// that touches no child's record, which is not audited.
    fn audit_target(&self) -> Option<&str>;
}

/// What an answer returned, for its audit row.
pub(crate) trait AuditReturned {
    /// The names of the records in the answer.
    fn audit_returned(&self) -> Vec<String>;
}

macro_rules! target {
    ($($request:ty => $field:ident),* $(,)?) => {
        $(impl AuditTarget for $request {
            fn audit_target(&self) -> Option<&str> {
                Some(&self.$field)
            }
        })*
    };
}

macro_rules! not_audited {
    ($($request:ty),* $(,)?) => {
        $(impl AuditTarget for $request {
            fn audit_target(&self) -> Option<&str> {
                None
            }
        })*
    };
}

macro_rules! returns_one {
    ($($response:ty),* $(,)?) => {
        $(impl AuditReturned for $response {
            fn audit_returned(&self) -> Vec<String> {
                vec![self.name.clone()]
            }
        })*
    };
}

macro_rules! returns_list {
    ($($response:ty => $field:ident),* $(,)?) => {
        $(impl AuditReturned for $response {
            fn audit_returned(&self) -> Vec<String> {
                self.$field.iter().map(|r| r.name.clone()).collect()
            }
        })*
    };
}

macro_rules! returns_none {
    ($($response:ty),* $(,)?) => {
        $(impl AuditReturned for $response {
            fn audit_returned(&self) -> Vec<String> {
                Vec::new()
            }
        })*
    };
}

target!(
    pb::CreateReferralRequest => parent,
    pb::GetReferralRequest => name,
    pb::ListReferralsRequest => parent,
    pb::ScreenReferralRequest => name,
    pb::DecideReferralRequest => name,
    pb::GetCaseRequest => name,
    pb::ListCasesRequest => parent,
    pb::AllocateCaseRequest => name,
    pb::UpdateTeamRequest => name,
    pb::RecordContactRequest => name,
    pb::RecordConcernRequest => name,
    pb::UpdatePlanRequest => name,
    pb::TransitionCaseRequest => name,
    pb::RecordAssessmentRequest => name,
    pb::DecideTransitionRequestRequest => name,
    pb::ListCaseEventsRequest => name,
    pb::ListDeadlinesRequest => parent,
    pb::GetComplianceSummaryRequest => authority,
    pb::ScheduleMeetingRequest => parent,
    pb::RecordMeetingOutcomeRequest => name,
    pb::ListMeetingsRequest => parent,
    pb::ListPanelSittingsRequest => parent,
    pb::GetPanelSittingRequest => name,
    pb::RecordPanelDecisionRequest => item,
    pb::WatchEventsRequest => parent,
    pb::ListEventsRequest => parent,
    pb::ExportChildrenRequest => parent,
    pb::ListAuditEventsRequest => parent,
);

not_audited!(
    pb::ListAuthoritiesRequest,
    pb::GetAuthorityRequest,
    pb::AssessThresholdRequest,
    pb::RouteContactRequest,
    pb::GetNextPanelSittingRequest,
    pb::PreviewTimescalesRequest,
    pb::CheckTransitionRequest,
    pb::ListStatutoryCodesRequest,
);

returns_one!(pb::Referral, pb::Case, pb::Meeting, pb::AgendaItem);

returns_list!(
    pb::ListReferralsResponse => referrals,
    pb::DecideReferralResponse => cases,
    pb::ListCasesResponse => cases,
    pb::ListMeetingsResponse => meetings,
    pb::ListDeadlinesResponse => deadlines,
    pb::ListPanelSittingsResponse => sittings,
    pb::ListAuditEventsResponse => audit_events,
);

returns_none!(
    // The case's own history: the request names the case.
    pb::ListCaseEventsResponse,
    // Counts, no records.
    pb::ComplianceSummary,
    // Pseudonymous children (the count is in the answer; the cursor range in the request).
    pb::ExportChildrenResponse,
    // A stream: audited when it opens.
    super::events::EventStream,
    pb::ListAuthoritiesResponse,
    pb::Authority,
    pb::AssessThresholdResponse,
    pb::RouteContactResponse,
    pb::GetNextPanelSittingResponse,
    pb::PreviewTimescalesResponse,
    pb::CheckTransitionResponse,
    pb::ListStatutoryCodesResponse,
);

impl AuditReturned for pb::PanelSitting {
    fn audit_returned(&self) -> Vec<String> {
        self.agenda.iter().map(|item| item.name.clone()).collect()
    }
}

impl AuditReturned for pb::ListEventsResponse {
    fn audit_returned(&self) -> Vec<String> {
        self.events.iter().map(|e| e.resource.clone()).collect()
    }
}

/// A status code's canonical name, as the audit log records an outcome.
pub(crate) fn code_name(code: tonic::Code) -> &'static str {
    use tonic::Code as C;
    match code {
        C::Ok => "OK",
        C::Cancelled => "CANCELLED",
        C::Unknown => "UNKNOWN",
        C::InvalidArgument => "INVALID_ARGUMENT",
        C::DeadlineExceeded => "DEADLINE_EXCEEDED",
        C::NotFound => "NOT_FOUND",
        C::AlreadyExists => "ALREADY_EXISTS",
        C::PermissionDenied => "PERMISSION_DENIED",
        C::ResourceExhausted => "RESOURCE_EXHAUSTED",
        C::FailedPrecondition => "FAILED_PRECONDITION",
        C::Aborted => "ABORTED",
        C::OutOfRange => "OUT_OF_RANGE",
        C::Unimplemented => "UNIMPLEMENTED",
        C::Internal => "INTERNAL",
        C::Unavailable => "UNAVAILABLE",
        C::DataLoss => "DATA_LOSS",
        C::Unauthenticated => "UNAUTHENTICATED",
    }
}

/// The longest `resource` or `subject` filter.
const MAX_FILTER: usize = 200;

pub async fn list(
    state: &AppState,
    ctx: Ctx,
    r: pb::ListAuditEventsRequest,
) -> Result<pb::ListAuditEventsResponse, ApiError> {
    if ctx.caller.role != Role::Auditor {
        return Err(ApiError::PermissionDenied(
            "only the auditor role may read the audit log".into(),
        ));
    }
    let authority = parent_authority(&ctx.caller, "parent", &r.parent)?;
    let mut v = Violations::new();
    v.text(&r.resource, "resource", MAX_FILTER, false);
    v.text(&r.subject, "subject", MAX_FILTER, false);
    let filter_key = format!("audit|{}|{}|{}", r.parent, r.resource, r.subject);
    let page = PageRequest::read(r.page_size, &r.page_token, &filter_key, &mut v);
    let after = match page.after.as_deref().map(str::parse::<i64>) {
        None => 0,
        Some(Ok(seq)) if seq >= 0 => seq,
        Some(_) => {
            v.add("page_token", "is not a page token this service issued");
            0
        }
    };
    v.into_result()?;
    let filter = AuditFilter {
        resource: Some(r.resource).filter(|s| !s.is_empty()),
        subject: Some(r.subject).filter(|s| !s.is_empty()),
    };
    let rows =
        storage::list_audit_events(state.store(), &authority, &filter, after, page.limit()).await?;
    let (rows, next_page_token) = page.finish(rows, |last| last.seq.to_string());
    let audit_events = rows
        .into_iter()
        .map(|row| pb::AuditEvent {
            name: format!("authorities/{authority}/auditEvents/{}", row.seq),
            sequence: row.seq,
            record_time: Some(crate::convert::timestamp(row.recorded_at)),
            request_id: row.request_id,
            subject: row.subject,
            role: row.role,
            method: row.method,
            resource: row.resource,
            returned: row
                .returned
                .split('\n')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            outcome: row.outcome,
            hash: row.hash,
        })
        .collect();
    Ok(pb::ListAuditEventsResponse {
        audit_events,
        next_page_token,
    })
}
