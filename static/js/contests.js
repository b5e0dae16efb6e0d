// Contests: small behaviours without inline script (the CSP forbids it).
document.addEventListener("DOMContentLoaded", () => {
  // <form data-confirm="question"> asks before it submits.
  document.body.addEventListener("submit", (event) => {
    const question = event.target.dataset && event.target.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  // <button data-print> prints the page.
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
});
