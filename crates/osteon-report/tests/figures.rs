//! Every figure, drawn from small fixed examples: the output is well-formed
//! XML, deterministic, free of NaN/inf, escapes hostile names, and degrades
//! to a "no data" figure on empty input. `cargo test -p osteon-report
//! --test figures -- --ignored` also writes the gallery to
//! `/work/scratch/figures` (or `$OSTEON_FIGURE_DIR`) for visual checks.

use std::collections::BTreeSet;

use osteon_report::figures::*;
use osteon_report::svg::{standalone, Transform};

// ---------------------------------------------------------------- fixtures

/// A small deterministic generator (xorshift64*) for example data.
struct Generator(u64);

impl Generator {
    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let value = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
        (value >> 11) as f64 / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        let u1 = self.uniform().max(1e-300);
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

const PLANTED: [&str; 12] = [
    "RUNX2", "SP7", "COL1A1", "BGLAP", "ALPL", "SPP1", "IBSP", "VEGFA", "BMP2", "DLX5", "PHEX",
    "DMP1",
];

fn gene_results(hostile: bool) -> Vec<GeneResult> {
    let mut generator = Generator(42);
    let mut genes = Vec::new();
    for index in 0..2000 {
        let base_mean = if index % 97 == 0 {
            0.0
        } else {
            (3.0 + 2.2 * generator.normal()).exp()
        };
        let planted = index < PLANTED.len();
        let lfc = if planted {
            2.0 + generator.uniform() * 2.5
        } else if index % 53 == 0 {
            -1.5 - generator.uniform() * 2.0
        } else {
            0.35 * generator.normal() / (1.0 + base_mean.max(1.0).ln() * 0.1)
        };
        let z = lfc.abs() * (base_mean.max(0.1).ln() + 1.0).max(0.2) * 1.6;
        let padj = if base_mean == 0.0 {
            f64::NAN
        } else if index == 3 {
            0.0
        } else if base_mean < 2.0 {
            f64::NAN
        } else {
            (2.0 * (-z * z / 2.0).exp()).min(1.0) * 1.5_f64.min(1.0)
        };
        let name = if planted {
            PLANTED[index].to_string()
        } else if hostile && index == 20 {
            "<script>alert(1)</script>".to_string()
        } else {
            format!("ENSG{:011}", 100_000 + index * 37)
        };
        genes.push(GeneResult {
            name,
            base_mean,
            log2_fold_change: if base_mean == 0.0 { f64::NAN } else { lfc },
            padj,
        });
    }
    genes
}

fn sample_names(hostile: bool) -> Vec<(String, String)> {
    (1..=12)
        .map(|index| {
            let name = if hostile && index == 1 {
                "<script>alert(1)</script>".to_string()
            } else {
                format!("MSC_{index:02}")
            };
            let group = if index <= 9 { "healthy donor" } else { "POEMS" };
            (name, group.to_string())
        })
        .collect()
}

fn pca_samples(hostile: bool) -> Vec<PcaSample> {
    let mut generator = Generator(7);
    sample_names(hostile)
        .into_iter()
        .map(|(name, group)| {
            let shift = if group == "POEMS" { 14.0 } else { -4.0 };
            PcaSample {
                name,
                group,
                pc1: shift + 3.0 * generator.normal(),
                pc2: 4.0 * generator.normal(),
            }
        })
        .collect()
}

fn heatmap(hostile: bool) -> DistanceHeatmap {
    let samples = pca_samples(hostile);
    let distances = samples
        .iter()
        .map(|a| {
            samples
                .iter()
                .map(|b| {
                    ((a.pc1 - b.pc1).powi(2) + (a.pc2 - b.pc2).powi(2)).sqrt() * 3.0
                        + if a.name == b.name { 0.0 } else { 20.0 }
                })
                .collect()
        })
        .collect();
    DistanceHeatmap {
        samples: samples.iter().map(|sample| sample.name.clone()).collect(),
        groups: samples.iter().map(|sample| sample.group.clone()).collect(),
        distances,
        subtitle: "Euclidean distance between VST profiles".into(),
        ..DistanceHeatmap::default()
    }
}

fn dispersion_genes(hostile: bool) -> Vec<DispersionGene> {
    let mut generator = Generator(99);
    (0..2000)
        .map(|index| {
            let base_mean = (3.0 + 2.0 * generator.normal()).exp();
            let fitted = 0.04 + 1.8 / base_mean;
            let gene_estimate = if index % 150 == 0 {
                1e-8
            } else {
                fitted * (0.9 * generator.normal()).exp()
            };
            let outlier = index % 211 == 5;
            let gene_estimate = if outlier {
                fitted * 20.0
            } else {
                gene_estimate
            };
            let final_estimate = if outlier {
                gene_estimate
            } else {
                (gene_estimate.max(1e-8).ln() * 0.3 + fitted.ln() * 0.7).exp()
            };
            DispersionGene {
                name: if hostile && outlier {
                    "<script>alert(1)</script>".into()
                } else {
                    format!("ENSG{:011}", index)
                },
                base_mean,
                gene_estimate,
                fitted,
                final_estimate,
                outlier,
            }
        })
        .collect()
}

fn terms(hostile: bool) -> Vec<EnrichedTerm> {
    let names = [
        ("GO:0001503", "ossification", 24, 1.2e-9),
        ("GO:0001649", "osteoblast differentiation", 18, 3.4e-8),
        ("GO:0030282", "bone mineralization", 12, 2.2e-6),
        ("GO:0031214", "biomineral tissue development", 13, 4.1e-6),
        ("GO:0030278", "regulation of ossification", 11, 1.5e-5),
        (
            "GO:0030198",
            "extracellular matrix organization",
            21,
            3.3e-5,
        ),
        ("GO:0001501", "skeletal system development", 26, 8.9e-5),
        (
            "GO:0045669",
            "positive regulation of osteoblast differentiation",
            8,
            2.0e-4,
        ),
        ("GO:0060348", "bone development", 14, 6.5e-4),
        ("GO:0001525", "angiogenesis", 15, 1.1e-3),
        ("GO:0048514", "blood vessel morphogenesis", 16, 2.4e-3),
        ("GO:0030500", "regulation of bone mineralization", 6, 4.8e-3),
        ("GO:0071773", "cellular response to BMP stimulus", 7, 9.0e-3),
        ("GO:0061448", "connective tissue development", 12, 1.3e-2),
        ("GO:0048705", "skeletal system morphogenesis", 9, 2.1e-2),
        ("GO:0002062", "chondrocyte differentiation", 7, 3.0e-2),
        (
            "GO:0045778",
            "positive regulation of ossification",
            5,
            3.5e-2,
        ),
        ("GO:0036075", "replacement ossification", 4, 4.0e-2),
        ("GO:0001958", "endochondral ossification", 4, 4.1e-2),
        (
            "GO:0010721",
            "negative regulation of cell development via a long and winding pathway name",
            6,
            4.5e-2,
        ),
        ("GO:0042476", "odontogenesis", 5, 4.9e-2),
    ];
    names
        .iter()
        .enumerate()
        .map(|(index, (id, description, count, p))| EnrichedTerm {
            id: id.to_string(),
            description: if hostile && index == 2 {
                "<script>alert(1)</script>".into()
            } else {
                description.to_string()
            },
            gene_ratio: *count as f64 / 180.0,
            gene_ratio_label: format!("{count}/180"),
            count: *count,
            p_adjust: *p,
        })
        .collect()
}

fn gsea(hostile: bool) -> GseaPlot {
    let mut generator = Generator(5);
    let n = 12000;
    let mut metric: Vec<f64> = (0..n).map(|_| 1.5 * generator.normal()).collect();
    metric.sort_by(|a, b| b.total_cmp(a));
    let mut hits: Vec<usize> = Vec::new();
    for index in 0..n {
        let probability = if index < 1500 { 0.03 } else { 0.004 };
        if generator.uniform() < probability {
            hits.push(index);
        }
    }
    let weight: f64 = hits.iter().map(|&hit| metric[hit].abs()).sum();
    let miss = 1.0 / (n - hits.len()) as f64;
    let mut running = Vec::with_capacity(n);
    let mut score = 0.0;
    for index in 0..n {
        if hits.binary_search(&index).is_ok() {
            score += metric[index].abs() / weight;
        } else {
            score -= miss;
        }
        running.push(score);
    }
    let es = running.iter().copied().fold(0.0, |best: f64, value| {
        if value.abs() > best.abs() {
            value
        } else {
            best
        }
    });
    GseaPlot {
        set_name: if hostile {
            "<script>alert(1)</script>".into()
        } else {
            "GO:0001503 ossification".into()
        },
        es,
        nes: 2.14,
        padj: 3.2e-5,
        hit_genes: hits.iter().map(|hit| format!("GENE{hit}")).collect(),
        hits,
        running_score: running,
        ranked_metric: metric,
        metric_title: "signed −log10 p".into(),
        ..GseaPlot::default()
    }
}

/// Kaplan–Meier steps computed from simulated (time, event) pairs with
/// Greenwood log-log intervals (example data only).
fn km_curve(name: &str, seed: u64, rate: f64, n: usize) -> KmCurve {
    let mut generator = Generator(seed);
    let mut subjects: Vec<(f64, bool)> = (0..n)
        .map(|_| {
            let event_time = -generator.uniform().max(1e-12).ln() / rate;
            let censor_time = 10.0 + generator.uniform() * 50.0;
            if event_time <= censor_time {
                ((event_time * 10.0).ceil() / 10.0, true)
            } else {
                ((censor_time * 10.0).ceil() / 10.0, false)
            }
        })
        .collect();
    subjects.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut steps = Vec::new();
    let mut surv = 1.0;
    let mut greenwood = 0.0;
    let mut index = 0;
    while index < subjects.len() {
        let time = subjects[index].0;
        let at_risk = (subjects.len() - index) as f64;
        let tied: Vec<&(f64, bool)> = subjects[index..]
            .iter()
            .take_while(|subject| subject.0 == time)
            .collect();
        let events = tied.iter().filter(|subject| subject.1).count() as f64;
        let censored = tied.len() as f64 - events;
        if events > 0.0 {
            surv *= 1.0 - events / at_risk;
            if at_risk > events {
                greenwood += events / (at_risk * (at_risk - events));
            }
        }
        let (lower, upper) = if surv > 0.0 && surv < 1.0 {
            let se = greenwood.sqrt() / surv.ln().abs();
            let z = 1.959964;
            (surv.powf((z * se).exp()), surv.powf((-z * se).exp()))
        } else {
            (f64::NAN, f64::NAN)
        };
        steps.push(KmStep {
            time,
            n_risk: at_risk,
            n_event: events,
            n_censor: censored,
            surv,
            lower,
            upper,
        });
        index += tied.len();
    }
    KmCurve {
        name: name.to_string(),
        steps,
    }
}

fn cif_curve(name: &str, seed: u64, rate: f64) -> CifCurve {
    let mut generator = Generator(seed);
    let mut time = 0.0;
    let mut cif = 0.0;
    let mut points = Vec::new();
    for _ in 0..25 {
        time += generator.uniform() * 6.0;
        cif += (1.0 - cif) * rate * generator.uniform();
        points.push(CifPoint {
            time: (time * 10.0_f64).round() / 10.0,
            cif,
            lower: (cif * 0.7).max(0.0),
            upper: (cif * 1.3).min(1.0),
        });
    }
    CifCurve {
        name: name.to_string(),
        points,
    }
}

fn dot_groups(hostile: bool) -> Vec<DotGroup> {
    let mut generator = Generator(11);
    let spec = [
        ("giant cell tumour of bone", 5.0, 6),
        ("osteosarcoma", 1.5, 8),
        ("chondrosarcoma", 0.0, 5),
        ("Ewing sarcoma", -1.2, 4),
        ("breast ca. bone metastasis (calibrator)", 0.0, 5),
    ];
    spec.iter()
        .enumerate()
        .map(|(group_index, (name, log2_mean, n))| {
            let values: Vec<f64> = (0..*n)
                .map(|_| (*log2_mean + 0.8 * generator.normal()).exp2())
                .collect();
            let log_mean =
                values.iter().map(|value| value.log2()).sum::<f64>() / values.len() as f64;
            DotGroup {
                name: if hostile && group_index == 0 {
                    "<script>alert(1)</script>".into()
                } else {
                    name.to_string()
                },
                point_labels: (0..*n)
                    .map(|index| format!("T{}-{}", group_index + 1, index + 1))
                    .collect(),
                center: Some(log_mean.exp2()),
                error: Some(((log_mean - 0.9).exp2(), (log_mean + 0.9).exp2())),
                values,
            }
        })
        .collect()
}

fn standard_curve_plot(hostile: bool) -> StandardCurvePlot {
    let four_pl = |x: f64| 0.05 + (2.8 - 0.05) / (1.0 + (x / 180.0).powf(-1.1));
    let mut generator = Generator(3);
    let concentrations = [0.0, 15.6, 31.25, 62.5, 125.0, 250.0, 500.0, 1000.0, 2000.0];
    let standards = concentrations
        .iter()
        .map(|&concentration| StandardLevel {
            concentration,
            signals: (0..2)
                .map(|_| {
                    (four_pl(concentration.max(1e-9)) * (1.0 + 0.04 * generator.normal())).max(0.01)
                })
                .collect(),
        })
        .collect();
    let curve = (0..=120)
        .map(|step| {
            let x = 10f64.powf(1.0 + step as f64 * 2.5 / 120.0);
            (x, four_pl(x))
        })
        .collect();
    let unknowns = (0..10)
        .map(|index| {
            let concentration = [
                40.0,
                95.0,
                180.0,
                260.0,
                520.0,
                810.0,
                1500.0,
                12.0,
                f64::NAN,
                2600.0,
            ][index];
            let signal = if concentration.is_finite() {
                four_pl(concentration)
            } else {
                2.95
            };
            let flag = match index {
                7 => "<LLOQ",
                8 => ">ULOQ",
                9 => "extrapolated",
                _ => "",
            };
            UnknownSample {
                name: if hostile && index == 0 {
                    "<script>alert(1)</script>".into()
                } else {
                    format!("POEMS-{:02}", index + 1)
                },
                concentration,
                signal,
                flag: flag.to_string(),
            }
        })
        .collect();
    StandardCurvePlot {
        title: "VEGF ELISA standard curve".into(),
        subtitle: "4PL fit, weights 1/Y²".into(),
        x_title: "VEGF (pg/mL)".into(),
        y_title: "OD 450 nm".into(),
        standards,
        curve,
        unknowns,
        lloq: Some(15.6),
        uloq: Some(2000.0),
        ..StandardCurvePlot::default()
    }
}

fn spaghetti_plot(hostile: bool) -> SpaghettiPlot {
    let mut generator = Generator(17);
    let months = [0.0, 1.0, 3.0, 6.0, 9.0, 12.0];
    let patients = (0..12)
        .map(|index| {
            let arm = if index % 2 == 0 {
                "ASCT"
            } else {
                "thalidomide"
            };
            let start = 2500.0 * (0.5 * generator.normal()).exp();
            let decay: f64 = if arm == "ASCT" { 0.25 } else { 0.1 };
            let mut points = Vec::new();
            for month in months {
                let kept = generator.uniform() > 0.1;
                let noise = (0.15 * generator.normal()).exp();
                if kept {
                    points.push((month, start * (-decay * month).exp() * noise + 150.0));
                }
            }
            PatientSeries {
                patient: if hostile && index == 0 {
                    "<script>alert(1)</script>".into()
                } else {
                    format!("P{:02}", index + 1)
                },
                arm: arm.to_string(),
                points,
            }
        })
        .collect();
    SpaghettiPlot {
        title: "Serum VEGF after treatment".into(),
        x_title: "Months after start of treatment".into(),
        y_title: "Serum VEGF (pg/mL)".into(),
        patients,
        normal_limits: vec![ReferenceLine {
            label: "ULN serum ELISA 1,000 pg/mL".into(),
            value: 1000.0,
        }],
        landmarks: vec![
            Landmark {
                label: "3 mo".into(),
                time: 3.0,
            },
            Landmark {
                label: "6 mo".into(),
                time: 6.0,
            },
            Landmark {
                label: "12 mo".into(),
                time: 12.0,
            },
        ],
        ..SpaghettiPlot::default()
    }
}

/// Every figure from the fixed examples, named for the gallery.
fn all_figures(hostile: bool) -> Vec<(&'static str, String)> {
    let genes = gene_results(hostile);
    let samples = sample_names(hostile);
    let mut generator = Generator(23);
    let library: Vec<SampleValue> = samples
        .iter()
        .map(|(sample, group)| SampleValue {
            sample: sample.clone(),
            group: group.clone(),
            value: (18e6 + 14e6 * generator.uniform()).round(),
        })
        .collect();
    let factors: Vec<SampleValue> = library
        .iter()
        .map(|sample| SampleValue {
            value: sample.value / 24e6,
            ..sample.clone()
        })
        .collect();
    let count_groups = ["healthy donor", "POEMS"]
        .iter()
        .enumerate()
        .map(|(group_index, name)| {
            let members: Vec<&(String, String)> =
                samples.iter().filter(|(_, group)| group == name).collect();
            CountGroup {
                name: name.to_string(),
                samples: members.iter().map(|(sample, _)| sample.clone()).collect(),
                normalized_counts: members
                    .iter()
                    .enumerate()
                    .map(|(index, _)| {
                        if group_index == 0 {
                            200.0 * (0.3 * generator.normal()).exp() + index as f64
                        } else {
                            1400.0 * (0.3 * generator.normal()).exp()
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let contrast = "POEMS vs healthy donor".to_string();
    vec![
        (
            "ma_plot",
            ma_plot(&MaPlot {
                genes: genes.clone(),
                subtitle: contrast.clone(),
                ..MaPlot::default()
            }),
        ),
        (
            "volcano",
            volcano_plot(&VolcanoPlot {
                genes: genes.clone(),
                subtitle: contrast.clone(),
                label_genes: vec!["VEGFA".into()],
                ..VolcanoPlot::default()
            }),
        ),
        (
            "pca",
            pca_plot(&PcaPlot {
                samples: pca_samples(hostile),
                percent_variance: [61.4, 12.2],
                group_title: "condition".into(),
                show_labels: true,
                subtitle: "VST, 500 most variable genes".into(),
                ..PcaPlot::default()
            }),
        ),
        ("distance_heatmap", distance_heatmap(&heatmap(hostile))),
        (
            "dispersion",
            dispersion_plot(&DispersionPlot {
                genes: dispersion_genes(hostile),
                ..DispersionPlot::default()
            }),
        ),
        (
            "library_sizes",
            library_sizes(&LibrarySizes {
                samples: library,
                ..LibrarySizes::default()
            }),
        ),
        (
            "size_factors",
            size_factors(&SizeFactors {
                samples: factors,
                ..SizeFactors::default()
            }),
        ),
        (
            "gene_counts",
            gene_counts(&GeneCounts {
                gene: if hostile {
                    "<script>alert(1)</script>".into()
                } else {
                    "VEGFA".into()
                },
                subtitle: "ENSG00000112715 · padj = 2.1 × 10⁻⁶".into(),
                groups: count_groups,
                group_title: "condition".into(),
                ..GeneCounts::default()
            }),
        ),
        (
            "enrichment_dot_plot",
            dot_plot(&EnrichmentDotPlot {
                title: "GO biological process · up-regulated in POEMS".into(),
                terms: terms(hostile),
                ..EnrichmentDotPlot::default()
            }),
        ),
        ("gsea", gsea_plot(&gsea(hostile))),
        (
            "kaplan_meier",
            kaplan_meier(&KaplanMeierPlot {
                title: "Skeletal-related events after denosumab".into(),
                subtitle: "log-rank p = 0.012".into(),
                x_title: "Months".into(),
                y_title: "SRE-free probability".into(),
                curves: vec![
                    km_curve(
                        if hostile {
                            "<script>alert(1)</script>"
                        } else {
                            "sclerotic change"
                        },
                        1,
                        0.02,
                        45,
                    ),
                    km_curve("no sclerotic change", 2, 0.05, 40),
                ],
                ..KaplanMeierPlot::default()
            }),
        ),
        (
            "cumulative_incidence",
            cumulative_incidence(&CumulativeIncidencePlot {
                title: "Progression to myeloma".into(),
                subtitle: "death as a competing risk · Gray's test p = 0.03".into(),
                x_title: "Years from MGUS diagnosis".into(),
                curves: vec![
                    cif_curve(
                        if hostile {
                            "<script>alert(1)</script>"
                        } else {
                            "M-spike < 1.5 g/dL"
                        },
                        4,
                        0.05,
                    ),
                    cif_curve("M-spike ≥ 1.5 g/dL", 5, 0.1),
                ],
                show_ci: true,
                ..CumulativeIncidencePlot::default()
            }),
        ),
        (
            "group_dot_plot",
            group_dot_plot(&GroupDotPlot {
                title: "RANKL (TNFSF11) qRT-PCR".into(),
                subtitle: "ΔΔCt vs breast-cancer bone metastasis, reference GAPDH + ACTB".into(),
                y_title: "Fold change (2^−ΔΔCt)".into(),
                groups: dot_groups(hostile),
                transform: Transform::Log2,
                reference_line: Some(1.0),
                center_label: "geometric mean".into(),
                size: Size::ONE_AND_HALF_COLUMN,
                ..GroupDotPlot::default()
            }),
        ),
        (
            "standard_curve",
            standard_curve(&standard_curve_plot(hostile)),
        ),
        ("spaghetti", spaghetti(&spaghetti_plot(hostile))),
    ]
}

/// Every figure with nothing to draw.
fn empty_figures() -> Vec<(&'static str, String)> {
    vec![
        ("ma_plot", ma_plot(&MaPlot::default())),
        ("volcano", volcano_plot(&VolcanoPlot::default())),
        ("pca", pca_plot(&PcaPlot::default())),
        (
            "distance_heatmap",
            distance_heatmap(&DistanceHeatmap::default()),
        ),
        ("dispersion", dispersion_plot(&DispersionPlot::default())),
        ("library_sizes", library_sizes(&LibrarySizes::default())),
        ("size_factors", size_factors(&SizeFactors::default())),
        ("gene_counts", gene_counts(&GeneCounts::default())),
        (
            "enrichment_dot_plot",
            dot_plot(&EnrichmentDotPlot::default()),
        ),
        ("gsea", gsea_plot(&GseaPlot::default())),
        ("kaplan_meier", kaplan_meier(&KaplanMeierPlot::default())),
        (
            "cumulative_incidence",
            cumulative_incidence(&CumulativeIncidencePlot::default()),
        ),
        ("group_dot_plot", group_dot_plot(&GroupDotPlot::default())),
        (
            "standard_curve",
            standard_curve(&StandardCurvePlot::default()),
        ),
        ("spaghetti", spaghetti(&SpaghettiPlot::default())),
    ]
}

/// Every figure fed only non-finite numbers.
fn non_finite_figures() -> Vec<(&'static str, String)> {
    let nan = f64::NAN;
    let inf = f64::INFINITY;
    let gene = GeneResult {
        name: "X".into(),
        base_mean: inf,
        log2_fold_change: nan,
        padj: nan,
    };
    vec![
        (
            "ma_plot",
            ma_plot(&MaPlot {
                genes: vec![gene.clone()],
                ..MaPlot::default()
            }),
        ),
        (
            "volcano",
            volcano_plot(&VolcanoPlot {
                genes: vec![gene],
                ..VolcanoPlot::default()
            }),
        ),
        (
            "pca",
            pca_plot(&PcaPlot {
                samples: vec![PcaSample {
                    name: "a".into(),
                    group: "g".into(),
                    pc1: nan,
                    pc2: 1.0,
                }],
                percent_variance: [nan, inf],
                ..PcaPlot::default()
            }),
        ),
        (
            "distance_heatmap",
            distance_heatmap(&DistanceHeatmap {
                samples: vec!["a".into(), "b".into()],
                distances: vec![vec![0.0, nan], vec![inf, 0.0]],
                ..DistanceHeatmap::default()
            }),
        ),
        (
            "dispersion",
            dispersion_plot(&DispersionPlot {
                genes: vec![DispersionGene {
                    name: "g".into(),
                    base_mean: 5.0,
                    gene_estimate: nan,
                    fitted: inf,
                    final_estimate: -1.0,
                    outlier: true,
                }],
                ..DispersionPlot::default()
            }),
        ),
        (
            "library_sizes",
            library_sizes(&LibrarySizes {
                samples: vec![SampleValue {
                    sample: "a".into(),
                    group: String::new(),
                    value: nan,
                }],
                ..LibrarySizes::default()
            }),
        ),
        (
            "size_factors",
            size_factors(&SizeFactors {
                samples: vec![SampleValue {
                    sample: "a".into(),
                    group: String::new(),
                    value: inf,
                }],
                ..SizeFactors::default()
            }),
        ),
        (
            "gene_counts",
            gene_counts(&GeneCounts {
                gene: "G".into(),
                groups: vec![CountGroup {
                    name: "a".into(),
                    samples: vec!["s".into()],
                    normalized_counts: vec![nan],
                }],
                pseudocount: nan,
                ..GeneCounts::default()
            }),
        ),
        (
            "enrichment_dot_plot",
            dot_plot(&EnrichmentDotPlot {
                terms: vec![EnrichedTerm {
                    id: "GO:1".into(),
                    description: "t".into(),
                    gene_ratio: nan,
                    gene_ratio_label: String::new(),
                    count: 3,
                    p_adjust: inf,
                }],
                ..EnrichmentDotPlot::default()
            }),
        ),
        (
            "gsea",
            gsea_plot(&GseaPlot {
                running_score: vec![nan, inf, 0.2, -0.1],
                ranked_metric: vec![1.0, nan, -inf, -1.0],
                hits: vec![1, 99],
                ..GseaPlot::default()
            }),
        ),
        (
            "kaplan_meier",
            kaplan_meier(&KaplanMeierPlot {
                curves: vec![KmCurve {
                    name: "a".into(),
                    steps: vec![
                        KmStep {
                            time: nan,
                            n_risk: 3.0,
                            n_event: 1.0,
                            n_censor: 0.0,
                            surv: 0.5,
                            lower: nan,
                            upper: nan,
                        },
                        KmStep {
                            time: 2.0,
                            n_risk: 2.0,
                            n_event: 1.0,
                            n_censor: 1.0,
                            surv: nan,
                            lower: inf,
                            upper: nan,
                        },
                    ],
                }],
                ..KaplanMeierPlot::default()
            }),
        ),
        (
            "cumulative_incidence",
            cumulative_incidence(&CumulativeIncidencePlot {
                curves: vec![CifCurve {
                    name: "a".into(),
                    points: vec![CifPoint {
                        time: 1.0,
                        cif: nan,
                        lower: nan,
                        upper: inf,
                    }],
                }],
                show_ci: true,
                ..CumulativeIncidencePlot::default()
            }),
        ),
        (
            "group_dot_plot",
            group_dot_plot(&GroupDotPlot {
                groups: vec![DotGroup {
                    name: "a".into(),
                    values: vec![nan, inf],
                    point_labels: vec![],
                    center: Some(nan),
                    error: Some((inf, nan)),
                }],
                reference_line: Some(nan),
                ..GroupDotPlot::default()
            }),
        ),
        (
            "standard_curve",
            standard_curve(&StandardCurvePlot {
                standards: vec![StandardLevel {
                    concentration: nan,
                    signals: vec![1.0],
                }],
                curve: vec![(nan, 1.0), (1.0, inf)],
                unknowns: vec![UnknownSample {
                    name: "u".into(),
                    concentration: inf,
                    signal: nan,
                    flag: String::new(),
                }],
                lloq: Some(nan),
                ..StandardCurvePlot::default()
            }),
        ),
        (
            "spaghetti",
            spaghetti(&SpaghettiPlot {
                patients: vec![PatientSeries {
                    patient: "p".into(),
                    arm: String::new(),
                    points: vec![(nan, 1.0), (1.0, inf), (2.0, -3.0)],
                }],
                normal_limits: vec![ReferenceLine {
                    label: "ULN".into(),
                    value: nan,
                }],
                landmarks: vec![Landmark {
                    label: "3 mo".into(),
                    time: inf,
                }],
                ..SpaghettiPlot::default()
            }),
        ),
    ]
}

// ------------------------------------------------- a tiny XML checker

/// Attributes whose values are numbers or lists of numbers.
const NUMERIC_ATTRIBUTES: [&str; 20] = [
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "width",
    "height",
    "viewBox",
    "points",
    "d",
    "dy",
    "font-size",
    "stroke-width",
    "fill-opacity",
    "stroke-opacity",
    "offset",
];

/// Checks that `text` is a well-formed XML document (optional declaration,
/// one root element, balanced tags, quoted unique attributes, only the
/// five predefined entities or numeric references) and that numeric
/// attributes hold finite numbers. Returns the element names seen.
fn check_well_formed(text: &str) -> Result<Vec<String>, String> {
    let bytes = text.as_bytes();
    let mut position = 0;
    if text.starts_with("<?xml") {
        position = text.find("?>").ok_or("unterminated XML declaration")? + 2;
    }
    let mut stack: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    let mut root_closed = false;
    while position < bytes.len() {
        if bytes[position] == b'<' {
            if root_closed {
                return Err(format!("content after the root element at byte {position}"));
            }
            let end = text[position..].find('>').ok_or("unterminated tag")? + position;
            let tag = &text[position + 1..end];
            if let Some(name) = tag.strip_prefix('/') {
                let open = stack
                    .pop()
                    .ok_or_else(|| format!("closing </{name}> without an open element"))?;
                if open != name.trim() {
                    return Err(format!("</{name}> closes <{open}>"));
                }
                if stack.is_empty() {
                    root_closed = true;
                }
            } else {
                let self_closing = tag.ends_with('/');
                let body = tag.trim_end_matches('/');
                let name_end = body.find(char::is_whitespace).unwrap_or(body.len());
                let name = &body[..name_end];
                if name.is_empty()
                    || !name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':')
                {
                    return Err(format!("bad element name {name:?}"));
                }
                check_attributes(name, &body[name_end..])?;
                seen.push(name.to_string());
                if self_closing {
                    if stack.is_empty() {
                        root_closed = true;
                    }
                } else {
                    stack.push(name.to_string());
                }
            }
            position = end + 1;
        } else {
            let end = text[position..]
                .find('<')
                .map_or(bytes.len(), |offset| position + offset);
            let content = &text[position..end];
            if stack.is_empty() && !content.trim().is_empty() {
                return Err(format!("text outside the root element: {content:?}"));
            }
            check_entities(content)?;
            if content.contains('>') {
                return Err(format!("raw '>' in text {content:?}"));
            }
            position = end;
        }
    }
    if !stack.is_empty() {
        return Err(format!("unclosed elements {stack:?}"));
    }
    if !root_closed {
        return Err("no root element".into());
    }
    Ok(seen)
}

fn check_entities(text: &str) -> Result<(), String> {
    let mut rest = text;
    while let Some(index) = rest.find('&') {
        let after = &rest[index + 1..];
        let end = after
            .find(';')
            .ok_or_else(|| format!("unterminated entity in {text:?}"))?;
        let entity = &after[..end];
        let valid = matches!(entity, "amp" | "lt" | "gt" | "quot" | "apos")
            || entity
                .strip_prefix("#x")
                .is_some_and(|hex| !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()))
            || entity.strip_prefix('#').is_some_and(|digits| {
                !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
            });
        if !valid {
            return Err(format!("bad entity &{entity}; in {text:?}"));
        }
        rest = &after[end + 1..];
    }
    if text
        .chars()
        .any(|c| c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err(format!("control character in {text:?}"));
    }
    Ok(())
}

fn check_attributes(element: &str, mut rest: &str) -> Result<(), String> {
    let mut names = BTreeSet::new();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return Ok(());
        }
        let equals = rest
            .find('=')
            .ok_or_else(|| format!("attribute without value in <{element} {rest}>"))?;
        let name = rest[..equals].trim();
        if !names.insert(name.to_string()) {
            return Err(format!("duplicate attribute {name} in <{element}>"));
        }
        let after = &rest[equals + 1..];
        let value_part = after
            .strip_prefix('"')
            .ok_or_else(|| format!("unquoted attribute {name} in <{element}>"))?;
        let close = value_part.find('"').ok_or("unterminated attribute value")?;
        let value = &value_part[..close];
        if value.contains('<') {
            return Err(format!("'<' in attribute {name}"));
        }
        check_entities(value)?;
        if NUMERIC_ATTRIBUTES.contains(&name) {
            for token in
                value.split(|c: char| c == ' ' || c == ',' || c.is_ascii_alphabetic() && c != 'e')
            {
                if token.is_empty() {
                    continue;
                }
                let number: f64 = token.parse().map_err(|_| {
                    format!("{name}=\"{value}\" in <{element}>: {token:?} is not a number")
                })?;
                if !number.is_finite() {
                    return Err(format!("non-finite {name} in <{element}>"));
                }
            }
            if value.contains("NaN") || value.contains("inf") {
                return Err(format!("{name}=\"{value}\" in <{element}>"));
            }
        }
        rest = &value_part[close + 1..];
    }
}

#[test]
fn the_checker_rejects_broken_documents() {
    assert!(check_well_formed("<svg><g></svg>").is_err());
    assert!(check_well_formed("<svg x=\"1\" x=\"2\"/>").is_err());
    assert!(check_well_formed("<svg><text>a & b</text></svg>").is_err());
    assert!(check_well_formed("<svg><text>a &amp; b</text></svg>").is_ok());
    assert!(check_well_formed("<svg cx=\"NaN\"/>").is_err());
    assert!(check_well_formed("<svg/><svg/>").is_err());
    assert!(check_well_formed("<svg d=\"M1,2 L3,inf\"/>").is_err());
}

// ------------------------------------------------------------------ tests

#[test]
fn every_figure_is_well_formed_svg() {
    for (name, svg) in all_figures(false) {
        let elements = check_well_formed(&svg).unwrap_or_else(|error| panic!("{name}: {error}"));
        assert_eq!(elements.first().map(String::as_str), Some("svg"), "{name}");
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\""),
            "{name}"
        );
        assert!(svg.contains(" viewBox=\"0 0 "), "{name}");
        let file = standalone(&svg);
        assert!(
            file.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg"),
            "{name}"
        );
        check_well_formed(&file).unwrap_or_else(|error| panic!("{name} standalone: {error}"));
        assert!(!svg.contains("NaN") && !svg.contains("inf\""), "{name}");
        assert!(
            elements.len() > 20,
            "{name} has only {} elements",
            elements.len()
        );
    }
}

#[test]
fn hostile_names_appear_only_escaped() {
    for (name, svg) in all_figures(true) {
        check_well_formed(&svg).unwrap_or_else(|error| panic!("{name}: {error}"));
        assert!(!svg.contains("<script"), "{name} contains a raw <script>");
        assert!(
            svg.contains("&lt;script&gt;"),
            "{name} lost the hostile name"
        );
    }
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let first = all_figures(false);
    let second = all_figures(false);
    for ((name, a), (_, b)) in first.iter().zip(&second) {
        assert_eq!(a, b, "{name} is not deterministic");
    }
}

#[test]
fn figures_inlined_together_have_distinct_ids() {
    let mut ids = BTreeSet::new();
    for (name, svg) in all_figures(false) {
        for part in svg.split(" id=\"").skip(1) {
            let id = part.split('"').next().unwrap().to_string();
            assert!(ids.insert(id.clone()), "{name} reuses id {id}");
        }
    }
    assert!(ids.len() >= 10);
}

#[test]
fn empty_inputs_give_a_message_not_a_panic() {
    for (name, svg) in empty_figures() {
        check_well_formed(&svg).unwrap_or_else(|error| panic!("{name}: {error}"));
        assert!(svg.contains("No "), "{name} has no message: {svg}");
    }
}

#[test]
fn non_finite_inputs_are_skipped_and_never_written() {
    for (name, svg) in non_finite_figures() {
        check_well_formed(&svg).unwrap_or_else(|error| panic!("{name}: {error}"));
        assert!(!svg.contains("NaN"), "{name}");
        assert!(
            svg.contains("not shown") || svg.contains("No "),
            "{name} does not say what was skipped"
        );
    }
}

#[test]
fn standalone_files_are_written_as_expected_sizes() {
    for (name, svg) in all_figures(false) {
        let width: f64 = svg
            .split("width=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(
            [336.0, 480.0, 672.0].contains(&width),
            "{name} is {width} px wide"
        );
        // Every font size is at least 8 pt at print size (11 px at 96 dpi),
        // superscripts excepted.
        for part in svg.split("font-size=\"").skip(1) {
            let size: f64 = part.split('"').next().unwrap().parse().unwrap();
            assert!(
                size >= 11.0 || (size - 8.25).abs() < 1e-9,
                "{name}: font size {size}"
            );
        }
    }
}

#[test]
#[ignore = "writes the gallery for visual inspection"]
fn write_gallery() {
    let directory =
        std::env::var("OSTEON_FIGURE_DIR").unwrap_or_else(|_| "/work/scratch/figures".to_string());
    std::fs::create_dir_all(&directory).unwrap();
    for (name, svg) in all_figures(false) {
        std::fs::write(format!("{directory}/{name}.svg"), standalone(&svg)).unwrap();
    }
    for (name, svg) in empty_figures().into_iter().take(2) {
        std::fs::write(format!("{directory}/empty_{name}.svg"), standalone(&svg)).unwrap();
    }
    let mut page = String::from("<!doctype html><meta charset=\"utf-8\"><title>Osteon figures</title><body style=\"font-family:sans-serif\">\n");
    for (name, svg) in all_figures(false) {
        page.push_str(&format!("<h3>{name}</h3>\n{svg}\n"));
    }
    std::fs::write(format!("{directory}/index.html"), page).unwrap();
}

#[test]
fn twenty_thousand_genes_stay_compact() {
    let mut genes = Vec::new();
    for _ in 0..10 {
        genes.extend(gene_results(false));
    }
    let started = std::time::Instant::now();
    let ma = ma_plot(&MaPlot {
        genes: genes.clone(),
        ..MaPlot::default()
    });
    let volcano = volcano_plot(&VolcanoPlot {
        genes,
        ..VolcanoPlot::default()
    });
    let dispersion = dispersion_plot(&DispersionPlot {
        genes: (0..10).flat_map(|_| dispersion_genes(false)).collect(),
        ..DispersionPlot::default()
    });
    eprintln!(
        "20,000 genes: MA {} bytes, volcano {} bytes, dispersion {} bytes, {:?}",
        ma.len(),
        volcano.len(),
        dispersion.len(),
        started.elapsed()
    );
    for (name, svg) in [
        ("ma", &ma),
        ("volcano", &volcano),
        ("dispersion", &dispersion),
    ] {
        check_well_formed(svg).unwrap_or_else(|error| panic!("{name}: {error}"));
        // About 100 bytes per gene with its hover label.
        assert!(svg.len() < 2_500_000, "{name}: {} bytes", svg.len());
    }
}
