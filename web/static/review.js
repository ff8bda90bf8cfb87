// Review page, keyboard first: Tab moves between fields, Enter jumps to the next field that
// needs attention, Ctrl+Enter saves and opens the next document. Clicking a word or drawing a
// box on the page image fills the focused field with the OCR words under it.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("review-data").textContent);
  const form = document.getElementById("review-form");
  const inputs = Array.from(form.querySelectorAll(".rf input"));
  let current = inputs.find(function (i) { return i.dataset.attention; }) || inputs[0];
  const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

  function focusField(input) {
    current = input;
    input.focus();
    input.select();
  }

  function markBoxes() {
    const name = current && current.name;
    document.querySelectorAll(".box").forEach(function (b) {
      b.classList.toggle("focus", (b.dataset.fields || b.dataset.field).split(" ").indexOf(name) >= 0);
    });
    document.querySelectorAll(".rf").forEach(function (rf) {
      rf.classList.toggle("is-current", rf.dataset.field === name);
    });
    const box = document.querySelector('.box[data-fields~="' + name + '"]');
    if (box) box.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  inputs.forEach(function (input) {
    input.addEventListener("focus", function () { current = input; markBoxes(); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !(e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        nextAttention(input);
      }
    });
  });

  function nextAttention(from) {
    const start = inputs.indexOf(from);
    for (let step = 1; step <= inputs.length; step += 1) {
      const candidate = inputs[(start + step) % inputs.length];
      if (candidate.dataset.attention && candidate !== from) return focusField(candidate);
    }
    return focusField(inputs[(start + 1) % inputs.length]);
  }

  document.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  // -- words on the page image -----------------------------------------------------
  function joinWords(words) {
    words.sort(function (a, b) {
      const sameLine = Math.abs(a[2] - b[2]) < Math.min(a[4], b[4]) / 2;
      return sameLine ? a[1] - b[1] : a[2] - b[2];
    });
    let out = "";
    words.forEach(function (w) {
      const text = w[0];
      if (out && !(CJK.test(out.slice(-1)) && CJK.test(text[0]))) out += " ";
      out += text;
    });
    return out;
  }

  function fill(text, append) {
    if (!current || !text) return;
    current.value = append && current.value ? current.value + " " + text : text;
    const holder = current.closest(".rf");
    if (holder) holder.classList.add("filled");
    current.dispatchEvent(new Event("input", { bubbles: true }));
    focusField(current);
  }

  document.querySelectorAll("#review-pages .page-view").forEach(function (view) {
    const words = data.words[view.dataset.page] || [];
    const figure = view.querySelector(".page-canvas");
    const layer = document.createElement("div");
    layer.className = "word-layer";
    words.forEach(function (w) {
      const span = document.createElement("span");
      span.className = "word";
      span.title = w[0];
      span.style.left = w[1] + "%";
      span.style.top = w[2] + "%";
      span.style.width = w[3] + "%";
      span.style.height = w[4] + "%";
      span.dataset.index = String(words.indexOf(w));
      layer.append(span);
    });
    figure.append(layer);
    const band = document.createElement("div");
    band.className = "select-band";
    figure.append(band);
    let start = null;

    function at(e) {
      const r = figure.querySelector("img").getBoundingClientRect();
      return { x: (100 * (e.clientX - r.left)) / r.width, y: (100 * (e.clientY - r.top)) / r.height };
    }
    layer.addEventListener("mousedown", function (e) {
      if (e.button !== 0) return;
      e.preventDefault(); // keep the field focused
      start = at(e);
      band.classList.add("on");
      place(start, start);
    });
    layer.addEventListener("mousemove", function (e) { if (start) place(start, at(e)); });
    window.addEventListener("mouseup", function (e) {
      if (!start) return;
      const end = at(e);
      band.classList.remove("on");
      const moved = Math.abs(end.x - start.x) + Math.abs(end.y - start.y) > 0.6;
      if (moved) {
        const l = Math.min(start.x, end.x), r = Math.max(start.x, end.x);
        const t = Math.min(start.y, end.y), b = Math.max(start.y, end.y);
        const inside = words.filter(function (w) {
          const cx = w[1] + w[3] / 2, cy = w[2] + w[4] / 2;
          return cx >= l && cx <= r && cy >= t && cy <= b;
        });
        fill(joinWords(inside.slice()), false);
      } else if (e.target.classList.contains("word")) {
        fill(words[Number(e.target.dataset.index)][0], e.shiftKey);
      }
      start = null;
    });
    function place(a, b) {
      band.style.left = Math.min(a.x, b.x) + "%";
      band.style.top = Math.min(a.y, b.y) + "%";
      band.style.width = Math.abs(a.x - b.x) + "%";
      band.style.height = Math.abs(a.y - b.y) + "%";
    }
  });

  // -- a failed save: its errors on top, where the reviewer is looking ----------------
  const errors = document.getElementById("form-errors");
  if (errors && errors.classList.contains("flash-error")) {
    errors.scrollIntoView({ block: "start" });
    errors.focus();
  } else if (current) {
    focusField(current);
    markBoxes();
  }

  // -- a weak value is confirmed by changing it or ticking "confirmed" ----------------
  inputs.forEach(function (input) {
    if (!input.dataset.confirm) return;
    const box = form.querySelector('input[name="confirm_' + input.name + '"]');
    const original = input.value;
    input.addEventListener("input", function () {
      if (box && input.value !== original) box.checked = true;
    });
    input.addEventListener("keydown", function (e) {
      if (box && e.altKey && (e.key === "c" || e.key === "C")) { // Alt+C: confirm as read
        e.preventDefault();
        box.checked = !box.checked;
      }
    });
  });

  // -- line items: add, remove, click a word into a cell, sums checked as one types ----
  const body = document.getElementById("items-body");
  const sums = document.getElementById("sums");
  const COLUMNS = ["date", "reference", "description", "debit", "credit", "balance"];
  function amountOf(text) {
    let t = String(text || "").replace(/[,\s¥￥$元]/g, "").replace(/^RMB|^CNY|^HKD|^USD/i, "");
    let sign = 1;
    if (/^\(.*\)$/.test(t)) { sign = -1; t = t.slice(1, -1); }
    if (/-$/.test(t)) { sign = -1; t = t.slice(0, -1); }
    if (!/^-?\d+(\.\d+)?$/.test(t)) return null;
    return Math.round(sign * Number(t) * 100); // cents: no float drift in the sums
  }
  function fieldCents(name) {
    const input = form.querySelector('.rf input[name="' + name + '"]');
    return input ? amountOf(input.value) : null;
  }
  function money(cents) { return (cents / 100).toFixed(2); }
  function checkSums() {
    if (!body || !sums) return;
    let debit = 0, credit = 0, rows = 0;
    body.querySelectorAll("tr").forEach(function (tr) {
      const d = amountOf(tr.querySelector(".cell-debit").value);
      const c = amountOf(tr.querySelector(".cell-credit").value);
      if (d !== null) debit += d;
      if (c !== null) credit += c;
      rows += 1;
    });
    const out = [];
    const charges = fieldCents("charges"), payments = fieldCents("payments");
    const opening = fieldCents("opening_balance"), closing = fieldCents("closing_balance");
    function line(ok, text) {
      const p = document.createElement("div");
      p.className = ok ? "sum-ok" : "sum-bad";
      p.textContent = (ok ? "✓ " : "✗ ") + text;
      out.push(p);
    }
    const t = sums.dataset;
    if (rows && charges !== null) line(debit === charges, t.debits + " " + money(debit) + " / " + t.charges + " " + money(charges));
    if (rows && payments !== null) line(credit === Math.abs(payments), t.credits + " " + money(credit) + " / " + t.payments + " " + money(payments));
    if (opening !== null && charges !== null && payments !== null && closing !== null) {
      line(opening + charges - Math.abs(payments) === closing, t.identity + " " + money(opening + charges - Math.abs(payments)) + " / " + money(closing));
    }
    sums.replaceChildren.apply(sums, out);
  }
  function wireRow(tr) {
    tr.querySelectorAll("input").forEach(function (input) {
      input.addEventListener("focus", function () { current = input; markBoxes(); });
      input.addEventListener("input", checkSums);
    });
    const remove = tr.querySelector(".remove-row");
    if (remove) remove.addEventListener("click", function () { tr.remove(); checkSums(); });
  }
  if (body) {
    body.querySelectorAll("tr").forEach(wireRow);
    let next = body.querySelectorAll("tr").length;
    document.getElementById("add-row").addEventListener("click", function () {
      const tr = document.createElement("tr");
      COLUMNS.forEach(function (c) {
        const td = document.createElement("td");
        const input = document.createElement("input");
        input.name = "items-" + next + "-" + c;
        input.className = "cell cell-" + c;
        input.setAttribute("aria-label", c + " " + (next + 1));
        td.append(input);
        tr.append(td);
      });
      const td = document.createElement("td");
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn btn-small remove-row";
      remove.textContent = "×";
      td.append(remove);
      tr.append(td);
      body.append(tr);
      next += 1;
      wireRow(tr);
      focusField(tr.querySelector("input"));
    });
    ["charges", "payments", "opening_balance", "closing_balance"].forEach(function (name) {
      const input = form.querySelector('.rf input[name="' + name + '"]');
      if (input) input.addEventListener("input", checkSums);
    });
    checkSums();
  }

  // -- the customer picker: code, name or alias, as one types -------------------------
  const picker = form.querySelector("input[data-picker]");
  const options = document.getElementById("customer-options");
  let asked = "";
  if (picker && options) {
    picker.addEventListener("input", function () {
      const q = picker.value.trim();
      if (q.length < 1 || q === asked) return;
      asked = q;
      fetch(picker.dataset.picker + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (found) {
          options.replaceChildren();
          found.forEach(function (c) {
            const o = document.createElement("option");
            o.value = c.code;
            o.label = c.code + " " + c.name + (c.aliases.length ? " (" + c.aliases.join(", ") + ")" : "");
            o.textContent = o.label;
            options.append(o);
          });
        })
        .catch(function () { /* the picker is a help; typing the code still works */ });
    });
  }
})();
