//! Turns a study's results into `figures/*.svg` and `report.html`.
//!
//! This is glue: every number comes from the kernels' result structs (via
//! [`crate::run::StudyOutcome`]) and every drawing from `osteon-report`. The
//! report's sections follow the order a reader needs: overview, sample QC,
//! one section per contrast, enrichment, the lab-assay and cohort analyses,
//! then methods generated from what actually ran.

use anyhow::{Context, Result};
use osteon_report::figures::{self, Size};
use osteon_report::html::{
    Block, Callout, Column, Download, Figure, Highlight, KeyValue, Methods, Reference, Report,
    Section, Table, Text,
};
use std::collections::BTreeMap;
use std::path::Path;

use crate::run::{DeOutcome, StudyOutcome};
use crate::study::LoadedStudy;

/// Rows of a results table shown inline in the report (the full table is
/// linked).
pub const INLINE_ROWS: usize = 300;
/// Significant digits of ordinary numbers in report tables.
pub const NUMBER_DIGITS: u8 = 4;
/// Significant digits of p-values in report tables.
pub const P_DIGITS: u8 = 3;

/// Collects figures: each is written to `figures/<name>.svg` and returned
/// as an HTML figure.
pub struct FigureWriter<'a> {
    dir: &'a Path,
}

impl<'a> FigureWriter<'a> {
    pub fn new(dir: &'a Path) -> Result<Self> {
        crate::run::create_dir(&dir.join("figures"))?;
        Ok(FigureWriter { dir })
    }

    /// Writes the standalone SVG and makes the report figure.
    pub fn figure(&self, name: &str, svg: String, title: &str, caption: Text) -> Result<Figure> {
        let path = self.dir.join("figures").join(format!("{name}.svg"));
        std::fs::write(&path, osteon_report::svg::standalone(&svg))
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(Figure::new(name, svg, caption)
            .with_context(|| format!("figure {name}"))?
            .title(title))
    }
}

/// Display names for genes (e.g. Ensembl id → symbol); ids without one are
/// shown as they are.
#[derive(Debug, Clone, Default)]
pub struct GeneNames {
    pub symbols: BTreeMap<String, String>,
}

impl GeneNames {
    /// The symbol of `id`, or `id` itself.
    pub fn label<'s>(&'s self, id: &'s str) -> &'s str {
        self.symbols.get(id).map(String::as_str).unwrap_or(id)
    }
}

/// A contrast's results table as a report table: sorted by padj (NA last,
/// then pvalue, then gene id, as a stable order), the top rows inline.
pub fn results_table(
    label: &str,
    res: &osteon_deseq::ResultsTable,
    names: &GeneNames,
    full_path: &str,
) -> Result<Table> {
    let order = results_order(res);
    let pick = |v: &[f64]| order.iter().map(|&i| v[i]).collect::<Vec<f64>>();
    let columns = vec![
        Column::text(
            "gene",
            order.iter().map(|&i| res.genes[i].clone()).collect(),
        ),
        Column::text(
            "symbol",
            order
                .iter()
                .map(|&i| {
                    names
                        .symbols
                        .get(&res.genes[i])
                        .cloned()
                        .unwrap_or_default()
                })
                .collect(),
        ),
        Column::number("baseMean", pick(&res.base_mean), NUMBER_DIGITS)
            .description("mean of normalised counts over all samples"),
        Column::number("log2FoldChange", pick(&res.log2_fold_change), NUMBER_DIGITS)
            .description("log2 fold change (MLE)"),
        Column::number("lfcSE", pick(&res.lfc_se), NUMBER_DIGITS)
            .description("standard error of log2FoldChange"),
        Column::number("stat", pick(&res.stat), NUMBER_DIGITS).description("Wald or LRT statistic"),
        Column::p_value("pvalue", pick(&res.pvalue), P_DIGITS),
        Column::p_value("padj", pick(&res.padj), P_DIGITS)
            .description("Benjamini–Hochberg adjusted p-value after independent filtering"),
    ];
    Ok(Table::new(format!("results-{label}"), columns)?
        .caption(Text::new().plain(format!(
            "{}: genes sorted by adjusted p-value.",
            res.description
        )))
        .show_top(INLINE_ROWS)
        .full_table(full_path)
        .row_noun("genes"))
}

/// Row order of a results table in the report: padj ascending (NA last),
/// then pvalue, then gene id.
pub fn results_order(res: &osteon_deseq::ResultsTable) -> Vec<usize> {
    let mut order: Vec<usize> = (0..res.genes.len()).collect();
    let key = |x: f64| if x.is_nan() { f64::INFINITY } else { x };
    order.sort_by(|&a, &b| {
        key(res.padj[a])
            .total_cmp(&key(res.padj[b]))
            .then(key(res.pvalue[a]).total_cmp(&key(res.pvalue[b])))
            .then(res.genes[a].cmp(&res.genes[b]))
    });
    order
}

