// Selecting text in an article fills the "Log a claim" form with the exact words and their
// offsets. Offsets are counted in code points, as the server (Python) counts them, not in the
// UTF-16 units JavaScript strings use, so that quotes with emoji or rare scripts stay anchored.
(function () {
  "use strict";
  function codePoints(text) { return Array.from(text).length; }

  // Loaded with `defer`: the document is parsed when this runs.
  (function () {
    var box = document.getElementById("article-text");
    var form = document.querySelector("#log-claim form");
    if (!box || !form) return;

    function textBefore(node, offset) {
      var range = document.createRange();
      range.selectNodeContents(box);
      range.setEnd(node, offset);
      return range.toString();
    }

    document.addEventListener("selectionchange", function () {
      var selection = document.getSelection();
      if (!selection || !selection.rangeCount) return;
      var range = selection.getRangeAt(0);
      if (range.collapsed || !box.contains(range.startContainer) || !box.contains(range.endContainer)) return;
      var before = textBefore(range.startContainer, range.startOffset);
      var quote = range.toString();
      // Leave out the spaces a drag picks up at either end.
      var lead = quote.length - quote.replace(/^\s+/, "").length;
      before += quote.slice(0, lead);
      quote = quote.trim();
      if (!quote) return;
      var start = codePoints(before);
      form.elements.quote.value = quote;
      form.elements.quote_start.value = start;
      form.elements.quote_end.value = start + codePoints(quote);
      form.classList.add("has-selection");
      if (!form.elements.text.value) form.elements.text.placeholder = "e.g. " + quote.slice(0, 120);
    });

    // Editing the quote by hand drops the offsets: the server then finds the words itself.
    form.elements.quote.addEventListener("input", function () {
      form.elements.quote_start.value = "";
      form.elements.quote_end.value = "";
    });
  })();
})();
