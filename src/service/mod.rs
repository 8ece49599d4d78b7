//! The v1 services. Each RPC is a free function `(state, caller, request) -> Result<_, ApiError>`;
//! the tonic traits below only route to them through `AppState::handle`.

mod authorities;
mod cases;
mod meetings;
mod referrals;

use chrono::{DateTime, Utc};
use continuum_domain::{Violations, deadline, names, page};
use continuum_plugin_api::Authority;
use continuum_plugin_api::pb::{
    AuthorityDescription, CaseEvent as PluginCaseEvent, TimescaleRequest,
};
use continuum_plugin_host::DynamicPlugin;
use continuum_storage::{self as storage, NewEvent, idempotency_key};
use prost::Message;
use sea_orm::ConnectionTrait;
use sha2::{Digest, Sha256};
use tonic::{Request, Response, Status};

use crate::AppState;
use crate::auth::Caller;
use crate::convert::{timestamp, unit};
use crate::error::ApiError;
use crate::pb;

/// The longest `request_id` accepted.
const MAX_REQUEST_ID: usize = 128;

/// NOT_FOUND unless the record belongs to the caller's authority: another authority's record
/// answers exactly as a missing one.
fn own(caller: &Caller, authority: &str, name: &str) -> Result<(), ApiError> {
    if caller.authority == authority {
        Ok(())
    } else {
        Err(ApiError::NotFound(name.to_owned()))
    }
}

/// The caller's authority named by a `parent` field (`authorities/{code}`).
fn parent_authority(caller: &Caller, field: &str, parent: &str) -> Result<String, ApiError> {
    let name = names::parse_authority(field, parent)?;
    own(caller, &name.authority, parent)?;
    Ok(name.authority)
}

fn etag(version: i64) -> String {
    format!("v{version}")
}