/// The overview, sample-QC and per-contrast sections of the RNA-seq part.
pub fn de_sections(
    de: &DeOutcome,
    names: &GeneNames,
    figs: &FigureWriter,
) -> Result<(Section, Vec<Section>)> {
    let fit = &de.fitted.fit;
    let samples = &fit.counts.samples;
    let group_of = |j: usize| de.groups[j].clone();

    // Sample QC.
    let mut qc = Section::new("Sample quality control").id("qc");
    let sample_values = |values: &[f64]| -> Vec<figures::SampleValue> {
        (0..samples.len())
            .map(|j| figures::SampleValue {
                sample: samples[j].clone(),
                group: group_of(j),
                value: values[j],
            })
            .collect()
    };
    let lib = figs.figure(
        "library_sizes",
        figures::library_sizes(&figures::LibrarySizes {
            title: "Library sizes".into(),
            subtitle: "total counts per sample".into(),
            samples: sample_values(&de.library_sizes),
            size: Size::SINGLE_COLUMN,
        }),
        "Library sizes.",
        Text::new()
            .plain("Total read counts per sample, coloured by ")
            .code(&de.group_variable)
            .plain("."),
    )?;
    let sf = figs.figure(
        "size_factors",
        figures::size_factors(&figures::SizeFactors {
            title: "Size factors".into(),
            subtitle: format!("{} estimator", de.settings.sf_type),
            samples: sample_values(&fit.size_factors),
            size: Size::SINGLE_COLUMN,
        }),
        "Size factors.",
        Text::new().plain("DESeq2 size factors (median-of-ratios unless another estimator was chosen); a sample far from 1 was sequenced more or less deeply."),
    )?;
    qc = qc.block(Block::FigureGrid(vec![lib, sf]));
    let pca_samples = (0..samples.len())
        .map(|j| figures::PcaSample {
            name: samples[j].clone(),
            group: group_of(j),
            pc1: de.pca.scores[j][0],
            pc2: de.pca.scores[j].get(1).copied().unwrap_or(0.0),
        })
        .collect();
    let pca = figs.figure(
        "pca",
        figures::pca_plot(&figures::PcaPlot {
            title: "PCA of samples".into(),
            subtitle: format!("VST, {} most variable genes", de.pca.genes_used),
            samples: pca_samples,
            percent_variance: [
                100.0 * de.pca.percent_var[0],
                100.0 * de.pca.percent_var.get(1).copied().unwrap_or(0.0),
            ],
            group_title: de.group_variable.clone(),
            show_labels: samples.len() <= 24,
            size: Size::SINGLE_COLUMN_SQUARE,
        }),
        "Principal components.",
        Text::new().plain(format!(
            "PCA of the variance-stabilised counts ({}) on the {} genes with the highest variance, as DESeq2's plotPCA; axis titles give the share of variance.",
            de.fitted.vst_method, de.pca.genes_used
        )),
    )?;
    let m = samples.len();
    let heat = figs.figure(
        "sample_distances",
        figures::distance_heatmap(&figures::DistanceHeatmap {
            title: "Sample-to-sample distances".into(),
            subtitle: "Euclidean, on the VST".into(),
            samples: samples.clone(),
            groups: de.groups.clone(),
            distances: (0..m).map(|i| de.distances[i * m..(i + 1) * m].to_vec()).collect(),
            color_title: "distance".into(),
            size: Size::SINGLE_COLUMN_SQUARE,
        }),
        "Sample distances.",
        Text::new().plain("Euclidean distances between samples on the variance-stabilised counts; similar samples are dark."),
    )?;
    qc = qc.block(Block::FigureGrid(vec![pca, heat]));
    let d = &fit.dispersions;
    let disp_genes = (0..fit.genes.len())
        .filter(|&g| !fit.all_zero[g])
        .map(|g| figures::DispersionGene {
            name: names.label(&fit.genes[g]).to_string(),
            base_mean: fit.base_mean[g],
            gene_estimate: d.disp_gene_est[g],
            fitted: d.disp_fit[g],
            final_estimate: d.dispersion[g],
            outlier: d.disp_outlier[g],
        })
        .collect();
    let disp = figs.figure(
        "dispersions",
        figures::dispersion_plot(&figures::DispersionPlot {
            title: "Dispersion estimates".into(),
            subtitle: format!("{} trend", fit.trend.name()),
            genes: disp_genes,
            size: Size::ONE_AND_HALF_COLUMN,
        }),
        "Dispersion estimates.",
        Text::new().plain("Gene-wise estimates, the fitted trend and the final shrunken estimates (see the legend); circled genes kept their gene-wise value as dispersion outliers, as in DESeq2's plotDispEsts."),
    )?;
    qc = qc.block(disp);
    let mut size_factor_note = Vec::new();
    if fit.trend_fell_back {
        size_factor_note.push(Callout::warning(
            "The parametric dispersion trend did not converge; DESeq2's fallback, a local regression trend, was used.",
        ));
    }
    for note in size_factor_note {
        qc = qc.block(note);
    }

    // One section per contrast.
    let mut contrast_sections = Vec::new();
    for (label, res) in &de.contrasts {
        let alpha = de.settings.alpha;
        let up = (0..res.genes.len())
            .filter(|&i| res.padj[i] < alpha && res.log2_fold_change[i] > 0.0)
            .count();
        let down = (0..res.genes.len())
            .filter(|&i| res.padj[i] < alpha && res.log2_fold_change[i] < 0.0)
            .count();
        let tested = res.padj.iter().filter(|p| !p.is_nan()).count();
        let mut section = Section::new(format!("Differential expression: {}", res.description))
            .id(format!("de-{label}"));
        section = section.block(Block::Highlights(vec![
            Highlight::new(up.to_string(), format!("genes up (padj < {alpha})")),
            Highlight::new(down.to_string(), format!("genes down (padj < {alpha})")),
            Highlight::new(tested.to_string(), "genes tested after filtering"),
        ]));
        let gene_results: Vec<figures::GeneResult> = (0..res.genes.len())
            .map(|i| figures::GeneResult {
                name: names.label(&res.genes[i]).to_string(),
                base_mean: res.base_mean[i],
                log2_fold_change: res.log2_fold_change[i],
                padj: res.padj[i],
            })
            .collect();
        let ma = figs.figure(
            &format!("ma_{label}"),
            figures::ma_plot(&figures::MaPlot {
                title: "MA plot".into(),
                subtitle: res.description.clone(),
                genes: gene_results.clone(),
                alpha,
                y_limit: None,
                size: Size::SINGLE_COLUMN_SQUARE,
            }),
            "MA plot.",
            Text::new().plain(format!(
                "log2 fold change against mean normalised count; genes with padj < {alpha} in colour; points beyond the axis are drawn as triangles at its edge."
            )),
        )?;
        let goi: Vec<String> = de
            .settings
            .genes_of_interest
            .iter()
            .map(|g| names.label(g).to_string())
            .collect();
        let volcano = figs.figure(
            &format!("volcano_{label}"),
            figures::volcano_plot(&figures::VolcanoPlot {
                title: "Volcano plot".into(),
                subtitle: res.description.clone(),
                genes: gene_results,
                alpha,
                lfc_threshold: 0.0,
                label_top: 12,
                label_genes: goi,
                size: Size::SINGLE_COLUMN_SQUARE,
            }),
            "Volcano plot.",
            Text::new().plain(format!(
                "−log10 adjusted p-value against log2 fold change; the most significant genes and the genes of interest are labelled; dashed line at padj = {alpha}."
            )),
        )?;
        section = section.block(Block::FigureGrid(vec![ma, volcano]));
        let full = format!("de/{label}/results.tsv");
        section = section.block(results_table(label, res, names, &full)?);
        section = section.block(Block::Downloads(vec![Download::new(
            "results.tsv",
            full.clone(),
        )
        .description("all genes, DESeq2's columns")]));
        if !de.settings.genes_of_interest.is_empty() {
            let mut count_figures = Vec::new();
            let group_levels = ordered_levels(&de.groups);
            for gene in &de.settings.genes_of_interest {
                let g = fit
                    .genes
                    .iter()
                    .position(|x| x == gene)
                    .expect("genes of interest were checked before the run");
                let row = fit.counts.row(g);
                let groups = group_levels
                    .iter()
                    .map(|level| {
                        let members: Vec<usize> =
                            (0..m).filter(|&j| &de.groups[j] == level).collect();
                        figures::CountGroup {
                            name: level.clone(),
                            samples: members.iter().map(|&j| samples[j].clone()).collect(),
                            normalized_counts: members
                                .iter()
                                .map(|&j| row[j] / fit.size_factors[j])
                                .collect(),
                        }
                    })
                    .collect();
                let i = res.genes.iter().position(|x| x == gene).unwrap_or(g);
                let subtitle = format!(
                    "{gene}: log2FC {}, padj {}",
                    osteon_report::html::format_number(res.log2_fold_change[i], 3),
                    osteon_report::html::format_number(res.padj[i], 3)
                );
                let label_text = names.label(gene).to_string();
                count_figures.push(figs.figure(
                    &format!("counts_{label}_{}", crate::de::safe_file_name(gene)),
                    figures::gene_counts(&figures::GeneCounts {
                        gene: label_text.clone(),
                        subtitle,
                        groups,
                        pseudocount: 0.5,
                        group_title: de.group_variable.clone(),
                        size: Size::SINGLE_COLUMN,
                    }),
                    &format!("{label_text}."),
                    Text::new().plain("Normalised counts (+0.5, log scale) per sample by group, as DESeq2's plotCounts; bars mark group medians."),
                )?);
            }
            section = section.subsection(
                Section::new("Genes of interest")
                    .id(format!("goi-{label}"))
                    .block(Block::FigureGrid(count_figures)),
            );
        }
        contrast_sections.push(section);
    }
    Ok((qc, contrast_sections))
}

