//! `osteon run study.toml --out DIR`: runs every analysis a study file names
//! through the same code the single commands use, then writes `figures/`,
//! `report.html` and `run.json`. Everything is validated before computing,
//! and the output folder appears only when the whole run succeeded, so a
//! failure leaves the previous results intact.
//!
//! Output layout:
//! ```text
//! DIR/de/                      size_factors, dispersions, normalized_counts, vst
//! DIR/de/<contrast>/           results.tsv
//! DIR/enrichment/<name>/<up|down|both>/   enrich tables
//! DIR/enrichment/<name>/gsea/  gsea tables
//! DIR/<kind>/<name>/           qpcr, elisa, compare, survival, trajectory, …
//! DIR/figures/*.svg            every figure of the report, standalone
//! DIR/report.html              one self-contained report
//! DIR/run.json                 versions, parameters, input checksums, GO release
//! ```

use anyhow::{Context, Result};
use osteon_deseq::qc::{pca, sample_distances, Pca};
use osteon_deseq::ResultsTable;
use osteon_io::OutputDir;
use std::path::{Path, PathBuf};

use crate::de;
use crate::progress::StderrProgress;
use crate::study::{self, LoadedStudy};

/// `osteon run` flags.
#[derive(clap::Args, Debug, Clone)]
pub struct RunArgs {
    /// The study file (TOML; `osteon init` writes a commented template).
    pub study: PathBuf,
    /// Output folder (replaced only when the whole run succeeds).
    #[arg(long)]
    pub out: PathBuf,
    /// Worker threads (results are identical for any number).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// No progress output on stderr.
    #[arg(long)]
    pub quiet: bool,
}

/// The RNA-seq part of a study's results.
pub struct DeOutcome {
    pub settings: de::Settings,
    pub inputs: Vec<(PathBuf, String)>,
    pub fitted: de::Fitted,
    /// `(label, results)` per contrast, in study order.
    pub contrasts: Vec<(String, ResultsTable)>,
    pub pca: Pca,
    /// Samples × samples Euclidean distances on the VST (row-major).
    pub distances: Vec<f64>,
    /// Per sample, its level of the design's first factor (for colours).
    pub groups: Vec<String>,
    /// The name of that factor.
    pub group_variable: String,
    /// Library sizes (column sums of the raw counts).
    pub library_sizes: Vec<f64>,
}

/// Everything a study run computed.
pub struct StudyOutcome {
    pub de: Option<DeOutcome>,
    pub enrichment: Vec<EnrichmentOutcome>,
    pub qpcr: Vec<(String, crate::qpcr::Outcome)>,
    pub elisa: Vec<(String, crate::elisa::Outcome)>,
    pub compare: Vec<(String, crate::compare::Outcome)>,
    pub survival: Vec<(String, crate::survival::Outcome)>,
    pub trajectory: Vec<(String, crate::trajectory::Outcome)>,
    pub reference_flags: Vec<(String, crate::reference_flags::Outcome)>,
}

/// One `[enrichment.NAME]` section's results.
pub struct EnrichmentOutcome {
    pub name: String,
    pub contrast: String,
    /// `(direction, folder relative to the results, outcome)` per ORA run.
    pub ora: Vec<(String, String, crate::enrich::Outcome)>,
    /// `(folder relative to the results, outcome)` of the GSEA run.
    pub gsea: Option<(String, crate::gsea::Outcome)>,
}

/// Settings of a single command built from a JSON object: fields not given
/// take the command's defaults (the same as its flags and study sections).
fn settings_from<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T> {
    Ok(serde_json::from_value(value)?)
}

