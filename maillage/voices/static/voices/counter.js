/* Post editor: the length of the text as each channel counts it, updated while typing.
   Progressive enhancement only: the server checks the same lengths. */
(function () {
  "use strict";
  function length(text, link, linkWeight) {
    var count = Array.from(text.trim()).length;
    if (link) {
      count += 1 + (linkWeight === null ? Array.from(link).length : linkWeight);
    }
    return count;
  }
  function setUp() {
    var text = document.querySelector("[data-post-text]");
    var link = document.querySelector("[data-post-link]");
    var counters = document.querySelectorAll("[data-counter]");
    if (!text || !counters.length) { return; }
    function update() {
      var linkValue = link ? link.value.trim() : "";
      counters.forEach(function (counter) {
        var weight = counter.hasAttribute("data-link-weight") ? parseInt(counter.getAttribute("data-link-weight"), 10) : null;
        var limit = parseInt(counter.getAttribute("data-limit"), 10);
        var count = length(text.value, linkValue, weight);
        counter.querySelector("[data-count]").textContent = String(count);
        counter.classList.toggle("counter-over", count > limit);
      });
    }
    text.addEventListener("input", update);
    if (link) { link.addEventListener("input", update); }
    update();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
