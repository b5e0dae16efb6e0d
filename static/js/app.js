// Pervichka: small behaviours without inline script (the CSP forbids it).
document.addEventListener("DOMContentLoaded", () => {
  // <select data-autosubmit> submits its form when changed.
  document.body.addEventListener("change", (event) => {
    if (event.target.matches("[data-autosubmit]")) {
      event.target.form.requestSubmit();
    }
  });
});
