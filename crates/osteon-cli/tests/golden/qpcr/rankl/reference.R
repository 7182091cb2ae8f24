# qPCR golden: the RANKL example (examples/qpcr) analysed independently in R.
#
# For each variant this script computes, with base R only:
# - mean Cq per sample and gene over the technical replicates
#   ("Undetermined" dropped, or set to 40 cycles);
# - dCt = efficiency-weighted target Cq minus the mean efficiency-weighted
#   Cq of GAPDH and ACTB (weights log2(1 + E); E = 1 for Livak);
# - per target and group: n, mean and SD of dCt, and
#   t.test(dCt[group], dCt[BCBM]) (Welch): estimate = ddCt, its 95% CI,
#   fold change 2^-ddCt and its CI, t, df, p;
# - Pfaffl: E = 10^(-1/slope) - 1 from lm(cq ~ log10(quantity)) per gene on
#   standard_curve.csv.
# Output: expected_<variant>.tsv and expected_efficiency.tsv, '%.17g'.
# Run from this folder: Rscript reference.R (R 4.2.2).

example <- file.path("..", "..", "..", "..", "..", "..", "examples", "qpcr")
data <- read.csv(file.path(example, "data.csv"), stringsAsFactors = FALSE)
curve <- read.csv(file.path(example, "standard_curve.csv"), stringsAsFactors = FALSE)
references <- c("GAPDH", "ACTB")
calibrator <- "BCBM"
targets <- c("RANKL", "OPG", "B2M", "HPRT1")

fmt <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

efficiencies <- sapply(unique(curve$target), function(g) {
  d <- curve[curve$target == g & curve$cq != "Undetermined", ]
  fit <- lm(as.numeric(cq) ~ log10(quantity), data = d)
  slope <- coef(fit)[[2]]
  c(slope = slope, intercept = coef(fit)[[1]], r_squared = summary(fit)$r.squared,
    efficiency = 10^(-1 / slope) - 1)
})
write.table(
  data.frame(target = colnames(efficiencies),
             slope = fmt(efficiencies["slope", ]),
             intercept = fmt(efficiencies["intercept", ]),
             r_squared = fmt(efficiencies["r_squared", ]),
             efficiency = fmt(efficiencies["efficiency", ])),
  "expected_efficiency.tsv", sep = "\t", quote = FALSE, row.names = FALSE)

analyse <- function(undetermined, weights) {
  cq <- suppressWarnings(as.numeric(data$cq))
  if (!is.na(undetermined)) cq[data$cq == "Undetermined"] <- undetermined
  d <- data.frame(sample = data$sample, group = data$group, gene = data$target, cq = cq)
  d <- d[!is.na(d$cq), ]
  means <- aggregate(cq ~ sample + group + gene, data = d, FUN = mean)
  w <- function(g) if (is.null(weights)) 1 else log2(1 + weights[["efficiency", g]])
  key <- function(s, g) means$cq[means$sample == s & means$gene == g]
  samples <- unique(data$sample)
  group_of <- setNames(data$group[match(samples, data$sample)], samples)
  rows <- list()
  for (target in targets) {
    dct <- sapply(samples, function(s) {
      t <- key(s, target)
      if (length(t) == 0) return(NA)
      ref <- mean(sapply(references, function(r) w(r) * key(s, r)))
      w(target) * t - ref
    })
    cal <- dct[group_of == calibrator & !is.na(dct)]
    for (group in unique(data$group)) {
      x <- dct[group_of == group & !is.na(dct)]
      if (group == calibrator) {
        rows[[length(rows) + 1]] <- c(target, group, length(x), fmt(mean(x)), fmt(sd(x)),
                                      fmt(0), "NA", "NA", fmt(1), "NA", "NA", "NA", "NA", "NA")
        next
      }
      tt <- t.test(x, cal)
      est <- mean(x) - mean(cal)
      rows[[length(rows) + 1]] <- c(target, group, length(x), fmt(mean(x)), fmt(sd(x)),
        fmt(est), fmt(tt$conf.int[1]), fmt(tt$conf.int[2]), fmt(2^-est),
        fmt(2^-tt$conf.int[2]), fmt(2^-tt$conf.int[1]), fmt(tt$statistic),
        fmt(tt$parameter), fmt(tt$p.value))
    }
  }
  out <- as.data.frame(do.call(rbind, rows), stringsAsFactors = FALSE)
  names(out) <- c("target", "group", "n", "mean_dct", "sd_dct", "ddct", "ddct_lower",
                  "ddct_upper", "fold_change", "fold_lower", "fold_upper", "t", "df", "pvalue")
  out
}

for (variant in list(list("livak", NA, NULL), list("livak_maxcycles", 40, NULL),
                     list("pfaffl", NA, efficiencies))) {
  write.table(analyse(variant[[2]], variant[[3]]), paste0("expected_", variant[[1]], ".tsv"),
              sep = "\t", quote = FALSE, row.names = FALSE)
}
writeLines(R.version.string, "R-version.txt")
