// Front desk check-in: a keyboard-wedge scanner types the QR's text and Enter into the box; the
// answer comes back as JSON and is shown big, green or red, then the box is ready for the next.
(function () {
  "use strict";
  var form = document.getElementById("checkin-form");
  var input = document.getElementById("checkin-token");
  var result = document.getElementById("checkin-result");
  if (!form || !input || !result) return;

  function show(data) {
    result.className = "checkin-result " + (data.ok ? "is-ok" : "is-refused");
    result.textContent = "";
    var name = document.createElement("p");
    name.className = "checkin-name";
    name.textContent = data.name || "—";
    var message = document.createElement("p");
    message.className = "checkin-message";
    message.textContent = data.message;
    result.appendChild(name);
    result.appendChild(message);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = new FormData(form);
    input.value = "";
    fetch(window.location.pathname, {
      method: "POST",
      body: body,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) { return response.json(); })
      .then(show)
      .catch(function () { show({ ok: false, name: "", message: form.dataset.offline || "…" }); })
      .finally(function () { input.focus(); });
  });
  document.addEventListener("click", function () { input.focus(); });
})();
