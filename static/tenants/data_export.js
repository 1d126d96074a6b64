// The data export page: poll each export under way until it is ready, then offer the download.
(function () {
  "use strict";
  var script = document.currentScript;
  var downloadText = (script && script.getAttribute("data-download-text")) || "Download";
  document.querySelectorAll("[data-export-status-url]").forEach(function (cell) {
    var url = cell.getAttribute("data-export-status-url");
    if (!url) { return; }
    function poll() {
      fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (data.download_url) {
            var link = document.createElement("a");
            link.className = "button"; link.href = data.download_url; link.textContent = downloadText;
            cell.replaceChildren(link);
          } else if (data.status === "failed") {
            cell.textContent = data.status_display;
          } else {
            var bar = cell.querySelector("progress"); if (bar) { bar.value = data.progress; }
            var label = cell.querySelector(".export-label");
            if (label) { label.textContent = data.status_display + " · " + data.progress + "%"; }
            setTimeout(poll, 1500);
          }
        })
        .catch(function () { setTimeout(poll, 5000); });
    }
    setTimeout(poll, 1000);
  });
})();
