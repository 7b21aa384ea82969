// The import review: a draft field lights up the source lines it was read from, and a source
// line the fields read from it (moved out of the page for the Content-Security-Policy).
(function () {
  var source = document.getElementById("source");
  if (!source) return;
  var lit = [];
  function clear() { lit.forEach(function (el) { el.classList.remove("hl"); }); lit = []; }
  function show(el) {
    var ns = (el.getAttribute("data-lines") || "").split(" ").filter(Boolean);
    clear();
    ns.forEach(function (n) {
      var li = document.getElementById("L" + n);
      if (li) { li.classList.add("hl"); lit.push(li); }
    });
    if (lit.length) {
      var top = lit[0].offsetTop - source.offsetTop;
      if (top < source.scrollTop || top > source.scrollTop + source.clientHeight - 40) {
        source.scrollTop = Math.max(0, top - source.clientHeight / 3);
      }
    }
  }
  document.querySelectorAll(".draft-pane [data-lines]").forEach(function (el) {
    if (!el.getAttribute("data-lines")) return;
    el.addEventListener("focusin", function () { show(el); });
    el.addEventListener("mouseenter", function () { show(el); });
  });
  // A line of the source: the fields read from it.
  source.addEventListener("click", function (ev) {
    var li = ev.target.closest("li[data-n]");
    if (!li) return;
    var n = li.getAttribute("data-n");
    var hit = Array.prototype.filter.call(document.querySelectorAll(".draft-pane .fld[data-lines]"), function (el) {
      return (" " + el.getAttribute("data-lines") + " ").indexOf(" " + n + " ") >= 0;
    });
    if (hit.length) { var input = hit[0].querySelector("input, textarea, select"); if (input) input.focus(); }
  });
})();