/// Runs the enrichment sections on the contrasts' `results.tsv` files.
fn run_enrichment(
    study: &study::Study,
    dir: &Path,
    progress: &StderrProgress,
) -> Result<Vec<EnrichmentOutcome>> {
    use serde_json::json;
    let mut outcomes = Vec::new();
    for (name, section) in &study.enrichment {
        let results = dir.join("de").join(&section.contrast).join("results.tsv");
        let base = dir.join("enrichment").join(de::safe_file_name(name));
        let mut common = json!({
            "de": results,
            "namespace": section.namespace,
        });
        for (key, value) in [
            ("ontology", &section.ontology),
            ("annotations", &section.annotations),
            ("id_map", &section.id_map),
        ] {
            if let Some(path) = value {
                common[key] = json!(path);
            }
        }
        let mut ora = Vec::new();
        if section.ora {
            for direction in &section.directions {
                progress.message(&format!(
                    "enrichment {name}: ORA, {direction}-regulated genes"
                ));
                let mut settings = common.clone();
                settings["padj"] = json!(section.padj);
                settings["direction"] = json!(direction);
                settings["algorithm"] = json!(section.algorithm);
                if let Some(min) = section.min_size {
                    settings["min_size"] = json!(min);
                }
                if let Some(max) = section.max_size {
                    settings["max_size"] = json!(max);
                }
                let settings: crate::enrich::Settings = settings_from(settings)?;
                let folder = base.join(direction);
                create_dir(&folder)?;
                let outcome =
                    crate::enrich::execute(&settings, &folder, progress).with_context(|| {
                        format!("study section [enrichment.{name}], ORA {direction}")
                    })?;
                ora.push((
                    direction.clone(),
                    format!("enrichment/{}/{direction}", de::safe_file_name(name)),
                    outcome,
                ));
            }
        }
        let gsea = if section.gsea {
            progress.message(&format!("enrichment {name}: preranked GSEA"));
            let mut settings = common.clone();
            if let Some(gmt) = &section.gmt {
                settings = json!({ "de": results, "gmt": gmt });
            }
            settings["seed"] = json!(section.seed);
            let settings: crate::gsea::Settings = settings_from(settings)?;
            let folder = base.join("gsea");
            create_dir(&folder)?;
            let outcome = crate::gsea::execute(&settings, &folder, progress)
                .with_context(|| format!("study section [enrichment.{name}], GSEA"))?;
            Some((
                format!("enrichment/{}/gsea", de::safe_file_name(name)),
                outcome,
            ))
        } else {
            None
        };
        outcomes.push(EnrichmentOutcome {
            name: name.clone(),
            contrast: section.contrast.clone(),
            ora,
            gsea,
        });
    }
    Ok(outcomes)
}

/// Runs every `[kind.NAME]` section of one analysis kind into
/// `dir/kind/NAME/` with that command's `execute`.
fn run_sections<S, O>(
    kind: &str,
    sections: &std::collections::BTreeMap<String, S>,
    dir: &Path,
    progress: &StderrProgress,
    execute: fn(&S, &Path, &StderrProgress) -> Result<O>,
) -> Result<Vec<(String, O)>> {
    let mut outcomes = Vec::new();
    for (name, settings) in sections {
        progress.message(&format!("{kind}: {name}"));
        let section_dir = dir.join(kind).join(de::safe_file_name(name));
        create_dir(&section_dir)?;
        let outcome = execute(settings, &section_dir, progress)
            .with_context(|| format!("study section [{kind}.{name}]"))?;
        outcomes.push((name.clone(), outcome));
    }
    Ok(outcomes)
}

pub fn run(args: RunArgs) -> Result<()> {
    let progress = StderrProgress::new(args.quiet);
    crate::set_threads(args.threads)?;
    let loaded = study::load(&args.study)?;
    let out = OutputDir::create(&args.out)?;
    execute_study(&loaded, out.path(), &progress)?;
    relativize_outputs(out.path(), out.path())?;
    let final_path = out.commit()?;
    progress.finish();
    progress.message(&format!(
        "done: report in {}",
        final_path.join("report.html").display()
    ));
    Ok(())
}

