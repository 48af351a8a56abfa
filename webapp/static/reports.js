// Draws every report chart from the JSON figure embedded beside it (no inline script: CSP).
// Words shown to people come from the page (data attributes), never from this file.
(function () {
  "use strict";

  // The whole toolbar: a PNG download, zoom and reset. Nothing that sends data away
  // ("Share", "Edit in Chart Studio") and no Plotly logo.
  var BUTTONS = [["toImage", "zoomIn2d", "zoomOut2d", "resetScale2d"]];
  var TOOLBAR_KEYS = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

  // The page's locale for Plotly (month and weekday names, digit grouping, toolbar words),
  // built by the server from Babel's data (webapp/i18n.py); absent in plain English.
  var LOCALE = null;

  function registerLocale() {
    var source = document.getElementById("plotly-locale");
    if (!source || typeof Plotly === "undefined") { return; }
    var locale = JSON.parse(source.textContent);
    Plotly.register(locale);
    LOCALE = locale.name;
  }

  function config(el) {
    var options = {
      responsive: true,
      displaylogo: false,
      showSendToCloud: false,
      showEditInChartStudio: false,
      showLink: false,
      modeBarButtons: BUTTONS,
      toImageButtonOptions: { format: "png", filename: el.dataset.filename || "chart", scale: 2 }
    };
    if (LOCALE) { options.locale = LOCALE; }
    return options;
  }

  function toolbarButtons(el) {
    return Array.prototype.slice.call(el.querySelectorAll(".modebar button"));
  }

  // One tab stop per toolbar (the last button used); arrows move within it (ARIA toolbar).
  function focusButton(el, index) {
    var buttons = toolbarButtons(el);
    if (!buttons.length) { return; }
    var current = (index + buttons.length) % buttons.length;
    buttons.forEach(function (button, i) { button.tabIndex = i === current ? 0 : -1; });
    el.dataset.toolbarIndex = current;
    return buttons[current];
  }

  // After each (re)draw: name the toolbar, restore its single tab stop, and hide the SVG
  // from screen readers (the figure's caption says what the chart shows).
  function dress(el) {
    var bar = el.querySelector(".modebar");
    if (bar && el.dataset.toolbarLabel) { bar.setAttribute("aria-label", el.dataset.toolbarLabel); }
    focusButton(el, Number(el.dataset.toolbarIndex || 0));
    el.querySelectorAll("svg.main-svg").forEach(function (svg) { svg.setAttribute("aria-hidden", "true"); });
  }

  function onToolbarKey(el, event) {
    var buttons = toolbarButtons(el);
    var at = buttons.indexOf(document.activeElement);
    if (at < 0) { return; }
    var target = null;
    if (TOOLBAR_KEYS[event.key]) { target = focusButton(el, at + TOOLBAR_KEYS[event.key]); }
    if (event.key === "Home") { target = focusButton(el, 0); }
    if (event.key === "End") { target = focusButton(el, buttons.length - 1); }
    if (target) {
      event.preventDefault();
      target.focus();
    }
  }

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

  function draw(el) {
    var source = document.getElementById(el.dataset.figure);
    if (!source) { return; }
    var figure = JSON.parse(source.textContent);
    // On touch screens a finger drag scrolls the page instead of zooming the chart.
    if (window.matchMedia && window.matchMedia("(pointer: coarse)").matches) {
      figure.layout.dragmode = false;
    }
    el.addEventListener("keydown", function (event) { onToolbarKey(el, event); });
    el.addEventListener("focusin", function (event) {
      var at = toolbarButtons(el).indexOf(event.target);
      if (at >= 0) { focusButton(el, at); }
    });
    Plotly.newPlot(el, figure.data, figure.layout, config(el)).then(function () {
      dress(el);
      drillDown(el);
      el.on("plotly_afterplot", function () { dress(el); });
    });
  }

  function drawCharts() {
    if (typeof Plotly === "undefined") { return; }
    registerLocale();
    document.querySelectorAll(".report-chart[data-figure]").forEach(draw);
  }

  // A select marked data-submit-on-enter applies on Enter (or its form's button), never
  // on change: arrowing through the options must not reload the page.
  function submitOnEnter() {
    document.querySelectorAll("select[data-submit-on-enter]").forEach(function (select) {
      select.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();
          select.form.requestSubmit();
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts();
    submitOnEnter();
  });
})();
