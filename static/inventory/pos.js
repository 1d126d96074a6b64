// Point of sale: find products (typed or scanned), keep the ticket's lines, and show the total and
// the change due as the cashier types. The server prices the sale again; this is only the preview.
(function () {
  "use strict";
  var form = document.getElementById("pos");
  if (!form) return;
  var search = document.getElementById("pos-search");
  var results = document.getElementById("pos-results");
  var status = document.getElementById("pos-search-status");
  var body = document.getElementById("pos-lines");
  var empty = document.getElementById("pos-empty");
  var totalOut = document.getElementById("pos-total");
  var changeOut = document.getElementById("pos-change");
  var changeLine = document.getElementById("pos-change-line");
  var tendered = document.getElementById("pos-tendered");
  var tenderedField = document.getElementById("pos-tendered-field");
  var locationSelect = document.getElementById("pos-location");
  var lookupUrl = form.dataset.lookupUrl;
  var formatter;
  try {
    var digits = Number(form.dataset.currencyDigits || 2);
    formatter = new Intl.NumberFormat(form.dataset.language, { style: "currency", currency: form.dataset.currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
  } catch (e) {
    formatter = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  var lines = [];
  var timer = null;
  var lastQuery = "";

  // "1.234,5" or "1234.5" -> 1234.5 (Latin American keyboards type either).
  function parseNumber(text) {
    text = String(text || "").trim().replace(/\s/g, "");
    if (!text) return 0;
    if (text.indexOf(",") >= 0 && text.indexOf(".") >= 0) {
      text = text.lastIndexOf(",") > text.lastIndexOf(".") ? text.replace(/\./g, "").replace(",", ".") : text.replace(/,/g, "");
    } else {
      text = text.replace(",", ".");
    }
    var value = Number(text);
    return isFinite(value) ? value : NaN;
  }
  function cents(value) { return Math.round(value * 100); }
  function money(centsValue) { return formatter.format(centsValue / 100); }

  function lineCents(line) {
    var gross = cents(parseNumber(line.price) * parseNumber(line.quantity));
    var discount = cents(parseNumber(line.discount));
    return Math.max(0, gross - (isNaN(discount) ? 0 : discount));
  }

  function cell(tag, className) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    return node;
  }
  function input(name, value, label) {
    var node = document.createElement("input");
    node.type = "text";
    node.inputMode = "decimal";
    node.name = name;
    node.value = value;
    node.autocomplete = "off";
    node.setAttribute("aria-label", label);
    return node;
  }

  function render() {
    body.textContent = "";
    lines.forEach(function (line, index) {
      var row = cell("tr");
      row.dataset.testid = "pos-line";
      var name = cell("td");
      name.textContent = line.name + " ";
      var sku = cell("span", "muted");
      sku.textContent = line.sku;
      name.appendChild(sku);
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "line_product";
      hidden.value = line.id;
      name.appendChild(hidden);
      var qty = cell("td", "num");
      var qtyInput = input("line_quantity", line.quantity, body.dataset.qtyLabel + " · " + line.name);
      qtyInput.className = "pos-qty";
      qtyInput.addEventListener("input", function () { line.quantity = qtyInput.value; totals(); amount.textContent = money(lineCents(line)); });
      qty.appendChild(qtyInput);
      var disc = cell("td", "num");
      var discInput = input("line_discount", line.discount, body.dataset.discountLabel + " · " + line.name);
      discInput.placeholder = body.dataset.discountLabel;
      discInput.className = "pos-discount";
      discInput.addEventListener("input", function () { line.discount = discInput.value; totals(); amount.textContent = money(lineCents(line)); });
      disc.appendChild(discInput);
      var amount = cell("td", "num pos-amount");
      amount.textContent = money(lineCents(line));
      var remove = cell("td");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button-small button-secondary";
      button.textContent = "×";
      button.setAttribute("aria-label", body.dataset.removeLabel + " " + line.name);
      button.addEventListener("click", function () { lines.splice(index, 1); render(); });
      remove.appendChild(button);
      [name, qty, disc, amount, remove].forEach(function (node) { row.appendChild(node); });
      body.appendChild(row);
    });
    empty.hidden = lines.length > 0;
    totals();
  }

  function totals() {
    var total = lines.reduce(function (sum, line) { return sum + lineCents(line); }, 0);
    totalOut.textContent = money(total);
    var method = (form.querySelector("input[name=payment_method]:checked") || {}).value;
    var cash = method === "cash";
    tenderedField.hidden = !cash;
    changeLine.hidden = !cash;
    var given = cents(parseNumber(tendered.value));
    changeOut.textContent = money(cash && given > total ? given - total : 0);
    changeLine.classList.toggle("short", cash && tendered.value !== "" && given < total);
  }

  function add(product) {
    var existing = lines.filter(function (line) { return String(line.id) === String(product.id); })[0];
    if (existing) {
      existing.quantity = String(parseNumber(existing.quantity) + 1);
    } else {
      lines.push({ id: product.id, sku: product.sku, name: product.name, price: product.price, quantity: "1", discount: "" });
    }
    render();
    results.textContent = "";
    search.value = "";
    status.textContent = "";
    search.focus();
  }

  function show(products) {
    results.textContent = "";
    products.forEach(function (product) {
      var item = cell("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "pos-result";
      button.dataset.testid = "pos-result";
      var stock = product.on_hand_text !== null && product.on_hand_text !== undefined ? " · " + product.on_hand_text + " " + status.dataset.out : "";
      button.textContent = product.name + " (" + product.sku + ") · " + money(cents(parseNumber(product.price))) + stock;
      button.addEventListener("click", function () { add(product); });
      item.appendChild(button);
      results.appendChild(item);
    });
    status.textContent = products.length ? "" : status.dataset.none;
  }

  function lookup(query, thenAddExact) {
    var url = lookupUrl + "?q=" + encodeURIComponent(query) + "&location=" + encodeURIComponent(locationSelect.value || "");
    lastQuery = query;
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { exact: false, results: [] }; })
      .then(function (data) {
        if (query !== lastQuery) return;
        if (thenAddExact && data.results.length === 1 && (data.exact || thenAddExact === "any")) {
          add(data.results[0]);
        } else {
          show(data.results);
        }
      });
  }

  search.addEventListener("input", function () {
    clearTimeout(timer);
    var query = search.value.trim();
    if (query.length < 2) { results.textContent = ""; return; }
    timer = setTimeout(function () { lookup(query, false); }, 200);
  });
  // A barcode scanner types the code and presses Enter: add the exact match at once.
  search.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    event.preventDefault();
    clearTimeout(timer);
    var query = search.value.trim();
    if (query) lookup(query, "any");
  });
  form.addEventListener("input", function (event) {
    if (event.target === tendered) totals();
  });
  form.addEventListener("change", function (event) {
    if (event.target.name === "payment_method") totals();
  });
  form.addEventListener("submit", function (event) {
    if (!lines.length) { event.preventDefault(); empty.hidden = false; search.focus(); return; }
    // The server reads "1234.5": send what was typed as "1.234,5" that way.
    form.querySelectorAll(".pos-qty, .pos-discount, #pos-tendered").forEach(function (node) {
      var value = parseNumber(node.value);
      if (node.value.trim() !== "" && !isNaN(value)) node.value = String(value);
    });
  });

  var initial = document.getElementById("pos-initial-lines");
  if (initial) {
    JSON.parse(initial.textContent).forEach(function (line) {
      lines.push({ id: line.id, sku: line.sku, name: line.name, price: line.price, quantity: line.quantity, discount: line.discount === "0" ? "" : line.discount });
    });
  }
  render();
})();
