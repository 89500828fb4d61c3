// The meeting template saves itself a second after typing stops (htmx, templates/meetings/
// case_detail.html). Typing and then pressing a button of the form within that second sends the
// form, and the waiting autosave would go too: it could arrive after the form, and the page that
// comes back would then be a revision behind, so the next typing looked like a conflict with
// someone else. A form on its way makes no more requests of its own.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    event.target.setAttribute("data-sent", "");
  });
  document.addEventListener("htmx:before:request", function (event) {
    var form = event.target.closest && event.target.closest("form[data-sent]");
    if (form) { event.preventDefault(); }
  });
  // A page brought back by the browser's Back button is in use again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sent]").forEach(function (form) {
      form.removeAttribute("data-sent");
    });
  });
})();