/// An etag sent by the caller must be the current one; `required` makes it mandatory.
fn check_etag(field: &str, given: &str, version: i64, required: bool) -> Result<(), ApiError> {
    if given.is_empty() {
        return if required {
            Err(ApiError::invalid(
                field,
                "is required: send the etag you read",
            ))
        } else {
            Ok(())
        };
    }
    if given == etag(version) {
        Ok(())
    } else {
        Err(ApiError::Aborted(format!(
            "etag {given:?} is stale: the record changed since it was read (now {:?}); read it again and retry",
            etag(version)
        )))
    }
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

fn decode<M: Message + Default>(bytes: &[u8]) -> Result<M, ApiError> {
    M::decode(bytes)
        .map_err(|e| ApiError::Internal(format!("a stored record does not decode: {e}")))
}

fn plugin_ref(d: &AuthorityDescription) -> pb::PluginRef {
    pb::PluginRef {
        name: d.plugin_name.clone(),
        version: d.plugin_version.clone(),
    }
}

fn validate_request_id(request_id: &str, violations: &mut Violations) {
    violations.check(
        request_id.len() <= MAX_REQUEST_ID && !request_id.chars().any(char::is_control),
        "request_id",
        format!("must be at most {MAX_REQUEST_ID} printable characters"),
    );
}

/// A fingerprint of a request, `request_id` excluded (the caller clears it first).
fn request_hash(message: &impl Message) -> String {
    let digest = Sha256::digest(message.encode_to_vec());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// If this `request_id` was served before: the resource it produced (same request) or
/// INVALID_ARGUMENT (a different request under the same id).
async fn replay(
    c: &impl ConnectionTrait,
    caller: &Caller,
    request_id: &str,
    method: &str,
    hash: &str,
) -> Result<Option<String>, ApiError> {
    if request_id.is_empty() {
        return Ok(None);
    }
    match storage::find_idempotency_key(c, &caller.authority, request_id).await? {
        None => Ok(None),
        Some(key) if key.method == method && key.request_hash == hash => {
            Ok(Some(key.resource_name))
        }
        Some(_) => Err(ApiError::invalid(
            "request_id",
            "was already used for a different request: use a new request_id for a new request",
        )),
    }
}

/// Remember what a `request_id` produced, in the same transaction as the change.
async fn remember(
    c: &impl ConnectionTrait,
    caller: &Caller,
    request_id: &str,
    method: &str,
    hash: &str,
    resource_name: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    if request_id.is_empty() {
        return Ok(());
    }
    let row = idempotency_key::Model {
        authority_code: caller.authority.clone(),
        request_id: request_id.to_owned(),
        method: method.to_owned(),
        request_hash: hash.to_owned(),
        resource_name: resource_name.to_owned(),
        created_at: now,
    };
    if storage::insert_idempotency_key(c, row).await? {
        Ok(())
    } else {
        Err(ApiError::Aborted(
            "another request with this request_id is in progress; retry it".into(),
        ))
    }
}

/// Append one history event.
async fn record(
    c: &impl ConnectionTrait,
    authority: &str,
    referral_id: Option<&str>,
    case_id: Option<&str>,
    event: pb::CaseEvent,
    at: DateTime<Utc>,
) -> Result<(), ApiError> {
    storage::append_event(
        c,
        NewEvent {
            authority_code: authority.to_owned(),
            referral_id: referral_id.map(str::to_owned),
            case_id: case_id.map(str::to_owned),
            kind: event.kind.clone(),
            occurred_at: at,
            body: event.encode_to_vec(),
        },
    )
    .await?;
    Ok(())
}

/// A history event of `kind` by `caller` at `at`.
fn event(
    kind: &str,
    subject: &str,
    caller: &Caller,
    at: DateTime<Utc>,
    summary: String,
) -> pb::CaseEvent {
    pb::CaseEvent {
        kind: kind.to_owned(),
        subject: subject.to_owned(),
        actor: caller.actor(),
        occur_time: Some(timestamp(at)),
        summary,
        ..Default::default()
    }
}

/// The deadlines a case event starts at a level, due from `at`, as the authority's plugin says.
fn deadlines(
    plugin: &DynamicPlugin,
    case_event: PluginCaseEvent,
    level: &str,
    at: DateTime<Utc>,
) -> Result<Vec<pb::DeadlineRecord>, ApiError> {
    let answer = plugin
        .timescales(&TimescaleRequest {
            event: case_event as i32,
            level_code: level.to_owned(),
        })
        .map_err(|e| ApiError::from_plugin(e, "level"))?;
    answer
        .deadlines
        .into_iter()
        .map(|d| {
            let span = d.due_in.unwrap_or_default();
            let due = unit(span.unit)
                .and_then(|u| deadline::due(at, span.amount, u))
                .ok_or_else(|| {
                    ApiError::Plugin(format!("deadline {} has no usable span", d.code))
                })?;
            let latest = d
                .at_most
                .and_then(|s| unit(s.unit).and_then(|u| deadline::due(at, s.amount, u)));
            Ok(pb::DeadlineRecord {
                code: d.code,
                description: d.description,
                due_time: Some(timestamp(due)),
                repeat_every: d.repeat_every,
                due_in: Some(span),
                latest_time: latest.map(timestamp),
                started_by: case_event as i32,
                citation: d.citation,
                plugin: Some(plugin_ref(plugin.description())),
            })
        })
        .collect()
}

/// A list request's page: its size, the key to resume after, and the filter its token is for.
struct PageRequest {
    size: u64,
    after: Option<String>,
    filter: String,
}

impl PageRequest {
    /// Read `page_size` and `page_token`, adding any violation to `v`.
    fn read(page_size: i32, page_token: &str, filter: &str, v: &mut Violations) -> PageRequest {
        let size = page::page_size(page_size).unwrap_or_else(|e| {
            v.0.extend(e.0);
            page::DEFAULT_PAGE_SIZE
        });
        let after = page::decode_token(page_token, filter).unwrap_or_else(|e| {
            v.0.extend(e.0);
            None
        });
        PageRequest {
            size,
            after,
            filter: filter.to_owned(),
        }
    }

    /// How many rows to fetch: one more than the page, to learn whether another page follows.
    fn limit(&self) -> u64 {
        self.size + 1
    }

    /// This page's rows and the token for the next page ("" on the last page).
    fn finish<R>(&self, mut rows: Vec<R>, key: impl Fn(&R) -> String) -> (Vec<R>, String) {
        let more = rows.len() as u64 > self.size;
        rows.truncate(self.size as usize);
        let next = match (more, rows.last()) {
            (true, Some(last)) => page::encode_token(&key(last), &self.filter),
            _ => String::new(),
        };
        (rows, next)
    }
}

/// Add to a case the deadlines an event starts; how many were added.
fn start_deadlines(
    case: &mut pb::Case,
    plugin: &DynamicPlugin,
    case_event: PluginCaseEvent,
    at: DateTime<Utc>,
) -> Result<usize, ApiError> {
    let mut started = deadlines(plugin, case_event, &case.level, at)?;
    let n = started.len();
    case.deadlines.append(&mut started);
    Ok(n)
}

// ---------------------------------------------------------------------------------------------
// Routing from the tonic traits
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct ReferralApi(pub AppState);
#[derive(Debug, Clone)]
pub struct CaseApi(pub AppState);
#[derive(Debug, Clone)]
pub struct MeetingApi(pub AppState);
#[derive(Debug, Clone)]
pub struct AuthorityApi(pub AppState);

type Answer<T> = Result<Response<T>, Status>;

#[tonic::async_trait]
impl pb::referral_service_server::ReferralService for ReferralApi {
    async fn create_referral(&self, r: Request<pb::CreateReferralRequest>) -> Answer<pb::Referral> {
        self.0
            .handle("ReferralService/CreateReferral", r, |c, r| {
                referrals::create(&self.0, c, r)
            })
            .await
    }
    async fn get_referral(&self, r: Request<pb::GetReferralRequest>) -> Answer<pb::Referral> {
        self.0
            .handle("ReferralService/GetReferral", r, |c, r| {
                referrals::get(&self.0, c, r)
            })
            .await
    }
    async fn list_referrals(
        &self,
        r: Request<pb::ListReferralsRequest>,
    ) -> Answer<pb::ListReferralsResponse> {
        self.0
            .handle("ReferralService/ListReferrals", r, |c, r| {
                referrals::list(&self.0, c, r)
            })
            .await
    }
    async fn screen_referral(&self, r: Request<pb::ScreenReferralRequest>) -> Answer<pb::Referral> {
        self.0
            .handle("ReferralService/ScreenReferral", r, |c, r| {
                referrals::screen(&self.0, c, r)
            })
            .await
    }
    async fn decide_referral(
        &self,
        r: Request<pb::DecideReferralRequest>,
    ) -> Answer<pb::DecideReferralResponse> {
        self.0
            .handle("ReferralService/DecideReferral", r, |c, r| {
                referrals::decide(&self.0, c, r)
            })
            .await
    }
}

#[tonic::async_trait]
impl pb::case_service_server::CaseService for CaseApi {
    async fn get_case(&self, r: Request<pb::GetCaseRequest>) -> Answer<pb::Case> {
        self.0
            .handle("CaseService/GetCase", r, |c, r| cases::get(&self.0, c, r))
            .await
    }
    async fn list_cases(&self, r: Request<pb::ListCasesRequest>) -> Answer<pb::ListCasesResponse> {
        self.0
            .handle("CaseService/ListCases", r, |c, r| {
                cases::list(&self.0, c, r)
            })
            .await
    }
    async fn allocate_case(&self, r: Request<pb::AllocateCaseRequest>) -> Answer<pb::Case> {
        self.0
            .handle("CaseService/AllocateCase", r, |c, r| {
                cases::allocate(&self.0, c, r)
            })
            .await
    }
    async fn update_team(&self, r: Request<pb::UpdateTeamRequest>) -> Answer<pb::Case> {
        self.0
            .handle("CaseService/UpdateTeam", r, |c, r| {
                cases::update_team(&self.0, c, r)
            })
            .await
    }
    async fn record_contact(&self, r: Request<pb::RecordContactRequest>) -> Answer<pb::Case> {
        self.0
            .handle("CaseService/RecordContact", r, |c, r| {
                cases::record_contact(&self.0, c, r)
            })
            .await
    }
    async fn update_plan(&self, r: Request<pb::UpdatePlanRequest>) -> Answer<pb::Case> {
        self.0
            .handle("CaseService/UpdatePlan", r, |c, r| {
                cases::update_plan(&self.0, c, r)
            })
            .await
    }
    async fn transition_case(&self, r: Request<pb::TransitionCaseRequest>) -> Answer<pb::Case> {
        self.0
            .handle("CaseService/TransitionCase", r, |c, r| {
                cases::transition(&self.0, c, r)
            })
            .await
    }
    async fn list_case_events(
        &self,
        r: Request<pb::ListCaseEventsRequest>,
    ) -> Answer<pb::ListCaseEventsResponse> {
        self.0
            .handle("CaseService/ListCaseEvents", r, |c, r| {
                cases::list_events(&self.0, c, r)
            })
            .await
    }
}

#[tonic::async_trait]
impl pb::meeting_service_server::MeetingService for MeetingApi {
    async fn schedule_meeting(
        &self,
        r: Request<pb::ScheduleMeetingRequest>,
    ) -> Answer<pb::Meeting> {
        self.0
            .handle("MeetingService/ScheduleMeeting", r, |c, r| {
                meetings::schedule(&self.0, c, r)
            })
            .await
    }
    async fn record_meeting_outcome(
        &self,
        r: Request<pb::RecordMeetingOutcomeRequest>,
    ) -> Answer<pb::Meeting> {
        self.0
            .handle("MeetingService/RecordMeetingOutcome", r, |c, r| {
                meetings::record_outcome(&self.0, c, r)
            })
            .await
    }
    async fn list_meetings(
        &self,
        r: Request<pb::ListMeetingsRequest>,
    ) -> Answer<pb::ListMeetingsResponse> {
        self.0
            .handle("MeetingService/ListMeetings", r, |c, r| {
                meetings::list(&self.0, c, r)
            })
            .await
    }
}

#[tonic::async_trait]
impl pb::authority_service_server::AuthorityService for AuthorityApi {
    async fn list_authorities(
        &self,
        r: Request<pb::ListAuthoritiesRequest>,
    ) -> Answer<pb::ListAuthoritiesResponse> {
        self.0
            .handle("AuthorityService/ListAuthorities", r, |c, r| {
                authorities::list(&self.0, c, r)
            })
            .await
    }
    async fn get_authority(&self, r: Request<pb::GetAuthorityRequest>) -> Answer<pb::Authority> {
        self.0
            .handle("AuthorityService/GetAuthority", r, |c, r| {
                authorities::get(&self.0, c, r)
            })
            .await
    }
    async fn assess_threshold(
        &self,
        r: Request<pb::AssessThresholdRequest>,
    ) -> Answer<pb::AssessThresholdResponse> {
        self.0
            .handle("AuthorityService/AssessThreshold", r, |c, r| {
                authorities::assess(&self.0, c, r)
            })
            .await
    }
    async fn route_contact(
        &self,
        r: Request<pb::RouteContactRequest>,
    ) -> Answer<pb::RouteContactResponse> {
        self.0
            .handle("AuthorityService/RouteContact", r, |c, r| {
                authorities::route(&self.0, c, r)
            })
            .await
    }
    async fn get_next_panel_sitting(
        &self,
        r: Request<pb::GetNextPanelSittingRequest>,
    ) -> Answer<pb::GetNextPanelSittingResponse> {
        self.0
            .handle("AuthorityService/GetNextPanelSitting", r, |c, r| {
                authorities::next_panel(&self.0, c, r)
            })
            .await
    }
    async fn preview_timescales(
        &self,
        r: Request<pb::PreviewTimescalesRequest>,
    ) -> Answer<pb::PreviewTimescalesResponse> {
        self.0
            .handle("AuthorityService/PreviewTimescales", r, |c, r| {
                authorities::timescales(&self.0, c, r)
            })
            .await
    }
    async fn check_transition(
        &self,
        r: Request<pb::CheckTransitionRequest>,
    ) -> Answer<pb::CheckTransitionResponse> {
        self.0
            .handle("AuthorityService/CheckTransition", r, |c, r| {
                authorities::check_transition(&self.0, c, r)
            })
            .await
    }
}
