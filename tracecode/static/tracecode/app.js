// Tracecode's own script: no inline scripts anywhere (the Content Security Policy forbids them).
document.addEventListener("keydown", (event) => {
  // "/" jumps to the header search, as in most business software.
  const box = document.getElementById("header-search");
  if (event.key === "/" && box && document.activeElement?.tagName !== "INPUT" &&
      document.activeElement?.tagName !== "TEXTAREA") {
    event.preventDefault();
    box.focus();
  }
  if (event.key === "Escape" && document.activeElement === box) {
    document.getElementById("search-suggestions").innerHTML = "";
  }
});

// What was typed or picked before htmx was ready (its script is deferred, and the page can be
// used before it runs: a scanner, a quick typist): ask now what htmx would have asked then,
// so the header box gets its suggestions and a quotation line its prices all the same. A
// field typed in counts while it still has the focus (not a value the browser put back on
// going back); a drop-down once picked. htmx binds its elements once the document is
// parsed, not before this event.
window.addEventListener("load", () => {
  if (!window.htmx) {
    return;
  }
  document.querySelectorAll("input[hx-trigger], select[hx-trigger], textarea[hx-trigger]")
    .forEach((field) => {
      let changed;
      if (field.tagName === "SELECT") {
        const options = Array.from(field.options);
        const initial = Math.max(0, options.findIndex((option) => option.defaultSelected));
        changed = field.multiple
          ? options.some((option) => option.selected !== option.defaultSelected)
          : options.length > 0 && field.selectedIndex !== initial;
      } else {
        changed = field.value.trim() !== field.defaultValue.trim() &&
          document.activeElement === field;
      }
      if (changed) {
        window.htmx.trigger(field, field.type === "search" ? "search" : "change");
      }
    });
});
