//! Reference values from scipy 1.17.1 (`scipy.optimize.leastsq(f, x0,
//! Dfun = j, full_output = True)` and `curve_fit(..., jac = jac)`), printed
//! with `repr(float(v))` (shortest round-trip, i.e. ≥ 17 significant digits
//! where needed). The Python for each case is quoted beside it.

use super::*;

fn assert_close(actual: &[f64], expected: &[f64], tol: f64, what: &str) {
    assert_eq!(actual.len(), expected.len(), "{what}: length");
    for (k, (a, e)) in actual.iter().zip(expected).enumerate() {
        let scale = e.abs().max(1e-300);
        assert!(
            (a - e).abs() <= tol * scale,
            "{what}[{k}]: {a:e} vs {e:e} (rel {:e})",
            (a - e).abs() / scale
        );
    }
}

/// `f = lambda p: [10*(p[1]-p[0]**2), 1-p[0]]`, `j = [[-20*p[0], 10], [-1, 0]]`,
/// `leastsq(f, [-1.2, 1.0], Dfun=j, full_output=True)`:
/// x = [1.0, 1.0], nfev 21, njev 16, ier 4, cov_x = [[1, 2], [2, 4.01]].
#[test]
fn rosenbrock_matches_scipy_counts_and_status() {
    let min = lmder(
        |p, r| {
            r[0] = 10.0 * (p[1] - p[0] * p[0]);
            r[1] = 1.0 - p[0];
        },
        |p, j| {
            j[0] = -20.0 * p[0];
            j[1] = -1.0;
            j[2] = 10.0;
            j[3] = 0.0;
        },
        &[-1.2, 1.0],
        2,
        &Options::default(),
    );
    assert_eq!(min.parameters, [1.0, 1.0]);
    assert_eq!(min.sum_of_squares, 0.0);
    assert_eq!(min.status, Status::GradientConverged);
    assert_eq!((min.evaluations, min.iterations), (21, 16));
    assert_close(
        min.unscaled_covariance.as_deref().unwrap(),
        &[
            0.9999999999999998,
            1.9999999999999998,
            1.9999999999999998,
            4.010000000000001,
        ],
        1e-14,
        "cov_x",
    );
}

const BARD_Y: [f64; 15] = [
    0.14, 0.18, 0.22, 0.25, 0.29, 0.32, 0.35, 0.39, 0.37, 0.58, 0.73, 0.96, 1.34, 2.10, 4.39,
];

fn bard(max_evaluations: usize) -> Minimum {
    // u = i, v = 16 - i, w = min(u, v); r_i = y_i - (p0 + u/(p1 v + p2 w)).
    let uvw = |i: usize| {
        let u = (i + 1) as f64;
        let v = 16.0 - u;
        (u, v, u.min(v))
    };
    lmder(
        |p, r| {
            for i in 0..15 {
                let (u, v, w) = uvw(i);
                r[i] = BARD_Y[i] - (p[0] + u / (p[1] * v + p[2] * w));
            }
        },
        |p, j| {
            for i in 0..15 {
                let (u, v, w) = uvw(i);
                let t = (p[1] * v + p[2] * w).powi(2);
                j[i] = -1.0;
                j[i + 15] = u * v / t;
                j[i + 30] = u * w / t;
            }
        },
        &[1.0, 1.0, 1.0],
        15,
        &Options {
            max_evaluations,
            ..Options::default()
        },
    )
}

