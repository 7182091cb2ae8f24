//! Two-sample t tests as R's `t.test(x, y, var.equal = …, conf.level = …)`
//! (R 4.2 `stats:::t.test.default`): Welch's test with the
//! Welch–Satterthwaite degrees of freedom, or Student's with the pooled
//! variance; two-sided p-value and confidence interval of `mean(x) −
//! mean(y)`.

use osteon_stats::distributions::{pt, qt};
use osteon_stats::summary;

/// Welch or Student.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TTest {
    /// Unequal variances (R's default, `var.equal = FALSE`).
    #[default]
    Welch,
    /// Pooled variance (`var.equal = TRUE`).
    Student,
}

impl TTest {
    /// `"welch"` or `"student"`.
    pub fn label(self) -> &'static str {
        match self {
            TTest::Welch => "welch",
            TTest::Student => "student",
        }
    }

    /// `"Welch"` or `"Student"`, for messages.
    pub fn name(self) -> &'static str {
        match self {
            TTest::Welch => "Welch",
            TTest::Student => "Student",
        }
    }
}

/// The result of [`two_sample`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TwoSample {
    /// `mean(x) − mean(y)`.
    pub estimate: f64,
    /// Standard error of the difference.
    pub standard_error: f64,
    /// t statistic.
    pub statistic: f64,
    /// Degrees of freedom.
    pub df: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// Confidence interval of the difference.
    pub lower: f64,
    pub upper: f64,
}

/// `t.test(x, y, var.equal = (test == Student), conf.level = level)`, or the
/// reason R would stop (too few observations, essentially constant data).
pub fn two_sample(x: &[f64], y: &[f64], test: TTest, level: f64) -> Result<TwoSample, String> {
    let (nx, ny) = (x.len() as f64, y.len() as f64);
    let needed = match test {
        TTest::Welch => x.len() < 2 || y.len() < 2,
        TTest::Student => x.is_empty() || y.is_empty() || x.len() + y.len() < 3,
    };
    if needed {
        return Err(format!(
            "not enough observations for a {} t test (n = {} vs {})",
            test.name(),
            x.len(),
            y.len()
        ));
    }
    let (mx, my) = (summary::mean(x), summary::mean(y));
    let (vx, vy) = (summary::var(x), summary::var(y));
    let (standard_error, df) = match test {
        TTest::Student => {
            let df = nx + ny - 2.0;
            let mut v = 0.0;
            if x.len() > 1 {
                v += (nx - 1.0) * vx;
            }
            if y.len() > 1 {
                v += (ny - 1.0) * vy;
            }
            v /= df;
            ((v * (1.0 / nx + 1.0 / ny)).sqrt(), df)
        }
        TTest::Welch => {
            let sx = (vx / nx).sqrt();
            let sy = (vy / ny).sqrt();
            let se = (sx * sx + sy * sy).sqrt();
            let df = se.powi(4) / (sx.powi(4) / (nx - 1.0) + sy.powi(4) / (ny - 1.0));
            (se, df)
        }
    };
    if standard_error < 10.0 * f64::EPSILON * mx.abs().max(my.abs()) || standard_error == 0.0 {
        return Err("the data are essentially constant (standard error 0)".into());
    }
    let statistic = (mx - my) / standard_error;
    let p_value = 2.0 * pt(-statistic.abs(), df, true, false);
    let alpha = 1.0 - level;
    let q = qt(1.0 - alpha / 2.0, df, true, false);
    Ok(TwoSample {
        estimate: mx - my,
        standard_error,
        statistic,
        df,
        p_value,
        lower: (statistic - q) * standard_error,
        upper: (statistic + q) * standard_error,
    })
}
