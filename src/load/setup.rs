//! Before any load: learn each authority's vocabulary, find a transition its rules allow, and
//! seed realistic data through the public API.
//!
//! Seeding is what a front door does: a referral is received (CreateReferral), screened
//! against the authority's thresholds (ScreenReferral) and decided with outcome OPEN_CASE
//! (DecideReferral), so there are cases to read, list and change. A few cases per authority
//! are kept for transitions: opened at the lower level of a step up the rules allow, with the
//! meetings those rules ask for held once. Seeding's own calls are counted (errors included)
//! but are not the run's figures.
//!
//! For a run that reads deadlines ([`SeedOptions::deadlines`]) each case is then allocated to
//! a worker (AllocateCase), and each child has a backdated [`Timeline`]: received some time in
//! the past eight months, decided and allocated days later, with a phone call and a home visit
//! recorded (RecordContact) for most, some of them late. So the authority's deadlines are met
//! on time, met late, overdue and pending, as a team leader's would be, and none of it depends
//! on the clock moving during the run.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use continuum_plugin_api::pb::{
    AuthorityDescription, ChildAge, Consent, MeetingKind, TransitionKind, TransitionRequest,
};
use indicatif::ProgressBar;
use prost_types::Timestamp;
use serde::Serialize;
use tonic::metadata::{Ascii, MetadataValue};

use super::client::{Clients, authed, bearer, token_authority};
use super::ops::Call;
use super::stats::{Stats, lock};
use super::work::Ctx;
use super::world::{Acked, Authority, Mover, ReferralKind, Timeline, TransitionPlan, World};
use super::{Credentials, LoadError, setup_error};
use crate::auth::{Role, mint_hs256};
use crate::pb;

/// The authorities shipped with Continuum (Bradford, Worcestershire, Torbay, Carmarthenshire).
pub const SHIPPED_AUTHORITIES: [&str; 4] = ["E08000032", "E10000034", "E06000027", "W06000010"];

/// Cases kept for transitions per authority, at most.
const MAX_MOVERS: usize = 128;
/// Pages of a case list read for deep page tokens, at most.
const MAX_LIST_PAGES: usize = 1000;

/// A practitioner's token for `code`, valid for twelve hours.
fn mint(secret: &[u8], code: &str) -> Result<MetadataValue<Ascii>, LoadError> {
    let token = mint_hs256(
        secret,
        "continuum-load",
        code,
        Role::Practitioner,
        12 * 3600,
    )
    .map_err(|e| LoadError::Token(e.to_string()))?;
    bearer(&token)
}

/// Each authority the credentials reach, with its vocabulary and transition plan.
pub async fn authorities(
    clients: &Clients,
    credentials: &Credentials,
) -> Result<Vec<Authority>, LoadError> {
    let callers: Vec<(String, MetadataValue<Ascii>)> = match credentials {
        Credentials::Token { token, authority } => {
            let code = authority
                .clone()
                .or_else(|| token_authority(token))
                .ok_or_else(|| {
                    LoadError::Token(
                        "cannot read the token's authority claim: name the authority".into(),
                    )
                })?;
            vec![(code, bearer(token)?)]
        }
        Credentials::Secret(secret) => {
            let probe = mint(secret, SHIPPED_AUTHORITIES[1])?;
            let listed = clients
                .authorities()
                .list_authorities(authed(&probe, pb::ListAuthoritiesRequest {}))
                .await
                .map_err(setup_error("ListAuthorities"))?
                .into_inner();
            let mut codes: Vec<String> = listed
                .authorities
                .iter()
                .filter_map(|a| a.description.as_ref().map(|d| d.code.clone()))
                .collect();
            codes.sort();
            codes
                .into_iter()
                .map(|code| mint(secret, &code).map(|auth| (code, auth)))
                .collect::<Result<_, _>>()?
        }
    };
    let mut authorities = Vec::new();
    for (code, auth) in callers {
        let description = clients
            .authorities()
            .get_authority(authed(
                &auth,
                pb::GetAuthorityRequest {
                    name: format!("authorities/{code}"),
                },
            ))
            .await
            .map_err(setup_error("GetAuthority"))?
            .into_inner()
            .description
            .ok_or_else(|| LoadError::NoData(format!("authority {code} has no description")))?;
        let plan = transition_plan(clients, &auth, &description).await?;
        authorities.push(Authority::new(&description, auth, plan));
    }
    if authorities.is_empty() {
        return Err(LoadError::NoData("the server lists no authorities".into()));
    }
    Ok(authorities)
}