/// Runs a loaded study, writing everything into the existing folder `dir`.
pub fn execute_study(
    loaded: &LoadedStudy,
    dir: &Path,
    progress: &StderrProgress,
) -> Result<StudyOutcome> {
    let study = &loaded.study;
    // Read and check every input before computing anything.
    let de_prepared = match &study.rnaseq {
        Some(settings) => {
            progress.message("reading counts and sample sheet");
            let prepared = de::prepare(settings)?;
            for (i, c) in settings.contrasts.iter().enumerate() {
                prepared
                    .check_contrast(&c.to_contrast()?)
                    .with_context(|| {
                        format!(
                            "{}: rnaseq.contrasts[{i}] ({})",
                            loaded.path.display(),
                            c.label()
                        )
                    })?;
            }
            for gene in &settings.genes_of_interest {
                if !prepared.counts.genes.contains(gene) {
                    anyhow::bail!(
                        "{}: rnaseq.genes_of_interest: '{gene}' is not a gene of {}",
                        loaded.path.display(),
                        settings.counts.display()
                    );
                }
            }
            Some((settings.clone(), prepared))
        }
        None => None,
    };

    let de_outcome = match de_prepared {
        Some((settings, prepared)) => Some(run_de(settings, prepared, dir, progress)?),
        None => None,
    };
    let enrichment = run_enrichment(study, dir, progress)?;
    let qpcr = run_sections("qpcr", &study.qpcr, dir, progress, crate::qpcr::execute)?;
    let elisa = run_sections("elisa", &study.elisa, dir, progress, crate::elisa::execute)?;
    let compare = run_sections(
        "compare",
        &study.compare,
        dir,
        progress,
        crate::compare::execute,
    )?;
    let survival = run_sections(
        "survival",
        &study.survival,
        dir,
        progress,
        crate::survival::execute,
    )?;
    let trajectory = run_sections(
        "trajectory",
        &study.trajectory,
        dir,
        progress,
        crate::trajectory::execute,
    )?;
    let reference_flags = run_sections(
        "reference_flags",
        &study.reference_flags,
        dir,
        progress,
        crate::reference_flags::execute,
    )?;
    let outcome = StudyOutcome {
        de: de_outcome,
        enrichment,
        qpcr,
        elisa,
        compare,
        survival,
        trajectory,
        reference_flags,
    };
    progress.message("writing figures and report");
    let names = gene_names(&outcome)?;
    crate::report::write_report(dir, loaded, &outcome, &names)?;
    write_manifest(dir, loaded, &outcome)?;
    Ok(outcome)
}

/// Symbols for Ensembl gene ids (from the bundled human gene table) when
/// the count matrix uses them.
fn gene_names(outcome: &StudyOutcome) -> Result<crate::report::GeneNames> {
    let uses_ensembl = outcome
        .de
        .as_ref()
        .is_some_and(|de| de.fitted.fit.genes.iter().any(|g| g.starts_with("ENSG")));
    let mut names = crate::report::GeneNames::default();
    if uses_ensembl {
        let symbols = crate::bundled::ensembl_symbols()?;
        for gene in &outcome.de.as_ref().expect("checked").fitted.fit.genes {
            let stripped = gene.split('.').next().unwrap_or(gene);
            if let Some(symbol) = symbols.get(stripped) {
                names.symbols.insert(gene.clone(), symbol.clone());
            }
        }
    }
    Ok(names)
}

