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
        return typeof s === "object" ? (s.source || s.name || s.document_id || JSON.stringify(s)) : String(s);
      });
      return el("tr", { "data-indicator": i.id },
        el("th", { scope: "row" }, i.name),
        el("td", w.statusBadge(i.status)),
        el("td", i.explanation || ""),
        el("td", sources.length ? sources.join("; ") : el("span", { class: "muted" }, "none")));
    }, "no indicators");
  }

  // Score over time (0-100) with vertical bands coloured by the stage in force on each day.
  function scoreChart(container, history) {
    w.clear(container);
    if (!history || !history.length) { container.appendChild(el("p", { class: "muted" }, "No history yet.")); return; }
    var width = 760, height = 220, left = 40, right = 12, top = 10, bottom = 28;
    var times = history.map(function (h) { return Date.parse(h.date); });
    var t0 = times[0], t1 = times[times.length - 1];
    if (t1 === t0) { t0 -= 86400000; t1 += 86400000; }
    var x = function (t) { return left + (t - t0) / (t1 - t0) * (width - left - right); };
    var y = function (s) { return top + (1 - s / 100) * (height - top - bottom); };
    var chart = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img", class: "score" },
      svg("title", {}, "Cooperation score from " + history[0].date + " to " + history[history.length - 1].date +
        ": now " + Math.round(history[history.length - 1].score) + " of 100, stage " + history[history.length - 1].stage));
    history.forEach(function (h, i) {
      var end = i + 1 < history.length ? times[i + 1] : t1;
      var band = svg("rect", { x: x(times[i]), y: top, width: Math.max(1, x(end) - x(times[i])),
        height: height - top - bottom, fill: stageColour(h.stage), class: "band", "data-stage": h.stage });
      band.appendChild(svg("title", {}, h.date + ": stage " + h.stage + ", score " + Math.round(h.score)));
      chart.appendChild(band);
    });
    [0, 25, 50, 75, 100].forEach(function (s) {
      chart.appendChild(svg("line", { x1: left, x2: width - right, y1: y(s), y2: y(s), class: "grid" }));
      chart.appendChild(svg("text", { x: left - 6, y: y(s) + 4, "text-anchor": "end", class: "axis" }, s));
    });
    var points = history.map(function (h, i) { return x(times[i]).toFixed(1) + "," + y(h.score).toFixed(1); });
    chart.appendChild(svg("polyline", { points: points.join(" "), class: "line", fill: "none" }));
    history.forEach(function (h, i) {
      chart.appendChild(svg("circle", { cx: x(times[i]), cy: y(h.score), r: 3, class: "dot" }));
    });
    chart.appendChild(svg("text", { x: left, y: height - 8, class: "axis" }, history[0].date));
    chart.appendChild(svg("text", { x: width - right, y: height - 8, "text-anchor": "end", class: "axis" },
      history[history.length - 1].date));
    container.appendChild(chart);
    var stages = [];
    history.forEach(function (h) { if (stages.indexOf(h.stage) < 0) stages.push(h.stage); });
    stages.sort();
    w.fill("stage-legend", stages, function (s) {
      return el("li", el("span", { class: "swatch", "data-stage": s, "aria-hidden": "true" }), "stage " + s);
    });
    Array.prototype.forEach.call(document.querySelectorAll("#stage-legend .swatch"), function (node) {
      node.style.background = stageColour(parseInt(node.getAttribute("data-stage"), 10));
    });
  }

  function alertItem(a) {
    return el("li", { class: "alert severity-" + String(a.severity || "").replace(/[^a-z]/g, "") },
      el("strong", a.title || w.label(a.kind)), " ",
      a.severity ? w.badge(a.severity) : null, " ",
      el("span", { class: "muted" }, w.when(a.created_at || a.raised_at || a.as_of || "")));
  }

  w.pages.overview = function () {
    w.byId("indicators").querySelector("tbody").id = "indicators-body";
    var assessed = w.api("/assessment").then(function (a) {
      showStage(a);
      showIndicators(a);
      w.fill("move-up", a.to_move_up, function (m) { return el("li", m); }, "nothing would move it up");
      w.fill("move-down", a.to_move_down, function (m) { return el("li", m); }, "nothing would move it down");
      scoreChart(w.byId("score-chart"), a.history);
    });
    var alerts = w.api("/alerts?limit=5").then(function (page) {
      w.fill("alerts", page.items, alertItem, "no alerts");
    });
    return Promise.all([assessed, alerts]).then(function () { document.body.setAttribute("data-loaded", "true"); }).catch(w.fail);
  };
  w.overview = { alertItem: alertItem, stageColour: stageColour };
})(watchfloor);
