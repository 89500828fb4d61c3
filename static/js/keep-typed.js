// What was typed into a form survives the session ending before it was sent. A form marked
// data-keep-typed is copied into this tab's sessionStorage as it is sent. If the answer is the
// sign-in (the session had ended; SignInRequiredMiddleware makes the sign-in lead back to the
// page the form was sent from), the copy waits; when the same person is signed in again and
// that page shows, the copy is put back into the form, not sent, with a line saying so. On any other signed-in page the
// copy is dropped: the form was saved, or refused with its own messages. The copy never leaves
// the tab, and is gone when the tab is closed (docs/security.md).
(function () {
  "use strict";

  var KEPT = "ipsportal-kept-form";
  // Never kept: the form's tokens belong to the page that sent it, a password or a file is
  // not to be written to storage, and buttons are not typed.
  var NOT_TYPED = ["hidden", "password", "file", "submit", "button", "reset", "image"];

  function typedFields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && !field.disabled && NOT_TYPED.indexOf(field.type) === -1;
    });
  }

  function read(field) {
    if (field.type === "checkbox" || field.type === "radio") { return field.checked; }
    if (field.type === "select-multiple") {
      return Array.prototype.filter.call(field.options, function (option) {
        return option.selected;
      }).map(function (option) { return option.value; });
    }
    return field.value;
  }

  function write(field, value) {
    if (field.type === "checkbox" || field.type === "radio") {
      field.checked = value === true;
    } else if (field.type === "select-multiple") {
      Array.prototype.forEach.call(field.options, function (option) {
        option.selected = value.indexOf(option.value) !== -1;
      });
    } else {
      field.value = value;
    }
    // The length counter and anything else that follows the field hear of the change.
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function pathOf(form) { return new URL(form.action, window.location.href).pathname; }

  // The forms of the page that send to ``path``, in page order (a referral's page has two).
  function formsSendingTo(path) {
    return Array.prototype.filter.call(document.querySelectorAll("form[data-keep-typed]"), function (form) {
      return pathOf(form) === path;
    });
  }

  function store(value) {
    try {
      if (value === null) { window.sessionStorage.removeItem(KEPT); }
      else { window.sessionStorage.setItem(KEPT, JSON.stringify(value)); }
    } catch (error) { /* storage refused (private mode, full): the form is sent all the same */ }
  }

  function kept() {
    try { return JSON.parse(window.sessionStorage.getItem(KEPT) || "null"); }
    catch (error) { return null; }
  }

  var signedInAs = document.body.getAttribute("data-signed-in-as") || "";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-keep-typed") || !signedInAs) { return; }
    store({
      path: pathOf(form),
      position: formsSendingTo(pathOf(form)).indexOf(form),
      signedInAs: signedInAs,
      signInSeen: false,
      fields: typedFields(form).map(function (field, index) {
        return { index: index, name: field.name, value: read(field) };
      }),
    });
  });

  var copy = kept();
  if (!copy) { return; }
  if (!signedInAs) {
    // The sign-in, or its second factor: the session had ended, and the copy waits for it.
    copy.signInSeen = true;
    store(copy);
    return;
  }
  store(null);
  if (!copy.signInSeen || copy.signedInAs !== signedInAs) { return; }
  var form = formsSendingTo(copy.path)[copy.position];
  if (!form) { return; }
  var fields = typedFields(form);
  copy.fields.forEach(function (saved) {
    var field = fields[saved.index];
    if (field && field.name === saved.name) { write(field, saved.value); }
  });
  var notice = document.createElement("p");
  notice.className = "message";
  notice.setAttribute("role", "status");
  notice.tabIndex = -1;
  notice.textContent = document.body.getAttribute("data-kept-form-restored");
  form.parentNode.insertBefore(notice, form);
  notice.focus();
})();
