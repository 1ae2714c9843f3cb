//! `index.html`: one self-contained page (inline CSS, charts as data-URI PNGs, a few lines of inline JS to
//! sort tables), readable with JavaScript off, with no external reference of any kind. The page is a maud
//! template: every value is escaped unless marked pre-escaped, and only the CSS and JS constants below are.
//! What the page shows, in order, is declared in [`SECTIONS`].

use base64::Engine as _;
use maud::{html, Markup, PreEscaped};

use super::Table;
use crate::analysis::findings::Finding;
use crate::analysis::summary::Summary;

/// The table of recipients with no successful delivery (see `bundle`).
pub const RECIPIENTS_TABLE: &str = "recipients_without_delivery";

/// The chart of a pumping surge, shown inside its finding (`charts/surge.png`).
pub const SURGE_CHART: &str = "surge";

/// A chart embedded in the page.
pub struct Chart {
    /// The file stem under `charts/` (`spend` for `charts/spend.png`): what [`SECTIONS`] name.
    pub name: String,
    pub title: String,
    /// PNG bytes.
    pub png: Vec<u8>,
}

/// Everything the page shows.
pub struct Page<'a> {
    pub title: &'a str,
    pub verdict: &'a str,
    pub summary: &'a Summary,
    pub findings: &'a [Finding],
    pub tables: &'a [Table],
    pub charts: &'a [Chart],
    pub audit: &'a [(String, String)],
}

/// One part of a section's content.
enum Block {
    /// The verdict and, when spend was estimated from a sample, the note saying so.
    Verdict,
    /// Each finding with its severity, excess over the baseline, evidence and remedy (the surge chart
    /// inside a pumping finding), or "No failures."
    Findings,
    /// How many recipients got only failures, and the worst of them.
    Recipients,
    /// These tables (by [`Table::name`]), in this order; one the report lacks is left out.
    Tables(&'static [&'static str]),
    /// These charts (by [`Chart::name`]), in this order.
    Charts(&'static [&'static str]),
    /// The AWS CLI commands a person would run to check spend.
    Commands,
    /// The audit rows: inputs, options, version, time.
    Audit,
}

/// A section of the page: `<section id=…>`, its heading, its content.
struct Section {
    id: &'static str,
    heading: Option<&'static str>,
    content: &'static [Block],
}

/// The page, top to bottom, under the title and the line saying which texts it covers.
const SECTIONS: &[Section] = &[
    Section {
        id: "verdict",
        heading: None,
        content: &[Block::Verdict],
    },
    Section {
        id: "findings",
        heading: Some("Findings, by what they explain beyond normal"),
        content: &[Block::Findings, Block::Tables(&["comparison"])],
    },
    Section {
        id: "recipients",
        heading: Some("Recipients with no successful delivery"),
        content: &[Block::Recipients],
    },
    Section {
        id: "cognito",
        heading: None,
        content: &[Block::Tables(&["cognito_errors"])],
    },
    Section {
        id: "spend",
        heading: Some("Spend"),
        content: &[
            Block::Tables(&["spend", "spend_by_month"]),
            Block::Charts(&["spend"]),
            Block::Commands,
        ],
    },
    Section {
        id: "breakdowns",
        heading: Some("Breakdowns"),
        content: &[
            Block::Charts(&[
                "failures_by_provider_response",
                "by_country",
                "by_carrier",
                "volume",
                "latency",
            ]),
            Block::Tables(&[
                "by_provider_response",
                "by_country",
                "by_carrier",
                "by_sms_type",
                "by_source",
                "by_region",
                "unknown_fields",
                "latency",
            ]),
        ],
    },
    Section {
        id: "audit",
        heading: Some("Audit trail"),
        content: &[
            Block::Audit,
            Block::Tables(&["inputs", "skipped", "skipped_examples"]),
        ],
    },
];

/// Recipients shown on the page; the full list is in `tables/`.
const RECIPIENTS_SHOWN: usize = 25;

