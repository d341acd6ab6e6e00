//! The journal of wizard runs, read from the journal file: one row per run (when, who,
//! which wizard, what, how it ended), and Enter replays a run step by step — each
//! command as sent, on which host, its exit status, outcome and output.

use super::EstateData;
use crate::ui::states::{ERROR, OK, TRANSITION, WARNING};
use crate::ui::table::{Cell, Column, Row, RowKey, Table};
use crate::ui::theme::Tone;
use crate::wizard::JournalRecord;

/// One wizard run: its records grouped by run id.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalRun {
    /// The executor's run id.
    pub run_id: String,
    /// When it started (RFC 3339, UTC).
    pub at: String,
    /// The operator.
    pub who: String,
    /// Which wizard (`remote-restart`, `relocate`, ...).
    pub wizard: String,
    /// The plan's title.
    pub title: String,
    /// How it ended (`completed`, `halted at step 7`, `refused: ...`); `None` when the
    /// journal has no end for it (still running, or the console stopped).
    pub outcome: Option<String>,
    /// Every record of the run, in the order written.
    pub records: Vec<JournalRecord>,
}

/// Groups journal records by run, newest run first.
pub fn runs(records: Vec<JournalRecord>) -> Vec<JournalRun> {
    let mut runs: Vec<JournalRun> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for record in records {
        let at = *index.entry(record.run_id.clone()).or_insert_with(|| {
            runs.push(JournalRun {
                run_id: record.run_id.clone(),
                at: record.at.clone(),
                who: record.who.clone(),
                wizard: record.wizard.clone(),
                title: record.title.clone(),
                outcome: None,
                records: Vec::new(),
            });
            runs.len() - 1
        });
        let run = &mut runs[at];
        if record.event == "run-ended" {
            run.outcome = record.outcome.clone();
        }
        run.records.push(record);
    }
    runs.sort_by(|a, b| b.at.cmp(&a.at));
    runs
}

/// `2025-06-14 02:51:07` from `2025-06-14T02:51:07Z`.
fn when(at: &str) -> String {
    at.trim_end_matches('Z').replacen('T', " ", 1)
}

/// An outcome with its symbol and tone.
fn outcome_cell(outcome: Option<&str>) -> Cell {
    let Some(outcome) = outcome else {
        return Cell::state(TRANSITION, "no end recorded", Tone::Transition);
    };
    let (symbol, tone) = if outcome == "completed" || outcome == "succeeded" {
        (OK, Tone::Ok)
    } else if outcome.starts_with("refused") {
        (WARNING, Tone::Warning)
    } else {
        (ERROR, Tone::Error)
    };
    Cell::state(symbol, outcome, tone)
}

/// The columns of the run list.
pub fn columns() -> Vec<Column> {
    vec![
        Column::new("WHEN (UTC)", 0, 19),
        Column::new("WIZARD", 2, 15),
        Column::new("TITLE", 1, 48),
        Column::new("OUTCOME", 0, 40),
        Column::new("WHO", 3, 12),
    ]
}

/// The run list.
pub fn table(data: &EstateData<'_>) -> Table {
    let rows = data
        .journal
        .iter()
        .map(|run| {
            Row::new(
                RowKey::Run(run.run_id.clone()),
                "",
                vec![
                    Cell::text(when(&run.at)),
                    Cell::text(&run.wizard),
                    Cell::text(&run.title),
                    outcome_cell(run.outcome.as_deref()),
                    Cell::text(&run.who),
                ],
            )
        })
        .collect();
    Table::new("Journal", columns(), rows).with_empty("No wizard runs yet")
}

/// An empty cell (the replay leaves blanks rather than dashes, to read like a log).
fn blank() -> Cell {
    Cell::text("")
}

/// The columns of one run.
pub fn run_columns() -> Vec<Column> {
    vec![
        Column::new("STEP", 0, 12),
        Column::new("HOST", 4, 12),
        Column::new("COMMAND / OUTPUT", 1, 64),
        Column::new("EXIT", 2, 4),
        Column::new("OUTCOME", 3, 28),
        Column::new("TOOK", 5, 8),
    ]
}

fn output_rows(rows: &mut Vec<Row>, text: Option<&str>, stderr: bool) {
    for line in text.unwrap_or_default().lines() {
        let cell = if stderr {
            Cell::toned(format!("│ {line}"), Tone::Warning)
        } else {
            Cell::toned(format!("│ {line}"), Tone::Muted)
        };
        rows.push(Row::new(
            RowKey::None,
            "",
            vec![blank(), blank(), cell, blank(), blank(), blank()],
        ));
    }
}

