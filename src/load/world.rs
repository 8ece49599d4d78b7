//! What the tool knows: each authority's vocabulary (from GetAuthority), the records it has
//! made, and the realistic requests it sends.
//!
//! Requests are valid for each authority's own plugin: indicator codes from its catalogue,
//! worker roles, form codes and contact purposes from its description, meeting kinds that its
//! timescales name. Referrals are generated from their sequence number alone, so the exact same
//! request can be sent again later (the idempotency check).
//!
//! When a run reads deadlines, seeded referrals are backdated ([`ReferralKind::Backdated`]):
//! each child has a [`Timeline`] over the past months (received, decided, allocated, then
//! perhaps phoned and visited), so that their deadlines are met on time, met late, overdue or
//! still pending, as an authority's would be.
//!
//! Cases the tool changes are lent out to one task at a time (`free`, `movers`): two writes to
//! one case at once would be a conflict the tool made itself (ABORTED on a stale etag), not a
//! property of the service. Reads pick any case.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, SystemTime};

use chrono::{Days, Months, NaiveDate};
use continuum_plugin_api::pb::{
    AuthorityDescription, ChildAge, Consent, ContactPurpose, Domain, Indicator, MeetingKind,
    ThresholdRequest,
};
use prost_types::Timestamp;
use tonic::metadata::{Ascii, MetadataValue};

use super::stats::lock;
use crate::pb;

/// How many concerns an AssessThreshold call sends.
const ASSESS_CONCERNS: usize = 12;

/// Deadlines a ListDeadlines call asks for (a page on screen).
pub const DEADLINE_PAGE_SIZE: i32 = 20;

/// How far back a backdated referral may have been received, in days.
pub const BACKDATE_DAYS: u64 = 240;

const GIVEN_NAMES: &[&str] = &[
    "Amira", "Oliver", "Noah", "Isla", "Ava", "Leo", "Freya", "Muhammad", "Ruby", "Theo", "Maya",
    "Alfie", "Zara", "Harry", "Evie", "Jack", "Lily", "Osian", "Seren", "Ellis",
];
const FAMILY_NAMES: &[&str] = &[
    "Khan", "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Hussain",
    "Wilson", "Thomas", "Roberts", "Patel", "Wright", "Walker", "Hughes", "Edwards", "Ali",
];
const AGENCIES: &[(&str, &str)] = &[
    ("St Mary's Primary School", "Designated Safeguarding Lead"),
    ("Riverside Academy", "Pastoral Lead"),
    ("Health Visiting Service", "Health Visitor"),
    ("School Nursing", "School Nurse"),
    ("GP Practice", "General Practitioner"),
    ("Police", "Police Constable"),
    ("Housing Options", "Housing Officer"),
    ("Children's Centre", "Family Support Worker"),
];
/// The workers cases are allocated to (and a team leader lists the deadlines of).
pub const WORKERS: &[&str] = &[
    "Chris Morgan",
    "Sam Price",
    "Alex Rahman",
    "Jordan Lloyd",
    "Priya Shah",
    "Gareth Owen",
];
const CONTACT_NOTES: &[&str] = &[
    "Spoke with mother about the morning routine",
    "Home visit: children seen, home conditions adequate",
    "Call with school about attendance this week",
    "Family did not answer; letter left",
];

/// The age of every child on a case used for transitions: the age the transition rules were
/// checked for.
pub const MOVER_AGE: u32 = 9;

/// Which way a case used for transitions goes: step up from the lower level and back down.
#[derive(Debug, Clone)]
pub struct TransitionPlan {
    /// Level codes the case moves between.
    pub low: String,
    pub high: String,
    /// Meeting kinds the rules want held before the case may move (held once, at set-up).
    pub meetings: Vec<MeetingKind>,
}

/// A case lent to one task, with the etag it was last seen with ("" when a change the tool
/// did not see the answer of may have moved it on: the borrower reads it first).
#[derive(Debug, Clone)]
pub struct Lent {
    pub name: String,
    pub etag: String,
}

/// A case lent to the transition operation, with the etag it was last seen with.
#[derive(Debug, Clone)]
pub struct Mover {
    pub name: String,
    pub etag: String,
    /// At the plan's higher level (so the next transition is a step down).
    pub high: bool,
}

