//! Carmarthenshire (W06000010): the protocols for step up, step down and step across between
//! Team Around the Family (TAF) and statutory Children's Social Services, as a Continuum
//! authority plugin.
//!
//! Source: `shared/seeds/004_409172220b5d16c4.txt` (Appendix 5, October 2017, reviewed October
//! 2021). The levels of need are the five categories of support of 'The Right Help at the Right
//! Time' (Mid and West Wales). Every rule cites the section and sentence it relies on; where the
//! text is silent the description records a gap instead of inventing a number.

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

/// Carmarthenshire County Council's Team Around the Family procedures.
#[derive(Debug, Default, Clone, Copy)]
pub struct Carmarthenshire;

impl Authority for Carmarthenshire {
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

continuum_plugin_api::export_authority!(Carmarthenshire);

#[cfg(test)]
mod tests;
