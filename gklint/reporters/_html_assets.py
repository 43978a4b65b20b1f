"""The inline stylesheet and script of the HTML report (static text, no report data).

Both are constant so the page's Content-Security-Policy can allow exactly
them by hash: even if report text ever slipped through unescaped, no other
script or style would run.  No external fonts, images or requests.
"""

from __future__ import annotations

import base64
import hashlib

__all__ = ["CSP", "SCRIPT", "STYLE"]

STYLE = """
:root{--ink:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa;--err:#c62828;--warn:#a15c00;
--info:#0b6bcb;--ok:#1a7f37;--hl:#fff3b0;--hlp:#ffc9c9;--flag:#fde7e7}
*{box-sizing:border-box}
html{font-size:15px}
body{margin:0;color:var(--ink);background:#fff;line-height:1.6;
font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","PingFang SC","Hiragino Sans GB",
"Microsoft YaHei","WenQuanYi Micro Hei","SimSun",system-ui,sans-serif}
main{padding:16px 24px 96px}
h1{font-size:1.5rem;margin:0 0 4px}
h2{font-size:1.25rem;margin:0;display:flex;gap:12px;align-items:center;flex-wrap:wrap}
h3{font-size:1.1rem;margin:20px 0 8px}
h4{font-size:1rem;margin:16px 0 6px;color:var(--muted)}
h4.severity{font-size:1.05rem;color:inherit;border-bottom:1px solid #ddd}h4.severity.error{color:var(--err)}
h5{font-size:.95rem;margin:10px 0 4px;color:var(--muted)}
.meta{color:var(--muted);margin:0 0 16px}
code,.pos{font-family:"Noto Sans Mono CJK SC","Noto Sans Mono",Consolas,monospace;font-size:.9em}
.verdict{display:inline-block;padding:2px 10px;border-radius:4px;color:#fff;font-size:1rem;white-space:nowrap}
.verdict.ok{background:var(--ok)}.verdict.bad{background:var(--err)}
.report{border-top:3px solid var(--line);padding-top:16px;margin-top:24px}
.summary{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:12px 0;
background:var(--bg);padding:10px 14px;border-radius:6px}
.summary dt{color:var(--muted)}.summary dd{margin:0}
.count{display:inline-block;margin-right:12px}
.count.error b{color:var(--err)}.count.warning b{color:var(--warn)}.count.info b{color:var(--info)}
.cols{display:grid;grid-template-columns:minmax(340px,5fr) 7fr;gap:24px;align-items:start}
.findings-col{position:sticky;top:0;max-height:100vh;overflow:auto;padding-right:6px}
@media (max-width:1000px){.cols{grid-template-columns:1fr}.findings-col{position:static;max-height:none}}
ol.findings{list-style:none;margin:0;padding:0}
.finding{border:1px solid var(--line);border-left:5px solid var(--line);border-radius:6px;
padding:8px 12px;margin:0 0 10px;cursor:pointer;background:#fff}
.finding.sev-error{border-left-color:var(--err)}.finding.sev-warning{border-left-color:var(--warn)}
.finding.sev-info{border-left-color:var(--info)}
.finding:hover,.finding:focus{background:var(--bg);outline:none}
.finding.active{box-shadow:0 0 0 2px var(--ink) inset}
.finding .head{display:flex;gap:8px;flex-wrap:wrap;align-items:baseline;font-size:.9rem}
.sev{font-weight:bold}.sev-error .sev{color:var(--err)}.sev-warning .sev{color:var(--warn)}
.sev-info .sev{color:var(--info)}
.finding .pos,.finding .logical{color:var(--muted)}
.finding .msg{margin:4px 0;font-size:1rem}
.finding .snippet{margin:2px 0;color:var(--muted);font-size:.9rem}
.finding .snippet code{background:var(--bg);padding:0 4px;color:var(--ink);word-break:break-all}
.finding ul.related{margin:2px 0;padding-left:18px;font-size:.9rem;color:var(--muted)}
.finding .fix{margin:2px 0;font-size:.9rem;color:var(--ok)}
.finding .cells{margin:2px 0;font-size:.85rem;color:var(--muted)}
.finding details{margin-top:4px;font-size:.9rem}
.finding details p{margin:4px 0;white-space:pre-wrap}
.finding summary{color:var(--muted)}
.notes{border:1px solid var(--err);background:#fff5f5;border-radius:6px;padding:8px 12px;margin:8px 0}
.notes p{margin:2px 0}
.empty{color:var(--ok);font-weight:bold}
figure.table{margin:0 0 24px}
figcaption{font-weight:bold;margin:0 0 6px}
figcaption .layout{font-weight:normal;color:var(--muted);font-size:.9rem;margin-left:8px}
.scroll{overflow-x:auto}
table.grid{border-collapse:collapse;font-size:.9rem;min-width:60%}
table.grid th,table.grid td{border:1px solid var(--line);padding:3px 8px;vertical-align:middle}
table.grid thead th,table.grid tr.head th{background:var(--bg);font-weight:normal;text-align:center}
table.grid th.row{text-align:left;font-weight:normal;min-width:12em;max-width:26em}
table.grid th.row.sub{padding-left:2em}
table.grid tr.group th{text-align:left;background:#fbfbfc;font-weight:bold}
table.grid td{text-align:right;min-width:3.5em;font-variant-numeric:tabular-nums}
td.blank,td.missing{color:var(--muted);text-align:center}
td.invalid{color:var(--err);font-style:italic}
.found{color:var(--muted);font-size:.85em}
.flagged{background:var(--flag)}
.hl{background:var(--hl)!important;outline:2px solid #d4a300;outline-offset:-2px}
.hl-primary{background:var(--hlp)!important;outline:3px solid var(--err);outline-offset:-3px;font-weight:bold}
table.index{border-collapse:collapse;margin:8px 0 16px}
table.index th,table.index td{border:1px solid var(--line);padding:4px 10px;text-align:left}
table.index td.n{text-align:right}
#active{position:fixed;left:0;right:0;bottom:0;background:var(--ink);color:#fff;padding:10px 24px;
font-size:1rem;box-shadow:0 -2px 8px rgba(0,0,0,.25)}
#active[hidden]{display:none}
#active b{margin-right:8px}
footer{color:var(--muted);font-size:.85rem;margin-top:32px}
@media print{.findings-col{position:static;max-height:none}#active{display:none}}
""".strip()

