// The new customer's fields matter only while "A new customer" is chosen.
document.addEventListener("DOMContentLoaded", () => {
  const fields = document.querySelector(".tc-new-customer");
  const choice = document.querySelector(".tc-customer-choice");
  if (!fields || !choice) return;
  const other = choice.querySelector("input[name='other']");
  const update = () => {
    const picked = choice.querySelector("input[name='customer']:checked");
    const isNew = (!picked || picked.value === "new") && !(other && other.value.trim());
    fields.classList.toggle("d-none", !isNew);
  };
  choice.addEventListener("change", update);
  choice.addEventListener("input", update);
  update();
});
