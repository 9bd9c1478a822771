//! How sure a median is: percentile bootstrap intervals.
//!
//! A median of five kills cannot tell 0.9 from 1.1 times Serf's. Resampling
//! the measured values with replacement, many times, and taking the median
//! of each resample shows how much the median itself moves: the middle 95 %
//! of those medians is its 95 % interval (Efron's percentile bootstrap). For
//! a ratio of two medians, both samples are resampled independently and the
//! ratio taken each time.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Resamples per interval: enough that the 2.5th and 97.5th percentiles
/// settle to a few tenths of a percent.
const RESAMPLES: usize = 4_000;

fn median_of(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// The median of `values`.
pub fn median(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| median_of(&mut values.to_vec()))
}

fn resampled_median(values: &[f64], rng: &mut StdRng, scratch: &mut Vec<f64>) -> f64 {
    scratch.clear();
    scratch.extend((0..values.len()).map(|_| values[rng.random_range(0..values.len())]));
    median_of(scratch)
}

/// The 2.5th and 97.5th percentiles of `draws`.
fn middle_95(mut draws: Vec<f64>) -> (f64, f64) {
    draws.sort_by(f64::total_cmp);
    let at = |q: f64| draws[((draws.len() - 1) as f64 * q).round() as usize];
    (at(0.025), at(0.975))
}

/// A 95 % bootstrap interval for the median of `values` (seeded: the same
/// values give the same interval).
pub fn median_interval(values: &[f64], seed: u64) -> Option<(f64, f64)> {
    if values.is_empty() {
        return None;
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let mut scratch = Vec::with_capacity(values.len());
    let draws = (0..RESAMPLES)
        .map(|_| resampled_median(values, &mut rng, &mut scratch))
        .collect();
    Some(middle_95(draws))
}

/// A 95 % bootstrap interval for median(`a`) / median(`b`).
pub fn ratio_interval(a: &[f64], b: &[f64], seed: u64) -> Option<(f64, f64)> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let (mut sa, mut sb) = (Vec::new(), Vec::new());
    let draws = (0..RESAMPLES)
        .map(|_| resampled_median(a, &mut rng, &mut sa) / resampled_median(b, &mut rng, &mut sb))
        .collect();
    Some(middle_95(draws))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interval_holds_the_median_and_narrows_with_more_samples() {
        let few: Vec<f64> = (1..=9).map(f64::from).collect();
        let many: Vec<f64> = (0..900).map(|i| f64::from(i % 9 + 1)).collect();
        let (lo, hi) = median_interval(&few, 1).unwrap();
        assert!(lo <= 5.0 && 5.0 <= hi, "{lo}..{hi}");
        let (mlo, mhi) = median_interval(&many, 1).unwrap();
        assert!(mhi - mlo < hi - lo, "more samples, a narrower interval");
        assert_eq!(median(&few), Some(5.0));
        assert_eq!(median(&[1.0, 2.0]), Some(1.5));
    }

    #[test]
    fn a_clear_difference_gives_a_ratio_interval_that_excludes_one() {
        let fast: Vec<f64> = (0..40).map(|i| 100.0 + f64::from(i % 7)).collect();
        let slow: Vec<f64> = (0..40).map(|i| 150.0 + f64::from(i % 7)).collect();
        let (lo, hi) = ratio_interval(&fast, &slow, 2).unwrap();
        assert!(hi < 1.0 && lo > 0.5, "{lo}..{hi}");
        // Same distribution: the interval straddles 1.
        let (lo, hi) = ratio_interval(&fast, &fast.clone(), 3).unwrap();
        assert!(lo <= 1.0 && 1.0 <= hi, "{lo}..{hi}");
    }
}
