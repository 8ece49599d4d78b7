//! How load arrives: an open loop at a fixed rate, a closed loop at a fixed concurrency, or a
//! search for the highest rate that holds a p99 bound.
//!
//! - **Open loop** (`--rate`): task *i* is due at `start + i / rate`, whether or not earlier
//!   tasks have answered, as independent practitioners would arrive. Each task's latency runs
//!   from its due time (or from when it was sent, if the timer let it leave early), so a
//!   service that stalls is charged for every request that queued behind the stall (no
//!   coordinated omission). In-flight tasks are capped (`max_in_flight`) to bound memory; a
//!   task waiting for that cap is still timed from its due time.
//! - **Closed loop** (`--concurrency`): that many workers each send a task as soon as the last
//!   one answered. This measures the most the service does with that many callers; latency is
//!   per call.
//! - **Step** (`--step-from/--step-by/--p99-ms`): open-loop steps at rising rates, each a few
//!   seconds, until one misses the p99 bound or fails a call (or the step limit is reached).
//!
//! Every loop is bounded in time (the duration, then a drain of at most the request timeout)
//! and in count ([`MAX_TASKS`]), and stops by itself.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::ProgressBar;
use serde::Serialize;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::LoadError;
use super::ops::Deck;
use super::stats::{Recorder, Stats};
use super::work::{self, Ctx};

/// The most tasks one phase starts.
pub const MAX_TASKS: u64 = 50_000_000;
/// The resolution of tokio's timer.
const TIMER_TICK: Duration = Duration::from_millis(1);

/// What one phase (a run, or one step) measured.
#[derive(Debug, Clone)]
pub struct Phase {
    pub recorder: Recorder,
    /// From the first task's start to the last answer (or the end of the drain).
    pub elapsed: Duration,
    /// Tasks started.
    pub tasks: u64,
    /// Tasks that sent nothing (no case was free to change before the phase ended).
    pub skipped: u64,
    /// Tasks still unanswered when the drain ended, then abandoned.
    pub unfinished: u64,
}

/// Keep a progress bar's position (milliseconds) and message (calls, errors) current.
fn ticker(bar: ProgressBar, stats: Arc<Stats>, start: Instant) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(200)).await;
            let elapsed = start.elapsed();
            let calls = stats.calls.load(Ordering::Relaxed);
            bar.set_position(elapsed.as_millis() as u64);
            bar.set_message(format!(
                "{calls} calls, {:.0}/s, {} errors",
                calls as f64 / elapsed.as_secs_f64().max(1e-3),
                stats.errors.load(Ordering::Relaxed)
            ));
        }
    })
}

/// Wait for the tasks of a phase, at most `drain`; abandon the rest. How many were abandoned.
async fn drain(tasks: &mut JoinSet<()>, drain: Duration) -> Result<u64, LoadError> {
    let finished = tokio::time::timeout(drain, async {
        while let Some(joined) = tasks.join_next().await {
            joined.map_err(LoadError::Task)?;
        }
        Ok::<(), LoadError>(())
    })
    .await;
    match finished {
        Ok(result) => result.map(|()| 0),
        Err(_) => {
            let left = tasks.len() as u64;
            tasks.abort_all();
            Ok(left)
        }
    }
}

async fn finish(
    stats: Arc<Stats>,
    start: Instant,
    tasks: u64,
    unfinished: u64,
    bar: &ProgressBar,
) -> Result<Phase, LoadError> {
    bar.finish_and_clear();
    Ok(Phase {
        recorder: stats.merged()?,
        elapsed: start.elapsed(),
        tasks,
        skipped: stats.skipped.load(Ordering::Relaxed),
        unfinished,
    })
}

/// `concurrency` workers, each sending its next task as soon as the last one answered, for
/// `duration`.
pub async fn closed(
    ctx: Arc<Ctx>,
    deck: Arc<Deck>,
    concurrency: usize,
    duration: Duration,
    drain_limit: Duration,
    bar: ProgressBar,
) -> Result<Phase, LoadError> {
    let stats = Arc::new(Stats::new()?);
    let start = Instant::now();
    let deadline = start + duration;
    let next = Arc::new(AtomicU64::new(0));
    let mut workers = JoinSet::new();
    for _ in 0..concurrency.max(1) {
        let (ctx, deck, stats, next) = (ctx.clone(), deck.clone(), stats.clone(), next.clone());
        workers.spawn(async move {
            while Instant::now() < deadline {
                let task = next.fetch_add(1, Ordering::Relaxed);
                if task >= MAX_TASKS {
                    break;
                }
                work::run(
                    &ctx,
                    &stats,
                    deck.deal(task),
                    task,
                    Instant::now(),
                    deadline,
                )
                .await;
            }
        });
    }
    let tick = ticker(bar.clone(), stats.clone(), start);
    let unfinished = drain(&mut workers, duration + drain_limit).await?;
    tick.abort();
    let tasks = next.load(Ordering::Relaxed).min(MAX_TASKS);
    finish(stats, start, tasks, unfinished, &bar).await
}

