//! Overlapping exports repeat records; each delivery is counted once and the drop is reported.

use crate::support::*;

#[test]
fn records_repeated_across_shapes_are_counted_once() {
    let v = summary(&[&fixture("overlap")]);
    assert_eq!(u(&v, "events"), 8);
    assert_eq!(u(&v, "duplicates"), 3);
    assert_eq!((u(&v, "delivered"), u(&v, "failed")), (5, 3));
    assert!((f(&v, "spend_usd") - 0.12973).abs() < 1e-9);
    let inputs = v["inputs"].as_array().unwrap();
    assert_eq!(
        inputs
            .iter()
            .map(|i| i["records"].as_u64().unwrap())
            .sum::<u64>(),
        11,
        "records read per input include repeats"
    );
}

#[test]
fn the_same_file_given_twice_adds_nothing() {
    let p = fixture("bare.jsonl");
    let v = summary(&[&p, &p]);
    assert_eq!(u(&v, "events"), 12);
    assert_eq!(u(&v, "duplicates"), 12);
}

#[test]
fn since_and_until_select_a_window() {
    let all = summary(&[&fixture("insights.json")]);
    let v = summary(&["--since", "2026-03-09 08:20", &fixture("insights.json")]);
    assert!(u(&v, "events") < u(&all, "events"));
    assert_eq!(u(&v, "events") + u(&v, "outside_window"), u(&all, "events"));
    assert!(v["first_event"].as_str().unwrap() >= "2026-03-09T08:20:00.000Z");
}
