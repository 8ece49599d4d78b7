//! Correctness under load: no acknowledged write lost, none applied twice, retries idempotent.
//!
//! Every CreateReferral the tool sends (seeding and run alike) has a request_id never used
//! before, and marks the referral it creates with that request_id (in the referrer's email).
//! After the run:
//!
//! 1. **Readable**: acknowledged creates (all of them, or an evenly spread sample of
//!    `verify_max`) are read back with GetReferral; each must exist, under the name the
//!    service answered with, with the tool's marker.
//! 2. **Idempotent**: a few acknowledged creates are sent again, identical, with the same
//!    request_id; each must answer with the same resource name (and create nothing).
//! 3. **Applied once**: each authority's referrals are listed newest first back to before the
//!    run began, and the markers counted: a request applied twice shows twice, an acknowledged
//!    one that was lost does not show at all. This scan is bounded; when it cannot reach back
//!    to the start of the run, it says so and only duplicates count.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::Serialize;

use super::LoadError;
use super::client::authed;
use super::work::Ctx;
use super::world::Acked;
use crate::pb;

/// Pages of 500 referrals the duplicate scan reads per authority, at most.
const MAX_SCAN_PAGES: usize = 400;
/// Examples kept of each kind of failure.
const EXAMPLES: usize = 10;
/// Parallel readers for the readable check.
const READERS: usize = 16;

