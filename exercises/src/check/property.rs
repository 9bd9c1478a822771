//! Property checks: a rule that must hold for *every* input, tried on many
//! random inputs drawn from a fixed seed (the same verdict every run). When
//! one fails, proptest shrinks it to the smallest input that still fails,
//! so the report shows a store of two entries instead of ten, and the
//! mistake is easy to see.

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use std::panic::{self, AssertUnwindSafe};

/// Check `rule` on `cases` inputs from `inputs`. `rule` returns what went
/// wrong, in protocol terms, for an input that breaks it; the error is that
/// message for the smallest such input found.
///
/// The first input is tried outside proptest, so a `todo!()` stops the
/// check (and is reported as code still to write) instead of being caught
/// and shrunk as if it were a wrong answer.
pub fn for_all<S: Strategy>(
    cases: u32,
    inputs: S,
    rule: impl Fn(S::Value) -> Result<(), String>,
) -> Result<(), String> {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let first = inputs
        .new_tree(&mut runner)
        .map_err(|why| format!("no input could be made: {why}"))?;
    // A failure here is found again, and shrunk, by the runner below.
    let unshrunk = rule(proptest::strategy::ValueTree::current(&first));
    // A panic on a later input is a finding too: say on which input, in
    // words, rather than let proptest report the bare panic message.
    let checked = |input: S::Value| {
        let shown = format!("{input:?}");
        match panic::catch_unwind(AssertUnwindSafe(|| rule(input))) {
            Ok(verdict) => verdict,
            Err(payload) => {
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|m| m.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a panic".to_owned());
                let why = super::explain_panic(&message)
                    .map(|why| format!(" ({why})"))
                    .unwrap_or_default();
                Err(format!(
                    "your code stopped on the input {shown}: {message}{why}"
                ))
            }
        }
    };
    match runner.run(&inputs, |input| checked(input).map_err(TestCaseError::fail)) {
        Ok(()) => unshrunk,
        Err(TestError::Fail(why, _)) => Err(why.message().to_owned()),
        Err(TestError::Abort(why)) => Err(format!("the property check gave up: {why}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failing_rule_is_shrunk_to_the_smallest_input() {
        let why = for_all(200, 0u32..1000, |n| {
            if n >= 10 {
                Err(format!("{n} is too big"))
            } else {
                Ok(())
            }
        })
        .unwrap_err();
        assert_eq!(why, "10 is too big");
    }

    #[test]
    fn a_rule_that_holds_passes() {
        assert!(for_all(100, 0u32..1000, |_| Ok(())).is_ok());
    }
}
