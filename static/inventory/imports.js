// The import page: while an import runs, poll its status and move the progress bar; when it ends,
// reload the page to show the outcome (counts or every bad row).
(function () {
  "use strict";
  var box = document.querySelector("[data-import-progress]");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = box.querySelector("progress");
  var percent = box.querySelector("[data-import-percent]");
  var status = document.querySelector("[data-import-status]");
  function poll() {
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (data) {
        bar.value = data.progress;
        bar.textContent = data.progress + "%";
        percent.textContent = data.progress + "%";
        if (status) { status.textContent = data.status_display; }
        if (data.active) { window.setTimeout(poll, 1500); } else { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