/// One authority: its vocabulary, its caller's token, and the tool's records in it.
#[derive(Debug)]
pub struct Authority {
    /// GSS code, e.g. "E10000034".
    pub code: String,
    /// `authorities/{code}`.
    pub parent: String,
    pub name: String,
    /// `Bearer <token>` of a practitioner of this authority.
    pub auth: MetadataValue<Ascii>,
    /// Level codes, from least to most need.
    pub levels: Vec<String>,
    pub indicators: Vec<Indicator>,
    pub roles: Vec<String>,
    pub forms: Vec<String>,
    pub purposes: Vec<ContactPurpose>,
    pub meeting_kinds: Vec<MeetingKind>,
    /// The kinds of deadline its timescales set (codes), sorted.
    pub deadline_codes: Vec<String>,
    /// How cases move, if the rules allow a step up and back down the tool can find.
    pub transition: Option<TransitionPlan>,
    /// Every case the tool opened here (read by any task).
    cases: RwLock<Vec<String>>,
    /// Cases free to change, lent to one task at a time.
    free: Mutex<VecDeque<Lent>>,
    /// Cases kept for transitions, lent to one task at a time.
    movers: Mutex<VecDeque<Mover>>,
    /// Page tokens from the back half of this authority's case list.
    deep_tokens: RwLock<Vec<String>>,
}

fn read<T>(l: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    l.read().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn write<T>(l: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    l.write().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Pick one of `items` (`None` when empty).
fn pick<'a, T>(rng: &mut fastrand::Rng, items: &'a [T]) -> Option<&'a T> {
    if items.is_empty() {
        None
    } else {
        items.get(rng.usize(..items.len()))
    }
}

