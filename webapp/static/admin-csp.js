// Flask-Admin writes a few inline onclick handlers, which our Content-Security-Policy
// refuses; our copies of its templates carry data attributes instead, handled here.
document.addEventListener("click", function (event) {
  var action = event.target.closest("[data-model-action]");
  if (action) {
    event.preventDefault();
    window.modelActions.execute(action.getAttribute("data-model-action"));
    return;
  }
  var confirming = event.target.closest("[data-confirm]");
  if (confirming && !window.confirm(confirming.getAttribute("data-confirm"))) {
    event.preventDefault();
    return;
  }
  if (event.target.closest("a.filter")) {
    event.preventDefault();
  }
});

// Flask-Admin's menus link to "javascript:void(0)", a navigation the CSP refuses (and
// reports): cancel it first; the menus' own handlers still run.
document.addEventListener(
  "click",
  function (event) {
    var link = event.target.closest("a[href^='javascript:']");
    if (link) {
      event.preventDefault();
    }
  },
  true
);
