/* SIKAP: the HR dashboard's charts — a stacked bar of predikat per unit and a doughnut of the
 * scope's predikat distribution. Reads the numbers rendered by Django's json_script (the same
 * ones as the tables under the charts) and colours each predikat with its table badge colour. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-chart-data");
  var bar = document.getElementById("dashboard-bar");
  var doughnut = document.getElementById("dashboard-doughnut");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var styles = getComputedStyle(document.documentElement);
  var colour = function (name) {
    return styles.getPropertyValue("--bs-" + name).trim() || "#6c757d";
  };

  if (bar) {
    // Long unit names would squeeze the bars; the table under the chart has them in full.
    var maxLength = bar.parentElement.clientWidth < 500 ? 16 : 30;
    var shorten = function (label) {
      return label.length > maxLength ? label.slice(0, maxLength - 1) + "…" : label;
    };
    bar.parentElement.style.height = Math.max(160, data.bar.labels.length * 36 + 90) + "px";
    new Chart(bar, {
      type: "bar",
      data: {
        labels: data.bar.labels,
        datasets: data.bar.datasets.map(function (set) {
          return { label: set.label, data: set.data, backgroundColor: colour(set.css), stack: "predikat" };
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
        plugins: { legend: { position: "bottom" }, tooltip: { mode: "index", intersect: false } }
      }
    });
  }

  if (doughnut) {
    new Chart(doughnut, {
      type: "doughnut",
      data: {
        labels: data.doughnut.labels,
        datasets: [{ data: data.doughnut.data, backgroundColor: data.doughnut.css.map(colour) }]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { position: "right" } }
      }
    });
  }
})();
