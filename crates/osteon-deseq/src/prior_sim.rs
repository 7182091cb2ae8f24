//! Dispersion prior variance for designs with few residual degrees of freedom.
//!
//! DESeq2 1.38.3 `estimateDispersionsPriorVar`: when the residual degrees of
//! freedom `m − p` are 1, 2 or 3, the spread of the log dispersion residuals
//! is dominated by the very skewed sampling distribution of the gene-wise
//! estimates, and the MAD-based formula is replaced by a simulation under
//! `set.seed(2)`:
//!
//! 1. the residuals `ln(dispGeneEst) − ln(dispFit)` inside (−10, 10) are
//!    binned by `hist(breaks = -20:20/2)` (right-closed bins, R's 1e-7 fuzz);
//! 2. for each prior variance `v` on `seq(0, 8, length = 200)`, 10 000 draws
//!    `ln χ²(m − p) + N(0, v) − ln(m − p)` are binned the same way (all
//!    χ² draws first, then the normals; `rnorm` with sd 0 draws nothing) and
//!    the Kullback–Leibler divergence `Σ obs · (ln(obs + s) − ln(sim + s))`
//!    is computed, `s` being the smallest positive density of both
//!    histograms, summed in long double as R's `sum` does;
//! 3. `loess(KL ~ v, span = 0.2)` is evaluated on `seq(0, 8, length = 1000)`
//!    and the first arg-min, floored at 0.25, is the prior variance.
//!
//! The random numbers come from [`osteon_stats::rng::RRng`] seeded like
//! `set.seed(2)`, so the result is R's to the last bit of the simulated
//! divergences. DESeq2 restores the caller's `.Random.seed` afterwards; no
//! global state is involved here.
//!
//! The simulated histograms depend only on `m − p` (the seed and the order
//! of the draws are fixed), and `m − p` is an integer in {1, 2, 3} whenever
//! this branch is taken, so their bin counts are precomputed in the
//! generated table `prior_sim_table.rs` and the random number generator only
//! runs for other degrees of freedom. A unit test re-simulates the table and
//! requires it to match exactly; `regenerate_prior_sim_table` (an ignored
//! test) rewrites it.

#[path = "prior_sim_table.rs"]
mod table;

use osteon_stats::loess::{loess_fit, LoessOptions};
use osteon_stats::rng::RRng;
use osteon_stats::summary::sum as r_sum;

/// Seed DESeq2 sets before the simulation.
const SIMULATION_SEED: u32 = 2;
/// Histogram breaks are `-20:20 / 2`: 40 bins of width 0.5 over (−10, 10).
const BIN_COUNT: usize = 40;
const BIN_WIDTH: f64 = 0.5;
const RANGE_LIMIT: f64 = 10.0;
/// Number of candidate prior variances, and of points the loess curve is
/// evaluated at, both over [0, 8].
const GRID_POINTS: usize = 200;
const FINE_GRID_POINTS: usize = 1000;
const GRID_MAX: f64 = 8.0;
/// Draws simulated per candidate variance.
const DRAWS_PER_VARIANCE: usize = 10_000;
/// Loess span DESeq2 uses for the KL curve.
const KL_LOESS_SPAN: f64 = 0.2;
/// Lower bound of the prior variance.
const MIN_PRIOR_VARIANCE: f64 = 0.25;

/// Outcome of the simulation before the 0.25 floor.
#[derive(Debug, Clone, PartialEq)]
struct PriorSimulation {
    /// KL divergence for each variance of `seq(0, 8, length = 200)` (read
    /// only by the tests, which compare it with R).
    #[cfg_attr(not(test), allow(dead_code))]
    kl_divergences: Vec<f64>,
    /// First minimiser of the loess-smoothed divergences on
    /// `seq(0, 8, length = 1000)`.
    argmin_variance: f64,
}

