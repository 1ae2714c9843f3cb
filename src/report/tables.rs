//! The summary as tables, shared by the text, CSV, Markdown and HTML outputs.

use super::Table;
use crate::analysis::summary::{GroupRow, Summary};

pub fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

pub fn usd(x: f64) -> String {
    format!("{x:.2}")
}

fn kv(name: &'static str, title: &str, rows: Vec<(&str, String)>) -> Table {
    Table {
        name,
        title: title.to_owned(),
        headers: vec!["item", "value"],
        rows: rows
            .into_iter()
            .map(|(k, v)| vec![k.to_owned(), v])
            .collect(),
        numeric: vec![false, true],
    }
}

pub fn overview(s: &Summary) -> Table {
    let mut t = kv(
        "overview",
        "Overview",
        vec![
            ("texts (unique records)", s.events.to_string()),
            ("delivered", s.delivered.to_string()),
            ("failed", s.failed.to_string()),
            ("failure rate", pct(s.failure_rate)),
            ("spend (USD, from logs)", usd(s.spend_usd)),
            (
                "first event",
                s.first_event.clone().unwrap_or_else(|| "-".into()),
            ),
            (
                "last event",
                s.last_event.clone().unwrap_or_else(|| "-".into()),
            ),
            (
                "spend limit reached",
                s.spend
                    .quota_exhausted_at
                    .clone()
                    .unwrap_or_else(|| "no".into()),
            ),
            ("duplicates dropped", s.duplicates.to_string()),
            ("outside --since/--until", s.outside_window.to_string()),
            ("skipped (malformed)", s.malformed.to_string()),
            ("skipped (all reasons)", s.skipped.to_string()),
        ],
    );
    if s.no_final_outcome > 0 {
        // End User Messaging and Pinpoint messages whose final event is not in the data.
        let row = vec![
            "no final outcome yet".to_owned(),
            s.no_final_outcome.to_string(),
        ];
        t.rows.insert(3, row);
    }
    if let Some(n) = &s.recipients_note {
        t.rows.push(vec!["recipients".to_owned(), n.clone()]);
    }
    t
}

pub fn provider_responses(s: &Summary) -> Table {
    Table {
        name: "by_provider_response",
        title: "By providerResponse".into(),
        headers: vec![
            "providerResponse",
            "status",
            "class",
            "count",
            "share",
            "first seen",
        ],
        rows: s
            .by_provider_response
            .iter()
            .map(|r| {
                vec![
                    r.provider_response.clone(),
                    r.status.to_owned(),
                    r.class.to_owned(),
                    r.count.to_string(),
                    pct(if s.events > 0 {
                        r.count as f64 / s.events as f64
                    } else {
                        0.0
                    }),
                    r.first_seen.clone(),
                ]
            })
            .collect(),
        numeric: vec![false, false, false, true, true, false],
    }
}

pub fn group_table(name: &'static str, title: &str, key: &'static str, rows: &[GroupRow]) -> Table {
    Table {
        name,
        title: title.to_owned(),
        headers: vec![key, "texts", "failed", "failure rate"],
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.key.clone(),
                    r.events.to_string(),
                    r.failed.to_string(),
                    pct(r.failure_rate),
                ]
            })
            .collect(),
        numeric: vec![false, true, true, true],
    }
}

/// Every input file; with its SHA-256 when the run computed them (a report's audit trail).
pub fn inputs(s: &Summary) -> Table {
    let digests = s.inputs.iter().any(|i| i.sha256.is_some());
    let mut headers = vec!["path", "format", "records", "skipped"];
    let mut numeric = vec![false, false, true, true];
    if digests {
        headers.push("sha256");
        numeric.push(false);
    }
    Table {
        name: "inputs",
        title: "Inputs".into(),
        headers,
        rows: s
            .inputs
            .iter()
            .map(|i| {
                let mut row = vec![
                    i.path.clone(),
                    i.format.to_owned(),
                    i.records.to_string(),
                    i.skipped.to_string(),
                ];
                if digests {
                    row.push(i.sha256.clone().unwrap_or_else(|| "-".into()));
                }
                row
            })
            .collect(),
        numeric,
    }
}

/// Input files listed one by one on a terminal or in Markdown at most; past it, by folder and shape.
pub const MAX_LISTED_INPUTS: usize = 20;

/// The inputs for a person reading: each file when there are few, else one row per folder and shape (a
/// CloudWatch export of 20,000 streams would be 20,000 lines). The JSON and CSV outputs list every file.
pub fn inputs_to_read(s: &Summary) -> Table {
    if s.inputs.len() <= MAX_LISTED_INPUTS {
        return inputs(s);
    }
    let title = format!(
        "Inputs: {} files by folder and shape (each file: --format json or csv)",
        s.inputs.len()
    );
    super::audit::counts_table(&super::audit::group(&s.inputs, &[]), title)
}

