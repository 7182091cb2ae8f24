//! `osteon`: the command-line entry point. Argument parsing, progress and
//! exit codes live here; every computation is a library call.

mod compare;
mod de;
mod elisa;
mod enrich;
mod gsea;
mod progress;
mod qpcr;
mod reference_flags;
mod survival;
mod trajectory;

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
    /// Gene Ontology over-representation analysis (hypergeometric; classic,
    /// topGO elim or weight01) with redundancy reduction.
    Enrich(enrich::Args),
    /// Preranked gene-set enrichment analysis (fgsea's multilevel method).
    Gsea(gsea::Args),
    /// qPCR relative expression: ΔCt, ΔΔCt, Pfaffl, geNorm.
    Qpcr(qpcr::Args),
    /// ELISA standard curves (4PL/5PL) and interpolated concentrations.
    Elisa(elisa::Args),
    /// Group comparisons: t, Mann–Whitney, Kruskal–Wallis, ANOVA, Fisher, χ².
    Compare(compare::Args),
    /// Survival: Kaplan–Meier, log-rank, Cox, competing-risk CIF and Gray's test.
    Survival(survival::Args),
    /// Biomarker time courses: change from baseline/nadir, response at landmarks.
    Trajectory(trajectory::Args),
    /// Flags lab values against per-analyte reference intervals (H/L).
    ReferenceFlags(reference_flags::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::De(args) => de::run(args),
        Command::Enrich(args) => enrich::run(args),
        Command::Gsea(args) => gsea::run(args),
        Command::Qpcr(args) => qpcr::run(args),
        Command::Elisa(args) => elisa::run(args),
        Command::Compare(args) => compare::run(args),
        Command::Survival(args) => survival::run(args),
        Command::Trajectory(args) => trajectory::run(args),
        Command::ReferenceFlags(args) => reference_flags::run(args),
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
