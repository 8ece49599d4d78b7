//! `continuum load`: throughput and latency of a running Continuum service under a realistic
//! mix of calls, measured against a bare gRPC echo on the same machine, with checks that no
//! acknowledged write was lost or applied twice.
//!
//! A run, in order ([`run`]):
//!
//! 1. **Discover** ([`setup`]): each authority's levels, indicator catalogue, roles, forms,
//!    contact purposes and meeting kinds from AuthorityService/GetAuthority, and a step up and
//!    back down its transition rules allow (CheckTransition), so every request is valid for
//!    that authority's plugin. With a secret, a practitioner token is minted per authority;
//!    with one token, only that token's authority is driven.
//! 2. **Seed** ([`setup`]): children through the front door of each authority, through the
//!    public API: CreateReferral, ScreenReferral, DecideReferral (OPEN_CASE). For the deadline
//!    views (`list-deadlines`, `compliance-summary`) the children are spread over past months
//!    and every case is allocated (AllocateCase), most with contacts recorded (RecordContact),
//!    so that deadlines exist in every state.
//! 3. **Calibrate** (with an echo server): 100-byte echoes at the same rate or concurrency as
//!    the run. Every figure of the run is also given as a share of echo's, which takes gRPC,
//!    HTTP/2, loopback TCP and the machine out of the comparison ([`report`]).
//! 4. **Drive** ([`drive`], [`work`]): the mix, or one operation alone ([`ops`]), open loop at a
//!    fixed arrival rate (timed from each task's due time: no coordinated omission), closed loop
//!    at a fixed concurrency, or rising steps until p99 misses a bound.
//! 5. **Check** ([`check`]): acknowledged creates are readable, none was applied twice, and
//!    retries with the same request_id return the same resource.
//! 6. **Report** ([`report`], [`plot`]): `report.json` and `latency.svg`.
//!
//! Everything is bounded: the seed count and a seeding time limit, the run's duration, a drain
//! of at most the request timeout, a cap on tasks and on requests in flight, and bounded scans
//! for the checks. The tool talks only to the addresses it is given.

pub mod check;
pub mod client;
pub mod drive;
pub mod ops;
pub mod plot;
pub mod report;
pub mod setup;
pub mod stats;
pub mod work;
pub mod world;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

pub use drive::StepConfig;
pub use ops::{Call, Op};
pub use report::Report;

use client::{Clients, IN_FLIGHT_PER_CONNECTION};
use ops::Deck;
use report::{ConfigSummary, Machine, PhaseReport, describe_load};
use work::Ctx;
use world::World;

/// How the tool proves who it is.
#[derive(Clone)]
pub enum Credentials {
    /// One bearer token: only its authority (the `authority` claim, unless named) is driven.
    Token {
        token: String,
        authority: Option<String>,
    },
    /// The server's HS256 secret: a practitioner token is minted for every authority.
    Secret(Vec<u8>),
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::Token { authority, .. } => f
                .debug_struct("Token")
                .field("authority", authority)
                .finish_non_exhaustive(),
            Credentials::Secret(_) => f.write_str("Secret(..)"),
        }
    }
}

/// How requests arrive.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Load {
    /// Open loop: tasks due at a fixed rate per second, whatever the answers.
    Open { rate: f64 },
    /// Closed loop: a fixed number of callers, each waiting for its answer.
    Closed { concurrency: usize },
    /// Open-loop steps at rising rates until p99 misses a bound.
    Step(StepConfig),
}

