//! What the tool drives (an [`Op`], chosen with `--op`) and what it measures (a [`Call`], one
//! gRPC method).
//!
//! Most operations are one call. Two are short chains, because the API needs the first call's
//! answer before the next can be made: `decide` receives a referral, screens it and decides it
//! (CreateReferral, ScreenReferral, DecideReferral), and `record-meeting` schedules a meeting and
//! records its outcome (ScheduleMeeting, RecordMeetingOutcome). Every call is timed and reported
//! on its own, so each figure can be read separately even inside a chain.
//!
//! `list-deadlines` is a team leader's view of ListDeadlines in an authority whose timescales
//! set deadlines: one of four filters at random (overdue; pending and due within the week; one
//! worker's; one kind's), each reported as a call of its own because each reads its own index,
//! and now and then the next page through the page token. Neither it nor `compliance-summary` is in the mix: the mix's figures stay
//! comparable with earlier runs.

use std::fmt;
use std::str::FromStr;

/// A unit of work the driver starts: one operation of the mix, or the only one with `--op`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Op {
    /// A 100-byte echo against the echo server (needs `--echo`).
    Echo,
    /// CaseService/GetCase of a seeded case.
    GetCase,
    /// CaseService/ListCases, the first page.
    ListCases,
    /// CaseService/ListCases resumed from a page token deep in the list.
    ListCasesDeep,
    /// AuthorityService/RouteContact: who to call for a purpose at a time.
    RouteContact,
    /// AuthorityService/AssessThreshold: a dry run of the thresholds.
    AssessThreshold,
    /// ReferralService/CreateReferral (a new referral, left received).
    CreateReferral,
    /// CreateReferral, ScreenReferral, then DecideReferral opening a case.
    Decide,
    /// CaseService/AllocateCase.
    Allocate,
    /// CaseService/RecordContact.
    RecordContact,
    /// MeetingService/ScheduleMeeting, then RecordMeetingOutcome.
    RecordMeeting,
    /// CaseService/TransitionCase: a step up, or back down.
    Transition,
    /// CaseService/ListDeadlines: a page of 20 with one filter a team leader would use, and
    /// sometimes the next page.
    ListDeadlines,
    /// CaseService/GetComplianceSummary over one to three months around today.
    ComplianceSummary,
    /// The realistic mix of the operations above except echo and the deadline views.
    Mix,
}

impl Op {
    /// Every operation, as `--op` accepts them.
    pub const ALL: [Op; 15] = [
        Op::Echo,
        Op::GetCase,
        Op::ListCases,
        Op::ListCasesDeep,
        Op::RouteContact,
        Op::AssessThreshold,
        Op::CreateReferral,
        Op::Decide,
        Op::Allocate,
        Op::RecordContact,
        Op::RecordMeeting,
        Op::Transition,
        Op::ListDeadlines,
        Op::ComplianceSummary,
        Op::Mix,
    ];

    /// The realistic mix: each operation with its weight (how many of every 45 tasks).
    ///
    /// Reads dominate, as in a front door and case management system: practitioners open and
    /// list cases far more often than they change them. Contacts with families are the most
    /// frequent write; referrals arrive, some are decided at once, others wait; meetings and
    /// transitions are the rarest.
    pub const MIX: [(Op, u32); 11] = [
        (Op::GetCase, 10),
        (Op::ListCases, 4),
        (Op::ListCasesDeep, 2),
        (Op::RouteContact, 4),
        (Op::AssessThreshold, 4),
        (Op::CreateReferral, 5),
        (Op::Decide, 3),
        (Op::Allocate, 3),
        (Op::RecordContact, 5),
        (Op::RecordMeeting, 3),
        (Op::Transition, 2),
    ];

