# Reference outputs for `osteon survival`, from R's survival and cmprsk.
#
# Run from the repository root:
#   Rscript crates/osteon-cli/tests/golden/survival/make_goldens.R
#
# 1. Exports the `mgus2` and `myeloid` data sets that ship with the survival
#    package to examples/survival/ (plus derived competing-risk columns, see
#    examples/survival/README.md), and writes the small hand-checkable case
#    tiny.csv next to this script.
# 2. Re-reads those CSV files (so R and osteon see the same input) and writes,
#    for each case below, the tables osteon writes, computed by survfit,
#    survdiff, coxph and cmprsk::cuminc, with 17 significant digits.
#
# Each case's osteon command line is in cases.tsv; the R calls are below.

suppressPackageStartupMessages({
  library(survival)
  library(cmprsk)
})
stopifnot(packageVersion("survival") == "3.5.3", packageVersion("cmprsk") == "2.2.11")

golden <- "crates/osteon-cli/tests/golden/survival"
examples <- "examples/survival"
dir.create(examples, showWarnings = FALSE, recursive = TRUE)

# ---- 1. data ----------------------------------------------------------------
m <- survival::mgus2
# Time to the first of progression (pcm) or death, and which came first:
# 0 = censored, 1 = progression to plasma-cell malignancy, 2 = death without
# progression (as in the survival package's "compete" vignette).
m$etime <- ifelse(m$pstat == 0, m$futime, m$ptime)
m$event <- ifelse(m$pstat == 0, 2 * m$death, 1)
write.csv(m, file.path(examples, "mgus2.csv"), row.names = FALSE)

y <- survival::myeloid
# Time to relapse, with death before relapse as the competing event:
# 0 = censored, 1 = relapse, 2 = death without relapse.
y$rtime <- ifelse(is.na(y$rltime), y$futime, y$rltime)
y$rstat <- ifelse(is.na(y$rltime), 2 * y$death, 1)
write.csv(y, file.path(examples, "myeloid.csv"), row.names = FALSE)

tiny <- data.frame(
  id = 1:12,
  time = c(1, 2, 2, 3, 4, 4, 5, 6, 6, 7, 8, 9),
  status = c(1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1),
  g = c(1, 2, 1, 3, 1, 2, 3, 2, 3, 1, 3, 2),
  x = c(0.5, 1.2, -0.3, 2.1, 0.8, 1.1, 0.0, 1.9, 2.5, -1.0, 1.4, 0.7),
  cs = c(1, 2, 0, 1, 1, 2, 0, 2, 1, 0, 1, 2)
)
write.csv(tiny, file.path(golden, "tiny.csv"), row.names = FALSE)

# ---- 2. reference tables ------------------------------------------------------
num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
write_tsv <- function(df, path) {
  out <- lapply(df, function(col) if (is.numeric(col)) num(col) else as.character(col))
  out <- as.data.frame(out, check.names = FALSE, stringsAsFactors = FALSE)
  write.table(out, path, sep = "\t", quote = FALSE, row.names = FALSE, col.names = TRUE)
}
strata_of <- function(fit) {
  if (is.null(fit$strata)) rep("all", length(fit$time)) else rep(names(fit$strata), fit$strata)
}

km_tables <- function(fit, dir) {
  s <- summary(fit, censored = TRUE)
  write_tsv(data.frame(strata = strata_of(fit), time = fit$time, n.risk = fit$n.risk,
                       n.event = fit$n.event, n.censor = fit$n.censor, surv = fit$surv,
                       std.err = fit$surv * fit$std.err, lower = fit$lower, upper = fit$upper,
                       check.names = FALSE), file.path(dir, "km.tsv"))
  tab <- summary(fit)$table
  if (is.null(dim(tab))) tab <- t(as.matrix(tab))
  lev <- if (is.null(fit$strata)) "all" else names(fit$strata)
  write_tsv(data.frame(strata = lev, n = tab[, "records"], events = tab[, "events"],
                       median = tab[, "median"], lower = tab[, grep("LCL", colnames(tab))],
                       upper = tab[, grep("UCL", colnames(tab))], check.names = FALSE),
            file.path(dir, "medians.tsv"))
}

logrank_tables <- function(sd, dir, rho = 0, trend = FALSE) {
  df <- length(sd$n) - 1
  name <- if (rho == 0) "log-rank" else paste0("G-rho rho=", rho)
  tests <- data.frame(test = name, chisq = sd$chisq, df = df,
                      pvalue = pchisq(sd$chisq, df, lower.tail = FALSE))
  obs <- if (is.matrix(sd$obs)) rowSums(sd$obs) else sd$obs
  ex <- if (is.matrix(sd$exp)) rowSums(sd$exp) else sd$exp
  if (trend) {
    # Test for trend: scores 1..k, U = sum(w (O - E)), Var U = w' V w.
    w <- seq_along(obs)
    u <- sum(w * (obs - ex))
    v <- c(t(w) %*% sd$var %*% w)
    tests <- rbind(tests, data.frame(test = "trend", chisq = u^2 / v, df = 1,
                                     pvalue = pchisq(u^2 / v, 1, lower.tail = FALSE)))
  }
  write_tsv(tests, file.path(dir, "logrank.tsv"))
  write_tsv(data.frame(group = names(sd$n), n = as.vector(sd$n), observed = obs, expected = ex,
                       `(O-E)^2/E` = (obs - ex)^2 / ex,
                       `(O-E)^2/V` = (obs - ex)^2 / diag(sd$var), check.names = FALSE),
            file.path(dir, "logrank_groups.tsv"))
}