/// A step up and back down that the authority's rules allow today for a child of
/// [`super::world::MOVER_AGE`] with consent, every form, and the fewest meetings held (asked
/// with CheckTransition, which stores nothing). Adjacent levels are tried first, lowest first.
async fn transition_plan(
    clients: &Clients,
    auth: &MetadataValue<Ascii>,
    d: &AuthorityDescription,
) -> Result<Option<TransitionPlan>, LoadError> {
    const ALL_MEETINGS: [MeetingKind; 6] = [
        MeetingKind::TeamMeeting,
        MeetingKind::Review,
        MeetingKind::StepDownMeeting,
        MeetingKind::FinalMeeting,
        MeetingKind::StepUpConversation,
        MeetingKind::AllocationPanel,
    ];
    let mut levels = d.levels.clone();
    levels.sort_by_key(|l| l.rank);
    let mut pairs: Vec<(usize, usize)> = (0..levels.len())
        .flat_map(|i| (i + 1..levels.len()).map(move |j| (i, j)))
        .collect();
    pairs.sort_by_key(|&(i, j)| (j - i, i));
    let forms: Vec<String> = d.forms.iter().map(|f| f.code.clone()).collect();
    let allowed = |kind: TransitionKind, from: String, to: String, held: Vec<MeetingKind>| {
        let request = pb::CheckTransitionRequest {
            authority: format!("authorities/{}", d.code),
            request: Some(TransitionRequest {
                kind: kind as i32,
                current_level: from,
                target_level: to.clone(),
                days_open: 0,
                consent: Consent::GivenInWriting as i32,
                forms_completed: forms.clone(),
                meetings_held: held.iter().map(|&k| k as i32).collect(),
                significant_harm_suspected: false,
                from_authority: String::new(),
                age: Some(ChildAge {
                    years: super::world::MOVER_AGE,
                    ..Default::default()
                }),
                ..Default::default()
            }),
        };
        let mut client = clients.authorities();
        let request = authed(auth, request);
        async move {
            match client.check_transition(request).await {
                Ok(answer) => Ok(answer.into_inner().answer.is_some_and(|a| {
                    a.allowed && (a.resulting_level.is_empty() || a.resulting_level == to)
                })),
                // The plugin refuses the question itself (e.g. a level it does not move
                // between): not a move the tool can make.
                Err(s) if s.code() == tonic::Code::InvalidArgument => Ok(false),
                Err(s) => Err(setup_error("CheckTransition")(s)),
            }
        }
    };
    for (i, j) in pairs {
        let (low, high) = (levels[i].code.clone(), levels[j].code.clone());
        let both = |held: Vec<MeetingKind>| {
            let up = allowed(
                TransitionKind::StepUp,
                low.clone(),
                high.clone(),
                held.clone(),
            );
            let down = allowed(TransitionKind::StepDown, high.clone(), low.clone(), held);
            async move { Ok::<bool, LoadError>(up.await? && down.await?) }
        };
        if !both(ALL_MEETINGS.to_vec()).await? {
            continue;
        }
        // Hold no more meetings than the rules ask for.
        let mut held = ALL_MEETINGS.to_vec();
        for kind in ALL_MEETINGS {
            let without: Vec<MeetingKind> = held.iter().copied().filter(|&k| k != kind).collect();
            if both(without.clone()).await? {
                held = without;
            }
        }
        return Ok(Some(TransitionPlan {
            low,
            high,
            meetings: held,
        }));
    }
    Ok(None)
}

/// What seeding does besides opening cases.
#[derive(Debug, Clone, Copy, Default)]
pub struct SeedOptions {
    /// Backdate the children, allocate every case and record some contacts, so that
    /// deadlines exist in every state (for the deadline views).
    pub deadlines: bool,
    /// Keep page tokens from deep in each case list (for deep pages).
    pub deep_tokens: bool,
}