/// MINPACK test problem 8 (Bard), `leastsq(fb, [1,1,1], Dfun=jb,
/// full_output=True)`: x = [0.0824105765758334, 1.1330366534715044,
/// 2.343694638941154], nfev 6, njev 5, ier 1, Σr² = 0.00821487730658124.
#[test]
fn bard_matches_scipy() {
    let min = bard(0);
    assert_eq!(min.status, Status::SumOfSquaresConverged);
    assert_eq!((min.evaluations, min.iterations), (6, 5));
    assert_close(
        &min.parameters,
        &[0.0824105765758334, 1.1330366534715044, 2.343694638941154],
        1e-14,
        "x",
    );
    assert_close(&[min.sum_of_squares], &[0.00821487730658124], 1e-13, "ss");
    // cov_x.ravel()
    assert_close(
        min.unscaled_covariance.as_deref().unwrap(),
        &[
            0.2236725550297039,
            4.1923076873249725,
            -3.8807565071265255,
            4.1923076873249725,
            138.4941150889643,
            -132.91487145859756,
            -3.8807565071265255,
            -132.91487145859756,
            128.2365216165155,
        ],
        1e-12,
        "cov_x",
    );
}

/// `leastsq(fb, [1,1,1], Dfun=jb, full_output=True, maxfev=3)`: ier 5 after
/// 3 evaluations at x = [0.08249153291997434, 1.165359722734578,
/// 2.1983619236330467]; no covariance.
#[test]
fn evaluation_limit_stops_where_scipy_stops() {
    let min = bard(3);
    assert_eq!(min.status, Status::MaxEvaluations);
    assert!(!min.status.converged());
    assert_eq!((min.evaluations, min.iterations), (3, 2));
    assert_close(
        &min.parameters,
        &[0.08249153291997434, 1.165359722734578, 2.1983619236330467],
        1e-14,
        "x",
    );
    assert!(min.unscaled_covariance.is_none());
}

/// `t = arange(10.)`, `y = [5.1, 3.9, 3.05, 2.4, 1.98, 1.62, 1.41, 1.25,
/// 1.12, 1.06]`, residual `p0 exp(-p1 t) + p2 - y` from `[4, 0.5, 0.5]`:
/// x = [4.279097302955185, 0.33079930262476054, 0.825297798313112], nfev 6,
/// njev 5, ier 1.
#[test]
fn exponential_decay_matches_scipy() {
    let t: Vec<f64> = (0..10).map(f64::from).collect();
    let y = [5.1, 3.9, 3.05, 2.4, 1.98, 1.62, 1.41, 1.25, 1.12, 1.06];
    let min = lmder(
        |p, r| {
            for i in 0..10 {
                r[i] = p[0] * (-p[1] * t[i]).exp() + p[2] - y[i];
            }
        },
        |p, j| {
            for i in 0..10 {
                let e = (-p[1] * t[i]).exp();
                j[i] = e;
                j[i + 10] = -p[0] * t[i] * e;
                j[i + 20] = 1.0;
            }
        },
        &[4.0, 0.5, 0.5],
        10,
        &Options::default(),
    );
    assert_eq!(min.status, Status::SumOfSquaresConverged);
    assert_eq!((min.evaluations, min.iterations), (6, 5));
    assert_close(
        &min.parameters,
        &[4.279097302955185, 0.33079930262476054, 0.825297798313112],
        1e-14,
        "x",
    );
    assert_close(&[min.sum_of_squares], &[0.0015996309844817599], 1e-12, "ss");
    assert_close(
        min.unscaled_covariance.as_deref().unwrap(),
        &[
            1.3088681181451967,
            -0.10774067068427036,
            -0.7900302757042419,
            -0.10774067068427036,
            0.06123306783814755,
            0.2314073297985673,
            -0.7900302757042419,
            0.2314073297985673,
            1.1054791405742428,
        ],
        1e-12,
        "cov_x",
    );
}

