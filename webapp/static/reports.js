// Draws every report chart from the JSON figure embedded beside it (no inline script: CSP).
(function () {
  "use strict";

  function drawCharts() {
    if (typeof Plotly === "undefined") { return; }
    document.querySelectorAll(".report-chart[data-figure]").forEach(function (el) {
      var source = document.getElementById(el.dataset.figure);
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      Plotly.newPlot(el, figure.data, figure.layout, { responsive: true, displaylogo: false });
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