    /// The name `--op` takes.
    pub fn name(self) -> &'static str {
        match self {
            Op::Echo => "echo",
            Op::GetCase => "get-case",
            Op::ListCases => "list-cases",
            Op::ListCasesDeep => "list-cases-deep",
            Op::RouteContact => "route-contact",
            Op::AssessThreshold => "assess-threshold",
            Op::CreateReferral => "create-referral",
            Op::Decide => "decide",
            Op::Allocate => "allocate",
            Op::RecordContact => "record-contact",
            Op::RecordMeeting => "record-meeting",
            Op::Transition => "transition",
            Op::ListDeadlines => "list-deadlines",
            Op::ComplianceSummary => "compliance-summary",
            Op::Mix => "mix",
        }
    }

    /// The calls this operation makes, in order.
    pub fn calls(self) -> &'static [Call] {
        match self {
            Op::Echo => &[Call::Echo],
            Op::GetCase => &[Call::GetCase],
            Op::ListCases => &[Call::ListCases],
            Op::ListCasesDeep => &[Call::ListCasesDeep],
            Op::RouteContact => &[Call::RouteContact],
            Op::AssessThreshold => &[Call::AssessThreshold],
            Op::CreateReferral => &[Call::CreateReferral],
            Op::Decide => &[
                Call::CreateReferral,
                Call::ScreenReferral,
                Call::DecideReferral,
            ],
            Op::Allocate => &[Call::AllocateCase],
            Op::RecordContact => &[Call::RecordContact],
            Op::RecordMeeting => &[Call::ScheduleMeeting, Call::RecordMeetingOutcome],
            Op::Transition => &[Call::TransitionCase],
            Op::ListDeadlines => &[
                Call::DeadlinesOverdue,
                Call::DeadlinesDueThisWeek,
                Call::DeadlinesOfWorker,
                Call::DeadlinesOfKind,
                Call::DeadlinesNextPage,
            ],
            Op::ComplianceSummary => &[Call::ComplianceSummary],
            Op::Mix => &[],
        }
    }

    /// Reads deadlines: seeding then allocates its cases and spreads them over past months,
    /// so deadlines exist in every state (see [`super::setup`]).
    pub fn needs_deadlines(self) -> bool {
        matches!(self, Op::ListDeadlines | Op::ComplianceSummary)
    }

    /// Reads deep pages of the case list: seeding keeps page tokens from deep in each list.
    pub fn needs_deep_tokens(self) -> bool {
        matches!(self, Op::Mix | Op::ListCasesDeep)
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Op {
    type Err = String;

    fn from_str(s: &str) -> Result<Op, String> {
        Op::ALL
            .into_iter()
            .find(|op| op.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Op::ALL.iter().map(|op| op.name()).collect();
                format!("unknown operation {s:?}: one of {}", names.join(", "))
            })
    }
}

/// One gRPC method, timed and reported on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Call {
    Echo,
    GetCase,
    ListCases,
    ListCasesDeep,
    RouteContact,
    AssessThreshold,
    CreateReferral,
    ScreenReferral,
    DecideReferral,
    AllocateCase,
    RecordContact,
    ScheduleMeeting,
    RecordMeetingOutcome,
    TransitionCase,
    /// ListDeadlines, state OVERDUE.
    DeadlinesOverdue,
    /// ListDeadlines, state PENDING and due within seven days.
    DeadlinesDueThisWeek,
    /// ListDeadlines of one worker's cases.
    DeadlinesOfWorker,
    /// ListDeadlines of one kind (code).
    DeadlinesOfKind,
    /// ListDeadlines resumed from the page token of one of the above.
    DeadlinesNextPage,
    ComplianceSummary,
}

impl Call {
    /// Every call, in the order reports list them.
    pub const ALL: [Call; 20] = [
        Call::Echo,
        Call::GetCase,
        Call::ListCases,
        Call::ListCasesDeep,
        Call::RouteContact,
        Call::AssessThreshold,
        Call::CreateReferral,
        Call::ScreenReferral,
        Call::DecideReferral,
        Call::AllocateCase,
        Call::RecordContact,
        Call::ScheduleMeeting,
        Call::RecordMeetingOutcome,
        Call::TransitionCase,
        Call::DeadlinesOverdue,
        Call::DeadlinesDueThisWeek,
        Call::DeadlinesOfWorker,
        Call::DeadlinesOfKind,
        Call::DeadlinesNextPage,
        Call::ComplianceSummary,
    ];

