# Reference data for osteon-stats::spline (R 4.2 stats::splinefun, method "fmm").
# Run from this directory:  Rscript make_spline_reference.R
# For each set <name>:
#   <name>_input.txt  x y                      (as passed to splinefun, unsorted)
#   <name>_eval.txt   u f f_single d1 d2 d3    f = f(u) in one vectorised call,
#                     f_single = sapply(u, f), dk = f(u, deriv = k) vectorised
# mean_reference.txt: one vector per line, "mean v1 v2 ...", mean = mean(v).
# All numbers are written with %.17g.
fmt <- function(v) sprintf("%.17g", v)

write_set <- function(name, x, y, u) {
  f <- suppressWarnings(splinefun(x, y, method = "fmm"))
  writeLines(c("x y", paste(fmt(x), fmt(y))), paste0(name, "_input.txt"))
  writeLines(c("u f f_single d1 d2 d3",
               paste(fmt(u), fmt(f(u)), fmt(sapply(u, f)), fmt(f(u, deriv = 1)),
                     fmt(f(u, deriv = 2)), fmt(f(u, deriv = 3)))),
             paste0(name, "_eval.txt"))
}

# DESeq2's local VST integral (getVarianceStabilizedData, fitType "local"),
# with a smooth stand-in for the dispersion function.
disp <- function(m) 0.05 + 1 / (m + 0.5)
xg <- sinh(seq(asinh(0), asinh(20000), length.out = 1000))[-1]
xim <- 0.8
base_var <- disp(xg) * xg^2 + xim * xg
integrand <- 1 / sqrt(base_var)
kx <- asinh((xg[-1] + xg[-length(xg)]) / 2)
ky <- cumsum((xg[-1] - xg[-length(xg)]) * (integrand[-1] + integrand[-length(integrand)]) / 2)
set.seed(11)
counts <- c(0, 1, 2, 5, 17, 250, 19999, 20000, 25000, rnbinom(200, mu = 300, size = 2))
write_set("vst", kx, ky, asinh(counts))

# unsorted with ties, evaluated at knots (ascending then descending, so the
# interval search state matters), between knots and outside the range
set.seed(12)
x <- round(runif(60, 0, 10), 1)
y <- sin(x) + rnorm(60, sd = 0.1)
ux <- sort(unique(x))
u <- c(ux, rev(ux), seq(-2, 12, by = 0.37), ux[2], ux[2], ux[1])
write_set("ties", x, y, u)

# tiny sets: 1, 2, 3 and 4 knots
write_set("n1", 3, 1.5, c(-1, 3, 4))
write_set("n2", c(2, 1), c(0.5, 3), c(0, 1, 1.5, 2, 3))
write_set("n3", c(0, 1, 3), c(1, -1, 2), seq(-1, 4, by = 0.25))
write_set("n4", c(0, 1, 3, 3.5), c(1, -1, 2, 2.2), seq(-1, 4.5, by = 0.25))

# R's mean() (long-double accumulation) on awkward vectors
set.seed(13)
lines <- character(0)
for (k in 1:300) {
  len <- sample(2:12, 1)
  v <- rnorm(len) * 10^runif(len, -8, 8)
  if (k %% 3 == 0) v <- c(v, -v[1] * (1 + 1e-12))
  if (k %% 5 == 0) v <- rep(0.1, len) + (0:(len - 1)) * 0.2
  lines <- c(lines, paste(fmt(mean(v)), paste(fmt(v), collapse = " ")))
}
lines <- c(lines, paste(fmt(mean(c(0.1, 0.2, 0.3))), fmt(0.1), fmt(0.2), fmt(0.3)))
lines <- c(lines, paste(fmt(mean(c(1e308, 1e308, -1e308))), fmt(1e308), fmt(1e308), fmt(-1e308)))
lines <- c(lines, paste(fmt(mean(c(1.7e308, 1.7e308))), fmt(1.7e308), fmt(1.7e308)))
lines <- c(lines, paste(fmt(mean(c(5e-324, 0, 5e-324))), fmt(5e-324), fmt(0), fmt(5e-324)))
writeLines(lines, "mean_reference.txt")
