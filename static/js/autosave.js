// The meeting template saves itself a second after typing stops (htmx, templates/meetings/
// case_detail.html), and its buttons send the whole form. The two must not cross: an autosave
// that arrived after the form could put back an older text, or leave the page that comes back a
// revision behind, so that the next typing looked like a conflict with someone else.
// - A form on its way makes no more autosaves.
// - A form sent while an autosave is on its way goes when that autosave has come back (with the
//   revision it brings), or after a few seconds if it never does.
(function () {
  "use strict";

  var LONGEST_WAIT_MS = 5000;
  var waiting = new WeakMap(); // form -> the button that sent it

  function formOf(event) {
    return event.target && event.target.closest ? event.target.closest("form") : null;
  }

  function send(form) {
    var button = waiting.get(form);
    waiting.delete(form);
    if (button) { form.requestSubmit(button); } else { form.requestSubmit(); }
  }

  document.addEventListener("htmx:before:request", function (event) {
    var form = formOf(event);
    if (!form) { return; }
    if (form.hasAttribute("data-sent") || waiting.has(form)) {
      event.preventDefault();
      return;
    }
    event.detail.ctx.autosaveInFlight = true;
    form.autosavesInFlight = (form.autosavesInFlight || 0) + 1;
  });

  document.addEventListener("htmx:finally:request", function (event) {
    var form = formOf(event);
    if (!form || !event.detail.ctx.autosaveInFlight) { return; }
    form.autosavesInFlight -= 1;
    if (form.autosavesInFlight === 0 && waiting.has(form)) { send(form); }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.autosavesInFlight > 0) {
      event.preventDefault();
      if (!waiting.has(form)) {
        waiting.set(form, event.submitter);
        window.setTimeout(function () {
          if (waiting.has(form)) { form.autosavesInFlight = 0; send(form); }
        }, LONGEST_WAIT_MS);
      }
      return;
    }
    form.setAttribute("data-sent", "");
  });

  // A page brought back by the browser's Back button is in use again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sent]").forEach(function (form) {
      form.removeAttribute("data-sent");
    });
  });
})();