pub fn skipped(s: &Summary) -> Vec<Table> {
    if s.skipped_by_reason.is_empty() {
        return vec![];
    }
    vec![
        Table {
            name: "skipped",
            title: "Skipped input".into(),
            headers: vec!["reason", "count"],
            rows: s
                .skipped_by_reason
                .iter()
                .map(|(r, n)| vec![(*r).to_owned(), n.to_string()])
                .collect(),
            numeric: vec![false, true],
        },
        Table {
            name: "skipped_examples",
            title: "First skipped locations".into(),
            headers: vec!["path", "location", "reason", "detail"],
            rows: s
                .skipped_examples
                .iter()
                .map(|e| {
                    vec![
                        e.path.clone(),
                        e.location.clone(),
                        e.reason.to_owned(),
                        e.detail.clone(),
                    ]
                })
                .collect(),
            numeric: vec![false, false, false, false],
        },
    ]
}

pub fn unknown_fields(s: &Summary) -> Option<Table> {
    (!s.unknown_fields.is_empty()).then(|| Table {
        name: "unknown_fields",
        title: "Fields seen but not modelled".into(),
        headers: vec!["field", "records"],
        rows: s
            .unknown_fields
            .iter()
            .map(|(k, n)| vec![k.clone(), n.to_string()])
            .collect(),
        numeric: vec![false, true],
    })
}

fn opt_usd(v: Option<f64>) -> String {
    v.map_or_else(|| "-".into(), usd)
}

pub fn spend(s: &Summary) -> Table {
    let sp = &s.spend;
    let mut rows = vec![
        (
            "monthly spend limit (USD)",
            match (&sp.spend_limit_usd, &sp.spend_limit_source) {
                (Some(l), Some(src)) => format!("{} (from {src})", usd(*l)),
                (Some(l), None) => usd(*l),
                _ => "unknown (give --spend-limit or a get-sms-attributes export)".into(),
            },
        ),
        (
            "limit reached (metric)",
            sp.limit_reached_at_metric
                .clone()
                .unwrap_or_else(|| "-".into()),
        ),
        (
            "first 'No quota left for account'",
            sp.first_quota_failure_at
                .clone()
                .unwrap_or_else(|| "-".into()),
        ),
        ("texts failed for the limit", sp.quota_failures.to_string()),
        (
            "recipients hit by the limit",
            sp.quota_recipients.to_string(),
        ),
    ];
    if let Some(f) = &sp.forecast {
        rows.push(("latest month", f.month.clone().unwrap_or_default()));
        rows.push(("month-to-date spend (USD)", usd(f.month_to_date_usd)));
        rows.push(("daily spend rate (USD/day)", usd(f.daily_rate_usd)));
        rows.push(match (&sp.spend_limit_usd, &f.limit_reached_at) {
            (None, _) => ("limit will be reached (forecast)", "limit unknown".into()),
            (Some(_), None) => ("limit will be reached (forecast)", "not this month".into()),
            (Some(_), Some(t)) if f.projected => ("limit will be reached (forecast)", t.clone()),
            (Some(_), Some(t)) => ("limit reached this month", t.clone()),
        });
        rows.push((
            "busiest month's demand (USD)",
            usd(f.busiest_month_demand_usd),
        ));
        rows.push(("suggested monthly limit (USD)", usd(f.suggested_limit_usd)));
        rows.push((
            "suggested alarm threshold (USD)",
            usd(f.alarm_threshold_usd),
        ));
    }
    if let Some(n) = &sp.sampling_note {
        rows.push(("success sampling", n.clone()));
    }
    kv("spend", "Spend", rows)
}

pub fn spend_by_month(s: &Summary) -> Table {
    Table {
        name: "spend_by_month",
        title: "Spend by month".into(),
        headers: vec![
            "month",
            "texts",
            "spend from logs (USD)",
            "metric max (USD)",
            "metric - logs",
            "quota failures",
        ],
        rows: s
            .spend
            .spend_by_month
            .iter()
            .map(|m| {
                vec![
                    m.month.clone(),
                    m.texts.to_string(),
                    usd(m.spend_usd_estimated),
                    opt_usd(m.metric_max_usd),
                    opt_usd(m.metric_minus_logs_usd),
                    m.quota_failures.to_string(),
                ]
            })
            .collect(),
        numeric: vec![false, true, true, true, true, true],
    }
}

