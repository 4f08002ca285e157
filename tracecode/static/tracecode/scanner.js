// Barcode and QR scanners type what they read, then Enter, as a keyboard does, but in a burst
// far faster than a person types. Outside input fields such a burst opens the code it typed
// (/go/<code>, after sign-in and with the usual permissions); a label's QR types its whole
// address, whose code is taken. In the header search box, Enter on one word asks /go/ first:
// an exact code opens its record, anything else shows the search results as before.
(() => {
  if (window.tracecodeScanner) {
    return; // loaded twice: once is enough
  }
  window.tracecodeScanner = true;

  // Scanners send a key every 2–30 ms; a person's keys come 100–250 ms apart. The margin is for
  // a busy computer; outside a field, quick typing of a code and Enter means "open it" anyway.
  const GAP_MS = 100;
  const MIN_LENGTH = 3;
  const QUIET_KEYS = new Set(["Shift", "CapsLock"]); // scanners press Shift for capitals
  let burst = "";
  let last = -Infinity;

  function codeOf(text) {
    let code = text.trim();
    const at = code.lastIndexOf("/go/");
    if (at >= 0) {
      code = code.slice(at + 4).split(/[?#]/)[0].replace(/\/+$/, "");
      try {
        code = decodeURIComponent(code);
      } catch {
        return "";
      }
    }
    return /[\s/]/.test(code) ? "" : code;
  }

  function go(text, query = "") {
    const address = document.body.dataset.go; // "/go/CODE", only when signed in
    const code = codeOf(text);
    if (!address || !code) {
      return false;
    }
    window.location.assign(address.replace("CODE", encodeURIComponent(code)) + query);
    return true;
  }

  function typingInto(target) {
    return target instanceof Element &&
      target.closest("input, textarea, select, [contenteditable]:not([contenteditable='false'])") !== null;
  }

  // Capture phase: a burst is ours before any shortcut ("/" jumps to the search box) sees it.
  window.addEventListener("keydown", (event) => {
    if (event.isComposing || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (typingInto(event.target)) {
      burst = "";
      return;
    }
    const fast = event.timeStamp - last <= GAP_MS;
    last = event.timeStamp;
    if (QUIET_KEYS.has(event.key)) {
      return;
    }
    if (event.key === "Enter") {
      const typed = burst;
      burst = "";
      if (fast && typed.length >= MIN_LENGTH && go(typed)) {
        event.preventDefault();
        event.stopPropagation();
      }
      return;
    }
    if (event.key.length !== 1) {
      burst = "";
      return;
    }
    burst = fast ? burst + event.key : event.key;
    if (burst.length > 1) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);

  // The header box: Enter on one word (a code, or a scanned label's address) opens it.
  document.addEventListener("keydown", (event) => {
    const box = document.getElementById("header-search");
    if (event.key !== "Enter" || event.defaultPrevented || event.isComposing || event.target !== box) {
      return; // an option chosen in the drop-down is opened by search.js
    }
    const query = box.value.trim();
    if (!query || /\s/.test(query) || (query.includes("/") && !query.includes("/go/"))) {
      return;
    }
    if (go(query, "?from=search")) {
      event.preventDefault();
    }
  });
})();
