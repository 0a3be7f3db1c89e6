/* Tables wider than their column (a phone): the scrolling box gets the class
   uppf-scrolls, and uppf-scroll-end once it is scrolled to its right edge; the
   stylesheet shows a hint above the table and fades the edge that is still hidden
   (phones hide scroll bars, so nothing else shows that the table goes on). */
(function () {
  "use strict";
  function update(box) {
    var wide = box.scrollWidth > box.clientWidth + 1;
    box.classList.toggle("uppf-scrolls", wide);
    box.classList.toggle("uppf-scroll-end",
                         !wide || box.scrollLeft + box.clientWidth >= box.scrollWidth - 1);
  }
  function updateAll() {
    document.querySelectorAll(".uppf-table-wrap").forEach(update);
  }
  function start() {
    document.querySelectorAll(".uppf-table-wrap").forEach(function (box) {
      box.addEventListener("scroll", function () { update(box); }, {passive: true});
    });
    updateAll();
    window.addEventListener("resize", updateAll);
    window.addEventListener("load", updateAll);  // fonts and pictures change widths
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
