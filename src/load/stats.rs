//! Recording what every call took.
//!
//! A successful call's latency goes into an HdrHistogram for its [`Call`] (microseconds, 3
//! significant digits, 1 µs to 60 s), so percentiles up to p99.9 and the maximum are exact to
//! 0.1% however many calls there are. A failed call is not timed: it is counted under its gRPC
//! status code, with the first few messages kept to say why. An answer that fails the tool's
//! own check of it (a list out of order, say) is counted as failed, under [`WRONG_ANSWER`]. Recorders are sharded (tasks pick
//! a shard by number) so that concurrent tasks rarely wait for one another's lock, and merged
//! at the end of a phase.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use hdrhistogram::Histogram;

use super::LoadError;
use super::ops::Call;

/// The largest latency a histogram holds exactly; longer ones are recorded as this.
const MAX_MICROS: u64 = 60_000_000;
/// Error messages kept per call.
const ERROR_SAMPLES: usize = 3;
/// What an answer that failed the tool's check of it is counted under, beside status codes.
pub const WRONG_ANSWER: &str = "WrongAnswer";

/// Lock a mutex, carrying on if another task panicked while holding it (the data are counts).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn histogram() -> Result<Histogram<u64>, LoadError> {
    Histogram::new_with_bounds(1, MAX_MICROS, 3).map_err(|e| LoadError::Stats(e.to_string()))
}

/// What one shard saw, per call.
#[derive(Debug, Clone)]
pub struct Recorder {
    /// Latency of successful calls, in microseconds, indexed by [`Call::index`].
    pub latency: Vec<Histogram<u64>>,
    /// Failed calls by gRPC status code name, per call.
    pub errors: Vec<BTreeMap<String, u64>>,
    /// The first few error messages, per call.
    pub samples: Vec<Vec<String>>,
}

impl Recorder {
    pub fn new() -> Result<Recorder, LoadError> {
        Ok(Recorder {
            latency: Call::ALL
                .iter()
                .map(|_| histogram())
                .collect::<Result<_, _>>()?,
            errors: vec![BTreeMap::new(); Call::ALL.len()],
            samples: vec![Vec::new(); Call::ALL.len()],
        })
    }

    fn success(&mut self, call: Call, took: Duration) {
        if let Some(h) = self.latency.get_mut(call.index()) {
            h.saturating_record((took.as_micros() as u64).clamp(1, MAX_MICROS));
        }
    }

    fn failure(&mut self, call: Call, status: &tonic::Status) {
        self.count_error(call, format!("{:?}", status.code()), || {
            format!("{:?}: {}", status.code(), status.message())
        });
    }

    fn count_error(&mut self, call: Call, code: String, sample: impl FnOnce() -> String) {
        let i = call.index();
        if let Some(errors) = self.errors.get_mut(i) {
            *errors.entry(code).or_default() += 1;
        }
        if let Some(samples) = self.samples.get_mut(i)
            && samples.len() < ERROR_SAMPLES
        {
            samples.push(sample());
        }
    }

    /// Add another recorder's counts to this one.
    pub fn merge(&mut self, other: &Recorder) -> Result<(), LoadError> {
        for (mine, theirs) in self.latency.iter_mut().zip(&other.latency) {
            mine.add(theirs)
                .map_err(|e| LoadError::Stats(e.to_string()))?;
        }
        for (mine, theirs) in self.errors.iter_mut().zip(&other.errors) {
            for (code, n) in theirs {
                *mine.entry(code.clone()).or_default() += n;
            }
        }
        for (mine, theirs) in self.samples.iter_mut().zip(&other.samples) {
            for s in theirs {
                if mine.len() < ERROR_SAMPLES {
                    mine.push(s.clone());
                }
            }
        }
        Ok(())
    }

    /// Successful calls of `call`.
    pub fn count(&self, call: Call) -> u64 {
        self.latency.get(call.index()).map_or(0, Histogram::len)
    }

    /// Failed calls of `call`.
    pub fn error_count(&self, call: Call) -> u64 {
        self.errors
            .get(call.index())
            .map_or(0, |e| e.values().sum())
    }

    /// Every call's latencies in one histogram.
    pub fn all_latency(&self) -> Result<Histogram<u64>, LoadError> {
        let mut all = histogram()?;
        for h in &self.latency {
            all.add(h).map_err(|e| LoadError::Stats(e.to_string()))?;
        }
        Ok(all)
    }
}

/// The live counters and sharded recorders of one phase (a run, a step, the seeding).
#[derive(Debug)]
pub struct Stats {
    shards: Vec<Mutex<Recorder>>,
    /// Calls finished so far, successful or not (for the progress bar).
    pub calls: AtomicU64,
    /// Calls failed so far.
    pub errors: AtomicU64,
    /// Tasks not run because no case was free to change before the run ended.
    pub skipped: AtomicU64,
}

impl Stats {
    pub fn new() -> Result<Stats, LoadError> {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let shards = (2 * cores).max(4);
        Ok(Stats {
            shards: (0..shards)
                .map(|_| Recorder::new().map(Mutex::new))
                .collect::<Result<_, _>>()?,
            calls: AtomicU64::new(0),
            errors: AtomicU64::new(0),
            skipped: AtomicU64::new(0),
        })
    }

    fn shard(&self, task: u64) -> MutexGuard<'_, Recorder> {
        // `shards` is never empty (see `new`).
        lock(&self.shards[(task % self.shards.len() as u64) as usize])
    }

    /// Record a finished call of task number `task`.
    pub fn record<T>(
        &self,
        task: u64,
        call: Call,
        took: Duration,
        result: &Result<T, tonic::Status>,
    ) {
        self.calls.fetch_add(1, Ordering::Relaxed);
        match result {
            Ok(_) => self.shard(task).success(call, took),
            Err(status) => {
                self.errors.fetch_add(1, Ordering::Relaxed);
                self.shard(task).failure(call, status);
            }
        }
    }

    /// Record a call of task number `task` that answered, but wrongly (`why`): counted as
    /// failed, under [`WRONG_ANSWER`], and not timed.
    pub fn wrong(&self, task: u64, call: Call, why: String) {
        self.calls.fetch_add(1, Ordering::Relaxed);
        self.errors.fetch_add(1, Ordering::Relaxed);
        self.shard(task)
            .count_error(call, WRONG_ANSWER.to_owned(), || {
                format!("{WRONG_ANSWER}: {why}")
            });
    }

    /// Every shard merged.
    pub fn merged(&self) -> Result<Recorder, LoadError> {
        let mut all = Recorder::new()?;
        for shard in &self.shards {
            all.merge(&lock(shard))?;
        }
        Ok(all)
    }
}
