/* SIKAP: the bar chart on the "before and after a training" page (talenta).
 * Reads the predikat distribution rendered by Django's json_script (the same numbers as the
 * table under it); no inline script, so it works under the Content-Security-Policy. */
(function () {
  "use strict";
  var source = document.getElementById("dampak-chart-data");
  var canvas = document.getElementById("dampak-chart");
  if (!source || !canvas || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var styles = getComputedStyle(document.documentElement);
  var colour = function (name) {
    return styles.getPropertyValue("--bs-" + name).trim() || "#6c757d";
  };
  // The box height is set here rather than in a style attribute (the CSP forbids inline styles).
  canvas.parentElement.style.position = "relative";
  canvas.parentElement.style.height = "240px";

  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: data.label_sebelum, data: data.sebelum, backgroundColor: colour("secondary") },
        { label: data.label_sesudah, data: data.sesudah, backgroundColor: colour("primary") }
      ]
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: "bottom" }, tooltip: { mode: "index", intersect: false } }
    }
  });
})();