fn pick_str(rng: &mut fastrand::Rng, items: &[&'static str]) -> &'static str {
    pick(rng, items).copied().unwrap_or_default()
}

impl Authority {
    /// What the tool needs from an authority's description.
    pub fn new(
        d: &AuthorityDescription,
        auth: MetadataValue<Ascii>,
        transition: Option<TransitionPlan>,
    ) -> Authority {
        let mut levels = d.levels.clone();
        levels.sort_by_key(|l| l.rank);
        let mut purposes: Vec<ContactPurpose> = d
            .contact_points
            .iter()
            .flat_map(|c| c.purposes.iter())
            .filter_map(|&p| ContactPurpose::try_from(p).ok())
            .filter(|&p| p != ContactPurpose::Unspecified)
            .collect();
        purposes.sort();
        purposes.dedup();
        if purposes.is_empty() {
            purposes.push(ContactPurpose::Advice);
        }
        let mut deadline_codes: Vec<String> = d
            .timescales
            .iter()
            .flat_map(|t| &t.deadlines)
            .map(|dl| dl.code.clone())
            .collect();
        deadline_codes.sort();
        deadline_codes.dedup();
        Authority {
            code: d.code.clone(),
            parent: format!("authorities/{}", d.code),
            name: d.name.clone(),
            auth,
            levels: levels.into_iter().map(|l| l.code).collect(),
            indicators: d.indicators.clone(),
            roles: d.roles.iter().map(|r| r.code.clone()).collect(),
            forms: d.forms.iter().map(|f| f.code.clone()).collect(),
            purposes,
            meeting_kinds: meeting_kinds(d),
            deadline_codes,
            transition,
            cases: RwLock::new(Vec::new()),
            free: Mutex::new(VecDeque::new()),
            movers: Mutex::new(VecDeque::new()),
            deep_tokens: RwLock::new(Vec::new()),
        }
    }

    /// A case was opened: readable by all, free to change. `etag` as last seen ("" if not known).
    pub fn add_case(&self, name: String, etag: String) {
        write(&self.cases).push(name.clone());
        lock(&self.free).push_back(Lent { name, etag });
    }

    /// A case was opened for transitions: readable by all, lent only to transitions.
    pub fn add_mover(&self, mover: Mover) {
        write(&self.cases).push(mover.name.clone());
        lock(&self.movers).push_back(mover);
    }

    pub fn case_count(&self) -> usize {
        read(&self.cases).len()
    }

    pub fn mover_count(&self) -> usize {
        lock(&self.movers).len()
    }

    /// Any case (for reads).
    pub fn any_case(&self, rng: &mut fastrand::Rng) -> Option<String> {
        pick(rng, &read(&self.cases)).cloned()
    }

    /// Borrow a case to change; give it back with [`Authority::give_back`].
    pub fn borrow_case(&self) -> Option<Lent> {
        lock(&self.free).pop_front()
    }

    pub fn give_back(&self, case: Lent) {
        lock(&self.free).push_back(case);
    }

    /// Borrow a case to move; give it back with [`Authority::give_back_mover`].
    pub fn borrow_mover(&self) -> Option<Mover> {
        lock(&self.movers).pop_front()
    }

    pub fn give_back_mover(&self, mover: Mover) {
        lock(&self.movers).push_back(mover);
    }

    /// Every mover, taken out (to refresh their etags); put them back with `give_back_mover`.
    pub fn take_movers(&self) -> Vec<Mover> {
        lock(&self.movers).drain(..).collect()
    }

    pub fn set_deep_tokens(&self, tokens: Vec<String>) {
        *write(&self.deep_tokens) = tokens;
    }

    pub fn deep_token(&self, rng: &mut fastrand::Rng) -> Option<String> {
        pick(rng, &read(&self.deep_tokens)).cloned()
    }

    pub fn deep_token_count(&self) -> usize {
        read(&self.deep_tokens).len()
    }

    /// A contact routing question: a purpose the authority routes, at an hour of a week.
    pub fn route_contact(&self, rng: &mut fastrand::Rng) -> pb::RouteContactRequest {
        let purpose = pick(rng, &self.purposes)
            .copied()
            .unwrap_or(ContactPurpose::Advice);
        pb::RouteContactRequest {
            authority: self.parent.clone(),
            purpose: purpose as i32,
            // Monday 23 to Sunday 29 November 2026, any time of day or night.
            local_time: format!(
                "2026-11-{:02}T{:02}:{:02}:00",
                23 + rng.u32(0..7),
                rng.u32(0..24),
                rng.u32(0..60)
            ),
            public_holiday: Some(rng.u32(0..20) == 0),
            urgency: rng.i32(0..3),
            history: None,
            age: None,
        }
    }

    /// Concerns from the authority's catalogue: one to three indicators.
    fn concerns(&self, rng: &mut fastrand::Rng) -> Vec<(String, i32)> {
        let n = rng.usize(1..=3);
        self.concerns_n(rng, n)
    }

    /// `n` concerns from the authority's catalogue.
    fn concerns_n(&self, rng: &mut fastrand::Rng, n: usize) -> Vec<(String, i32)> {
        (0..n)
            .filter_map(|_| pick(rng, &self.indicators))
            .map(|i| {
                let domain = match Domain::try_from(i.domain) {
                    Ok(Domain::Unspecified) | Err(_) => Domain::ChildDevelopmentalNeeds as i32,
                    Ok(_) => i.domain,
                };
                (i.code.clone(), domain)
            })
            .collect()
    }

    /// A dry run of the thresholds for a family with many concerns: twelve, as a front door's
    /// screening of a complex referral would send (and as the issue that set the target
    /// measured).
    pub fn assess_threshold(&self, rng: &mut fastrand::Rng) -> pb::AssessThresholdRequest {
        let concerns = self
            .concerns_n(rng, ASSESS_CONCERNS)
            .into_iter()
            .map(|(code, domain)| continuum_plugin_api::pb::Concern {
                indicator_code: code,
                text: String::new(),
                domain,
            })
            .collect();
        pb::AssessThresholdRequest {
            authority: self.parent.clone(),
            request: Some(ThresholdRequest {
                concerns,
                consent: Consent::GivenInWriting as i32,
                age: Some(ChildAge {
                    years: rng.u32(1..16),
                    ..Default::default()
                }),
                ..Default::default()
            }),
        }
    }

    /// Allocation to a named worker in one of the authority's roles.
    pub fn allocate(
        &self,
        rng: &mut fastrand::Rng,
        case: &str,
        etag: &str,
    ) -> pb::AllocateCaseRequest {
        pb::AllocateCaseRequest {
            name: case.to_owned(),
            worker: Some(pb::Worker {
                name: pick_str(rng, WORKERS).to_owned(),
                role: pick(rng, &self.roles).cloned().unwrap_or_default(),
            }),
            etag: etag.to_owned(),
            occur_time: None,
        }
    }

    /// A team leader's view of the deadlines: overdue; pending and due within a week of `now`;
    /// one worker's; or one kind's (when the authority has any). The first page.
    pub fn list_deadlines(
        &self,
        rng: &mut fastrand::Rng,
        now: SystemTime,
    ) -> (DeadlineView, pb::ListDeadlinesRequest) {
        let mut request = pb::ListDeadlinesRequest {
            parent: self.parent.clone(),
            page_size: DEADLINE_PAGE_SIZE,
            ..Default::default()
        };
        let view = match rng.u32(0..4) {
            0 => DeadlineView::Overdue,
            1 => DeadlineView::DueThisWeek,
            2 => DeadlineView::OfWorker,
            _ if self.deadline_codes.is_empty() => DeadlineView::Overdue,
            _ => DeadlineView::OfKind,
        };
        match view {
            DeadlineView::Overdue => request.state = pb::DeadlineState::Overdue as i32,
            DeadlineView::DueThisWeek => {
                request.state = pb::DeadlineState::Pending as i32;
                request.due_before = Some(Timestamp::from(now + Duration::from_secs(7 * 86_400)));
            }
            DeadlineView::OfWorker => request.allocated_worker = pick_str(rng, WORKERS).to_owned(),
            DeadlineView::OfKind => {
                request.code = pick(rng, &self.deadline_codes).cloned().unwrap_or_default();
            }
        }
        (view, request)
    }

    /// A compliance summary over one to three months, a range that includes `today`.
    pub fn compliance_summary(
        &self,
        rng: &mut fastrand::Rng,
        today: NaiveDate,
    ) -> pb::GetComplianceSummaryRequest {
        let days = rng.u64(30..=92);
        let from = today
            .checked_sub_days(Days::new(rng.u64(0..=days)))
            .unwrap_or(today);
        let to = from.checked_add_days(Days::new(days)).unwrap_or(from);
        pb::GetComplianceSummaryRequest {
            authority: self.parent.clone(),
            from_date: date(from),
            to_date: date(to),
        }
    }

    /// A contact with the family ten minutes ago.
    pub fn record_contact(
        &self,
        rng: &mut fastrand::Rng,
        case: &str,
        etag: &str,
        request_id: String,
    ) -> pb::RecordContactRequest {
        let kind = match rng.u32(0..3) {
            0 => pb::ContactKind::PhoneCall,
            1 => pb::ContactKind::HomeVisit,
            _ => pb::ContactKind::Other,
        };
        pb::RecordContactRequest {
            name: case.to_owned(),
            contact: Some(pb::ContactRecord {
                kind: kind as i32,
                // Now, in the server's time: the case may have opened a moment ago.
                contact_time: None,
                notes: pick_str(rng, CONTACT_NOTES).to_owned(),
                recorded_by: String::new(),
            }),
            etag: etag.to_owned(),
            request_id,
        }
    }

    /// A meeting of one of the kinds the authority's timescales name, an hour ago.
    pub fn schedule_meeting(
        &self,
        kind: MeetingKind,
        case: &str,
        request_id: String,
    ) -> pb::ScheduleMeetingRequest {
        pb::ScheduleMeetingRequest {
            parent: case.to_owned(),
            meeting: Some(pb::Meeting {
                kind: kind as i32,
                schedule_time: Some(ago(Duration::from_secs(3600))),
                invitees: vec!["Parent".into(), "Lead practitioner".into()],
                ..Default::default()
            }),
            request_id,
        }
    }

    /// The meeting was held just now (the server's time: the case may have opened less than a
    /// minute ago) and the plan continues.
    pub fn record_meeting(
        &self,
        meeting: &pb::Meeting,
        today: NaiveDate,
        request_id: String,
    ) -> pb::RecordMeetingOutcomeRequest {
        pb::RecordMeetingOutcomeRequest {
            name: meeting.name.clone(),
            etag: meeting.etag.clone(),
            request_id,
            held_time: None,
            attendees: vec!["Parent".into(), "Lead practitioner".into()],
            outcome: pb::MeetingOutcome::ContinuePlan as i32,
            next_review_date: date(today.checked_add_days(Days::new(42)).unwrap_or(today)),
            notes: "Plan reviewed with the family".into(),
        }
    }

    /// The next move of a case lent for transitions: up from the plan's lower level, or back
    /// down. `None` when the authority has no plan.
    pub fn transition(
        &self,
        mover: &Mover,
        request_id: String,
    ) -> Option<pb::TransitionCaseRequest> {
        let plan = self.transition.as_ref()?;
        let (kind, target, reason) = if mover.high {
            (
                continuum_plugin_api::pb::TransitionKind::StepDown,
                &plan.low,
                "needs reduced: agreed at the step down meeting",
            )
        } else {
            (
                continuum_plugin_api::pb::TransitionKind::StepUp,
                &plan.high,
                "needs increased: agreed at the team meeting",
            )
        };
        Some(pb::TransitionCaseRequest {
            name: mover.name.clone(),
            kind: kind as i32,
            target_level: target.clone(),
            reason: reason.into(),
            consent: Some(pb::ConsentRecord {
                status: Consent::GivenInWriting as i32,
                reason: String::new(),
            }),
            forms_completed: self.forms.clone(),
            significant_harm_suspected: false,
            etag: mover.etag.clone(),
            request_id,
            from_authority: String::new(),
            occur_time: None,
            closure_reason: Default::default(),
        })
    }
}

/// Which of a team leader's views a ListDeadlines call is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineView {
    /// State OVERDUE: what is late.
    Overdue,
    /// State PENDING, due within seven days: what is due this week.
    DueThisWeek,
    /// Every deadline on one worker's cases.
    OfWorker,
    /// Every deadline of one kind.
    OfKind,
}

/// Meeting kinds the description's timescales start from (a team meeting, a review), or both.
fn meeting_kinds(d: &AuthorityDescription) -> Vec<MeetingKind> {
    use continuum_plugin_api::pb::CaseEvent;
    let mut kinds: Vec<MeetingKind> = d
        .timescales
        .iter()
        .filter_map(|t| match CaseEvent::try_from(t.event) {
            Ok(CaseEvent::TeamMeetingHeld) => Some(MeetingKind::TeamMeeting),
            Ok(CaseEvent::ReviewHeld) => Some(MeetingKind::Review),
            _ => None,
        })
        .collect();
    kinds.sort();
    kinds.dedup();
    if kinds.is_empty() {
        kinds = vec![MeetingKind::TeamMeeting, MeetingKind::Review];
    }
    kinds
}

/// A timestamp `d` before now.
pub fn ago(d: Duration) -> Timestamp {
    Timestamp::from(
        SystemTime::now()
            .checked_sub(d)
            .unwrap_or(SystemTime::now()),
    )
}

/// "YYYY-MM-DD".
pub fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// What kind of referral a child's is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferralKind {
    /// Any child the front door might see.
    Ordinary,
    /// A child whose case will move between levels: of [`MOVER_AGE`], consent given.
    Mover,
    /// An ordinary child, received some time in the past [`BACKDATE_DAYS`] days (its
    /// [`Timeline`]), so that its case's deadlines fall due over time.
    Backdated,
}

