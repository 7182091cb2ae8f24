//! `osteon`: the command-line entry point. Argument parsing, progress and
//! exit codes live here; every computation is a library call.

mod de;
mod progress;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Osteon: exact, fast, offline analyses for bone-marrow and bone-tumour
/// research.
#[derive(Parser, Debug)]
#[command(name = "osteon", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// RNA-seq differential expression reproducing DESeq2 1.38.3
    /// (`DESeq()` + `results()` with DESeq2's defaults).
    De(de::DeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::De(args) => de::run(args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(2)
        }
    }
}
