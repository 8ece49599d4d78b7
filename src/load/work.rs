//! One task of a run: the calls of one operation, each timed and recorded.
//!
//! The first call of a task is timed from the moment the task was *meant* to start (its slot in
//! an open loop's schedule), not from when it was sent: if the tool or the service fell behind,
//! the wait is part of the latency, as it would be for a practitioner waiting at a screen
//! (no coordinated omission). Later calls of a chain are timed from when they were sent, since
//! they could not be sent before the call they follow answered.
//!
//! The deadline views' answers are checked where it is cheap (a page in due order, within its
//! filter; counts that add up): an answer that fails is counted as an error, `WrongAnswer`.

use std::future::Future;
use std::time::{Duration, Instant, SystemTime};

use continuum_plugin_api::pb::MeetingKind;
use tonic::{Response, Status};

use super::client::{Clients, authed};
use super::ops::{Call, Op};
use super::stats::Stats;
use super::world::{Acked, Authority, DeadlineView, Lent, ReferralKind, World};
use crate::echo::pb::EchoRequest;
use crate::pb;

/// Cases a ListCases call asks for.
const LIST_PAGE_SIZE: i32 = 20;

/// The echo payload: 100 bytes, about the size of a small API request.
pub const ECHO_PAYLOAD: usize = 100;

/// What every task of a run shares.
#[derive(Debug)]
pub struct Ctx {
    /// Connections to the service (`None` when only echo is driven).
    pub service: Option<Clients>,
    /// Connections to the echo server, if one was given.
    pub echo: Option<Clients>,
    pub world: World,
}