/// `run.json`: tool version, the study file's digest, every analysis's
/// parameters and inputs, and the GO release.
fn write_manifest(dir: &Path, loaded: &LoadedStudy, outcome: &StudyOutcome) -> Result<()> {
    let mut analyses = serde_json::Map::new();
    if let Some(de) = &outcome.de {
        let results: Vec<&ResultsTable> = de.contrasts.iter().map(|(_, r)| r).collect();
        analyses.insert(
            "rnaseq".into(),
            de::manifest(&de.settings, &de.inputs, &de.fitted, &results)?,
        );
    }
    let manifest = serde_json::json!({
        "tool": "osteon",
        "version": env!("CARGO_PKG_VERSION"),
        "command": "run",
        "study": { "path": loaded.path.display().to_string(), "sha256": loaded.sha256 },
        "go_release": crate::bundled::go_release(),
        "annotation_source": crate::bundled::annotation_source(),
        "analyses": analyses,
    });
    let path = dir.join("run.json");
    std::fs::write(&path, serde_json::to_string_pretty(&manifest)? + "\n")
        .with_context(|| format!("cannot write {}", path.display()))
}

fn run_de(
    settings: de::Settings,
    prepared: de::Prepared,
    dir: &Path,
    progress: &StderrProgress,
) -> Result<DeOutcome> {
    let inputs = prepared.inputs.clone();
    let (group_variable, groups) = first_factor(&prepared);
    let n_samples = prepared.counts.n_samples();
    let mut library_sizes = vec![0.0; n_samples];
    for g in 0..prepared.counts.n_genes() {
        for (j, x) in prepared.counts.row(g).iter().enumerate() {
            library_sizes[j] += x;
        }
    }
    let fitted = de::fit(prepared, settings.vst_blind, progress)?;
    let mut contrasts = Vec::new();
    for c in &settings.contrasts {
        let res = de::contrast_results(&fitted, c.to_contrast()?, settings.alpha)?;
        contrasts.push((c.label(), res));
    }
    progress.message("writing RNA-seq tables");
    let de_dir = dir.join("de");
    create_dir(&de_dir)?;
    de::write_fit_tables(&de_dir, &fitted)?;
    for (label, res) in &contrasts {
        let contrast_dir = de_dir.join(label);
        create_dir(&contrast_dir)?;
        de::write_results(&contrast_dir, res)?;
    }
    let n_genes = fitted.fit.genes.len();
    let vst = fitted.vst.to_matrix(&fitted.fit.counts);
    let pca = pca(&vst, n_genes, n_samples, 500);
    let distances = sample_distances(&vst, n_genes, n_samples);
    Ok(DeOutcome {
        settings,
        inputs,
        fitted,
        contrasts,
        pca,
        distances,
        groups,
        group_variable,
        library_sizes,
    })
}

/// The design's first factor and each sample's level of it (the grouping
/// used for colours); `("sample", names)` for designs without factors.
fn first_factor(prepared: &de::Prepared) -> (String, Vec<String>) {
    use osteon_deseq::design::Covariate;
    for name in &prepared.formula.variables {
        if let Some(Covariate::Factor { levels, codes }) = prepared.data.get(name) {
            return (
                name.clone(),
                codes.iter().map(|&c| levels[c].clone()).collect(),
            );
        }
    }
    ("sample".into(), prepared.counts.samples.clone())
}

/// Creates a folder inside the output, naming it on failure.
pub fn create_dir(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).with_context(|| format!("cannot create {}", path.display()))
}

/// Rewrites paths under `root` as paths relative to it in the files of
/// `dir` that name input files (`report.html`, every `run.json` and
/// `id_mapping.tsv`), so that the output does not depend on the temporary
/// folder it was written in (`.NAME.tmp-PID-N`) and a run is reproducible
/// byte for byte.
pub fn relativize_outputs(dir: &Path, root: &Path) -> Result<()> {
    let prefix = format!("{}/", root.display());
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let entries = std::fs::read_dir(&folder)
            .with_context(|| format!("cannot list {}", folder.display()))?;
        for entry in entries {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                stack.push(path);
                continue;
            }
            let name = entry.file_name();
            if !matches!(
                name.to_str(),
                Some("report.html" | "run.json" | "id_mapping.tsv")
            ) {
                continue;
            }
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            if text.contains(&prefix) {
                std::fs::write(&path, text.replace(&prefix, ""))
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
        }
    }
    Ok(())
}
