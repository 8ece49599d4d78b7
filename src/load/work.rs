//! One task of a run: the calls of one operation, each timed and recorded.
//!
//! The first call of a task is timed from the moment the task was *meant* to start (its slot in
//! an open loop's schedule), not from when it was sent: if the tool or the service fell behind,
//! the wait is part of the latency, as it would be for a practitioner waiting at a screen
//! (no coordinated omission). Later calls of a chain are timed from when they were sent, since
//! they could not be sent before the call they follow answered.

use std::future::Future;
use std::time::{Duration, Instant};

use continuum_plugin_api::pb::MeetingKind;
use tonic::{Response, Status};

use super::client::{Clients, authed};
use super::ops::{Call, Op};
use super::stats::Stats;
use super::world::{Acked, Authority, ReferralKind, World};
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
            a.add_case(case.name);
        }
        Some(())
    }

    async fn allocate(&mut self, until: Instant) -> Option<()> {
        let (_, a) = self.authority(false)?;
        let case = wait_for(|| a.borrow_case(), until).await?;
        let request = authed(&a.auth, a.allocate(&mut self.rng, &case));
        let client = self.service().map(Clients::cases);
        let done = match client {
            Some(mut client) => self
                .call(Call::AllocateCase, client.allocate_case(request))
                .await
                .map(|_| ()),
            None => None,
        };
        a.give_back(case);
        done
    }

    async fn record_contact(&mut self, until: Instant) -> Option<()> {
        let (_, a) = self.authority(false)?;
        let case = wait_for(|| a.borrow_case(), until).await?;
        let request_id = self.ctx.world.request_id(self.ctx.world.next_seq());
        let request = authed(&a.auth, a.record_contact(&mut self.rng, &case, request_id));
        let client = self.service().map(Clients::cases);
        let done = match client {
            Some(mut client) => self
                .call(Call::RecordContact, client.record_contact(request))
                .await
                .map(|_| ()),
            None => None,
        };
        a.give_back(case);
        done
    }

    /// A meeting scheduled, then its outcome recorded.
    async fn record_meeting(&mut self, until: Instant) -> Option<()> {
        let (_, a) = self.authority(false)?;
        let case = wait_for(|| a.borrow_case(), until).await?;
        let done = self.hold_meeting(a, &case).await;
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
}
