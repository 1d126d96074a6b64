// Signup's proof of a human: the ALTCHA widget without bundled workers (a strict CSP allows no
// worker from a blob or a data: URL), so its proof-of-work worker is registered here, from our
// own static files (the URL comes from the page: tenants.human_check.AltchaWidget).
(function () {
  "use strict";
  var widget = document.querySelector("[data-altcha-widget]");
  if (!widget || !window.$altcha) return;
  var url = widget.getAttribute("data-worker");
  ["PBKDF2/SHA-256", "PBKDF2/SHA-384", "PBKDF2/SHA-512"].forEach(function (algorithm) {
    window.$altcha.algorithms.set(algorithm, function () {
      return new Worker(url);
    });
  });
})();
