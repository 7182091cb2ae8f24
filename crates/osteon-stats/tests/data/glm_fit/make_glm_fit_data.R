# Reference data for crates/osteon-stats/src/glm_fit.rs.
# R 4.2.2 (Debian, reference BLAS/LAPACK 3.11), DESeq2 1.38.3.
# Run from this directory:  Rscript make_glm_fit_data.R
suppressPackageStartupMessages(library(DESeq2))
fmt <- function(x) sprintf("%.17g", x)

# DESeq2:::parametricDispersionFit, unrolled so that every outer iteration's
# glm() result is recorded (the loop body is copied verbatim).
trace_parametric_fit <- function(means, disps) {
  rows <- character()
  coefs <- c(0.1, 1)
  iter <- 0
  outcome <- tryCatch({
    while (TRUE) {
      residuals <- disps/(coefs[1] + coefs[2]/means)
      good <- which((residuals > 1e-04) & (residuals < 15))
      suppressWarnings({
        fit <- glm(disps[good] ~ I(1/means[good]), family = Gamma(link = "identity"),
                   start = coefs)
      })
      oldcoefs <- coefs
      coefs <- coefficients(fit)
      rows <- c(rows, paste("iteration", length(good), fit$iter, as.integer(fit$converged),
                            fmt(fit$deviance), fmt(coefs[1]), fmt(coefs[2])))
      if (!all(coefs > 0)) stop(simpleError("parametric dispersion fit failed"))
      if ((sum(log(coefs/oldcoefs)^2) < 1e-06) & fit$converged) break
      iter <- iter + 1
      if (iter > 10) stop(simpleError("dispersion fit did not converge"))
    }
    paste("trend", fmt(coefs[1]), fmt(coefs[2]))
  }, error = function(e) "trend failed")
  # Cross-check against DESeq2's own function.
  official <- tryCatch(attr(DESeq2:::parametricDispersionFit(means, disps), "coefficients"),
                       error = function(e) c(NA, NA))
  stopifnot(identical(unname(official), if (outcome == "trend failed") c(NA, NA) else
    as.numeric(strsplit(outcome, " ")[[1]][2:3])))
  c(rows, outcome)
}

write_case <- function(name, means, disps, extra = character()) {
  writeLines(c("# mean disp", paste(fmt(means), fmt(disps))), paste0(name, "_input.txt"))
  writeLines(c("# iteration n_good glm_iter glm_converged glm_deviance coef1 coef2",
               "# glm start_coef1 start_coef2 n glm_iter glm_converged glm_deviance coef1 coef2",
               "# trend coef1 coef2  |  trend failed",
               extra, trace_parametric_fit(means, disps)),
             paste0(name, "_expected.txt"))
}

single_glm <- function(means, disps, start) {
  fit <- suppressWarnings(glm(disps ~ I(1/means), family = Gamma(link = "identity"), start = start))
  paste("glm", fmt(start[1]), fmt(start[2]), length(disps), fit$iter, as.integer(fit$converged),
        fmt(fit$deviance), fmt(coef(fit)[1]), fmt(coef(fit)[2]))
}

# 1. Simulated DESeq2-like dispersions.
set.seed(20240601)
means <- exp(rnorm(2000, 4, 2))
disps <- (0.05 + 2/means) * exp(rnorm(2000, 0, 0.5))
write_case("sim2000", means, disps, single_glm(means, disps, c(0.1, 1)))

# 2. Real gene-wise estimates from DESeq2's example data set.
set.seed(42)
dds <- makeExampleDESeqDataSet(n = 3000, m = 8)
dds <- estimateSizeFactors(dds)
dds <- estimateDispersionsGeneEst(dds)
use <- !is.na(mcols(dds)$dispGeneEst) & mcols(dds)$dispGeneEst > 1e-6
means <- mcols(dds)$baseMean[use]
disps <- mcols(dds)$dispGeneEst[use]
write_case("deseq_example", means, disps, single_glm(means, disps, c(0.1, 1)))

# 3. dqrls (R's C_Cdqrls, as glm.fit calls it) on small matrices.
set.seed(7)
cdqrls_case <- function(label, x, y, tol = 1e-7) {
  fit <- .Call(stats:::C_Cdqrls, x, y, tol, FALSE)
  c(paste("case", label, nrow(x), ncol(x), fmt(tol)),
    paste("x", paste(fmt(as.vector(x)), collapse = " ")),
    paste("y", paste(fmt(y), collapse = " ")),
    paste("rank", fit$rank),
    paste("pivot", paste(fit$pivot, collapse = " ")),
    paste("qraux", paste(fmt(fit$qraux), collapse = " ")),
    paste("qr", paste(fmt(as.vector(fit$qr)), collapse = " ")),
    paste("coefficients", paste(fmt(fit$coefficients), collapse = " ")),
    paste("residuals", paste(fmt(fit$residuals), collapse = " ")),
    paste("effects", paste(fmt(fit$effects), collapse = " ")))
}
x1 <- cbind(1, 1/exp(rnorm(12, 3, 2)))
x2 <- matrix(rnorm(30), 10, 3)
x3 <- cbind(1, 1:8, 2 * (1:8), rnorm(8))          # column 3 aliased with column 2
x4 <- cbind(rnorm(6), 0, 1)                        # zero column
x5 <- matrix(rnorm(12), 3, 4)                      # p > n
x6 <- cbind(1, 1e-12 * rnorm(9) + 1)               # nearly collinear
x7 <- matrix(rnorm(1), 1, 1)                       # n = 1
lines <- c("# blocks of: case label n p tol / x (column-major) / y / rank / pivot / qraux / qr / coefficients / residuals / effects",
  cdqrls_case("gamma_design", x1, rnorm(12), 1e-11),
  cdqrls_case("gaussian3", x2, rnorm(10)),
  cdqrls_case("aliased", x3, rnorm(8)),
  cdqrls_case("zero_column", x4, rnorm(6)),
  cdqrls_case("wide", x5, rnorm(3)),
  cdqrls_case("near_collinear", x6, rnorm(9)),
  cdqrls_case("one_by_one", x7, rnorm(1)))
writeLines(lines, "dqrls_cases.txt")
