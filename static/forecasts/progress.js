// Suggested orders while a forecast run is under way: follow its progress, reload when done.
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.getAttribute("data-progress-url");
  var bar = document.getElementById("forecast-progress");
  if (!url || !bar) { return; }
  function poll() {
    fetch(url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
      bar.value = data.progress;
      if (data.status === "queued" || data.status === "running") { setTimeout(poll, 2000); } else { window.location.reload(); }
    });
  }
  poll();
})();
