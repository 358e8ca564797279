// Timeline page: report events, their claims and maritime events over time; filters by type, actor and
// source grade; a brush (drag, or the two date fields) sets the shared time window, which filters the
// chart's lists and the map on this page, and the Map page.
"use strict";
(function (w) {
  var el = w.el, svg = w.svg;
  var DAY = 86400000;

  function claimPasses(claim, minGrade) {
    if (!minGrade) return true;
    var letter = String(claim.reliability || (claim.grade || "").charAt(0) || "F").toUpperCase();
    return "ABCDEF".indexOf(letter) <= "ABCDEF".indexOf(minGrade);
  }

  w.pages.timeline = function () {
    var mv = w.mapview;
    var state = mv.create("map", "land-110m");
    var data = { events: [], maritime: [], tracks: [] };
    var fType = w.byId("f-type"), fActor = w.byId("f-actor"), fGrade = w.byId("f-grade");
    var from = w.byId("brush-from"), to = w.byId("brush-to");
    "ABCDEF".split("").forEach(function (g) { fGrade.appendChild(el("option", { value: g }, g + " or better")); });
    w.byId("tl-events").querySelector("tbody").id = "tl-events-body";

    function filtered() {
      var type = fType.value, actor = fActor.value, grade = fGrade.value;
      return data.events.map(function (e) {
        var claims = (e.claims || []).filter(function (c) { return claimPasses(c, grade); });
        return { event: e, claims: claims };
      }).filter(function (x) {
        var e = x.event;
        return (!type || e.type === type) && (!actor || e.actor === actor || e.recipient === actor) &&
          (!grade || x.claims.length > 0);
      });
    }

    function dateOf(e) { return e.date_start || (e.claims && e.claims[0] && e.claims[0].date) || null; }

    function chart(rows) {
      var box = w.clear(w.byId("timeline-chart"));
      var times = [];
      rows.forEach(function (x) {
        var d = dateOf(x.event); if (d) times.push(Date.parse(d));
        x.claims.forEach(function (c) { if (c.date) times.push(Date.parse(c.date)); });
      });
      data.maritime.forEach(function (m) { times.push(Date.parse(m.start)); });
      times = times.filter(function (t) { return !isNaN(t); });
      if (!times.length) { box.appendChild(el("p", { class: "muted" }, "Nothing dated to show.")); return; }
      var t0 = Math.min.apply(null, times) - DAY, t1 = Math.max.apply(null, times) + DAY;
      var width = 900, height = 150, left = 110, right = 16;
      var rowsY = { events: 30, claims: 70, maritime: 110 };
      var x = function (t) { return left + (t - t0) / (t1 - t0) * (width - left - right); };
      var inv = function (px) { return t0 + (px - left) / (width - left - right) * (t1 - t0); };
      var chartSvg = svg("svg", { viewBox: "0 0 " + width + " " + height, class: "timeline", role: "img", id: "timeline-svg" },
        svg("title", {}, "Events, claims and maritime events from " + new Date(t0).toISOString().slice(0, 10) +
          " to " + new Date(t1).toISOString().slice(0, 10)));
      Object.keys(rowsY).forEach(function (k) {
        chartSvg.appendChild(svg("text", { x: 4, y: rowsY[k] + 4, class: "axis" }, k === "maritime" ? "maritime" : k));
        chartSvg.appendChild(svg("line", { x1: left, x2: width - right, y1: rowsY[k], y2: rowsY[k], class: "grid" }));
      });
      var win = w.getWindow();
      if (win) {
        var a = x(Date.parse(win.from)), b = x(Date.parse(win.to) + DAY);
        chartSvg.appendChild(svg("rect", { x: Math.max(left, a), y: 8, width: Math.max(2, Math.min(width - right, b) - Math.max(left, a)),
          height: height - 24, class: "brush", id: "brush-rect" }));
      }
      rows.forEach(function (row) {
        var d = dateOf(row.event);
        if (d) chartSvg.appendChild(svg("circle", { cx: x(Date.parse(d)), cy: rowsY.events, r: 5, class: "pt-event" },
          svg("title", {}, d + ": " + w.label(row.event.type) + " — " + (row.event.actor || "?") + " → " + (row.event.recipient || "?"))));
        row.claims.forEach(function (c) {
          if (c.date) chartSvg.appendChild(svg("rect", { x: x(Date.parse(c.date)) - 2, y: rowsY.claims - 7, width: 4, height: 14,
            class: "pt-claim" }, svg("title", {}, c.date + ": " + (c.source || "") + " " + (c.grade || ""))));
        });
      });
      data.maritime.forEach(function (m) {
        var dot = svg("circle", { cx: x(Date.parse(m.start)), cy: rowsY.maritime, r: 4, class: "pt-maritime" },
          svg("title", {}, w.when(m.start) + ": " + mv.kindStyle(m.kind).label + " " + mv.vesselNames(m)));
        dot.setAttribute("fill", mv.kindStyle(m.kind).colour);
        chartSvg.appendChild(dot);
      });
      chartSvg.appendChild(svg("text", { x: left, y: height - 2, class: "axis" }, new Date(t0).toISOString().slice(0, 10)));
      chartSvg.appendChild(svg("text", { x: width - right, y: height - 2, "text-anchor": "end", class: "axis" },
        new Date(t1).toISOString().slice(0, 10)));
      // The brush: drag across the chart to set the window.
      var dragging = null, live = null;
      function px(ev) {
        var r = chartSvg.getBoundingClientRect();
        return Math.max(left, Math.min(width - right, (ev.clientX - r.left) / r.width * width));
      }
      chartSvg.addEventListener("pointerdown", function (ev) {
        dragging = px(ev);
        live = svg("rect", { x: dragging, y: 8, width: 1, height: height - 24, class: "brush" });
        chartSvg.appendChild(live);
        chartSvg.setPointerCapture(ev.pointerId);
      });
      chartSvg.addEventListener("pointermove", function (ev) {
        if (dragging == null) return;
        var p = px(ev);
        live.setAttribute("x", Math.min(p, dragging)); live.setAttribute("width", Math.max(1, Math.abs(p - dragging)));
      });
      chartSvg.addEventListener("pointerup", function (ev) {
        if (dragging == null) return;
        var p = px(ev), a = Math.min(p, dragging), b = Math.max(p, dragging);
        dragging = null;
        if (b - a < 3) { w.setWindow(null); return; }
        w.setWindow({ from: new Date(inv(a)).toISOString().slice(0, 10), to: new Date(inv(b)).toISOString().slice(0, 10) });
      });
      box.appendChild(chartSvg);
    }

    function render() {
      var rows = filtered();
      var win = w.getWindow();
      from.value = win ? win.from : ""; to.value = win ? win.to : "";
      chart(rows);
      var shown = rows.filter(function (x) { var d = dateOf(x.event); return win ? (d && w.inWindow(d, x.event.date_end)) : true; });
      w.fill("tl-events-body", shown, function (x) {
        var e = x.event;
        return el("tr", { "data-event-id": e.id }, el("td", dateOf(x.event) || "undated"),
          el("td", w.eventLink(e.id, w.label(e.type)), " ", w.syntheticBadge(e)),
          el("td", (e.actor || "?") + " → " + (e.recipient || "?") + (e.object ? " (" + e.object + ")" : "")),
          el("td", String(x.claims.length)));
      }, "no events in the window");
      var claims = [];
      shown.forEach(function (x) { x.claims.forEach(function (c) { if (!win || w.inWindow(c.date || dateOf(x.event))) claims.push([x.event, c]); }); });
      w.fill("tl-claims", claims, function (pair) {
        var c = pair[1];
        return el("li", el("span", { class: "badge grade" }, c.grade || ((c.reliability || "") + (c.credibility || ""))), " ",
          el("strong", c.source || ""), " ", el("span", { class: "muted" }, c.date || ""), " — ",
          w.eventLink(pair[0].id, c.sentence || "(sentence)"));
      }, "no claims in the window");
      var maritime = data.maritime.filter(function (m) { return w.inWindow(m.start, m.end); });
      mv.drawTracks(state, data.tracks);
      mv.drawEvents(state, maritime, function (m) { location.href = "/map?event=" + encodeURIComponent(m.id); });
      w.fill("tl-maritime", maritime, function (m) {
        return el("li", { "data-event-id": m.id }, w.link("/map?event=" + encodeURIComponent(m.id), mv.kindStyle(m.kind).label),
          " ", w.when(m.start), " — ", mv.vesselNames(m), " ", w.syntheticBadge(m));
      }, "no maritime events in the window");
      w.byId("brush-summary").textContent = (win ? "Window " + win.from + " – " + win.to + ": " : "All time: ") +
        shown.length + " events, " + claims.length + " claims, " + maritime.length + " maritime events.";
    }

    function fromInputs() {
      if (from.value && to.value) w.setWindow({ from: from.value <= to.value ? from.value : to.value,
                                                to: from.value <= to.value ? to.value : from.value });
    }
    from.addEventListener("change", fromInputs);
    to.addEventListener("change", fromInputs);
    [fType, fActor, fGrade].forEach(function (s) { s.addEventListener("change", render); });
    w.byId("brush-clear").addEventListener("click", function () { w.setWindow(null); });
    document.addEventListener("watchfloor:window", render);

    return Promise.all([state.ready, w.apiAll("/events"), w.apiAll("/maritime/events"),
                        w.api("/maritime/tracks?max_points=20000")]).then(function (got) {
      data.events = got[1]; data.maritime = got[2]; data.tracks = got[3].vessels || [];
      var types = {}, actors = {};
      data.events.forEach(function (e) {
        if (e.type) types[e.type] = 1;
        if (e.actor) actors[e.actor] = 1;
        if (e.recipient) actors[e.recipient] = 1;
      });
      Object.keys(types).sort().forEach(function (t) { fType.appendChild(el("option", { value: t }, w.label(t))); });
      Object.keys(actors).sort().forEach(function (a) { fActor.appendChild(el("option", { value: a }, a)); });
      mv.fit(state, data.maritime, []);
      render();
      document.body.setAttribute("data-loaded", "true");
    }).catch(w.fail);
  };
})(watchfloor);
