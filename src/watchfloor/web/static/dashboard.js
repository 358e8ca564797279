// watchfloor dashboard core: the API client (key from sessionStorage, sent as a Bearer token), the
// session and role, the shared time window, and DOM helpers. Every text from the API is set with
// textContent or as a text node, never parsed as markup, so report text stays text.
"use strict";
var watchfloor = (function () {
  var KEY = "watchfloor.key";
  var WINDOW = "watchfloor.window";
  var SVG_NS = "http://www.w3.org/2000/svg";
  var pages = {};

  // el("li", {class: "x", "aria-label": "..."}, "text", childNode, ...): attributes and text only.
  function el(tag, attrs) {
    var node = document.createElement(tag);
    var start = 1;
    if (attrs != null && typeof attrs === "object" && !(attrs instanceof Node) && !Array.isArray(attrs)) {
      Object.keys(attrs).forEach(function (name) {
        var value = attrs[name];
        if (value == null || value === false) return;
        if (name === "onclick") node.addEventListener("click", value);
        else if (name === "text") node.textContent = String(value);
        else node.setAttribute(name, value === true ? "" : String(value));
      });
      start = 2;
    }
    for (var i = start; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }
  function append(node, child) {
    if (child == null || child === false) return node;
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return node; }
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    return node;
  }
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, String(attrs[name])); });
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c != null) node.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  function byId(id) { return document.getElementById(id); }
  function fill(id, items, render, empty) {
    var node = clear(byId(id));
    if (!items || !items.length) {
      var row = node.tagName === "TBODY" || node.tagName === "TABLE" ? null : el("li", { class: "muted" }, empty || "none");
      if (row) node.appendChild(row);
      else if (node.tagName === "TBODY") {
        var cols = node.parentNode.querySelectorAll("thead th").length || 1;
        node.appendChild(el("tr", el("td", { colspan: cols, class: "muted" }, empty || "none")));
      }
      return node;
    }
    items.forEach(function (item, i) { append(node, render(item, i)); });
    return node;
  }

  function key() { return sessionStorage.getItem(KEY); }
  function toLogin() { location.href = "/login"; }

  function ApiError(status, code, detail) {
    this.status = status; this.code = code; this.message = detail || code || ("HTTP " + status);
  }
  ApiError.prototype = Object.create(Error.prototype);

  // api("/events?limit=5") or api("/reviews", {method: "POST", json: {...}}) or {body: FormData}.
  function api(path, options) {
    options = options || {};
    var headers = { Authorization: "Bearer " + key(), Accept: "application/json" };
    var body = options.body;
    if (options.json !== undefined) { headers["Content-Type"] = "application/json"; body = JSON.stringify(options.json); }
    return fetch("/api/v1" + path, { method: options.method || "GET", headers: headers, body: body,
                                      credentials: "same-origin", cache: "no-store" })
      .then(function (r) {
        if (r.status === 401 && !options.noRedirect) { sessionStorage.removeItem(KEY); toLogin(); }
        if (options.raw && r.ok) return r;
        var type = r.headers.get("Content-Type") || "";
        var parsed = type.indexOf("json") >= 0 ? r.json() : r.text().then(function (t) { return { detail: t }; });
        return parsed.then(function (data) {
          if (!r.ok) throw new ApiError(r.status, data && data.error, data && data.detail);
          return data;
        });
      });
  }
  // Every item of a paginated list (API-CONTRACT: {total, limit, offset, items}), up to `cap`.
  function apiAll(path, cap) {
    cap = cap || 5000;
    var sep = path.indexOf("?") >= 0 ? "&" : "?";
    var items = [];
    function next(offset) {
      return api(path + sep + "limit=200&offset=" + offset).then(function (page) {
        var got = Array.isArray(page) ? page : (page.items || []);
        items = items.concat(got);
        var total = Array.isArray(page) ? got.length : page.total;
        if (got.length && items.length < total && items.length < cap) return next(offset + got.length);
        return items;
      });
    }
    return next(0);
  }
  function fail(err) {
    var box = byId("error");
    if (box) box.textContent = String((err && err.message) || err);
    if (window.console) console.error(err);
  }

  // The signed-in user, from GET /me (the role decides what is shown and allowed).
  var me = null;
  function canReview() { return !!me && (me.role === "analyst" || me.role === "admin"); }

  // The time window shared by the timeline brush, the map and the lists: {from, to} as YYYY-MM-DD.
  function getWindow() {
    try { var w = JSON.parse(sessionStorage.getItem(WINDOW) || "null"); return w && w.from && w.to ? w : null; }
    catch (e) { return null; }
  }
  function setWindow(w) {
    if (w) sessionStorage.setItem(WINDOW, JSON.stringify({ from: w.from, to: w.to }));
    else sessionStorage.removeItem(WINDOW);
    showWindow();
    document.dispatchEvent(new CustomEvent("watchfloor:window", { detail: getWindow() }));
  }
  function inWindow(start, end) {
    var w = getWindow();
    if (!w) return true;
    var s = day(start), e = day(end || start);
    if (!s) return true;
    return e >= w.from && s <= w.to;
  }
  function showWindow() {
    var chip = byId("window-chip"), w = getWindow();
    if (!chip) return;
    chip.hidden = !w;
    byId("window-text").textContent = w ? w.from + " – " + w.to : "";
  }

  function day(value) { return value ? String(value).slice(0, 10) : ""; }
  function when(value) { return value ? String(value).replace("T", " ").replace(/(:\d\d)(\.\d+)?(Z|\+00:00)?$/, "$1 UTC") : ""; }
  function label(value) { return String(value == null ? "" : value).replace(/_/g, " "); }
  // "B2" → comparable number: lower is better (A1 best, F6 worst).
  function gradeRank(grade) {
    if (!grade) return 99;
    var g = String(grade).toUpperCase();
    return ("ABCDEF".indexOf(g.charAt(0)) + 1) * 10 + (parseInt(g.slice(1), 10) || 6);
  }
  function param(name) { return new URLSearchParams(location.search).get(name); }
  function link(href, text) { return el("a", { href: href }, text); }
  function eventLink(id, text) { return link("/evidence?event=" + encodeURIComponent(id), text); }
  function entityLink(id, text) { return link("/entity?id=" + encodeURIComponent(id), text); }
  function badge(text, cls) { return el("span", { class: "badge " + (cls || "") }, text); }
  function statusBadge(status) { return badge(label(status), "status-" + String(status || "").replace(/[^a-z_]/g, "")); }
  function syntheticBadge(item) { return item && item.synthetic ? badge("SYNTHETIC", "synthetic") : null; }

  // The text of a document with [start, end) wrapped in <mark>, built from text nodes only.
  function highlighted(text, start, end) {
    var frag = document.createDocumentFragment();
    text = String(text || "");
    if (start == null || end == null || start < 0 || end > text.length || start >= end) {
      frag.appendChild(document.createTextNode(text));
      return { fragment: frag, mark: null };
    }
    var mark = el("mark", { id: "highlight", tabindex: "-1" }, text.slice(start, end));
    frag.appendChild(document.createTextNode(text.slice(0, start)));
    frag.appendChild(mark);
    frag.appendChild(document.createTextNode(text.slice(end)));
    return { fragment: frag, mark: mark };
  }

  // Confirm / reject with a reason (analysts and admins only; viewers never get the buttons).
  function reviewControls(targetKind, targetId, onDone) {
    if (!canReview()) return null;
    var reasonId = "why-" + targetKind + "-" + String(targetId).replace(/[^A-Za-z0-9_-]/g, "_");
    var reason = el("input", { id: reasonId, type: "text", required: true, class: "reason", placeholder: "why (required)" });
    var status = el("span", { class: "muted", "aria-live": "polite" });
    function decide(decision) {
      if (!reason.value.trim()) { status.textContent = "Give a reason first."; reason.focus(); return; }
      buttons.forEach(function (b) { b.disabled = true; });
      api("/reviews", { method: "POST", json: { target_kind: targetKind, target_id: targetId, decision: decision,
                                                why: reason.value.trim() } })
        .then(function (stored) { status.textContent = decision === "confirm" ? "Confirmed." : "Rejected."; if (onDone) onDone(stored, decision); },
              function (err) { status.textContent = String(err.message || err); buttons.forEach(function (b) { b.disabled = false; }); });
    }
    var buttons = [
      el("button", { type: "button", class: "confirm", "data-decision": "confirm", onclick: function () { decide("confirm"); } }, "Confirm"),
      el("button", { type: "button", class: "reject", "data-decision": "reject", onclick: function () { decide("reject"); } }, "Reject")
    ];
    return el("div", { class: "review", role: "group", "aria-label": "Review " + targetKind },
      el("label", { for: reasonId }, "Reason"), " ", reason, " ", buttons, " ", status);
  }

  function loginPage() {
    var form = byId("login");
    byId("key").focus();
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      sessionStorage.setItem(KEY, byId("key").value.trim());
      api("/me", { noRedirect: true }).then(function () {
        var back = param("next");
        // Only a path on this server: "//host", "/\host" and "/<tab>/host" would leave it.
        location.href = back && /^\/(?![\/\\])[^\\\u0000-\u001f]*$/.test(back) ? back : "/";
      }, function (err) {
        sessionStorage.removeItem(KEY);
        fail(err.status === 401 ? "That key is not known (or disabled)." : err);
      });
    });
  }

  function boot() {
    var name = document.body.getAttribute("data-page");
    if (name === "login") { loginPage(); return; }
    if (!key()) { location.href = "/login?next=" + encodeURIComponent(location.pathname + location.search); return; }
    byId("logout").addEventListener("click", function () { sessionStorage.clear(); toLogin(); });
    var clearButton = byId("window-clear");
    if (clearButton) clearButton.addEventListener("click", function () { setWindow(null); });
    showWindow();
    api("/me").then(function (who) {
      me = who;
      byId("who").textContent = who.user + " (" + who.role + ")";
      document.body.setAttribute("data-role", who.role);
      var page = pages[name];
      if (page) return page(who);
    }).catch(fail);
  }
  document.addEventListener("DOMContentLoaded", boot);

  return {
    pages: pages, el: el, svg: svg, append: append, clear: clear, byId: byId, fill: fill,
    api: api, apiAll: apiAll, fail: fail, canReview: canReview, me: function () { return me; },
    getWindow: getWindow, setWindow: setWindow, inWindow: inWindow,
    day: day, when: when, label: label, gradeRank: gradeRank, param: param, link: link,
    eventLink: eventLink, entityLink: entityLink, badge: badge, statusBadge: statusBadge,
    syntheticBadge: syntheticBadge, highlighted: highlighted, reviewControls: reviewControls
  };
})();
