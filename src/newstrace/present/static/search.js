/* Client-side search over the JSON index embedded in index.html. Results are built with
   textContent and createElement only: indexed text comes from articles and is untrusted. */
(function () {
  "use strict";
  var data = [];
  var el = document.getElementById("search-index");
  if (el) { try { data = JSON.parse(el.textContent || "[]"); } catch (e) { data = []; } }
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var status = document.getElementById("search-status");
  if (!input || !list) { return; }
  var hay = data.map(function (d) { return ((d.l || "") + " " + (d.s || "")).toLowerCase(); });
  var LABELS = {quote: "quote", article: "article", story: "story", person: "person"};
  function safeHref(u) { return /^[a-z]+\/[A-Za-z0-9_.#-]+$/.test(u) ? u : "#"; }
  function run() {
    var q = input.value.trim().toLowerCase();
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!q) { status.textContent = ""; return; }
    var terms = q.split(/\s+/);
    var hits = [];
    for (var i = 0; i < data.length && hits.length < 60; i++) {
      var ok = true;
      for (var t = 0; t < terms.length; t++) { if (hay[i].indexOf(terms[t]) < 0) { ok = false; break; } }
      if (ok) { hits.push(data[i]); }
    }
    status.textContent = hits.length ? (hits.length >= 60 ? "first 60 matches" : hits.length + " match" + (hits.length === 1 ? "" : "es")) : "no matches";
    hits.forEach(function (d) {
      var li = document.createElement("li");
      li.className = "hit hit-" + (LABELS[d.t] || "other");
      var tag = document.createElement("span");
      tag.className = "badge";
      tag.textContent = d.t || "";
      var a = document.createElement("a");
      a.href = safeHref(d.u || "");
      a.textContent = d.l || "";
      var sub = document.createElement("span");
      sub.className = "muted";
      sub.textContent = d.s ? " — " + d.s : "";
      li.appendChild(tag); li.appendChild(document.createTextNode(" ")); li.appendChild(a); li.appendChild(sub);
      list.appendChild(li);
    });
  }
  input.addEventListener("input", run);
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) { input.value = params.get("q"); run(); }
})();