/// DESeq2's prior variance of the log dispersions for `m − p ≤ 3`.
///
/// `log_residuals` are `ln(dispGeneEst) − ln(dispFit)` for the genes that
/// are not all zero and have `dispGeneEst >= 1e-6`, in gene order (the order
/// does not matter, only the histogram). Values outside (−10, 10) and
/// non-finite values are dropped here, as DESeq2 and `hist` do. `df` is
/// `m − p`.
///
/// Returns NaN where R fails: when no residual lies inside (−10, 10) (the
/// histogram densities are 0/0 and `loess` gets no data).
pub(crate) fn simulated_prior_variance(log_residuals: &[f64], df: f64) -> f64 {
    match simulate(log_residuals, df) {
        Some(simulation) => simulation.argmin_variance.max(MIN_PRIOR_VARIANCE),
        None => f64::NAN,
    }
}

/// R's `seq(from, to, length.out = n)` for `n > 2`.
fn r_seq(from: f64, to: f64, n: usize) -> Vec<f64> {
    let by = (to - from) / (n - 1) as f64;
    let mut out: Vec<f64> = (0..n - 1).map(|k| from + k as f64 * by).collect();
    out.push(to);
    out
}

fn inside_range(v: f64) -> bool {
    v > -RANGE_LIMIT && v < RANGE_LIMIT
}

/// Breaks of `hist(x, breaks = -20:20/2)` shifted by R's fuzz: the first
/// down and the others up by `1e-7 · median(diff(breaks))`, so that values on
/// a break fall in the bin to its left (right-closed) and the lowest break
/// is included.
fn fuzzy_breaks() -> [f64; BIN_COUNT + 1] {
    let diddle = 1e-7 * BIN_WIDTH;
    let mut breaks = [0.0; BIN_COUNT + 1];
    for (k, b) in breaks.iter_mut().enumerate() {
        let edge = (k as f64 - 20.0) / 2.0;
        *b = if k == 0 { edge - diddle } else { edge + diddle };
    }
    breaks
}

