// The list's filters and search refresh it in place and update the address bar, so the saved
// view takes the query from the address at the moment the person saves.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("[data-crm-save-view]");
  if (!form) return;
  const params = new URLSearchParams(window.location.search);
  params.delete("p");
  form.querySelector("[data-crm-current-query]").value = params.toString();
  form.querySelector("input[name=next]").value = window.location.pathname + window.location.search;
});