/// Deadlines on the seeded cases, per authority code, then state (as each case's last answer
/// showed them).
type DeadlineTally = std::sync::Mutex<BTreeMap<String, BTreeMap<String, u64>>>;

/// What seeding did.
#[derive(Debug, Clone, Serialize)]
pub struct SeedSummary {
    /// Children asked for (`--seed`).
    pub requested: usize,
    /// Referrals acknowledged.
    pub referrals: usize,
    /// Cases opened, per authority code.
    pub cases: BTreeMap<String, usize>,
    /// Cases kept for transitions, per authority code.
    pub transition_cases: BTreeMap<String, usize>,
    /// Deep page tokens found, per authority code.
    pub deep_page_tokens: BTreeMap<String, usize>,
    /// Cases allocated to a worker (with [`SeedOptions::deadlines`]).
    pub allocated: u64,
    /// Contacts recorded on them.
    pub contacts: u64,
    /// Deadlines on the seeded cases, per authority code, then state (PENDING, MET, OVERDUE,
    /// CANCELLED), as each case's last answer showed them.
    pub deadlines: BTreeMap<String, BTreeMap<String, u64>>,
    pub elapsed_s: f64,
    /// Failed seeding calls, per call then status code.
    pub errors: BTreeMap<String, BTreeMap<String, u64>>,
    /// Seeding stopped at its time limit before every child was seeded.
    pub timed_out: bool,
}

/// Receive, screen and decide `children` referrals over `concurrency` tasks, spread evenly over
/// the authorities (and as `options` say, allocate them and keep deep page tokens).
pub async fn seed(
    ctx: Arc<Ctx>,
    children: usize,
    concurrency: usize,
    time_limit: Duration,
    options: SeedOptions,
    bar: ProgressBar,
) -> Result<SeedSummary, LoadError> {
    let started = Instant::now();
    let (Some(clients), world) = (ctx.service.as_ref(), &ctx.world) else {
        return Err(LoadError::Config(
            "seeding needs the service's address".into(),
        ));
    };
    let stats = Arc::new(Stats::new()?);
    let tally = Arc::new(DeadlineTally::default());
    let next = Arc::new(AtomicUsize::new(0));
    let until = started + time_limit;
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..concurrency.clamp(1, children.max(1)) {
        let (ctx, stats, next, bar) = (ctx.clone(), stats.clone(), next.clone(), bar.clone());
        let tally = tally.clone();
        workers.spawn(async move {
            let Some(clients) = ctx.service.as_ref() else {
                return;
            };
            loop {
                let child = next.fetch_add(1, Ordering::Relaxed);
                if child >= children || Instant::now() >= until {
                    break;
                }
                let seeder = Seeder {
                    clients,
                    world: &ctx.world,
                    stats: &stats,
                    tally: &tally,
                    deadlines: options.deadlines,
                };
                seed_child(&seeder, child).await;
                bar.inc(1);
            }
        });
    }
    while let Some(joined) = workers.join_next().await {
        joined.map_err(LoadError::Task)?;
    }
    bar.finish_and_clear();
    let timed_out = next.load(Ordering::Relaxed) < children;

    // Transition cases: their etags after the meetings held on them.
    for a in &world.authorities {
        for mut mover in a.take_movers() {
            if let Ok(case) = clients
                .cases()
                .get_case(authed(
                    &a.auth,
                    pb::GetCaseRequest {
                        name: mover.name.clone(),
                    },
                ))
                .await
            {
                mover.etag = case.into_inner().etag;
                a.give_back_mover(mover);
            }
        }
    }
    if options.deep_tokens {
        for a in &world.authorities {
            a.set_deep_tokens(deep_tokens(clients, a).await?);
        }
    }

    let recorder = stats.merged()?;
    let mut errors = BTreeMap::new();
    for call in Call::ALL {
        if let Some(e) = recorder.errors.get(call.index())
            && !e.is_empty()
        {
            errors.insert(
                call.name().to_owned(),
                e.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            );
        }
    }
    let per_authority = |f: &dyn Fn(&Authority) -> usize| {
        world
            .authorities
            .iter()
            .map(|a| (a.code.clone(), f(a)))
            .collect::<BTreeMap<_, _>>()
    };
    Ok(SeedSummary {
        requested: children,
        referrals: world.acked_creates().len(),
        cases: per_authority(&|a| a.case_count()),
        transition_cases: per_authority(&|a| a.mover_count()),
        deep_page_tokens: per_authority(&|a| a.deep_token_count()),
        allocated: recorder.count(Call::AllocateCase),
        contacts: recorder.count(Call::RecordContact),
        deadlines: std::mem::take(&mut *lock(&tally)),
        elapsed_s: started.elapsed().as_secs_f64(),
        errors,
        timed_out,
    })
}

