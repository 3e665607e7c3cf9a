// Submits the language switch as soon as a language is picked. Kept out of the page itself so the
// Content-Security-Policy can forbid inline scripts; listening on the document survives Turbo visits.
document.addEventListener("change", (event) => {
  if (event.target.matches(".tol-language-switch select")) {
    event.target.form.submit();
  }
});
