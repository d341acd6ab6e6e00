//! Drawing a wizard in place of the table: its screen, a footer of the keys that work
//! on it, and the message line. The plan and the summary are built as lines wrapped to
//! the width (so the exact command lines are never cut off) and scrolled.

use std::borrow::Cow;

use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear};
use ratatui::Frame;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::ui::app::App;
use crate::ui::keymap::KeyAction;
use crate::ui::states;
use crate::ui::theme::{Theme, Tone};
use crate::ui::views::age;
use crate::ui::wizard::{
    input_keys, partition_progress, Fit, Run, Stage, StepStatus, Wizard, WizardInput, WizardKind,
};
use crate::wizard::plan::describe;
use crate::wizard::{OnFailure, Plan, StepKind, StepOutcome};

/// Draws the wizard in `area`; returns the area its scrolled text uses (for paging).
pub(super) fn render(frame: &mut Frame, app: &App, wizard: &Wizard, area: Rect) -> Rect {
    let theme = &app.theme;
    let title = format!(
        " {} · {} {} ",
        crate::text::visible(&wizard.title),
        wizard.position(),
        wizard.stage.label()
    );
    let block = Block::bordered()
        .border_style(theme.border)
        .title(Line::styled(title, theme.title))
        .title_bottom(footer(app, wizard));
    if area.height < 4 || area.width < 20 {
        return Rect::default();
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut body = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        ..inner
    };
    if let Some((message, _)) = &app.message {
        if body.height > 2 {
            body.height -= 1;
            let line = Line::styled(format!(" {message} "), theme.prompt);
            frame
                .buffer_mut()
                .set_line(body.x, body.y + body.height, &line, body.width);
        }
    }
    match wizard.stage {
        Stage::Target => targets(frame, app, wizard, body),
        Stage::Partitions => partitions(frame, app, wizard, body),
        Stage::Options => options(frame, app, wizard, body),
        Stage::Choose => choose(frame, app, wizard, body),
        Stage::Plan | Stage::Confirm => {
            let lines = plan_lines(app, wizard, body.width);
            scrolled(frame, &lines, wizard.scroll, body);
            if wizard.stage == Stage::Confirm {
                confirm(frame, app, wizard, body);
            }
        }
        Stage::Running => running(frame, app, wizard, body),
        Stage::Finished => {
            let lines = summary_lines(app, wizard, body.width);
            scrolled(frame, &lines, wizard.scroll, body);
        }
    }
    body
}

/// The keys that work on this screen, from the wizard's key table and the key map.
fn footer(app: &App, wizard: &Wizard) -> Line<'static> {
    let theme = &app.theme;
    let moves = format!(
        "{}/{}",
        app.keymap.hint(KeyAction::Down).unwrap_or_default(),
        app.keymap.hint(KeyAction::Up).unwrap_or_default()
    );
    let key = |input: WizardInput| input_keys(input);
    let read_only = app.options.read_only;
    let has_plan = wizard.plan().is_some();
    let hints: Vec<(String, &str)> = match wizard.stage {
        Stage::Target => vec![
            (key(WizardInput::Next), "choose"),
            (moves, "move"),
            (key(WizardInput::Back), "cancel"),
        ],
        Stage::Partitions => vec![
            (key(WizardInput::Next), "plan"),
            (key(WizardInput::Toggle), "include/skip"),
            (order_keys(), "order"),
            (
                format!("{}/{}", key(WizardInput::Fewer), key(WizardInput::More)),
                "at once",
            ),
            (key(WizardInput::Back), "back"),
        ],
        Stage::Options => vec![
            (key(WizardInput::Next), "plan"),
            (key(WizardInput::Toggle), "--retaindev"),
            (key(WizardInput::Back), "cancel"),
        ],
        Stage::Choose => vec![
            (key(WizardInput::Next), "choose"),
            (moves, "move"),
            (key(WizardInput::Back), "cancel"),
        ],
        Stage::Plan if wizard.reading.is_some() => vec![
            ("reading…".to_string(), "wait"),
            (key(WizardInput::Back), "back"),
        ],
        Stage::Plan if has_plan && !read_only => vec![
            (key(WizardInput::Next), "confirm"),
            (moves, "scroll"),
            (key(WizardInput::Back), "back"),
        ],
        Stage::Plan => vec![(moves, "scroll"), (key(WizardInput::Back), "back")],
        Stage::Confirm => vec![
            ("enter".to_string(), "run if the name matches"),
            ("esc".to_string(), "cancel"),
        ],
        Stage::Running => vec![(key(WizardInput::Back), "put aside (it keeps running)")],
        Stage::Finished => {
            let recovery = wizard
                .run
                .as_ref()
                .and_then(|r| r.summary.as_ref())
                .is_some_and(|s| !s.recovery.is_empty() || !s.offers.is_empty());
            let mut hints = vec![(key(WizardInput::Next), "close")];
            if recovery {
                hints.push((key(WizardInput::Recovery), "recovery plan"));
            }
            hints.push((moves, "scroll"));
            hints
        }
    };
    let mut spans = vec![Span::styled(" ", theme.muted)];
    for (index, (keys, what)) in hints.into_iter().enumerate() {
        if index > 0 {
            spans.push(Span::styled(" · ", theme.muted));
        }
        spans.push(Span::styled(keys, theme.key));
        spans.push(Span::styled(format!(" {what}"), theme.muted));
    }
    spans.push(Span::styled(" ", theme.muted));
    Line::from(spans)
}

