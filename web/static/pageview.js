// The page image as a reviewer wants it: zoom (buttons, Ctrl+wheel), pan (middle button,
// or Space and drag), a quarter-turn rotation, page thumbnails. Boxes and words are
// percent of the page, so they follow the image at any zoom.
(function () {
  "use strict";
  const pages = document.getElementById("review-pages");
  const tools = document.getElementById("page-tools");
  if (!pages || !tools) return;
  const level = document.getElementById("zoom-level");
  const STEPS = [0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3, 4];
  let zoom = 1;
  let turn = 0;

  function apply() {
    pages.style.setProperty("--zoom", String(zoom));
    pages.classList.toggle("zoomed", zoom !== 1);
    level.textContent = Math.round(zoom * 100) + "%";
  }

  function step(direction) {
    if (direction === 0) { zoom = 1; return apply(); }
    const i = STEPS.indexOf(zoom);
    zoom = STEPS[Math.max(0, Math.min(STEPS.length - 1, i + direction))];
    apply();
  }

  tools.querySelectorAll("[data-zoom]").forEach(function (b) {
    b.addEventListener("click", function () { step(Number(b.dataset.zoom)); });
  });
  pages.addEventListener("wheel", function (e) {
    if (!e.ctrlKey) return;
    e.preventDefault();
    step(e.deltaY < 0 ? 1 : -1);
  }, { passive: false });

  document.getElementById("rotate").addEventListener("click", function () {
    turn = (turn + 1) % 4;
    pages.querySelectorAll(".page-canvas").forEach(function (c) {
      c.classList.remove("turn-1", "turn-2", "turn-3");
      if (turn) c.classList.add("turn-" + turn);
    });
  });

  // pan: the middle button, or the left one while Space is held
  let space = false;
  let drag = null;
  document.addEventListener("keydown", function (e) {
    if (e.code === "Space" && e.target === document.body) { space = true; e.preventDefault(); }
  });
  document.addEventListener("keyup", function (e) { if (e.code === "Space") space = false; });
  pages.addEventListener("mousedown", function (e) {
    if (e.button !== 1 && !(e.button === 0 && space)) return;
    e.preventDefault();
    e.stopPropagation();
    drag = { x: e.clientX, y: e.clientY, left: pages.scrollLeft, top: pages.scrollTop };
    pages.classList.add("panning");
  }, true);
  window.addEventListener("mousemove", function (e) {
    if (!drag) return;
    pages.scrollLeft = drag.left - (e.clientX - drag.x);
    pages.scrollTop = drag.top - (e.clientY - drag.y);
  });
  window.addEventListener("mouseup", function () {
    drag = null;
    pages.classList.remove("panning");
  });

  // thumbnails: bring the page into view inside the scrolling pane
  tools.querySelectorAll(".thumbs a").forEach(function (a) {
    a.addEventListener("click", function (e) {
      const target = document.querySelector(a.getAttribute("href"));
      if (!target) return;
      e.preventDefault();
      pages.scrollTop = target.offsetTop - pages.offsetTop;
    });
  });
  apply();
})();
