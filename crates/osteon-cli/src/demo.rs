//! `osteon demo --out DIR`: writes the bundled example study (simulated
//! POEMS vs multiple-myeloma stromal-cell RNA-seq, plus the lab-assay and
//! cohort examples) into `DIR/study/` and runs it into `DIR/results/`. It
//! needs no other files: the example data and the human GO snapshot are
//! embedded in the binary.

use anyhow::{Context, Result};
use osteon_io::OutputDir;
use std::path::PathBuf;

use crate::progress::StderrProgress;
use crate::{run, study};

/// `osteon demo` flags.
#[derive(clap::Args, Debug, Clone)]
pub struct DemoArgs {
    /// Output folder: the study goes to DIR/study, its results to DIR/results.
    #[arg(long)]
    pub out: PathBuf,
    /// Worker threads (results are identical for any number).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// No progress output on stderr.
    #[arg(long)]
    pub quiet: bool,
}

/// The example study's files, by path relative to the study folder.
pub const EXAMPLE_FILES: &[(&str, &[u8])] = &[
    ("study.toml", include_bytes!("../../../examples/study.toml")),
    (
        "stroma/counts.tsv",
        include_bytes!("../../../examples/stroma/counts.tsv"),
    ),
    (
        "stroma/samples.csv",
        include_bytes!("../../../examples/stroma/samples.csv"),
    ),
    (
        "stroma/genes.tsv",
        include_bytes!("../../../examples/stroma/genes.tsv"),
    ),
    (
        "stroma/README.md",
        include_bytes!("../../../examples/stroma/README.md"),
    ),
    (
        "trajectory/vegf.csv",
        include_bytes!("../../../examples/trajectory/vegf.csv"),
    ),
    (
        "trajectory/vegf_limits.csv",
        include_bytes!("../../../examples/trajectory/vegf_limits.csv"),
    ),
    (
        "trajectory/README.md",
        include_bytes!("../../../examples/trajectory/README.md"),
    ),
    (
        "reference_flags/panel.csv",
        include_bytes!("../../../examples/reference_flags/panel.csv"),
    ),
    (
        "reference_flags/limits.csv",
        include_bytes!("../../../examples/reference_flags/limits.csv"),
    ),
    (
        "reference_flags/README.md",
        include_bytes!("../../../examples/reference_flags/README.md"),
    ),
    (
        "qpcr/data.csv",
        include_bytes!("../../../examples/qpcr/data.csv"),
    ),
    (
        "qpcr/standard_curve.csv",
        include_bytes!("../../../examples/qpcr/standard_curve.csv"),
    ),
    (
        "qpcr/README.md",
        include_bytes!("../../../examples/qpcr/README.md"),
    ),
    (
        "elisa/plate.csv",
        include_bytes!("../../../examples/elisa/plate.csv"),
    ),
    (
        "elisa/README.md",
        include_bytes!("../../../examples/elisa/README.md"),
    ),
    (
        "compare/platelet_vegf.csv",
        include_bytes!("../../../examples/compare/platelet_vegf.csv"),
    ),
    (
        "compare/lesion_sre.csv",
        include_bytes!("../../../examples/compare/lesion_sre.csv"),
    ),
    (
        "compare/README.md",
        include_bytes!("../../../examples/compare/README.md"),
    ),
    (
        "survival/mgus2.csv",
        include_bytes!("../../../examples/survival/mgus2.csv"),
    ),
    (
        "survival/README.md",
        include_bytes!("../../../examples/survival/README.md"),
    ),
];

pub fn run(args: DemoArgs) -> Result<()> {
    let progress = StderrProgress::new(args.quiet);
    crate::set_threads(args.threads)?;
    let out = OutputDir::create(&args.out)?;
    let study_dir = out.path().join("study");
    for (name, bytes) in EXAMPLE_FILES {
        let path = study_dir.join(name);
        run::create_dir(path.parent().expect("example files live in a folder"))?;
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let loaded = study::load(&study_dir.join("study.toml"))?;
    let results = out.path().join("results");
    run::create_dir(&results)?;
    run::execute_study(&loaded, &results, &progress)?;
    run::relativize_outputs(out.path(), out.path())?;
    let final_path = out.commit()?;
    progress.finish();
    progress.message(&format!(
        "demo study in {}; report: {}",
        final_path.join("study").display(),
        final_path.join("results/report.html").display()
    ));
    Ok(())
}