/// The keys that move a partition, paired (`J/K +/-`).
fn order_keys() -> String {
    let down = input_keys(WizardInput::MoveDown);
    let up = input_keys(WizardInput::MoveUp);
    down.split('/')
        .zip(up.split('/'))
        .map(|(down, up)| format!("{down}/{up}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Draws `lines` from `scroll` on, clamped so the last page stays full.
fn scrolled(frame: &mut Frame, lines: &[Line<'_>], scroll: usize, area: Rect) {
    let page = area.height as usize;
    let first = scroll.min(lines.len().saturating_sub(page));
    for (row, line) in lines.iter().skip(first).take(page).enumerate() {
        frame
            .buffer_mut()
            .set_line(area.x, area.y + row as u16, line, area.width);
    }
}

/// Splits prose into lines of at most `width` cells at spaces (a longer word is split).
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let options = textwrap::Options::new(width.max(8))
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit);
    textwrap::wrap(text, options)
        .into_iter()
        .map(Cow::into_owned)
        .collect()
}

/// Splits text into pieces of at most `width` cells anywhere (for command lines: the
/// exact text, every character kept).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut pieces = vec![String::new()];
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            pieces.push(String::new());
            used = 0;
        }
        if let Some(last) = pieces.last_mut() {
            last.push(c);
        }
        used += w;
    }
    pieces
}

/// One line per wrapped piece of prose: `first` before the first, spaces before the
/// others.
fn wrapped(
    lines: &mut Vec<Line<'static>>,
    first: Vec<Span<'static>>,
    text: &str,
    style: Style,
    width: u16,
) {
    push_wrapped(lines, first, text, style, width, wrap_words);
}

/// Like [`wrapped`] for a command line: broken anywhere, nothing dropped.
fn wrapped_exact(
    lines: &mut Vec<Line<'static>>,
    first: Vec<Span<'static>>,
    text: &str,
    style: Style,
    width: u16,
) {
    push_wrapped(lines, first, text, style, width, wrap);
}

fn push_wrapped(
    lines: &mut Vec<Line<'static>>,
    first: Vec<Span<'static>>,
    text: &str,
    style: Style,
    width: u16,
    split: fn(&str, usize) -> Vec<String>,
) {
    let indent: usize = first.iter().map(|s| s.content.width()).sum();
    let mut head = Some(first);
    let text = crate::text::visible(text);
    for piece in split(&text, (width as usize).saturating_sub(indent)) {
        let mut spans = head
            .take()
            .unwrap_or_else(|| vec![Span::raw(" ".repeat(indent))]);
        spans.push(Span::styled(piece, style));
        lines.push(Line::from(spans));
    }
}

fn heading(theme: &Theme, text: impl Into<String>) -> Line<'static> {
    Line::styled(text.into(), theme.header)
}

fn about(theme: &Theme, wizard: &Wizard, width: u16) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for text in &wizard.about {
        wrapped(&mut lines, Vec::new(), text, theme.text, width);
    }
    lines
}

fn kind_word(kind: StepKind) -> &'static str {
    match kind {
        StepKind::Check => "check",
        StepKind::Validate => "validate",
        StepKind::Change => "change",
        StepKind::Wait => "wait",
        StepKind::Verify => "verify",
    }
}

fn kind_style(theme: &Theme, kind: StepKind) -> Style {
    match kind {
        StepKind::Change => theme.warning.add_modifier(Modifier::BOLD),
        StepKind::Validate => theme.transition,
        _ => theme.muted,
    }
}

/// A short duration: `45 s`, `30 min`, `2 h`.
fn span_words(seconds: u64) -> String {
    match seconds {
        0..120 => format!("{seconds} s"),
        120..7200 => format!("{} min", seconds / 60),
        _ => format!("{} h", seconds / 3600),
    }
}