/// Distinct values in order of first appearance.
pub fn ordered_levels(values: &[String]) -> Vec<String> {
    let mut levels: Vec<String> = Vec::new();
    for v in values {
        if !levels.contains(v) {
            levels.push(v.clone());
        }
    }
    levels
}

/// The DESeq2 part of the methods text.
pub fn de_methods(de: &DeOutcome, methods: &mut MethodsText) {
    let fit = &de.fitted.fit;
    let contrasts: Vec<String> = de
        .contrasts
        .iter()
        .map(|(_, r)| r.description.clone())
        .collect();
    let deseq = methods.cite(
        "Love MI, Huber W, Anders S (2014). Moderated estimation of fold change and dispersion for RNA-seq data with DESeq2. Genome Biology 15:550.",
        "10.1186/s13059-014-0550-8",
    );
    let bh = methods.cite(
        "Benjamini Y, Hochberg Y (1995). Controlling the false discovery rate: a practical and powerful approach to multiple testing. Journal of the Royal Statistical Society B 57:289–300.",
        "10.1111/j.2517-6161.1995.tb02031.x",
    );
    methods.paragraphs.push(format!(
        "Differential expression was analysed with Osteon {} reproducing DESeq2 1.38.3 [{deseq}] on {} genes and {} samples with the design {} ({} test; size factors: {}; dispersion trend: {}{}). Results were computed for {}. Genes were filtered independently on the mean of normalised counts to maximise discoveries at alpha = {}, and p-values adjusted by the Benjamini–Hochberg method [{bh}]. Samples were inspected by principal-component analysis of the {} on the 500 most variable genes.",
        env!("CARGO_PKG_VERSION"),
        fit.genes.len(),
        fit.counts.n_samples(),
        fit.design.formula.text,
        if de.settings.test == "lrt" { "likelihood-ratio" } else { "Wald" },
        de.settings.sf_type,
        fit.trend.name(),
        if fit.trend_fell_back { ", after the parametric fit failed" } else { "" },
        contrasts.join("; "),
        de.settings.alpha,
        de.fitted.vst_method,
    ));
}

/// Methods paragraphs with a numbered reference list; citing the same work
/// twice reuses its number.
#[derive(Debug, Default)]
pub struct MethodsText {
    pub paragraphs: Vec<String>,
    pub references: Vec<(String, String)>,
}

impl MethodsText {
    /// The reference number of a citation, adding it when new.
    pub fn cite(&mut self, citation: &str, doi: &str) -> usize {
        if let Some(i) = self.references.iter().position(|(c, _)| c == citation) {
            return i + 1;
        }
        self.references
            .push((citation.to_string(), doi.to_string()));
        self.references.len()
    }

    fn block(&self) -> Methods {
        let mut methods = Methods::new();
        for p in &self.paragraphs {
            methods = methods.paragraph(p.as_str());
        }
        for (citation, doi) in &self.references {
            let mut reference = Reference::new(citation.as_str());
            if !doi.is_empty() {
                reference = reference.doi(doi.as_str());
            }
            methods = methods.reference(reference);
        }
        methods
    }
}

