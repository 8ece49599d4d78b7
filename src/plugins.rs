//! `continuum plugins ...`: load plugin libraries and check them against the contract.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use continuum_plugin_api::conformance::{self, Violation};
use continuum_plugin_host::{PluginSet, plugin_files};

#[derive(Debug, Subcommand)]
pub enum PluginsCommand {
    /// Load plugins, print each description and report every conformance violation.
    /// Exits non-zero if any plugin is refused or breaks the contract.
    Check {
        /// Plugin libraries, or directories holding them (files named
        /// `libcontinuum_authority_*.so` on Linux).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// A directory holding the cited sources: every quote is then looked for, word for
        /// word, in the file its citation names (by file name, e.g. a citation of
        /// `shared/seeds/001_x.txt` is looked for as `DIR/001_x.txt`).
        #[arg(long, value_name = "DIR")]
        sources: Option<PathBuf>,
    },
}

pub fn run(command: PluginsCommand) -> anyhow::Result<ExitCode> {
    match command {
        PluginsCommand::Check { paths, sources } => check(&paths, sources.as_deref()),
    }
}

fn check(paths: &[PathBuf], sources: Option<&std::path::Path>) -> anyhow::Result<ExitCode> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            files.extend(plugin_files(path)?);
        } else {
            files.push(path.clone());
        }
    }
    if files.is_empty() {
        anyhow::bail!("no plugin libraries found in {paths:?}");
    }

    let set = PluginSet::load_paths(&files);
    let mut failed = 0;
    for refusal in set.refused() {
        failed += 1;
        println!("FAIL {refusal}");
    }
    for plugin in set.plugins() {
        let d = plugin.description();
        let violations = match sources {
            None => conformance::check(plugin.as_ref()),
            Some(dir) => conformance::check_with_sources(plugin.as_ref(), &|cited| {
                let name = std::path::Path::new(cited).file_name()?;
                std::fs::read_to_string(dir.join(name)).ok()
            }),
        };
        let verdict = if violations.is_empty() {
            "PASS"
        } else {
            "FAIL"
        };
        println!(
            "{verdict} {} {} ({} {}) from {}",
            d.code,
            d.name,
            d.plugin_name,
            d.plugin_version,
            plugin.path().display()
        );
        println!("     framework: {}", d.framework);
        for level in &d.levels {
            println!("     level {} {}: {}", level.rank, level.code, level.label);
        }
        println!(
            "     {} roles, {} indicators, {} contact points, {} panels, {} timescale rules, {} forms, {} gaps noted",
            d.roles.len(),
            d.indicators.len(),
            d.contact_points.len(),
            d.panels.len(),
            d.timescales.len(),
            d.forms.len(),
            d.gaps.len()
        );
        if !violations.is_empty() {
            failed += 1;
            println!("     {} violations:", violations.len());
            print_grouped(&violations);
        }
    }
    println!(
        "{} plugins loaded, {} refused, {} failing",
        set.plugins().len(),
        set.refused().len(),
        failed
    );
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Print violations, folding those with the same problem (a probe that fails the same way at
/// every time of day) into one line with a count.
fn print_grouped(violations: &[Violation]) {
    let mut groups: Vec<(&Violation, usize)> = Vec::new();
    for v in violations {
        let problem = v.problem.as_str();
        match groups
            .iter_mut()
            .find(|(first, _)| first.problem == problem)
        {
            Some((_, n)) => *n += 1,
            None => groups.push((v, 1)),
        }
    }
    for (v, n) in groups {
        if n == 1 {
            println!("       - {v}");
        } else {
            println!("       - {v} (and {} more probes the same way)", n - 1);
        }
    }
}
