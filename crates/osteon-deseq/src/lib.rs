//! Negative-binomial differential expression that reproduces DESeq2 1.38.3.
//!
//! Love, Huber & Anders (2014) "Moderated estimation of fold change and
//! dispersion for RNA-seq data with DESeq2", *Genome Biology* 15:550. The
//! pipeline here is `DESeq()` followed by `results()` with DESeq2's defaults,
//! step for step (see `docs/DESEQ2_PORT.md` in the repository for the map
//! from each function here to the R/C++ function it ports):
//!
//! 1. size factors ([`size_factors`]),
//! 2. gene-wise dispersions, trend and MAP shrinkage ([`dispersion`]),
//! 3. GLM fits by IRLS with optimiser fallback ([`glm`]),
//! 4. Cook's distances and outlier replacement ([`cooks`]),
//! 5. Wald / likelihood-ratio tests, contrasts, independent filtering and
//!    Benjamini–Hochberg adjustment ([`results`]),
//! 6. the variance-stabilising transformation ([`vst`]).
//!
//! This crate never touches files: callers hand it a [`CountMatrix`] and a
//! [`design::SampleData`] and receive plain result structs.

pub mod cooks;
pub mod design;
pub mod dispersion;
pub mod glm;
mod pipeline;
mod prior_sim;
pub mod qc;
pub mod results;
pub mod size_factors;
pub mod vst;

pub use pipeline::{run, DispersionTable, Fit, FitType, Options, Progress, Test};
pub use results::{results, Contrast, ResultsOptions, ResultsTable, RESULTS_COLUMNS};
pub use size_factors::SizeFactorType;

/// Genes × samples raw counts (row-major), with names.
#[derive(Debug, Clone)]
pub struct CountMatrix {
    pub genes: Vec<String>,
    pub samples: Vec<String>,
    /// Row-major: `counts[g * n_samples + j]`.
    pub counts: Vec<f64>,
}

impl CountMatrix {
    pub fn n_genes(&self) -> usize {
        self.genes.len()
    }

    pub fn n_samples(&self) -> usize {
        self.samples.len()
    }

    /// The counts of gene `g`.
    pub fn row(&self, g: usize) -> &[f64] {
        let m = self.n_samples();
        &self.counts[g * m..(g + 1) * m]
    }

    /// Checks the DESeq2 input rules: finite, non-negative whole numbers, not
    /// all zero.
    pub fn validate(&self) -> Result<(), Error> {
        let m = self.n_samples();
        for (idx, &v) in self.counts.iter().enumerate() {
            if !(v.is_finite() && v >= 0.0 && v.fract() == 0.0) {
                return Err(Error::InvalidCount {
                    gene: self.genes[idx / m].clone(),
                    sample: self.samples[idx % m].clone(),
                    value: v,
                });
            }
        }
        if self.counts.iter().all(|&v| v == 0.0) {
            return Err(Error::AllZero);
        }
        Ok(())
    }
}

/// Invalid input to the DESeq2 engine. Numerical trouble in a gene's fit is
/// not an error: it is reported per gene (e.g. `betaConv`).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid design formula '{formula}': {message}")]
    Formula { formula: String, message: String },
    #[error("the design uses '{variable}', which is not a column of the sample sheet (columns: {})", available.join(", "))]
    UnknownVariable {
        variable: String,
        available: Vec<String>,
    },
    #[error(
        "factor '{variable}' has only one level ('{level}'); a design variable needs at least two"
    )]
    SingleLevelFactor { variable: String, level: String },
    #[error("the design matrix is not full rank: {detail}; confounded column(s): {}", confounded.join(", "))]
    NotFullRank {
        confounded: Vec<String>,
        detail: String,
    },
    #[error("gene {gene}, sample {sample}: count {value} is not a non-negative whole number")]
    InvalidCount {
        gene: String,
        sample: String,
        value: f64,
    },
    #[error("all counts are zero")]
    AllZero,
    #[error("every gene contains at least one zero, so median-of-ratios size factors cannot be computed; use --sf-type poscounts")]
    EveryGeneHasZero,
    #[error("all genes have equal values for all samples; DESeq2 cannot estimate dispersions")]
    AllGenesConstant,
    #[error("the design has as many coefficients as samples (no replicates), so dispersions cannot be estimated")]
    NoReplicates,
    #[error("all gene-wise dispersion estimates are within 2 orders of magnitude of the minimum value (1e-8); the data look like Poisson or simulated without dispersion")]
    DispersionsTooSmall,
    #[error("contrast: {0}")]
    Contrast(String),
    #[error("{0}")]
    Invalid(String),
}