const CSS: &str = r#"
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;color:#1f2933;background:#f7f8fa}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:1.6em;margin:0 0 8px}h2{margin-top:36px;border-bottom:2px solid #d9dee5;padding-bottom:4px}
.verdict{font-size:1.2em;background:#fff4e5;border-left:6px solid #d9822b;padding:14px 18px;margin:16px 0}
.finding{background:#fff;border:1px solid #d9dee5;border-radius:6px;padding:12px 16px;margin:12px 0}
.finding h3{margin:0 0 6px}.finding .n{color:#c23030;font-weight:bold}
.sev{font-size:.7em;text-transform:uppercase;letter-spacing:.05em;padding:2px 6px;border-radius:4px;vertical-align:middle;background:#d9dee5}
.finding.critical{border-left:6px solid #c23030}.finding.critical .sev{background:#c23030;color:#fff}
.finding.warning{border-left:6px solid #d9822b}.finding.warning .sev{background:#d9822b;color:#fff}
.finding.info{opacity:.85}details{margin:12px 0}details>summary{cursor:pointer;color:#616e7c}
.remedy{background:#eef6ee;border-left:4px solid #29a634;padding:8px 12px;margin-top:8px}
table{border-collapse:collapse;margin:8px 0 16px;background:#fff;font-size:.92em}
th,td{border:1px solid #d9dee5;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5;cursor:pointer}td.num{text-align:right;font-variant-numeric:tabular-nums}
img{max-width:100%;border:1px solid #d9dee5;background:#fff;margin:8px 0}
code,pre{font-family:"DejaVu Sans Mono",monospace;font-size:.9em}pre{background:#fff;border:1px solid #d9dee5;padding:8px;white-space:pre-wrap}
.muted{color:#616e7c}.note{background:#fff;border-left:4px solid #2b95d6;padding:8px 12px}
"#;

/// Sorts a table when its header is clicked; the page reads fine without it.
const JS: &str = r#"
document.querySelectorAll('table.sortable th').forEach(function(th,i){th.addEventListener('click',function(){
var t=th.closest('table'),b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows),d=th.dataset.dir==='a'?-1:1;th.dataset.dir=d>0?'a':'d';
rows.sort(function(x,y){var p=x.cells[i].dataset.v||x.cells[i].textContent,q=y.cells[i].dataset.v||y.cells[i].textContent,
m=parseFloat(p.replace('%','')),n=parseFloat(q.replace('%',''));return (isNaN(m)||isNaN(n)?p.localeCompare(q):m-n)*d;});
rows.forEach(function(r){b.appendChild(r);});});});
"#;

pub fn render(p: &Page<'_>) -> String {
    let s = p.summary;
    let page = html! {
        (PreEscaped("<!doctype html>\n"))
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width";
                title { (p.title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                main {
                    "\n"
                    h1 { (p.title) } "\n"
                    p.muted {
                        (s.events) " texts from " (s.first_event.as_deref().unwrap_or("-"))
                        " to " (s.last_event.as_deref().unwrap_or("-"))
                    }
                    "\n"
                    @for section in SECTIONS {
                        (section.render(p))
                    }
                }
                script { (PreEscaped(JS)) }
            }
        }
        "\n"
    };
    page.into_string()
}

impl Section {
    fn render(&self, p: &Page<'_>) -> Markup {
        html! {
            section id=(self.id) {
                @if let Some(heading) = self.heading {
                    h2 { (heading) } "\n"
                }
                @for block in self.content {
                    (block.render(p))
                }
            }
            "\n"
        }
    }
}

impl Block {
    fn render(&self, p: &Page<'_>) -> Markup {
        let s = p.summary;
        match self {
            Block::Verdict => html! {
                p.verdict { (p.verdict) } "\n"
                @if let Some(note) = &s.spend.sampling_note {
                    p.note { (note) } "\n"
                }
            },
            Block::Findings => {
                let (causes, background): (Vec<&Finding>, Vec<&Finding>) = p
                    .findings
                    .iter()
                    .partition(|f| f.severity != crate::domain::outcome::Severity::Info);
                html! {
                    @if p.findings.is_empty() {
                        p { "No failures." } "\n"
                    } @else if causes.is_empty() {
                        p { "Nothing stands out beyond the usual background." } "\n"
                    }
                    @for f in &causes {
                        (finding(f, p.charts))
                    }
                    @if !background.is_empty() {
                        details {
                            summary {
                                (background.len()) " more, at or near their usual rates (info): "
                                (background.iter().map(|f| f.title.as_str()).collect::<Vec<_>>().join(", "))
                            }
                            @for f in &background {
                                (finding(f, p.charts))
                            }
                        }
                        "\n"
                    }
                }
            }
            Block::Recipients => recipients(p.tables.iter().find(|t| t.name == RECIPIENTS_TABLE)),
            Block::Tables(names) => html! {
                @for t in names.iter().filter_map(|n| p.tables.iter().find(|t| t.name == *n)) {
                    (table(t))
                }
            },
            Block::Charts(names) => html! {
                @for c in names.iter().filter_map(|n| p.charts.iter().find(|c| c.name == *n)) {
                    (chart(c))
                }
            },
            Block::Commands => html! {
                @if !s.spend.commands.is_empty() {
                    p { "Commands a person would run (smslens never calls AWS):" }
                    pre {
                        @for c in &s.spend.commands {
                            (c) "\n"
                        }
                    }
                    "\n"
                }
            },
            Block::Audit => html! {
                table {
                    tbody {
                        @for (k, v) in p.audit {
                            tr { th { (k) } td { (v) } }
                        }
                    }
                }
                "\n"
            },
        }
    }
}

fn table(t: &Table) -> Markup {
    let numeric = |i: usize| t.numeric.get(i).copied().unwrap_or(false);
    html! {
        table.sortable {
            caption.muted { (t.title) }
            thead {
                tr {
                    @for h in &t.headers {
                        th { (h) }
                    }
                }
            }
            tbody {
                @for r in &t.rows {
                    tr {
                        @for (i, c) in r.iter().enumerate() {
                            td class=[numeric(i).then_some("num")] { (c) }
                        }
                    }
                }
            }
        }
        "\n"
    }
}

/// The count of recipients with only failures, and the worst of them.
fn recipients(locked: Option<&Table>) -> Markup {
    let top = locked.filter(|t| !t.rows.is_empty()).map(|t| {
        let shown = t.rows.len().min(RECIPIENTS_SHOWN);
        Table {
            title: format!("Top {shown} of {} by failed texts", t.rows.len()),
            rows: t.rows[..shown].to_vec(),
            ..t.clone()
        }
    });
    html! {
        p {
            (locked.map_or(0, |t| t.rows.len()))
            " recipients got only failures in this window: these users could not receive their codes. \
             Numbers are masked."
        }
        "\n"
        @if let Some(top) = &top {
            (table(top))
        }
    }
}

/// "<1%" rather than a misleading "0%".
fn share(x: f64) -> String {
    if x > 0.0 && x < 0.01 {
        "<1%".into()
    } else {
        format!("{:.0}%", x * 100.0)
    }
}

fn human_rfc3339(t: &str) -> String {
    crate::domain::time::parse_timestamp_ms(t)
        .map_or_else(|| t.to_owned(), crate::domain::time::human)
}

/// Where and when a finding happened: "from X to Y" (or "since X"), its place and concentration.
fn finding_where(f: &Finding) -> String {
    let mut s = if f.window.ongoing {
        format!("since {} (still going)", human_rfc3339(&f.window.start))
    } else {
        format!(
            "from {} to {}",
            human_rfc3339(&f.window.start),
            human_rfc3339(&f.window.end)
        )
    };
    if let Some(c) = &f.concentration {
        s += "; ";
        s += c;
    }
    s
}

fn finding(f: &Finding, charts: &[Chart]) -> Markup {
    let severity = f.severity.as_str();
    html! {
        div class={ "finding " (severity) } {
            h3 { span.sev { (severity) } " " (f.title) }
            p {
                @if f.kind.is_data_quality() {
                    span.n { (f.excess) " texts" } " missing, or more"
                } @else if f.cost_usd.is_some() {
                    span.n { (f.excess) " texts beyond normal" }
                    " (" (f.texts) " texts, " (format!("{:.0}", f.expected)) " expected at the baseline)"
                } @else {
                    span.n { (f.excess) " texts beyond normal" }
                    " (" (f.texts) " texts, " (format!("{:.0}", f.expected)) " expected at the baseline; "
                    (share(f.share_of_failures)) " of failures)"
                }
                @if let Some(usd) = f.cost_usd {
                    ", " b { (format!("{usd:.2}")) " USD" } " beyond the usual spend"
                }
                ", " (f.recipients) " recipients, " (finding_where(f))
            }
            p.muted { "Baseline: " (f.baseline) }
            @if !f.scope.prefixes.is_empty() {
                p { "Number blocks: " code { (f.scope.prefixes.join(", ")) } }
            }
            ul {
                @for e in &f.evidence {
                    li { (e) }
                }
                @if !f.message_ids.is_empty() {
                    li { "example message ids: " code { (f.message_ids.join(", ")) } }
                }
            }
            @if f.chart.is_some() {
                @for c in charts.iter().filter(|c| c.name == SURGE_CHART) {
                    (chart(c))
                }
            }
            div.remedy { b { "What to do:" } " " (f.remedy) }
        }
        "\n"
    }
}

fn chart(c: &Chart) -> Markup {
    let src = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&c.png)
    );
    html! {
        figure {
            img alt=(c.title) src=(src);
            figcaption.muted { (c.title) }
        }
        "\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_and_charts_encoded() {
        let t = Table {
            name: "t",
            title: "<b>title</b>".into(),
            headers: vec!["a&b", "n"],
            rows: vec![vec!["<script>\"x\"&'".into(), "1".into()]],
            numeric: vec![false, true],
        };
        assert_eq!(
            table(&t).into_string(),
            "<table class=\"sortable\"><caption class=\"muted\">&lt;b&gt;title&lt;/b&gt;</caption><thead><tr>\
             <th>a&amp;b</th><th>n</th></tr></thead><tbody><tr><td>&lt;script&gt;&quot;x&quot;&amp;'</td>\
             <td class=\"num\">1</td></tr></tbody></table>\n"
        );
        let c = Chart {
            name: "c".into(),
            title: "\"quoted\"".into(),
            png: b"Man".to_vec(),
        };
        assert_eq!(
            chart(&c).into_string(),
            "<figure><img alt=\"&quot;quoted&quot;\" src=\"data:image/png;base64,TWFu\">\
             <figcaption class=\"muted\">&quot;quoted&quot;</figcaption></figure>\n"
        );
    }

    #[test]
    fn sections_have_distinct_ids_and_name_each_chart_once() {
        let mut ids: Vec<&str> = SECTIONS.iter().map(|s| s.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), SECTIONS.len());
        let mut charts: Vec<&str> = SECTIONS
            .iter()
            .flat_map(|s| s.content)
            .filter_map(|b| match b {
                Block::Charts(names) => Some(*names),
                _ => None,
            })
            .flatten()
            .copied()
            .collect();
        let n = charts.len();
        charts.sort_unstable();
        charts.dedup();
        assert_eq!(charts.len(), n);
    }
}