/// What one seeding task works with.
struct Seeder<'a> {
    clients: &'a Clients,
    world: &'a World,
    stats: &'a Stats,
    tally: &'a DeadlineTally,
    /// Backdate, allocate and record contacts ([`SeedOptions::deadlines`]).
    deadlines: bool,
}

/// One child through the front door: received, screened, decided (a case opens); with
/// deadlines, then allocated and contacted as its timeline says.
async fn seed_child(seeder: &Seeder<'_>, child: usize) {
    let (clients, world, stats) = (seeder.clients, seeder.world, seeder.stats);
    let n = world.authorities.len().max(1);
    let (index, nth) = (child % n, child / n);
    let Some(a) = world.authorities.get(index) else {
        return;
    };
    let kind = match &a.transition {
        Some(_) if nth % 4 == 0 && nth / 4 < MAX_MOVERS => ReferralKind::Mover,
        _ if seeder.deadlines => ReferralKind::Backdated,
        _ => ReferralKind::Ordinary,
    };
    let task = child as u64;
    let seq = world.next_seq();
    let Some(request) = world.create_referral(index, seq, kind) else {
        return;
    };
    let timeline = world.timeline(seq, kind);

    let t = Instant::now();
    let created = clients
        .referrals()
        .create_referral(authed(&a.auth, request))
        .await
        .map(tonic::Response::into_inner);
    stats.record(task, Call::CreateReferral, t.elapsed(), &created);
    let Ok(created) = created else { return };
    world.acked(Acked {
        authority: index,
        seq,
        kind,
        name: created.name.clone(),
    });

    let t = Instant::now();
    let screened = clients
        .referrals()
        .screen_referral(authed(
            &a.auth,
            pb::ScreenReferralRequest {
                name: created.name.clone(),
                request_id: String::new(),
                etag: created.etag.clone(),
            },
        ))
        .await
        .map(tonic::Response::into_inner);
    stats.record(task, Call::ScreenReferral, t.elapsed(), &screened);
    let Ok(screened) = screened else { return };
    let recommended = screened
        .recommendation
        .as_ref()
        .map(|r| r.level.clone())
        .unwrap_or_default();
    let level = match (&a.transition, kind) {
        (Some(plan), ReferralKind::Mover) => plan.low.clone(),
        _ => recommended.clone(),
    };
    let reason = if level == recommended {
        String::new()
    } else {
        format!("opened at {level} so the case can step up and down under load")
    };

    let t = Instant::now();
    let decided = clients
        .referrals()
        .decide_referral(authed(
            &a.auth,
            pb::DecideReferralRequest {
                name: created.name,
                level,
                outcome: pb::ReferralOutcome::OpenCase as i32,
                reason,
                request_id: String::new(),
                etag: screened.etag,
                occur_time: timeline.map(|t| Timestamp::from(t.decided)),
                primary_need: Default::default(),
                children: Default::default(),
            },
        ))
        .await
        .map(tonic::Response::into_inner);
    stats.record(task, Call::DecideReferral, t.elapsed(), &decided);
    let Some(mut case) = decided.ok().and_then(|d| d.case) else {
        return;
    };
    if seeder.deadlines {
        match allocate_and_contact(seeder, a, task, &case, timeline).await {
            Some(last) => {
                count_deadlines(seeder.tally, a, &last);
                case.etag = last.etag;
            }
            None => return,
        }
    }

    match (&a.transition, kind) {
        (Some(plan), ReferralKind::Mover) => {
            for &meeting in &plan.meetings {
                let seq = world.next_seq();
                let t = Instant::now();
                let scheduled = clients
                    .meetings()
                    .schedule_meeting(authed(
                        &a.auth,
                        a.schedule_meeting(meeting, &case.name, world.request_id(seq)),
                    ))
                    .await
                    .map(tonic::Response::into_inner);
                stats.record(task, Call::ScheduleMeeting, t.elapsed(), &scheduled);
                let Ok(scheduled) = scheduled else { return };
                let seq = world.next_seq();
                let t = Instant::now();
                let held = clients
                    .meetings()
                    .record_meeting_outcome(authed(
                        &a.auth,
                        a.record_meeting(&scheduled, world.today, world.request_id(seq)),
                    ))
                    .await;
                stats.record(task, Call::RecordMeetingOutcome, t.elapsed(), &held);
                if held.is_err() {
                    return;
                }
            }
            a.add_mover(Mover {
                name: case.name,
                etag: case.etag,
                high: false,
            });
        }
        _ => a.add_case(case.name, case.etag),
    }
}

