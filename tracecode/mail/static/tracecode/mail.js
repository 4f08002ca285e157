// Mail import: upload several files with a progress bar, then follow the import's page.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("mail-upload");
    if (!form || !window.FormData || !window.XMLHttpRequest) return;
    var bar = document.getElementById("mail-upload-progress");
    var error = document.getElementById("mail-upload-error");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var request = new XMLHttpRequest();
      request.open("POST", form.action || window.location.href);
      request.setRequestHeader("X-Requested-With", "fetch");
      request.responseType = "json";
      bar.classList.remove("d-none");
      bar.value = 0;
      error.textContent = "";
      request.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total);
      });
      request.addEventListener("load", function () {
        var body = request.response || {};
        if (request.status === 200 && body.url) {
          window.location.assign(body.url);
          return;
        }
        var messages = [];
        var errors = body.errors || {};
        Object.keys(errors).forEach(function (k) { messages = messages.concat(errors[k]); });
        error.textContent = messages.join(" ") || String(request.status);
      });
      request.addEventListener("error", function () {
        error.textContent = form.dataset.networkError || "Network error";
      });
      request.send(new FormData(form));
    });
  });
})();
