//! `index.html`: one self-contained page (inline CSS, charts as inline SVG, a few lines of inline JS to
//! sort tables), readable with JavaScript off, with no external reference of any kind. The page is a maud
//! template: every value is escaped unless marked pre-escaped, and only the CSS and JS (`style`) and the
//! charts' SVG (escaped where it is written, `charts::svg`) are. What the page shows, in order, is declared
//! in [`SECTIONS`]; the first screen is the verdict, the headline figures and texts over time.

use maud::{html, Markup, PreEscaped};

use super::audit::{InputGroup, RECIPE};
use super::headline::{self, Figure};
use super::style::{CSS, JS};
use super::Table;
use crate::analysis::findings::Finding;
use crate::analysis::summary::Summary;
use crate::domain::outcome::Severity;

/// The table of recipients with no successful delivery (see `bundle`).
pub const RECIPIENTS_TABLE: &str = "recipients_without_delivery";

/// The chart of a pumping surge, shown inside its finding (`charts/surge.png`).
pub const SURGE_CHART: &str = "surge";

/// A chart embedded in the page.
pub struct Chart {
    /// The file stem under `charts/` (`spend` for `charts/spend.png`): what [`SECTIONS`] name.
    pub name: String,
    pub title: String,
    /// An `<svg>` element, every string in it escaped; `svg_narrow` is drawn for phones.
    pub svg: String,
    pub svg_narrow: String,
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
    pub input_groups: &'a [InputGroup],
    /// Recipients with no successful delivery (the table lists the worst of them).
    pub locked_out: u64,
}

/// One part of a section's content.
enum Block {
    /// The verdict and, when spend was estimated from a sample, the note saying so.
    Verdict,
    /// The headline figures: texts, failure rate, spend against the limit, users locked out, top cause.
    Headline,
    /// Each finding with its severity, excess over the baseline, evidence and remedy (the surge chart
    /// inside a pumping finding), background (info) findings folded, or "No failures."
    Findings,
    /// How many recipients got only failures, and the worst of them.
    Recipients,
    /// These tables (by [`Table::name`]), in this order; one the report lacks is left out.
    Tables(&'static [&'static str]),
    /// These charts (by [`Chart::name`]), in this order.
    Charts(&'static [&'static str]),
    /// The AWS CLI commands a person would run to check spend.
    Commands,
    /// The audit rows: options, version, time, what was read.
    Audit,
    /// The inputs by folder and shape, and how to recompute their digests.
    InputGroups,
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
        content: &[Block::Verdict, Block::Headline, Block::Charts(&["volume"])],
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
            Block::InputGroups,
            Block::Tables(&["skipped", "skipped_examples"]),
        ],
    },
];

/// Recipients shown on the page; the full list is in `tables/`.
const RECIPIENTS_SHOWN: usize = 25;

pub fn render(p: &Page<'_>) -> String {
    let s = p.summary;
    let page = html! {
        (PreEscaped("<!doctype html>\n"))
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
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
                @if let Some(note) = &s.recipients_note {
                    p.note { "Recipients: " (note) } "\n"
                }
            },
            Block::Findings => findings(p),
            Block::Headline => figures(&headline::figures(s, p.findings, p.locked_out)),
            Block::Recipients => recipients(p.table(RECIPIENTS_TABLE), p.locked_out),
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
                div.scroll {
                    table {
                        tbody {
                            @for (k, v) in p.audit {
                                tr { th { (k) } td { (v) } }
                            }
                        }
                    }
                }
                "\n"
            },
            Block::InputGroups => input_groups(p.input_groups),
        }
    }
}

impl Page<'_> {
    fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }
}

