// The branding page: colour pickers beside the #RRGGBB fields, and a live preview of the header,
// the buttons and the sign-in page, redrawn on every change before anything is saved.
// The contrast rules are the server's (branding/colours.py), repeated here only to preview them.
(function () {
  "use strict";
  var preview = document.getElementById("brand-preview");
  var form = document.querySelector("[data-testid=branding-form]");
  if (!preview || !form) { return; }

  var WHITE = "#ffffff", NEAR_BLACK = "#111111", BLACK = "#000000", AA = 4.5;
  var PAGE_BACKGROUNDS = ["#f8fafc", "#ffffff"];

  function hex(value) {
    value = (value || "").trim();
    return /^#[0-9a-fA-F]{6}$/.test(value) ? value.toLowerCase() : "";
  }
  function channel(value) {
    var s = value / 255;
    return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  }
  function luminance(colour) {
    var r = parseInt(colour.substr(1, 2), 16), g = parseInt(colour.substr(3, 2), 16), b = parseInt(colour.substr(5, 2), 16);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  }
  function contrast(a, b) {
    var la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }
  function textOn(background) {
    var candidates = [WHITE, NEAR_BLACK, BLACK];
    for (var i = 0; i < candidates.length; i++) {
      if (contrast(candidates[i], background) >= AA) { return candidates[i]; }
    }
    return BLACK;
  }
  function readableOnPage(colour) {
    return Math.min.apply(null, PAGE_BACKGROUNDS.map(function (bg) { return contrast(colour, bg); }));
  }
  function allows(feature) { return preview.dataset["allows" + feature] === "1"; }
  function field(name) { return form.elements.namedItem(name); }

  // A colour picker beside each #RRGGBB field, both kept in step.
  Array.prototype.forEach.call(form.querySelectorAll("input.colour-text"), function (text) {
    var picker = document.createElement("input");
    picker.type = "color";
    picker.className = "colour-picker";
    picker.disabled = text.disabled;
    picker.setAttribute("aria-label", text.labels && text.labels[0] ? text.labels[0].textContent : text.name);
    picker.value = hex(text.value) || hex(text.placeholder) || "#000000";
    text.parentNode.insertBefore(picker, text);
    picker.addEventListener("input", function () { text.value = picker.value; update(); });
    text.addEventListener("input", function () { if (hex(text.value)) { picker.value = hex(text.value); } update(); });
  });

  var logoUrl = null;
  function showLogo(url) {
    Array.prototype.forEach.call(preview.querySelectorAll(".preview-logo"), function (img) {
      if (url) { img.src = url; img.hidden = false; }
    });
    Array.prototype.forEach.call(preview.querySelectorAll(".preview-name"), function (name) {
      if (url) { name.hidden = true; }
    });
  }

  function update() {
    var defaults = {
      primary: preview.dataset.defaultPrimary,
      secondary: preview.dataset.defaultSecondary,
      accent: preview.dataset.defaultAccent
    };
    var primary = (allows("Primary") && hex(field("primary_colour").value)) || defaults.primary;
    var chosenSecondary = allows("Secondary") ? hex(field("secondary_colour").value) : "";
    var secondary = chosenSecondary || (readableOnPage(primary) >= AA ? primary : defaults.secondary);
    var accent = allows("Accent") ? hex(field("accent_colour").value) : "";
    var style = preview.style;
    style.setProperty("--preview-primary", primary);
    style.setProperty("--preview-primary-contrast", textOn(primary));
    style.setProperty("--preview-secondary", secondary);
    style.setProperty("--preview-accent-line", accent || "transparent");

    var name = allows("Name") ? field("commercial_name").value.trim() : "";
    Array.prototype.forEach.call(preview.querySelectorAll(".preview-name"), function (node) {
      node.textContent = name || preview.dataset.workspaceName;
    });

    var warning = preview.querySelector(".preview-warning");
    if (chosenSecondary && readableOnPage(chosenSecondary) < AA) {
      var ratio = Math.floor(readableOnPage(chosenSecondary) * 100) / 100;
      warning.textContent = preview.dataset.secondaryWarning.replace("{ratio}", ratio.toFixed(2));
      warning.hidden = false;
    } else {
      warning.hidden = true;
    }
  }

  var logoInput = field("logo");
  if (logoInput && !logoInput.disabled) {
    logoInput.addEventListener("change", function () {
      if (logoUrl) { URL.revokeObjectURL(logoUrl); logoUrl = null; }
      var file = logoInput.files && logoInput.files[0];
      if (file && /^image\/(png|jpeg|webp)$/.test(file.type)) {
        logoUrl = URL.createObjectURL(file);
        showLogo(logoUrl);
      }
    });
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);

  var reset = document.querySelector("form.branding-reset");
  if (reset) {
    reset.addEventListener("submit", function (event) {
      if (!window.confirm(reset.dataset.confirm)) { event.preventDefault(); }
    });
  }
  update();
})();
