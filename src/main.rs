//! The `powerdeck` command.

fn main() {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("--version" | "-V") => println!("powerdeck {}", env!("CARGO_PKG_VERSION")),
        _ => {
            eprintln!(
                "powerdeck {}: a terminal console for IBM Power estates.\n\
                 This build provides the library (estate model, parsers, command building);\n\
                 see README.md.",
                env!("CARGO_PKG_VERSION")
            );
            std::process::exit(1);
        }
    }
}
