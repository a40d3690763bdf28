// The media library with JavaScript: a photo dropped on the upload form or pasted into the
// page fills its file input (the form still posts as without JavaScript), and a photo's
// page shows its variants being made until it is ready.
(function () {
  "use strict";
  var form = document.querySelector("[data-upload]");
  if (form) {
    var input = form.querySelector("input[type=file]");
    var zone = form.querySelector("[data-dropzone]");
    var take = function (files) {
      if (!files || !files.length || typeof DataTransfer === "undefined") return;
      var dt = new DataTransfer();
      dt.items.add(files[0]);
      input.files = dt.files;
      if (zone) zone.textContent = files[0].name;
    };
    if (zone) zone.hidden = false;
    ["dragenter", "dragover"].forEach(function (type) {
      form.addEventListener(type, function (e) { e.preventDefault(); form.classList.add("is-dragging"); });
    });
    form.addEventListener("dragleave", function () { form.classList.remove("is-dragging"); });
    form.addEventListener("drop", function (e) {
      e.preventDefault();
      form.classList.remove("is-dragging");
      take(e.dataTransfer && e.dataTransfer.files);
    });
    document.addEventListener("paste", function (e) {
      var files = e.clipboardData && e.clipboardData.files;
      if (files && files.length && /^image\//.test(files[0].type)) take(files);
    });
  }
  var progress = document.querySelector("[data-media-progress]");
  if (progress) {
    var out = progress.querySelector("[data-progress]");
    var poll = function () {
      fetch(progress.getAttribute("data-media-progress"), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          out.textContent = s.done + "/" + s.total;
          if (s.status === "processing") setTimeout(poll, 1000);
          else location.reload();
        })
        .catch(function () { setTimeout(poll, 3000); });
    };
    setTimeout(poll, 1000);
  }
})();
