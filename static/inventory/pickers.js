// Product pickers (inventory/web/pickers.py): search as you type on the server, choose a
// product, prefill its unit cost or price; and "Add a line" for forms that take any number.
(function () {
  "use strict";

  function setup(picker) {
    if (picker.dataset.ready) return;
    picker.dataset.ready = "1";
    var search = picker.querySelector("[data-picker-search]");
    var value = picker.querySelector("[data-picker-value]");
    var results = picker.querySelector("[data-picker-results]");
    var timer = null;
    var last = "";

    function choose(product) {
      value.value = product.id;
      search.value = product.label;
      results.hidden = true;
      results.textContent = "";
      var prefill = picker.dataset.prefill;
      var line = picker.closest("[data-line]");
      if (prefill && line) {
        var input = line.querySelector("input[name$='-" + prefill + "']");
        var amount = prefill === "unit_cost" ? product.cost : product.sale_price;
        if (input && !input.value && amount !== null) input.value = amount;
      }
    }

    search.addEventListener("input", function () {
      value.value = "";
      clearTimeout(timer);
      var query = search.value.trim();
      if (query.length < 2) { results.hidden = true; return; }
      timer = setTimeout(function () {
        last = query;
        var url = picker.dataset.url + "?q=" + encodeURIComponent(query) + (picker.dataset.stock ? "&stock=1" : "");
        fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            if (query !== last) return;
            results.textContent = "";
            data.results.forEach(function (product) {
              var button = document.createElement("button");
              button.type = "button";
              button.className = "picker-result";
              button.setAttribute("role", "option");
              button.textContent = product.label;
              button.addEventListener("click", function () { choose(product); });
              results.appendChild(button);
            });
            results.hidden = data.results.length === 0;
          });
      }, 200);
    });
  }

  function setupAll(root) {
    root.querySelectorAll("[data-product-picker]").forEach(setup);
  }

  document.querySelectorAll("[data-add-line]").forEach(function (button) {
    var fieldset = button.closest("[data-testid=lines]");
    var template = fieldset.querySelector("template[data-empty-line]");
    var total = fieldset.querySelector("input[name$='-TOTAL_FORMS']");
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = Number(total.value);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var line = holder.firstElementChild;
      button.parentNode.insertBefore(line, button);
      total.value = String(index + 1);
      setupAll(line);
      var search = line.querySelector("[data-picker-search]");
      if (search) search.focus();
    });
  });
  setupAll(document);
})();