/// The whole plan: title, notes, then every step with its kind, host, reason, exact
/// command line, condition and recovery branch.
pub fn plan_lines(app: &App, wizard: &Wizard, width: u16) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let mut lines = Vec::new();
    let plan = match &wizard.plan {
        Some(Ok(plan)) => plan,
        Some(Err(error)) => {
            lines.extend(about(theme, wizard, width));
            lines.push(Line::default());
            wrapped(
                &mut lines,
                vec![Span::styled(
                    format!("{} No plan: ", states::ERROR),
                    theme.error,
                )],
                &error.to_string(),
                theme.error,
                width,
            );
            lines.push(Line::default());
            lines.push(Line::styled(
                "Nothing can run. Esc goes back to change the choices.",
                theme.muted,
            ));
            return lines;
        }
        None => {
            if let Some(reading) = &wizard.reading {
                lines.extend(about(theme, wizard, width));
                lines.push(Line::default());
                wrapped(
                    &mut lines,
                    vec![Span::styled("reading… ", theme.warning)],
                    &format!(
                        "{} (read-only commands, off the screen's path); the plan shows when they answer",
                        reading.describe()
                    ),
                    theme.muted,
                    width,
                );
            }
            return lines;
        }
    };
    if app.options.read_only {
        lines.push(Line::from(vec![
            Span::styled(" READ-ONLY ", theme.badge),
            Span::styled(
                " this plan is shown, not run: powerdeck was started with --read-only",
                theme.warning,
            ),
        ]));
    }
    wrapped(&mut lines, Vec::new(), &plan.title, theme.title, width);
    for note in &plan.notes {
        wrapped(
            &mut lines,
            vec![Span::styled("note: ", theme.muted)],
            note,
            theme.text,
            width,
        );
    }
    let changes = plan
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Change)
        .count();
    let mut summary = format!(
        "{} step(s), {changes} of them change the estate; the run stops at the first failure and re-reads the state",
        plan.steps.len()
    );
    if plan.parallelism > 1 && plan.steps.iter().any(|s| s.group.is_some()) {
        summary.push_str(&format!(
            "; steps marked ‖ run {} at a time",
            plan.parallelism
        ));
    }
    wrapped(&mut lines, Vec::new(), &summary, theme.muted, width);
    lines.push(Line::default());
    let number_width = plan.steps.len().to_string().len();
    let hosts = plan.steps.iter().map(|s| s.host.width()).max().unwrap_or(0);
    for (index, step) in plan.steps.iter().enumerate() {
        let parallel = if step.group.is_some() && plan.parallelism > 1 {
            "‖"
        } else {
            " "
        };
        let head = vec![
            Span::styled(
                format!("{:>number_width$}. ", index + 1),
                theme.text.add_modifier(Modifier::BOLD),
            ),
            Span::styled(
                format!("{:<8}", kind_word(step.kind)),
                kind_style(theme, step.kind),
            ),
            Span::styled(format!("{parallel} "), theme.transition),
            Span::styled(format!("{:<hosts$}  ", step.host), theme.muted),
        ];
        let indent = head.iter().map(|s| s.content.width()).sum::<usize>();
        wrapped(&mut lines, head, &step.why, theme.text, width);
        let pad = || vec![Span::raw(" ".repeat(indent))];
        let mut command = pad();
        command.push(Span::styled("$ ", theme.muted));
        wrapped_exact(
            &mut lines,
            command,
            &step.line(),
            theme.text.add_modifier(Modifier::BOLD),
            width,
        );
        if let Some(condition) = &step.until {
            let text = match (step.kind, step.timeout) {
                (StepKind::Wait, Some(timeout)) => format!(
                    "repeat until {} (at most {})",
                    describe(condition),
                    span_words(timeout.as_secs())
                ),
                _ => format!("expect {}", describe(condition)),
            };
            wrapped(&mut lines, pad(), &text, theme.muted, width);
        }
        if let Some(follow) = &step.follow {
            wrapped(
                &mut lines,
                pad(),
                &format!("while it runs, follows: {} ({})", follow.line(), follow.why),
                theme.muted,
                width,
            );
        }
        match &step.on_failure {
            OnFailure::Stop => {}
            OnFailure::Recover(recovery) => {
                for step in recovery {
                    wrapped(
                        &mut lines,
                        pad(),
                        &format!("if it fails, offered: {} ({})", step.line(), step.why),
                        theme.muted,
                        width,
                    );
                }
            }
            OnFailure::Decide { probe, branches } => {
                wrapped(
                    &mut lines,
                    pad(),
                    &format!("if it fails, first re-read: {}", probe.line()),
                    theme.muted,
                    width,
                );
                for branch in branches {
                    wrapped(
                        &mut lines,
                        pad(),
                        &format!(
                            "  then, when {}: offered: {}",
                            describe(&branch.when),
                            branch.label
                        ),
                        theme.muted,
                        width,
                    );
                }
            }
        }
    }
    lines
}

