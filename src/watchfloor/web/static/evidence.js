// Evidence pages. /evidence: events, each with its claims (source, A–F/1–6 grade and the rule that set
// it, stance, hedges, speaker) and the claim's sentence highlighted in its document. /entity: one
// entity's names, list entries, mentions and merges.
"use strict";
(function (w) {
  var el = w.el;

  function showDocument(documentId, span) {
    var card = w.byId("doc-card");
    return w.api("/documents/" + encodeURIComponent(documentId)).then(function (doc) {
      card.hidden = false;
      w.clear(w.byId("doc-meta")).appendChild(el("span", el("strong", doc.title || doc.id), " — ", doc.source || "",
        doc.date ? ", " + doc.date : "", doc.grade ? " (source grade " + doc.grade + ")" : "", " ", w.syntheticBadge(doc)));
      var text = w.clear(w.byId("doc-text"));
      var h = w.highlighted(doc.text, span && span[0], span && span[1]);
      text.appendChild(h.fragment);
      if (h.mark) text.scrollTop = Math.max(0, h.mark.offsetTop - text.offsetTop - 60);
      return doc;
    });
  }

  function claimItem(c) {
    var grade = c.grade || ((c.reliability || "") + (c.credibility || ""));
    return el("li", { class: "claim stance-" + String(c.stance || "").replace(/[^a-z_]/g, ""), "data-claim-id": c.id },
      el("p", el("span", { class: "badge grade", title: "reliability " + (c.reliability || "?") + ", credibility " +
        (c.credibility || "?") }, grade), " ", el("strong", c.source || "unknown source"), c.date ? " — " + c.date : "",
        " · stance ", el("em", w.label(c.stance || "?")),
        (c.hedges && c.hedges.length) ? el("span", " · hedges: ", c.hedges.map(function (x) { return el("q", x); })) : " · no hedge",
        c.speaker ? " · speaker: " + c.speaker : ""),
      el("blockquote", c.sentence || ""),
      el("p", { class: "muted" }, c.grade_rule ? "grade rule: " + c.grade_rule : "", " ",
        c.document_id ? el("button", { type: "button", class: "small", onclick: function () {
          showDocument(c.document_id, c.span).catch(w.fail);
        } }, "Show in the document") : null));
  }

  function showEvent(id) {
    return w.api("/events/" + encodeURIComponent(id)).then(function (e) {
      var box = w.clear(w.byId("ev-detail"));
      box.appendChild(el("h3", { id: "event-title" }, w.label(e.type), " ", w.syntheticBadge(e)));
      box.appendChild(el("dl", { class: "kv" },
        el("dt", "Actor"), el("dd", e.actor || "?"), el("dt", "Recipient"), el("dd", e.recipient || "?"),
        el("dt", "Object"), el("dd", e.object || "—"), el("dt", "Place"), el("dd", e.place || "—"),
        el("dt", "When"), el("dd", e.date_start ? e.date_start + (e.date_end && e.date_end !== e.date_start ? " – " + e.date_end : "")
          : (e.date_end ? "by " + e.date_end : "undated"))));
      if (e.review_status || e.status) box.appendChild(el("p", "Review status: ", w.statusBadge(e.review_status || e.status)));
      w.append(box, w.reviewControls("event", e.id, function (stored) {
        showEvent(id).then(function () {
          var before = stored.stage_before, after = stored.stage_after;
          w.byId("ev-detail").insertBefore(el("p", { id: "review-outcome", role: "status" },
            "Decision stored: " + stored.decision + " (" + (stored.affected || []).length + " event(s)). Stage " +
            (before && before.level != null ? before.level : before) + " → " + (after && after.level != null ? after.level : after) + "."),
            w.byId("event-title").nextSibling);
        }).catch(w.fail);
      }));
      box.appendChild(el("h4", "Claims (" + (e.claims || []).length + ")"));
      box.appendChild(el("ul", { class: "claims" }, (e.claims || []).map(claimItem)));
      var first = (e.claims || []).filter(function (c) { return c.document_id; })[0];
      return first ? showDocument(first.document_id, first.span) : null;
    });
  }

  w.pages.evidence = function () {
    var wanted = w.param("event"), doc = w.param("document");
    w.byId("entity-search").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var q = w.byId("entity-q").value.trim();
      w.api("/entities?limit=20&q=" + encodeURIComponent(q)).then(function (page) {
        w.fill("entity-results", page.items, function (x) {
          return el("li", w.entityLink(x.id, x.caption), " ", w.badge(x.schema || ""));
        }, "no entity matches");
      }).catch(w.fail);
    });
    var list = w.apiAll("/events").then(function (events) {
      w.fill("ev-list", events, function (e) {
        return el("li", { "data-event-id": e.id }, w.eventLink(e.id, w.label(e.type)), " ",
          el("span", { class: "muted" }, (e.date_start || "undated") + " · " + (e.actor || "?") + " → " + (e.recipient || "?") +
          " · " + (e.claims || []).length + " claims"), " ", w.syntheticBadge(e));
      }, "no events");
      if (!wanted && !doc && events.length) return showEvent(events[0].id);
    });
    var detail = wanted ? showEvent(wanted) : null;
    var shown = doc ? showDocument(doc, [parseInt(w.param("start"), 10), parseInt(w.param("end"), 10)]) : null;
    return Promise.all([list, detail, shown]).then(function () {
      document.body.setAttribute("data-loaded", "true");
    }).catch(w.fail);
  };

  function entryText(x) {
    if (typeof x !== "object" || x == null) return String(x);
    var programmes = Array.isArray(x.programmes) ? x.programmes.join(", ") : x.programmes;
    return [x.caption || x.name, x.source || x.list, x.entry_id || x.key, programmes,
            x.listed_on ? "listed " + x.listed_on : null].filter(function (v) { return v; }).join(" · ");
  }

  w.pages.entity = function () {
    var id = w.param("id");
    if (!id) { w.fail("No entity chosen: open one from the Evidence page."); return null; }
    return w.api("/entities/" + encodeURIComponent(id)).then(function (x) {
      w.byId("entity-caption").textContent = x.caption;
      w.byId("entity-schema").textContent = x.schema || "";
      document.title = "watchfloor — " + x.caption;
      w.fill("entity-names", x.names, function (n) { return el("li", typeof n === "object" ? (n.name || JSON.stringify(n)) : n); }, "no names");
      w.fill("entity-entries", x.list_entries, function (e) { return el("li", entryText(e)); }, "not on a list");
      w.fill("entity-mentions", x.mentions, function (m) {
        var span = m.span || [];
        return el("li", el("q", m.text || ""), " — ",
          w.link("/evidence?document=" + encodeURIComponent(m.document_id) + "&start=" + span[0] + "&end=" + span[1], "in the document"));
      }, "no mentions");
      w.fill("entity-merges", x.merges, function (m) {
        if (typeof m !== "object") return el("li", m);
        return el("li", [m.caption || m.other || m.entity_id || m.id, m.status || m.decision, m.score != null ? "score " + m.score : null,
          m.algorithm].filter(function (v) { return v != null && v !== ""; }).join(" · "),
          m.id ? w.reviewControls("merge", m.id, function () { location.reload(); }) : null);
      }, "no merges");
      document.body.setAttribute("data-loaded", "true");
    }).catch(w.fail);
  };
})(watchfloor);