/// `hist(values, breaks = -20:20/2, plot = FALSE)$counts` (R's `C_BinCount`
/// binary search). The values are finite.
fn histogram_counts(values: &[f64], breaks: &[f64; BIN_COUNT + 1]) -> [u32; BIN_COUNT] {
    let mut counts = [0u32; BIN_COUNT];
    for &x in values {
        let (mut lo, mut hi) = (0, BIN_COUNT);
        if breaks[lo] <= x && x <= breaks[hi] {
            while hi - lo >= 2 {
                let mid = (hi + lo) / 2;
                if x > breaks[mid] {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            counts[lo] += 1;
        }
    }
    counts
}

/// `hist(...)$density` from the counts of `n` values: `counts / (n * 0.5)`.
fn density_from_counts(counts: &[u32; BIN_COUNT], n: usize) -> [f64; BIN_COUNT] {
    let denominator = n as f64 * BIN_WIDTH;
    counts.map(|c| f64::from(c) / denominator)
}

/// `hist(values, breaks = -20:20/2, plot = FALSE)$density`.
fn histogram_density(values: &[f64], breaks: &[f64; BIN_COUNT + 1]) -> [f64; BIN_COUNT] {
    density_from_counts(&histogram_counts(values, breaks), values.len())
}

/// Histogram of the simulated draws for one candidate prior variance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct SimulatedHistogram {
    /// Bin counts of the draws inside (−10, 10).
    counts: [u32; BIN_COUNT],
    /// Number of draws inside (−10, 10); all of them land in some bin, so
    /// this is also the sum of `counts`.
    kept: usize,
}

impl SimulatedHistogram {
    fn density(&self) -> [f64; BIN_COUNT] {
        density_from_counts(&self.counts, self.kept)
    }
}

/// Runs DESeq2's random draws under `set.seed(2)` for each variance of
/// `seq(0, 8, length = 200)` and bins them.
fn simulate_histograms(df: f64) -> Vec<SimulatedHistogram> {
    let breaks = fuzzy_breaks();
    let mut rng = RRng::from_seed(SIMULATION_SEED);
    let log_df = df.ln();
    let mut chisq = vec![0.0; DRAWS_PER_VARIANCE];
    let mut simulated = Vec::with_capacity(DRAWS_PER_VARIANCE);
    r_seq(0.0, GRID_MAX, GRID_POINTS)
        .iter()
        .map(|&variance| {
            // log(rchisq(1e4, df)) + rnorm(1e4, 0, sqrt(v)) - log(df): all
            // chi-squared draws happen before the normal draws.
            chisq.iter_mut().for_each(|c| *c = rng.rchisq(df));
            let sd = variance.sqrt();
            simulated.clear();
            for &c in &chisq {
                let draw = c.ln() + rng.rnorm(0.0, sd) - log_df;
                if inside_range(draw) {
                    simulated.push(draw);
                }
            }
            SimulatedHistogram {
                counts: histogram_counts(&simulated, &breaks),
                kept: simulated.len(),
            }
        })
        .collect()
}

/// The simulated histograms for `df`: from the precomputed table when `df`
/// is 1, 2 or 3, otherwise simulated now.
fn simulated_histograms(df: f64) -> Vec<SimulatedHistogram> {
    let tabulated = [1.0, 2.0, 3.0]
        .iter()
        .position(|&d| d == df)
        .map(|index| &table::SIMULATED_BIN_COUNTS[index]);
    match tabulated {
        Some(rows) => rows
            .iter()
            .map(|row| {
                let counts = row.map(u32::from);
                SimulatedHistogram {
                    counts,
                    kept: counts.iter().map(|&c| c as usize).sum(),
                }
            })
            .collect(),
        None => simulate_histograms(df),
    }
}

/// The KL divergence DESeq2 computes between two histograms.
fn kl_divergence(observed: &[f64; BIN_COUNT], simulated: &[f64; BIN_COUNT]) -> f64 {
    let small = observed
        .iter()
        .chain(simulated)
        .filter(|&&d| d > 0.0)
        .fold(f64::INFINITY, |a, &b| a.min(b));
    let terms: Vec<f64> = observed
        .iter()
        .zip(simulated)
        .map(|(&o, &s)| o * ((o + small).ln() - (s + small).ln()))
        .collect();
    r_sum(&terms)
}

/// Runs DESeq2's simulation; `None` when R would fail (no residual inside
/// (−10, 10)).
fn simulate(log_residuals: &[f64], df: f64) -> Option<PriorSimulation> {
    let breaks = fuzzy_breaks();
    let observed: Vec<f64> = log_residuals
        .iter()
        .copied()
        .filter(|&v| inside_range(v))
        .collect();
    if observed.is_empty() {
        return None;
    }
    let observed_density = histogram_density(&observed, &breaks);

    let grid = r_seq(0.0, GRID_MAX, GRID_POINTS);
    let kl_divergences: Vec<f64> = simulated_histograms(df)
        .iter()
        .map(|histogram| kl_divergence(&observed_density, &histogram.density()))
        .collect();

    let opts = LoessOptions {
        span: KL_LOESS_SPAN,
        ..LoessOptions::default()
    };
    let fit = loess_fit(&grid, &kl_divergences, None, &opts).ok()?;
    let fine_grid = r_seq(0.0, GRID_MAX, FINE_GRID_POINTS);
    // which.min: the first minimum, NaN ignored.
    let mut best: Option<(usize, f64)> = None;
    for (i, &v) in fine_grid.iter().enumerate() {
        let predicted = fit.predict(v);
        if predicted.is_nan() {
            continue;
        }
        match best {
            Some((_, b)) if predicted >= b => {}
            _ => best = Some((i, predicted)),
        }
    }
    let (argmin, _) = best?;
    Some(PriorSimulation {
        kl_divergences,
        argmin_variance: fine_grid[argmin],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reference case written by `tests/data/prior_sim/make.R`.
    struct Case {
        df: f64,
        prior_var: f64,
        argmin_kl: f64,
        /// KL divergences at grid positions 1, 2, 100 and 200 (1-based).
        kl: Vec<f64>,
        residuals: Vec<f64>,
    }

    fn parse_case(text: &str) -> Case {
        let mut df = None;
        let mut prior_var = None;
        let mut argmin_kl = None;
        let mut kl = Vec::new();
        let mut declared = None;
        let mut residuals = Vec::new();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let mut fields = line.split_whitespace();
            let first = fields.next().expect("empty line");
            let number = |s: Option<&str>| s.expect("missing value").parse::<f64>().unwrap();
            match first {
                "df" => df = Some(number(fields.next())),
                "prior_var" => prior_var = Some(number(fields.next())),
                "argmin_kl" => argmin_kl = Some(number(fields.next())),
                "kl" => kl = fields.map(|f| f.parse().unwrap()).collect(),
                "n" => declared = Some(number(fields.next()) as usize),
                value => residuals.push(value.parse().unwrap()),
            }
        }
        assert_eq!(Some(residuals.len()), declared);
        Case {
            df: df.unwrap(),
            prior_var: prior_var.unwrap(),
            argmin_kl: argmin_kl.unwrap(),
            kl,
            residuals,
        }
    }

    fn check_case(text: &str) {
        let case = parse_case(text);
        let simulation = simulate(&case.residuals, case.df).unwrap();
        let kl = &simulation.kl_divergences;
        for (got, want) in [kl[0], kl[1], kl[99], kl[199]].iter().zip(&case.kl) {
            assert!(
                ((got - want) / want).abs() <= 1e-14,
                "KL {got:e} vs R {want:e}"
            );
        }
        assert_eq!(simulation.argmin_variance, case.argmin_kl);
        let prior = simulated_prior_variance(&case.residuals, case.df);
        assert!(
            ((prior - case.prior_var) / case.prior_var).abs() <= 1e-10,
            "prior variance {prior} vs R {}",
            case.prior_var
        );
    }

    #[test]
    fn matches_deseq2_with_one_residual_df() {
        // DESeq2:::estimateDispersionsPriorVar(dds) == 1.5215215215215214
        check_case(include_str!("../tests/data/prior_sim/case_df1.txt"));
    }

    #[test]
    fn matches_deseq2_with_two_residual_df() {
        // Arg-min 0.23223223223223222, floored to 0.25.
        check_case(include_str!("../tests/data/prior_sim/case_df2.txt"));
        // Arg-min 0 (DESeq2's unmodified example data).
        check_case(include_str!("../tests/data/prior_sim/case_df2_floor.txt"));
    }

    #[test]
    fn matches_deseq2_with_three_residual_df() {
        // DESeq2:::estimateDispersionsPriorVar(dds) == 0.62462462462462465
        check_case(include_str!("../tests/data/prior_sim/case_df3.txt"));
    }

    #[test]
    fn histogram_uses_right_closed_bins() {
        let breaks = fuzzy_breaks();
        // hist(c(-10, -9.5, -9.4, 0, 0.5, 9.99), breaks = -20:20/2)$counts:
        // -10 and -9.5 both fall in (-10, -9.5], 0 in (-0.5, 0],
        // 0.5 in (0, 0.5].
        let density = histogram_density(&[-10.0, -9.5, -9.4, 0.0, 0.5, 9.99], &breaks);
        let expected_counts = {
            let mut c = [0.0; BIN_COUNT];
            c[0] = 2.0;
            c[1] = 1.0;
            c[19] = 1.0;
            c[20] = 1.0;
            c[39] = 1.0;
            c
        };
        for (d, c) in density.iter().zip(expected_counts) {
            assert_eq!(*d, c / 3.0);
        }
    }

    /// Degrees of freedom the table covers, in table order.
    const TABULATED_DF: [f64; 3] = [1.0, 2.0, 3.0];

    #[test]
    fn table_matches_live_simulation() {
        for (index, df) in TABULATED_DF.into_iter().enumerate() {
            let live = simulate_histograms(df);
            assert_eq!(live.len(), GRID_POINTS);
            let tabulated = simulated_histograms(df);
            for (k, (l, t)) in live.iter().zip(&tabulated).enumerate() {
                assert_eq!(l.kept, l.counts.iter().map(|&c| c as usize).sum::<usize>());
                assert_eq!(l, t, "df {df}, grid value {k}");
                assert_eq!(
                    l.counts,
                    table::SIMULATED_BIN_COUNTS[index][k].map(u32::from)
                );
            }
        }
    }

    #[test]
    fn table_matches_r() {
        // set.seed(2); v <- seq(0, 8, length = 200)
        // for (k in 1:200) x <- log(rchisq(1e4, 3)) + rnorm(1e4, 0, sqrt(v[k])) - log(3)
        // x <- x[x > -10 & x < 10]; length(x); hist(x, breaks = -20:20/2)$counts
        let r_counts_last = [
            7, 13, 17, 29, 20, 48, 61, 76, 145, 209, 233, 291, 358, 428, 477, 540, 627, 626, 690,
            631, 674, 620, 544, 542, 447, 390, 319, 237, 190, 173, 103, 83, 53, 34, 19, 19, 10, 5,
            3, 2,
        ];
        let last = simulated_histograms(3.0)[GRID_POINTS - 1];
        assert_eq!(last.kept, 9993);
        assert_eq!(last.counts, r_counts_last);
    }

    #[test]
    fn other_df_falls_back_to_live_simulation() {
        let histograms = simulated_histograms(2.5);
        for df in TABULATED_DF {
            assert_ne!(histograms, simulated_histograms(df));
        }
        assert_eq!(histograms, simulate_histograms(2.5));
        // set.seed(2); x <- log(rchisq(1e4, 2.5)) + rnorm(1e4, 0, 0) - log(2.5)
        // x <- x[abs(x) < 10]; length(x); hist(x, breaks = -20:20/2)$counts
        let r_counts = [
            0, 0, 0, 0, 0, 0, 3, 5, 3, 5, 18, 34, 63, 99, 215, 388, 693, 1090, 1589, 2008, 1945,
            1339, 432, 70, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        ];
        assert_eq!(histograms[0].kept, 10_000);
        assert_eq!(histograms[0].counts, r_counts);
    }

    /// The text of `prior_sim_table.rs` for the given live histograms.
    fn render_table(histograms: &[Vec<SimulatedHistogram>]) -> String {
        let mut text = String::from(
            "//! Bin counts of DESeq2's prior-variance simulation, precomputed.\n\
             //!\n\
             //! GENERATED FILE, do not edit. Regenerate with\n\
             //! `cargo test -p osteon-deseq -- --ignored regenerate_prior_sim_table`\n\
             //! (the live simulation in `prior_sim.rs`; the unit test\n\
             //! `table_matches_live_simulation` checks this table against it).\n\
             //!\n\
             //! `SIMULATED_BIN_COUNTS[df - 1][k]` holds the counts in the 40 bins of\n\
             //! `hist(x, breaks = -20:20/2)` of the draws\n\
             //! `x = log(rchisq(1e4, df)) + rnorm(1e4, 0, sqrt(v[k])) - log(df)` inside\n\
             //! (-10, 10), `v = seq(0, 8, length = 200)`, after `set.seed(2)` with the\n\
             //! draws for all earlier `k` taken first. The number of kept draws is\n\
             //! the row sum.\n\
             \n\
             #[rustfmt::skip]\n",
        );
        text.push_str(&format!(
            "pub(super) static SIMULATED_BIN_COUNTS: [[[u16; {BIN_COUNT}]; {GRID_POINTS}]; {}] = [\n",
            histograms.len()
        ));
        for (index, rows) in histograms.iter().enumerate() {
            text.push_str(&format!("    // df = {}\n    [\n", index + 1));
            for row in rows {
                let cells: Vec<String> = row
                    .counts
                    .iter()
                    .map(|&c| u16::try_from(c).expect("count fits u16").to_string())
                    .collect();
                text.push_str(&format!("        [{}],\n", cells.join(",")));
            }
            text.push_str("    ],\n");
        }
        text.push_str("];\n");
        text
    }

    #[test]
    #[ignore]
    fn regenerate_prior_sim_table() {
        let histograms: Vec<Vec<SimulatedHistogram>> =
            TABULATED_DF.into_iter().map(simulate_histograms).collect();
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/prior_sim_table.rs");
        std::fs::write(path, render_table(&histograms)).expect("write prior_sim_table.rs");
    }

    #[test]
    fn no_residual_in_range_gives_nan() {
        assert!(simulated_prior_variance(&[11.0, -12.0, f64::NAN], 2.0).is_nan());
    }
}
