//! What the dynamic plugin boundary costs: one threshold assessment on a realistic request (a
//! dozen concerns) through the loaded cdylib, against the same plugin linked in-process as an
//! rlib and called directly.
//!
//! Run: `cargo bench --bench boundary`. Prints the median time per call of each path, the
//! boundary overhead per call and the ratio, all taken in this one run.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support.rs"]
#[allow(dead_code)]
mod support;

use std::hint::black_box;
use std::time::Instant;

use continuum_authority_worcestershire::Worcestershire;
use continuum_plugin_api::pb::{self, Concern, Consent};
use continuum_plugin_api::{Authority, ffi};
use continuum_plugin_host::DynamicPlugin;

const ROUNDS: usize = 21;
const CALLS_PER_ROUND: usize = 20_000;

/// Median nanoseconds per call of `f` over `ROUNDS` rounds.
fn measure(mut f: impl FnMut()) -> f64 {
    for _ in 0..CALLS_PER_ROUND {
        f();
    }
    let mut per_call: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..CALLS_PER_ROUND {
                f();
            }
            start.elapsed().as_nanos() as f64 / CALLS_PER_ROUND as f64
        })
        .collect();
    per_call.sort_by(f64::total_cmp);
    per_call[ROUNDS / 2]
}

fn main() {
    let in_process = Worcestershire;
    let dynamic = DynamicPlugin::load(&support::library("continuum_authority_worcestershire"))
        .expect("load the Worcestershire plugin");

    // A dozen concerns across the levels and domains of the catalogue, with free text.
    let description = in_process.describe();
    let step = (description.indicators.len() / 12).max(1);
    let concerns: Vec<Concern> = description
        .indicators
        .iter()
        .step_by(step)
        .take(12)
        .map(|x| Concern {
            indicator_code: x.code.clone(),
            text: format!("Observed at home visit: {}", x.text),
            domain: x.domain,
        })
        .collect();
    assert_eq!(concerns.len(), 12);
    let request = pb::ThresholdRequest {
        concerns,
        consent: Consent::GivenInWriting as i32,
        age: Some(pb::ChildAge {
            years: 9,
            ..Default::default()
        }),
        ..Default::default()
    };
    assert_eq!(
        in_process.assess_threshold(&request).unwrap(),
        dynamic.assess_threshold(&request).unwrap(),
        "both paths give the same answer"
    );

    let direct = measure(|| {
        black_box(in_process.assess_threshold(black_box(&request)).unwrap());
    });
    let encoded = measure(|| {
        let input = prost::Message::encode_to_vec(black_box(&request));
        let output = ffi::dispatch(
            &in_process,
            continuum_plugin_api::Method::AssessThreshold as u32,
            &input,
        )
        .unwrap();
        black_box(<pb::ThresholdDecision as prost::Message>::decode(output.as_slice()).unwrap());
    });
    let through_boundary = measure(|| {
        black_box(dynamic.assess_threshold(black_box(&request)).unwrap());
    });

    let answer = in_process.assess_threshold(&request).unwrap();
    println!(
        "threshold assessment, 12 concerns, median of {ROUNDS} rounds x {CALLS_PER_ROUND} calls"
    );
    println!(
        "  request {} bytes; answer {} bytes ({} reasons)",
        prost::Message::encoded_len(&request),
        prost::Message::encoded_len(&answer),
        answer.reasons.len()
    );
    let request_bytes = prost::Message::encode_to_vec(&request);
    let answer_bytes = prost::Message::encode_to_vec(&answer);
    let codec = measure(|| {
        black_box(prost::Message::encode_to_vec(black_box(&request)));
        black_box(
            <pb::ThresholdRequest as prost::Message>::decode(black_box(request_bytes.as_slice()))
                .unwrap(),
        );
        black_box(prost::Message::encode_to_vec(black_box(&answer)));
        black_box(
            <pb::ThresholdDecision as prost::Message>::decode(black_box(answer_bytes.as_slice()))
                .unwrap(),
        );
    });
    println!("  in-process (rlib, direct call)          {direct:>9.0} ns/call");
    println!("  protobuf encode+decode of both messages {codec:>9.0} ns/call");
    println!("  in-process + protobuf encode/decode     {encoded:>9.0} ns/call");
    println!("  dynamic boundary (cdylib, C ABI)        {through_boundary:>9.0} ns/call");
    println!(
        "  boundary overhead                       {:>9.0} ns/call  (target <= 2000)",
        through_boundary - direct
    );
    println!(
        "  ratio dynamic / in-process              {:>9.2}x         (target <= 3x)",
        through_boundary / direct
    );
}