pub fn commands(s: &Summary) -> Option<Table> {
    (!s.spend.commands.is_empty()).then(|| Table {
        name: "commands",
        title: "To raise the limit and be warned next time (smslens does not run these)".into(),
        headers: vec!["command"],
        rows: s.spend.commands.iter().map(|c| vec![c.clone()]).collect(),
        numeric: vec![false],
    })
}

/// Every table of the summary, in reading order, with every input file.
pub fn summary_tables(s: &Summary) -> Vec<Table> {
    tables_with(s, inputs(s))
}

/// [`summary_tables`] for a person reading: many inputs by folder and shape ([`inputs_to_read`]).
pub fn summary_tables_to_read(s: &Summary) -> Vec<Table> {
    tables_with(s, inputs_to_read(s))
}

fn tables_with(s: &Summary, inputs: Table) -> Vec<Table> {
    let mut t = vec![
        overview(s),
        spend(s),
        spend_by_month(s),
        provider_responses(s),
        group_table("by_country", "By country", "country", &s.by_country),
        group_table("by_carrier", "By carrier", "carrier", &s.by_carrier),
        group_table("by_sms_type", "By smsType", "smsType", &s.by_sms_type),
        inputs,
    ];
    t.extend(sources(s));
    t.extend(regions(s));
    t.extend(cognito(s));
    t.extend(commands(s));
    t.extend(skipped(s));
    t.extend(unknown_fields(s));
    t.extend(comparison(s));
    t
}

/// What changed against `--baseline`, beyond-chance changes first.
pub fn comparison(s: &Summary) -> Option<Table> {
    let c = s.comparison.as_ref()?;
    let p = |v: f64| {
        if v < 1e-4 {
            format!("{v:.1e}")
        } else {
            format!("{v:.4}")
        }
    };
    Some(Table {
        name: "comparison",
        title: format!(
            "Compared with {} to {} ({} texts, {} failed): {}",
            c.baseline.since.as_deref().unwrap_or("-"),
            c.baseline.until.as_deref().unwrap_or("-"),
            c.baseline.events,
            pct(c.baseline.failure_rate),
            c.method
        ),
        headers: vec![
            "dimension",
            "value",
            "baseline texts",
            "baseline failure rate",
            "texts",
            "failure rate",
            "baseline share",
            "share",
            "p (failure rate)",
            "p (share)",
            "beyond chance",
            "what changed",
        ],
        rows: c
            .changes
            .iter()
            .map(|r| {
                vec![
                    r.dimension.to_owned(),
                    r.key.clone(),
                    r.baseline_texts.to_string(),
                    pct(r.baseline_failure_rate),
                    r.texts.to_string(),
                    pct(r.failure_rate),
                    pct(r.baseline_share),
                    pct(r.share),
                    r.failure_rate_p.map(p).unwrap_or_default(),
                    p(r.share_p),
                    if r.beyond_chance { "yes" } else { "no" }.into(),
                    r.summary.clone(),
                ]
            })
            .collect(),
        numeric: vec![
            false, false, true, true, true, true, true, true, true, true, false, false,
        ],
    })
}

/// Messages per kind of source, when they came from more than SNS delivery logs.
pub fn sources(s: &Summary) -> Option<Table> {
    let only_sns = s.by_source.len() == 1 && s.by_source[0].key == "sns-delivery-log";
    (!s.by_source.is_empty() && !only_sns)
        .then(|| group_table("by_source", "By source", "source", &s.by_source))
}

/// Per region and account, when there is more than one.
pub fn regions(s: &Summary) -> Option<Table> {
    (s.by_region.len() > 1).then(|| Table {
        name: "by_region",
        title: "By region and account".into(),
        headers: vec!["region", "account", "texts", "failed", "failure rate"],
        rows: s
            .by_region
            .iter()
            .map(|r| {
                vec![
                    r.region.clone(),
                    r.account.clone(),
                    r.events.to_string(),
                    r.failed.to_string(),
                    pct(r.failure_rate),
                ]
            })
            .collect(),
        numeric: vec![false, false, true, true, true],
    })
}

/// Texts Cognito could not send at all.
pub fn cognito(s: &Summary) -> Option<Table> {
    (!s.cognito_errors.is_empty()).then(|| Table {
        name: "cognito_errors",
        title: "Texts Cognito could not hand over (user-pool error log)".into(),
        headers: vec!["time (UTC)", "user pool", "details"],
        rows: s
            .cognito_errors
            .iter()
            .map(|e| {
                vec![
                    e.time.clone().unwrap_or_else(|| "-".into()),
                    e.user_pool_id.clone().unwrap_or_else(|| "-".into()),
                    e.details.clone(),
                ]
            })
            .collect(),
        numeric: vec![false, false, false],
    })
}
