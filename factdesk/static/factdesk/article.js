// The article page: selecting text in the article fills the "Log a claim" form with the exact
// words and their offsets, and moves on to the claim's wording, so that a claim is a
// selection, its wording and Ctrl+Enter (Enter in the claimant field). The form is sent with
// htmx and the page's desk (text, form, list) comes back: every lookup here is made when the
// event happens, never kept, so it works on the swapped-in elements too.
//
// Offsets are counted in code points, as the server (Python) counts them, not in the UTF-16
// units JavaScript strings use, so that quotes with emoji or rare scripts stay anchored. The
// text is one block with its paragraphs' "\n\n" in it (white-space: pre-wrap), and the
// highlights are <mark>s inside it, so the text of a range from the block's start is the
// article's text up to that point, whatever paragraphs or highlights a selection crosses.
(function () {
  "use strict";
  function codePoints(text) { return Array.from(text).length; }
  function box() { return document.getElementById("article-text"); }
  function form() { return document.querySelector("#log-claim form"); }

  function textBefore(container, node, offset) {
    var range = document.createRange();
    range.selectNodeContents(container);
    range.setEnd(node, offset);
    return range.toString();
  }

  // The selection inside the article, or null.
  function selectedRange() {
    var container = box();
    var selection = document.getSelection();
    if (!container || !selection || !selection.rangeCount) return null;
    var range = selection.getRangeAt(0);
    if (range.collapsed || !container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
    return range;
  }

  document.addEventListener("selectionchange", function () {
    var range = selectedRange();
    var claimForm = form();
    if (!range || !claimForm) return;
    var before = textBefore(box(), range.startContainer, range.startOffset);
    var quote = range.toString();
    // Leave out the spaces a drag picks up at either end.
    var lead = quote.length - quote.replace(/^\s+/, "").length;
    before += quote.slice(0, lead);
    quote = quote.trim();
    if (!quote) return;
    var start = codePoints(before);
    claimForm.elements.quote.value = quote;
    claimForm.elements.quote_start.value = start;
    claimForm.elements.quote_end.value = start + codePoints(quote);
    // Tell what listens for a new quote (the claims like it, looked up as it is selected).
    claimForm.elements.quote.dispatchEvent(new Event("change", { bubbles: true }));
    claimForm.classList.add("has-selection");
    if (!claimForm.elements.text.value) claimForm.elements.text.placeholder = "e.g. " + quote.slice(0, 120);
  });

  // A selection made (the mouse let go, or Shift let go after Shift+arrows): on to the
  // wording, without a click.
  function onToWording() {
    var claimForm = form();
    if (claimForm && selectedRange()) claimForm.elements.text.focus({ preventScroll: true });
  }
  document.addEventListener("mouseup", function (event) {
    if (box() && box().contains(event.target)) onToWording();
  });
  document.addEventListener("keyup", function (event) {
    if (event.key === "Shift") onToWording();
  });

  document.addEventListener("input", function (event) {
    var claimForm = form();
    // Editing the quote by hand drops the offsets: the server then finds the words itself.
    if (claimForm && event.target === claimForm.elements.quote) {
      claimForm.elements.quote_start.value = "";
      claimForm.elements.quote_end.value = "";
    }
  });

  // Ctrl+Enter (Cmd+Enter) in the form's text boxes logs the claim.
  document.addEventListener("keydown", function (event) {
    var claimForm = form();
    if (!claimForm || event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    if (!claimForm.contains(event.target)) return;
    event.preventDefault();
    claimForm.requestSubmit();
  });

  // A click on a highlight (not a drag), or a highlight reached with Tab, points at its
  // claims in the list.
  function pointAt(mark) {
    document.querySelectorAll("#article-claims li.pointed").forEach(function (item) {
      item.classList.remove("pointed");
    });
    if (!mark) return;
    mark.dataset.claims.split(" ").forEach(function (id) {
      var item = document.getElementById("article-claim-" + id);
      if (item) item.classList.add("pointed");
    });
  }
  function markOf(event) {
    return event.target.closest ? event.target.closest("#article-text mark.claimed") : null;
  }
  document.addEventListener("click", function (event) {
    pointAt(selectedRange() ? null : markOf(event));
  });
  // Highlights are focusable for the keyboard (Tab). Pressed with the mouse, a focusable
  // highlight takes the focus, and Chromium then selects nothing of a drag that starts at
  // its first letter and stays inside it (the same passage selected again). So while the
  // mouse is down the highlights are out of the tab order, and the drag selects as on text.
  document.addEventListener("mousedown", function (event) {
    if (event.button !== 0 || !markOf(event)) return;
    var marks = document.querySelectorAll("#article-text mark.claimed[tabindex]");
    marks.forEach(function (mark) { mark.removeAttribute("tabindex"); });
    document.addEventListener("mouseup", function () {
      marks.forEach(function (mark) { mark.setAttribute("tabindex", "0"); });
    }, { once: true });
  });
  document.addEventListener("focusin", function (event) {
    if (markOf(event)) pointAt(markOf(event));
  });

  // "Show the N lines of page furniture": furniture is folded away, one click shows it
  // (dimmed), another folds it again. The text and its offsets are the same either way.
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest ? event.target.closest("[data-furniture-toggle]") : null;
    var text = box();
    if (!toggle || !text) return;
    var folded = text.classList.toggle("fold-furniture");
    toggle.setAttribute("aria-expanded", String(!folded));
    toggle.textContent = folded ? toggle.dataset.show : toggle.dataset.hide;
  });
})();