/// Writes `figures/` and `report.html` into `dir`.
pub fn write_report(
    dir: &Path,
    loaded: &LoadedStudy,
    outcome: &StudyOutcome,
    names: &GeneNames,
) -> Result<()> {
    let info = &loaded.study.study;
    let figs = FigureWriter::new(dir)?;
    let mut report = Report::new(info.title.clone()).subtitle(format!(
        "Osteon {} · study file {}",
        env!("CARGO_PKG_VERSION"),
        loaded
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    ));
    if let Some(authors) = &info.authors {
        report = report.subtitle(format!(
            "{} · Osteon {}",
            authors,
            env!("CARGO_PKG_VERSION")
        ));
    }
    if let Some(notice) = &info.notice {
        report = report.notice(Callout::warning(notice.as_str()).title("Please note"));
    }
    let mut methods = MethodsText::default();

    // Overview.
    let mut overview = Section::new("Overview").id("overview");
    if let Some(description) = &info.description {
        overview = overview.paragraph(description.as_str());
    }
    let mut summary = Vec::new();
    if let Some(de) = &outcome.de {
        let fit = &de.fitted.fit;
        let levels = ordered_levels(&de.groups);
        let per_group: Vec<String> = levels
            .iter()
            .map(|l| format!("{l} n={}", de.groups.iter().filter(|g| *g == l).count()))
            .collect();
        summary.push(KeyValue::new(
            "Design",
            Text::new().code(&fit.design.formula.text),
        ));
        summary.push(KeyValue::new(
            "Samples",
            format!("{} ({})", fit.counts.n_samples(), per_group.join(", ")),
        ));
        summary.push(KeyValue::new("Genes", fit.genes.len().to_string()));
        for (label, res) in &de.contrasts {
            let n_sig = res.padj.iter().filter(|&&p| p < de.settings.alpha).count();
            summary.push(KeyValue::new(
                format!("Contrast {label}"),
                Text::new()
                    .plain(format!(
                        "{n_sig} genes with padj < {} — ",
                        de.settings.alpha
                    ))
                    .link("details", format!("#de-{label}")),
            ));
        }
    }
    overview = overview.block(Block::KeyValues(summary));
    report = report.section(overview);

    if let Some(de) = &outcome.de {
        let (qc, contrasts) = de_sections(de, names, &figs)?;
        report = report.section(qc);
        for s in contrasts {
            report = report.section(s);
        }
        de_methods(de, &mut methods);
    }
    for section in enrichment_sections(&outcome.enrichment, dir, &figs, names, &mut methods)? {
        report = report.section(section);
    }

    for section in [
        qpcr_section(&outcome.qpcr, dir, &figs, &study_folder("qpcr"))?,
        elisa_section(&outcome.elisa, dir, &figs, &study_folder("elisa"))?,
        compare_section(&outcome.compare, dir, &figs, &study_folder("compare"))?,
        survival_section(&outcome.survival, dir, &figs, &study_folder("survival"))?,
        trajectory_section(&outcome.trajectory, dir, &figs, &study_folder("trajectory"))?,
        reference_flags_section(&outcome.reference_flags, dir)?,
    ]
    .into_iter()
    .flatten()
    {
        report = report.section(section);
    }

    report = report.section(Section::new("Methods").id("methods").block(methods.block()));
    report = report.footer(format!(
        "Generated by Osteon {}. Tables and figures are in this report's folder; run.json records inputs, checksums and parameters.",
        env!("CARGO_PKG_VERSION")
    ));
    let html = report.render();
    let path = dir.join("report.html");
    std::fs::write(&path, html).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// A TSV written by an analysis, shown as a report table: columns whose
/// cells all parse as numbers (or NA) are numeric — p-value styled when the
/// header names a p-value — and the rest are text. Reading the file back
/// makes the report show exactly the numbers of the TSV.
pub fn tsv_table(dir: &Path, relative: &str, caption: &str, show_top: usize) -> Result<Table> {
    let path = dir.join(relative);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let mut lines = text.lines().filter(|l| !l.is_empty());
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split('\t').collect()).collect();
    fn cell<'t>(row: &[&'t str], column: usize) -> &'t str {
        row.get(column).copied().unwrap_or("")
    }
    let mut columns = Vec::new();
    for (c, name) in header.iter().enumerate() {
        let parsed: Option<Vec<f64>> = rows
            .iter()
            .map(|r| match cell(r, c) {
                "NA" | "" => Some(f64::NAN),
                other => osteon_io::parse_r_number(other),
            })
            .collect();
        let column = match parsed {
            Some(values) if values.iter().any(|v| !v.is_nan()) => {
                let lower = name.to_ascii_lowercase();
                let is_p = lower == "p"
                    || lower.starts_with("pval")
                    || lower.starts_with("p.")
                    || lower.starts_with("p_")
                    || lower.starts_with("padj")
                    || lower.contains("p_adj")
                    || lower == "fdr";
                if is_p {
                    Column::p_value(*name, values, P_DIGITS)
                } else {
                    Column::number(*name, values, NUMBER_DIGITS)
                }
            }
            _ => Column::text(*name, rows.iter().map(|r| cell(r, c).to_string()).collect()),
        };
        columns.push(column);
    }
    let name = relative.trim_end_matches(".tsv").replace('/', "-");
    Ok(Table::new(name, columns)?
        .caption(Text::new().plain(caption))
        .show_top(show_top)
        .full_table(relative))
}

/// A section per analysis kind with one subsection per named run, built
/// by `subsection` (`None` when the study has no run of the kind).
fn per_run_section<T>(
    title: &str,
    id: &str,
    outcomes: &[(String, T)],
    mut subsection: impl FnMut(&String, &T) -> Result<Section>,
) -> Result<Option<Section>> {
    if outcomes.is_empty() {
        return Ok(None);
    }
    let mut section = Section::new(title).id(id);
    for (name, outcome) in outcomes {
        section = section.subsection(subsection(name, outcome)?);
    }
    Ok(Some(section))
}

/// Sections for biomarker time courses: one spaghetti plot per assay (log
/// axis, the assay's upper normal limit dashed, landmarks dotted) and the
/// landmark and arm-summary tables.
pub fn trajectory_section(
    outcomes: &[(String, crate::trajectory::Outcome)],
    dir: &Path,
    figs: &FigureWriter,
    folder_of: &dyn Fn(&str) -> String,
) -> Result<Option<Section>> {
    per_run_section(
        "Biomarker time courses",
        "trajectory",
        outcomes,
        |name, outcome| {
            let t = &outcome.trajectory;
            let folder = folder_of(name);
            let mut sub = Section::new(name.clone()).id(format!("trajectory-{name}"));
            let assays =
                ordered_levels(&t.series.iter().map(|s| s.assay.clone()).collect::<Vec<_>>());
            let mut figures_of_assays = Vec::new();
            for assay in &assays {
                let series: Vec<_> = t.series.iter().filter(|s| &s.assay == assay).collect();
                let first = series[0];
                let unit = first.unit.clone().unwrap_or_default();
                let uln = first.upper_limit;
                let patients = series
                    .iter()
                    .map(|s| figures::PatientSeries {
                        patient: s.patient.clone(),
                        arm: s.arm.clone().unwrap_or_default(),
                        points: s
                            .times
                            .iter()
                            .copied()
                            .zip(s.values.iter().copied())
                            .collect(),
                    })
                    .collect();
                let svg = figures::spaghetti(&figures::SpaghettiPlot {
                    title: format!("{} ({assay})", outcome.value_label),
                    subtitle: format!("{} patients", series.len()),
                    x_title: format!("time ({})", outcome.time_unit),
                    y_title: if unit.is_empty() {
                        outcome.value_label.clone()
                    } else {
                        format!("{} ({unit})", outcome.value_label)
                    },
                    patients,
                    normal_limits: vec![figures::ReferenceLine {
                        label: format!("ULN {}", osteon_report::html::format_number(uln, 4)),
                        value: uln,
                    }],
                    landmarks: t
                        .landmark_times
                        .iter()
                        .map(|&time| figures::Landmark {
                            label: osteon_report::html::format_number(time, 4),
                            time,
                        })
                        .collect(),
                    log_y: true,
                    size: Size::ONE_AND_HALF_COLUMN,
                });
                figures_of_assays.push(figs.figure(
                &format!("trajectory_{}_{}", crate::de::safe_file_name(name), crate::de::safe_file_name(assay)),
                svg,
                &format!("{assay}."),
                Text::new().plain("One line per patient (log axis), coloured by arm; dashed: the assay's upper limit of normal; dotted: landmarks."),
            )?);
            }
            sub = sub.block(Block::FigureGrid(figures_of_assays));
            sub = sub.block(tsv_table(
            dir,
            &in_folder(&folder, "landmarks.tsv"),
            "Value, change from baseline and response category of each patient at each landmark.",
            200,
        )?);
            sub = sub.block(tsv_table(
                dir,
                &in_folder(&folder, "arm_summary.tsv"),
                "Per arm and landmark: medians and quartiles, and patients per response category.",
                100,
            )?);
            Ok(sub)
        },
    )
}

