// The offline map shared by the Map and Timeline pages: Natural Earth land from this server (no tiles,
// no CDN), vessel tracks (gaps dashed, listed vessels highlighted), maritime events and watched ports
// as SVG, and the event panel.
"use strict";
(function (w) {
  var el = w.el;
  var KINDS = {
    port_visit: { colour: "#1b7837", label: "port visit" },
    encounter: { colour: "#b2182b", label: "encounter (ship-to-ship)" },
    loitering: { colour: "#e08214", label: "loitering" },
    gap: { colour: "#542788", label: "AIS gap (dark period)" },
    identity: { colour: "#0571b0", label: "identity change" }
  };
  function kindStyle(kind) { return KINDS[kind] || { colour: "#555555", label: w.label(kind) }; }

  // A Leaflet map over the vendored land polygons; resolves to the map once the land is drawn.
  function create(containerId, basemap) {
    var map = L.map(containerId, { attributionControl: false, worldCopyJump: false, minZoom: 2, maxZoom: 12,
                                   keyboard: true, zoomSnap: 0.5 });
    map.setView([42.0, 134.0], 5);
    map.createPane("land").style.zIndex = 200;
    map.createPane("tracks").style.zIndex = 350;  // under the markers (overlayPane, 400), so they stay clickable
    // SVG, measured against canvas in benchmarks/web_map_bench.py: with the demo's 122,538 points in
    // 46 polylines SVG drew in half the time and panned twice as fast (one path per segment).
    var tracks = L.svg({ padding: 0.3, pane: "tracks" });
    var markers = L.svg({ padding: 0.3 });
    var state = { map: map, trackRenderer: tracks, markerRenderer: markers, trackLayer: L.layerGroup().addTo(map),
                  eventLayer: L.layerGroup().addTo(map), portLayer: L.layerGroup().addTo(map), points: 0, ready: null };
    w.mapview.last = state;  // for the browser tests and the benchmark: what was drawn
    state.ready = fetch("/geo/" + (basemap || "land-50m") + ".json").then(function (r) { return r.json(); })
      .then(function (topology) {
        var land = topojson.feature(topology, topology.objects.land);
        L.geoJSON(land, { pane: "land", interactive: false,
          style: { color: "#8c8f7a", weight: 0.6, fillColor: "#eceadf", fillOpacity: 1 } }).addTo(map);
        return state;
      });
    return state;
  }

  function inTime(point) {
    var win = w.getWindow();
    if (!win || !point[2]) return true;
    var d = String(point[2]).slice(0, 10);
    return d >= win.from && d <= win.to;
  }

  // Tracks: one polyline per segment; AIS gaps dashed; listed vessels red and thicker.
  function drawTracks(state, vessels) {
    state.trackLayer.clearLayers();
    var points = 0, drawn = [];
    (vessels || []).forEach(function (v) {
      var name = v.name || ("MMSI " + v.mmsi);
      var any = false;
      (v.segments || []).forEach(function (segment) {
        var latlngs = [];
        segment.points.forEach(function (p) { if (inTime(p)) latlngs.push([p[1], p[0]]); });
        if (latlngs.length < (segment.gap ? 2 : 1)) return;
        points += latlngs.length;
        any = true;
        var line = L.polyline(latlngs, {
          renderer: state.trackRenderer, interactive: true,
          color: v.listed ? "#c51b1b" : "#2166ac", weight: v.listed ? 3 : 1.5, opacity: segment.gap ? 0.9 : 0.75,
          dashArray: segment.gap ? "6 6" : null
        });
        line.bindTooltip(el("span", name + (v.listed ? " (listed)" : "") + (segment.gap ? " — AIS gap" : "")), { sticky: true });
        state.trackLayer.addLayer(line);
      });
      if (any) drawn.push(v);
    });
    state.points = points;
    state.vessels = drawn;
    return drawn;
  }

  function drawEvents(state, events, onSelect) {
    state.eventLayer.clearLayers();
    state.markersById = {};
    events.forEach(function (e) {
      if (e.lat == null || e.lon == null) return;
      var style = kindStyle(e.kind);
      var listed = (e.vessels || []).some(function (v) { return v.listed; });
      var marker = L.circleMarker([e.lat, e.lon], {
        renderer: state.markerRenderer, radius: listed ? 8 : 6, color: listed ? "#000000" : "#ffffff",
        weight: listed ? 2 : 1, fillColor: style.colour, fillOpacity: 0.95,
        className: "marker marker-" + String(e.kind).replace(/[^a-z_]/g, "") + (listed ? " marker-listed" : "")
      });
      marker.bindTooltip(el("span", style.label + ": " + vesselNames(e) + " — " + w.when(e.start)));
      marker.on("click", function () { onSelect(e); });
      marker.on("add", function () {
        var path = marker.getElement();
        if (path) { path.setAttribute("data-event-id", e.id); path.setAttribute("aria-label", style.label + " " + vesselNames(e)); }
      });
      state.eventLayer.addLayer(marker);
      state.markersById[e.id] = marker;
    });
  }

  function drawPorts(state, ports) {
    state.portLayer.clearLayers();
    (ports || []).forEach(function (p) {
      var marker = L.circleMarker([p.lat, p.lon], { renderer: state.markerRenderer, radius: 5, color: "#222222",
        weight: 2, fillColor: "#ffffff", fillOpacity: 1, className: "port" });
      marker.bindTooltip(el("span", "watched port: " + p.name + (p.country ? " (" + p.country + ")" : "")), { permanent: false });
      state.portLayer.addLayer(marker);
    });
  }

  function fit(state, events, vessels) {
    var bounds = L.latLngBounds([]);
    events.forEach(function (e) { if (e.lat != null) bounds.extend([e.lat, e.lon]); });
    (vessels || []).forEach(function (v) {
      (v.segments || []).forEach(function (s) { if (s.points.length) { bounds.extend([s.points[0][1], s.points[0][0]]); } });
    });
    if (bounds.isValid()) state.map.fitBounds(bounds.pad(0.15), { maxZoom: 8 });
  }

  function vesselNames(e) {
    return (e.vessels || []).map(function (v) { return v.name || ("MMSI " + v.mmsi); }).join(" + ");
  }

  function legend(listId) {
    var list = w.clear(w.byId(listId));
    Object.keys(KINDS).forEach(function (k) {
      var swatch = el("span", { class: "swatch", "aria-hidden": "true" });
      swatch.style.background = KINDS[k].colour;
      list.appendChild(el("li", swatch, KINDS[k].label));
    });
    var port = el("span", { class: "swatch port-swatch", "aria-hidden": "true" });
    list.appendChild(el("li", port, "watched port"));
    list.appendChild(el("li", el("span", { class: "swatch line-listed", "aria-hidden": "true" }), "track of a listed vessel"));
    list.appendChild(el("li", el("span", { class: "swatch line-gap", "aria-hidden": "true" }), "dashed: AIS gap"));
  }

  function kv(object) {
    var dl = el("dl", { class: "kv" });
    Object.keys(object || {}).forEach(function (k) {
      var v = object[k];
      if (v == null || (typeof v === "object" && !Array.isArray(v))) return;
      dl.appendChild(el("dt", w.label(k)));
      dl.appendChild(el("dd", Array.isArray(v) ? v.map(function (x) { return typeof x === "object" ? JSON.stringify(x) : x; }).join(", ") : v));
    });
    return dl;
  }

  function entryText(entry) {
    if (entry == null) return "";
    if (typeof entry !== "object") return String(entry);
    return [entry.caption || entry.name, entry.list || entry.dataset, entry.key || entry.entry_id || entry.id]
      .filter(function (x) { return x; }).join(" · ");
  }

  function aisText(m) {
    if (typeof m !== "object") return String(m);
    var parts = [];
    ["time", "ts", "mmsi", "lat", "lon", "sog", "role"].forEach(function (k) { if (m[k] != null) parts.push(k + " " + m[k]); });
    var file = m.src_file || m.file;
    if (file) parts.push(String(file).split("/").pop() + (m.src_line != null ? ":" + m.src_line : (m.line != null ? ":" + m.line : "")));
    if (m.raw || m.nmea) parts.push(m.raw || m.nmea);
    return parts.length ? parts.join(" · ") : JSON.stringify(m);
  }

  // The event panel: kind and time, vessels with their list entries, details, and the AIS messages.
  function showEvent(containerId, e, onVessel) {
    var box = w.clear(w.byId(containerId));
    var style = kindStyle(e.kind);
    box.appendChild(el("h3", { id: "detail-title", tabindex: "-1" }, style.label, " ", w.syntheticBadge(e)));
    box.appendChild(el("p", w.when(e.start), e.end && e.end !== e.start ? " – " + w.when(e.end) : "",
      e.lat != null ? " at " + Number(e.lat).toFixed(3) + ", " + Number(e.lon).toFixed(3) : ""));
    box.appendChild(el("h4", "Vessels"));
    box.appendChild(el("ul", { class: "vessels" }, (e.vessels || []).map(function (v) {
      return el("li", { class: v.listed ? "listed" : "" }, el("strong", v.name || "(no name)"),
        " MMSI ", String(v.mmsi == null ? "?" : v.mmsi), v.imo ? " IMO " + v.imo : "", " ",
        v.listed ? w.badge("listed", "listed") : null,
        onVessel && v.mmsi != null ? el("button", { type: "button", class: "small", onclick: function () { onVessel(v); } },
          "Only this vessel") : null,
        (v.list_entries || []).length ? el("ul", (v.list_entries || []).map(function (x) { return el("li", entryText(x)); })) : null);
    })));
    box.appendChild(el("h4", "Details"));
    var details = e.details || {};
    box.appendChild(kv(details));
    box.appendChild(el("h4", "AIS messages (" + (e.ais_messages || []).length + ")"));
    var messages = e.ais_messages || [];
    var list = el("ol", { class: "ais" }, messages.slice(0, 50).map(function (m) { return el("li", aisText(m)); }));
    box.appendChild(list);
    if (messages.length > 50) box.appendChild(el("p", { class: "muted" }, (messages.length - 50) + " more not shown"));
    var title = w.byId("detail-title");
    if (title) title.focus();
  }

  w.mapview = { create: create, drawTracks: drawTracks, drawEvents: drawEvents, drawPorts: drawPorts, fit: fit,
                legend: legend, showEvent: showEvent, kindStyle: kindStyle, vesselNames: vesselNames, KINDS: KINDS };
})(watchfloor);
