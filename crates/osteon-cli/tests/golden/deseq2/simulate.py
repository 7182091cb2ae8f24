#!/usr/bin/env python3
"""Seeded generator of the input data for the DESeq2 golden cases.

For every case in CASES this writes, into a folder named after the case next
to this script:
  counts.tsv   genes x samples integer counts, header "gene<TAB>S01<TAB>..."
  samples.csv  "sample,<covariates>"
  args.txt     one line: the `osteon de` arguments (besides --counts,
               --samples, --out), shell-quoted; deseq2_golden.R reads the
               same arguments.

Counts are negative binomial (Var = mu + alpha * mu^2) from a parametric
model: log-means ~ N(4, 2^2) truncated to [-1, 10] (natural log),
dispersion = (0.05 + 1.5 / mean) * LogNormal(0, 0.5), size factors
exp(N(0, 0.25^2)), and about 10% of genes with a log2 fold change
~ N(0, 1.5^2) per effect. Each case has its own fixed seed for
numpy.random.default_rng, so the files are reproducible.

usage: simulate.py [CASE ...]      (no argument: every case)
"""

import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
LOG2 = np.log(2.0)


# ---------------------------------------------------------------- helpers ---


def draw_log_means(rng, n_genes, loc=4.0, scale=2.0, low=-1.0, high=10.0):
    """Natural-log gene means ~ N(loc, scale^2) truncated to [low, high] by redrawing."""
    out = rng.normal(loc, scale, n_genes)
    bad = (out < low) | (out > high)
    while bad.any():
        out[bad] = rng.normal(loc, scale, bad.sum())
        bad = (out < low) | (out > high)
    return out


def draw_dispersions(rng, means):
    """Dispersion decreasing with the mean, with log-normal gene-to-gene noise."""
    return (0.05 + 1.5 / means) * np.exp(rng.normal(0.0, 0.5, len(means)))


def draw_effects(rng, n_genes, fraction=0.10, sd=1.5):
    """log2 fold changes: `fraction` of genes get N(0, sd^2), the rest 0."""
    effect = np.zeros(n_genes)
    hit = rng.random(n_genes) < fraction
    effect[hit] = rng.normal(0.0, sd, hit.sum())
    return effect


def draw_size_factors(rng, n_samples, sd=0.25):
    return np.exp(rng.normal(0.0, sd, n_samples))


def nb_counts(rng, mu, dispersion):
    """Negative-binomial counts for a genes x samples mean matrix."""
    size = np.broadcast_to((1.0 / dispersion)[:, None], mu.shape)
    prob = size / (size + mu)
    return rng.negative_binomial(size, prob).astype(np.int64)


def sample_ids(n):
    return [f"S{j + 1:02d}" for j in range(n)]


def gene_ids(n):
    return [f"g{i + 1:05d}" for i in range(n)]


def block_labels(levels, reps):
    """['A','A',...,'B','B',...]: each level repeated `reps` times."""
    return np.repeat(np.array(levels), reps)


def standard_case(rng, labels, n_genes, sd_factor=0.25):
    """One-factor data: base means, one effect vector per non-reference level."""
    log_means = draw_log_means(rng, n_genes)
    means = np.exp(log_means)
    disp = draw_dispersions(rng, means)
    levels = sorted(set(labels))
    log2_eff = np.zeros((n_genes, len(labels)))
    for level in levels[1:]:
        eff = draw_effects(rng, n_genes)
        log2_eff[:, labels == level] = eff[:, None]
    sf = draw_size_factors(rng, len(labels), sd_factor)
    mu = means[:, None] * sf[None, :] * np.exp(LOG2 * log2_eff)
    return nb_counts(rng, mu, disp), means, disp


def frame(counts, samples):
    df = pd.DataFrame(counts, index=gene_ids(counts.shape[0]), columns=samples)
    df.index.name = "gene"
    return df


# ------------------------------------------------------------------ cases ---


def case_two_group(seed, n_a=4, n_b=4, n_genes=1000):
    rng = np.random.default_rng(seed)
    cond = np.array(["A"] * n_a + ["B"] * n_b)
    counts, _, _ = standard_case(rng, cond, n_genes)
    samples = sample_ids(len(cond))
    return frame(counts, samples), pd.DataFrame({"sample": samples, "condition": cond})


