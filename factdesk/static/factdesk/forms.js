// Every form of the desk, progressively:
// 1. A form that sends something (POST, or htmx's hx-post) is sent once: while it is on its
//    way, its buttons are disabled and a second submit is ignored. They come back when the
//    page is shown again from the back/forward cache, and when an htmx request ends (an
//    error included). The server makes a repeat harmless anyway (idempotency keys).
// 2. A text field with a limit (`maxlength` and `data-too-long`, set by the form) keeps a
//    paste that is too long, says how long it is and what to do, and the form is not sent
//    until the text fits.
// 3. A field needed only for one choice (`data-required-when="select-id=value"`, with the
//    words to show in `data-required-message`) is required while that choice is made, so
//    the browser says what is missing before anything is sent.
(function () {
  "use strict";

  function sends(form) {
    return (form.getAttribute("method") || "").toLowerCase() === "post" || form.hasAttribute("hx-post");
  }

  function buttons(form) {
    return form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
  }

  function release(form) {
    delete form.dataset.submitting;
    buttons(form).forEach(function (button) {
      if (button.dataset.disabledBySubmit) {
        button.disabled = false;
        delete button.dataset.disabledBySubmit;
      }
    });
  }

  // ── text limits ──────────────────────────────────────────────────────────────────────
  function length(text) { return Array.from(text).length; }  // code points, as the server counts
  function limitOf(field) { return Number(field.dataset.limit || field.getAttribute("maxlength")); }

  function showLength(field) {
    var limit = limitOf(field);
    var count = length(field.value);
    var note = field.parentNode.querySelector(".too-long[data-for='" + field.id + "']");
    if (count <= limit) {
      if (note) note.remove();
      if (field.dataset.limit) field.setAttribute("maxlength", field.dataset.limit);
      field.removeAttribute("aria-invalid");
      return true;
    }
    if (!note) {
      note = document.createElement("p");
      note.className = "message message-error too-long";
      note.setAttribute("role", "alert");
      note.dataset.for = field.id;
      field.insertAdjacentElement("afterend", note);
    }
    note.textContent = "This is " + count.toLocaleString("en-GB") + " characters; the limit is " +
      limit.toLocaleString("en-GB") + ". " + field.dataset.tooLong;
    field.setAttribute("aria-invalid", "true");
    return false;
  }

  document.addEventListener("paste", function (event) {
    var field = event.target;
    if (!(field instanceof HTMLTextAreaElement || field instanceof HTMLInputElement)) return;
    if (!field.dataset.tooLong || !event.clipboardData) return;
    var pasted = event.clipboardData.getData("text/plain");
    var kept = field.value.length - (field.selectionEnd - field.selectionStart);
    if (length(pasted) + kept <= limitOf(field)) return;
    // maxlength would cut the paste short without a word: keep all of it, and say so.
    event.preventDefault();
    field.dataset.limit = String(limitOf(field));
    field.removeAttribute("maxlength");
    field.setRangeText(pasted, field.selectionStart, field.selectionEnd, "end");
    showLength(field);
  });

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (field.dataset && field.dataset.limit) showLength(field);
  });

  // ── fields needed for one choice ─────────────────────────────────────────────────────
  function neededFor(select) {
    return document.querySelectorAll("[data-required-when^='" + select.id + "=']");
  }

  function updateNeeded(select) {
    neededFor(select).forEach(function (field) {
      var wanted = field.dataset.requiredWhen.slice(select.id.length + 1);
      field.required = select.value === wanted;
      if (!field.required) field.setCustomValidity("");
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target instanceof HTMLSelectElement && event.target.id) updateNeeded(event.target);
  });

  document.addEventListener("invalid", function (event) {
    var field = event.target;
    if (field.dataset && field.dataset.requiredMessage && field.validity.valueMissing) {
      field.setCustomValidity(field.dataset.requiredMessage);
    }
  }, true);

  document.addEventListener("input", function (event) {
    if (event.target.dataset && event.target.dataset.requiredMessage) event.target.setCustomValidity("");
  });

  // Capturing, so that it runs before htmx's own submit handler on the form.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !sends(form)) return;
    var tooLong = Array.prototype.filter.call(form.elements, function (field) {
      return field.dataset && field.dataset.limit && !showLength(field);
    });
    if (form.dataset.submitting || tooLong.length) {
      event.preventDefault();
      event.stopImmediatePropagation();
      if (tooLong.length) tooLong[0].focus();
      return;
    }
    form.dataset.submitting = "true";
    // After the browser (or htmx) has read the form: a button disabled now would be left
    // out of what is sent.
    setTimeout(function () {
      if (!form.hasAttribute("hx-post") && event.defaultPrevented) release(form);  // not sent
      if (!form.dataset.submitting) return;
      buttons(form).forEach(function (button) {
        if (!button.disabled) {
          button.disabled = true;
          button.dataset.disabledBySubmit = "true";
        }
      });
    }, 0);
  }, true);

  // The form's own request only: a field's (the claimant suggestions) ends long before.
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt instanceof HTMLFormElement) release(event.detail.elt);
  });

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) document.querySelectorAll("form[data-submitting]").forEach(release);
  });
})();
