// The order board: asks board.json every few seconds whether anything changed and, when it did,
// swaps the columns in place (no reload) and rings for an order it has not seen yet.
(function () {
  "use strict";
  var board = document.getElementById("board");
  document.querySelectorAll("[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  if (!board) { return; }
  var url = board.dataset.pollUrl;
  var version = board.dataset.version;
  var seconds = parseInt(board.dataset.pollSeconds || "4", 10);
  var seen = {};
  board.querySelectorAll("[data-order]").forEach(function (card) { seen[card.dataset.order] = true; });
  var audio = null;
  var toggle = document.querySelector("[data-sound-toggle]");
  if (toggle) {
    toggle.addEventListener("click", function () {
      // Browsers let a page make sound only after a tap: this button is that tap.
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      toggle.textContent = toggle.dataset.on;
      ring();
    });
  }
  function ring() {
    if (!audio) { return; }
    [0, 0.25].forEach(function (offset) {
      var oscillator = audio.createOscillator();
      var gain = audio.createGain();
      oscillator.frequency.value = 880;
      gain.gain.value = 0.2;
      oscillator.connect(gain);
      gain.connect(audio.destination);
      oscillator.start(audio.currentTime + offset);
      oscillator.stop(audio.currentTime + offset + 0.15);
    });
  }
  function poll() {
    var sep = url.indexOf("?") === -1 ? "?" : "&";
    fetch(url + sep + "v=" + encodeURIComponent(version), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        version = data.version;
        board.dataset.version = version;
        if (!data.changed) { return; }
        board.innerHTML = data.html;
        var fresh = false;
        data["new"].forEach(function (id) {
          if (!seen[id]) { fresh = true; }
          seen[id] = true;
        });
        if (fresh) { ring(); }
        board.dispatchEvent(new CustomEvent("board:updated"));
      })
      .catch(function () { /* the next poll tries again */ })
      .then(function () { window.setTimeout(poll, seconds * 1000); });
  }
  window.setTimeout(poll, seconds * 1000);
})();