/// The inputs by folder and shape: long folders, digests and commands wrap anywhere; on a phone each group
/// is a block of lines (`style`).
fn input_groups(groups: &[InputGroup]) -> Markup {
    html! {
        p.caption.muted { "Inputs by folder and shape (" (groups.len()) " groups)" }
        div.scroll { table.groups {
            thead { tr {
                th { "folder and shape" } th { "files" } th { "records" } th { "skipped" }
                th { "sha256 of the files' sha256, and how to check it" }
            } }
            tbody {
                @for g in groups {
                    tr {
                        td { code { (g.folder) } br; span.muted { (g.shape) } }
                        td.num data-label="files" { (g.files) }
                        td.num data-label="records" { (g.records) }
                        td.num data-label="skipped" { (g.skipped) }
                        td {
                            code { (g.digest.as_deref().unwrap_or("-")) }
                            @if let Some(c) = &g.check {
                                br; span.muted { "check: " } code { (c) }
                            }
                        }
                    }
                }
            }
        } }
        p.muted { (RECIPE) } "\n"
    }
}

/// The headline figures, one box each; the top cause gets a wider box (its value is a sentence).
fn figures(all: &[Figure]) -> Markup {
    html! {
        div.figures {
            @for f in all {
                div class=(if f.label == "top cause" { "figure cause" } else { "figure" }) {
                    div.label { (f.label) }
                    div.value { (f.value) }
                    div.sub { (f.note) }
                }
            }
        }
        "\n"
    }
}

fn table(t: &Table) -> Markup {
    let numeric = |i: usize| t.numeric.get(i).copied().unwrap_or(false);
    // The title above the box, not a <caption>: a caption is as narrow as its table.
    html! {
        p.caption.muted { (t.title) }
        div.scroll { table.sortable {
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
        } }
        "\n"
    }
}

/// The count of recipients with only failures, and the worst of them.
fn recipients(locked: Option<&Table>, total: u64) -> Markup {
    let top = locked.filter(|t| !t.rows.is_empty()).map(|t| {
        let shown = t.rows.len().min(RECIPIENTS_SHOWN);
        Table {
            title: format!("Top {shown} of {total} by failed texts"),
            rows: t.rows[..shown].to_vec(),
            ..t.clone()
        }
    });
    html! {
        p {
            (total)
            " recipients got only failures in this window: these users could not receive their codes. \
             Numbers are masked."
        }
        "\n"
        @if let Some(top) = &top {
            (table(top))
        }
    }
}

fn human_rfc3339(t: &str) -> String {
    crate::domain::time::parse_timestamp_ms(t)
        .map_or_else(|| t.to_owned(), crate::domain::time::human)
}

/// The causes, ranked; the background (info) findings folded under one line after them.
fn findings(p: &Page<'_>) -> Markup {
    let (causes, background): (Vec<&Finding>, Vec<&Finding>) = p
        .findings
        .iter()
        .partition(|f| f.severity != Severity::Info);
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
                    (headline::percent(f.share_of_failures)) " of failures)"
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
    html! {
        figure.chart {
            div.wide { (PreEscaped(&c.svg)) }
            div.narrow { (PreEscaped(&c.svg_narrow)) }
            figcaption.muted { (c.title) }
        }
        "\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_and_charts_inlined() {
        let t = Table {
            name: "t",
            title: "<b>title</b>".into(),
            headers: vec!["a&b", "n"],
            rows: vec![vec!["<script>\"x\"&'".into(), "1".into()]],
            numeric: vec![false, true],
        };
        assert_eq!(
            table(&t).into_string(),
            "<p class=\"caption muted\">&lt;b&gt;title&lt;/b&gt;</p><div class=\"scroll\"><table class=\"sortable\">\
             <thead><tr><th>a&amp;b</th><th>n</th></tr></thead><tbody><tr>\
             <td>&lt;script&gt;&quot;x&quot;&amp;'</td><td class=\"num\">1</td></tr></tbody></table></div>\n"
        );
        let c = Chart {
            name: "c".into(),
            title: "\"quoted\"".into(),
            svg: "<svg>w</svg>".into(),
            svg_narrow: "<svg>n</svg>".into(),
        };
        assert_eq!(
            chart(&c).into_string(),
            "<figure class=\"chart\"><div class=\"wide\"><svg>w</svg></div><div class=\"narrow\"><svg>n</svg>\
             </div><figcaption class=\"muted\">&quot;quoted&quot;</figcaption></figure>\n"
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