def case_interaction_continuous(seed, n_genes=1000):
    rng = np.random.default_rng(seed)
    genotype = np.tile(np.repeat(["WT", "KO"], 4), 2)
    treatment = np.repeat(["ctl", "trt"], 8)
    age = np.round(rng.uniform(25.0, 65.0, 16), 1)
    means = np.exp(draw_log_means(rng, n_genes))
    disp = draw_dispersions(rng, means)
    eff_geno = draw_effects(rng, n_genes)
    eff_trt = draw_effects(rng, n_genes)
    eff_inter = draw_effects(rng, n_genes, fraction=0.08)
    eff_age = draw_effects(rng, n_genes, sd=0.03)  # log2 per year
    is_ko = (genotype == "KO").astype(float)
    is_trt = (treatment == "trt").astype(float)
    log2_eff = (
        eff_geno[:, None] * is_ko
        + eff_trt[:, None] * is_trt
        + eff_inter[:, None] * (is_ko * is_trt)
        + eff_age[:, None] * (age - 45.0)
    )
    sf = draw_size_factors(rng, 16)
    counts = nb_counts(rng, means[:, None] * sf * np.exp(LOG2 * log2_eff), disp)
    samples = sample_ids(16)
    cov = pd.DataFrame({"sample": samples, "genotype": genotype, "treatment": treatment, "age": age})
    return frame(counts, samples), cov


def case_outliers(seed, n_genes=1000, reps=8, fraction=0.02):
    rng = np.random.default_rng(seed)
    cond = block_labels(["A", "B"], reps)
    counts, means, _ = standard_case(rng, cond, n_genes)
    # one huge count (x20-50) in one random sample for ~2% of genes with mean >= 5
    candidates = np.flatnonzero(means >= 5.0)
    n_out = int(round(fraction * n_genes))
    genes = np.sort(rng.choice(candidates, n_out, replace=False))
    cols = rng.integers(0, len(cond), n_out)
    factor = rng.uniform(20.0, 50.0, n_out)
    counts[genes, cols] = np.round((counts[genes, cols] + 1) * factor).astype(np.int64)
    samples = sample_ids(len(cond))
    return frame(counts, samples), pd.DataFrame({"sample": samples, "condition": cond})


def case_cooks_filtering(seed, n_genes=1000, fraction=0.03):
    """4 vs 4 (too few replicates to replace) with injected outliers, so Cook's
    distance sets p-values to NA; lower means (ln mean ~ N(2, 2^2)) so that
    independent filtering removes the low-count genes."""
    rng = np.random.default_rng(seed)
    cond = block_labels(["A", "B"], 4)
    means = np.exp(draw_log_means(rng, n_genes, loc=2.0, scale=2.0, low=-2.0, high=10.0))
    disp = draw_dispersions(rng, means)
    eff = draw_effects(rng, n_genes)
    sf = draw_size_factors(rng, len(cond))
    mu = means[:, None] * sf * np.exp(LOG2 * eff[:, None] * (cond == "B"))
    counts = nb_counts(rng, mu, disp)
    candidates = np.flatnonzero(means >= 5.0)
    n_out = int(round(fraction * n_genes))
    genes = np.sort(rng.choice(candidates, n_out, replace=False))
    cols = rng.integers(0, len(cond), n_out)
    factor = rng.uniform(20.0, 50.0, n_out)
    counts[genes, cols] = np.round((counts[genes, cols] + 1) * factor).astype(np.int64)
    samples = sample_ids(len(cond))
    return frame(counts, samples), pd.DataFrame({"sample": samples, "condition": cond})


