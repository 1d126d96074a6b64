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

  function send(body) {
    return fetch(window.location.pathname, {
      method: "POST",
      body: body,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) { return response.json(); })
      .then(show)
      .catch(function () { show({ ok: false, name: "", message: form.dataset.offline || "…" }); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = new FormData(form);
    input.value = "";
    send(body).finally(function () { input.focus(); });
  });

  // The device's camera: frames are decoded here by jsQR (an npm package served as a static
  // file); the same QR is not sent again for a few seconds while it stays in view.
  var cameraButton = document.getElementById("checkin-camera");
  var video = document.getElementById("checkin-video");
  if (cameraButton && video && window.jsQR && navigator.mediaDevices) {
    cameraButton.hidden = false;
    var canvas = document.createElement("canvas");
    var context = canvas.getContext("2d", { willReadFrequently: true });
    var last = "";
    var lastAt = 0;
    var scan = function () {
      if (video.readyState === video.HAVE_ENOUGH_DATA) {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        var frame = context.getImageData(0, 0, canvas.width, canvas.height);
        var code = window.jsQR(frame.data, frame.width, frame.height, { inversionAttempts: "dontInvert" });
        var now = Date.now();
        if (code && code.data && (code.data !== last || now - lastAt > 4000)) {
          last = code.data;
          lastAt = now;
          var body = new FormData(form);
          body.set("token", code.data);
          send(body);
        }
      }
      window.setTimeout(scan, 250);
    };
    cameraButton.addEventListener("click", function () {
      navigator.mediaDevices
        .getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (stream) {
          video.srcObject = stream;
          video.hidden = false;
          cameraButton.hidden = true;
          return video.play();
        })
        .then(scan)
        .catch(function () { show({ ok: false, name: "", message: cameraButton.dataset.denied }); });
    });
  }
  document.addEventListener("click", function (event) {
    if (event.target !== cameraButton) input.focus();
  });
})();
