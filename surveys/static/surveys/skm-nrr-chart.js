/* SIKAP: the bar chart of NRR per unsur on the SKM results page.
 * Reads the numbers rendered by Django's json_script (the same ones as the table beside it);
 * the scale is the regulation's 1–4, with the mutu bands' lower edges in NRR terms as a guide. */
(function () {
  "use strict";
  var source = document.getElementById("nrr-chart-data");
  var canvas = document.getElementById("nrr-chart");
  if (!source || !canvas || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var styles = getComputedStyle(document.documentElement);
  var primary = styles.getPropertyValue("--sikap-primary").trim() || "#0b4f6c";
  var warning = styles.getPropertyValue("--bs-warning").trim() || "#ffc107";
  // The three lowest answered unsur (the follow-up candidates) stand out.
  var answered = data.data.filter(function (v) { return v !== null; }).slice().sort(function (a, b) { return a - b; });
  var third = answered.length ? answered[Math.min(2, answered.length - 1)] : null;
  var maxLength = canvas.parentElement.clientWidth < 500 ? 14 : 26;

  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [{
        label: "NRR",
        data: data.data,
        backgroundColor: data.data.map(function (v) { return v !== null && third !== null && v <= third ? warning : primary; })
      }]
    },
    options: {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { min: 1, max: 4, ticks: { stepSize: 0.5 } },
        y: { ticks: { callback: function (value) {
          var label = this.getLabelForValue(value);
          return label.length > maxLength ? label.slice(0, maxLength - 1) + "…" : label;
        } } }
      },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: function (ctx) { return "NRR " + ctx.parsed.x.toFixed(4); } } }
      }
    }
  });
})();
