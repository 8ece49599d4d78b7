//! The report: per call, how many, how fast, how slow at each percentile, which errors; each
//! figure also as a share of the echo baseline's; the configuration, the machine, and the
//! correctness checks. Written as `report.json` and printed as a table.
//!
//! Share of echo: each figure divided by echo's same figure, measured at the same rate or
//! concurrency on the same machine. Throughput shares are below 1 (the service does that
//! fraction of what bare gRPC does); latency shares are above 1 (the call takes that many times
//! as long as an echo). They take the transport and the machine out of the comparison, so
//! figures from different machines can be compared. Throughput compares in a closed loop; an
//! open loop's is its schedule's. In step mode the throughput share is of the highest rates
//! that held, and latencies are those of each side's best step.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use hdrhistogram::Histogram;
use serde::{Serialize, Serializer};

use super::check::Checks;
use super::drive::{Phase, StepResult};
use super::ops::Call;
use super::setup::SeedSummary;
use super::{Config, Load, LoadError};

/// Serialize a duration as seconds.
pub fn seconds<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

/// Everything a run found.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub tool: String,
    /// When the run began (UTC, RFC 3339).
    pub started_at: String,
    pub config: ConfigSummary,
    pub machine: Machine,
    /// What seeding did (none when only echo is driven).
    pub seed: Option<SeedSummary>,
    /// The echo baseline, when an echo server was given.
    pub echo: Option<PhaseReport>,
    /// The service (or, with `--op echo`, the echo server).
    pub run: PhaseReport,
    /// The correctness checks (none when only echo is driven).
    pub checks: Option<Checks>,
    /// Anything the reader should know: operations left out and why, scans cut short.
    pub notes: Vec<String>,
    /// Files written.
    pub files: Vec<String>,
}

impl Report {
    /// Every correctness check passed (or none was run).
    pub fn passed(&self) -> bool {
        self.checks.as_ref().is_none_or(|c| c.passed)
    }

    /// Failed calls in the run and the echo baseline.
    pub fn errors(&self) -> u64 {
        self.run.errors + self.echo.as_ref().map_or(0, |e| e.errors)
    }
}

/// The settings of a run, without credentials.
#[derive(Debug, Clone, Serialize)]
pub struct ConfigSummary {
    pub addr: String,
    pub echo: Option<String>,
    pub op: String,
    pub load: Load,
    #[serde(serialize_with = "seconds")]
    pub duration_s: Duration,
    pub seed: usize,
    pub connections: usize,
    pub max_in_flight: usize,
    #[serde(serialize_with = "seconds")]
    pub request_timeout_s: Duration,
    pub verify_max: usize,
    pub idempotency_retries: usize,
    pub random_seed: u64,
    /// The authorities driven (GSS codes).
    pub authorities: Vec<String>,
}

impl ConfigSummary {
    pub fn new(config: &Config, connections: usize, authorities: Vec<String>) -> ConfigSummary {
        ConfigSummary {
            addr: config.addr.clone(),
            echo: config.echo.clone(),
            op: config.op.name().into(),
            load: config.load,
            duration_s: config.duration,
            seed: config.seed,
            connections,
            max_in_flight: config.max_in_flight,
            request_timeout_s: config.request_timeout,
            verify_max: config.verify_max,
            idempotency_retries: config.idempotency_retries,
            random_seed: config.random_seed,
            authorities,
        }
    }
}

/// The machine the tool ran on.
#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    pub cores: usize,
    pub os: String,
    pub arch: String,
}

impl Machine {
    pub fn this() -> Machine {
        Machine {
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            os: std::env::consts::OS.into(),
            arch: std::env::consts::ARCH.into(),
        }
    }
}

