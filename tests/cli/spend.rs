//! Spend: metric exports in every shape, settings, month resets, the forecast, sampling correction, and
//! flags that beat files.

use crate::support::*;

const ATTRS_60: &[u8] = br#"{"attributes":{"MonthlySpendLimit":"60","DeliveryStatusSuccessSamplingRate":"100","DefaultSMSType":"Transactional"}}"#;

/// Hourly month-to-date points rising 2 USD a day from 2026-03-01 until day `days`, as get-metric-statistics
/// prints them: unsorted, CLI v1 timestamps (`Z`).
fn statistics_rising(days: i64) -> Vec<u8> {
    let mut pts: Vec<String> = (0..=days * 24)
        .map(|h| {
            format!(
                r#"{{"Timestamp":"2026-03-{:02}T{:02}:00:00Z","Maximum":{},"Unit":"None"}}"#,
                1 + h / 24,
                h % 24,
                h as f64 / 12.0
            )
        })
        .collect();
    pts.reverse();
    pts.swap(0, 7);
    format!(
        r#"{{"Label":"SMSMonthToDateSpentUSD","Datapoints":[{}]}}"#,
        pts.join(",")
    )
    .into_bytes()
}

#[test]
fn unsorted_metric_statistics_give_month_to_date_and_the_limit_moment() {
    let d = tempdir();
    write(d.path(), "m.json", &statistics_rising(30));
    write(d.path(), "attrs.json", ATTRS_60);
    let v = summary(&[d.path().to_str().unwrap()]);
    assert_eq!(v["spend_limit_usd"], 60.0);
    // 2 USD/day reaches 60 after 30 days: 2026-03-31T00:00Z.
    assert_eq!(v["limit_reached_at_metric"], "2026-03-31T00:00:00.000Z");
    assert_eq!(v["quota_exhausted_at"], "2026-03-31T00:00:00.000Z");
    assert_eq!(v["spend_by_month"][0]["month"], "2026-03");
    assert_eq!(v["spend_by_month"][0]["metric_max_usd"], 60.0);
    assert_eq!(u(&v, "events"), 0, "a metric-only run has no records");
}

#[test]
fn newest_first_metric_data_with_cli_v2_offsets_is_read() {
    let d = tempdir();
    let body = br#"{"MetricDataResults":[{"Id":"m1","Label":"SMSMonthToDateSpentUSD","Timestamps":["2026-03-04T12:00:00+00:00","2026-03-04T11:00:00+00:00","2026-03-02T00:00:00+00:00"],"Values":[12.4,12.0,2.0],"StatusCode":"Complete"},{"Id":"m2","Label":"NumberOfNotificationsFailed","Timestamps":["2026-03-04T12:00:00+00:00"],"Values":[3.0],"StatusCode":"Complete"}],"Messages":[]}"#;
    write(d.path(), "data.json", body);
    let v = summary(&["--spend-limit", "12", d.path().to_str().unwrap()]);
    assert_eq!(v["spend_by_month"][0]["metric_max_usd"], 12.4);
    assert_eq!(v["limit_reached_at_metric"], "2026-03-04T11:00:00.000Z");
    assert_eq!(v["inputs"][0]["format"], "metric-data");
}

#[test]
fn a_metric_csv_with_epoch_times_is_read() {
    let d = tempdir();
    // 2026-03-05T00:00Z = 1772668800
    write(
        d.path(),
        "graph.csv",
        b"Time,SMSMonthToDateSpentUSD\n1772668800,10.5\n1772672400,11\n1772676000,\n",
    );
    let v = summary(&["--spend-limit", "11", d.path().to_str().unwrap()]);
    assert_eq!(v["inputs"][0]["format"], "metric-csv");
    assert_eq!(v["spend_by_month"][0]["metric_max_usd"], 11.0);
    assert_eq!(v["limit_reached_at_metric"], "2026-03-05T01:00:00.000Z");
}