/// Allocate a case (when its timeline says, or now), then record the contacts its timeline
/// has, in time order. The case as the last call answered, or `None` if a call failed.
async fn allocate_and_contact(
    seeder: &Seeder<'_>,
    a: &Authority,
    task: u64,
    case: &pb::Case,
    timeline: Option<Timeline>,
) -> Option<pb::Case> {
    let (clients, world, stats) = (seeder.clients, seeder.world, seeder.stats);
    let mut rng = world.rng(task);
    let mut request = a.allocate(&mut rng, &case.name, &case.etag);
    request.occur_time = timeline.map(|t| Timestamp::from(t.allocated));
    let t = Instant::now();
    let allocated = clients
        .cases()
        .allocate_case(authed(&a.auth, request))
        .await
        .map(tonic::Response::into_inner);
    stats.record(task, Call::AllocateCase, t.elapsed(), &allocated);
    let mut last = allocated.ok()?;
    let mut contacts: Vec<(SystemTime, pb::ContactKind)> = timeline
        .iter()
        .flat_map(|t| {
            [
                t.phone_call.map(|at| (at, pb::ContactKind::PhoneCall)),
                t.home_visit.map(|at| (at, pb::ContactKind::HomeVisit)),
            ]
        })
        .flatten()
        .collect();
    contacts.sort();
    for (at, kind) in contacts {
        let mut request = a.record_contact(
            &mut rng,
            &case.name,
            &last.etag,
            world.request_id(world.next_seq()),
        );
        if let Some(contact) = &mut request.contact {
            contact.kind = kind as i32;
            contact.contact_time = Some(Timestamp::from(at));
        }
        let t = Instant::now();
        let recorded = clients
            .cases()
            .record_contact(authed(&a.auth, request))
            .await
            .map(tonic::Response::into_inner);
        stats.record(task, Call::RecordContact, t.elapsed(), &recorded);
        last = recorded.ok()?;
    }
    Some(last)
}

/// Add a case's deadlines to the tally, by state.
fn count_deadlines(tally: &DeadlineTally, a: &Authority, case: &pb::Case) {
    let mut tally = lock(tally);
    let states = tally.entry(a.code.clone()).or_default();
    for d in &case.deadlines {
        let state = pb::DeadlineState::try_from(d.state).unwrap_or_default();
        let name = state.as_str_name().trim_start_matches("DEADLINE_STATE_");
        *states.entry(name.to_owned()).or_default() += 1;
    }
}

/// Page tokens from the back half of the authority's case list (unfiltered, as the deep list
/// operation asks). A short list is paged in smaller pages, so it still has a back half.
async fn deep_tokens(clients: &Clients, a: &Authority) -> Result<Vec<String>, LoadError> {
    let page_size = (a.case_count() / 20).clamp(1, 50) as i32;
    let mut tokens = Vec::new();
    let mut token = String::new();
    for _ in 0..MAX_LIST_PAGES {
        let page = clients
            .cases()
            .list_cases(authed(
                &a.auth,
                pb::ListCasesRequest {
                    parent: a.parent.clone(),
                    page_size,
                    page_token: token,
                    ..Default::default()
                },
            ))
            .await
            .map_err(setup_error("ListCases"))?
            .into_inner();
        token = page.next_page_token;
        if token.is_empty() {
            break;
        }
        tokens.push(token.clone());
    }
    let half = tokens.len() / 2;
    Ok(tokens.split_off(half))
}