/// One phase: the run, or the echo baseline.
#[derive(Debug, Clone, Serialize)]
pub struct PhaseReport {
    /// "service" or "echo".
    pub target: String,
    /// "open", "closed" or "step".
    pub mode: String,
    /// How load arrived, in words.
    pub load: String,
    pub elapsed_s: f64,
    /// Tasks started (an operation may make several calls).
    pub tasks: u64,
    /// Tasks that sent nothing, because no case was free to change.
    pub skipped: u64,
    /// Tasks abandoned unanswered at the end of the drain.
    pub unfinished: u64,
    /// Calls answered, successful or not.
    pub calls: u64,
    pub errors: u64,
    pub throughput_per_s: f64,
    /// Every call together.
    pub all: OpStats,
    /// Per call, by name.
    pub ops: BTreeMap<String, OpStats>,
    /// Step mode: every step, and the highest rate that held.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<StepResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub best_rate: Option<f64>,
    /// Latency histograms per call, for the plot.
    #[serde(skip)]
    pub histograms: Vec<(Call, Histogram<u64>)>,
}

/// One call's figures. Latencies are of successful calls, in milliseconds.
#[derive(Debug, Clone, Serialize)]
pub struct OpStats {
    pub method: String,
    /// Successful calls.
    pub count: u64,
    /// Failed calls by gRPC status code.
    pub errors: BTreeMap<String, u64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub error_samples: Vec<String>,
    /// Successful calls per second.
    pub throughput_per_s: f64,
    pub mean_ms: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub p99_9_ms: f64,
    pub max_ms: f64,
    /// Each figure divided by echo's (see the module documentation).
    pub share_of_echo: Option<ShareOfEcho>,
}

/// Figures divided by the echo baseline's.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ShareOfEcho {
    pub throughput: f64,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub p99_9: f64,
}

fn ms(micros: u64) -> f64 {
    micros as f64 / 1e3
}

fn op_stats(
    method: &str,
    h: &Histogram<u64>,
    errors: BTreeMap<String, u64>,
    samples: Vec<String>,
    elapsed: Duration,
) -> OpStats {
    let q = |p: f64| {
        if h.is_empty() {
            0.0
        } else {
            ms(h.value_at_quantile(p))
        }
    };
    OpStats {
        method: method.into(),
        count: h.len(),
        errors,
        error_samples: samples,
        throughput_per_s: h.len() as f64 / elapsed.as_secs_f64().max(1e-9),
        mean_ms: if h.is_empty() { 0.0 } else { h.mean() / 1e3 },
        p50_ms: q(0.5),
        p90_ms: q(0.9),
        p99_ms: q(0.99),
        p99_9_ms: q(0.999),
        max_ms: if h.is_empty() { 0.0 } else { ms(h.max()) },
        share_of_echo: None,
    }
}

impl PhaseReport {
    /// Summarise a phase; `calls` are listed even when none was made.
    pub fn new(
        target: &str,
        load: &Load,
        description: String,
        phase: &Phase,
        calls: &[Call],
    ) -> Result<PhaseReport, LoadError> {
        let r = &phase.recorder;
        let mut ops = BTreeMap::new();
        let mut histograms = Vec::new();
        let mut all_errors: BTreeMap<String, u64> = BTreeMap::new();
        for &call in calls {
            let (Some(h), Some(errors), Some(samples)) = (
                r.latency.get(call.index()),
                r.errors.get(call.index()),
                r.samples.get(call.index()),
            ) else {
                continue;
            };
            for (code, n) in errors {
                *all_errors.entry(code.clone()).or_default() += n;
            }
            ops.insert(
                call.name().to_owned(),
                op_stats(
                    call.method(),
                    h,
                    errors.clone(),
                    samples.clone(),
                    phase.elapsed,
                ),
            );
            histograms.push((call, h.clone()));
        }
        let all = op_stats(
            "all calls",
            &r.all_latency()?,
            all_errors,
            Vec::new(),
            phase.elapsed,
        );
        let errors: u64 = all.errors.values().sum();
        let calls = all.count + errors;
        Ok(PhaseReport {
            target: target.into(),
            mode: match load {
                Load::Open { .. } => "open",
                Load::Closed { .. } => "closed",
                Load::Step(_) => "step",
            }
            .into(),
            load: description,
            elapsed_s: phase.elapsed.as_secs_f64(),
            tasks: phase.tasks,
            skipped: phase.skipped,
            unfinished: phase.unfinished,
            calls,
            errors,
            throughput_per_s: calls as f64 / phase.elapsed.as_secs_f64().max(1e-9),
            all,
            ops,
            steps: Vec::new(),
            best_rate: None,
            histograms,
        })
    }

