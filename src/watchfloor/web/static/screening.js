// Screening: one name (POST /screen) or a CSV file (POST /screen/csv), results with their explanations.
"use strict";
(function (w) {
  var el = w.el;

  // The screening engine's explanation: a summary, the name alignment and each field's outcome.
  function explanation(x) {
    if (x == null) return "";
    if (Array.isArray(x)) return el("ul", { class: "why" }, x.map(function (line) { return el("li", line); }));
    var items = [];
    if (x.summary) items.push(el("li", x.summary));
    (x.fields || []).forEach(function (f) {
      items.push(el("li", w.label(f.field) + ": " + w.label(f.outcome) + (f.detail ? " — " + f.detail : "") +
        (f.contribution ? " (" + (f.contribution > 0 ? "+" : "") + Number(f.contribution).toFixed(2) + ")" : "")));
    });
    if (x.algorithm) items.push(el("li", { class: "muted" }, "algorithm " + x.algorithm));
    return el("ul", { class: "why" }, items);
  }

  function showResults(rows) {
    w.fill("results-body", rows, function (r) {
      return el("tr", { class: r.match ? "match" : "" }, el("td", r.query), el("td", r.caption || "", r.match ? " " : "",
        r.match ? w.badge("match", "listed") : null), el("td", r.list || "", r.programmes && r.programmes.length ? " (" + r.programmes.join(", ") + ")" : ""),
        el("td", r.score == null ? "" : Number(r.score).toFixed(2)), el("td", explanation(r.explanation)));
    }, "no candidates");
  }

  // A small RFC 4180 reader for the CSV the server sends back (quotes, doubled quotes, newlines).
  function parseCsv(text) {
    var rows = [], row = [], field = "", quoted = false;
    for (var i = 0; i < text.length; i++) {
      var ch = text.charAt(i);
      if (quoted) {
        if (ch === '"' && text.charAt(i + 1) === '"') { field += '"'; i++; }
        else if (ch === '"') quoted = false;
        else field += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ",") { row.push(field); field = ""; }
      else if (ch === "\n" || ch === "\r") {
        if (ch === "\r" && text.charAt(i + 1) === "\n") i++;
        row.push(field); rows.push(row); row = []; field = "";
      } else field += ch;
    }
    if (field || row.length) { row.push(field); rows.push(row); }
    return rows;
  }

  w.pages.screening = function () {
    w.byId("results").querySelector("tbody").id = "results-body";
    w.byId("screen-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var body = {};
      ["name", "schema", "dob", "country", "imo"].forEach(function (k) {
        var v = w.byId("s-" + k).value.trim(); if (v) body[k] = v;
      });
      w.byId("screen-lists").textContent = "Screening… (the first search builds the index of the lists)";
      w.api("/screen", { method: "POST", json: body }).then(function (res) {
        showResults((res.results || []).map(function (r) { r.query = body.name; return r; }));
        w.byId("screen-lists").textContent = (res.lists || []).length ? "Lists: " + (res.lists || []).map(function (l) {
          return typeof l === "object" ? [l.list, l.published ? "published " + l.published : ""].filter(Boolean).join(" ") : l;
        }).join("; ") : "";
        document.body.setAttribute("data-screened", "true");
      }).catch(w.fail);
    });
    w.byId("csv-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var file = w.byId("s-file").files[0];
      if (!file) return;
      var form = new FormData();
      form.append("file", file);
      w.api("/screen/csv", { method: "POST", body: form, raw: true }).then(function (r) { return r.text(); }).then(function (text) {
        var rows = parseCsv(text);
        var head = rows.shift() || [];
        var col = function (names) { for (var i = 0; i < names.length; i++) { var j = head.indexOf(names[i]); if (j >= 0) return j; } return -1; };
        var q = col(["query", "name", "imo"]), c = col(["caption", "match_caption"]), l = col(["id", "match_id"]),
            s = col(["score"]), m = col(["match"]), a = col(["algorithm"]), x = col(["explanation", "error"]);
        showResults(rows.filter(function (r) { return r.length > 1 || r[0]; }).map(function (r) {
          return { query: r[q], caption: c >= 0 ? r[c] : "", list: l >= 0 ? r[l] : "", score: s >= 0 && r[s] !== "" ? r[s] : null,
                   match: m >= 0 && /^(true|1|yes)$/i.test(r[m]),
                   explanation: [x >= 0 ? r[x] : "", a >= 0 && r[a] ? "algorithm " + r[a] : ""].filter(Boolean) };
        }));
        var link = w.byId("csv-download");
        link.href = URL.createObjectURL(new Blob([text], { type: "text/csv" }));
        link.hidden = false;
        document.body.setAttribute("data-screened", "true");
      }).catch(w.fail);
    });
    document.body.setAttribute("data-loaded", "true");
    return null;
  };
  w.screening = { parseCsv: parseCsv };
})(watchfloor);