/// A run's settings; [`Config::new`] gives the defaults.
#[derive(Debug, Clone)]
pub struct Config {
    /// The service, `host:port` (plaintext HTTP/2).
    pub addr: String,
    /// An echo server (`continuum echo`) to calibrate against first, `host:port`.
    pub echo: Option<String>,
    pub credentials: Credentials,
    /// Children to seed, spread evenly over the authorities (0: none).
    pub seed: usize,
    /// Tasks seeding runs at once.
    pub seed_concurrency: usize,
    /// Seeding stops after this long, seeded or not.
    pub seed_time_limit: Duration,
    /// Seed for the deadline views (backdated children, allocated cases, some contacts) even
    /// when the operation is not one of them (it always is for `list-deadlines` and
    /// `compliance-summary`).
    pub seed_deadlines: bool,
    pub load: Load,
    /// How long the run (and the echo baseline) lasts; each step's length is its own setting.
    pub duration: Duration,
    /// The mix, or one operation alone.
    pub op: Op,
    /// HTTP/2 connections per server; default one per 16 requests in flight.
    pub connections: Option<usize>,
    /// Requests in flight at most in an open loop.
    pub max_in_flight: usize,
    /// Every request's deadline; also the longest the end of a phase waits for answers.
    pub request_timeout: Duration,
    /// Acknowledged creates read back afterwards, at most (an even sample beyond).
    pub verify_max: usize,
    /// Acknowledged creates sent again with their request_id.
    pub idempotency_retries: usize,
    /// Seeds every random choice (the mix's order, the data), for a repeatable run.
    pub random_seed: u64,
    /// Where `report.json` and `latency.svg` go (`None`: nowhere).
    pub out_dir: Option<PathBuf>,
    /// Show progress bars on stderr (hidden anyway when stderr is not a terminal).
    pub progress: bool,
}

impl Config {
    /// The defaults: the mix, closed loop at concurrency 32 for 10 s, 20,000 children seeded.
    pub fn new(addr: impl Into<String>, credentials: Credentials) -> Config {
        Config {
            addr: addr.into(),
            echo: None,
            credentials,
            seed: 20_000,
            seed_concurrency: 32,
            seed_time_limit: Duration::from_secs(600),
            seed_deadlines: false,
            load: Load::Closed { concurrency: 32 },
            duration: Duration::from_secs(10),
            op: Op::Mix,
            connections: None,
            max_in_flight: 4096,
            request_timeout: Duration::from_secs(30),
            verify_max: 5000,
            idempotency_retries: 20,
            random_seed: 1,
            out_dir: None,
            progress: false,
        }
    }

    /// Refuse settings that would not be bounded or make no sense.
    fn validate(&self) -> Result<(), LoadError> {
        let bad = |m: String| Err(LoadError::Config(m));
        let hour = Duration::from_secs(3600);
        if self.duration.is_zero() || self.duration > hour {
            return bad("the duration must be above zero and at most an hour".into());
        }
        if self.seed > 1_000_000 {
            return bad("seed at most 1,000,000 children".into());
        }
        match self.load {
            Load::Open { rate } if !(rate > 0.0 && rate <= 1_000_000.0) => {
                bad(format!("the rate must be in (0, 1000000], not {rate}"))
            }
            Load::Closed { concurrency } if concurrency == 0 || concurrency > 10_000 => {
                bad(format!("the concurrency must be 1 to 10000, not {concurrency}"))
            }
            Load::Step(s)
                if !(s.from > 0.0 && s.by >= 0.0 && s.p99_ms > 0.0)
                    || s.max_steps == 0
                    || s.max_steps > 100
                    || s.step_duration.is_zero()
                    || s.step_duration > hour =>
            {
                bad("steps need --step-from > 0, --step-by >= 0, --p99-ms > 0, 1 to 100 steps of at most an hour".into())
            }
            _ => Ok(()),
        }
    }

    /// One connection per 16 requests in flight: the concurrency, or for an open loop the
    /// requests a 16 ms answer would keep in flight at the highest rate.
    fn connections(&self) -> usize {
        let in_flight = match self.load {
            Load::Closed { concurrency } => concurrency as f64,
            Load::Open { rate } => rate * 0.016,
            Load::Step(s) => (s.from + s.by * (s.max_steps.saturating_sub(1)) as f64) * 0.016,
        };
        self.connections
            .unwrap_or_else(|| (in_flight / IN_FLIGHT_PER_CONNECTION as f64).ceil() as usize)
            .clamp(1, 256)
    }
}

/// Why a run could not be made.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("invalid settings: {0}")]
    Config(String),
    #[error("cannot connect to {addr}: {source}")]
    Connect {
        addr: String,
        source: tonic::transport::Error,
    },
    #[error("{call} failed while setting up: {status}")]
    Setup {
        call: &'static str,
        status: Box<tonic::Status>,
    },
    #[error("token: {0}")]
    Token(String),
    #[error("nothing to drive: {0}")]
    NoData(String),
    #[error("statistics: {0}")]
    Stats(String),
    #[error("a load task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot encode the report: {0}")]
    Json(#[from] serde_json::Error),
    #[error("cannot draw the plot: {0}")]
    Plot(String),
}

