// Live preview of the notification template editor: re-render the subject and body with
// sample data as the operator types (the server renders in its sandbox and escapes the result).
(function () {
  var panel = document.getElementById("template-live-preview");
  var form = panel && document.querySelector("form.admin-form");
  if (!form) {
    return;
  }
  var result = document.getElementById("template-preview-result");
  var state = document.getElementById("template-preview-state");
  var timer = null;
  var sent = 0;

  function refresh() {
    var data = new FormData();
    data.append("csrf_token", form.querySelector("[name=csrf_token]").value);
    data.append("subject", (form.querySelector("[name=subject]") || {}).value || "");
    data.append("body", (form.querySelector("[name=body]") || {}).value || "");
    var mine = ++sent;
    state.textContent = panel.getAttribute("data-updating") || "updating...";
    fetch(panel.getAttribute("data-preview-url"), { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.text();
      })
      .then(function (html) {
        if (mine === sent) {
          result.innerHTML = html;
          state.textContent = "";
        }
      })
      .catch(function () {
        state.textContent =
          panel.getAttribute("data-unavailable") || "(preview unavailable; save to check the template)";
      });
  }

  form.addEventListener("input", function (event) {
    if (event.target.name === "subject" || event.target.name === "body") {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    }
  });
})();
