// Draws every report chart from the JSON figure embedded beside it (no inline script: CSP).
(function () {
  "use strict";

  // A chart with data-drill opens that URL for the day clicked (its placeholder day replaced).
  function drillDown(el) {
    var template = el.dataset.drill;
    if (!template || !el.on) { return; }
    el.on("plotly_click", function (event) {
      var point = event && event.points && event.points[0];
      var day = point && String(point.x).slice(0, 10);
      if (day && /^\d{4}-\d{2}-\d{2}$/.test(day)) {
        window.location.assign(template.replace("0000-00-00", day));
      }
    });
    el.classList.add("report-chart-drill");
  }

  function drawCharts() {
    if (typeof Plotly === "undefined") { return; }
    document.querySelectorAll(".report-chart[data-figure]").forEach(function (el) {
      var source = document.getElementById(el.dataset.figure);
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      Plotly.newPlot(el, figure.data, figure.layout, { responsive: true, displaylogo: false })
        .then(function () { drillDown(el); });
    });
  }

  function autosubmit() {
    document.querySelectorAll("select.js-autosubmit").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts();
    autosubmit();
  });
})();
