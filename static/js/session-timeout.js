// The warning before a signed-in session ends (ipsportal/signin/sessions.py). It ends after a
// time without requests, and typing a long text makes none, so shortly before the end a dialog
// says when, and "Stay logged in" saves the session again; the end hours after sign-in cannot
// be put off, and the dialog only says when it comes. If the session has ended all the same (a sleeping laptop,
// another tab that logged out), the dialog says so and that what was written is still on the
// page: to be copied before logging in again or, on a page whose form keep-typed.js keeps, to be
// sent, which brings it back after the sign-in. The page is never reloaded or left by this.
(function () {
  "use strict";

  var dialog = document.getElementById("session-timeout");
  if (!dialog || typeof dialog.showModal !== "function") { return; }
  var heading = document.getElementById("session-timeout-heading");
  var text = document.getElementById("session-timeout-text");
  var renew = dialog.querySelector("[data-session-renew]");
  var close = dialog.querySelector("[data-session-close]");
  var lifetime = parseInt(dialog.getAttribute("data-seconds"), 10) * 1000;
  var warning = parseInt(dialog.getAttribute("data-warning-seconds"), 10) * 1000;
  // The session's absolute end (hours after sign-in) cannot be put off, only announced.
  var absoluteEnd = Date.now() + parseInt(dialog.getAttribute("data-absolute-seconds"), 10) * 1000;
  var warningTimer = null;
  var endTimer = null;

  function twoDigits(number) { return (number < 10 ? "0" : "") + number; }

  function show(state, endsAt) {
    heading.textContent = dialog.getAttribute("data-" + state + "-heading");
    var kept = state === "ended" && document.querySelector("form[data-keep-typed]") !== null;
    text.textContent = dialog.getAttribute("data-" + state + (kept ? "-kept" : "") + "-text").replace(
      "%(time)s", endsAt ? twoDigits(endsAt.getHours()) + ":" + twoDigits(endsAt.getMinutes()) : ""
    );
    renew.hidden = state !== "warning";
    close.hidden = state === "warning";
    if (!dialog.open) { dialog.showModal(); }
    (state === "warning" ? renew : close).focus();
  }

  function ended() {
    window.clearTimeout(warningTimer);
    window.clearTimeout(endTimer);
    show("ended", null);
  }

  // The session's last request, made by this page or by another tab of the portal (they tell
  // each other through localStorage: a time, nothing else), so a page left open in one tab
  // neither warns nor says the session ended while the user works in another.
  var LAST_REQUEST = "ipsportal-session-last-request";

  function countFrom(lastRequest) {
    window.clearTimeout(warningTimer);
    window.clearTimeout(endTimer);
    if (dialog.open && !renew.hidden) { dialog.close(); }
    var end = Math.min(lastRequest + lifetime, absoluteEnd);
    var state = end === absoluteEnd ? "final" : "warning";
    var left = end - Date.now();
    warningTimer = window.setTimeout(function () { show(state, new Date(end)); }, left - warning);
    endTimer = window.setTimeout(ended, left);
  }

  function restart() {
    var now = Date.now();
    try { window.localStorage.setItem(LAST_REQUEST, String(now)); } catch (error) { /* private mode */ }
    countFrom(now);
  }

  window.addEventListener("storage", function (event) {
    if (event.key === LAST_REQUEST && event.newValue) { countFrom(parseInt(event.newValue, 10)); }
  });

  renew.addEventListener("click", function () {
    var token = dialog.querySelector("[name=csrfmiddlewaretoken]").value;
    window.fetch(dialog.getAttribute("data-renew-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token },
    }).then(function (answer) {
      if (answer.status === 204) {
        dialog.close();
        restart();
      } else {
        ended();
      }
    }, function () {
      // No answer (the network): the warning stays, and the button can be pressed again.
    });
  });
  close.addEventListener("click", function () { dialog.close(); });
  // A request of the page's own (htmx 4's events) that finds the session ended gets 401
  // (SignInRequiredMiddleware), which swaps nothing (noSwap in base.html): say so. Any other
  // answer came from a live session, which the request kept alive.
  document.body.addEventListener("htmx:after:request", function (event) {
    var answer = event.detail && event.detail.ctx && event.detail.ctx.response;
    if (answer && answer.status === 401) { ended(); } else { restart(); }
  });
  restart();
})();