/// Sections for reference-interval flags: the per-analyte summary and the
/// flagged values.
pub fn reference_flags_section(
    outcomes: &[(String, crate::reference_flags::Outcome)],
    dir: &Path,
) -> Result<Option<Section>> {
    if outcomes.is_empty() {
        return Ok(None);
    }
    let mut section = Section::new("Lab values against reference intervals").id("reference-flags");
    for (name, _outcome) in outcomes {
        let folder = format!("reference_flags/{}", crate::de::safe_file_name(name));
        section = section.subsection(
            Section::new(name.clone())
                .id(format!("flags-{name}"))
                .block(tsv_table(
                    dir,
                    &format!("{folder}/flag_summary.tsv"),
                    "Values below (L, LL) and above (H, HH) the reference interval, per analyte.",
                    100,
                )?)
                .block(tsv_table(
                    dir,
                    &format!("{folder}/flags.tsv"),
                    "Every value with its limits and flag.",
                    200,
                )?),
        );
    }
    Ok(Some(section))
}

/// The running enrichment score after each ranked gene, from the curve's
/// corner points `(x, y)` (x = 1-based rank position, ascending): at a hit
/// the score is the top of its jump (the last point at that position);
/// between hits it falls linearly, so it is interpolated.
pub fn running_score_per_gene(x: &[f64], y: &[f64], n_genes: usize) -> Vec<f64> {
    let mut out = Vec::with_capacity(n_genes);
    let mut k = 0;
    for position in 1..=n_genes {
        let p = position as f64;
        // Advance to the last point at or before p.
        while k + 1 < x.len() && x[k + 1] <= p {
            k += 1;
        }
        let value = if x[k] == p || k + 1 >= x.len() {
            y[k]
        } else {
            let t = (p - x[k]) / (x[k + 1] - x[k]);
            y[k] + t * (y[k + 1] - y[k])
        };
        out.push(value);
    }
    out
}

