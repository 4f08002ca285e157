// Sales pages: add rows to line tables, confirm before cancelling. No inline scripts (CSP).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-add-row]");
  if (!button) return;
  const prefix = button.dataset.addRow;
  const template = document.getElementById(`${prefix}-empty`);
  const body = document.querySelector(`[data-formset-body="${prefix}"]`);
  const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
  if (!template || !body || !total) return;
  const index = Number(total.value);
  const row = template.content.firstElementChild.cloneNode(true);
  row.querySelectorAll("input, select, textarea, label").forEach((el) => {
    for (const name of ["name", "id", "for"]) {
      const value = el.getAttribute(name);
      if (value) el.setAttribute(name, value.replace(/__prefix__/g, String(index)));
    }
  });
  body.appendChild(row);
  if (window.htmx) window.htmx.process(row); // a part picked in the new row shows its prices
  total.value = String(index + 1);
  row.querySelector("input")?.focus();
});

document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});
