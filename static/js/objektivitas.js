/* SIKAP: the objectivity report's bar chart — per unit, the share of IKI measured from a data
 * source and the share of realisations that are sourced or verified. Reads the numbers rendered
 * by Django's json_script (the same ones as the table under the chart); labels come from
 * the same json_script block (translated on the server). */
(function () {
  "use strict";
  var source = document.getElementById("objektivitas-chart-data");
  var canvas = document.getElementById("objektivitas-bar");
  if (!source || !canvas || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var styles = getComputedStyle(document.documentElement);
  var colour = function (name) {
    return styles.getPropertyValue("--bs-" + name).trim() || "#6c757d";
  };
  var maxLength = canvas.parentElement.clientWidth < 500 ? 16 : 30;
  var shorten = function (label) {
    return label.length > maxLength ? label.slice(0, maxLength - 1) + "…" : label;
  };
  canvas.parentElement.style.height = Math.max(160, data.labels.length * 44 + 90) + "px";
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: data.legend.iki, data: data.iki, backgroundColor: colour("primary") },
        { label: data.legend.realisasi, data: data.realisasi, backgroundColor: colour("success") }
      ]
    },
    options: {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { beginAtZero: true, max: 100, ticks: { callback: function (value) { return value + "%"; } } },
        y: { ticks: { callback: function (value) { return shorten(this.getLabelForValue(value)); } } }
      },
      plugins: {
        legend: { position: "bottom" },
        tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ": " + ctx.parsed.x + "%"; } } }
      }
    }
  });
})();