/// A failed call during set-up (discovery, seeding's bookkeeping, checks) as an error.
pub(crate) fn setup_error(call: &'static str) -> impl Fn(tonic::Status) -> LoadError {
    move |status| LoadError::Setup {
        call,
        status: Box::new(status),
    }
}

/// A progress bar on stderr (hidden when stderr is not a terminal, or when `enabled` is false).
fn progress_bar(enabled: bool, len: u64, prefix: &str, template: &str) -> ProgressBar {
    let target = if enabled {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(Some(len), target);
    bar.set_style(
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_prefix(prefix.to_owned());
    bar
}

fn phase_bar(enabled: bool, duration: Duration, prefix: &str) -> ProgressBar {
    progress_bar(
        enabled,
        duration.as_millis() as u64,
        prefix,
        "{prefix:>10} [{bar:30}] {elapsed:>4} {msg}",
    )
}

/// Drive `deck` with the configured load; in step mode, the best step (the highest rate that
/// held, else the first) with every step's result.
async fn drive(
    config: &Config,
    ctx: &Arc<Ctx>,
    deck: Deck,
    target: &str,
) -> Result<PhaseReport, LoadError> {
    let calls = deck.calls();
    let deck = Arc::new(deck);
    let drain = config.request_timeout + Duration::from_secs(1);
    let describe = describe_load(&config.load, config.duration);
    match config.load {
        Load::Closed { concurrency } => {
            let bar = phase_bar(config.progress, config.duration, target);
            let phase =
                drive::closed(ctx.clone(), deck, concurrency, config.duration, drain, bar).await?;
            PhaseReport::new(target, &config.load, describe, &phase, &calls)
        }
        Load::Open { rate } => {
            let bar = phase_bar(config.progress, config.duration, target);
            let phase = drive::open(
                ctx.clone(),
                deck,
                rate,
                config.duration,
                config.max_in_flight,
                drain,
                bar,
            )
            .await?;
            PhaseReport::new(target, &config.load, describe, &phase, &calls)
        }
        Load::Step(s) => {
            let bars = |rate: f64| {
                phase_bar(
                    config.progress,
                    s.step_duration,
                    &format!("{target} {rate}/s"),
                )
            };
            let steps =
                drive::step(ctx.clone(), deck, s, config.max_in_flight, drain, bars).await?;
            let best = steps.iter().rposition(|(r, _)| r.held);
            let Some((_, phase)) = steps.get(best.unwrap_or(0)) else {
                return Err(LoadError::NoData("no step ran".into()));
            };
            let rate = steps
                .get(best.unwrap_or(0))
                .map_or(s.from, |(result, _)| result.rate);
            let mut report = PhaseReport::new(
                target,
                &config.load,
                format!("{describe}; figures of the {rate}/s step"),
                phase,
                &calls,
            )?;
            report.steps = steps.into_iter().map(|(result, _)| result).collect();
            report.best_rate = best.and_then(|i| report.steps.get(i)).map(|r| r.rate);
            Ok(report)
        }
    }
}

/// Seed, calibrate, drive, check and report, as [`Config`] says. A run whose checks fail still
/// returns its report ([`Report::passed`] says so); an error means no report could be made.
pub async fn run(config: Config) -> Result<Report, LoadError> {
    config.validate()?;
    let started_at = chrono::Utc::now().to_rfc3339();
    let run_start = SystemTime::now();
    let connections = config.connections();
    let only_echo = config.op == Op::Echo;
    let mut notes = Vec::new();

    let echo = match &config.echo {
        Some(addr) => Some(Clients::connect(addr, connections, config.request_timeout).await?),
        None if only_echo => {
            return Err(LoadError::Config(
                "--op echo needs an echo server (--echo ADDR)".into(),
            ));
        }
        None => None,
    };
    let (service, authorities) = if only_echo {
        (None, Vec::new())
    } else {
        let clients = Clients::connect(&config.addr, connections, config.request_timeout).await?;
        let authorities = setup::authorities(&clients, &config.credentials).await?;
        (Some(clients), authorities)
    };
    for a in authorities.iter().filter(|a| a.transition.is_none()) {
        notes.push(format!(
            "{} ({}): no step up and back down that its rules allow was found, so its cases are not transitioned",
            a.name, a.code
        ));
    }
    let codes = authorities.iter().map(|a| a.code.clone()).collect();
    let ctx = Arc::new(Ctx {
        service,
        echo,
        world: World::new(authorities, config.random_seed),
    });

    let seed = if only_echo {
        None
    } else {
        let bar = progress_bar(
            config.progress,
            config.seed as u64,
            "seeding",
            "{prefix:>10} [{bar:30}] {pos}/{len} children, {eta} left",
        );
        let options = setup::SeedOptions {
            deadlines: config.seed_deadlines || config.op.needs_deadlines(),
            deep_tokens: config.op.needs_deep_tokens(),
        };
        let summary = setup::seed(
            ctx.clone(),
            config.seed,
            config.seed_concurrency,
            config.seed_time_limit,
            options,
            bar,
        )
        .await?;
        if summary.timed_out {
            notes.push(format!(
                "seeding stopped at its time limit ({} s) with {} of {} children",
                config.seed_time_limit.as_secs(),
                summary.referrals,
                config.seed
            ));
        }
        Some(summary)
    };

    // Operations there is nothing to run against are left out of the mix (and refused alone).
    let world = &ctx.world;
    let mut unavailable = Vec::new();
    if !world.authorities.is_empty() {
        if world.authorities.iter().all(|a| a.case_count() == 0) {
            unavailable.extend([
                Op::GetCase,
                Op::Allocate,
                Op::RecordContact,
                Op::RecordMeeting,
            ]);
        }
        if world.authorities.iter().all(|a| a.mover_count() == 0) {
            unavailable.push(Op::Transition);
        }
        if world.authorities.iter().all(|a| a.deep_token_count() == 0) {
            unavailable.push(Op::ListCasesDeep);
        }
    }
    if unavailable.contains(&config.op) {
        return Err(LoadError::NoData(format!(
            "{} needs seeded cases (and, for transitions, an authority whose rules allow a step up and back down)",
            config.op
        )));
    }
    for op in &unavailable {
        if config.op == Op::Mix {
            notes.push(format!(
                "{op} left out of the mix: nothing seeded to run it on"
            ));
        }
    }

    let echo_report = match (&ctx.echo, only_echo) {
        (Some(_), false) => {
            let mut report = drive(&config, &ctx, Deck::new(Op::Echo, &[], 0), "echo").await?;
            report.target = "echo".into();
            Some(report)
        }
        _ => None,
    };
    let target = if only_echo { "echo" } else { "service" };
    let deck = Deck::new(config.op, &unavailable, config.random_seed);
    let mut run_report = drive(&config, &ctx, deck, target).await?;
    if let Some(echo) = &echo_report {
        run_report.compare_with(echo);
    }
    if run_report.skipped > 0 {
        notes.push(format!(
            "{} tasks sent nothing: no case was free to change before the run ended (seed more)",
            run_report.skipped
        ));
    }

    let checks = if only_echo {
        None
    } else {
        let checks = check::run(
            ctx.clone(),
            run_start,
            config.verify_max,
            config.idempotency_retries,
        )
        .await?;
        if !checks.applied_once.complete {
            notes.push("the applied-once scan did not reach back to the start of the run: only duplicates were counted".into());
        }
        Some(checks)
    };

    let mut report = Report {
        tool: format!("continuum load {}", env!("CARGO_PKG_VERSION")),
        started_at,
        config: ConfigSummary::new(&config, connections, codes),
        machine: Machine::this(),
        seed,
        echo: echo_report,
        run: run_report,
        checks,
        notes,
        files: Vec::new(),
    };
    if let Some(dir) = &config.out_dir {
        write_files(dir, &mut report)?;
    }
    Ok(report)
}

/// Write `report.json` and `latency.svg` into `dir`.
fn write_files(dir: &std::path::Path, report: &mut Report) -> Result<(), LoadError> {
    let io = |path: &std::path::Path| {
        let path = path.to_owned();
        move |source| LoadError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let json = dir.join("report.json");
    let svg = dir.join("latency.svg");
    report.files = vec![json.display().to_string(), svg.display().to_string()];
    plot::write_svg(&svg, &report.run, report.echo.as_ref())?;
    let text = serde_json::to_string_pretty(report)?;
    std::fs::write(&json, text + "\n").map_err(io(&json))?;
    Ok(())
}
