/* newsclean report: draws the page from the JSON block "report-data" (see newsclean/report.py).
   Plain ES5-style DOM code, no library, no network; every string from the data goes in as text
   (textContent / text nodes), never as HTML.
   A document's lines ("L") are items:
     "text"                               a kept line
     [rule, reason, "text"]               a line cut whole (indices into RULES and REASONS)
     {"p": ["kept", [rule, reason, "cut"], ...]}   a line with inline cuts
     {"g": lines, "c": characters}        lines not stored (the document was shortened)  */
(function () {
"use strict";
var D = JSON.parse(document.getElementById("report-data").textContent);
var T = D.totals, M = D.meta, RULES = D.rules, REASONS = D.reasons, DOCS = D.docs;

function h(tag, props) {
  var el = document.createElement(tag);
  if (props) for (var k in props) {
    var v = props[k];
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (k === "style") el.style.cssText = v;
    else if (k.slice(0, 2) === "on") el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v);
  }
  for (var i = 2; i < arguments.length; i++) add(el, arguments[i]);
  return el;
}
function add(el) {  /* add(el, child, child, ...): nodes, strings, arrays of them; null is skipped */
  for (var i = 1; i < arguments.length; i++) {
    var c = arguments[i];
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) { for (var j = 0; j < c.length; j++) add(el, c[j]); continue; }
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}
function fmt(n) { return (n || 0).toLocaleString("en-US"); }
function pct(a, b, d) { return b ? (100 * a / b).toFixed(d === undefined ? 1 : d) + "%" : "–"; }
function bar(kind, frac, title) {
  return h("div", {class: "bar " + kind, title: title, role: "img", "aria-label": title},
    h("span", {style: "width:" + Math.max(0, Math.min(100, 100 * frac)).toFixed(2) + "%"}));
}
function ruleHref(id) { return "#rule-" + encodeURIComponent(id); }
function ruleLink(ri) { var id = RULES[ri].id; return h("a", {class: "rid", href: ruleHref(id), title: RULES[ri].desc}, id); }
function docLabel(d) { return d.id ? d.id : d.src; }

/* header ------------------------------------------------------------------------------------ */
var sc = M.scope;
var scopeText = sc.sampled
  ? "a random sample of " + fmt(sc.sample) + " of the " + fmt(sc.records) + " records read (seed " + sc.seed + ")"
  : "all " + fmt(sc.records) + " records read";
document.getElementById("subtitle").textContent =
  (M.inputs.length ? M.inputs.join(", ") + " · " : "") + "field " + M.field + (M.html ? " (HTML)" : "") +
  " · " + scopeText + " · newsclean " + M.version + " · " + M.generated;

/* totals ------------------------------------------------------------------------------------ */
(function () {
  var removed = T.chars_in - T.chars_out;
  function card(k, v, s, cls) { return h("div", {class: "card" + (cls ? " " + cls : "")}, h("div", {class: "k"}, k), h("div", {class: "v"}, v), h("div", {class: "s"}, s || "")); }
  var body = document.getElementById("totals-body");
  add(body, h("div", {class: "cards"},
    card("Documents", fmt(T.documents), sc.sampled ? "sample of " + fmt(sc.records) + " records" : fmt(T.changed) + " changed"),
    card("Characters in", fmt(T.chars_in), M.html ? "text extracted from the HTML" : "field " + M.field),
    card("Characters out", fmt(T.chars_out), fmt(T.cuts) + " cuts"),
    card("Removed", pct(removed, T.chars_in), fmt(removed) + " characters", "hl"),
    card("Documents emptied", fmt(T.emptied), pct(T.emptied, T.documents) + " of documents"),
    card("Rejects", fmt(T.rejects), T.blank ? fmt(T.blank) + " blank lines skipped" : "lines not cleaned")));
  add(body, h("p", {class: "small muted", id: "scope"},
    "Totals, chart, examples and sites: " + scopeText + ". " +
    (sc.sampled ? "Rejects: the whole input (and any sampled record the cleaner failed on). " : "") +
    "Characters removed per rule count the characters of its cuts; the total also counts the blank lines and trailing spaces the cleaner drops."));
  if (T.rejects) {
    var rows = D.rejects.by_reason.map(function (r) { return h("tr", null, h("td", null, r[0]), h("td", {class: "num"}, fmt(r[1]))); });
    var first = D.rejects.first.map(function (r) { return h("tr", null, h("td", {class: "small"}, r.src), h("td", {class: "small"}, r.reason), h("td", {class: "small muted"}, h("code", null, r.raw))); });
    add(body, h("details", null, h("summary", null, fmt(T.rejects) + " rejected lines (first " + D.rejects.first.length + " listed)"),
      h("table", {style: "max-width:420px"}, h("tr", null, h("th", null, "reason"), h("th", {class: "num"}, "lines")), rows),
      h("table", null, h("tr", null, h("th", null, "where"), h("th", null, "reason"), h("th", null, "line")), first)));
  }
})();

/* chart --------------------------------------------------------------------------------------- */
var chartState = {by: "docs", cat: "", all: false};
function chartTable(rows, isRule) {
  var maxChars = Math.max.apply(null, rows.map(function (r) { return r.chars; }).concat([1]));
  var removed = Math.max(T.chars_in - T.chars_out, 1);
  var head = h("tr", null, h("th", null, isRule ? "rule" : "category"), isRule ? h("th", null, "category") : null,
    h("th", null, "share of documents hit"), h("th", {class: "num"}, "documents"),
    h("th", null, "characters removed"), h("th", {class: "num"}, "characters"), h("th", {class: "num"}, "cuts"));
  return h("table", {class: "chart " + (isRule ? "rules" : "cats")}, h("thead", null, head), h("tbody", null, rows.map(function (r) {
    var name = isRule ? h("a", {href: ruleHref(r.id), title: r.desc}, r.id)
      : h("a", {href: "#chart", title: "show this category's rules", onclick: function () { chartState.cat = r.cat; drawRules(); }}, r.cat);
    return h("tr", {"data-rule": isRule ? r.id : null, "data-category": isRule ? null : r.cat},
      h("td", {class: "name"}, name), isRule ? h("td", null, h("span", {class: "tag"}, r.cat)) : null,
      h("td", {class: "barcell"}, bar("docs", r.docs / Math.max(T.documents, 1), pct(r.docs, T.documents) + " of documents")),
      h("td", {class: "num"}, pct(r.docs, T.documents) + " · " + fmt(r.docs)),
      h("td", {class: "barcell"}, bar("chars", r.chars / maxChars, fmt(r.chars) + " characters")),
      h("td", {class: "num"}, fmt(r.chars) + " · " + pct(r.chars, removed, 1)),
      h("td", {class: "num"}, fmt(r.cuts)));
  })));
}
function sorter(by) { return function (a, b) { return (b[by] - a[by]) || (b.docs - a.docs) || (b.chars - a.chars) || ((a.id || a.cat) < (b.id || b.cat) ? -1 : 1); }; }
var chartBody = document.getElementById("chart-body");
var rulesBox = h("div", {id: "rules-chart"});
function drawCats() {
  var cats = D.categories.slice().sort(sorter(chartState.by));
  return chartTable(cats, false);
}
var catsBox = h("div", {id: "cats-chart"});
function drawRules() {
  var rows = RULES.filter(function (r) { return r.docs > 0 && (!chartState.cat || r.cat === chartState.cat); }).sort(sorter(chartState.by));
  var shown = chartState.all ? rows : rows.slice(0, 40);
  rulesBox.textContent = "";
  add(rulesBox, h("h3", null, "Rules" + (chartState.cat ? " of category " + chartState.cat : "") + " (" + rows.length + ")",
    chartState.cat ? h("button", {class: "btn", style: "margin-left:10px", onclick: function () { chartState.cat = ""; drawRules(); }}, "all categories") : null));
  add(rulesBox, chartTable(shown, true));
  if (rows.length > shown.length)
    add(rulesBox, h("p", null, h("button", {class: "btn", onclick: function () { chartState.all = true; drawRules(); }}, "show all " + rows.length + " rules")));
  catsBox.textContent = "";
  add(catsBox, h("h3", null, "Categories (" + D.categories.length + ")"), drawCats());
}
function sortButton(by, label) {
  return h("button", {class: chartState.by === by ? "on" : "", "data-by": by, onclick: function () {
    chartState.by = by; drawRules();
    chartBody.querySelectorAll(".controls button").forEach(function (b) { b.className = b.getAttribute("data-by") === by ? "on" : ""; });
  }}, label);
}
if (!RULES.length) add(chartBody, h("p", {class: "muted"}, "Nothing was cut."));
else {
  add(chartBody, h("div", {class: "controls"}, "Sort by", sortButton("docs", "documents hit"), sortButton("chars", "characters removed"), sortButton("cuts", "cuts"),
    h("span", {class: "legend"}, h("span", {class: "sw docs"}), "share of documents hit"),
    h("span", {class: "legend"}, h("span", {class: "sw chars"}), "characters removed (bar: relative to the largest; % of all removed)")));
  add(chartBody, catsBox, rulesBox);
  drawRules();
}

/* lines (examples and document view) ------------------------------------------------------------ */
function label(r, q, short) {
  return h("span", {class: "lbl"}, ruleLink(r), short ? null : h("span", {class: "why"}, REASONS[q]));
}
function cutEl(p) { return h("del", {class: "cut", "data-rule": RULES[p[0]].id, title: RULES[p[0]].id + ": " + REASONS[p[1]]}, p[2]); }
function lineEl(no, item, prev, focus) {
  if (typeof item === "string")
    return h("div", {class: "ln"}, h("span", {class: "no"}, no), h("span", {class: "tx"}, item), h("span"));
  if (Array.isArray(item)) {
    var same = prev && prev[0] === item[0] && prev[1] === item[1];
    return h("div", {class: "ln cut" + (focus ? " focus" : ""), "data-rule": RULES[item[0]].id},
      h("span", {class: "no"}, no), h("span", {class: "tx"}, cutEl(item)), label(item[0], item[1], same));
  }
  if (item.p) {
    var labels = [], seen = {};
    var tx = h("span", {class: "tx"}, item.p.map(function (p) {
      if (typeof p === "string") return p;
      var key = p[0] + "/" + p[1];
      if (!seen[key]) { seen[key] = 1; labels.push(label(p[0], p[1], false)); }
      return cutEl(p);
    }));
    return h("div", {class: "ln part" + (focus ? " focus" : ""), "data-rule": RULES[item.p.filter(function (p) { return typeof p !== "string"; })[0][0]].id},
      h("span", {class: "no"}, no), tx, h("span", {class: "lbl"}, labels));
  }
  return h("div", {class: "gap"}, "… " + fmt(item.g) + " line" + (item.g === 1 ? "" : "s") + (item.c ? " (" + fmt(item.c) + " characters)" : "") + " not stored");
}
function cutKey(item) { return Array.isArray(item) ? item : null; }

/* examples ----------------------------------------------------------------------------------------- */
(function () {
  var body = document.getElementById("examples-body");
  var rules = RULES.filter(function (r) { return r.docs > 0; }).sort(sorter("docs"));
  if (!rules.length) { add(body, h("p", {class: "muted"}, "Nothing was cut.")); return; }
  add(body, h("p", {class: "small muted"}, "Up to " + M.examples + " cuts of each rule, from different documents chosen at random, with the lines around them (line numbers from 1). Click a rule to open it."));
  rules.forEach(function (r, k) {
    var ri = RULES.indexOf(r);
    var exs = r.ex.map(function (e) {
      var prev = null;
      var lines = e.L.map(function (pair, j) {
        var gap = j > 0 && pair[0] > e.L[j - 1][0] + 1 ? h("div", {class: "gap"}, "…") : null;
        var el = lineEl(pair[0] + 1, pair[1], prev, pair[0] >= e.f[0] && pair[0] <= e.f[1]);
        if (!(typeof pair[1] === "string" && !pair[1].trim())) prev = cutKey(pair[1]);
        return [gap, el];
      });
      return h("div", {class: "ex"},
        h("div", {class: "exh"}, e.v ? h("a", {href: "#doc-" + e.n}, "document " + (e.id || "#" + e.n)) : h("span", null, "document " + (e.id || "#" + e.n) + " (not in the document view)"),
          h("span", null, e.src), h("span", null, "line " + (e.f[0] + 1) + (e.f[1] > e.f[0] ? "–" + (e.f[1] + 1) : ""))),
        h("div", {class: "lines"}, lines));
    });
    var inView = 0;
    for (var i = 0; i < DOCS.length; i++) if (DOCS[i].r.indexOf(ri) >= 0) inView++;
    add(body, h("details", {class: "rule", id: "rule-" + r.id, open: k < 3 ? "" : null},
      h("summary", null, h("span", {class: "rid"}, r.id), h("span", {class: "tag"}, r.cat),
        h("span", {class: "small"}, fmt(r.docs) + " documents (" + pct(r.docs, T.documents) + "), " + fmt(r.cuts) + " cuts, " + fmt(r.chars) + " characters"),
        h("span", {class: "desc"}, r.desc)),
      inView ? h("p", {class: "small"}, h("a", {href: "#documents", onclick: function () { filterDocs("", ri); }}, "List the " + fmt(inView) + " documents of the document view hit by " + r.id)) : null,
      exs));
  });
})();

/* sites ------------------------------------------------------------------------------------------- */
(function () {
  var body = document.getElementById("sites-body");
  if (!M.url_field) { add(body, h("p", {class: "muted"}, "No URL field was given (--url-field), so cuts are not broken down by site.")); return; }
  if (!D.sites.length) { add(body, h("p", {class: "muted"}, "No record had a usable URL in the field " + M.url_field + ".")); return; }
  add(body, h("p", {class: "small muted"}, fmt(T.sites) + " sites (registered domains of " + M.url_field + ") in " + fmt(T.with_url) + " documents with a URL" +
    (D.sites_more ? "; the " + fmt(D.sites.length) + " with the most documents are listed" : "") + "."));
  add(body, h("table", {class: "sites"},
    h("thead", null, h("tr", null, h("th", null, "site"), h("th", {class: "num"}, "documents"), h("th", null, "share removed"), h("th", {class: "num"}, "removed"),
      h("th", {class: "num"}, "emptied"), h("th", null, "rules that fire most (documents)"))),
    h("tbody", null, D.sites.map(function (s) {
      return h("tr", {"data-site": s.site}, h("td", null, h("a", {href: "#documents", onclick: function () { filterDocs(s.site, -1); }}, s.site)),
        h("td", {class: "num"}, fmt(s.docs)), h("td", {class: "barcell", style: "width:18%"}, bar("share", (s.in - s.out) / Math.max(s.in, 1), pct(s.in - s.out, s.in))),
        h("td", {class: "num"}, pct(s.in - s.out, s.in)), h("td", {class: "num"}, fmt(s.emptied)),
        h("td", null, h("span", {class: "chips"}, s.top.map(function (t) { return h("span", null, ruleLink(t[0]), " " + fmt(t[1])); }))));
    }))));
})();

/* documents ------------------------------------------------------------------------------------- */
var byN = {};
DOCS.forEach(function (d) { byN[d.n] = d; });
var docQ, docRule, docList, docCount, docPane, docMore, current = null, limit = 200, matches = [];
function matchDoc(d, q, ri) {
  if (ri >= 0 && d.r.indexOf(ri) < 0) return false;
  if (!q) return true;
  if (String(d.n) === q || "#" + d.n === q) return true;
  return [d.id, d.src, d.url, d.site].some(function (s) { return s && s.toLowerCase().indexOf(q) >= 0; });
}
function filterDocs(q, ri) {
  if (q !== undefined) docQ.value = q;
  if (ri !== undefined) docRule.value = String(ri);
  limit = 200; drawList();
}
function drawList() {
  var q = docQ.value.trim().toLowerCase(), ri = parseInt(docRule.value, 10);
  matches = DOCS.filter(function (d) { return matchDoc(d, q, ri); });
  docList.textContent = "";
  matches.slice(0, limit).forEach(function (d) {
    add(docList, h("li", null, h("a", {href: "#doc-" + d.n, class: current === d ? "sel" : null, "data-n": d.n},
      docLabel(d), h("span", {class: "m"}, (d.site ? d.site + " · " : "") + pct(d.i - d.o, d.i, 0) + " removed · " + d.c + " cut" + (d.c === 1 ? "" : "s")))));
  });
  docCount.textContent = fmt(matches.length) + " of " + fmt(DOCS.length) + " documents" + (matches.length > limit ? " (first " + fmt(limit) + " listed)" : "");
  docMore.style.display = matches.length > limit ? "" : "none";
}
function showDoc(d) {
  current = d;
  docPane.textContent = "";
  if (!d) { add(docPane, h("p", {class: "muted", style: "padding:10px"}, "No document.")); return; }
  var no = 1, prev = null;
  var lines = d.L.map(function (item) {
    var el = lineEl(no, item, prev, false);
    no += (item && item.g) ? item.g : 1;
    if (!(typeof item === "string" && !item.trim())) prev = cutKey(item);
    return el;
  });
  add(docPane, h("div", {class: "dh"},
    h("h3", null, "Document " + docLabel(d)),
    h("div", {class: "meta"}, h("span", null, "record #" + d.n), d.src !== "#" + d.n ? h("span", null, d.src) : null, d.url ? h("span", null, d.url) : null,
      h("span", null, fmt(d.i) + " → " + fmt(d.o) + " characters (" + pct(d.i - d.o, d.i) + " removed)"), h("span", null, d.c + " cut" + (d.c === 1 ? "" : "s"))),
    d.r.length ? h("div", {class: "chips", style: "margin-top:4px"}, d.r.map(ruleLink)) : null),
    d.note ? h("div", {class: "note"}, d.note) : null,
    h("div", {class: "lines", id: "doc-lines"}, lines));
  docList.querySelectorAll("a.sel").forEach(function (a) { a.className = ""; });
  var a = docList.querySelector('a[data-n="' + d.n + '"]');
  if (a) a.className = "sel";
}
(function () {
  var body = document.getElementById("documents-body");
  var intro = sc.sampled ? "the sampled documents" : "the documents";
  var stored = DOCS.length < D.docs_total ? "a random " + fmt(DOCS.length) + " of " + intro + " (seed " + (sc.seed || 0) + ")" : "all " + fmt(DOCS.length) + " of " + intro;
  add(body, h("p", {class: "small muted"}, "Stored here: " + stored + ", each up to " + fmt(M.doc_cap || M.max_doc_chars) +
    " characters (a longer one keeps its cuts and the lines around them, and says so). Removed lines are struck through and labelled with their rule and reason; lines are numbered from 1."));
  docQ = h("input", {type: "search", id: "doc-search", placeholder: "Search: id, #record, file:line, URL", "aria-label": "find a document", oninput: function () { limit = 200; drawList(); },
    onkeydown: function (e) { if (e.key === "Enter" && matches.length) location.hash = "#doc-" + matches[0].n; }});
  var opts = [h("option", {value: "-1"}, "hit by any rule, or none")];
  RULES.map(function (r, i) { return [r, i]; }).filter(function (x) { return x[0].docs > 0; })
    .sort(function (a, b) { return a[0].id < b[0].id ? -1 : 1; })
    .forEach(function (x) { opts.push(h("option", {value: String(x[1])}, "hit by " + x[0].id)); });
  docRule = h("select", {id: "doc-rule", "aria-label": "only documents hit by a rule", onchange: function () { limit = 200; drawList(); }}, opts);
  docCount = h("div", {class: "small muted", id: "doc-count"});
  docList = h("ol", {id: "doc-list"});
  docMore = h("button", {class: "btn", onclick: function () { limit += 500; drawList(); }}, "list more");
  docPane = h("div", {class: "doc", id: "doc"});
  add(body, h("div", {class: "docview"}, h("div", {class: "doclist"}, docQ, docRule, docCount, docList, docMore), docPane));
  drawList();
})();

/* about ------------------------------------------------------------------------------------------ */
(function () {
  var o = M.options, rows = [
    ["inputs", M.inputs.join(", ") || "(records given to build_report)"],
    ["field", M.field + (M.html ? " (HTML, cleaned with analyze_html)" : "")],
    ["URL field", M.url_field || "none"], ["id field", M.id_field || "none"],
    ["records", scopeText],
    ["cleaner options", Object.keys(o).length ? JSON.stringify(o) : "defaults"],
    ["newsclean", M.version], ["rule packs", M.rules_version],
    ["generated", M.generated + (M.seconds !== null ? " in " + M.seconds + " s" : "")]];
  if (M.html_text_missing) rows.push(["note", fmt(M.html_text_missing) + " HTML documents show their cuts only (the extracted text was not available)"]);
  add(document.getElementById("about-body"), h("dl", {class: "kv"}, rows.map(function (r) { return [h("dt", null, r[0]), h("dd", null, r[1])]; })));
})();

/* routing ------------------------------------------------------------------------------------------- */
function route() {
  var hash = decodeURIComponent(location.hash.slice(1));
  var m = /^doc-(\d+)$/.exec(hash);
  if (m) {
    var d = byN[+m[1]];
    showDoc(d || null);
    document.getElementById("documents").scrollIntoView();
    return;
  }
  if (hash.indexOf("rule-") === 0) {
    var el = document.getElementById(hash);
    if (el) { el.open = true; el.scrollIntoView(); }
  }
}
window.addEventListener("hashchange", route);
if (/^#doc-\d+$/.test(location.hash)) route();
else {
  var first = DOCS.filter(function (d) { return d.c > 0; })[0] || DOCS[0] || null;
  showDoc(first);
  if (location.hash.indexOf("#rule-") === 0) route();
}
})();
