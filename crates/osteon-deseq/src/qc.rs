//! Sample-level quality control on transformed counts, as DESeq2's
//! `plotPCA()` and the DESeq2 vignette's sample-distance heatmap compute them
//! (Love, Anders & Huber, "Analyzing RNA-seq data with DESeq2", Bioconductor
//! vignette, §"Principal component plot of the samples" and §"Heatmap of the
//! sample-to-sample distances").
//!
//! * [`pca`]: the `ntop` genes with the largest row variance (`rowVars`,
//!   stable order on ties as R's `order(decreasing = TRUE)`), centred per
//!   gene (`prcomp` defaults: centred, not scaled); scores are the
//!   principal-component coordinates `U·S` and `percent_var` is
//!   `sdev² / sum(sdev²)`. The components come from the eigen-decomposition
//!   of the samples' Gram matrix, which equals `prcomp`'s SVD up to the sign
//!   of each axis (fixed here deterministically).
//! * [`sample_distances`]: Euclidean distances between samples over all
//!   genes (`dist(t(assay(vsd)))`).

use osteon_stats::linalg::{symmetric_eigen, Matrix};

/// Principal components of the samples.
#[derive(Debug, Clone, PartialEq)]
pub struct Pca {
    /// `scores[j][k]`: sample j's coordinate on component k (k < n_components).
    pub scores: Vec<Vec<f64>>,
    /// Fraction of the total variance on each component (sums to 1 over all).
    pub percent_var: Vec<f64>,
    /// Number of genes used (`min(ntop, genes)`).
    pub genes_used: usize,
}

/// `plotPCA(vsd, ntop)`: PCA of the samples on the `ntop` most variable
/// genes of a genes × samples row-major matrix.
pub fn pca(values: &[f64], n_genes: usize, n_samples: usize, ntop: usize) -> Pca {
    assert_eq!(values.len(), n_genes * n_samples);
    let m = n_samples;
    let variance: Vec<f64> = (0..n_genes)
        .map(|g| {
            let row = &values[g * m..(g + 1) * m];
            let mean = row.iter().sum::<f64>() / m as f64;
            row.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (m as f64 - 1.0)
        })
        .collect();
    let mut order: Vec<usize> = (0..n_genes).filter(|&g| variance[g].is_finite()).collect();
    order.sort_by(|&a, &b| variance[b].total_cmp(&variance[a]));
    order.truncate(ntop);
    let mut gram = Matrix::zeros(m, m);
    for &g in &order {
        let row = &values[g * m..(g + 1) * m];
        let mean = row.iter().sum::<f64>() / m as f64;
        for i in 0..m {
            let xi = row[i] - mean;
            for j in i..m {
                gram[(i, j)] += xi * (row[j] - mean);
            }
        }
    }
    for i in 0..m {
        for j in 0..i {
            gram[(i, j)] = gram[(j, i)];
        }
    }
    let (eigenvalues, vectors) = symmetric_eigen(&gram);
    let eigenvalues: Vec<f64> = eigenvalues.iter().map(|&l| l.max(0.0)).collect();
    let total: f64 = eigenvalues.iter().sum();
    let n_components = m.min(order.len()).min(m.saturating_sub(1)).max(1);
    let scores = (0..m)
        .map(|j| {
            (0..n_components)
                .map(|k| vectors[(j, k)] * eigenvalues[k].sqrt())
                .collect()
        })
        .collect();
    let percent_var = eigenvalues[..n_components]
        .iter()
        .map(|l| if total > 0.0 { l / total } else { 0.0 })
        .collect();
    Pca {
        scores,
        percent_var,
        genes_used: order.len(),
    }
}

/// Euclidean distances between the samples (columns) of a genes × samples
/// row-major matrix, as an `n_samples × n_samples` row-major matrix.
pub fn sample_distances(values: &[f64], n_genes: usize, n_samples: usize) -> Vec<f64> {
    assert_eq!(values.len(), n_genes * n_samples);
    let m = n_samples;
    let mut squared = vec![0.0; m * m];
    for g in 0..n_genes {
        let row = &values[g * m..(g + 1) * m];
        for i in 0..m {
            for j in i + 1..m {
                let d = row[i] - row[j];
                squared[i * m + j] += d * d;
            }
        }
    }
    let mut out = vec![0.0; m * m];
    for i in 0..m {
        for j in i + 1..m {
            let d = squared[i * m + j].sqrt();
            out[i * m + j] = d;
            out[j * m + i] = d;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // R: x <- matrix(c(1,2,3,4, 2,4,6,9, 5,5,5,6, 0,1,0,1), nrow = 4, byrow = TRUE)
    // (genes in rows, samples in columns)
    const X: [f64; 16] = [
        1.0, 2.0, 3.0, 4.0, 2.0, 4.0, 6.0, 9.0, 5.0, 5.0, 5.0, 6.0, 0.0, 1.0, 0.0, 1.0,
    ];

    #[test]
    fn pca_matches_prcomp() {
        // p <- prcomp(t(x)); sprintf('%.17g', p$sdev^2 / sum(p$sdev^2))
        let p = pca(&X, 4, 4, 500);
        let expected = [
            0.9689013081382607,
            0.024328046862738852,
            0.0067706449990004762,
        ];
        for (got, want) in p.percent_var.iter().zip(expected) {
            assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        }
        // sprintf('%.12f', abs(p$x[, 1])); sprintf('%.12f', abs(p$x[, 2]))
        let pc1 = [
            3.610690685546,
            1.318340993316,
            0.800874204993,
            4.128157473869,
        ];
        let pc2 = [
            0.111068578887,
            0.563313990723,
            0.663768528632,
            0.211523116797,
        ];
        for (j, s) in p.scores.iter().enumerate() {
            assert!(
                (s[0].abs() - pc1[j]).abs() < 1e-11,
                "PC1 of sample {j}: {}",
                s[0]
            );
            assert!(
                (s[1].abs() - pc2[j]).abs() < 1e-11,
                "PC2 of sample {j}: {}",
                s[1]
            );
        }
        assert_eq!(p.genes_used, 4);
    }

    #[test]
    fn pca_uses_only_the_most_variable_genes() {
        // With ntop = 1 only gene 2 (variance 8.9167) counts: PC1 is that
        // gene centred, i.e. |score| = |x - 5.25|.
        let p = pca(&X, 4, 4, 1);
        assert_eq!(p.genes_used, 1);
        let pc1: Vec<f64> = p.scores.iter().map(|s| s[0].abs()).collect();
        for (g, w) in pc1.iter().zip([3.25, 1.25, 0.75, 3.75]) {
            assert!((g - w).abs() < 1e-12);
        }
        assert!((p.percent_var[0] - 1.0).abs() < 1e-12);
    }

    #[test]
    fn distances_are_euclidean_between_columns() {
        // as.matrix(dist(t(x)))[1, 2] = sqrt(1 + 4 + 0 + 1)
        let d = sample_distances(&X, 4, 4);
        assert!((d[1] - 6f64.sqrt()).abs() < 1e-15);
        assert_eq!(d[0], 0.0);
        assert_eq!(d[4], d[1]);
    }
}
