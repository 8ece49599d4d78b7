//! The Continuum authority plugin SDK.
//!
//! A local authority's procedures are a type that implements [`Authority`]: one method per
//! concern (thresholds, contact routing, panels, timescales, transitions), each a pure function
//! of the request it is given. [`export_authority!`] turns that type into a dynamic library with
//! the C entry points the Continuum host loads:
//!
//! ```ignore
//! #[derive(Default)]
//! pub struct Worcestershire;
//! impl continuum_plugin_api::Authority for Worcestershire { /* ... */ }
//! continuum_plugin_api::export_authority!(Worcestershire);
//! ```
//!
//! The boundary protocol (see [`ffi`]): a version handshake, one call entry taking a [`Method`]
//! id and protobuf bytes and giving back protobuf bytes or an error message, and a function that
//! frees what the plugin allocated. Panics are caught inside the plugin and come back as errors.
//!
//! [`conformance::check`] validates a plugin; call it from the plugin's own tests.

pub mod conformance;
pub mod facts;
pub mod ffi;
pub mod time;

/// The wire types that cross the boundary, generated from `proto/continuum/plugin/v1`.
///
/// Generated code: do not edit by hand. The root package's test `generated_plugin_types_are_fresh`
/// regenerates it (set `CONTINUUM_UPDATE_GENERATED=1` to write the new version).
#[allow(clippy::all, missing_docs, missing_debug_implementations)]
pub mod pb {
    include!("pb/continuum.plugin.v1.rs");
}

pub use pb::{
    AuthorityDescription, ContactAnswer, ContactRequest, PanelAnswer, PanelRequest,
    ThresholdDecision, ThresholdRequest, TimescaleAnswer, TimescaleRequest, TransitionAnswer,
    TransitionRequest,
};

/// The version of the boundary protocol. A host refuses a plugin built against another one.
///
/// Bump it whenever the entry points, the method ids or the meaning of a message change in a
/// way an older peer would misread.
pub const ABI_VERSION: u32 = 4;

/// What a plugin does for its authority. Every method is a pure function of its request: no
/// IO, no clock, no global state. The same request always gets the same answer.
pub trait Authority: Send + Sync + 'static {
    /// Everything static about the authority: levels, roles, indicators, contact points,
    /// panels, timescales, forms and the plugin's own name and version.
    fn describe(&self) -> AuthorityDescription;

    /// Which level of need a set of concerns points to, with the reasons and their citations.
    fn assess_threshold(
        &self,
        request: &ThresholdRequest,
    ) -> Result<ThresholdDecision, PluginError>;

    /// Who to contact for a purpose at a local date-time, whether they are open then, when they
    /// next open, and the out-of-hours and emergency alternatives.
    fn route_contact(&self, request: &ContactRequest) -> Result<ContactAnswer, PluginError>;

    /// The authority's panel and its next sitting on or after a date.
    fn next_panel(&self, request: &PanelRequest) -> Result<PanelAnswer, PluginError>;

    /// The deadlines a case event starts.
    fn timescales(&self, request: &TimescaleRequest) -> Result<TimescaleAnswer, PluginError>;

    /// Whether a step up, step down, step across, closure or transfer in may go ahead.
    fn check_transition(
        &self,
        request: &TransitionRequest,
    ) -> Result<TransitionAnswer, PluginError>;
}

/// The methods of [`Authority`], as numbered on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum Method {
    Describe = 0,
    AssessThreshold = 1,
    RouteContact = 2,
    NextPanel = 3,
    Timescales = 4,
    CheckTransition = 5,
}

impl Method {
    pub const ALL: [Method; 6] = [
        Method::Describe,
        Method::AssessThreshold,
        Method::RouteContact,
        Method::NextPanel,
        Method::Timescales,
        Method::CheckTransition,
    ];

    pub fn from_id(id: u32) -> Option<Method> {
        Method::ALL.into_iter().find(|m| *m as u32 == id)
    }

    pub fn name(self) -> &'static str {
        match self {
            Method::Describe => "describe",
            Method::AssessThreshold => "assess_threshold",
            Method::RouteContact => "route_contact",
            Method::NextPanel => "next_panel",
            Method::Timescales => "timescales",
            Method::CheckTransition => "check_transition",
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a plugin call gave no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PluginError {
    /// The request names something the authority does not have (an unknown indicator or level
    /// code, a malformed date). `field` is the request field at fault.
    InvalidRequest { field: String, message: String },
    /// The plugin failed: it panicked, answered with bytes that do not decode, or broke the
    /// protocol. The message says which; the call is lost, the plugin stays loaded.
    Failed(String),
}

impl PluginError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        PluginError::InvalidRequest {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for PluginError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PluginError::InvalidRequest { field, message } => write!(f, "{field}: {message}"),
            PluginError::Failed(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for PluginError {}

/// Build a [`pb::Citation`].
pub fn cite(source: &str, section: &str, quote: &str) -> pb::Citation {
    pb::Citation {
        source: source.to_owned(),
        section: section.to_owned(),
        quote: quote.to_owned(),
    }
}

/// Build a [`pb::RuleOutcome`].
pub fn rule(rule_id: &str, text: impl Into<String>, citation: pb::Citation) -> pb::RuleOutcome {
    pb::RuleOutcome {
        rule_id: rule_id.to_owned(),
        text: text.into(),
        citation: Some(citation),
        ..Default::default()
    }
}

/// Build an unmet transition condition that `decider` may decide (a panel: `panel_code`, or
/// empty for the authority's main panel), so the move waits for them instead of being refused.
pub fn decided_by(
    mut condition: pb::RuleOutcome,
    decider: pb::Decider,
    panel_code: &str,
) -> pb::RuleOutcome {
    condition.decided_by = decider as i32;
    condition.panel_code = panel_code.to_owned();
    condition
}

/// Generate the C entry points of a plugin for a type that implements [`Authority`] and
/// [`Default`]. The value is made once, on the first call, and lives as long as the process.
#[macro_export]
macro_rules! export_authority {
    ($authority:ty) => {
        static __CONTINUUM_AUTHORITY: ::std::sync::OnceLock<$authority> =
            ::std::sync::OnceLock::new();

        /// Version handshake: the host refuses the library unless this matches its own.
        #[unsafe(no_mangle)]
        pub extern "C" fn continuum_plugin_abi_version() -> u32 {
            $crate::ABI_VERSION
        }

        /// # Safety
        /// `input` must point to `input_len` readable bytes and `output` to a writable buffer.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn continuum_plugin_call(
            method: u32,
            input: *const u8,
            input_len: usize,
            output: *mut $crate::ffi::Buffer,
        ) -> i32 {
            unsafe {
                $crate::ffi::call_entry(
                    || {
                        __CONTINUUM_AUTHORITY
                            .get_or_init(<$authority as ::std::default::Default>::default)
                    },
                    method,
                    input,
                    input_len,
                    output,
                )
            }
        }

        /// # Safety
        /// `buffer` must have come from `continuum_plugin_call` of this library, once.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn continuum_plugin_free(buffer: $crate::ffi::Buffer) {
            unsafe { $crate::ffi::free_buffer(buffer) }
        }
    };
}
