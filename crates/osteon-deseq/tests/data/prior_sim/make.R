# Reference data for osteon-deseq `prior_sim` (DESeq2 1.38.3, R 4.2.2).
#
# For designs with m - p <= 3 residual degrees of freedom DESeq2's
# estimateDispersionsPriorVar() estimates the dispersion prior variance by
# simulation under set.seed(2). Each case file holds the log dispersion
# residuals that function uses (log(dispGeneEst) - log(dispFit) for genes
# that are not all zero and have dispGeneEst >= 1e-6, in gene order), the
# residual degrees of freedom and DESeq2's result.
#
# Run from this directory: Rscript make.R
suppressPackageStartupMessages(library(DESeq2))

# The simulation of DESeq2:::estimateDispersionsPriorVar, copied, returning
# the arg-min before the 0.25 floor and the KL divergences (checked against
# DESeq2's own result in write_case).
simulate_kl <- function(obsDist, df) {
  set.seed(2)
  brks <- -20:20/2
  obsDist <- obsDist[obsDist > min(brks) & obsDist < max(brks)]
  obsVarGrid <- seq(from = 0, to = 8, length = 200)
  obsDistHist <- hist(obsDist, breaks = brks, plot = FALSE)
  klDivs <- sapply(obsVarGrid, function(x) {
    randDist <- log(rchisq(10000, df = df)) + rnorm(10000, 0, sqrt(x)) - log(df)
    randDist <- randDist[randDist > min(brks) & randDist < max(brks)]
    randDistHist <- hist(randDist, breaks = brks, plot = FALSE)
    z <- c(obsDistHist$density, randDistHist$density)
    small <- min(z[z > 0])
    sum(obsDistHist$density * (log(obsDistHist$density + small) -
                               log(randDistHist$density + small)))
  })
  lofit <- loess(klDivs ~ obsVarGrid, span = 0.2)
  obsVarFineGrid <- seq(from = 0, to = 8, length = 1000)
  list(argmin = obsVarFineGrid[which.min(predict(lofit, obsVarFineGrid))],
       kl = klDivs)
}

write_case <- function(file, dds, note) {
  dds <- estimateSizeFactors(dds)
  dds <- estimateDispersionsGeneEst(dds)
  dds <- estimateDispersionsFit(dds)
  mm <- model.matrix(design(dds), colData(dds))
  df <- nrow(mm) - ncol(mm)
  nz <- dds[!mcols(dds)$allZero, ]
  keep <- mcols(nz)$dispGeneEst >= 1e-6
  res <- log(mcols(nz)$dispGeneEst) - log(mcols(nz)$dispFit)
  res <- res[keep]
  prior <- DESeq2:::estimateDispersionsPriorVar(dds)
  sim <- simulate_kl(res, df)
  stopifnot(identical(prior, max(sim$argmin, 0.25)))
  lines <- c(paste("#", note),
             paste("df", df),
             paste("prior_var", sprintf("%.17g", prior)),
             paste("argmin_kl", sprintf("%.17g", sim$argmin)),
             paste("kl", paste(sprintf("%.17g", sim$kl[c(1, 2, 100, 200)]), collapse = " ")),
             paste("n", length(res)),
             sprintf("%.17g", res))
  writeLines(lines, file)
}

# df = 2: 2 vs 2 samples, true dispersions spread log-normally (sd 0.8)
# around DESeq2's default trend.
set.seed(1)
write_case("case_df2.txt",
           makeExampleDESeqDataSet(n = 2000, m = 4,
             dispMeanRel = function(x) (4 / x + 0.1) * exp(rnorm(length(x), 0, 0.8))),
           "set.seed(1); makeExampleDESeqDataSet(n = 2000, m = 4, dispMeanRel = function(x) (4/x + 0.1) * exp(rnorm(length(x), 0, 0.8)))")

# df = 2: DESeq2's example data as is (prior variance at the 0.25 floor).
set.seed(1)
write_case("case_df2_floor.txt", makeExampleDESeqDataSet(n = 2000, m = 4),
           "set.seed(1); makeExampleDESeqDataSet(n = 2000, m = 4)")

# df = 3: 3 vs 2 samples, true dispersions spread log-normally (sd 1) around
# the default trend, so the residuals are wider.
set.seed(7)
write_case("case_df3.txt",
           makeExampleDESeqDataSet(n = 2000, m = 5,
             dispMeanRel = function(x) (4 / x + 0.1) * exp(rnorm(length(x), 0, 1))),
           "set.seed(7); makeExampleDESeqDataSet(n = 2000, m = 5, dispMeanRel = function(x) (4/x + 0.1) * exp(rnorm(length(x), 0, 1)))")

# df = 1: 2 vs 1 samples, high counts and true dispersions spread
# log-normally (sd 2.5).
set.seed(3)
write_case("case_df1.txt",
           makeExampleDESeqDataSet(n = 1500, m = 3, interceptMean = 8,
             dispMeanRel = function(x) (4 / x + 0.1) * exp(rnorm(length(x), 0, 2.5))),
           "set.seed(3); makeExampleDESeqDataSet(n = 1500, m = 3, interceptMean = 8, dispMeanRel = function(x) (4/x + 0.1) * exp(rnorm(length(x), 0, 2.5)))")
