// The ordering page's cart: + and − beside each product, and the running total at the bottom.
// Without JavaScript the quantity boxes still work and the server prices the order.
(function () {
  "use strict";
  var form = document.querySelector(".order-form");
  var autosubmit = document.querySelectorAll("[data-autosubmit]");
  autosubmit.forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  if (!form) { return; }
  var total = form.querySelector("[data-cart-total]");
  var formatter;
  try {
    formatter = new Intl.NumberFormat(total.dataset.locale || "es", { style: "currency", currency: total.dataset.currency || "COP" });
  } catch (e) {
    formatter = { format: function (n) { return n.toFixed(2); } };
  }
  function refresh() {
    var sum = 0;
    form.querySelectorAll(".menu-item").forEach(function (item) {
      var input = item.querySelector("input[type=number]");
      var quantity = input ? parseFloat(input.value || "0") : 0;
      if (quantity > 0) { sum += quantity * parseFloat(item.dataset.price); }
    });
    total.textContent = formatter.format(sum);
  }
  form.addEventListener("click", function (event) {
    var button = event.target.closest(".qty-step");
    if (!button) { return; }
    var input = button.parentElement.querySelector("input");
    var next = (parseFloat(input.value || "0") || 0) + parseInt(button.dataset.step, 10);
    var max = parseFloat(input.max || "999");
    input.value = Math.max(0, Math.min(max, next)) || "";
    refresh();
  });
  form.addEventListener("input", refresh);
  refresh();
})();