/// The results of every check.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Checks {
    /// All checks passed.
    pub passed: bool,
    /// CreateReferral calls the service acknowledged (seeding and run).
    pub acknowledged_creates: usize,
    pub readable: Readable,
    pub idempotent_retries: Idempotent,
    pub applied_once: AppliedOnce,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Readable {
    pub passed: bool,
    /// Acknowledged creates read back.
    pub checked: usize,
    pub readable: usize,
    /// NOT_FOUND: an acknowledged write that was lost.
    pub missing: usize,
    /// Found, but not with the content the tool sent.
    pub wrong_content: usize,
    /// Could not be read for another reason, by status code.
    pub unreadable: BTreeMap<String, u64>,
    pub examples: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Idempotent {
    pub passed: bool,
    /// Creates sent again with their request_id.
    pub retried: usize,
    /// Answered with the original resource name.
    pub same_resource: usize,
    /// Answered with another name: the request was applied again.
    pub different_resource: usize,
    /// Failed, by status code.
    pub failed: BTreeMap<String, u64>,
    pub examples: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct AppliedOnce {
    pub passed: bool,
    /// Referrals listed.
    pub scanned: usize,
    /// The scan reached referrals older than the run (or the end of the list) everywhere, so
    /// every acknowledged create should have been seen.
    pub complete: bool,
    /// Distinct acknowledged creates seen.
    pub seen: usize,
    /// Requests stored more than once.
    pub applied_twice: usize,
    /// Acknowledged creates not in the list (counted as lost only when `complete`).
    pub not_seen: usize,
    pub examples: Vec<String>,
}

/// An evenly spread selection of at most `n` of `items`.
fn spread<T: Clone>(items: &[T], n: usize) -> Vec<T> {
    if items.len() <= n {
        return items.to_vec();
    }
    (0..n)
        .filter_map(|i| items.get(i * items.len() / n))
        .cloned()
        .collect()
}

fn example(examples: &mut Vec<String>, text: String) {
    if examples.len() < EXAMPLES {
        examples.push(text);
    }
}

/// Run every check on what `ctx` acknowledged since `run_start`.
pub async fn run(
    ctx: Arc<Ctx>,
    run_start: SystemTime,
    verify_max: usize,
    retries: usize,
) -> Result<Checks, LoadError> {
    let acked = ctx.world.acked_creates();
    let readable = readable(ctx.clone(), spread(&acked, verify_max)).await?;
    let idempotent_retries = idempotent(&ctx, &spread(&acked, retries)).await;
    let applied_once = applied_once(&ctx, &acked, run_start).await?;
    Ok(Checks {
        passed: readable.passed && idempotent_retries.passed && applied_once.passed,
        acknowledged_creates: acked.len(),
        readable,
        idempotent_retries,
        applied_once,
    })
}

async fn readable(ctx: Arc<Ctx>, sample: Vec<Acked>) -> Result<Readable, LoadError> {
    let sample = Arc::new(sample);
    let mut readers = tokio::task::JoinSet::new();
    for reader in 0..READERS {
        let (ctx, sample) = (ctx.clone(), sample.clone());
        readers.spawn(async move {
            let mut r = Readable::default();
            let Some(clients) = &ctx.service else {
                return r;
            };
            for acked in sample.iter().skip(reader).step_by(READERS) {
                let Some(a) = ctx.world.authorities.get(acked.authority) else {
                    continue;
                };
                r.checked += 1;
                let got = clients
                    .referrals()
                    .get_referral(authed(
                        &a.auth,
                        pb::GetReferralRequest {
                            name: acked.name.clone(),
                        },
                    ))
                    .await;
                match got {
                    Ok(referral) => {
                        let referral = referral.into_inner();
                        let marker = referral.referrer.map(|r| r.email).unwrap_or_default();
                        if referral.name == acked.name && marker == ctx.world.marker(acked.seq) {
                            r.readable += 1;
                        } else {
                            r.wrong_content += 1;
                            example(
                                &mut r.examples,
                                format!(
                                    "{}: read back as {} ({marker})",
                                    acked.name, referral.name
                                ),
                            );
                        }
                    }
                    Err(s) if s.code() == tonic::Code::NotFound => {
                        r.missing += 1;
                        example(&mut r.examples, format!("{}: not found", acked.name));
                    }
                    Err(s) => {
                        *r.unreadable.entry(format!("{:?}", s.code())).or_default() += 1;
                        example(
                            &mut r.examples,
                            format!("{}: {:?} {}", acked.name, s.code(), s.message()),
                        );
                    }
                }
            }
            r
        });
    }
    let mut all = Readable::default();
    while let Some(joined) = readers.join_next().await {
        let r = joined.map_err(LoadError::Task)?;
        all.checked += r.checked;
        all.readable += r.readable;
        all.missing += r.missing;
        all.wrong_content += r.wrong_content;
        for (code, n) in r.unreadable {
            *all.unreadable.entry(code).or_default() += n;
        }
        for e in r.examples {
            example(&mut all.examples, e);
        }
    }
    all.passed = all.readable == all.checked;
    Ok(all)
}

async fn idempotent(ctx: &Ctx, sample: &[Acked]) -> Idempotent {
    let mut r = Idempotent::default();
    let Some(clients) = &ctx.service else {
        return r;
    };
    for acked in sample {
        let (Some(a), Some(request)) = (
            ctx.world.authorities.get(acked.authority),
            ctx.world
                .create_referral(acked.authority, acked.seq, acked.kind),
        ) else {
            continue;
        };
        r.retried += 1;
        match clients
            .referrals()
            .create_referral(authed(&a.auth, request))
            .await
        {
            Ok(again) if again.get_ref().name == acked.name => r.same_resource += 1,
            Ok(again) => {
                r.different_resource += 1;
                example(
                    &mut r.examples,
                    format!(
                        "request {} first made {}, again made {}",
                        ctx.world.request_id(acked.seq),
                        acked.name,
                        again.get_ref().name
                    ),
                );
            }
            Err(s) => {
                *r.failed.entry(format!("{:?}", s.code())).or_default() += 1;
                example(
                    &mut r.examples,
                    format!(
                        "request {}: {:?} {}",
                        ctx.world.request_id(acked.seq),
                        s.code(),
                        s.message()
                    ),
                );
            }
        }
    }
    r.passed = r.same_resource == r.retried;
    r
}

async fn applied_once(
    ctx: &Ctx,
    acked: &[Acked],
    run_start: SystemTime,
) -> Result<AppliedOnce, LoadError> {
    let mut r = AppliedOnce {
        complete: true,
        ..Default::default()
    };
    let Some(clients) = &ctx.service else {
        r.passed = true;
        return Ok(r);
    };
    // Referrals created before this (allowing for the server's clock) are not the run's.
    let before_run = run_start
        .checked_sub(Duration::from_secs(300))
        .unwrap_or(run_start)
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let mut seen: HashMap<u64, usize> = HashMap::new();
    for (index, a) in ctx.world.authorities.iter().enumerate() {
        if !acked.iter().any(|x| x.authority == index) {
            continue;
        }
        let mut token = String::new();
        let mut reached_start = false;
        for _ in 0..MAX_SCAN_PAGES {
            let page = clients
                .referrals()
                .list_referrals(authed(
                    &a.auth,
                    pb::ListReferralsRequest {
                        parent: a.parent.clone(),
                        page_size: 500,
                        page_token: token,
                        ..Default::default()
                    },
                ))
                .await
                .map_err(super::setup_error("ListReferrals"))?
                .into_inner();
            for referral in &page.referrals {
                r.scanned += 1;
                if referral
                    .create_time
                    .as_ref()
                    .is_some_and(|t| t.seconds < before_run)
                {
                    reached_start = true;
                }
                let email = referral.referrer.as_ref().map(|x| x.email.as_str());
                if let Some(seq) = email.and_then(|e| ctx.world.seq_of_marker(e)) {
                    *seen.entry(seq).or_default() += 1;
                }
            }
            token = page.next_page_token;
            if token.is_empty() {
                reached_start = true;
            }
            if reached_start {
                break;
            }
        }
        r.complete &= reached_start;
    }
    let acked_seqs: HashMap<u64, &Acked> = acked.iter().map(|a| (a.seq, a)).collect();
    r.seen = seen.keys().filter(|s| acked_seqs.contains_key(s)).count();
    for (seq, n) in &seen {
        if *n > 1 {
            r.applied_twice += 1;
            example(
                &mut r.examples,
                format!("request {} stored {n} times", ctx.world.request_id(*seq)),
            );
        }
    }
    for a in acked {
        if !seen.contains_key(&a.seq) {
            r.not_seen += 1;
            if r.complete {
                example(
                    &mut r.examples,
                    format!("{} acknowledged but not listed", a.name),
                );
            }
        }
    }
    r.passed = r.applied_twice == 0 && (!r.complete || r.not_seen == 0);
    Ok(r)
}
