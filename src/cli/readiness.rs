//! `powerdeck readiness [--json]`: refresh once, read the capacity facts, and print the
//! remote restart what-if for every managed system (docs/procedures.md, "Remote
//! restart readiness").

use std::fmt::Write;
use std::process::ExitCode;

use powerdeck::refresh;
use powerdeck::text::{visible, visible_lines};
use powerdeck::wizard::readiness::{self, Readiness, SystemReadiness, Verdict};
use unicode_width::UnicodeWidthStr;

use super::inventory::sources;
use super::setup::Setup;

/// Options of `powerdeck readiness`.
#[derive(Debug, clap::Args)]
pub struct ReadinessArgs {
    /// Print one JSON document (see README.md) instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Exit 0 when every system is covered, 2 when one is not or cannot be told.
pub async fn run(setup: &Setup, args: &ReadinessArgs) -> color_eyre::Result<ExitCode> {
    let transport = setup.transport();
    let snapshots = refresh::refresh_all(transport.clone(), &sources(setup)).await;
    for snapshot in snapshots.iter().filter(|s| s.error.is_some()) {
        eprintln!(
            "powerdeck: warning: {}: {}",
            visible(&snapshot.name),
            visible_lines(snapshot.error.as_deref().unwrap_or_default())
        );
    }
    let facts = readiness::read_facts(transport.as_ref(), &snapshots).await;
    let readiness = readiness::assess(&snapshots, &facts);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&readiness)?);
    } else {
        print!("{}", table(&readiness));
    }
    Ok(if readiness.covered() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// The what-if as text: one block per system, one line per partition in restart order.
fn table(readiness: &Readiness) -> String {
    let mut out = String::new();
    let width = readiness
        .systems
        .iter()
        .flat_map(|s| &s.partitions)
        .map(|p| visible(&p.name).width())
        .max()
        .unwrap_or(0)
        .max("PARTITION".len());
    for system in &readiness.systems {
        let _ = writeln!(
            out,
            "{} on {} ({}): {}",
            visible(&system.name),
            visible(&system.hmc),
            visible(system.state.as_str()),
            coverage(system)
        );
        if let Some(detail) = &system.detail {
            let _ = writeln!(out, "  {}", visible(detail));
        }
        if !system.partitions.is_empty() {
            let _ = writeln!(out, "  PRIO  {}  VERDICT", pad("PARTITION", width));
        }
        for partition in &system.partitions {
            let verdict = match &partition.verdict {
                Verdict::Ready {
                    target,
                    memory_mb,
                    proc_units,
                } => format!(
                    "ready on {} ({memory_mb} MB, {proc_units:.2} processing units)",
                    visible(target)
                ),
                Verdict::NotReady { reason, detail } => {
                    format!("{}: {}", reason.as_str(), visible(detail))
                }
            };
            let _ = writeln!(
                out,
                "  {:>4}  {}  {verdict}",
                partition.priority,
                pad(&visible(&partition.name), width)
            );
        }
        out.push('\n');
    }
    for source in &readiness.unread_sources {
        let _ = writeln!(
            out,
            "{}: not read, its systems cannot be judged: {}",
            visible(&source.name),
            visible(&source.error)
        );
    }
    let covered = readiness.systems.iter().filter(|s| s.covered).count();
    let _ = writeln!(
        out,
        "{covered} of {} systems covered",
        readiness.systems.len()
    );
    out
}

fn coverage(system: &SystemReadiness) -> String {
    let total = system.partitions.len();
    match (system.covered, system.not_ready()) {
        (true, _) if total == 0 => "covered (nothing to restart)".to_string(),
        (true, _) => format!("covered ({total} partitions would restart)"),
        (false, 0) => "not covered".to_string(),
        (false, missing) => format!("not covered ({missing} of {total} would not restart)"),
    }
}

fn pad(text: &str, width: usize) -> String {
    let fill = width.saturating_sub(text.width());
    format!("{text}{}", " ".repeat(fill))
}
