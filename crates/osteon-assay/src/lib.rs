//! Lab assays: qPCR relative expression and immunoassay standard curves.
//!
//! - [`qpcr`]: technical-replicate collapsing, ΔCt/ΔΔCt (Livak & Schmittgen
//!   2001), efficiency-corrected ratios (Pfaffl 2001; several reference genes
//!   as Hellemans et al. 2007), efficiencies from standard-curve dilution
//!   series, geNorm M and V (Vandesompele et al. 2002), and Welch/Student
//!   statistics on the ΔCt scale with fold-change confidence intervals.
//! - [`elisa`]: blank subtraction, 4PL/5PL standard curves fitted as
//!   `scipy.optimize.curve_fit(method = "lm")` fits them, back-calculated
//!   standards, LLOQ/ULOQ, and flagged interpolated concentrations.
//!
//! Nothing here reads files or prints: callers build the typed inputs
//! ([`qpcr::Reaction`], [`elisa::Well`]) and get result structs back. The two
//! modules are namespaces (`qpcr::Options`, `elisa::Options`) because their
//! option, result and error types would otherwise collide.

pub mod elisa;
pub mod qpcr;

/// `x` with `digits` significant digits in plain notation (scientific
/// outside 1e-4 ≤ |x| < 1e9), for messages and notes.
pub(crate) fn significant(x: f64, digits: usize) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    if x == 0.0 {
        return "0".into();
    }
    let magnitude = x.abs().log10().floor() as i32;
    if !(-4..9).contains(&magnitude) {
        return format!("{:.*e}", digits.saturating_sub(1), x);
    }
    let decimals = (digits as i32 - 1 - magnitude).max(0) as usize;
    let text = format!("{x:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}
