// Overview: the stage of the ladder, each indicator, what would move the stage, the cooperation score
// over time drawn over bands of the stage in force, and the newest alerts.
"use strict";
(function (w) {
  var el = w.el, svg = w.svg;
  var STAGE_COLOURS = ["#e8eef6", "#fdf0c8", "#fbd9b0", "#f6b8a8", "#e9a0c0", "#c9b0e6"];

  function stageColour(index) { return STAGE_COLOURS[Math.max(0, Math.min(STAGE_COLOURS.length - 1, index | 0))]; }

  function showStage(a) {
    w.byId("stage-index").textContent = "stage " + a.stage.index;
    w.byId("stage-name").textContent = a.stage.name;
    w.byId("stage-description").textContent = a.stage.description || "";
    w.byId("algorithm").textContent = a.algorithm || "";
    w.byId("as-of").textContent = a.as_of || "today";
  }

  function showIndicators(a) {
    w.fill("indicators-body", a.indicators, function (i) {
      var sources = (i.sources || []).filter(function (s) { return s != null; }).map(function (s) {
        return typeof s === "object" ? (s.label || s.source || s.name || s.key) + (s.best_grade ? " (" + s.best_grade + ")" : "") : String(s);
      });
      return el("tr", { "data-indicator": i.id },
        el("th", { scope: "row" }, i.name),
        el("td", w.statusBadge(i.status)),
        el("td", i.explanation || ""),
        el("td", sources.length ? sources.join("; ") : el("span", { class: "muted" }, "none")));
    }, "no indicators");
  }

  // The cooperation score (0-100, ``cooperation.series``) over vertical bands of the stage in force
  // (``history``: the days the stage changed). Either may be missing; the chart draws what there is.
  function scoreChart(container, history, series) {
    w.clear(container);
    history = (history || []).filter(function (h) { return h && h.date; });
    series = (series || []).map(function (p) { return Array.isArray(p) ? { date: p[0], score: p[1] } : p; })
      .filter(function (p) { return p && p.date && p.score != null; });
    if (!history.length && !series.length) { container.appendChild(el("p", { class: "muted" }, "No history yet.")); return; }
    var width = 760, height = 220, left = 40, right = 12, top = 10, bottom = 28;
    var all = history.map(function (h) { return Date.parse(h.date); }).concat(series.map(function (p) { return Date.parse(p.date); }));
    var t0 = Math.min.apply(null, all), t1 = Math.max.apply(null, all);
    if (t1 === t0) { t0 -= 86400000; t1 += 86400000; }
    var x = function (t) { return left + (t - t0) / (t1 - t0) * (width - left - right); };
    var y = function (v) { return top + (1 - v / 100) * (height - top - bottom); };
    var last = series.length ? series[series.length - 1] : null;
    var nowStage = history.length ? history[history.length - 1].stage : null;
    var chart = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img", class: "score" },
      svg("title", {}, "Cooperation score and stage from " + new Date(t0).toISOString().slice(0, 10) + " to " +
        new Date(t1).toISOString().slice(0, 10) + (last ? ": score now " + Math.round(last.score) + " of 100" : "") +
        (nowStage != null ? ", stage " + nowStage : "")));
    history.forEach(function (h, i) {
      var from = Date.parse(h.date), to = i + 1 < history.length ? Date.parse(history[i + 1].date) : t1;
      var band = svg("rect", { x: x(from), y: top, width: Math.max(2, x(to) - x(from)), height: height - top - bottom,
        fill: stageColour(h.stage), class: "band", "data-stage": h.stage });
      band.appendChild(svg("title", {}, "from " + h.date + ": stage " + h.stage));
      chart.appendChild(band);
    });
    [0, 25, 50, 75, 100].forEach(function (v) {
      chart.appendChild(svg("line", { x1: left, x2: width - right, y1: y(v), y2: y(v), class: "grid" }));
      chart.appendChild(svg("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end", class: "axis" }, v));
    });
    if (series.length) {
      var points = series.map(function (p) { return x(Date.parse(p.date)).toFixed(1) + "," + y(p.score).toFixed(1); });
      chart.appendChild(svg("polyline", { points: points.join(" "), class: "line", fill: "none" }));
      series.forEach(function (p) {
        chart.appendChild(svg("circle", { cx: x(Date.parse(p.date)), cy: y(p.score), r: 3, class: "dot" },
          svg("title", {}, p.date + ": score " + Math.round(p.score))));
      });
    }
    chart.appendChild(svg("text", { x: left, y: height - 8, class: "axis" }, new Date(t0).toISOString().slice(0, 10)));
    chart.appendChild(svg("text", { x: width - right, y: height - 8, "text-anchor": "end", class: "axis" },
      new Date(t1).toISOString().slice(0, 10)));
    container.appendChild(chart);
    var stages = [];
    history.forEach(function (h) { if (stages.indexOf(h.stage) < 0) stages.push(h.stage); });
    stages.sort();
    w.fill("stage-legend", stages, function (v) {
      var swatch = el("span", { class: "swatch", "aria-hidden": "true" });
      swatch.style.background = stageColour(v);
      return el("li", swatch, "stage " + v);
    }, "no stage history");
  }

  function alertItem(a) {
    return el("li", { class: "alert severity-" + String(a.severity || "").replace(/[^a-z]/g, "") },
      el("strong", a.title || w.label(a.kind)), " ",
      a.severity ? w.badge(a.severity) : null, " ",
      el("span", { class: "muted" }, w.when(a.created_at || a.raised_at || a.as_of || "")));
  }

  // The assessment now, or as of a day (evidence reported later is ignored), drawn on the page.
  function load(asOf) {
    document.body.removeAttribute("data-loaded");
    return w.api("/assessment" + (asOf ? "?as_of=" + encodeURIComponent(asOf) : "")).then(function (a) {
      showStage(a);
      showIndicators(a);
      w.fill("move-up", a.to_move_up, function (m) { return el("li", m); }, "nothing would move it up");
      w.fill("move-down", a.to_move_down, function (m) { return el("li", m); }, "nothing would move it down");
      scoreChart(w.byId("score-chart"), a.history, a.cooperation && a.cooperation.series);
    });
  }

  w.pages.overview = function () {
    w.byId("indicators").querySelector("tbody").id = "indicators-body";
    var asOf = w.byId("as-of-date");
    function done() { document.body.setAttribute("data-loaded", "true"); }
    w.byId("as-of-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      load(asOf.value || null).then(done).catch(w.fail);
    });
    w.byId("as-of-today").addEventListener("click", function () { asOf.value = ""; load(null).then(done).catch(w.fail); });
    var assessed = load(null);
    var alerts = w.api("/alerts?limit=5").then(function (page) {
      w.fill("alerts", page.items, alertItem, "no alerts");
    });
    return Promise.all([assessed, alerts]).then(function () { document.body.setAttribute("data-loaded", "true"); }).catch(w.fail);
  };
  w.overview = { alertItem: alertItem, stageColour: stageColour };
})(watchfloor);
