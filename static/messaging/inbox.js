// Inbox: picking a quick reply puts its text in the reply box (no inline handlers: CSP).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-quick-reply-target]").forEach((select) => {
    select.addEventListener("change", () => {
      const target = document.getElementById(select.dataset.quickReplyTarget);
      if (target && select.value) {
        target.value = select.value;
        target.focus();
      }
    });
  });
  const chat = document.querySelector(".chat");
  if (chat && chat.lastElementChild) chat.lastElementChild.scrollIntoView({ block: "end" });
});