    /// Fill in every figure's share of the echo baseline.
    pub fn compare_with(&mut self, echo: &PhaseReport) {
        let Some(e) = echo.ops.get(Call::Echo.name()) else {
            return;
        };
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
        let share = |s: &OpStats| ShareOfEcho {
            throughput: ratio(s.throughput_per_s, e.throughput_per_s),
            p50: ratio(s.p50_ms, e.p50_ms),
            p90: ratio(s.p90_ms, e.p90_ms),
            p99: ratio(s.p99_ms, e.p99_ms),
            p99_9: ratio(s.p99_9_ms, e.p99_9_ms),
        };
        for s in self.ops.values_mut() {
            s.share_of_echo = Some(share(s));
        }
        let mut all = share(&self.all);
        // Steps: throughput is the highest rate each held.
        if let (Some(mine), Some(echo)) = (self.best_rate, echo.best_rate) {
            all.throughput = ratio(mine, echo);
        }
        self.all.share_of_echo = Some(all);
    }
}

/// Describe how load arrived.
pub fn describe_load(load: &Load, duration: Duration) -> String {
    match load {
        Load::Open { rate } => format!(
            "open loop, {rate} tasks/s for {:.1} s",
            duration.as_secs_f64()
        ),
        Load::Closed { concurrency } => format!(
            "closed loop, concurrency {concurrency} for {:.1} s",
            duration.as_secs_f64()
        ),
        Load::Step(s) => format!(
            "open-loop steps from {}/s by {}/s, {:.1} s each, until p99 > {} ms",
            s.from,
            s.by,
            s.step_duration.as_secs_f64(),
            s.p99_ms
        ),
    }
}

fn phase_table(out: &mut String, p: &PhaseReport, order: &[Call]) {
    let _ = writeln!(out, "{} — {}", p.target, p.load);
    let _ = writeln!(
        out,
        "  {:<19} {:>8} {:>6} {:>9} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "call",
        "count",
        "errors",
        "calls/s",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "p99.9",
        "max ms",
        "p50×echo",
        "p99×echo"
    );
    let row = |out: &mut String, name: &str, s: &OpStats| {
        let share = |f: fn(&ShareOfEcho) -> f64| {
            s.share_of_echo
                .as_ref()
                .map_or_else(|| "-".to_owned(), |e| format!("{:.1}", f(e)))
        };
        let _ = writeln!(
            out,
            "  {:<19} {:>8} {:>6} {:>9.1} {:>8.3} {:>8.3} {:>8.3} {:>8.3} {:>8.3} {:>8} {:>8}",
            name,
            s.count,
            s.errors.values().sum::<u64>(),
            s.throughput_per_s,
            s.p50_ms,
            s.p90_ms,
            s.p99_ms,
            s.p99_9_ms,
            s.max_ms,
            share(|e| e.p50),
            share(|e| e.p99),
        );
    };
    for call in order {
        if let Some(s) = p.ops.get(call.name()) {
            row(out, call.name(), s);
        }
    }
    if p.ops.len() > 1 {
        row(out, "all", &p.all);
    }
    let _ = write!(
        out,
        "  {} calls in {:.2} s: {:.1} calls/s",
        p.calls, p.elapsed_s, p.throughput_per_s
    );
    // An open loop's throughput is its schedule's, so only a closed loop's compares.
    if let Some(share) = p.all.share_of_echo.filter(|_| p.mode == "closed") {
        let _ = write!(out, " ({:.1}% of echo's)", 100.0 * share.throughput);
    }
    let _ = writeln!(out);
    if p.skipped + p.unfinished > 0 {
        let _ = writeln!(
            out,
            "  {} tasks skipped (no case free), {} abandoned unanswered",
            p.skipped, p.unfinished
        );
    }
    for step in &p.steps {
        let _ = writeln!(
            out,
            "  step {:>8.0}/s: {:>9.1} calls/s, p50 {:>8.3} ms, p99 {:>8.3} ms, {} errors — {}",
            step.rate,
            step.achieved_per_s,
            step.p50_ms,
            step.p99_ms,
            step.errors,
            if step.held { "held" } else { "missed" }
        );
    }
    if !p.steps.is_empty() {
        let share = p
            .all
            .share_of_echo
            .filter(|_| p.best_rate.is_some())
            .map(|s| format!(" ({:.1}% of echo's)", 100.0 * s.throughput))
            .unwrap_or_default();
        let _ = match p.best_rate {
            Some(rate) => writeln!(out, "  highest rate that held: {rate}/s{share}"),
            None => writeln!(out, "  no rate held"),
        };
    }
    let mut errors = String::new();
    for call in order {
        if let Some(s) = p.ops.get(call.name())
            && !s.errors.is_empty()
        {
            let codes: Vec<String> = s.errors.iter().map(|(c, n)| format!("{c} {n}")).collect();
            let _ = write!(errors, "\n    {}: {}", call.name(), codes.join(", "));
            for sample in &s.error_samples {
                let _ = write!(errors, "\n      e.g. {sample}");
            }
        }
    }
    if errors.is_empty() {
        let _ = writeln!(out, "  errors by status code: none");
    } else {
        let _ = writeln!(out, "  errors by status code:{errors}");
    }
}

