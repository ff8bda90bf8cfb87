// Mailroom page: drag-and-drop uploads with a progress bar per file, and a live status list.
(function () {
  "use strict";
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const form = document.getElementById("upload-form");
  const input = document.getElementById("file-input");
  const zone = document.getElementById("dropzone");
  const list = document.getElementById("uploads");
  const table = document.getElementById("recent");
  const labels = list.dataset;

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text; // never innerHTML: names are untrusted
    return node;
  }

  function uploadOne(file) {
    const item = el("li", "upload");
    const name = el("span", "upload-name", file.name);
    const bar = el("progress", "upload-bar");
    bar.max = 100;
    bar.value = 0;
    const state = el("span", "upload-state", "0%");
    item.append(name, bar, state);
    list.prepend(item);

    const data = new FormData();
    data.append("file", file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-CSRFToken", csrf);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) {
        bar.value = Math.round((100 * e.loaded) / e.total);
        state.textContent = bar.value + "%";
      }
    });
    xhr.addEventListener("load", function () {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (err) { body = {}; }
      const result = body.files && body.files[0];
      bar.value = 100;
      if (xhr.status >= 400 || !result || result.error) {
        item.classList.add("is-failed");
        state.textContent = labels.labelFailed + ": " + ((result && result.error) || body.message || body.error || xhr.status);
        return;
      }
      item.dataset.id = result.id;
      state.textContent = "";
      const text = result.duplicate ? labels.labelDuplicate : labels.labelUploaded;
      state.append(el("span", "", text + " #" + result.id + " "));
      if (result.duplicate) state.append(el("span", "badge badge-duplicate", labels.labelDupBadge));
      state.append(el("span", "badge status-" + result.status, result.status_label));
      item.classList.add(result.duplicate ? "is-duplicate" : "is-done");
      refresh();
    });
    xhr.addEventListener("error", function () {
      item.classList.add("is-failed");
      state.textContent = labels.labelFailed;
    });
    xhr.send(data);
  }

  function uploadAll(files) {
    Array.prototype.forEach.call(files, uploadOne);
  }

  input.addEventListener("change", function () {
    uploadAll(input.files);
    input.value = "";
  });
  ["dragenter", "dragover"].forEach(function (type) {
    zone.addEventListener(type, function (e) {
      e.preventDefault();
      zone.classList.add("is-over");
    });
  });
  ["dragleave", "drop"].forEach(function (type) {
    zone.addEventListener(type, function (e) {
      e.preventDefault();
      zone.classList.remove("is-over");
    });
  });
  zone.addEventListener("drop", function (e) {
    if (e.dataTransfer && e.dataTransfer.files.length) uploadAll(e.dataTransfer.files);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    uploadAll(input.files);
  });

  function row(doc) {
    const tr = el("tr");
    tr.dataset.id = doc.id;
    tr.append(el("td", "num", doc.id), el("td", "file", doc.file), el("td", "", doc.received), el("td", "", doc.source));
    const status = el("td");
    status.append(el("span", "badge status-" + doc.status, doc.status_label));
    if (doc.reason) status.append(el("div", "reason", doc.reason));
    tr.append(status);
    const action = el("td");
    if (doc.can_retry) {
      const button = el("button", "btn btn-small", table.dataset.labelRetry);
      button.type = "button";
      button.addEventListener("click", function () { retry(doc.id, button); });
      action.append(button);
    }
    tr.append(action);
    return tr;
  }

  function retry(id, button) {
    button.disabled = true;
    fetch(table.dataset.retryUrl.replace("/0/", "/" + id + "/"), {
      method: "POST",
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      credentials: "same-origin",
    }).then(refresh);
  }

  function refresh() {
    return fetch(table.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (!body) return;
        const tbody = table.tBodies[0];
        tbody.replaceChildren.apply(tbody, body.documents.map(row));
        body.documents.forEach(function (doc) {
          const item = list.querySelector('li[data-id="' + doc.id + '"] .badge[class*="status-"]');
          if (item) {
            item.className = "badge status-" + doc.status;
            item.textContent = doc.status_label;
          }
        });
      })
      .catch(function () { /* offline for a moment: the next poll tries again */ });
  }

  setInterval(refresh, 2000);
})();
