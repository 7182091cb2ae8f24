#!/usr/bin/env Rscript
# Reference numbers for `osteon compare` (crates/osteon-cli/tests/compare_cli.rs).
#
# Run from this folder:  Rscript make_golden.R
# Tool: R 4.2.2 (stats only; no add-on packages). Every dataset is simulated
# here with a fixed seed and written next to this script as <case>.csv; the
# reference values go to <case>.ref.tsv (key, value with 17 significant
# digits, relative tolerance), and cases.tsv lists the osteon arguments of
# each case. Keys name an osteon output cell:
#   tests.<test>.<column>            tests.tsv row <test>
#   desc.<group>.<column>            descriptives.tsv
#   posthoc.<method>.<g1>|<g2>.<col> posthoc.tsv
#   prop.<group>.<column>            proportions.tsv
#   table.<group>|<level>.expected   contingency.tsv
# A value NA means osteon must write NA (a test not computable on the data).
# Where R has no function (Hedges' g, rank-biserial r, epsilon^2, Cramer's V,
# Dunn's test) the formula is written out below; see the crate docs for
# the references.
options(warn = 1)
out <- list()
key <- function(k, v, tol = 1e-9) {
  val <- if (is.character(v)) v else if (is.na(v)) "NA" else sprintf("%.17g", v)
  out[[length(out) + 1]] <<- data.frame(key = k, value = val, tol = tol)
}
flush_case <- function(case) {
  d <- do.call(rbind, out)
  write.table(d, paste0(case, ".ref.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)
  out <<- list()
}
cases <- data.frame(case = character(), data = character(), args = character())
add_case <- function(case, data, args) cases[nrow(cases) + 1, ] <<- list(case, paste0(data, ".csv"), args)

describe <- function(x, name) {
  key(paste0("desc.", name, ".n"), length(x))
  key(paste0("desc.", name, ".mean"), mean(x), 1e-14)
  key(paste0("desc.", name, ".sd"), if (length(x) > 1) sd(x) else NA, 1e-14)
  key(paste0("desc.", name, ".median"), median(x), 1e-14)
  key(paste0("desc.", name, ".q1"), unname(quantile(x, 0.25)), 1e-14)
  key(paste0("desc.", name, ".q3"), unname(quantile(x, 0.75)), 1e-14)
  key(paste0("desc.", name, ".min"), min(x))
  key(paste0("desc.", name, ".max"), max(x))
}

hedges <- function(x, y, alternative = "two.sided", conf.level = 0.95) {
  nx <- length(x); ny <- length(y); df <- nx + ny - 2
  ss <- function(v) if (length(v) > 1) (length(v) - 1) * var(v) else 0  # as t.test pools
  sp <- sqrt((ss(x) + ss(y)) / df)
  J <- exp(lgamma(df / 2) - log(sqrt(df / 2)) - lgamma((df - 1) / 2))
  g <- (mean(x) - mean(y)) / sp * J
  se <- sqrt((nx + ny) / (nx * ny) + g^2 / (2 * (nx + ny)))
  ci <- switch(alternative,
    two.sided = g + c(-1, 1) * qnorm((1 + conf.level) / 2) * se,
    less = c(-Inf, g + qnorm(conf.level) * se),
    greater = c(g - qnorm(conf.level) * se, Inf))
  c(g, ci)
}

# Two-sided interval of eta^2 by inverting the noncentral F (Steiger 2004),
# mapped as effectsize::eta_squared(alternative = "two.sided"): ncp / (ncp + df2).
# Both sides solve with uniroot(tol = 1e-10), hence the 1e-8 tolerance.
eta_ci <- function(f, df1, df2, conf.level) {
  alpha <- 1 - conf.level
  p0 <- pf(f, df1, df2, ncp = 0)
  lim <- function(target) {
    if (p0 <= target) return(0)
    up <- max(f * df1, 10)
    while (pf(f, df1, df2, ncp = up) > target) up <- up * 2
    uniroot(function(l) pf(f, df1, df2, ncp = l) - target, c(0, up), tol = 1e-10)$root
  }
  l <- c(lim(1 - alpha / 2), lim(alpha / 2))
  l / (l + df2)
}

two_group <- function(x, y, alternative = "two.sided", conf.level = 0.95, correct = TRUE, welch_ok = TRUE) {
  for (v in c(FALSE, TRUE)) {
    id <- if (v) "student" else "welch"
    if (!v && !welch_ok) {
      key("tests.welch.pvalue", NA)
      next
    }
    t <- t.test(x, y, var.equal = v, alternative = alternative, conf.level = conf.level)
    key(paste0("tests.", id, ".variant"), sub("^ +", "", t$method))
    key(paste0("tests.", id, ".statistic"), t$statistic)
    key(paste0("tests.", id, ".df"), t$parameter)
    key(paste0("tests.", id, ".pvalue"), t$p.value)
    key(paste0("tests.", id, ".effect_estimate"), t$estimate[1] - t$estimate[2])
    key(paste0("tests.", id, ".effect_lower"), t$conf.int[1])
    key(paste0("tests.", id, ".effect_upper"), t$conf.int[2])
    h <- hedges(x, y, alternative, conf.level)
    key(paste0("tests.", id, ".std_effect_estimate"), h[1])
    key(paste0("tests.", id, ".std_effect_lower"), h[2])
    key(paste0("tests.", id, ".std_effect_upper"), h[3])
  }
  w <- suppressWarnings(wilcox.test(x, y, alternative = alternative, conf.int = TRUE,
                                    conf.level = conf.level, correct = correct))
  key("tests.wilcoxon.variant", w$method)
  key("tests.wilcoxon.statistic", w$statistic)
  key("tests.wilcoxon.pvalue", w$p.value)
  key("tests.wilcoxon.effect_estimate", w$estimate)
  key("tests.wilcoxon.effect_lower", w$conf.int[1])
  key("tests.wilcoxon.effect_upper", w$conf.int[2])
  key("tests.wilcoxon.conf_level", attr(w$conf.int, "conf.level"))
  key("tests.wilcoxon.std_effect_estimate", 2 * w$statistic / (length(x) * length(y)) - 1)
  describe(x, "A"); describe(y, "B")
}

k_group <- function(values, groups, adjust = "holm", conf.level = 0.95) {
  d <- data.frame(v = values, g = groups)
  fit <- aov(v ~ g, d)
  s <- summary(fit)[[1]]
  key("tests.anova.statistic", s$`F value`[1])
  key("tests.anova.df", s$Df[1])
  key("tests.anova.df2", s$Df[2])
  key("tests.anova.pvalue", s$`Pr(>F)`[1])
  key("tests.anova.effect_estimate", s$`Sum Sq`[1] / sum(s$`Sum Sq`))
  ci <- eta_ci(s$`F value`[1], s$Df[1], s$Df[2], conf.level)
  key("tests.anova.effect_lower", ci[1], 1e-8)
  key("tests.anova.effect_upper", ci[2], 1e-8)
  tk <- TukeyHSD(fit, conf.level = conf.level)$g
  for (i in seq_len(nrow(tk))) {
    pair <- strsplit(rownames(tk)[i], "-")[[1]]
    p <- paste0("posthoc.tukey.", pair[1], "|", pair[2], ".")
    key(paste0(p, "estimate"), tk[i, "diff"], 1e-12)
    key(paste0(p, "lower"), tk[i, "lwr"], 1e-12)
    key(paste0(p, "upper"), tk[i, "upr"], 1e-12)
    key(paste0(p, "padj"), tk[i, "p adj"], 1e-10)
  }
  k <- kruskal.test(v ~ g, d)
  n <- length(values)
  key("tests.kruskal.variant", k$method)
  key("tests.kruskal.statistic", k$statistic)
  key("tests.kruskal.df", k$parameter)
  key("tests.kruskal.pvalue", k$p.value)
  key("tests.kruskal.effect_estimate", k$statistic / ((n^2 - 1) / (n + 1)))
  # Dunn (1964) with the tie-corrected variance, as FSA::dunnTest / dunn.test
  r <- rank(values)
  lev <- levels(groups)
  mr <- tapply(r, groups, mean); ng <- tapply(r, groups, length)
  ties <- table(values)
  s2 <- n * (n + 1) / 12 - sum(ties^3 - ties) / (12 * (n - 1))
  pairs <- combn(length(lev), 2)
  z <- p <- numeric(ncol(pairs))
  for (j in seq_len(ncol(pairs))) {
    a <- pairs[1, j]; b <- pairs[2, j]
    z[j] <- (mr[a] - mr[b]) / sqrt(s2 * (1 / ng[a] + 1 / ng[b]))
    p[j] <- 2 * pnorm(abs(z[j]), lower.tail = FALSE)
  }
  padj <- p.adjust(p, adjust)
  for (j in seq_len(ncol(pairs))) {
    pre <- paste0("posthoc.dunn.", lev[pairs[1, j]], "|", lev[pairs[2, j]], ".")
    key(paste0(pre, "estimate"), mr[pairs[1, j]] - mr[pairs[2, j]], 1e-12)
    key(paste0(pre, "statistic"), z[j], 1e-12)
    key(paste0(pre, "pvalue"), p[j], 1e-12)
    key(paste0(pre, "padj"), padj[j], 1e-12)
  }
  for (l in lev) describe(values[groups == l], l)
}

write_numeric <- function(case, values, groups) {
  write.csv(data.frame(sample = sprintf("S%02d", seq_along(values)), group = groups,
                       value = sprintf("%.10g", values)),
            paste0(case, ".csv"), row.names = FALSE, quote = FALSE)
}

# 1. n = 3 vs 9, no ties: exact Wilcoxon p and exact Hodges-Lehmann interval
set.seed(2024)
x <- round(rnorm(3, 42, 6), 2); y <- round(rnorm(9, 30, 8), 2)
x <- as.numeric(sprintf("%.10g", x)); y <- as.numeric(sprintf("%.10g", y))
stopifnot(!anyDuplicated(c(x, y)))
write_numeric("n3_vs_9", c(x, y), rep(c("A", "B"), c(3, 9)))
two_group(x, y); flush_case("n3_vs_9")
add_case("n3_vs_9", "n3_vs_9", "--value value --group group --groups A,B")

# 1b. the same data, one-sided with a 90% level
two_group(x, y, alternative = "less", conf.level = 0.9)
flush_case("n3_vs_9_less")
add_case("n3_vs_9_less", "n3_vs_9", "--value value --group group --groups A,B --alternative less --conf-level 0.9")

# 2. tied values (whole numbers): normal approximation with continuity
#    correction; the interval and estimate come from uniroot
set.seed(7)
x <- round(rnorm(8, 10, 2), 0); y <- round(rnorm(10, 12, 2), 0)
write_numeric("ties_8_vs_10", c(x, y), rep(c("A", "B"), c(8, 10)))
two_group(x, y); flush_case("ties_8_vs_10")
add_case("ties_8_vs_10", "ties_8_vs_10", "--value value --group group --groups A,B")

# 2b. the same without continuity correction
two_group(x, y, correct = FALSE)
flush_case("ties_8_vs_10_nocorrect")
add_case("ties_8_vs_10_nocorrect", "ties_8_vs_10", "--value value --group group --groups A,B --correct false")

# 3. n >= 50 without ties: normal approximation, uniroot interval
set.seed(11)
x <- signif(rlnorm(60, 5, 0.4), 8); y <- signif(rlnorm(55, 4.8, 0.5), 8)
stopifnot(!anyDuplicated(c(x, y)))
write_numeric("large_60_vs_55", c(x, y), rep(c("A", "B"), c(60, 55)))
two_group(x, y); flush_case("large_60_vs_55")
add_case("large_60_vs_55", "large_60_vs_55", "--value value --group group --groups A,B")

# 4. three unbalanced groups with ties: ANOVA + Tukey, Kruskal-Wallis + Dunn
set.seed(3)
g <- factor(rep(c("ctrl", "low", "high"), c(4, 9, 6)), levels = c("ctrl", "low", "high"))
v <- round(c(rnorm(4, 5, 1), rnorm(9, 6, 1.2), rnorm(6, 7.5, 1)), 1)
write_numeric("three_groups", v, as.character(g))
k_group(v, g); flush_case("three_groups")
add_case("three_groups", "three_groups", "--value value --group group --groups ctrl,low,high")

# 5. four groups, Bonferroni-adjusted Dunn, 99% Tukey intervals
set.seed(5)
g <- factor(rep(c("G1", "G2", "G3", "G4"), c(5, 5, 7, 3)))
v <- signif(c(rnorm(5, 20, 3), rnorm(5, 24, 3), rnorm(7, 19, 4), rnorm(3, 30, 2)), 6)
write_numeric("four_groups", v, as.character(g))
k_group(v, g, adjust = "bonferroni", conf.level = 0.99); flush_case("four_groups")
add_case("four_groups", "four_groups", "--value value --group group --adjust bonferroni --conf-level 0.99")

# 6. a group with one member: Welch's t is not computable (row says why),
#    Student's t and the exact Wilcoxon test are
x <- c(12.5, 9.75, 14.25, 11.0, 13.5); y <- 20.25
write_numeric("one_member", c(x, y), rep(c("A", "B"), c(5, 1)))
two_group(x, y, welch_ok = FALSE); flush_case("one_member")
add_case("one_member", "one_member", "--value value --group group --groups A,B")

# Categorical cases -------------------------------------------------------
write_categorical <- function(case, group, outcome) {
  write.csv(data.frame(lesion = sprintf("L%03d", seq_along(group)), group = group,
                       outcome = outcome), paste0(case, ".csv"), row.names = FALSE, quote = FALSE)
}
proportions <- function(tab, event, correct = TRUE) {
  for (g in rownames(tab)) {
    x <- tab[g, event]; n <- sum(tab[g, ])
    w <- prop.test(x, n, correct = correct)$conf.int
    b <- binom.test(x, n)$conf.int
    key(paste0("prop.", g, ".proportion"), x / n)
    key(paste0("prop.", g, ".wilson_lower"), w[1]); key(paste0("prop.", g, ".wilson_upper"), w[2])
    key(paste0("prop.", g, ".cp_lower"), b[1]); key(paste0("prop.", g, ".cp_upper"), b[2])
  }
}
contingency <- function(tab, correct = TRUE) {
  f <- fisher.test(tab)
  key("tests.fisher.pvalue", f$p.value)
  if (all(dim(tab) == 2)) {
    key("tests.fisher.effect_estimate", f$estimate)
    key("tests.fisher.effect_lower", f$conf.int[1])
    key("tests.fisher.effect_upper", f$conf.int[2])
  }
  c2 <- suppressWarnings(chisq.test(tab, correct = correct))
  c0 <- suppressWarnings(chisq.test(tab, correct = FALSE))
  key("tests.chisq.variant", c2$method)
  key("tests.chisq.statistic", c2$statistic)
  key("tests.chisq.df", c2$parameter)
  key("tests.chisq.pvalue", c2$p.value)
  key("tests.chisq.effect_estimate", sqrt(c0$statistic / (sum(tab) * (min(dim(tab)) - 1))))
  for (g in rownames(tab)) for (l in colnames(tab))
    key(paste0("table.", g, "|", l, ".expected"), c2$expected[g, l])
}

# 7. 2 x 2: skeletal-related events in sclerotic vs lytic lesions
group <- rep(c("lytic", "sclerotic"), c(16, 14))
sre <- c(rep(c("yes", "no"), c(9, 7)), rep(c("yes", "no"), c(2, 12)))
write_categorical("sre_2x2", group, sre)
tab <- table(factor(group, levels = c("lytic", "sclerotic")), factor(sre, levels = c("yes", "no")))
contingency(tab)
p <- prop.test(tab[, "yes"], rowSums(tab))
key("tests.prop.variant", p$method)
key("tests.prop.statistic", p$statistic)
key("tests.prop.pvalue", p$p.value)
key("tests.prop.effect_estimate", p$estimate[1] - p$estimate[2])
key("tests.prop.effect_lower", p$conf.int[1])
key("tests.prop.effect_upper", p$conf.int[2])
proportions(tab, "yes")
flush_case("sre_2x2")
add_case("sre_2x2", "sre_2x2", "--outcome outcome --group group")

# 7b. the same, one-sided Fisher (odds of SRE greater in lytic lesions)
f <- fisher.test(tab, alternative = "greater")
key("tests.fisher.pvalue", f$p.value)
key("tests.fisher.effect_estimate", f$estimate)
key("tests.fisher.effect_lower", f$conf.int[1])
key("tests.fisher.effect_upper", f$conf.int[2])
flush_case("sre_2x2_greater")
add_case("sre_2x2_greater", "sre_2x2", "--outcome outcome --group group --test fisher --alternative greater")

# 8. 3 x 3: response category by treatment arm (small expected counts)
set.seed(9)
arm <- rep(c("ASCT", "thalidomide", "watch"), c(12, 10, 8))
resp <- c(sample(c("CR", "PR", "SD"), 12, TRUE, c(0.5, 0.3, 0.2)),
          sample(c("CR", "PR", "SD"), 10, TRUE, c(0.2, 0.4, 0.4)),
          sample(c("CR", "PR", "SD"), 8, TRUE, c(0.1, 0.2, 0.7)))
write_categorical("response_3x3", arm, resp)
tab <- table(factor(arm), factor(resp))
contingency(tab)
proportions(tab, "CR")
flush_case("response_3x3")
add_case("response_3x3", "response_3x3", "--outcome outcome --group group --event CR")

write.table(cases, "cases.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
