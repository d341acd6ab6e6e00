//! The `powerdeck` command: the console, one-shot inventory, plans, and the simulator.

mod cli;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let args = cli::Cli::parse();
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