#[test]
fn a_month_reset_starts_a_new_month() {
    let d = tempdir();
    let body = br#"{"Label":"SMSMonthToDateSpentUSD","Datapoints":[
      {"Timestamp":"2026-02-27T10:00:00Z","Maximum":40.0},{"Timestamp":"2026-03-01T01:00:00Z","Maximum":0.5},
      {"Timestamp":"2026-02-28T23:00:00Z","Maximum":44.0},{"Timestamp":"2026-03-02T00:00:00Z","Maximum":3.0}]}"#;
    write(d.path(), "m.json", body);
    let v = summary(&[d.path().to_str().unwrap()]);
    let months: Vec<(&str, f64)> = v["spend_by_month"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["month"].as_str().unwrap(),
                m["metric_max_usd"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(months, vec![("2026-02", 44.0), ("2026-03", 3.0)]);
    assert_eq!(v["metric_month_resets"], 1);
}

#[test]
fn logs_alone_give_spend_and_the_quota_failures() {
    let logs = samples_logs_only();
    let mut args = vec!["--spend-limit", "60"];
    args.extend(logs.iter().map(String::as_str));
    let v = summary(&args);
    assert!(v["spend_by_month"][0]["metric_max_usd"].is_null());
    assert!((f(&v["spend_by_month"][0], "spend_usd") - f(&v, "spend_usd")).abs() < 1e-9);
    assert_eq!(v["spend_limit_usd"], 60.0);
    assert!(v["limit_reached_at_metric"].is_null());
    assert!(u(&v, "quota_failures") > 0);
    assert_eq!(v["quota_exhausted_at"], v["first_quota_failure_at"]);
}

/// The bundled samples' first story's log files, without the metric and settings exports.
fn samples_logs_only() -> Vec<String> {
    ["cloudwatch-export", "cli", "insights", "firehose"]
        .iter()
        .map(|d| format!("{}/{d}", samples()))
        .collect()
}

#[test]
fn the_sns_story_of_the_samples_reaches_the_60_usd_limit_on_march_22() {
    let folders = sns_samples();
    let args: Vec<&str> = folders.iter().map(String::as_str).collect();
    let v = summary(&args);
    assert_eq!(v["spend_limit_usd"], 60.0);
    assert_eq!(u(&v, "events"), 4400);
    assert_eq!(u(&v, "duplicates"), 100);
    assert_eq!(u(&v, "quota_failures"), 1415);
    assert_eq!(v["first_quota_failure_at"], "2026-03-22T16:00:27.029Z");
    assert!(v["quota_exhausted_at"]
        .as_str()
        .unwrap()
        .starts_with("2026-03-22T1"));
    assert!((f(&v, "spend_usd") - 60.0119).abs() < 1e-6);
    assert!(u(&v, "quota_recipients") > 0 && u(&v, "quota_recipients") <= 1415);
    let fc = &v["forecast"];
    assert_eq!(fc["projected"], false);
    // Demand includes the blocked texts, so the suggestion is above the old limit, and the alarm at 80% of it.
    assert!(f(fc, "suggested_limit_usd") > 60.0);
    assert!((f(fc, "alarm_threshold_usd") - 0.8 * f(fc, "suggested_limit_usd")).abs() < 1e-6);
    let cmds = v["commands"].as_array().unwrap();
    assert!(cmds
        .iter()
        .any(|c| c.as_str().unwrap().contains("put-metric-alarm")));
    assert!(cmds
        .iter()
        .any(|c| c.as_str().unwrap().contains("set-sms-attributes")));
}

#[test]
fn the_forecast_says_when_the_limit_will_be_reached() {
    let d = tempdir();
    write(d.path(), "m.json", &statistics_rising(9));
    let v = summary(&["--spend-limit", "60", d.path().to_str().unwrap()]);
    // 18 USD after 9 days, 2 USD/day: 42 USD more takes 21 days.
    assert_eq!(
        v["forecast"]["limit_reached_at"],
        "2026-03-31T00:00:00.000Z"
    );
    assert_eq!(v["forecast"]["projected"], true);
    assert_eq!(v["forecast"]["daily_rate_usd"], 2.0);
    let v = summary(&["--spend-limit", "100", d.path().to_str().unwrap()]);
    assert!(
        v["forecast"]["limit_reached_at"].is_null(),
        "not this month: {}",
        v["forecast"]
    );
    let o = run(&[
        "summary",
        "--spend-limit",
        "100",
        d.path().to_str().unwrap(),
    ]);
    assert!(stdout(&o).contains("not this month"), "{}", stdout(&o));
}

#[test]
fn logs_that_end_in_a_months_last_hour_are_forecast_for_that_month() {
    // Rebuilt from the logs, month-to-date is dated at the end of each hour: the last hour's total
    // belonged to the next month, whose forecast then started from this month's spend.
    let d = tempdir();
    let cfg = smslens_gen::GenConfig {
        month_start: chrono::NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
        spend_limit_usd: f64::INFINITY,
        ..smslens_gen::GenConfig::new(3000, 12)
    };
    let mut body = Vec::new();
    smslens_gen::write_records(&mut body, &cfg).unwrap();
    let p = write(d.path(), "february.jsonl", &body);
    let v = summary(&["--spend-limit", "500", p.to_str().unwrap()]);
    assert!(v["last_event"]
        .as_str()
        .unwrap()
        .starts_with("2026-02-28T23:"));
    let fc = &v["forecast"];
    assert_eq!(fc["month"], "2026-02", "{fc}");
    assert!(
        (f(fc, "month_to_date_usd") - f(&v, "spend_usd")).abs() < 0.01,
        "{fc}"
    );
    assert!(fc["limit_reached_at"].is_null(), "not in February: {fc}");
}

#[test]
fn sampled_success_logging_is_reweighted_and_said() {
    let d = tempdir();
    write(
        d.path(),
        "attrs.json",
        br#"{"attributes":{"DeliveryStatusSuccessSamplingRate":"25"}}"#,
    );
    let p = fixture("bare.jsonl");
    let v = summary(&[&p, d.path().to_str().unwrap()]);
    assert_eq!(v["success_sample_rate"], 25.0);
    // 8 logged successes stand for 32; 4 failures are all logged.
    assert!(
        (f(&v, "failure_rate") - 4.0 / 36.0).abs() < 1e-9,
        "{}",
        v["failure_rate"]
    );
    assert!(v["sampling_note"].as_str().unwrap().contains("25%"));
    let o = run(&["summary", &p, d.path().to_str().unwrap()]);
    assert!(stdout(&o).contains("re-weighted"), "the table says so too");
}

#[test]
fn flags_beat_settings_files() {
    let d = tempdir();
    write(d.path(), "attrs.json", ATTRS_60);
    let v = summary(&[
        d.path().to_str().unwrap(),
        "--spend-limit",
        "250",
        "--success-sample-rate",
        "50",
    ]);
    assert_eq!(v["spend_limit_usd"], 250.0);
    assert_eq!(v["spend_limit_source"], "flag");
    assert_eq!(v["success_sample_rate"], 50.0);
    let v = summary(&[d.path().to_str().unwrap()]);
    assert_eq!(v["spend_limit_usd"], 60.0);
    assert!(v["spend_limit_source"]
        .as_str()
        .unwrap()
        .ends_with("attrs.json"));
}

#[test]
fn chart_spend_writes_a_png_of_the_expected_size() {
    let d = tempdir();
    let out = d.path().join("spend.png");
    let o = run(&["chart", "spend", &samples(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(png_size(&std::fs::read(&out).unwrap()), (900, 500));
    let o = run(&[
        "chart",
        "spend",
        &fixture("bare.jsonl"),
        "-o",
        d.path().join("x.svg").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "only PNG");
}
