// Submits the language switch as soon as a language is picked. Kept out of the page itself so the
// Content-Security-Policy can forbid inline scripts; listening on the document survives Turbo visits.
document.addEventListener("change", (event) => {
  if (event.target.matches(".tol-language-switch select")) {
    event.target.form.submit();
  }
});

// "Add another" for a list entered in rows (workflows/formsets.py): copies the empty row of the <template>
// with the next index and counts it in the formset's TOTAL_FORMS. Without script the button stays hidden
// and the page's own empty rows are there.
const showFormsetButtons = () => {
  for (const button of document.querySelectorAll(".tol-formset__add[hidden]")) {
    button.hidden = false;
  }
};
document.addEventListener("DOMContentLoaded", showFormsetButtons);
document.addEventListener("turbo:load", showFormsetButtons);
document.addEventListener("click", (event) => {
  const button = event.target.closest(".tol-formset__add");
  if (!button) {
    return;
  }
  const formset = button.closest(".tol-formset");
  const total = formset.querySelector(`input[name="${formset.dataset.prefix}-TOTAL_FORMS"]`);
  const index = Number(total.value);
  const row = formset.querySelector("template.tol-formset__template").innerHTML.replaceAll("__prefix__", index);
  formset.querySelector(".tol-formset__rows").insertAdjacentHTML("beforeend", row);
  total.value = index + 1;
});