    /// Its position in [`Call::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The name reports use (the operation's name where the call is the whole operation).
    pub fn name(self) -> &'static str {
        match self {
            Call::Echo => "echo",
            Call::GetCase => "get-case",
            Call::ListCases => "list-cases",
            Call::ListCasesDeep => "list-cases-deep",
            Call::RouteContact => "route-contact",
            Call::AssessThreshold => "assess-threshold",
            Call::CreateReferral => "create-referral",
            Call::ScreenReferral => "screen",
            Call::DecideReferral => "decide",
            Call::AllocateCase => "allocate",
            Call::RecordContact => "record-contact",
            Call::ScheduleMeeting => "schedule-meeting",
            Call::RecordMeetingOutcome => "record-meeting",
            Call::TransitionCase => "transition",
            Call::DeadlinesOverdue => "deadlines-overdue",
            Call::DeadlinesDueThisWeek => "deadlines-due-week",
            Call::DeadlinesOfWorker => "deadlines-worker",
            Call::DeadlinesOfKind => "deadlines-code",
            Call::DeadlinesNextPage => "deadlines-next-page",
            Call::ComplianceSummary => "compliance-summary",
        }
    }

    /// The gRPC method.
    pub fn method(self) -> &'static str {
        match self {
            Call::Echo => "continuum.bench.v1.Echo/Echo",
            Call::GetCase => "continuum.v1.CaseService/GetCase",
            Call::ListCases => "continuum.v1.CaseService/ListCases",
            Call::ListCasesDeep => "continuum.v1.CaseService/ListCases (deep page)",
            Call::RouteContact => "continuum.v1.AuthorityService/RouteContact",
            Call::AssessThreshold => "continuum.v1.AuthorityService/AssessThreshold",
            Call::CreateReferral => "continuum.v1.ReferralService/CreateReferral",
            Call::ScreenReferral => "continuum.v1.ReferralService/ScreenReferral",
            Call::DecideReferral => "continuum.v1.ReferralService/DecideReferral",
            Call::AllocateCase => "continuum.v1.CaseService/AllocateCase",
            Call::RecordContact => "continuum.v1.CaseService/RecordContact",
            Call::ScheduleMeeting => "continuum.v1.MeetingService/ScheduleMeeting",
            Call::RecordMeetingOutcome => "continuum.v1.MeetingService/RecordMeetingOutcome",
            Call::TransitionCase => "continuum.v1.CaseService/TransitionCase",
            Call::DeadlinesOverdue => "continuum.v1.CaseService/ListDeadlines (state OVERDUE)",
            Call::DeadlinesDueThisWeek => {
                "continuum.v1.CaseService/ListDeadlines (state PENDING, due within 7 days)"
            }
            Call::DeadlinesOfWorker => "continuum.v1.CaseService/ListDeadlines (allocated_worker)",
            Call::DeadlinesOfKind => "continuum.v1.CaseService/ListDeadlines (code)",
            Call::DeadlinesNextPage => "continuum.v1.CaseService/ListDeadlines (next page)",
            Call::ComplianceSummary => "continuum.v1.CaseService/GetComplianceSummary",
        }
    }
}

/// Which operation each task runs: a fixed, shuffled deck of the mix's weights dealt in turn,
/// so every operation gets exactly its share of any run at least one deck long (45 tasks), and
/// a short run still exercises everything.
#[derive(Debug, Clone)]
pub struct Deck {
    ops: Vec<Op>,
}

impl Deck {
    /// A deck for `op`: the weighted mix (less any operation in `unavailable`), or `op` alone.
    pub fn new(op: Op, unavailable: &[Op], random_seed: u64) -> Deck {
        if op != Op::Mix {
            return Deck { ops: vec![op] };
        }
        let mut ops: Vec<Op> = Op::MIX
            .iter()
            .filter(|(op, _)| !unavailable.contains(op))
            .flat_map(|&(op, weight)| std::iter::repeat_n(op, weight as usize))
            .collect();
        fastrand::Rng::with_seed(random_seed).shuffle(&mut ops);
        Deck { ops }
    }

    /// The operation of task number `task`.
    pub fn deal(&self, task: u64) -> Op {
        let i = (task % self.ops.len().max(1) as u64) as usize;
        self.ops.get(i).copied().unwrap_or(Op::GetCase)
    }

    /// The distinct operations in the deck.
    pub fn ops(&self) -> Vec<Op> {
        let mut ops = self.ops.clone();
        ops.sort();
        ops.dedup();
        ops
    }

    /// The calls the deck's operations make.
    pub fn calls(&self) -> Vec<Call> {
        let mut calls: Vec<Call> = self
            .ops()
            .iter()
            .flat_map(|op| op.calls().iter().copied())
            .collect();
        calls.sort();
        calls.dedup();
        calls
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_calls_are_indexed_in_order() {
        for op in Op::ALL {
            assert_eq!(op.name().parse::<Op>().unwrap(), op);
        }
        for (i, call) in Call::ALL.iter().enumerate() {
            assert_eq!(call.index(), i);
        }
        assert!("nope".parse::<Op>().is_err());
    }

    #[test]
    fn a_deck_deals_every_operation_of_the_mix_its_share() {
        let deck = Deck::new(Op::Mix, &[], 7);
        let total: u32 = Op::MIX.iter().map(|(_, w)| w).sum();
        for (op, weight) in Op::MIX {
            let dealt = (0..u64::from(total))
                .filter(|&t| deck.deal(t) == op)
                .count();
            assert_eq!(dealt, weight as usize, "{op}");
        }
        assert!(Op::MIX.iter().all(|(op, _)| !op.needs_deadlines()));
        let without = Deck::new(Op::Mix, &[Op::Transition], 7);
        assert!(!without.ops().contains(&Op::Transition));
        assert_eq!(Deck::new(Op::GetCase, &[], 7).ops(), vec![Op::GetCase]);
    }
}
