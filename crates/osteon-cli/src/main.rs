//! `osteon`: the command-line entry point. Argument parsing, progress and
//! exit codes live here; every computation is a library call.

mod bundled;
mod command;
mod compare;
mod de;
mod demo;
mod elisa;
mod enrich;
mod gsea;
mod progress;
mod qpcr;
mod reference_flags;
mod report;
mod run;
mod study;
mod survival;
mod trajectory;

use clap::{Parser, Subcommand};

/// mimalloc instead of glibc's allocator: the GO readers make hundreds of
/// thousands of small allocations, and mimalloc halves their cost (see
/// docs/DESIGN.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
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
    /// Runs every analysis a study file names and writes tables, figures and
    /// one self-contained HTML report.
    Run(run::RunArgs),
    /// Writes the bundled example study (simulated POEMS vs myeloma stromal
    /// cells) and runs it: the quickest way to see a full report.
    Demo(demo::DemoArgs),
    /// Writes a commented study-file template.
    Init(InitArgs),
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

/// `osteon init` flags.
#[derive(clap::Args, Debug)]
struct InitArgs {
    /// Where to write the template.
    #[arg(default_value = "study.toml")]
    path: std::path::PathBuf,
}

/// Writes the study template, refusing to overwrite an existing file.
fn init(args: InitArgs) -> anyhow::Result<()> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&args.path)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", args.path.display()))?;
    file.write_all(study::TEMPLATE.as_bytes())?;
    eprintln!(
        "wrote {}; edit it, then run: osteon run {} --out results",
        args.path.display(),
        args.path.display()
    );
    Ok(())
}

/// Sizes the global worker pool (0 = one thread per core).
pub fn set_threads(threads: usize) -> anyhow::Result<()> {
    if threads > 0 {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global()
            .map_err(|e| anyhow::anyhow!("could not start the worker threads: {e}"))?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Init(args) => init(args),
        Command::Demo(args) => demo::run(args),
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