/// When a backdated child's referral was received and what happened next, all before the
/// world was made (so before the server's clock now). The contacts are `None` when they were
/// not made (yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeline {
    pub received: SystemTime,
    /// The decision that opened the case: up to two days after the referral was received.
    pub decided: SystemTime,
    /// Allocation to a worker: up to four days after the decision.
    pub allocated: SystemTime,
    /// The worker's phone call to the family (85% of children): up to eight days after
    /// allocation, so some are late.
    pub phone_call: Option<SystemTime>,
    /// The first home visit (75% of children): one to eighteen days after allocation.
    pub home_visit: Option<SystemTime>,
}

/// A referral the tool made and the service acknowledged.
#[derive(Debug, Clone)]
pub struct Acked {
    /// Index into [`World::authorities`].
    pub authority: usize,
    /// Its sequence number: its request_id and its content follow from it.
    pub seq: u64,
    pub kind: ReferralKind,
    /// The resource name the service answered with.
    pub name: String,
}

/// Everything shared by the tasks of a run.
#[derive(Debug)]
pub struct World {
    pub authorities: Vec<Authority>,
    /// Distinguishes this run's request_ids (and the referrals they mark) from any other run's.
    pub run_id: String,
    random_seed: u64,
    /// The date requests are built for (fixed for the run, so a referral regenerates exactly).
    pub today: NaiveDate,
    /// When the world was made: backdated referrals are received before it (fixed for the
    /// run, so a referral regenerates exactly).
    pub started: SystemTime,
    next_seq: AtomicU64,
    acked: Mutex<Vec<Acked>>,
}

