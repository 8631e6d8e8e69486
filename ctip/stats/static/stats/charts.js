// Statistics charts (ctip/stats): draws each <canvas data-chart="line|bar|funnel"> with the vendored Chart.js
// (static/stats/vendor/chart.umd.js). The numbers come from the canvas's data-labels / data-values attributes,
// the same published (suppressed, rounded) figures as the table beside the chart; a hidden cell (null) is a gap.
// No inline script and no eval: the page's Content-Security-Policy allows scripts from our own static files only.
(function () {
  "use strict";

  var COLOUR = "#1f5f8b";
  var FUNNEL = ["#1f5f8b", "#3f7fab", "#6f9fc8"];

  function parse(el, name) {
    try { return JSON.parse(el.getAttribute(name) || "[]"); } catch (e) { return []; }
  }

  function draw(canvas) {
    if (typeof window.Chart !== "function") { return; }
    var kind = canvas.getAttribute("data-chart");
    var labels = parse(canvas, "data-labels");
    var values = parse(canvas, "data-values");
    if (!labels.length) { canvas.hidden = true; return; }
    var horizontal = kind === "funnel" || (kind === "bar" && labels.length > 12);
    if (horizontal) {
      // one bar per row, readable however many counties there are
      canvas.parentNode.classList.add("stats-chart-tall");
      canvas.height = Math.max(160, labels.length * 22);
    }
    new window.Chart(canvas, {
      type: kind === "line" ? "line" : "bar",
      data: {
        labels: labels,
        datasets: [{
          label: canvas.getAttribute("data-series") || "",
          data: values,
          borderColor: COLOUR,
          backgroundColor: kind === "funnel" ? FUNNEL : COLOUR,
          spanGaps: false,
          tension: 0,
        }],
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: !horizontal,
        animation: false,
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true }, y: { beginAtZero: true } },
      },
    });
  }

  function start() {
    if (typeof window.Chart !== "function") {
      // the library is still loading (both scripts are deferred, so it normally comes first): try once more later
      window.addEventListener("load", function () {
        Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), draw);
      });
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
