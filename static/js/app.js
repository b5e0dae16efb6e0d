// Pervichka: small behaviours without inline script (the CSP forbids it).
document.addEventListener("DOMContentLoaded", () => {
  // <select data-autosubmit> submits its form when changed.
  document.body.addEventListener("change", (event) => {
    if (event.target.matches("[data-autosubmit]")) {
      event.target.form.requestSubmit();
    }
  });
});

// A person picker (templates/branches/widgets/person_picker.html): a picked answer fills
// the hidden value (and the exact contact it was found by), and the list closes.
document.addEventListener("click", (event) => {
  const answer = event.target.closest("[data-pick]");
  if (!answer) {
    return;
  }
  const picker = answer.closest("[data-person-picker]");
  picker.querySelector("[data-picker-value]").value = answer.dataset.pick;
  picker.querySelector("[data-picker-contact]").value = answer.dataset.contact || "";
  picker.querySelector("input[type=search]").value = answer.dataset.label;
  picker.querySelector("[data-picker-results]").replaceChildren();
});

// Typing again in a person picker drops the person picked before (until one is picked anew).
document.addEventListener("input", (event) => {
  const picker = event.target.closest("[data-person-picker]");
  if (picker && event.target.matches("input[type=search]")) {
    picker.querySelector("[data-picker-value]").value = "";
    picker.querySelector("[data-picker-contact]").value = "";
  }
});