/// Sections for gene-set enrichment: per ORA run a dot plot and the term
/// table, per GSEA run the table and running-score plots of the top sets.
pub fn enrichment_sections(
    outcomes: &[crate::run::EnrichmentOutcome],
    dir: &Path,
    figs: &FigureWriter,
    names: &GeneNames,
    methods: &mut MethodsText,
) -> Result<Vec<Section>> {
    let mut sections = Vec::new();
    for e in outcomes {
        let mut section = Section::new(format!("Gene-set enrichment: {}", e.contrast))
            .id(format!("enrichment-{}", e.name));
        for (direction, folder, outcome) in &e.ora {
            let words = match direction.as_str() {
                "up" => "up-regulated genes",
                "down" => "down-regulated genes",
                _ => "all significant genes",
            };
            let c = &outcome.counts;
            let mut sub = Section::new(format!(
                "GO {} over-representation: {words}",
                outcome.namespace
            ))
            .id(format!("ora-{}-{direction}", e.name));
            sub = sub.block(Block::KeyValues(vec![
                KeyValue::new("Gene list", outcome.list_description.as_str()),
                KeyValue::new("Universe", outcome.universe_description.as_str()),
                KeyValue::new("n / N", format!("{} / {}", c.list_size, c.universe_size)),
                KeyValue::new(
                    "GO release",
                    outcome
                        .provenance
                        .go_release
                        .clone()
                        .unwrap_or_else(|| "unknown".into()),
                ),
            ]));
            let table = if outcome.simplified.id.is_empty() {
                &outcome.full
            } else {
                &outcome.simplified
            };
            let terms: Vec<figures::EnrichedTerm> = (0..table.id.len())
                .filter(|&i| table.p_adjust[i].is_finite())
                .map(|i| figures::EnrichedTerm {
                    id: table.id[i].clone(),
                    description: table.description[i].clone(),
                    gene_ratio: table.count[i] as f64 / c.list_size.max(1) as f64,
                    gene_ratio_label: format!("{}/{}", table.count[i], c.list_size),
                    count: table.count[i],
                    p_adjust: table.p_adjust[i],
                })
                .collect();
            let dot = figs.figure(
                &format!("dotplot_{}_{direction}", crate::de::safe_file_name(&e.name)),
                figures::dot_plot(&figures::EnrichmentDotPlot {
                    title: format!("GO {}: {words}", outcome.namespace),
                    subtitle: e.contrast.clone(),
                    terms,
                    max_terms: 20,
                    size: Size::DOUBLE_COLUMN,
                }),
                "Enriched terms.",
                Text::new().plain(format!(
                    "The most significant GO terms {} (GeneRatio = list genes in the term / list genes annotated; dot size = Count; colour = adjusted p-value).",
                    if outcome.simplified.id.is_empty() { "tested" } else { "after redundancy reduction" }
                )),
            )?;
            sub = sub.block(dot);
            sub = sub.block(tsv_table(
                dir,
                &format!("{folder}/enrichment_simplified.tsv"),
                "Enriched terms after redundancy reduction (Wang semantic similarity, representative = smallest p.adjust).",
                50,
            )?);
            sub = sub.block(tsv_table(
                dir,
                &format!("{folder}/enrichment.tsv"),
                "Every term tested, sorted by p-value (clusterProfiler's columns).",
                50,
            )?);
            section = section.subsection(sub);
        }
        if let Some((folder, outcome)) = &e.gsea {
            let mut sub = Section::new("Preranked GSEA").id(format!("gsea-{}", e.name));
            let n = outcome.analysis.genes.len();
            let mut plots = Vec::new();
            for curve in outcome.curves.iter().take(4) {
                let running = running_score_per_gene(&curve.running_sum.x, &curve.running_sum.y, n);
                plots.push(figs.figure(
                    &format!(
                        "gsea_{}_{}",
                        crate::de::safe_file_name(&e.name),
                        crate::de::safe_file_name(&curve.pathway)
                    ),
                    figures::gsea_plot(&figures::GseaPlot {
                        set_name: if curve.description.is_empty() {
                            curve.pathway.clone()
                        } else {
                            format!("{} {}", curve.pathway, curve.description)
                        },
                        es: curve.es,
                        nes: curve.nes,
                        padj: curve.padj,
                        running_score: running,
                        hits: curve.hits.clone(),
                        hit_genes: curve
                            .hits
                            .iter()
                            .map(|&h| names.label(&outcome.analysis.genes[h]).to_string())
                            .collect(),
                        ranked_metric: outcome.analysis.scores.clone(),
                        metric_title: "Wald statistic".into(),
                        size: Size::SINGLE_COLUMN,
                    }),
                    &format!("{}.", curve.pathway),
                    Text::new().plain("Running enrichment score along the ranked genes; ticks mark the set's genes; bottom: the ranking metric."),
                )?);
            }
            sub = sub.block(Block::FigureGrid(plots));
            sub = sub.block(tsv_table(
                dir,
                &format!("{folder}/gsea.tsv"),
                "Gene sets sorted by p-value (fgsea's columns; p-values by adaptive multilevel splitting).",
                50,
            )?);
            for warning in &outcome.warnings {
                sub = sub.block(Callout::note(warning.as_str()));
            }
            section = section.subsection(sub);
            let fgsea = methods.cite(
                "Korotkevich G, Sukhov V, Budin N, Shpak B, Artyomov MN, Sergushichev A (2021). Fast gene set enrichment analysis. bioRxiv 060012.",
                "10.1101/060012",
            );
            let gsea = methods.cite(
                "Subramanian A, Tamayo P, Mootha VK, et al. (2005). Gene set enrichment analysis: a knowledge-based approach for interpreting genome-wide expression profiles. PNAS 102:15545–15550.",
                "10.1073/pnas.0506580102",
            );
            methods.paragraphs.push(format!(
                "Preranked gene-set enrichment analysis [{gsea}] of contrast {} used the Wald statistic as ranking and fgsea's multilevel method [{fgsea}] (seed {}), with Benjamini–Hochberg adjustment.",
                e.contrast, outcome.analysis.options.seed
            ));
        }
        if let Some((_, _, first)) = e.ora.first() {
            let go = methods.cite(
                "The Gene Ontology Consortium (2021). The Gene Ontology resource: enriching a GOld mine. Nucleic Acids Research 49:D325–D334.",
                "10.1093/nar/gkaa1113",
            );
            let topgo = methods.cite(
                "Alexa A, Rahnenführer J, Lengauer T (2006). Improved scoring of functional groups from gene expression data by decorrelating GO graph structure. Bioinformatics 22:1600–1607.",
                "10.1093/bioinformatics/btl140",
            );
            let wang = methods.cite(
                "Wang JZ, Du Z, Payattakool R, Yu PS, Chen CF (2007). A new method to measure the semantic similarity of GO terms. Bioinformatics 23:1274–1281.",
                "10.1093/bioinformatics/btm087",
            );
            methods.paragraphs.push(format!(
                "Over-representation of GO {} terms [{go}] (release {}) among the genes with padj below the chosen cut-off in contrast {} was tested with the hypergeometric test ({} algorithm{}), against the universe of genes with a non-NA adjusted p-value that carry a GO annotation; p-values were adjusted by the Benjamini–Hochberg method and redundant terms grouped by Wang's semantic similarity [{wang}].",
                first.namespace,
                first.provenance.go_release.clone().unwrap_or_else(|| "unknown".into()),
                e.contrast,
                first.algorithm,
                if matches!(first.algorithm, osteon_enrich::Algorithm::Classic) { String::new() } else { format!(", topGO [{topgo}]") },
            ));
        }
        sections.push(section);
    }
    Ok(sections)
}

/// Adds every TSV of `files` that the analysis wrote as a table.
fn tables_of(
    mut section: Section,
    dir: &Path,
    folder: &str,
    files: &[(&str, &str)],
) -> Result<Section> {
    for (file, caption) in files {
        let relative = in_folder(folder, file);
        if dir.join(&relative).is_file() {
            section = section.block(tsv_table(dir, &relative, caption, 100)?);
        }
    }
    Ok(section)
}

/// Sections for group comparisons: a dot plot of the values by group
/// (median and interquartile range) and the test, descriptive and post-hoc
/// tables.
pub fn compare_section(
    outcomes: &[(String, crate::compare::Outcome)],
    dir: &Path,
    figs: &FigureWriter,
    folder_of: &dyn Fn(&str) -> String,
) -> Result<Option<Section>> {
    per_run_section("Group comparisons", "compare", outcomes, |name, outcome| {
        let folder = folder_of(name);
        let mut sub = Section::new(name.clone()).id(format!("compare-{name}"));
        if let Some(numeric) = &outcome.numeric {
            let groups = numeric
                .groups
                .iter()
                .map(|g| {
                    let d = numeric.descriptives.iter().find(|d| d.group == g.name);
                    figures::DotGroup {
                        name: g.name.clone(),
                        values: g.values.clone(),
                        point_labels: Vec::new(),
                        center: d.map(|d| d.median),
                        error: d.map(|d| (d.q1, d.q3)),
                    }
                })
                .collect();
            let value = outcome.value_column.clone().unwrap_or_default();
            sub =
                sub.block(figs.figure(
                    &format!("compare_{}", crate::de::safe_file_name(name)),
                    figures::group_dot_plot(&figures::GroupDotPlot {
                        title: format!("{value} by {}", outcome.group_column),
                        x_title: outcome.group_column.clone(),
                        y_title: value.clone(),
                        groups,
                        center_label: "median".into(),
                        error_label: "IQR".into(),
                        size: Size::SINGLE_COLUMN,
                        ..Default::default()
                    }),
                    &format!("{value}."),
                    Text::new().plain(
                        "Each point is one observation; bars: median and interquartile range.",
                    ),
                )?);
        }
        sub = tables_of(
            sub,
            dir,
            &folder,
            &[
                ("tests.tsv", "Tests: statistic, degrees of freedom, p-value and effect size with its confidence interval."),
                ("descriptives.tsv", "Per group: n, mean ± SD, median and quartiles."),
                ("posthoc.tsv", "Pairwise post-hoc comparisons."),
                ("contingency.tsv", "The contingency table."),
                ("proportions.tsv", "Proportions per group with Wilson and Clopper–Pearson intervals."),
            ],
        )?;
        Ok(sub)
    })
}

