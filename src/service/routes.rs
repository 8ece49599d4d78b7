//! Routing: the tonic service traits, each method handing its request to its handler through
//! `AppState::handle`. No logic lives here.

use tonic::{Request, Response, Status};

use super::{audit, authorities, cases, deadlines, events, export, meetings, panels, referrals};
use crate::AppState;
use crate::pb;

#[derive(Debug, Clone)]
pub struct ReferralApi(pub AppState);
#[derive(Debug, Clone)]
pub struct CaseApi(pub AppState);
#[derive(Debug, Clone)]
pub struct MeetingApi(pub AppState);
#[derive(Debug, Clone)]
pub struct AuthorityApi(pub AppState);
#[derive(Debug, Clone)]
pub struct PanelApi(pub AppState);
#[derive(Debug, Clone)]
pub struct EventApi(pub AppState);
#[derive(Debug, Clone)]
pub struct ExportApi(pub AppState);
#[derive(Debug, Clone)]
pub struct AuditApi(pub AppState);

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
    async fn record_concern(&self, r: Request<pb::RecordConcernRequest>) -> Answer<pb::Case> {
        self.0
            .handle("CaseService/RecordConcern", r, |c, r| {
                cases::record_concern(&self.0, c, r)
            })
            .await
    }
    async fn record_assessment(&self, r: Request<pb::RecordAssessmentRequest>) -> Answer<pb::Case> {
        self.0
            .handle("CaseService/RecordAssessment", r, |c, r| {
                cases::record_assessment(&self.0, c, r)
            })
            .await
    }
    async fn decide_transition_request(
        &self,
        r: Request<pb::DecideTransitionRequestRequest>,
    ) -> Answer<pb::Case> {
        self.0
            .handle("CaseService/DecideTransitionRequest", r, |c, r| {
                cases::decide_request(&self.0, c, r)
            })
            .await
    }
    async fn list_deadlines(
        &self,
        r: Request<pb::ListDeadlinesRequest>,
    ) -> Answer<pb::ListDeadlinesResponse> {
        self.0
            .handle("CaseService/ListDeadlines", r, |c, r| {
                deadlines::list(&self.0, c, r)
            })
            .await
    }
    async fn get_compliance_summary(
        &self,
        r: Request<pb::GetComplianceSummaryRequest>,
    ) -> Answer<pb::ComplianceSummary> {
        self.0
            .handle("CaseService/GetComplianceSummary", r, |c, r| {
                deadlines::compliance(&self.0, c, r)
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
    async fn list_statutory_codes(
        &self,
        r: Request<pb::ListStatutoryCodesRequest>,
    ) -> Answer<pb::ListStatutoryCodesResponse> {
        self.0
            .handle("AuthorityService/ListStatutoryCodes", r, |c, r| {
                authorities::statutory_codes(&self.0, c, r)
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

#[tonic::async_trait]
impl pb::panel_service_server::PanelService for PanelApi {
    async fn list_panel_sittings(
        &self,
        r: Request<pb::ListPanelSittingsRequest>,
    ) -> Answer<pb::ListPanelSittingsResponse> {
        self.0
            .handle("PanelService/ListPanelSittings", r, |c, r| {
                panels::list_sittings(&self.0, c, r)
            })
            .await
    }
    async fn get_panel_sitting(
        &self,
        r: Request<pb::GetPanelSittingRequest>,
    ) -> Answer<pb::PanelSitting> {
        self.0
            .handle("PanelService/GetPanelSitting", r, |c, r| {
                panels::get_sitting(&self.0, c, r)
            })
            .await
    }
    async fn record_panel_decision(
        &self,
        r: Request<pb::RecordPanelDecisionRequest>,
    ) -> Answer<pb::AgendaItem> {
        self.0
            .handle("PanelService/RecordPanelDecision", r, |c, r| {
                panels::decide(&self.0, c, r)
            })
            .await
    }
}

#[tonic::async_trait]
impl pb::event_service_server::EventService for EventApi {
    type WatchEventsStream = events::EventStream;

    async fn watch_events(
        &self,
        r: Request<pb::WatchEventsRequest>,
    ) -> Answer<Self::WatchEventsStream> {
        self.0
            .handle("EventService/WatchEvents", r, |c, r| {
                events::watch(&self.0, c, r)
            })
            .await
    }
    async fn list_events(
        &self,
        r: Request<pb::ListEventsRequest>,
    ) -> Answer<pb::ListEventsResponse> {
        self.0
            .handle("EventService/ListEvents", r, |c, r| {
                events::list(&self.0, c, r)
            })
            .await
    }
}

#[tonic::async_trait]
impl pb::export_service_server::ExportService for ExportApi {
    async fn export_children(
        &self,
        r: Request<pb::ExportChildrenRequest>,
    ) -> Answer<pb::ExportChildrenResponse> {
        self.0
            .handle("ExportService/ExportChildren", r, |c, r| {
                export::export(&self.0, c, r)
            })
            .await
    }
}

#[tonic::async_trait]
impl pb::audit_service_server::AuditService for AuditApi {
    async fn list_audit_events(
        &self,
        r: Request<pb::ListAuditEventsRequest>,
    ) -> Answer<pb::ListAuditEventsResponse> {
        self.0
            .handle("AuditService/ListAuditEvents", r, |c, r| {
                audit::list(&self.0, c, r)
            })
            .await
    }
}
