// Uploading into a record's folder: drop or choose several files, each sent on its own with a
// progress bar; too large or empty files are refused before sending; the list then refreshes.
(function () {
  "use strict";

  function setUp(form) {
    var input = form.querySelector("input[type=file]");
    var drop = form.querySelector(".tc-drop");
    var status = form.querySelector(".tc-upload-status");
    var max = parseInt(form.dataset.maxBytes, 10);

    function row(name) {
      var item = document.createElement("li");
      var label = document.createElement("span");
      var bar = document.createElement("progress");
      var note = document.createElement("span");
      label.textContent = name + " ";
      bar.max = 100;
      bar.value = 0;
      bar.className = "me-2 align-middle";
      item.append(label, bar, note);
      status.append(item);
      return { item: item, bar: bar, note: note };
    }

    function finish(line, ok, text) {
      line.bar.remove();
      line.note.textContent = text;
      line.item.className = ok ? "text-success" : "text-danger";
    }

    function sendOne(file, line) {
      return new Promise(function (resolve) {
        if (file.size > max) return resolve(finish(line, false, form.dataset.tooLarge));
        if (file.size === 0) return resolve(finish(line, false, form.dataset.empty));
        var data = new FormData();
        data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
        data.append("document_type", form.elements.document_type.value);
        data.append("description", form.elements.description.value);
        data.append("file", file, file.name);
        var request = new XMLHttpRequest();
        request.open("POST", form.action);
        request.setRequestHeader("X-Requested-With", "fetch");
        request.responseType = "json";
        request.upload.addEventListener("progress", function (event) {
          if (event.lengthComputable) line.bar.value = Math.round((100 * event.loaded) / event.total);
        });
        request.addEventListener("load", function () {
          var body = request.response || {};
          if (request.status === 200 && body.stored && body.stored.length) {
            finish(line, true, body.stored[0].message || "→ " + body.stored[0].name);
          } else {
            var said = (body.errors || []).join(" ");
            finish(line, false, said || form.dataset.failed.replace("%s", String(request.status)));
          }
          resolve();
        });
        request.addEventListener("error", function () {
          resolve(finish(line, false, form.dataset.networkError));
        });
        request.send(data);
      });
    }

    function send(files) {
      if (!files.length) return;
      status.textContent = "";
      var lines = files.map(function (file) { return row(file.name); });
      var chain = Promise.resolve();
      files.forEach(function (file, i) {
        chain = chain.then(function () { return sendOne(file, lines[i]); });
      });
      chain.then(function () {
        input.value = "";
        var list = form.closest(".tc-files").querySelector(".tc-files-list");
        if (window.htmx && list) window.htmx.ajax("GET", form.dataset.list, { target: list, swap: "outerHTML" });
      });
    }

    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (event) {
        event.preventDefault();
        drop.classList.add("border-primary");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      drop.addEventListener(name, function () { drop.classList.remove("border-primary"); });
    });
    drop.addEventListener("drop", function (event) {
      event.preventDefault();
      send(Array.prototype.slice.call(event.dataTransfer.files));
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      send(Array.prototype.slice.call(input.files));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.FormData || !window.XMLHttpRequest || !window.Promise) return;
    document.querySelectorAll("form.tc-upload").forEach(setUp);
  });
})();
