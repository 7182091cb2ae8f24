# Reference data for osteon-stats::locfit (R 4.2, locfit 1.5-9.7).
# Run from this directory:  Rscript make_locfit_reference.R
# Each set <name> gives three files, all numbers written with %.17g:
#   <name>_data.txt      x y w fit      (fit = predict(fit, data) at the data)
#   <name>_grid.txt      x fit          (a grid reaching past both ends)
#   <name>_vertices.txt  x value slope h (tree vertices: stored coefficients,
#                                        i.e. minus the parametric component)
# The fit is DESeq2's call: locfit(logDisps ~ logMeans, data = d, weights = means).
suppressMessages(library(locfit))
stopifnot(packageVersion("locfit") == "1.5.9.7")

fmt <- function(v) sprintf("%.17g", v)

write_set <- function(name, x, y, w, ...) {
  d <- data.frame(logDisps = y, logMeans = x)
  fit <- locfit(logDisps ~ logMeans, data = d, weights = w, ...)
  at_data <- predict(fit, d)
  grid <- seq(min(x) - 1, max(x) + 1, length.out = 101)
  at_grid <- predict(fit, data.frame(logMeans = grid))
  writeLines(c("x y w fit", paste(fmt(x), fmt(y), fmt(w), fmt(at_data))),
             paste0(name, "_data.txt"))
  writeLines(c("x fit", paste(fmt(grid), fmt(at_grid))),
             paste0(name, "_grid.txt"))
  nv <- fit$nvc["nv"]
  cf <- fit$eva$coef
  slope <- if (ncol(cf) > 1) cf[, 2] else rep(0, nv)
  writeLines(c("x value slope h",
               paste(fmt(fit$eva$xev[1:nv]), fmt(cf[, 1]), fmt(slope),
                     fmt(cf[, 3 * 1 + 7]))),
             paste0(name, "_vertices.txt"))
}

dispersion_like <- function(n, seed) {
  set.seed(seed)
  x <- runif(n, -1, 10)
  y <- log(0.05 + 1 / exp(x)) + rnorm(n, sd = 0.6)
  list(x = x, y = y, w = exp(x))
}

# (a) synthetic dispersion trends, unsorted (general neighbourhood search)
s <- dispersion_like(500, 1);  write_set("disp500", s$x, s$y, s$w)
s <- dispersion_like(3000, 2); write_set("disp3000", s$x, s$y, s$w)

# sorted input takes locfit's ordered neighbourhood search (nbhd1)
s <- dispersion_like(300, 3); o <- order(s$x)
write_set("sorted300", s$x[o], s$y[o], s$w[o])

# (b) ties in x: unsorted and sorted
set.seed(4)
x <- round(runif(400, -1, 10), 1)
y <- log(0.05 + 1 / exp(x)) + rnorm(400, sd = 0.6)
write_set("ties400", x, y, exp(x))
o <- order(x)
write_set("ties400sorted", x[o], y[o], exp(x[o]))

# heavy ties: most points share one x, so some windows shrink to it
set.seed(5)
x <- c(rep(2, 60), runif(40, 0, 5))
y <- 1 + 0.3 * x + rnorm(100, sd = 0.2)
write_set("heavyties100", x, y, rep(1, 100))

# DESeq2's own inputs: gene-wise dispersion estimates of an example data set,
# filtered as localDispersionFit does (disps >= 10 * minDisp).
suppressMessages(library(DESeq2))
set.seed(6)
dds <- makeExampleDESeqDataSet(n = 1500, m = 6)
dds <- estimateSizeFactors(dds)
dds <- estimateDispersionsGeneEst(dds)
keep <- !mcols(dds)$allZero & mcols(dds)$dispGeneEst >= 1e-7
means <- mcols(dds)$baseMean[keep]
disps <- mcols(dds)$dispGeneEst[keep]
write_set("deseq1500", log(means), log(disps), means)

# non-default options
s <- dispersion_like(500, 1)
write_set("disp500_alpha03", s$x, s$y, s$w, alpha = 0.3)
write_set("disp500_alpha15_deg1", s$x, s$y, s$w, alpha = 1.5, deg = 1)
write_set("disp500_deg0_cut05", s$x, s$y, s$w, deg = 0, ev = rbox(cut = 0.5))
write_set("disp500_deg3", s$x, s$y, s$w, deg = 3)

# tiny data: windows with a single point, windows with no point
write_set("tiny3", c(1, 2, 3), c(1, 2, 3.5), c(1, 1, 1))
write_set("tiny6sorted", 1:6, c(1, 2, 3, 4, 5, 7), c(1, 2, 1, 2, 1, 2))
