//! Worcestershire (E10000034): the "Multi Agency Levels of Need" guidance (May 2019) as a
//! Continuum authority plugin.
//!
//! Every rule cites `shared/seeds/001_e8fa8c619eac9618.txt`, its section and the words relied
//! on. Where the text is silent the description records a gap and the plugin behaves
//! conservatively. Every method is a pure function of its request.

mod catalogue;
mod contact;
mod describe;
mod panel;
mod source;
mod threshold;
mod transition;

use continuum_plugin_api::{
    Authority, AuthorityDescription, ContactAnswer, ContactRequest, PanelAnswer, PanelRequest,
    PluginError, ThresholdDecision, ThresholdRequest, TimescaleAnswer, TimescaleRequest,
    TransitionAnswer, TransitionRequest,
};

/// The Worcestershire authority.
#[derive(Debug, Default, Clone, Copy)]
pub struct Worcestershire;

impl Authority for Worcestershire {
    fn describe(&self) -> AuthorityDescription {
        describe::describe()
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
        panel::next_panel(request)
    }

    fn timescales(&self, request: &TimescaleRequest) -> Result<TimescaleAnswer, PluginError> {
        panel::deadlines(request)
    }

    fn check_transition(
        &self,
        request: &TransitionRequest,
    ) -> Result<TransitionAnswer, PluginError> {
        transition::check(request)
    }
}

continuum_plugin_api::export_authority!(Worcestershire);
