// specwatch status page: progressive enhancement only; every page reads fine without it.
"use strict";
(function () {
  var root = document.documentElement;
  root.dataset.cspViolations = "0";
  // Counted for the browser test and for anyone debugging a page in the console.
  document.addEventListener("securitypolicyviolation", function (e) {
    root.dataset.cspViolations = String(Number(root.dataset.cspViolations) + 1);
    console.error("CSP violation:", e.violatedDirective, e.blockedURI);
  });

  function ago(ms) {
    var s = Math.round((Date.now() - ms) / 1000);
    if (s < 0) { return "in " + ago(Date.now() - (ms - Date.now())).replace(/ ago$/, ""); }
    if (s < 60) { return s + "s ago"; }
    if (s < 3600) { return Math.round(s / 60) + " min ago"; }
    if (s < 86400) { return Math.round(s / 3600) + " h ago"; }
    return Math.round(s / 86400) + " d ago";
  }

  function relativeTimes() {
    document.querySelectorAll("time[data-ms]").forEach(function (t) {
      var ms = Number(t.dataset.ms);
      if (!t.title) { t.title = t.textContent; }
      t.textContent = ago(ms);
    });
  }

  // Filter the overview table as you type (the form still works by submitting).
  function liveFilter() {
    var box = document.getElementById("q");
    var rows = document.querySelectorAll("tr[data-search]");
    if (!box || !rows.length) { return; }
    box.addEventListener("input", function () {
      var q = box.value.trim().toLowerCase();
      rows.forEach(function (r) {
        r.classList.toggle("hidden", q !== "" && r.dataset.search.indexOf(q) < 0);
      });
    });
  }

  // Ask before a mutation that an operator might click by accident.
  function confirmForms() {
    document.querySelectorAll("form[data-confirm]").forEach(function (f) {
      f.addEventListener("submit", function (e) {
        if (!window.confirm(f.dataset.confirm)) { e.preventDefault(); }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    relativeTimes();
    liveFilter();
    confirmForms();
    setInterval(relativeTimes, 30000);
    root.dataset.js = "ready";
  });
})();