/// The typed confirmation, over the bottom of the plan.
fn confirm(frame: &mut Frame, app: &App, wizard: &Wizard, area: Rect) {
    let Some(plan) = wizard.plan() else {
        return;
    };
    let theme = &app.theme;
    if area.width < 24 || area.height < 7 {
        return;
    }
    let changes = plan
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Change)
        .count();
    let attesting = plan
        .attestation
        .as_ref()
        .filter(|_| wizard.attested.is_none());
    let mut lines = vec![Line::styled(
        format!("{changes} step(s) change the estate; the others check, validate and wait."),
        theme.popup,
    )];
    let (what, word) = match attesting {
        Some(attestation) => {
            let width = usize::from(area.width.saturating_sub(4)).max(20);
            lines.extend(
                wrap(&crate::text::visible(&attestation.statement), width)
                    .into_iter()
                    .map(|text| Line::styled(text, theme.warning)),
            );
            (
                crate::text::visible(&attestation.phrase).into_owned(),
                "To attest it, type ",
            )
        }
        None => (plan.confirm_name.clone(), "To run it, type "),
    };
    lines.push(Line::from(vec![
        Span::styled(word, theme.popup),
        Span::styled(what, theme.popup.add_modifier(Modifier::BOLD)),
        Span::styled(" and press enter.", theme.popup),
    ]));
    lines.push(Line::styled(
        "Esc cancels: nothing has run yet.",
        theme.muted,
    ));
    let height = lines.len() as u16 + 4;
    let popup = Rect {
        y: area.y + area.height.saturating_sub(height),
        height: height.min(area.height),
        ..area
    };
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .border_style(theme.warning)
        .style(theme.popup)
        .title(Line::styled(format!(" Run: {} ", plan.title), theme.title));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let inner = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        ..inner
    };
    for (row, line) in lines.iter().enumerate() {
        frame
            .buffer_mut()
            .set_line(inner.x, inner.y + row as u16, line, inner.width);
    }
    let y = inner.y + lines.len() as u16 + 1;
    let prompt = Line::from(vec![
        Span::styled(
            if attesting.is_some() {
                "attest: "
            } else {
                "name: "
            },
            theme.muted,
        ),
        Span::styled(wizard.typed.clone(), theme.prompt),
    ]);
    frame
        .buffer_mut()
        .set_line(inner.x, y, &prompt, inner.width);
    let x = inner.x + 6 + wizard.typed.width().min(inner.width as usize) as u16;
    frame.set_cursor_position((x.min(inner.x + inner.width.saturating_sub(1)), y));
}

/// A list row: `›` on the highlighted one, drawn in the selected style.
fn list_row(frame: &mut Frame, theme: &Theme, area: Rect, y: u16, selected: bool, line: Line<'_>) {
    let row = Rect {
        y,
        height: 1,
        ..area
    };
    let mut spans = vec![Span::raw(if selected { "› " } else { "  " })];
    spans.extend(line.spans);
    let line = Line::from(spans);
    if selected {
        frame.buffer_mut().set_style(row, theme.selected);
        let plain: Vec<Span> = line
            .spans
            .into_iter()
            .map(|s| Span::styled(s.content, theme.selected))
            .collect();
        frame
            .buffer_mut()
            .set_line(row.x, row.y, &Line::from(plain), row.width);
    } else {
        frame.buffer_mut().set_line(row.x, row.y, &line, row.width);
    }
}

