// Alerts and review: the alert feed, the review queue (events and merges awaiting a decision; confirm or
// reject with a reason, analysts and admins only), the stage as it stands after each decision, and the
// append-only audit log.
"use strict";
(function (w) {
  var el = w.el;

  function items(page) { return Array.isArray(page) ? page : (page && page.items) || []; }

  // The queue in either shape: a page of {target_kind, target_id, ...} or {events: [...], merges: [...]}.
  function queueItems(body) {
    if (body && !Array.isArray(body) && !body.items && (body.events || body.merges)) {
      return (body.events || []).map(function (e) { return { target_kind: "event", target_id: e.id, item: e }; })
        .concat((body.merges || []).map(function (m) { return { target_kind: "merge", target_id: m.id, item: m }; }));
    }
    return items(body).map(function (x) {
      return { target_kind: x.target_kind || x.kind || "event", target_id: x.target_id || x.id, item: x.item || x.event || x.merge || x };
    });
  }

  function describe(q) {
    var x = q.item || {};
    if (q.target_kind === "event") {
      return el("span", w.eventLink(q.target_id, w.label(x.type || "event")), " ",
        (x.actor || "?") + " → " + (x.recipient || "?"), x.date_start ? " · " + x.date_start : "",
        x.claims ? " · " + x.claims.length + " claims" : "", x.reason ? " · " + x.reason : "", " ", w.syntheticBadge(x));
    }
    return el("span", el("strong", "merge: "), w.entityLink(q.target_id, x.caption || q.target_id),
      x.merged_into ? el("span", " merged into ", w.entityLink(x.merged_into, x.merged_into)) : "");
  }

  function stage() {
    return w.api("/assessment").then(function (a) {
      w.byId("stage-index").textContent = "stage " + a.stage.index;
      w.byId("stage-name").textContent = a.stage.name;
      return a;
    });
  }

  function audit() {
    return w.api("/reviews?limit=100").then(function (page) {
      w.fill("audit-body", items(page), function (r) {
        var target = r.target_kind ? r.target_kind + " " + (r.target_id || "") : (r.target || r.subject_id || "");
        return el("tr", el("td", w.when(r.when || r.at || r.created_at)), el("td", r.who || r.user || r.analyst || ""),
          el("td", w.label(r.decision || r.action || "")), el("td", target), el("td", r.why || r.reason || ""));
      }, "no decisions yet");
    });
  }

  function queue() {
    return w.api("/review-queue").then(function (body) {
      w.fill("queue", queueItems(body), function (q) {
        return el("li", { "data-target-kind": q.target_kind, "data-target-id": q.target_id }, describe(q),
          w.reviewControls(q.target_kind, q.target_id, function () { refresh(); }));
      }, "nothing awaits a decision");
    });
  }

  function refresh() { return Promise.all([stage(), queue(), audit()]).catch(w.fail); }

  w.pages.alerts = function () {
    w.byId("audit").querySelector("tbody").id = "audit-body";
    w.byId("review-note").textContent = w.canReview()
      ? "Confirm or reject each item with a reason; the assessment takes the decision into account at once."
      : "You are signed in as a viewer: reviews need an analyst's key.";
    var feed = w.api("/alerts?limit=50").then(function (page) {
      w.fill("alert-feed", items(page), function (a) {
        return el("li", { class: "alert" }, el("strong", a.title || w.label(a.kind)), " ",
          a.severity ? w.badge(a.severity) : null, " ", el("span", { class: "muted" }, w.when(a.created_at || a.raised_at || a.as_of)),
          (a.evidence || []).length ? el("ul", (a.evidence || []).slice(0, 5).map(function (p) {
            var span = p.span || [p.start, p.end];
            if (p.document_id) return el("li", w.link("/evidence?document=" + encodeURIComponent(p.document_id) + "&start=" + span[0] + "&end=" + span[1],
              p.quote || "source sentence"));
            if (p.maritime_event_id) return el("li", w.link("/map?event=" + encodeURIComponent(p.maritime_event_id), "AIS event"));
            return el("li", "list entry " + (p.list_entry || p.list_entry_key || ""));
          })) : null);
      }, "no alerts");
    });
    return Promise.all([feed, refresh()]).then(function () { document.body.setAttribute("data-loaded", "true"); }).catch(w.fail);
  };
})(watchfloor);
