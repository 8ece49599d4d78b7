//! Torbay (E06000027): Targeted Help, as a Continuum authority plugin.
//!
//! Source: `shared/seeds/003_36c46301cae4322f.txt`, chapter 1.2.1 "Targeted Help" of the South
//! West Safeguarding and Child Protection Procedures (Early Help Strategy 2017, updated November
//! 2017): the Early Help Professionals Consultation Line, the Targeted Help pathway through the
//! MASH with the family's consent, the weekly Targeted Help Panel, the Targeted Help
//! Co-ordinator and Team around the Family, and the review at 6 weeks (at most 12 weeks).
//!
//! The text is short. Every rule cites the section and sentence it relies on; where the text is
//! silent (levels 1, 2 and 4, the indicator catalogue, ages, emergency and out-of-hours
//! contacts, the MASH's contact details, the panel's weekday and any decision but allocation,
//! significant harm) the description records a gap and the plugin behaves conservatively
//! instead of inventing numbers.
//!
//! Who decides a move (protocol v3): a move into Targeted Help through the MASH, and a step
//! across within it, wait for the weekly Targeted Help Panel, whose decisions (allocate a
//! Targeted Help Co-ordinator, allocate the Family Intervention Team) both accept at level 3;
//! leaving Targeted Help, or closing, waits for a review or final meeting to record the outcome.
//! A missing Request for Service, missing consent and suspected significant harm are decided
//! away by nobody. The text names no manager's decision. Early help requests and safeguarding
//! referrals are routed to the MASH, reached as its `how_to_reach` says (the text gives it no
//! number); 999 is for emergencies only.
//!
//! Protocol v4 (plugin 2.0.0): the consultation line's weekday mornings are closed on a bank
//! holiday (the text is silent: a gap); a safeguarding referral reaches the MASH at night, at
//! weekends and on bank holidays alike, as a written referral that can be submitted at any time
//! (no out-of-hours number is invented). Advice is by telephone ("The number to call is 01803
//! 208525"); an early help request is a Request for Service "completed and submitted" to the
//! MASH with the family's consent, which the answer gives as its instruction. The text gives no
//! urgent route, no route for a child already known, no follow-up times, no ages and no
//! pre-birth timescales: answers say so, and gaps record what the plugin does instead. Level
//! descriptions in the indicator catalogue name no domain; the one document is the seed file.

mod catalogue;
mod contact;
mod panel;
mod text;
mod threshold;
mod timescale;
mod transition;

use continuum_plugin_api::{
    Authority, AuthorityDescription, ContactAnswer, ContactRequest, PanelAnswer, PanelRequest,
    PluginError, ThresholdDecision, ThresholdRequest, TimescaleAnswer, TimescaleRequest,
    TransitionAnswer, TransitionRequest,
};

/// Torbay Council's Targeted Help procedures.
#[derive(Debug, Default, Clone, Copy)]
pub struct Torbay;

impl Authority for Torbay {
    fn describe(&self) -> AuthorityDescription {
        catalogue::describe()
    }

    fn assess_threshold(
        &self,
        request: &ThresholdRequest,
    ) -> Result<ThresholdDecision, PluginError> {
        threshold::assess(request)
    }

    fn route_contact(&self, request: &ContactRequest) -> Result<ContactAnswer, PluginError> {
        contact::route(request)
    }

    fn next_panel(&self, request: &PanelRequest) -> Result<PanelAnswer, PluginError> {
        panel::next(request)
    }

    fn timescales(&self, request: &TimescaleRequest) -> Result<TimescaleAnswer, PluginError> {
        timescale::deadlines(request)
    }

    fn check_transition(
        &self,
        request: &TransitionRequest,
    ) -> Result<TransitionAnswer, PluginError> {
        transition::check(request)
    }
}

continuum_plugin_api::export_authority!(Torbay);

#[cfg(test)]
mod tests;
