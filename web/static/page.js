// Places field boxes on page images (percent of the page) and fills confidence bars.
// Done here rather than in style attributes so the CSP can forbid inline styles.
(function () {
  "use strict";
  document.querySelectorAll(".box[data-box]").forEach(function (box) {
    const [left, top, width, height] = box.dataset.box.split(",").map(Number);
    box.style.left = left + "%";
    box.style.top = top + "%";
    box.style.width = width + "%";
    box.style.height = height + "%";
  });
  document.querySelectorAll(".conf-bar[data-pct]").forEach(function (bar) {
    bar.style.width = Math.max(0, Math.min(100, Number(bar.dataset.pct))) + "%";
  });
  document.querySelectorAll("[data-field]").forEach(function (row) {
    if (row.tagName !== "TR") return;
    row.addEventListener("mouseenter", function () { highlight(row.dataset.field, true); });
    row.addEventListener("mouseleave", function () { highlight(row.dataset.field, false); });
  });
  function highlight(name, on) {
    document.querySelectorAll('.box[data-fields~="' + name + '"]').forEach(function (b) {
      b.classList.toggle("focus", on);
    });
  }
})();