/// One run, record by record: the replay.
pub fn run_table(data: &EstateData<'_>, run_id: &str) -> Table {
    let Some(run) = data.journal.iter().find(|r| r.run_id == run_id) else {
        return Table::new("Journal", run_columns(), Vec::new())
            .with_empty("This run is no longer in the journal")
            .unsorted();
    };
    let mut rows = Vec::new();
    let plain = |step: &str, command: Cell, outcome: Cell| {
        Row::new(
            RowKey::None,
            "",
            vec![
                Cell::toned(step, Tone::Muted),
                blank(),
                command,
                blank(),
                outcome,
                blank(),
            ],
        )
    };
    for record in &run.records {
        match record.event.as_str() {
            "run-started" => {
                rows.push(plain(
                    "start",
                    Cell::text(format!(
                        "{} by {} at {}",
                        run.title,
                        record.who,
                        when(&record.at)
                    )),
                    blank(),
                ));
                for choice in &record.choices {
                    rows.push(plain("", Cell::toned(choice, Tone::Muted), blank()));
                }
            }
            "step" => {
                let step = match (record.step, record.kind.as_deref()) {
                    (Some(step), Some(kind)) => format!("{} {kind}", step + 1),
                    (Some(step), None) => (step + 1).to_string(),
                    (None, kind) => kind.unwrap_or("step").to_string(),
                };
                let took = record.duration_ms.map_or(blank(), |ms| {
                    Cell::toned(
                        if ms >= 10_000 {
                            format!("{}s", ms / 1000)
                        } else {
                            format!("{:.1}s", ms as f64 / 1000.0)
                        },
                        Tone::Muted,
                    )
                });
                rows.push(Row::new(
                    RowKey::None,
                    "",
                    vec![
                        Cell::text(step),
                        Cell::text(record.host.clone().unwrap_or_default()),
                        Cell::text(record.command.clone().unwrap_or_default()),
                        record
                            .exit_status
                            .map_or(blank(), |status| Cell::text(status.to_string())),
                        outcome_cell(record.outcome.as_deref()),
                        took,
                    ],
                ));
                output_rows(&mut rows, record.stdout.as_deref(), false);
                output_rows(&mut rows, record.stderr.as_deref(), true);
            }
            "reread" => {
                rows.push(Row::new(
                    RowKey::None,
                    "",
                    vec![
                        Cell::toned("re-read", Tone::Transition),
                        Cell::text(record.host.clone().unwrap_or_default()),
                        Cell::text(record.command.clone().unwrap_or_default()),
                        blank(),
                        blank(),
                        blank(),
                    ],
                ));
                output_rows(&mut rows, record.stdout.as_deref(), false);
            }
            "run-ended" => rows.push(plain(
                "end",
                Cell::text(when(&record.at)),
                outcome_cell(record.outcome.as_deref()),
            )),
            other => rows.push(plain(
                other,
                Cell::text(record.outcome.clone().unwrap_or_default()),
                blank(),
            )),
        }
    }
    Table::new(format!("Journal › {}", run.title), run_columns(), rows)
        .with_empty("No records for this run")
        .unsorted()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(run: &str, event: &str, at: &str) -> JournalRecord {
        JournalRecord {
            run_id: run.to_string(),
            event: event.to_string(),
            at: at.to_string(),
            who: "ops".to_string(),
            wizard: "relocate".to_string(),
            title: format!("run {run}"),
            step: None,
            kind: None,
            host: None,
            command: None,
            exit_status: None,
            stdout: None,
            stderr: None,
            duration_ms: None,
            outcome: Some("completed".to_string()),
            choices: Vec::new(),
        }
    }

    #[test]
    fn records_group_by_run_newest_first() {
        let runs = runs(vec![
            record("a", "run-started", "2025-06-14T02:50:00Z"),
            record("b", "run-started", "2025-06-14T03:00:00Z"),
            record("a", "step", "2025-06-14T02:50:01Z"),
            record("a", "run-ended", "2025-06-14T02:50:02Z"),
        ]);
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].run_id, "b");
        assert_eq!(runs[0].outcome, None, "no end recorded");
        assert_eq!(runs[1].records.len(), 3);
        assert_eq!(runs[1].outcome.as_deref(), Some("completed"));
        assert_eq!(when("2025-06-14T02:50:00Z"), "2025-06-14 02:50:00");
    }
}