impl World {
    pub fn new(authorities: Vec<Authority>, random_seed: u64) -> World {
        let started = SystemTime::now();
        let now = started
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default();
        let run_id = format!(
            "{:x}{:04x}",
            now.as_secs(),
            fastrand::Rng::with_seed(random_seed ^ u64::from(now.subsec_nanos())).u16(..)
        );
        World {
            authorities,
            run_id,
            random_seed,
            today: chrono::Utc::now().date_naive(),
            started,
            next_seq: AtomicU64::new(1),
            acked: Mutex::new(Vec::new()),
        }
    }

    /// A fresh sequence number, for a request_id.
    pub fn next_seq(&self) -> u64 {
        self.next_seq.fetch_add(1, Ordering::Relaxed)
    }

    /// The request_id of sequence number `seq`: unique to this run.
    pub fn request_id(&self, seq: u64) -> String {
        format!("load-{}-{seq}", self.run_id)
    }

    /// The referrer email that marks a referral with its request_id, so a scan of the stored
    /// referrals can count how many times each acknowledged request was applied.
    pub fn marker(&self, seq: u64) -> String {
        format!("referrer+{}@example.invalid", self.request_id(seq))
    }

    /// The sequence number a marker carries, if it is one of this run's.
    pub fn seq_of_marker(&self, email: &str) -> Option<u64> {
        email
            .strip_prefix("referrer+")?
            .strip_suffix("@example.invalid")?
            .strip_prefix(&format!("load-{}-", self.run_id))?
            .parse()
            .ok()
    }