SCRIPT = """
(function () {
  "use strict";
  var bar = document.getElementById("active");
  var pinned = null;
  function ids(el, name) {
    var v = el.getAttribute(name);
    return v ? v.split(" ") : [];
  }
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function show(f) {
    each(document.querySelectorAll(".hl, .hl-primary"), function (el) {
      el.classList.remove("hl", "hl-primary");
    });
    each(document.querySelectorAll(".finding.active"), function (el) {
      el.classList.remove("active");
    });
    if (!f) { if (bar) { bar.hidden = true; } return; }
    f.classList.add("active");
    ids(f, "data-related").forEach(function (id) {
      var el = document.getElementById(id);
      if (el) { el.classList.add("hl"); }
    });
    ids(f, "data-primary").forEach(function (id) {
      var el = document.getElementById(id);
      if (el) { el.classList.add("hl-primary"); }
    });
    if (bar) {
      var rule = f.querySelector(".rule");
      var msg = f.querySelector(".msg");
      bar.textContent = "";
      var b = document.createElement("b");
      b.textContent = rule ? rule.textContent : "";
      bar.appendChild(b);
      bar.appendChild(document.createTextNode(msg ? msg.textContent : ""));
      bar.hidden = false;
    }
  }
  function pin(f, scroll) {
    pinned = f;
    show(f);
    if (!f || !scroll) { return; }
    f.scrollIntoView({block: "nearest"});
    var first = ids(f, "data-primary").concat(ids(f, "data-related"))[0];
    var cell = first && document.getElementById(first);
    if (cell) { cell.scrollIntoView({block: "nearest", inline: "nearest"}); }
  }
  each(document.querySelectorAll(".finding"), function (f) {
    f.addEventListener("mouseenter", function () { show(f); });
    f.addEventListener("mouseleave", function () { show(pinned); });
    f.addEventListener("focus", function () { show(f); });
    f.addEventListener("click", function (ev) {
      if (ev.target.closest && ev.target.closest("a, summary, details")) { return; }
      pin(f, true);
      if (history.replaceState) { history.replaceState(null, "", "#" + f.id); }
    });
    f.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); f.click(); }
    });
  });
  each(document.querySelectorAll("[data-findings]"), function (cell) {
    cell.addEventListener("click", function () {
      var f = document.getElementById(ids(cell, "data-findings")[0]);
      if (f) { pin(f, false); f.scrollIntoView({block: "nearest"}); }
    });
  });
  function fromHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var f = id && document.getElementById(id);
    if (f && f.classList.contains("finding")) { pin(f, true); }
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
  document.documentElement.setAttribute("data-ready", "1");
})();
""".strip()


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


#: Only this page's own script and stylesheet; nothing is fetched from anywhere.
CSP = (
    "default-src 'none'; "
    f"script-src 'sha256-{_sha256(SCRIPT)}'; "
    f"style-src 'sha256-{_sha256(STYLE)}'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)
