// Saved views: the "Copy link" button of a shared view. Words come from the page (data attributes).
(function () {
  "use strict";

  function say(button, text) {
    var status = button.closest(".share-box").querySelector(".copy-status");
    if (status) { status.textContent = text; }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) { return; }
    var input = document.getElementById(button.dataset.copy);
    input.select();
    var copied = function () { say(button, button.dataset.copied); };
    var failed = function () { say(button, button.dataset.copyFailed); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(copied, failed);
    } else {
      // Plain http on a school network: the older copy command still works there.
      try { (document.execCommand("copy") ? copied : failed)(); } catch (e) { failed(); }
    }
  });
})();