/// Draws `lines` at the top of `area`; returns what is left below.
fn top(frame: &mut Frame, lines: &[Line<'_>], area: Rect) -> Rect {
    let used = (lines.len() as u16).min(area.height);
    for (row, line) in lines.iter().take(used as usize).enumerate() {
        frame
            .buffer_mut()
            .set_line(area.x, area.y + row as u16, line, area.width);
    }
    Rect {
        y: area.y + used,
        height: area.height - used,
        ..area
    }
}

fn pad(text: &str, width: usize) -> String {
    let w = text.width();
    if w >= width {
        text.to_string()
    } else {
        format!("{text}{}", " ".repeat(width - w))
    }
}

fn targets(frame: &mut Frame, app: &App, wizard: &Wizard, area: Rect) {
    let theme = &app.theme;
    let mut lines = about(theme, wizard, area.width);
    lines.push(Line::styled(
        match wizard.kind {
            WizardKind::RemoteRestart { .. } => {
                "Restart them on (same HMC, Operating; the first that fits is chosen):"
            }
            _ => "Move it to (same HMC, Operating; the first that fits is chosen):",
        },
        theme.text,
    ));
    lines.push(Line::default());
    let name = wizard
        .targets
        .iter()
        .map(|t| t.system.width())
        .max()
        .unwrap_or(6)
        .max(6);
    let state = wizard
        .targets
        .iter()
        .map(|t| t.state.as_str().width() + 2)
        .max()
        .unwrap_or(5)
        .max(5);
    let hmc = wizard
        .targets
        .iter()
        .map(|t| t.hmc.width())
        .max()
        .unwrap_or(3)
        .max(3);
    lines.push(Line::styled(
        format!(
            "  {}  {}  {}  CAN TAKE {}",
            pad("SYSTEM", name),
            pad("STATE", state),
            pad("HMC", hmc),
            if matches!(wizard.kind, WizardKind::RemoteRestart { .. }) {
                "THEM"
            } else {
                "IT"
            }
        ),
        theme.header,
    ));
    let rest = top(frame, &lines, area);
    let page = rest.height as usize;
    if page == 0 {
        return;
    }
    let first = wizard.target.saturating_sub(page - 1);
    for (row, (index, target)) in wizard
        .targets
        .iter()
        .enumerate()
        .skip(first)
        .take(page)
        .enumerate()
    {
        let cell = states::system(&target.state);
        let (mark, tone) = match &target.fit {
            Fit::Good(_) => ("✓ yes: ", Tone::Ok),
            Fit::Doubtful(_) => ("▲ doubtful: ", Tone::Warning),
            Fit::No(_) => ("✖ no: ", Tone::Error),
        };
        let line = Line::from(vec![
            Span::styled(format!("{}  ", pad(&target.system, name)), theme.text),
            Span::styled(
                format!(
                    "{}  ",
                    pad(
                        &format!("{} {}", cell.symbol.unwrap_or(' '), cell.text),
                        state
                    )
                ),
                theme.tone(cell.tone),
            ),
            Span::styled(format!("{}  ", pad(&target.hmc, hmc)), theme.muted),
            Span::styled(mark, theme.tone(tone)),
            Span::styled(target.fit.note().to_string(), theme.text),
        ]);
        list_row(
            frame,
            theme,
            rest,
            rest.y + row as u16,
            index == wizard.target,
            line,
        );
    }
}

fn partitions(frame: &mut Frame, app: &App, wizard: &Wizard, area: Rect) {
    let theme = &app.theme;
    let target = wizard
        .chosen_target()
        .map_or(String::new(), |t| t.system.clone());
    let chosen = wizard.partitions.iter().filter(|p| p.chosen).count();
    let mut lines = about(theme, wizard, area.width);
    lines.push(Line::from(vec![
        Span::styled(format!("Restart on {target}, in this order; "), theme.text),
        Span::styled(
            format!("{} at a time", wizard.parallelism),
            theme.text.add_modifier(Modifier::BOLD),
        ),
        Span::styled(
            format!(
                " ({}/{} changes it); {chosen} chosen",
                input_keys(WizardInput::Fewer),
                input_keys(WizardInput::More)
            ),
            theme.muted,
        ),
    ]));
    lines.push(Line::default());
    let name = wizard
        .partitions
        .iter()
        .map(|p| p.name.width())
        .max()
        .unwrap_or(9)
        .max(9);
    let state = wizard
        .partitions
        .iter()
        .map(|p| p.state.width())
        .max()
        .unwrap_or(5)
        .max(5);
    let status = wizard
        .partitions
        .iter()
        .map(|p| p.status.width() + 2)
        .max()
        .unwrap_or(9)
        .max(9);
    lines.push(Line::styled(
        format!(
            "   #  RUN  {}  {}  {}  CAN GO",
            pad("PARTITION", name),
            pad("STATE", state),
            pad("RR STATUS", status)
        ),
        theme.header,
    ));
    let rest = top(frame, &lines, area);
    let page = rest.height as usize;
    if page == 0 {
        return;
    }
    let first = wizard.partition.saturating_sub(page - 1);
    let mut order = 0;
    let numbers: Vec<Option<usize>> = wizard
        .partitions
        .iter()
        .map(|p| {
            p.chosen.then(|| {
                order += 1;
                order
            })
        })
        .collect();
    for (row, (index, partition)) in wizard
        .partitions
        .iter()
        .enumerate()
        .skip(first)
        .take(page)
        .enumerate()
    {
        let status_cell = states::remote_restart(Some(&crate::estate::RemoteRestartStatus::parse(
            &partition.status,
        )));
        let number = numbers[index].map_or("-".to_string(), |n| n.to_string());
        let (can, tone) = match &partition.blocked {
            None => ("yes".to_string(), Tone::Ok),
            Some(why) => (format!("no: {why}"), Tone::Error),
        };
        let line = Line::from(vec![
            Span::styled(format!("{number:>2}  "), theme.text),
            Span::styled(
                if partition.chosen { "[x]  " } else { "[ ]  " },
                theme.text.add_modifier(Modifier::BOLD),
            ),
            Span::styled(format!("{}  ", pad(&partition.name, name)), theme.text),
            Span::styled(format!("{}  ", pad(&partition.state, state)), theme.muted),
            Span::styled(
                format!(
                    "{}  ",
                    pad(
                        &format!("{} {}", status_cell.symbol.unwrap_or(' '), partition.status),
                        status
                    )
                ),
                theme.tone(status_cell.tone),
            ),
            Span::styled(can, theme.tone(tone)),
        ]);
        list_row(
            frame,
            theme,
            rest,
            rest.y + row as u16,
            index == wizard.partition,
            line,
        );
    }
}

/// A list to choose from: how a firmware update treats the partitions, where a WPAR
/// goes, how a stuck WPAR is recovered.
fn choose(frame: &mut Frame, app: &App, wizard: &Wizard, area: Rect) {
    let theme = &app.theme;
    let mut lines = about(theme, wizard, area.width);
    lines.push(Line::default());
    lines.push(Line::styled(
        match wizard.kind {
            WizardKind::Firmware { .. } => {
                "How the update treats the running partitions (the first that fits is chosen):"
            }
            WizardKind::WparMove { .. } => "Move it to (another AIX global):",
            WizardKind::RecoveryChoice => {
                "What the re-read state allows (each is shown as a plan before it runs):"
            }
            _ => "Recover it:",
        },
        theme.text,
    ));
    lines.push(Line::default());
    let label = wizard
        .choices
        .iter()
        .map(|c| c.label.width())
        .max()
        .unwrap_or(6)
        .max(6);
    let rest = top(frame, &lines, area);
    let page = rest.height as usize;
    if page == 0 {
        return;
    }
    let first = wizard.choice.saturating_sub(page - 1);
    for (row, (index, choice)) in wizard
        .choices
        .iter()
        .enumerate()
        .skip(first)
        .take(page)
        .enumerate()
    {
        let (mark, tone) = if choice.possible {
            ("✓ ", Tone::Ok)
        } else {
            ("✖ no: ", Tone::Error)
        };
        let line = Line::from(vec![
            Span::styled(format!("{}  ", pad(&choice.label, label)), theme.text),
            Span::styled(mark, theme.tone(tone)),
            Span::styled(choice.note.clone(), theme.text),
        ]);
        list_row(
            frame,
            theme,
            rest,
            rest.y + row as u16,
            index == wizard.choice,
            line,
        );
    }
    // The highlighted line's note in full, below the list.
    let used = (wizard.choices.len() - first).min(page) as u16;
    if let Some(choice) = wizard.chosen() {
        let mut lines = vec![Line::default()];
        wrapped(
            &mut lines,
            vec![Span::styled(format!("{}: ", choice.label), theme.title)],
            &choice.note,
            theme.text,
            rest.width,
        );
        let below = Rect {
            y: rest.y + used,
            height: rest.height - used,
            ..rest
        };
        top(frame, &lines, below);
    }
}

fn options(frame: &mut Frame, app: &App, wizard: &Wizard, area: Rect) {
    let theme = &app.theme;
    let mut lines = about(theme, wizard, area.width);
    lines.push(Line::default());
    let rest = top(frame, &lines, area);
    if rest.height == 0 {
        return;
    }
    let line = Line::from(vec![
        Span::styled(
            if wizard.retain_devices {
                "[x] --retaindev  "
            } else {
                "[ ] --retaindev  "
            },
            theme.text.add_modifier(Modifier::BOLD),
        ),
        Span::styled(
            "keep reserved storage devices (PowerVM kind) in the pool",
            theme.text,
        ),
    ]);
    list_row(frame, theme, rest, rest.y, true, line);
    if rest.height > 1 {
        let explain = Line::styled(
            "      without it, rrstartlpar -o cleanup also removes the device from the pool",
            theme.muted,
        );
        frame
            .buffer_mut()
            .set_line(rest.x, rest.y + 1, &explain, rest.width);
    }
}

/// The symbol and style of a step's status.
fn status_mark(theme: &Theme, status: &StepStatus) -> (char, Style) {
    match status {
        StepStatus::Pending => ('·', theme.muted),
        StepStatus::Running => (states::TRANSITION, theme.transition),
        StepStatus::Done(StepOutcome::Succeeded) => ('✓', theme.ok),
        StepStatus::Done(StepOutcome::Refused(_)) => (states::WARNING, theme.warning),
        StepStatus::Done(_) => (states::ERROR, theme.error),
        StepStatus::NotRun => (states::OFF, theme.off),
    }
}

/// One step as a status line: mark, number, kind, command, and what is going on.
fn step_line(
    app: &App,
    plan: &Plan,
    run: &Run,
    index: usize,
    number_width: usize,
) -> Line<'static> {
    let theme = &app.theme;
    let step = &plan.steps[index];
    let progress = &run.steps[index];
    let (mark, style) = status_mark(theme, &progress.status);
    let mut spans = vec![
        Span::styled(format!("{mark} "), style),
        Span::styled(format!("{:>number_width$} ", index + 1), theme.text),
        Span::styled(
            format!("{:<8} ", kind_word(step.kind)),
            kind_style(theme, step.kind),
        ),
        Span::styled(step.why.clone(), theme.text),
    ];
    let detail = match &progress.status {
        StepStatus::Running => {
            let took = progress
                .started
                .map(|at| age(app.now, at))
                .unwrap_or_default();
            match &progress.observed {
                Some(observed) => format!("  {took} · {observed}"),
                None => format!("  {took}"),
            }
        }
        StepStatus::Done(StepOutcome::Succeeded) | StepStatus::Pending => String::new(),
        StepStatus::Done(outcome) => format!("  {}", outcome_text(outcome)),
        StepStatus::NotRun => "  not run".to_string(),
    };
    if !detail.is_empty() {
        spans.push(Span::styled(detail, style));
    }
    Line::from(spans)
}