cox_tables <- function(fit, dir) {
  s <- summary(fit)
  cf <- s$coefficients
  ci <- s$conf.int
  write_tsv(data.frame(term = rownames(cf), coef = cf[, "coef"], hr = cf[, "exp(coef)"],
                       se = cf[, "se(coef)"], z = cf[, "z"], p = cf[, "Pr(>|z|)"],
                       lower = ci[, 3], upper = ci[, 4]), file.path(dir, "cox.tsv"))
  df <- sum(!is.na(coef(fit)))
  write_tsv(data.frame(test = c("likelihood_ratio", "wald", "score"),
                       statistic = c(s$logtest[["test"]], fit$wald.test, fit$score),
                       df = df,
                       pvalue = c(s$logtest[["pvalue"]], s$waldtest[["pvalue"]], s$sctest[["pvalue"]])),
            file.path(dir, "cox_tests.tsv"))
}

cif_tables <- function(fit, cause, dir) {
  k <- match(as.character(cause), fit$states)
  write_tsv(data.frame(strata = strata_of(fit), time = fit$time, cause = cause,
                       n.risk = fit$n.risk[, 1], n.event = fit$n.event[, k], cif = fit$pstate[, k],
                       std.err = fit$std.err[, k], lower = fit$lower[, k], upper = fit$upper[, k],
                       check.names = FALSE), file.path(dir, "cif.tsv"))
}

gray_table <- function(ci, dir) {
  t <- ci$Tests
  write_tsv(data.frame(cause = rownames(t), stat = t[, "stat"], df = t[, "df"], pvalue = t[, "pv"]),
            file.path(dir, "gray.tsv"))
}

case_dir <- function(name) {
  d <- file.path(golden, name)
  dir.create(d, showWarnings = FALSE)
  d
}

m <- read.csv(file.path(examples, "mgus2.csv"))
y <- read.csv(file.path(examples, "myeloid.csv"))
tiny <- read.csv(file.path(golden, "tiny.csv"))
tiny$g <- factor(tiny$g)  # osteon: --factor g

# mgus2: overall survival by sex; Cox on age + sex + hgb (13 rows lack hgb).
d <- case_dir("mgus2_death")
km_tables(survfit(Surv(futime, death) ~ sex, m, conf.type = "log-log"), d)
logrank_tables(survdiff(Surv(futime, death) ~ sex, m), d)
cox_tables(coxph(Surv(futime, death) ~ age + sex + hgb, m), d)

# mgus2: progression with death as a competing risk. KM, log-rank and Cox
# are cause-specific (death censors); CIF by Aalen-Johansen; Gray's test.
d <- case_dir("mgus2_pcm")
km_tables(survfit(Surv(etime, event == 1) ~ sex, m, conf.type = "log"), d)
logrank_tables(survdiff(Surv(etime, event == 1) ~ sex, m), d)
cox_tables(coxph(Surv(etime, event == 1) ~ age + sex + mspike, m), d)
cif_tables(survfit(Surv(etime, factor(event)) ~ sex, m), 1, d)
gray_table(cuminc(m$etime, m$event, m$sex), d)

# myeloid: survival by treatment arm, stratified by sex, G-rho with rho = 1.
d <- case_dir("myeloid")
km_tables(survfit(Surv(futime, death) ~ trt, y, conf.type = "plain"), d)
logrank_tables(survdiff(Surv(futime, death) ~ trt + strata(sex), y, rho = 1), d, rho = 1)
cox_tables(coxph(Surv(futime, death) ~ trt + strata(sex), y), d)

# myeloid: relapse with death before relapse competing; Breslow ties.
d <- case_dir("myeloid_relapse")
km_tables(survfit(Surv(rtime, rstat == 1) ~ trt, y, conf.type = "log-log"), d)
logrank_tables(survdiff(Surv(rtime, rstat == 1) ~ trt, y), d)
cox_tables(coxph(Surv(rtime, rstat == 1) ~ trt + sex, y, ties = "breslow"), d)
cif_tables(survfit(Surv(rtime, factor(rstat)) ~ trt, y), 1, d)
gray_table(cuminc(y$rtime, y$rstat, y$trt), d)

# tiny: 12 rows, tied event and censoring times, three ordered groups.
d <- case_dir("tiny")
km_tables(survfit(Surv(time, status) ~ g, tiny, conf.type = "arcsin"), d)
logrank_tables(survdiff(Surv(time, status) ~ g, tiny), d, trend = TRUE)
cox_tables(coxph(Surv(time, status) ~ x + g, tiny), d)

# tiny_cr: the same rows with two competing causes (cs), no groups.
d <- case_dir("tiny_cr")
km_tables(survfit(Surv(time, cs == 2) ~ 1, tiny, conf.type = "log-log"), d)
cox_tables(coxph(Surv(time, cs == 2) ~ x, tiny), d)
cif_tables(survfit(Surv(time, factor(cs)) ~ 1, tiny), 2, d)
