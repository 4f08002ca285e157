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