def case_zeros(seed, n_genes=1000):
    rng = np.random.default_rng(seed)
    group = block_labels(["A", "B", "C"], 3)
    counts, _, _ = standard_case(rng, group, n_genes)
    order = rng.permutation(n_genes)
    n5, n3 = n_genes // 20, (3 * n_genes) // 100
    all_zero = order[:n5]  # every sample zero
    zero_in_c = order[n5 : 2 * n5]  # group C all zero
    zero_in_a_c = order[2 * n5 : 2 * n5 + n3]  # groups A and C zero, B not
    counts[all_zero, :] = 0
    counts[np.ix_(zero_in_c, np.flatnonzero(group == "C"))] = 0
    counts[np.ix_(zero_in_a_c, np.flatnonzero((group == "A") | (group == "C")))] = 0
    samples = sample_ids(len(group))
    return frame(counts, samples), pd.DataFrame({"sample": samples, "group": group})


def case_lrt(seed, n_genes=1000):
    rng = np.random.default_rng(seed)
    batch = np.repeat(["b1", "b2", "b3"], 4)
    cond = np.tile(["A", "A", "B", "B"], 3)
    means = np.exp(draw_log_means(rng, n_genes))
    disp = draw_dispersions(rng, means)
    batch_eff = rng.normal(0.0, 0.3, (n_genes, 3))  # log2, every gene
    batch_eff[:, 0] = 0.0
    cond_eff = draw_effects(rng, n_genes)
    bidx = np.array([int(b[1]) - 1 for b in batch])
    log2_eff = batch_eff[:, bidx] + cond_eff[:, None] * (cond == "B")
    sf = draw_size_factors(rng, 12)
    counts = nb_counts(rng, means[:, None] * sf * np.exp(LOG2 * log2_eff), disp)
    samples = sample_ids(12)
    return frame(counts, samples), pd.DataFrame({"sample": samples, "batch": batch, "condition": cond})


def case_trend_fallback(seed, n_genes=1000):
    """Dispersion INCREASING with the mean, so a/x + b cannot fit (a < 0)."""
    rng = np.random.default_rng(seed)
    cond = block_labels(["A", "B"], 4)
    means = np.exp(draw_log_means(rng, n_genes))
    disp = 0.02 * (means / 50.0) ** 0.5 * np.exp(rng.normal(0.0, 0.3, n_genes))
    eff = draw_effects(rng, n_genes)
    sf = draw_size_factors(rng, 8)
    mu = means[:, None] * sf * np.exp(LOG2 * eff[:, None] * (cond == "B"))
    counts = nb_counts(rng, mu, disp)
    samples = sample_ids(8)
    return frame(counts, samples), pd.DataFrame({"sample": samples, "condition": cond})


def case_poscounts(seed, n_genes=1000):
    """Sparse, low counts: every gene has at least one zero, so sfType='ratio'
    fails. Genes without a natural zero get one in their smallest count."""
    rng = np.random.default_rng(seed)
    cond = block_labels(["A", "B"], 4)
    means = np.exp(draw_log_means(rng, n_genes, loc=1.0, scale=1.5, low=-2.0, high=6.0))
    disp = draw_dispersions(rng, means)
    eff = draw_effects(rng, n_genes, fraction=0.15, sd=2.0)
    sf = draw_size_factors(rng, 8, sd=0.4)
    mu = means[:, None] * sf * np.exp(LOG2 * eff[:, None] * (cond == "B"))
    counts = nb_counts(rng, mu, disp)
    no_zero = np.flatnonzero((counts > 0).all(axis=1))
    counts[no_zero, counts[no_zero].argmin(axis=1)] = 0
    samples = sample_ids(8)
    return frame(counts, samples), pd.DataFrame({"sample": samples, "condition": cond})


def case_ref_level(seed, n_genes=1000):
    rng = np.random.default_rng(seed)
    # alphabetical order would make "agonist" the reference; args relevel to "ctl"
    cond = np.array(["ctl", "ctl", "ctl", "agonist", "agonist", "agonist", "trt2", "trt2", "trt2"])
    counts, _, _ = standard_case(rng, cond, n_genes)
    samples = sample_ids(len(cond))
    return frame(counts, samples), pd.DataFrame({"sample": samples, "condition": cond})


def case_three_groups(seed, n_genes=1000, column="condition"):
    rng = np.random.default_rng(seed)
    cond = block_labels(["A", "B", "C"], 3)
    counts, _, _ = standard_case(rng, cond, n_genes)
    samples = sample_ids(len(cond))
    return frame(counts, samples), pd.DataFrame({"sample": samples, column: cond})