/// Sections for survival: Kaplan–Meier curves with numbers at risk,
/// cumulative incidence curves, and the log-rank, Cox and Gray tables.
pub fn survival_section(
    outcomes: &[(String, crate::survival::Outcome)],
    dir: &Path,
    figs: &FigureWriter,
    folder_of: &dyn Fn(&str) -> String,
) -> Result<Option<Section>> {
    per_run_section("Survival", "survival", outcomes, |name, outcome| {
        let folder = folder_of(name);
        let safe = crate::de::safe_file_name(name);
        let mut sub = Section::new(name.clone()).id(format!("survival-{name}"));
        let time_title = match &outcome.time_unit {
            Some(unit) => format!("time ({unit})"),
            None => "time".into(),
        };
        let curves = outcome
            .km
            .iter()
            .map(|c| figures::KmCurve {
                name: c.label.clone(),
                steps: (0..c.time.len())
                    .map(|i| figures::KmStep {
                        time: c.time[i],
                        n_risk: c.n_risk[i] as f64,
                        n_event: c.n_event[i] as f64,
                        n_censor: c.n_censor[i] as f64,
                        surv: c.surv[i],
                        lower: c.lower[i],
                        upper: c.upper[i],
                    })
                    .collect(),
            })
            .collect();
        let mut plots = vec![figs.figure(
            &format!("km_{safe}"),
            figures::kaplan_meier(&figures::KaplanMeierPlot {
                title: "Kaplan–Meier".into(),
                subtitle: outcome.event.clone(),
                x_title: time_title.clone(),
                y_title: "survival probability".into(),
                curves,
                show_ci: true,
                risk_table: true,
                size: Size::ONE_AND_HALF_COLUMN,
            }),
            "Kaplan–Meier curves.",
            Text::new().plain("Survival by group with pointwise 95% confidence bands; + marks censored times; numbers at risk below the axis."),
        )?];
        if let Some(cr) = &outcome.competing {
            // `cause` is 1-based; the curves index causes from 0.
            let k = cr.cause - 1;
            let cif_curves = cr
                .curves
                .iter()
                .map(|c| figures::CifCurve {
                    name: c.label.clone(),
                    points: (0..c.time.len())
                        .map(|i| figures::CifPoint {
                            time: c.time[i],
                            cif: c.cif[k][i],
                            lower: c.lower[k][i],
                            upper: c.upper[k][i],
                        })
                        .collect(),
                })
                .collect();
            let cause = cr
                .cause_labels
                .get(k)
                .cloned()
                .unwrap_or_else(|| k.to_string());
            plots.push(figs.figure(
                &format!("cif_{safe}"),
                figures::cumulative_incidence(&figures::CumulativeIncidencePlot {
                    title: format!("Cumulative incidence: {cause}"),
                    subtitle: "Aalen–Johansen, other causes competing".into(),
                    x_title: time_title,
                    y_title: "cumulative incidence".into(),
                    curves: cif_curves,
                    show_ci: true,
                    size: Size::ONE_AND_HALF_COLUMN,
                }),
                "Cumulative incidence.",
                Text::new().plain(format!(
                    "Cumulative incidence of {cause} with the other events as competing risks."
                )),
            )?);
        }
        sub = sub.block(Block::FigureGrid(plots));
        for note in &outcome.notes {
            sub = sub.block(Callout::note(note.as_str()));
        }
        sub = tables_of(
            sub,
            dir,
            &folder,
            &[
                (
                    "medians.tsv",
                    "Median survival with its 95% confidence interval.",
                ),
                ("logrank.tsv", "Log-rank test (and test for trend)."),
                ("cox.tsv", "Cox proportional-hazards model (Efron ties)."),
                (
                    "gray.tsv",
                    "Gray's test of equal cumulative incidence across groups.",
                ),
                ("cif.tsv", "Cumulative incidence estimates."),
            ],
        )?;
        Ok(sub)
    })
}