fn outcome_text(outcome: &StepOutcome) -> String {
    match outcome {
        StepOutcome::Succeeded => "succeeded".to_string(),
        StepOutcome::Failed(text)
        | StepOutcome::ConditionNotMet(text)
        | StepOutcome::Refused(text) => format!("{}: {text}", outcome.word()),
        StepOutcome::Interrupted { message, sent } => format!(
            "{}: {message}{}",
            outcome.word(),
            if *sent {
                " (it may have run: look at the re-read state)"
            } else {
                ""
            }
        ),
    }
}

/// The partitions of a multi-partition plan with where each one is.
fn partition_lines(app: &App, plan: &Plan, run: &Run, width: u16) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let partitions = partition_progress(plan, run);
    if partitions.is_empty() {
        return Vec::new();
    }
    let name = partitions.iter().map(|p| p.name.width()).max().unwrap_or(0);
    let item = (name + 28).max(30);
    let per_line = (width as usize / item).max(1);
    let mut lines = Vec::new();
    for chunk in partitions.chunks(per_line) {
        let mut spans = Vec::new();
        for partition in chunk {
            let (mark, style) = status_mark(theme, &partition.state);
            spans.push(Span::styled(format!("{mark} "), style));
            spans.push(Span::styled(pad(&partition.name, name), theme.text));
            let status: String = partition.status.chars().take(item - name - 4).collect();
            spans.push(Span::styled(
                format!(" {}", pad(&status, item - name - 3)),
                style,
            ));
        }
        lines.push(Line::from(spans));
    }
    lines
}