def case_basic(seed):
    """4 vs 4 with 1,200 genes: enough genes with mean > 5 for vst()'s nsub = 1000."""
    return case_two_group(seed, n_genes=1200)


# name -> (seed, generator, args). Cases with the same seed and generator
# have identical counts. local_fit and mean_fit share 1,000 genes, too few
# for vst()'s nsub = 1000, so their vst.tsv is varianceStabilizingTransformation
# (blind = FALSE) with the local / mean trend (vst() would refit parametric).
CASES = {
    "basic_two_group": (101, case_basic, ["--design", "~ condition", "--contrast", "condition,B,A"]),
    "interaction_continuous": (
        102,
        case_interaction_continuous,
        ["--design", "~ age + genotype + treatment + genotype:treatment"],
    ),
    "interaction_continuous_contrast": (
        102,
        case_interaction_continuous,
        ["--design", "~ age + genotype + treatment + genotype:treatment", "--contrast", "treatment,trt,ctl"],
    ),
    "outliers_replace": (103, case_outliers, ["--design", "~ condition", "--contrast", "condition,B,A"]),
    "cooks_filtering": (113, case_cooks_filtering, ["--design", "~ condition", "--contrast", "condition,B,A"]),
    "zeros": (104, case_zeros, ["--design", "~ group", "--contrast", "group,C,A"]),
    "lrt": (105, case_lrt, ["--design", "~ batch + condition", "--test", "lrt", "--reduced", "~ batch"]),
    "trend_fallback": (106, case_trend_fallback, ["--design", "~ condition", "--contrast", "condition,B,A"]),
    "small_df": (
        107,
        lambda s: case_two_group(s, n_a=3, n_b=2),
        ["--design", "~ condition", "--contrast", "condition,B,A"],
    ),
    "small_df_2v2": (
        108,
        lambda s: case_two_group(s, n_a=2, n_b=2),
        ["--design", "~ condition", "--contrast", "condition,B,A"],
    ),
    "poscounts": (
        109,
        case_poscounts,
        ["--design", "~ condition", "--contrast", "condition,B,A", "--sf-type", "poscounts"],
    ),
    "local_fit": (
        114,
        case_two_group,
        ["--design", "~ condition", "--contrast", "condition,B,A", "--fit-type", "local"],
    ),
    "mean_fit": (
        114,
        case_two_group,
        ["--design", "~ condition", "--contrast", "condition,B,A", "--fit-type", "mean"],
    ),
    "iterate_sf": (
        110,
        lambda s: case_two_group(s, n_a=3, n_b=3),
        ["--design", "~ condition", "--contrast", "condition,B,A", "--sf-type", "iterate"],
    ),
    "ref_level": (
        111,
        case_ref_level,
        ["--design", "~ condition", "--ref", "condition=ctl", "--name", "condition_trt2_vs_ctl"],
    ),
    "no_intercept": (112, case_three_groups, ["--design", "~ 0 + condition"]),
}


def shell_word(arg):
    """Quote an argument for a POSIX shell: bare if plain, else in double quotes."""
    if re.fullmatch(r"[A-Za-z0-9_,=.:+/-]+", arg):
        return arg
    assert not re.search(r'["$`\\!]', arg), arg
    return f'"{arg}"'


def write_case(name):
    seed, make, args = CASES[name]
    counts, samples = make(seed)
    assert list(counts.columns) == list(samples["sample"])
    out = HERE / name
    out.mkdir(exist_ok=True)
    counts.to_csv(out / "counts.tsv", sep="\t", lineterminator="\n")
    samples.to_csv(out / "samples.csv", index=False, lineterminator="\n")
    (out / "args.txt").write_text(" ".join(shell_word(a) for a in args) + "\n")
    print(f"{name}: {counts.shape[0]} genes x {counts.shape[1]} samples, seed {seed}")


def main(argv):
    names = argv or list(CASES)
    unknown = [n for n in names if n not in CASES]
    if unknown:
        sys.exit(f"unknown case(s): {', '.join(unknown)}")
    for name in names:
        write_case(name)


if __name__ == "__main__":
    main(sys.argv[1:])
