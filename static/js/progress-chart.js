/* SIKAP: the stacked bar chart on the SKP progress page.
 * Reads the numbers rendered by Django's json_script (the same ones as the table under it)
 * and colours each status with the Bootstrap colour its table badge uses. */
(function () {
  "use strict";
  var source = document.getElementById("progress-chart-data");
  var canvas = document.getElementById("progress-chart");
  if (!source || !canvas || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var styles = getComputedStyle(document.documentElement);
  var colour = function (name) {
    return styles.getPropertyValue("--bs-" + name).trim() || "#6c757d";
  };
  // Long unit names would squeeze the bars; the table under the chart has them in full.
  var maxLength = canvas.parentElement.clientWidth < 500 ? 16 : 30;
  var shorten = function (label) {
    return label.length > maxLength ? label.slice(0, maxLength - 1) + "…" : label;
  };

  // One bar per unit; the box grows with the number of units so bars stay readable on a phone.
  canvas.parentElement.style.height = Math.max(160, data.labels.length * 36 + 90) + "px";

  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.datasets.map(function (set) {
        return { label: set.label, data: set.data, backgroundColor: colour(set.css), stack: "skp" };
      })
    },
    options: {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
        y: { stacked: true, ticks: { callback: function (value) { return shorten(this.getLabelForValue(value)); } } }
      },
      plugins: {
        legend: { position: "bottom" },
        tooltip: { mode: "index", intersect: false }
      }
    }
  });
})();