fn running(frame: &mut Frame, app: &App, wizard: &Wizard, area: Rect) {
    let theme = &app.theme;
    let (Some(plan), Some(run)) = (wizard.plan(), wizard.run.as_ref()) else {
        return;
    };
    let running: Vec<usize> = run.running().collect();
    let done = run
        .steps
        .iter()
        .filter(|s| matches!(s.status, StepStatus::Done(_)))
        .count();
    let mut lines = vec![Line::from(vec![
        Span::styled(
            format!("{} Running: ", states::TRANSITION),
            theme.transition,
        ),
        Span::styled(
            format!(
                "{done} of {} steps done, {} running, for {}; it stops at the first failure",
                plan.steps.len(),
                running.len(),
                age(app.now, run.started)
            ),
            theme.text,
        ),
    ])];
    let partitions = partition_lines(app, plan, run, area.width);
    if !partitions.is_empty() {
        lines.push(heading(theme, "Partitions"));
        lines.extend(partitions);
    }
    lines.push(Line::from(vec![
        Span::styled("Steps ", theme.header),
        Span::styled(
            format!(
                " · pending  {} running  ✓ ok  {} failed  {} not run",
                states::TRANSITION,
                states::ERROR,
                states::OFF
            ),
            theme.muted,
        ),
    ]));
    let rest = top(frame, &lines, area);
    // Steps take up to half of what is left, the output the rest.
    let steps_height = (plan.steps.len() as u16)
        .min(rest.height.saturating_sub(3).max(rest.height / 2))
        .min(rest.height);
    let number_width = plan.steps.len().to_string().len();
    let focus = running
        .first()
        .copied()
        .or_else(|| {
            run.steps
                .iter()
                .rposition(|s| matches!(s.status, StepStatus::Done(_)))
        })
        .unwrap_or(0);
    let first = focus
        .saturating_sub(steps_height as usize / 3)
        .min(plan.steps.len().saturating_sub(steps_height as usize));
    for row in 0..steps_height {
        let index = first + row as usize;
        if index >= plan.steps.len() {
            break;
        }
        let line = step_line(app, plan, run, index, number_width);
        frame
            .buffer_mut()
            .set_line(rest.x, rest.y + row, &line, rest.width);
    }
    let output = Rect {
        y: rest.y + steps_height,
        height: rest.height - steps_height,
        ..rest
    };
    if output.height < 2 {
        return;
    }
    let title = heading(theme, "Output (newest last)");
    frame
        .buffer_mut()
        .set_line(output.x, output.y, &title, output.width);
    let room = (output.height - 1) as usize;
    let skip = run.output.len().saturating_sub(room);
    for (row, (step, stderr, text)) in run.output.iter().skip(skip).enumerate() {
        let line = Line::from(vec![
            Span::styled(format!("{:>number_width$}│ ", step + 1), theme.muted),
            Span::styled(
                text.clone(),
                if *stderr { theme.warning } else { theme.text },
            ),
        ]);
        frame
            .buffer_mut()
            .set_line(output.x, output.y + 1 + row as u16, &line, output.width);
    }
}