impl Report {
    /// The report as a table for a terminal.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let c = &self.config;
        let _ = writeln!(
            out,
            "continuum load: {} against {}, {} HTTP/2 connection{} each, {} cores",
            c.op,
            match (&c.echo, c.op.as_str()) {
                (Some(echo), "echo") => echo.clone(),
                (Some(echo), _) => format!("{} (echo {echo})", c.addr),
                (None, _) => c.addr.clone(),
            },
            c.connections,
            if c.connections == 1 { "" } else { "s" },
            self.machine.cores
        );
        if let Some(seed) = &self.seed {
            let _ = writeln!(
                out,
                "seeded {} referrals, {} cases ({} kept for transitions) in {} {} in {:.1} s{}",
                seed.referrals,
                seed.cases.values().sum::<usize>(),
                seed.transition_cases.values().sum::<usize>(),
                seed.cases.len(),
                if seed.cases.len() == 1 {
                    "authority"
                } else {
                    "authorities"
                },
                seed.elapsed_s,
                if seed.errors.is_empty() {
                    String::new()
                } else {
                    format!(" (errors: {:?})", seed.errors)
                }
            );
            if seed.allocated > 0 {
                let mut states: BTreeMap<&str, u64> = BTreeMap::new();
                for by_state in seed.deadlines.values() {
                    for (state, n) in by_state {
                        *states.entry(state).or_default() += n;
                    }
                }
                let listed: Vec<String> = states.iter().map(|(s, n)| format!("{s} {n}")).collect();
                let _ = writeln!(
                    out,
                    "seeded cases: {} allocated, {} contacts; {} deadlines on them ({})",
                    seed.allocated,
                    seed.contacts,
                    states.values().sum::<u64>(),
                    listed.join(", ")
                );
            }
        }
        if let Some(echo) = &self.echo {
            out.push('\n');
            phase_table(&mut out, echo, &Call::ALL);
        }
        out.push('\n');
        phase_table(&mut out, &self.run, &Call::ALL);
        if let Some(checks) = &self.checks {
            let mark = |ok: bool| if ok { "ok" } else { "FAILED" };
            let r = &checks.readable;
            let i = &checks.idempotent_retries;
            let a = &checks.applied_once;
            let _ = writeln!(
                out,
                "\nchecks ({}): {} acknowledged creates\n  readable afterwards: {}/{} {}\n  idempotent retries: {}/{} same resource {}\n  applied once: {} listed, {} seen, {} applied twice, {} not seen{} {}",
                mark(checks.passed),
                checks.acknowledged_creates,
                r.readable,
                r.checked,
                mark(r.passed),
                i.same_resource,
                i.retried,
                mark(i.passed),
                a.scanned,
                a.seen,
                a.applied_twice,
                a.not_seen,
                if a.complete { "" } else { " (scan incomplete)" },
                mark(a.passed),
            );
            for e in r.examples.iter().chain(&i.examples).chain(&a.examples) {
                let _ = writeln!(out, "    {e}");
            }
        }
        for note in &self.notes {
            let _ = writeln!(out, "note: {note}");
        }
        if !self.files.is_empty() {
            let _ = writeln!(out, "wrote {}", self.files.join(", "));
        }
        out
    }
}
