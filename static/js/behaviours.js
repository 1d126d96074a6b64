// Small behaviours pages ask for with data attributes, instead of inline handlers (the
// Content-Security-Policy allows no inline script): data-autosubmit submits its form when the
// value changes; data-print opens the print dialog.
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.submit();
});
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
