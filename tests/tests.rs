//! Continuum's integration tests: one binary, one module per area (as ripgrep does).
//!
//! Plugins under test are real cdylibs, built by `support::plugin_dir` in the same `cargo test`
//! run, loaded through the real host.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod server;
mod shutdown;
mod support;

mod adding_an_authority;
mod api_errors;
mod api_journey;
mod api_lifecycle;
mod audit;
mod conformance_rules;
mod connections;
mod crash;
mod deadlines;
mod events;
mod events_python;
mod export;
mod generated;
mod hostile;
mod identity;
mod load_smoke;
mod migrations;
mod overload;
mod panels;
mod plugin_boundary;
mod plugins_check;
mod reflection;
mod scenario_tables;
mod scenarios;
mod tls;
mod token;
