// watchfloor dashboard: reads the REST API with the key kept in sessionStorage.
// Every text from the API is set with textContent, never parsed as markup, so report text stays text.
"use strict";
var watchfloor = (function () {
  var KEY = "watchfloor.key";
  function el(tag, text) { var e = document.createElement(tag); if (text != null) e.textContent = String(text); return e; }
  function api(path) {
    return fetch("/api/v1" + path, { headers: { Authorization: "Bearer " + sessionStorage.getItem(KEY) } })
      .then(function (r) {
        if (r.status === 401) { location.href = "/login"; throw new Error("not logged in"); }
        return r.json().then(function (body) { if (!r.ok) throw new Error(body.detail || body.error); return body; });
      });
  }
  function fail(err) { document.getElementById("error").textContent = String(err.message || err); }
  function loginPage() {
    document.getElementById("login").addEventListener("submit", function (ev) {
      ev.preventDefault();
      sessionStorage.setItem(KEY, document.getElementById("key").value);
      api("/me").then(function () { location.href = "/"; }, fail);
    });
  }
  function overviewPage() {
    if (!sessionStorage.getItem(KEY)) { location.href = "/login"; return; }
    api("/me").then(function (me) { document.getElementById("who").textContent = me.user + " (" + me.role + ")"; }, fail);
    api("/assessment").then(function (a) {
      document.getElementById("stage").textContent = a.stage.index + " — " + a.stage.name + ": " + a.stage.description;
      var list = document.getElementById("indicators");
      a.indicators.forEach(function (i) { list.appendChild(el("li", i.name + ": " + i.status + " — " + i.explanation)); });
      var moves = document.getElementById("moves");
      a.to_move_up.forEach(function (m) { moves.appendChild(el("li", "up: " + m)); });
      a.to_move_down.forEach(function (m) { moves.appendChild(el("li", "down: " + m)); });
    }, fail);
  }
  return { api: api, loginPage: loginPage, overviewPage: overviewPage, el: el };
})();