    /// A random number generator for task number `task` (a different stream per task).
    pub fn rng(&self, task: u64) -> fastrand::Rng {
        fastrand::Rng::with_seed(
            self.random_seed ^ task.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15),
        )
    }

    /// Remember an acknowledged CreateReferral.
    pub fn acked(&self, acked: Acked) {
        lock(&self.acked).push(acked);
    }

    /// Every acknowledged CreateReferral so far.
    pub fn acked_creates(&self) -> Vec<Acked> {
        lock(&self.acked).clone()
    }

    /// The CreateReferral with sequence number `seq` to authority number `authority`: the same
    /// request every time it is asked for.
    pub fn create_referral(
        &self,
        authority: usize,
        seq: u64,
        kind: ReferralKind,
    ) -> Option<pb::CreateReferralRequest> {
        let a = self.authorities.get(authority)?;
        let mut rng = fastrand::Rng::with_seed(
            self.random_seed ^ seq.wrapping_mul(0xD1B5_4A32_D192_ED03) ^ 0x5EED,
        );
        let age = match kind {
            ReferralKind::Ordinary | ReferralKind::Backdated => rng.u32(1..16),
            ReferralKind::Mover => MOVER_AGE,
        };
        let months_past_birthday = rng.u32(0..11);
        let dob = self
            .today
            .checked_sub_months(Months::new(12 * age + months_past_birthday))
            .unwrap_or(self.today);
        let family = pick_str(&mut rng, FAMILY_NAMES);
        let (agency, role) = pick(&mut rng, AGENCIES)
            .copied()
            .unwrap_or(("School", "Teacher"));
        let consent = match (kind, rng.u32(0..10)) {
            (ReferralKind::Ordinary | ReferralKind::Backdated, 0) => pb::ConsentRecord {
                status: Consent::NotSought as i32,
                reason: "seeking consent would place the child at risk of significant harm".into(),
            },
            (ReferralKind::Ordinary | ReferralKind::Backdated, 1 | 2) => pb::ConsentRecord {
                status: Consent::GivenVerbally as i32,
                reason: String::new(),
            },
            _ => pb::ConsentRecord {
                status: Consent::GivenInWriting as i32,
                reason: String::new(),
            },
        };
        let concerns = a
            .concerns(&mut rng)
            .into_iter()
            .map(|(code, domain)| pb::Concern {
                indicator_code: code,
                text: "Reported by the referrer".into(),
                domain,
            })
            .collect();
        Some(pb::CreateReferralRequest {
            parent: a.parent.clone(),
            referral: Some(pb::Referral {
                child: Some(pb::Child {
                    given_name: pick_str(&mut rng, GIVEN_NAMES).into(),
                    family_name: family.into(),
                    date_of_birth: date(dob),
                    learning_difficulty_or_disability: rng.u32(0..12) == 0,
                    ..Default::default()
                }),
                household: Some(pb::Household {
                    address: format!("{} Example Street", rng.u32(1..200)),
                    members: vec![pb::HouseholdMember {
                        name: format!("{} {family}", pick_str(&mut rng, GIVEN_NAMES)),
                        relationship: "mother".into(),
                    }],
                }),
                referrer: Some(pb::Referrer {
                    name: format!(
                        "{} {}",
                        pick_str(&mut rng, GIVEN_NAMES),
                        pick_str(&mut rng, FAMILY_NAMES)
                    ),
                    agency: agency.into(),
                    role: role.into(),
                    phone: "01632 960000".into(),
                    email: self.marker(seq),
                }),
                concerns,
                // Consent not sought for fear of significant harm: the referrer suspects it,
                // so the authority's rules let the decision go ahead without consent.
                significant_harm_suspected: consent.status == Consent::NotSought as i32,
                consent: Some(consent),
                receive_time: self
                    .timeline(seq, kind)
                    .map(|t| Timestamp::from(t.received)),
                ..Default::default()
            }),
            request_id: self.request_id(seq),
        })
    }

    /// The timeline of the child with sequence number `seq`, if its referral is backdated: the
    /// same every time it is asked for. Ages are uniform over the past [`BACKDATE_DAYS`] days.
    pub fn timeline(&self, seq: u64, kind: ReferralKind) -> Option<Timeline> {
        if kind != ReferralKind::Backdated {
            return None;
        }
        const HOUR: u64 = 3600;
        const DAY: u64 = 24 * HOUR;
        let mut rng = fastrand::Rng::with_seed(
            self.random_seed ^ seq.wrapping_mul(0x94D0_49BB_1331_11EB) ^ 0xBAC4_DA7E,
        );
        // Nothing happens later than a minute before the world was made.
        let latest = self.started.checked_sub(Duration::from_secs(60))?;
        let at = |t: SystemTime, after: u64| Some((t + Duration::from_secs(after)).min(latest));
        let received = self
            .started
            .checked_sub(Duration::from_secs(rng.u64(HOUR..BACKDATE_DAYS * DAY)))?;
        let decided = at(received, rng.u64(0..=2 * DAY))?;
        let allocated = at(decided, rng.u64(0..=4 * DAY))?;
        let made = |t: SystemTime| (t < latest).then_some(t);
        let phone_call = (rng.u32(0..100) < 85)
            .then(|| made(allocated + Duration::from_secs(rng.u64(HOUR..8 * DAY))))
            .flatten();
        let home_visit = (rng.u32(0..100) < 75)
            .then(|| made(allocated + Duration::from_secs(rng.u64(DAY..18 * DAY))))
            .flatten();
        Some(Timeline {
            received,
            decided,
            allocated,
            phone_call,
            home_visit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backdated_timelines_are_ordered_past_and_repeatable() {
        let world = World::new(Vec::new(), 1);
        assert_eq!(world.timeline(1, ReferralKind::Ordinary), None);
        for seq in 0..1000 {
            let t = world.timeline(seq, ReferralKind::Backdated).unwrap();
            assert_eq!(world.timeline(seq, ReferralKind::Backdated), Some(t));
            assert!(t.received <= t.decided && t.decided <= t.allocated);
            assert!(t.allocated < world.started);
            for contact in [t.phone_call, t.home_visit].into_iter().flatten() {
                assert!(t.allocated < contact && contact < world.started);
            }
            let age = world.started.duration_since(t.received).unwrap();
            assert!(age < Duration::from_secs(BACKDATE_DAYS * 86_400));
        }
    }

    #[test]
    fn markers_carry_this_runs_sequence_numbers_only() {
        let world = World::new(Vec::new(), 1);
        assert_eq!(world.seq_of_marker(&world.marker(42)), Some(42));
        assert_eq!(
            world.seq_of_marker("referrer+load-other-42@example.invalid"),
            None
        );
        assert_eq!(world.seq_of_marker("jo@example.org"), None);
        assert!(world.request_id(u64::MAX).len() <= 128);
    }
}
