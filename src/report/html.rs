//! `index.html`: one self-contained page (inline CSS, charts as data-URI PNGs, a few lines of inline JS to
//! sort tables), readable with JavaScript off, with no external reference of any kind. Every string that
//! came from a log is escaped.

use std::fmt::Write as _;

use super::Table;
use crate::analysis::findings::Finding;
use crate::analysis::summary::Summary;

/// The table of recipients with no successful delivery (see `bundle`).
pub const RECIPIENTS_TABLE: &str = "recipients_without_delivery";

pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

/// A chart embedded in the page.
pub struct Chart {
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

const CSS: &str = r#"
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;color:#1f2933;background:#f7f8fa}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:1.6em;margin:0 0 8px}h2{margin-top:36px;border-bottom:2px solid #d9dee5;padding-bottom:4px}
.verdict{font-size:1.2em;background:#fff4e5;border-left:6px solid #d9822b;padding:14px 18px;margin:16px 0}
.finding{background:#fff;border:1px solid #d9dee5;border-radius:6px;padding:12px 16px;margin:12px 0}
.finding h3{margin:0 0 6px}.finding .n{color:#c23030;font-weight:bold}
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

fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut o = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for k in 0..4 {
            if k <= c.len() {
                o.push(A[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                o.push('=');
            }
        }
    }
    o
}

pub fn table(t: &Table) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<table class=\"sortable\"><caption class=\"muted\">{}</caption><thead><tr>",
        escape(&t.title)
    );
    for c in &t.headers {
        let _ = write!(h, "<th>{}</th>", escape(c));
    }
    h.push_str("</tr></thead><tbody>");
    for r in &t.rows {
        h.push_str("<tr>");
        for (i, c) in r.iter().enumerate() {
            let class = if t.numeric.get(i).copied().unwrap_or(false) {
                " class=\"num\""
            } else {
                ""
            };
            let _ = write!(h, "<td{class}>{}</td>", escape(c));
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table>\n");
    h
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

fn finding(f: &Finding) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<div class=\"finding\"><h3>{}</h3><p><span class=\"n\">{} texts</span> ({} of failures), {} recipients, from {} to {}{}</p><ul>",
        escape(&f.title),
        f.texts,
        share(f.share_of_failures),
        f.recipients,
        escape(&human_rfc3339(&f.first_seen)),
        escape(&human_rfc3339(&f.last_seen)),
        f.concentration.as_ref().map(|c| format!("; {}", escape(c))).unwrap_or_default()
    );
    for e in &f.evidence {
        let _ = write!(h, "<li>{}</li>", escape(e));
    }
    if !f.message_ids.is_empty() {
        let _ = write!(
            h,
            "<li>example message ids: <code>{}</code></li>",
            escape(&f.message_ids.join(", "))
        );
    }
    let _ = writeln!(
        h,
        "</ul><div class=\"remedy\"><b>What to do:</b> {}</div></div>",
        escape(&f.remedy)
    );
    h
}

pub fn render(p: &Page<'_>) -> String {
    let s = p.summary;
    let mut h = String::with_capacity(1 << 20);
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>{}</title><style>{CSS}</style></head><body><main>\n<h1>{}</h1>\n<p class=\"muted\">{} texts from {} to {}</p>\n\
         <p class=\"verdict\">{}</p>\n",
        escape(p.title),
        escape(p.title),
        s.events,
        escape(s.first_event.as_deref().unwrap_or("-")),
        escape(s.last_event.as_deref().unwrap_or("-")),
        escape(p.verdict)
    );
    if let Some(n) = &s.spend.sampling_note {
        let _ = writeln!(h, "<p class=\"note\">{}</p>", escape(n));
    }
    h.push_str("<h2>Findings, by texts lost</h2>\n");
    if p.findings.is_empty() {
        h.push_str("<p>No failures.</p>\n");
    }
    for f in p.findings {
        h.push_str(&finding(f));
    }
    let locked = p.tables.iter().find(|t| t.name == RECIPIENTS_TABLE);
    let _ = write!(
        h,
        "<h2>Recipients with no successful delivery</h2>\n<p>{} recipients got only failures in this window: these users could not \
         receive their codes. Numbers are masked.</p>\n",
        locked.map_or(0, |t| t.rows.len())
    );
    // The full list is in tables/; the page shows the worst cases.
    if let Some(t) = locked.filter(|t| !t.rows.is_empty()) {
        let shown = t.rows.len().min(25);
        let top = Table {
            title: format!("Top {shown} of {} by failed texts", t.rows.len()),
            rows: t.rows[..shown].to_vec(),
            ..t.clone()
        };
        h.push_str(&table(&top));
    }
    h.push_str("<h2>Spend</h2>\n");
    for t in p
        .tables
        .iter()
        .filter(|t| matches!(t.name, "spend" | "spend_by_month"))
    {
        h.push_str(&table(t));
    }
    for c in p.charts.iter().filter(|c| c.title.starts_with("Spend")) {
        h.push_str(&chart(c));
    }
    if !s.spend.commands.is_empty() {
        h.push_str("<p>Commands a person would run (smslens never calls AWS):</p><pre>");
        for c in &s.spend.commands {
            h.push_str(&escape(c));
            h.push('\n');
        }
        h.push_str("</pre>\n");
    }
    h.push_str("<h2>Breakdowns</h2>\n");
    for c in p.charts.iter().filter(|c| !c.title.starts_with("Spend")) {
        h.push_str(&chart(c));
    }
    for t in p.tables.iter().filter(|t| {
        matches!(
            t.name,
            "by_provider_response"
                | "by_country"
                | "by_carrier"
                | "by_sms_type"
                | "latency"
                | "unknown_fields"
        )
    }) {
        h.push_str(&table(t));
    }
    h.push_str("<h2>Audit trail</h2>\n<table><tbody>");
    for (k, v) in p.audit {
        let _ = write!(h, "<tr><th>{}</th><td>{}</td></tr>", escape(k), escape(v));
    }
    h.push_str("</tbody></table>\n");
    for t in p
        .tables
        .iter()
        .filter(|t| matches!(t.name, "inputs" | "skipped" | "skipped_examples"))
    {
        h.push_str(&table(t));
    }
    let _ = writeln!(h, "</main><script>{JS}</script></body></html>");
    h
}

fn chart(c: &Chart) -> String {
    format!(
        "<figure><img alt=\"{}\" src=\"data:image/png;base64,{}\"><figcaption class=\"muted\">{}</figcaption></figure>\n",
        escape(&c.title),
        base64(&c.png),
        escape(&c.title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_encodes() {
        assert_eq!(
            escape("<script>\"x\"&'"),
            "&lt;script&gt;&quot;x&quot;&amp;&#39;"
        );
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"M"), "TQ==");
    }
}