/// The end of a run: how it ended, every step's outcome (what ran and what did not),
/// the state re-read after a halt, and the recovery branch offered.
pub fn summary_lines(app: &App, wizard: &Wizard, width: u16) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let mut lines = Vec::new();
    let (Some(plan), Some(run)) = (wizard.plan(), wizard.run.as_ref()) else {
        return lines;
    };
    let Some(summary) = run.summary.as_ref() else {
        return lines;
    };
    let refused = summary.ran.iter().find_map(|(_, outcome)| match outcome {
        StepOutcome::Refused(why) => Some(why.clone()),
        _ => None,
    });
    match (summary.halted_at, refused) {
        (None, _) => wrapped(
            &mut lines,
            Vec::new(),
            &format!(
                "✓ Completed: all {} step(s) ran and succeeded",
                plan.steps.len()
            ),
            theme.ok.add_modifier(Modifier::BOLD),
            width,
        ),
        (Some(_), Some(why)) => wrapped(
            &mut lines,
            vec![Span::styled(
                format!("{} Refused: ", states::WARNING),
                theme.warning.add_modifier(Modifier::BOLD),
            )],
            &format!("{why}; nothing ran"),
            theme.warning,
            width,
        ),
        (Some(step), None) => {
            let outcome = summary
                .ran
                .iter()
                .find(|(index, _)| *index == step)
                .map_or(String::new(), |(_, outcome)| outcome_text(outcome));
            wrapped(
                &mut lines,
                vec![Span::styled(
                    format!("{} Halted at step {}: ", states::ERROR, step + 1),
                    theme.error.add_modifier(Modifier::BOLD),
                )],
                &outcome,
                theme.error,
                width,
            );
            lines.push(Line::styled(
                format!(
                    "{} step(s) succeeded, {} not run. Nothing is re-run by itself.",
                    run.succeeded(),
                    summary.not_run.len()
                ),
                theme.text,
            ));
        }
    }
    if let Some(step) = summary.halted_at {
        let output: Vec<&(usize, bool, String)> =
            run.output.iter().filter(|(at, _, _)| *at == step).collect();
        if !output.is_empty() {
            lines.push(Line::default());
            lines.push(heading(theme, format!("What step {} printed", step + 1)));
            for (_, stderr, text) in output {
                wrapped(
                    &mut lines,
                    vec![Span::styled("  │ ", theme.muted)],
                    text,
                    if *stderr { theme.warning } else { theme.text },
                    width,
                );
            }
        }
    }
    let partitions = partition_lines(app, plan, run, width);
    if !partitions.is_empty() {
        lines.push(Line::default());
        lines.push(heading(theme, "Partitions"));
        lines.extend(partitions);
    }
    lines.push(Line::default());
    lines.push(heading(theme, "What ran and what did not"));
    for text in summary.describe(plan).lines() {
        let style = if text.starts_with("not run") {
            theme.off
        } else if text.ends_with("-> succeeded") {
            theme.text
        } else {
            theme.error
        };
        // `ran     3. command -> outcome`: the command wraps under itself.
        let at = text.char_indices().nth(8).map_or(text.len(), |(at, _)| at);
        let (head, rest) = text.split_at(at);
        wrapped_exact(
            &mut lines,
            vec![Span::styled(format!("  {head}"), style)],
            rest,
            style,
            width,
        );
    }
    if !summary.reread.is_empty() {
        lines.push(Line::default());
        lines.push(heading(theme, "The state, re-read after the halt"));
        for (line, text) in &summary.reread {
            wrapped_exact(
                &mut lines,
                vec![Span::styled("  $ ", theme.muted)],
                line,
                theme.text.add_modifier(Modifier::BOLD),
                width,
            );
            for output in text.lines() {
                wrapped(
                    &mut lines,
                    vec![Span::styled("    ", theme.muted)],
                    output,
                    theme.text,
                    width,
                );
            }
        }
    }
    if summary.halted_at.is_some() && !summary.offers.is_empty() {
        lines.push(Line::default());
        lines.push(heading(
            theme,
            format!(
                "Offered for the state re-read above ({} chooses one, shown as a plan to confirm)",
                input_keys(WizardInput::Recovery)
            ),
        ));
        for branch in &summary.offers {
            wrapped(
                &mut lines,
                vec![Span::styled("  • ", theme.muted)],
                &branch.label,
                theme.text,
                width,
            );
            for step in &branch.steps {
                wrapped(
                    &mut lines,
                    vec![Span::styled("      $ ", theme.muted)],
                    &format!("{}  ({})", step.line(), step.why),
                    theme.muted,
                    width,
                );
            }
        }
        lines.push(Line::styled(
            "Enter closes (abort: nothing more runs).",
            theme.muted,
        ));
    } else if summary.halted_at.is_some() {
        lines.push(Line::default());
        if summary.recovery.is_empty() {
            lines.push(Line::styled(
                "No recovery branch is offered for this step: decide from the re-read state. Enter closes; nothing more runs.",
                theme.text,
            ));
        } else {
            lines.push(heading(
                theme,
                format!(
                    "Recovery offered by the failed step ({} shows it as a plan to confirm)",
                    input_keys(WizardInput::Recovery)
                ),
            ));
            for step in &summary.recovery {
                wrapped(
                    &mut lines,
                    vec![Span::styled("  $ ", theme.muted)],
                    &format!("{}  ({})", step.line(), step.why),
                    theme.text,
                    width,
                );
            }
            lines.push(Line::styled(
                "Enter closes (abort: nothing more runs).",
                theme.muted,
            ));
        }
    }
    lines
}