/// `curve_fit(lambda x, a, b: a*exp(b*x), [0,1,2,3,4,5], [1.02, 1.58, 2.81,
/// 4.4, 7.5, 12.1], p0=[1, 0.4], sigma=[0.1, 0.1, 0.2, 0.3, 0.5, 0.8],
/// jac=jac)`: popt = [0.9879681196008184, 0.5028135019538787], pcov =
/// [[0.0006226828520339015, -0.00017076843509703993], [..., 6.323856385406844e-05]],
/// nfev 6, njev 5, ier 3.
#[test]
fn weighted_curve_fit_matches_scipy_popt_and_pcov() {
    let x = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0];
    let y = [1.02, 1.58, 2.81, 4.4, 7.5, 12.1];
    let sigma = [0.1, 0.1, 0.2, 0.3, 0.5, 0.8];
    let fit = curve_fit(
        |t, p| p[0] * (p[1] * t).exp(),
        |t, p, g| {
            g[0] = (p[1] * t).exp();
            g[1] = p[0] * t * (p[1] * t).exp();
        },
        &x,
        &y,
        Some(&sigma),
        &[1.0, 0.4],
        &Options::default(),
    );
    assert_eq!(fit.status, Status::BothConverged);
    assert_eq!((fit.evaluations, fit.iterations), (6, 5));
    assert_eq!(fit.degrees_of_freedom, 4);
    assert_close(
        &fit.parameters,
        &[0.9879681196008184, 0.5028135019538787],
        1e-14,
        "popt",
    );
    assert_close(
        &fit.covariance,
        &[
            0.0006226828520339015,
            -0.00017076843509703993,
            -0.00017076843509703993,
            6.323856385406844e-05,
        ],
        1e-12,
        "pcov",
    );
    assert_close(
        &fit.standard_errors,
        &[
            0.0006226828520339015f64.sqrt(),
            6.323856385406844e-05f64.sqrt(),
        ],
        1e-12,
        "se",
    );
}

#[test]
fn indeterminate_covariance_is_infinite_as_in_curve_fit() {
    // Two points, two parameters: no residual degrees of freedom.
    let fit = curve_fit(
        |t, p| p[0] + p[1] * t,
        |t, _, g| {
            g[0] = 1.0;
            g[1] = t;
        },
        &[0.0, 1.0],
        &[1.0, 3.0],
        None,
        &[0.0, 0.0],
        &Options::default(),
    );
    assert!(fit.status.converged());
    assert_close(&fit.parameters, &[1.0, 2.0], 1e-12, "line");
    assert!(fit.covariance.iter().all(|v| *v == f64::INFINITY));
    // A parameter the model ignores makes R singular.
    let fit = curve_fit(
        |t, p| p[0] * t,
        |t, _, g| {
            g[0] = t;
            g[1] = 0.0;
        },
        &[1.0, 2.0, 3.0],
        &[2.0, 4.1, 5.9],
        None,
        &[1.0, 1.0],
        &Options::default(),
    );
    assert!(fit.standard_errors.iter().all(|v| *v == f64::INFINITY));
}

#[test]
fn improper_input_is_reported_not_panicked() {
    let min = lmder(|_, _| {}, |_, _| {}, &[1.0, 2.0], 1, &Options::default());
    assert_eq!(min.status, Status::ImproperInput);
    assert_eq!(min.status.code(), 0);
    assert_eq!(min.evaluations, 0);
    let bad_scale = Options {
        scale: Some(vec![1.0, 0.0]),
        ..Options::default()
    };
    let min = lmder(|_, r| r.fill(0.0), |_, _| {}, &[1.0, 2.0], 3, &bad_scale);
    assert_eq!(min.status, Status::ImproperInput);
}

#[test]
fn enorm_handles_tiny_and_huge_components() {
    assert_eq!(minpack::enorm(&[3.0, 4.0]), 5.0);
    assert_eq!(minpack::enorm(&[0.0, 0.0]), 0.0);
    let tiny = minpack::enorm(&[3e-200, 4e-200]);
    assert!((tiny / 5e-200 - 1.0).abs() < 1e-15, "{tiny:e}");
    let huge = minpack::enorm(&[3e200, 4e200]);
    assert!((huge / 5e200 - 1.0).abs() < 1e-15, "{huge:e}");
}