/// Run task number `task`, operation `op`, meant to start at `start` (timed from then, or from
/// now if that is later); cases are waited for no later than `until`.
pub async fn run(ctx: &Ctx, stats: &Stats, op: Op, task: u64, start: Instant, until: Instant) {
    let mut t = Task {
        ctx,
        stats,
        task,
        // From its due time, or from now if an open loop started it early.
        start: Some(start.min(Instant::now())),
        rng: ctx.world.rng(task),
    };
    let done = match op {
        Op::Echo => t.echo().await,
        Op::GetCase => t.get_case().await,
        Op::ListCases => t.list_cases(false).await,
        Op::ListCasesDeep => t.list_cases(true).await,
        Op::RouteContact => t.route_contact().await,
        Op::AssessThreshold => t.assess_threshold().await,
        Op::CreateReferral => t.create_referral().await.map(|_| ()),
        Op::Decide => t.decide().await,
        Op::Allocate => t.allocate(until).await,
        Op::RecordContact => t.record_contact(until).await,
        Op::RecordMeeting => t.record_meeting(until).await,
        Op::Transition => t.transition(until).await,
        Op::ListDeadlines => t.list_deadlines().await,
        Op::ComplianceSummary => t.compliance_summary().await,
        Op::Mix => None,
    };
    if done.is_none() && t.start.is_some() {
        // Nothing was sent: no case was free, or a call the task needed failed first.
        stats
            .skipped
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Wait for `borrow` to lend something, until `until`.
async fn wait_for<T>(mut borrow: impl FnMut() -> Option<T>, until: Instant) -> Option<T> {
    loop {
        if let Some(x) = borrow() {
            return Some(x);
        }
        if Instant::now() >= until {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

struct Task<'a> {
    ctx: &'a Ctx,
    stats: &'a Stats,
    task: u64,
    /// When the first call is timed from; taken by the first call.
    start: Option<Instant>,
    rng: fastrand::Rng,
}

impl<'a> Task<'a> {
    /// Send one call and record it: timed from the task's start for its first call, from now
    /// for the next ones.
    async fn call<T>(
        &mut self,
        call: Call,
        send: impl Future<Output = Result<Response<T>, Status>>,
    ) -> Option<T> {
        let since = self.start.take().unwrap_or_else(Instant::now);
        let result = send.await.map(Response::into_inner);
        self.stats.record(self.task, call, since.elapsed(), &result);
        result.ok()
    }

    /// As [`Task::call`], then `check` the answer: one that fails is recorded as a wrong
    /// answer (and `None` returned), not as a success.
    async fn checked_call<T>(
        &mut self,
        call: Call,
        send: impl Future<Output = Result<Response<T>, Status>>,
        check: impl FnOnce(&T) -> Result<(), String>,
    ) -> Option<T> {
        let since = self.start.take().unwrap_or_else(Instant::now);
        let result = send.await.map(Response::into_inner);
        let took = since.elapsed();
        if let Some(Err(why)) = result.as_ref().ok().map(check) {
            self.stats.wrong(self.task, call, why);
            return None;
        }
        self.stats.record(self.task, call, took, &result);
        result.ok()
    }

    fn service(&self) -> Option<&'a Clients> {
        let ctx: &'a Ctx = self.ctx;
        ctx.service.as_ref()
    }

    /// An authority, at random; with `movers`, one that has a transition plan.
    fn authority(&mut self, movers: bool) -> Option<(usize, &'a Authority)> {
        let ctx: &'a Ctx = self.ctx;
        let all = &ctx.world.authorities;
        let eligible: Vec<usize> = (0..all.len())
            .filter(|&i| !movers || all[i].transition.is_some())
            .collect();
        if eligible.is_empty() {
            return None;
        }
        let i = eligible[self.rng.usize(..eligible.len())];
        Some((i, &all[i]))
    }

    /// An authority whose timescales set deadlines, at random (any, when none does): one
    /// without would answer every deadline view with nothing, at no cost.
    fn authority_with_deadlines(&mut self) -> Option<&'a Authority> {
        let ctx: &'a Ctx = self.ctx;
        let with: Vec<&'a Authority> = ctx
            .world
            .authorities
            .iter()
            .filter(|a| !a.deadline_codes.is_empty())
            .collect();
        if with.is_empty() {
            return self.authority(false).map(|(_, a)| a);
        }
        with.get(self.rng.usize(..with.len())).copied()
    }

    async fn echo(&mut self) -> Option<()> {
        let mut client = self.ctx.echo.as_ref()?.echo();
        let payload = vec![0x5a; ECHO_PAYLOAD];
        self.call(Call::Echo, client.echo(EchoRequest { payload }))
            .await
            .map(|_| ())
    }

    async fn get_case(&mut self) -> Option<()> {
        let (_, a) = self.authority(false)?;
        let name = a.any_case(&mut self.rng)?;
        let mut client = self.service()?.cases();
        let request = authed(&a.auth, pb::GetCaseRequest { name });
        self.call(Call::GetCase, client.get_case(request))
            .await
            .map(|_| ())
    }

    /// The first page of the authority's cases, or (`deep`) a page from the back half, of
    /// [`LIST_PAGE_SIZE`] cases (the page a case list on screen shows).
    async fn list_cases(&mut self, deep: bool) -> Option<()> {
        let (_, a) = self.authority(false)?;
        let (call, page_token) = if deep {
            (Call::ListCasesDeep, a.deep_token(&mut self.rng)?)
        } else {
            (Call::ListCases, String::new())
        };
        let mut client = self.service()?.cases();
        let request = authed(
            &a.auth,
            pb::ListCasesRequest {
                parent: a.parent.clone(),
                page_size: LIST_PAGE_SIZE,
                page_token,
                ..Default::default()
            },
        );
        self.call(call, client.list_cases(request))
            .await
            .map(|_| ())
    }

    async fn route_contact(&mut self) -> Option<()> {
        let (_, a) = self.authority(false)?;
        let request = authed(&a.auth, a.route_contact(&mut self.rng));
        let mut client = self.service()?.authorities();
        self.call(Call::RouteContact, client.route_contact(request))
            .await
            .map(|_| ())
    }

    async fn assess_threshold(&mut self) -> Option<()> {
        let (_, a) = self.authority(false)?;
        let request = authed(&a.auth, a.assess_threshold(&mut self.rng));
        let mut client = self.service()?.authorities();
        self.call(Call::AssessThreshold, client.assess_threshold(request))
            .await
            .map(|_| ())
    }

    /// A new referral, with a request_id never used before; remembered once acknowledged.
    async fn create_referral(&mut self) -> Option<(&'a Authority, pb::Referral)> {
        let (index, a) = self.authority(false)?;
        let ctx: &'a Ctx = self.ctx;
        let world = &ctx.world;
        let seq = world.next_seq();
        let request = world.create_referral(index, seq, ReferralKind::Ordinary)?;
        let mut client = self.service()?.referrals();
        let created = self
            .call(
                Call::CreateReferral,
                client.create_referral(authed(&a.auth, request)),
            )
            .await?;
        world.acked(Acked {
            authority: index,
            seq,
            kind: ReferralKind::Ordinary,
            name: created.name.clone(),
        });
        Some((a, created))
    }

    /// A referral received, screened, and decided at the recommended level: a case opens.
    async fn decide(&mut self) -> Option<()> {
        let (a, created) = self.create_referral().await?;
        let mut client = self.service()?.referrals();
        let screened = self
            .call(
                Call::ScreenReferral,
                client.screen_referral(authed(
                    &a.auth,
                    pb::ScreenReferralRequest {
                        name: created.name.clone(),
                        request_id: String::new(),
                        etag: created.etag.clone(),
                    },
                )),
            )
            .await?;
        let level = screened.recommendation.map(|r| r.level).unwrap_or_default();
        let decided = self
            .call(
                Call::DecideReferral,
                client.decide_referral(authed(
                    &a.auth,
                    pb::DecideReferralRequest {
                        name: created.name,
                        level,
                        outcome: pb::ReferralOutcome::OpenCase as i32,
                        reason: String::new(),
                        request_id: String::new(),
                        etag: screened.etag,
                        occur_time: None,
                        primary_need: Default::default(),
                        children: Default::default(),
                    },
                )),
            )
            .await?;
        if let Some(case) = decided.case {
            a.add_case(case.name, case.etag);
        }
        Some(())
    }

    /// The case's etag: as last seen, or read now (not counted: the tool lost track of it).
    async fn etag(&mut self, a: &Authority, case: &mut Lent) -> Option<String> {
        if case.etag.is_empty() {
            let mut client = self.service()?.cases();
            let read = client
                .get_case(authed(
                    &a.auth,
                    pb::GetCaseRequest {
                        name: case.name.clone(),
                    },
                ))
                .await
                .ok()?;
            case.etag = read.into_inner().etag;
        }
        Some(case.etag.clone())
    }

    async fn allocate(&mut self, until: Instant) -> Option<()> {
        let (_, a) = self.authority(false)?;
        let mut case = wait_for(|| a.borrow_case(), until).await?;
        let done = self.allocate_lent(a, &mut case).await;
        a.give_back(case);
        done
    }

    async fn allocate_lent(&mut self, a: &Authority, case: &mut Lent) -> Option<()> {
        let etag = self.etag(a, case).await?;
        let request = authed(&a.auth, a.allocate(&mut self.rng, &case.name, &etag));
        let mut client = self.service()?.cases();
        case.etag.clear();
        let answer = self
            .call(Call::AllocateCase, client.allocate_case(request))
            .await?;
        case.etag = answer.etag;
        Some(())
    }

    async fn record_contact(&mut self, until: Instant) -> Option<()> {
        let (_, a) = self.authority(false)?;
        let mut case = wait_for(|| a.borrow_case(), until).await?;
        let done = self.record_contact_lent(a, &mut case).await;
        a.give_back(case);
        done
    }

    async fn record_contact_lent(&mut self, a: &Authority, case: &mut Lent) -> Option<()> {
        let etag = self.etag(a, case).await?;
        let request_id = self.ctx.world.request_id(self.ctx.world.next_seq());
        let request = authed(
            &a.auth,
            a.record_contact(&mut self.rng, &case.name, &etag, request_id),
        );
        let mut client = self.service()?.cases();
        case.etag.clear();
        let answer = self
            .call(Call::RecordContact, client.record_contact(request))
            .await?;
        case.etag = answer.etag;
        Some(())
    }

    /// A meeting scheduled, then its outcome recorded.
    async fn record_meeting(&mut self, until: Instant) -> Option<()> {
        let (_, a) = self.authority(false)?;
        let mut case = wait_for(|| a.borrow_case(), until).await?;
        let done = self.hold_meeting(a, &case.name).await;
        // Holding a meeting can meet the case's deadlines: its etag is no longer known.
        case.etag.clear();
        a.give_back(case);
        done
    }

    async fn hold_meeting(&mut self, a: &Authority, case: &str) -> Option<()> {
        let kind = a
            .meeting_kinds
            .get(self.rng.usize(..a.meeting_kinds.len().max(1)))
            .copied()
            .unwrap_or(MeetingKind::TeamMeeting);
        let world = &self.ctx.world;
        let request_id = world.request_id(world.next_seq());
        let mut client = self.service()?.meetings();
        let meeting = self
            .call(
                Call::ScheduleMeeting,
                client
                    .schedule_meeting(authed(&a.auth, a.schedule_meeting(kind, case, request_id))),
            )
            .await?;
        let request_id = world.request_id(world.next_seq());
        self.call(
            Call::RecordMeetingOutcome,
            client.record_meeting_outcome(authed(
                &a.auth,
                a.record_meeting(&meeting, world.today, request_id),
            )),
        )
        .await
        .map(|_| ())
    }

    /// Step a case up, or back down, with the etag it was last seen with.
    async fn transition(&mut self, until: Instant) -> Option<()> {
        let (_, a) = self.authority(true)?;
        let plan = a.transition.as_ref()?;
        let mut mover = wait_for(|| a.borrow_mover(), until).await?;
        let world = &self.ctx.world;
        let request = a.transition(&mover, world.request_id(world.next_seq()));
        let Some((request, mut client)) = request.zip(self.service().map(Clients::cases)) else {
            a.give_back_mover(mover);
            return None;
        };
        let moved = self
            .call(
                Call::TransitionCase,
                client.transition_case(authed(&a.auth, request)),
            )
            .await;
        let case = match moved {
            Some(case) => Some(case),
            // Refused or failed: read the case again so the next move starts from the truth.
            None => client
                .get_case(authed(
                    &a.auth,
                    pb::GetCaseRequest {
                        name: mover.name.clone(),
                    },
                ))
                .await
                .ok()
                .map(Response::into_inner),
        };
        if let Some(case) = &case {
            mover.etag = case.etag.clone();
            mover.high = case.level == plan.high;
        }
        a.give_back_mover(mover);
        Some(())
    }

    /// A team leader's view of the deadlines (see [`Authority::list_deadlines`]) in an
    /// authority that sets deadlines, and one time in four the next page, when there is one.
    async fn list_deadlines(&mut self) -> Option<()> {
        let a = self.authority_with_deadlines()?;
        let (view, request) = a.list_deadlines(&mut self.rng, SystemTime::now());
        let call = match view {
            DeadlineView::Overdue => Call::DeadlinesOverdue,
            DeadlineView::DueThisWeek => Call::DeadlinesDueThisWeek,
            DeadlineView::OfWorker => Call::DeadlinesOfWorker,
            DeadlineView::OfKind => Call::DeadlinesOfKind,
        };
        let mut client = self.service()?.cases();
        let sent = SystemTime::now();
        let page = self
            .checked_call(
                call,
                client.list_deadlines(authed(&a.auth, request.clone())),
                |page| check_deadlines(&request, page, sent, None),
            )
            .await?;
        if page.next_page_token.is_empty() || self.rng.u32(0..4) != 0 {
            return Some(());
        }
        let last = page.deadlines.last().map(deadline_key);
        let next = pb::ListDeadlinesRequest {
            page_token: page.next_page_token,
            ..request
        };
        let sent = SystemTime::now();
        self.checked_call(
            Call::DeadlinesNextPage,
            client.list_deadlines(authed(&a.auth, next.clone())),
            |page| check_deadlines(&next, page, sent, last),
        )
        .await
        .map(|_| ())
    }

    /// The compliance summary over one to three months around today.
    async fn compliance_summary(&mut self) -> Option<()> {
        let a = self.authority_with_deadlines()?;
        let request = a.compliance_summary(&mut self.rng, self.ctx.world.today);
        let mut client = self.service()?.cases();
        self.checked_call(
            Call::ComplianceSummary,
            client.get_compliance_summary(authed(&a.auth, request.clone())),
            |summary| check_summary(a, &request, summary),
        )
        .await
        .map(|_| ())
    }
}

/// How far apart the tool's clock and the service's may be when a check compares with it.
const CLOCK_SKEW: Duration = Duration::from_secs(60);

/// A timestamp in milliseconds since the epoch (rounded down, as the service keys deadlines);
/// the epoch when unset.
fn millis(t: Option<&prost_types::Timestamp>) -> i64 {
    t.map_or(0, |t| {
        t.seconds * 1000 + i64::from(t.nanos.div_euclid(1_000_000))
    })
}

fn millis_of(t: SystemTime) -> i64 {
    millis(Some(&prost_types::Timestamp::from(t)))
}

/// A deadline's place in a list: its due time (milliseconds), then its id (the last segment
/// of its name).
fn deadline_key(d: &pb::DeadlineRecord) -> (i64, String) {
    let id = d.name.rsplit_once('/').map_or("", |(_, id)| id);
    (millis(d.due_time.as_ref()), id.to_owned())
}

/// What a page of ListDeadlines must be: at most a page, the authority's, soonest due first
/// (ties by id), after the previous page's last deadline, and within the request's filter.
/// The request was `sent` at that instant of the tool's clock (state is judged by the service's
/// clock when it answers, so each side of it is allowed [`CLOCK_SKEW`]).
fn check_deadlines(
    request: &pb::ListDeadlinesRequest,
    page: &pb::ListDeadlinesResponse,
    sent: SystemTime,
    after: Option<(i64, String)>,
) -> Result<(), String> {
    let n = page.deadlines.len();
    if n > request.page_size.max(0) as usize {
        return Err(format!("{n} deadlines in a page of {}", request.page_size));
    }
    let prefix = format!("{}/cases/", request.parent);
    let mut previous = after;
    let earliest = millis_of(sent.checked_sub(CLOCK_SKEW).unwrap_or(sent));
    let latest = millis_of(SystemTime::now() + CLOCK_SKEW);
    for d in &page.deadlines {
        if !d.name.starts_with(&prefix) {
            return Err(format!(
                "{} is not a deadline of {}",
                d.name, request.parent
            ));
        }
        let key = deadline_key(d);
        if let Some(p) = &previous
            && key <= *p
        {
            return Err(format!(
                "{} (due at {} ms) listed after deadline {} (due at {} ms): not soonest due first",
                d.name, key.0, p.1, p.0
            ));
        }
        // The latest allowed instant: the end of a range, else the due time.
        let late = millis(d.latest_time.as_ref().or(d.due_time.as_ref()));
        let state = pb::DeadlineState::try_from(d.state).unwrap_or_default();
        let wrong = |what: &str| Err(format!("{} {what}", d.name));
        if request.state == pb::DeadlineState::Overdue as i32 {
            if state != pb::DeadlineState::Overdue {
                return wrong(&format!("is {} in a list of OVERDUE", state.as_str_name()));
            }
            if late >= latest {
                return wrong("is listed OVERDUE, but its latest allowed time has not passed");
            }
        }
        if request.state == pb::DeadlineState::Pending as i32 {
            if state != pb::DeadlineState::Pending {
                return wrong(&format!("is {} in a list of PENDING", state.as_str_name()));
            }
            if late < earliest {
                return wrong("is listed PENDING, but its latest allowed time has passed");
            }
        }
        if let Some(before) = &request.due_before
            && key.0 >= millis(Some(before))
        {
            return wrong("is due after the list's due_before");
        }
        if !request.allocated_worker.is_empty() && d.allocated_worker != request.allocated_worker {
            return wrong(&format!(
                "is allocated to {:?} in a list of {:?}'s",
                d.allocated_worker, request.allocated_worker
            ));
        }
        if !request.code.is_empty() && d.code != request.code {
            return wrong(&format!("is a {} in a list of {}", d.code, request.code));
        }
        previous = Some(key);
    }
    Ok(())
}

/// What a compliance summary must be: for the range asked, one entry per kind the authority
/// has, in code order, with percentiles that fit their counts.
fn check_summary(
    a: &Authority,
    request: &pb::GetComplianceSummaryRequest,
    s: &pb::ComplianceSummary,
) -> Result<(), String> {
    if s.authority != request.authority
        || s.from_date != request.from_date
        || s.to_date != request.to_date
    {
        return Err(format!(
            "asked for {} {}..{}, answered {} {}..{}",
            request.authority,
            request.from_date,
            request.to_date,
            s.authority,
            s.from_date,
            s.to_date
        ));
    }
    if s.compute_time.is_none() {
        return Err("no compute_time".into());
    }
    let mut previous: Option<&str> = None;
    for k in &s.kinds {
        if previous.is_some_and(|p| p >= k.code.as_str()) {
            return Err(format!(
                "{} listed after {:?}: not in code order",
                k.code, previous
            ));
        }
        if !a.deadline_codes.is_empty() && a.deadline_codes.binary_search(&k.code).is_err() {
            return Err(format!("{} is not a deadline kind of {}", k.code, a.code));
        }
        let late = k.met_late + k.overdue;
        let total = late + k.met_on_time + k.pending + k.cancelled;
        if total == 0 {
            return Err(format!("{} is listed with no deadlines", k.code));
        }
        if k.median_working_days_late > k.p90_working_days_late
            || (late == 0 && k.p90_working_days_late != 0)
        {
            return Err(format!(
                "{}: median {} and p90 {} working days late over {late} late deadlines",
                k.code, k.median_working_days_late, k.p90_working_days_late
            ));
        }
        previous = Some(&k.code);
    }
    Ok(())
}
