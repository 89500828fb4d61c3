// A character count under every written text with a length limit (data-maxlength, see
// templates/django/forms/widgets/attrs.html). Nothing typed or pasted is ever cut: a text over
// the limit is counted, marked, and refused by the server with a message. The texts come from
// the page (data-length-counter on <body>), so they are translated like every other text.
(function () {
  "use strict";

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, name) { return String(values[name]); });
  }

  // Identifiers (a user name, a code, a CPR number, a phone number) and searches are typed from
  // memory or copied, not written: a count under them says nothing. Texts people write count.
  var SHORTEST_COUNTED = 100;

  function isWritten(field, limit) {
    if (field.tagName === "TEXTAREA") { return true; }
    if (["search", "email", "tel", "url"].indexOf(field.type) !== -1) { return false; }
    var autocomplete = (field.getAttribute("autocomplete") || "off").trim();
    return limit >= SHORTEST_COUNTED && autocomplete === "off";
  }

  function attach(field, texts, index) {
    var limit = parseInt(field.getAttribute("data-maxlength"), 10);
    if (!limit || !isWritten(field, limit)) { return; }
    var counter = document.createElement("p");
    counter.className = "length-counter";
    counter.id = (field.id || "field-" + index) + "-length";
    // A separate, polite live region, updated only when typing pauses, so a screen reader is
    // told the count without hearing every keystroke.
    var announcer = document.createElement("p");
    announcer.className = "visually-hidden";
    announcer.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", counter);
    counter.insertAdjacentElement("afterend", announcer);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    var timer = null;

    function update() {
      var count = field.value.length;
      var over = count - limit;
      var text = over > 0
        ? format(texts.over, { count: count, max: limit, over: over })
        : format(texts.within, { count: count, max: limit });
      counter.textContent = text;
      counter.classList.toggle("length-counter--over", over > 0);
      clearTimeout(timer);
      timer = setTimeout(function () { announcer.textContent = text; }, 800);
    }

    field.addEventListener("input", update);
    update();
  }

  function start() {
    var body = document.body;
    var texts = {
      within: body.getAttribute("data-length-within") || "%(count)s / %(max)s",
      over: body.getAttribute("data-length-over") || "%(count)s / %(max)s",
    };
    var fields = document.querySelectorAll("input[data-maxlength], textarea[data-maxlength]");
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].type !== "hidden") { attach(fields[i], texts, i); }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
