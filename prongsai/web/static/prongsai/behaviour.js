// The site's small behaviours, without inline script (the Content-Security-Policy allows none):
// a <select data-autosubmit> submits its form when changed, a <form data-confirm="…"> asks first,
// an <a data-back> goes back a page (its href is where it goes without history).
(function () {
  "use strict";
  document.addEventListener("change", function (ev) {
    var el = ev.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) el.form.submit();
  });
  document.addEventListener(
    "submit",
    function (ev) {
      var question = ev.target.getAttribute && ev.target.getAttribute("data-confirm");
      if (question && !window.confirm(question)) {
        ev.preventDefault();
        ev.stopImmediatePropagation();
      }
    },
    true
  );
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("a[data-back]");
    if (a && window.history.length > 1) {
      ev.preventDefault();
      window.history.back();
    }
  });
})();
