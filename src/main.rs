//! The `powerdeck` command: the console, one-shot inventory, plans, and the simulator.

mod cli;

use clap::Parser;

fn main() -> std::process::ExitCode {
    // A usage error exits 1 (README.md, "Using it"): clap's own 2 would read as "a
    // source failed" or "not covered" to a script.
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        Err(error) => {
            let _ = error.print();
            return std::process::ExitCode::from(u8::from(error.use_stderr()));
        }
    };
    if let Err(error) = color_eyre::install() {
        eprintln!("powerdeck: {error}");
    }
    match cli::run(args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!(
                "powerdeck: {}",
                powerdeck::text::visible_lines(&format!("{error:#}"))
            );
            std::process::ExitCode::from(1)
        }
    }
}
