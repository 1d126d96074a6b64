// The grouped menu: one group open at a time, closed by a click elsewhere or Escape.
// Without JavaScript the groups still open and close (they are <details> elements).
document.addEventListener("DOMContentLoaded", () => {
  const groups = Array.from(document.querySelectorAll("details.nav-group"));
  const closeOthers = (keep) => groups.forEach((group) => { if (group !== keep) group.open = false; });
  groups.forEach((group) => group.addEventListener("toggle", () => { if (group.open) closeOthers(group); }));
  document.addEventListener("click", (event) => {
    if (!event.target.closest("details.nav-group")) closeOthers(null);
  });
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") closeOthers(null); });
});
