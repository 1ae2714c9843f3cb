//! The page's inline CSS and script (the only pre-escaped text in `html`). One layout from 390 px phones to
//! wide screens: wide tables scroll inside their box (the page never does), every chart has a narrow
//! variant drawn for phones, and a print stylesheet keeps charts and table rows whole.

pub const CSS: &str = r#"
*,*::before,*::after{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;color:#1f2933;background:#f7f8fa;line-height:1.45}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:1.6em;margin:0 0 4px}h2{margin-top:36px;border-bottom:2px solid #d9dee5;padding-bottom:4px}
.verdict{font-size:1.2em;background:#fff4e5;border-left:6px solid #d9822b;padding:14px 18px;margin:16px 0}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(165px,1fr));gap:10px;margin:16px 0}
.figure{background:#fff;border:1px solid #d9dee5;border-radius:6px;padding:10px 14px;min-width:0}
.figure .label{font-size:.78em;text-transform:uppercase;letter-spacing:.05em;color:#616e7c}
.figure .value{font-size:1.45em;font-weight:600;line-height:1.25;overflow-wrap:anywhere}
.figure.cause{grid-column:span 2}.figure.cause .value{font-size:1.05em}
.figure .sub{font-size:.85em;color:#616e7c;overflow-wrap:anywhere}
.finding{background:#fff;border:1px solid #d9dee5;border-radius:6px;padding:12px 16px;margin:12px 0}
.finding h3{margin:0 0 6px}.finding .n{color:#c23030;font-weight:bold}
.remedy{background:#eef6ee;border-left:4px solid #29a634;padding:8px 12px;margin-top:8px}
.scroll{overflow-x:auto;max-width:100%;margin:8px 0 16px}
table{border-collapse:collapse;background:#fff;font-size:.92em}
p.caption{margin:14px 0 2px;font-size:.92em}p.caption+.scroll{margin-top:0}
table.groups{width:100%}table.groups code{overflow-wrap:anywhere;word-break:break-all}
table.groups td:last-child{min-width:20em}
th,td{border:1px solid #d9dee5;padding:4px 8px;text-align:left;vertical-align:top;overflow-wrap:break-word}
th{background:#eef1f5;cursor:pointer}td.num{text-align:right;font-variant-numeric:tabular-nums}
figure.chart{margin:8px 0 16px;max-width:900px}
figure.chart svg{display:block;width:100%;height:auto;border:1px solid #d9dee5;background:#fff}
figure.chart .narrow{display:none}
.tips rect:hover{fill-opacity:.07}
code,pre{font-family:"DejaVu Sans Mono",monospace;font-size:.9em;overflow-wrap:anywhere}
pre{background:#fff;border:1px solid #d9dee5;padding:8px;white-space:pre-wrap}
.muted{color:#616e7c}.note{background:#fff;border-left:4px solid #2b95d6;padding:8px 12px}
@media (max-width:640px){
main{padding:12px}h1{font-size:1.3em}.verdict{font-size:1.05em;padding:10px 12px}
.figures{grid-template-columns:1fr 1fr}.figure{padding:8px 10px}.figure .value{font-size:1.2em}
figure.chart .wide{display:none}figure.chart .narrow{display:block}
table.groups thead{display:none}table.groups,table.groups tbody,table.groups tr,table.groups td{display:block}
table.groups tr{border:1px solid #d9dee5;margin:0 0 8px;background:#fff}table.groups td{border:0;padding:3px 8px}
table.groups td.num{display:inline-block;text-align:left}table.groups td.num::before{content:attr(data-label) " "}
table.groups td:last-child{min-width:0}
}
@media print{
body{background:#fff;font-size:10pt}main{max-width:none;padding:0}
figure.chart .wide{display:block}figure.chart .narrow{display:none}
figure,.figure,.finding,.verdict{break-inside:avoid}
h2,h3{break-after:avoid}
tr,th,td{break-inside:avoid}thead{display:table-header-group}
.scroll{overflow:visible}table{font-size:.85em}th{cursor:auto}
}
"#;

/// Sorts a table when its header is clicked; the page reads fine without it.
pub const JS: &str = r#"
document.querySelectorAll('table.sortable th').forEach(function(th,i){th.addEventListener('click',function(){
var t=th.closest('table'),b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows),d=th.dataset.dir==='a'?-1:1;th.dataset.dir=d>0?'a':'d';
rows.sort(function(x,y){var p=x.cells[i].dataset.v||x.cells[i].textContent,q=y.cells[i].dataset.v||y.cells[i].textContent,
m=parseFloat(p.replace('%','')),n=parseFloat(q.replace('%',''));return (isNaN(m)||isNaN(n)?p.localeCompare(q):m-n)*d;});
rows.forEach(function(r){b.appendChild(r);});});});
"#;