/// Tasks due at `rate` per second for `duration`, each timed from its due time.
pub async fn open(
    ctx: Arc<Ctx>,
    deck: Arc<Deck>,
    rate: f64,
    duration: Duration,
    max_in_flight: usize,
    drain_limit: Duration,
    bar: ProgressBar,
) -> Result<Phase, LoadError> {
    if !(rate.is_finite() && rate > 0.0) {
        return Err(LoadError::Config(format!(
            "the rate must be above zero, not {rate}"
        )));
    }
    let stats = Arc::new(Stats::new()?);
    let total = ((rate * duration.as_secs_f64()).ceil() as u64).clamp(1, MAX_TASKS);
    let permits = Arc::new(Semaphore::new(max_in_flight.max(1)));
    let start = Instant::now();
    // A task may wait for a case to change until shortly after the schedule ends.
    let until = start + duration + Duration::from_secs(1);
    let tick = ticker(bar.clone(), stats.clone(), start);
    let mut tasks = JoinSet::new();
    for task in 0..total {
        let due = start + Duration::from_secs_f64(task as f64 / rate);
        // tokio's timer wakes on the first millisecond tick at or after its deadline: aim one
        // tick early so tasks leave close to their due time rather than up to 1 ms late.
        if let Some(wake) = due.checked_sub(TIMER_TICK)
            && wake > Instant::now()
        {
            tokio::time::sleep_until(wake.into()).await;
        }
        let permit = permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| LoadError::Stats(e.to_string()))?;
        let (ctx, stats, op) = (ctx.clone(), stats.clone(), deck.deal(task));
        tasks.spawn(async move {
            work::run(&ctx, &stats, op, task, due, until).await;
            drop(permit);
        });
        while let Some(joined) = tasks.try_join_next() {
            joined.map_err(LoadError::Task)?;
        }
    }
    let unfinished = drain(&mut tasks, drain_limit).await?;
    tick.abort();
    finish(stats, start, total, unfinished, &bar).await
}

/// The step search's settings.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct StepConfig {
    /// The first step's rate (tasks per second).
    pub from: f64,
    /// How much each step adds.
    pub by: f64,
    /// The bound every step's p99 (over all calls) must hold.
    pub p99_ms: f64,
    /// How long each step lasts.
    #[serde(serialize_with = "super::report::seconds")]
    pub step_duration: Duration,
    /// The most steps taken.
    pub max_steps: usize,
}

/// One step of a step search.
#[derive(Debug, Clone, Serialize)]
pub struct StepResult {
    /// The rate asked for.
    pub rate: f64,
    /// Calls answered per second.
    pub achieved_per_s: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub errors: u64,
    /// p99 within the bound and no call failed.
    pub held: bool,
}

/// Open-loop steps at rising rates until one misses the bound. Each step's phase, with its
/// result.
pub async fn step(
    ctx: Arc<Ctx>,
    deck: Arc<Deck>,
    config: StepConfig,
    max_in_flight: usize,
    drain_limit: Duration,
    mut bar: impl FnMut(f64) -> ProgressBar,
) -> Result<Vec<(StepResult, Phase)>, LoadError> {
    let mut steps = Vec::new();
    for k in 0..config.max_steps.max(1) {
        let rate = config.from + config.by * k as f64;
        let phase = open(
            ctx.clone(),
            deck.clone(),
            rate,
            config.step_duration,
            max_in_flight,
            drain_limit,
            bar(rate),
        )
        .await?;
        let all = phase.recorder.all_latency()?;
        let errors: u64 = super::ops::Call::ALL
            .iter()
            .map(|&c| phase.recorder.error_count(c))
            .sum();
        let p99_ms = all.value_at_quantile(0.99) as f64 / 1e3;
        let held = errors == 0 && p99_ms <= config.p99_ms && phase.unfinished == 0;
        let result = StepResult {
            rate,
            achieved_per_s: (all.len() + errors) as f64 / phase.elapsed.as_secs_f64().max(1e-9),
            p50_ms: all.value_at_quantile(0.5) as f64 / 1e3,
            p99_ms,
            errors,
            held,
        };
        steps.push((result, phase));
        if !held {
            break;
        }
    }
    Ok(steps)
}
