// Map page: tracks from /maritime/tracks, events from /maritime/events, watched ports; the shared time
// window (set by the timeline brush) filters all of them; clicking a marker or a row opens the event.
"use strict";
(function (w) {
  var el = w.el, mv = null;

  w.pages.map = function () {
    mv = w.mapview;
    var state = mv.create("map", "land-50m");
    mv.legend("map-legend");
    var data = { events: [], tracks: [], ports: [] };
    var kindFilter = w.byId("kind-filter");

    var vessel = parseInt(w.param("vessel"), 10) || null;  // an MMSI: only that vessel's track and events
    function onVessel(v) { vessel = v.mmsi; render(); }
    w.byId("vessel-clear").addEventListener("click", function () { vessel = null; render(); });

    function select(e) {
      mv.showEvent("detail", e, onVessel);
      var row = document.querySelector('tr[data-event-id="' + CSS.escape(e.id) + '"]');
      Array.prototype.forEach.call(document.querySelectorAll("#event-list tr.selected"), function (r) { r.classList.remove("selected"); });
      if (row) row.classList.add("selected");
    }

    function render() {
      var kind = kindFilter.value;
      var events = data.events.filter(function (e) {
        return (!kind || e.kind === kind) && w.inWindow(e.start, e.end) &&
          (!vessel || (e.vessels || []).some(function (v) { return v.mmsi === vessel; }));
      });
      var drawn = mv.drawTracks(state, vessel ? data.tracks.filter(function (v) { return v.mmsi === vessel; }) : data.tracks);
      var chosen = data.tracks.filter(function (v) { return v.mmsi === vessel; })[0];
      w.byId("vessel-chip").hidden = !vessel;
      w.byId("vessel-name").textContent = vessel ? ((chosen && chosen.name) || "MMSI " + vessel) + " (MMSI " + vessel + ")" : "";
      mv.drawEvents(state, events, select);
      var listed = [];
      drawn.forEach(function (v) { var n = v.name || ("MMSI " + v.mmsi); if (v.listed && listed.indexOf(n) < 0) listed.push(n); });
      w.byId("track-count").textContent = drawn.length + " vessels, " + state.points.toLocaleString("en") + " points; listed: " +
        (listed.length ? listed.join(", ") : "none");
      w.fill("event-list-body", events, function (e) {
        var open = el("button", { type: "button", class: "linklike", onclick: function () {
          select(e);
          if (e.lat != null) state.map.panTo([e.lat, e.lon]);
        } }, mv.kindStyle(e.kind).label);
        return el("tr", { "data-event-id": e.id, class: (e.vessels || []).some(function (v) { return v.listed; }) ? "listed" : "" },
          el("td", open, " ", w.syntheticBadge(e)), el("td", w.when(e.start)), el("td", mv.vesselNames(e)),
          el("td", e.details && e.details.port_name ? e.details.port_name :
            (e.lat != null ? Number(e.lat).toFixed(2) + ", " + Number(e.lon).toFixed(2) : "")));
      }, "no maritime events in the window");
      w.mapRendered = { vessels: drawn.length, points: state.points, events: events.length, at: performance.now() };
    }

    w.byId("event-list").querySelector("tbody").id = "event-list-body";
    kindFilter.addEventListener("change", render);
    document.addEventListener("watchfloor:window", render);

    var started = performance.now();
    return Promise.all([
      state.ready,
      w.api("/maritime/tracks?max_points=" + (parseInt(w.param("max_points"), 10) || 100000)),
      w.apiAll("/maritime/events"),
      w.api("/maritime/ports")
    ]).then(function (got) {
      data.tracks = got[1].vessels || [];
      data.events = got[2];
      data.ports = Array.isArray(got[3]) ? got[3] : (got[3].items || []);
      var kinds = [];
      data.events.forEach(function (e) { if (kinds.indexOf(e.kind) < 0) kinds.push(e.kind); });
      kinds.sort().forEach(function (k) { kindFilter.appendChild(el("option", { value: k }, mv.kindStyle(k).label)); });
      if (data.events.some(function (e) { return e.synthetic; }))
        w.byId("synthetic-note").textContent = "Events marked SYNTHETIC come from the generated demo scenario, not real ships.";
      mv.drawPorts(state, data.ports);
      mv.fit(state, data.events, []);
      render();
      w.mapRendered.loadMs = performance.now() - started;
      var wanted = w.param("event");
      if (wanted) data.events.forEach(function (e) { if (e.id === wanted) select(e); });
      document.body.setAttribute("data-loaded", "true");
    }).catch(w.fail);
  };
})(watchfloor);
