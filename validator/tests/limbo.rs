//! The x509-limbo conformance corpus, run in full. Every case must give its expected result
//! unless `limbo-exceptions.tsv` lists it with a reason; a listed case that starts passing
//! fails the run too, so the exceptions file never goes stale.
#![allow(clippy::disallowed_methods)] // tests are the caller: they read the corpora

mod common;

use common::{LimboCase as Case, limbo_inputs};
use huren_validator::{SignatureMemo, validate};
use std::collections::BTreeMap;

/// Runs one case; returns (actual, context).
fn run(case: &Case, memo: &SignatureMemo) -> (&'static str, String) {
    let inputs = match limbo_inputs(case) {
        Ok(i) => i,
        Err(why) => return ("FAILURE", why),
    };
    let report = validate(
        &inputs.leaf,
        &inputs.intermediates,
        &inputs.anchors,
        &inputs.crls,
        &inputs.options,
        memo,
    );
    let actual = if report.is_valid() {
        "SUCCESS"
    } else {
        "FAILURE"
    };
    (
        actual,
        format!("{} {}: {}", report.status, report.code, report.message),
    )
}

#[test]
fn limbo_corpus() {
    let Some(testcases) = common::limbo("x509-limbo conformance") else {
        return;
    };
    let exceptions_text = include_str!("limbo-exceptions.tsv");
    let mut exceptions: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
    for line in exceptions_text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let mut f = line.splitn(3, '\t');
        let id = f.next().unwrap();
        let actual = f.next().expect("exceptions: id, actual result, reason");
        let reason = f.next().expect("exceptions need a reason");
        assert!(!reason.trim().is_empty(), "exception {id} has no reason");
        assert!(
            exceptions.insert(id, (actual, reason)).is_none(),
            "exception {id} listed twice"
        );
    }
    let memo = SignatureMemo::default();
    let (mut pass, mut wrong_accept, mut wrong_reject, mut excepted) = (0, 0, 0, 0);
    let mut unexpected = Vec::new();
    let mut results = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for case in &testcases {
        seen.insert(case.id.as_str());
        let (actual, context) = run(case, &memo);
        results
            .push(serde_json::json!({"id": case.id, "actual_result": actual, "context": context}));
        if actual == case.expected_result {
            pass += 1;
            if exceptions.contains_key(case.id.as_str()) {
                unexpected.push(format!(
                    "{}: now gives the expected {actual}; remove it from the exceptions",
                    case.id
                ));
            }
            continue;
        }
        if actual == "SUCCESS" {
            wrong_accept += 1;
        } else {
            wrong_reject += 1;
        }
        match exceptions.get(case.id.as_str()) {
            Some((listed, _)) if *listed == actual => excepted += 1,
            _ => unexpected.push(format!(
                "{}: expected {}, got {actual} ({context})",
                case.id, case.expected_result
            )),
        }
    }
    for id in exceptions.keys() {
        if !seen.contains(id) {
            unexpected.push(format!(
                "{id}: listed in the exceptions but not in the corpus"
            ));
        }
    }
    let out = serde_json::json!({"version": 1, "harness": "huren", "results": results});
    let out_path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("limbo-results.json");
    std::fs::write(&out_path, serde_json::to_vec_pretty(&out).unwrap()).unwrap();
    let summary = format!(
        "x509-limbo: {} cases, {pass} pass, {wrong_accept} wrongly accepted, {wrong_reject} wrongly rejected ({excepted} of the divergences listed in limbo-exceptions.tsv); results in {}",
        testcases.len(),
        out_path.display()
    );
    eprintln!("{summary}");
    std::fs::write(
        out_path.with_file_name("limbo-summary.txt"),
        format!("{summary}\n"),
    )
    .unwrap();
    assert!(
        unexpected.is_empty(),
        "{} unexpected results:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
}