/// Sections for qPCR: per target a dot plot of each sample's fold change
/// (2^−ΔΔCt, log2 axis) by group with the group's fold change and 95% CI,
/// then the summary, geNorm and efficiency tables.
pub fn qpcr_section(
    outcomes: &[(String, crate::qpcr::Outcome)],
    dir: &Path,
    figs: &FigureWriter,
    folder_of: &dyn Fn(&str) -> String,
) -> Result<Option<Section>> {
    per_run_section(
        "qPCR relative expression",
        "qpcr",
        outcomes,
        |name, outcome| {
            let a = &outcome.analysis;
            let folder = folder_of(name);
            let mut sub = Section::new(name.clone()).id(format!("qpcr-{name}"));
            sub = sub.block(Block::KeyValues(vec![
                KeyValue::new("Method", a.method.label()),
                KeyValue::new("Reference genes", a.reference_genes.join(", ")),
                KeyValue::new("Calibrator group", a.calibrator.as_str()),
            ]));
            let mut plots = Vec::new();
            for target in &a.targets {
                let groups = a
                    .groups
                    .iter()
                    .map(|g| {
                        let samples: Vec<&osteon_assay::qpcr::RelativeExpression> = a
                            .expression
                            .iter()
                            .filter(|e| {
                                &e.target == target && &e.group == g && e.fold_change.is_finite()
                            })
                            .collect();
                        let summary = a
                            .group_summaries
                            .iter()
                            .find(|s| &s.target == target && &s.group == g);
                        figures::DotGroup {
                            name: g.clone(),
                            values: samples.iter().map(|e| e.fold_change).collect(),
                            point_labels: samples.iter().map(|e| e.sample.clone()).collect(),
                            center: summary.map(|s| s.fold_change).filter(|v| v.is_finite()),
                            error: summary
                                .map(|s| (s.fold_lower, s.fold_upper))
                                .filter(|(l, u)| l.is_finite() && u.is_finite()),
                        }
                    })
                    .collect();
                plots.push(figs.figure(
                &format!("qpcr_{}_{}", crate::de::safe_file_name(name), crate::de::safe_file_name(target)),
                figures::group_dot_plot(&figures::GroupDotPlot {
                    title: target.clone(),
                    subtitle: format!("relative to {}", a.calibrator),
                    x_title: "group".into(),
                    y_title: "fold change (2^−ΔΔCt)".into(),
                    groups,
                    transform: osteon_report::svg::Transform::Log2,
                    reference_line: Some(1.0),
                    center_label: "group fold change".into(),
                    error_label: "95% CI".into(),
                    size: Size::SINGLE_COLUMN,
                }),
                &format!("{target}."),
                Text::new().plain("Fold change of each sample relative to the calibrator group (log2 axis); bars: the group's fold change with its 95% CI, from Welch's t interval on the ΔCt scale."),
            )?);
            }
            sub = sub.block(Block::FigureGrid(plots));
            for note in &a.notes {
                sub = sub.block(Callout::note(note.as_str()));
            }
            sub = tables_of(
            sub,
            dir,
            &folder,
            &[
                ("group_summary.tsv", "Per target and group: mean ΔCt, ΔΔCt, fold change with 95% CI, and the test against the calibrator on the ΔCt scale."),
                ("genorm.tsv", "geNorm stability M of the candidate reference genes (lower is more stable)."),
                ("genorm_pairwise.tsv", "geNorm pairwise variation V(n/n+1): V below 0.15 means n reference genes suffice."),
                ("efficiency.tsv", "Amplification efficiencies from the standard curves."),
            ],
        )?;
            Ok(sub)
        },
    )
}

/// Sections for ELISA: the standard curve with standards, unknowns and
/// limits of quantification, then the curve, standards and sample tables.
pub fn elisa_section(
    outcomes: &[(String, crate::elisa::Outcome)],
    dir: &Path,
    figs: &FigureWriter,
    folder_of: &dyn Fn(&str) -> String,
) -> Result<Option<Section>> {
    per_run_section("ELISA", "elisa", outcomes, |name, outcome| {
        let a = &outcome.analysis;
        let folder = folder_of(name);
        let mut sub = Section::new(name.clone()).id(format!("elisa-{name}"));
        let standards = a
            .standards
            .iter()
            .map(|level| figures::StandardLevel {
                concentration: level.concentration,
                signals: a
                    .standard_wells
                    .iter()
                    .filter(|w| w.concentration == level.concentration)
                    .map(|w| w.corrected)
                    .collect(),
            })
            .collect();
        let unknowns = a
            .unknowns
            .iter()
            .map(|u| figures::UnknownSample {
                name: u.sample.clone(),
                concentration: u.in_well_concentration,
                signal: u.mean_corrected,
                flag: u.flag.label().to_string(),
            })
            .collect();
        sub = sub.block(figs.figure(
            &format!("elisa_{}", crate::de::safe_file_name(name)),
            figures::standard_curve(&figures::StandardCurvePlot {
                title: "Standard curve".into(),
                subtitle: name.clone(),
                x_title: "concentration in the well".into(),
                y_title: "signal − blank".into(),
                standards,
                curve: a.curve_points.clone(),
                unknowns,
                lloq: a.lloq.is_finite().then_some(a.lloq),
                uloq: a.uloq.is_finite().then_some(a.uloq),
                log_y: false,
                size: Size::ONE_AND_HALF_COLUMN,
            }),
            "Standard curve.",
            Text::new().plain("Blank-corrected signal of the standards (dots) with the fitted logistic curve, the samples read off it, and the limits of quantification (dashed)."),
        )?);
        for note in &a.notes {
            sub = sub.block(Callout::note(note.as_str()));
        }
        sub = tables_of(
            sub,
            dir,
            &folder,
            &[
                ("curve.tsv", "Fitted curve: parameters with standard errors, weighting and convergence."),
                ("standards.tsv", "Standards: mean signal, CV%, back-calculated concentration and recovery."),
                ("samples.tsv", "Samples: interpolated concentration × dilution, CV% and flag (<LLOQ, >ULOQ, extrapolated)."),
            ],
        )?;
        Ok(sub)
    })
}

/// `folder/file`, or `file` when the folder is the output folder itself.
pub fn in_folder(folder: &str, file: &str) -> String {
    if folder.is_empty() {
        file.to_string()
    } else {
        format!("{folder}/{file}")
    }
}

/// Where a study run puts the tables of `[kind.NAME]`.
fn study_folder(kind: &'static str) -> impl Fn(&str) -> String {
    move |name| format!("{kind}/{}", crate::de::safe_file_name(name))
}

/// A report-section builder of one analysis kind: outcomes, the results
/// folder, the figure writer, and where each outcome's tables are.
pub type SectionBuilder<O> =
    fn(&[(String, O)], &Path, &FigureWriter, &dyn Fn(&str) -> String) -> Result<Option<Section>>;

/// The figures of one single-command run (`osteon qpcr`, `elisa`,
/// `compare`, `survival`, `trajectory`): drawn into `dir/figures/` exactly
/// as the study report draws them.
pub fn single_command_figures<O>(
    dir: &Path,
    name: &str,
    outcome: O,
    section: SectionBuilder<O>,
) -> Result<O> {
    let figs = FigureWriter::new(dir)?;
    let outcomes = [(name.to_string(), outcome)];
    section(&outcomes, dir, &figs, &|_| String::new())?;
    let [(_, outcome)] = outcomes;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_score_takes_jump_tops_and_interpolates_between_hits() {
        // 6 genes, hits at positions 2 and 3 (jumps of 0.5 each) after a
        // miss costing 0.25; fgsea's plotted curve ends at (n + 1, 0), so
        // after the last hit the line runs from (3, 0.75) to (7, 0).
        let x = [0.0, 1.0, 2.0, 2.0, 3.0, 7.0];
        let y = [0.0, -0.25, 0.25, 0.25, 0.75, 0.0];
        let got = running_score_per_gene(&x, &y, 6);
        let want = [-0.25, 0.25, 0.75, 0.5625, 0.375, 0.1875];
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-12, "{got:?}");
        }
    }
}
