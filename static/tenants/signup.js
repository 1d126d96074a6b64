// Signup: the country sets the currency, the time zones offered, the tax ID's name and the usual
// tax rate (each stays editable). Defaults come from the page (tenants.countries).
(function () {
  "use strict";
  var data = document.getElementById("country-defaults");
  var country = document.querySelector("[data-country-select]");
  if (!data || !country) return;
  var defaults = JSON.parse(data.textContent);
  var form = country.form;
  country.addEventListener("change", function () {
    var chosen = defaults[country.value];
    if (!chosen) return;
    form.elements.currency.value = chosen.currency;
    var zone = form.elements.time_zone;
    zone.textContent = "";
    chosen.time_zones.forEach(function (pair, index) {
      var option = document.createElement("option");
      option.value = pair[0];
      option.textContent = pair[1];
      option.selected = index === 0;
      zone.appendChild(option);
    });
    form.elements.tax_id_label.value = chosen.tax_id_label;
    form.elements.default_tax_rate.value = chosen.tax_rate;
  });
})();
