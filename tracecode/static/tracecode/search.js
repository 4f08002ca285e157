// The header search's drop-down: arrow keys move through the suggestions, Enter opens the
// one chosen (or, with none chosen, submits the box to the results page), a click elsewhere
// closes it. The suggestions themselves come from the server (htmx, search/suggest.html).
(() => {
  if (window.tracecodeSearch) {
    return; // loaded twice: once is enough
  }
  window.tracecodeSearch = true;

  const box = () => document.getElementById("header-search");
  const menu = () => document.getElementById("search-suggestions");
  const options = () => Array.from(menu()?.querySelectorAll(".search-option") ?? []);

  function choose(index) {
    const all = options();
    all.forEach((option, i) => {
      const chosen = i === index;
      option.classList.toggle("active", chosen);
      option.setAttribute("aria-selected", chosen ? "true" : "false");
      if (chosen) {
        option.scrollIntoView({ block: "nearest" });
      }
    });
    const input = box();
    if (index >= 0 && all[index]) {
      input.setAttribute("aria-activedescendant", all[index].id);
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function current() {
    return options().findIndex((option) => option.classList.contains("active"));
  }

  document.addEventListener("keydown", (event) => {
    const input = box();
    if (!input || event.target !== input) {
      return;
    }
    const all = options();
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!all.length) {
        return;
      }
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      const index = current();
      const next = index < 0 ? (step > 0 ? 0 : all.length - 1) : index + step;
      choose((next + all.length) % all.length);
    } else if (event.key === "Enter") {
      const index = current();
      if (index >= 0) {
        event.preventDefault();
        window.location.assign(all[index].href);
      }
    }
  });

  // New suggestions: nothing chosen yet.
  document.addEventListener("htmx:afterSwap", (event) => {
    if (event.target === menu()) {
      choose(-1);
    }
  });

  // A click outside the search form closes the drop-down.
  document.addEventListener("click", (event) => {
    const list = menu();
    if (list && !event.target.closest(".header-search")) {
      list.innerHTML = "";
    }
  });

  const input = box();
  if (input) {
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", "search-suggestions");
  }
  // What was typed before htmx listened is asked for by app.js.
})();
