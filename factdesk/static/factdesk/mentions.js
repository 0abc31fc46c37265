// @-mentions in the claim page's comment boxes: typing "@ri" offers the desk's people whose
// name or login starts with "ri"; ArrowDown/ArrowUp move, Enter or Tab picks, Escape closes.
// Picking writes "@login " in place of what was typed. The claim page's body is swapped by
// htmx after each action (and this script with it): one set of listeners on the document
// serves every box, old and new.
(function () {
  "use strict";
  if (window.factdeskMentions) return;
  window.factdeskMentions = true;

  var script = document.currentScript;
  var peopleUrl = script && script.dataset.people;
  if (!peopleUrl) return;
  var BOXES = ".claimpage textarea";
  var list = null, box = null, options = [], active = -1, asked = 0;

  function typed(textarea) {
    // The "@word" that ends just before the caret, if any.
    var before = textarea.value.slice(0, textarea.selectionStart);
    var match = /(^|[^\w@])@([\w.+-]*)$/.exec(before);
    return match ? { start: before.length - match[2].length - 1, word: match[2] } : null;
  }

  function close() {
    if (list) list.remove();
    if (box) { box.removeAttribute("aria-activedescendant"); box.setAttribute("aria-expanded", "false"); }
    list = null; options = []; active = -1;
  }

  function highlight(index) {
    active = index;
    options.forEach(function (option, at) { option.setAttribute("aria-selected", at === index ? "true" : "false"); });
    if (index >= 0) box.setAttribute("aria-activedescendant", options[index].id);
  }

  function pick(index) {
    var found = typed(box);
    if (!found || index < 0) return close();
    var login = options[index].dataset.username;
    var after = box.value.slice(box.selectionStart);
    box.value = box.value.slice(0, found.start) + "@" + login + " " + after.replace(/^\s+/, "");
    var caret = found.start + login.length + 2;
    box.setSelectionRange(caret, caret);
    close();
    box.focus();
  }

  function show(textarea, people) {
    close();
    if (!people.length) return;
    box = textarea;
    list = document.createElement("ul");
    list.id = "mention-list";
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "People to mention");
    options = people.map(function (person, at) {
      var option = document.createElement("li");
      option.id = "mention-option-" + at;
      option.setAttribute("role", "option");
      option.dataset.username = person.username;
      option.textContent = person.name + " (@" + person.username + ")";
      option.addEventListener("mousedown", function (event) { event.preventDefault(); pick(at); });
      list.appendChild(option);
      return option;
    });
    textarea.insertAdjacentElement("afterend", list);
    textarea.setAttribute("aria-controls", list.id);
    textarea.setAttribute("aria-expanded", "true");
    highlight(0);
  }

  document.addEventListener("input", function (event) {
    var textarea = event.target;
    if (!(textarea instanceof HTMLTextAreaElement) || !textarea.matches(BOXES)) return;
    textarea.setAttribute("aria-autocomplete", "list");
    var found = typed(textarea);
    if (!found) return close();
    var ask = ++asked;
    fetch(peopleUrl + "?q=" + encodeURIComponent(found.word), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { people: [] }; })
      .then(function (answer) {
        // Only the answer to the last keystroke counts.
        if (ask === asked && typed(textarea)) show(textarea, answer.people);
      })
      .catch(close);
  });

  document.addEventListener("keydown", function (event) {
    if (!list || event.target !== box) return;
    if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % options.length); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + options.length) % options.length); }
    else if (event.key === "Enter" || event.key === "Tab") { event.preventDefault(); pick(active); }
    else if (event.key === "Escape") { event.preventDefault(); close(); }
  });

  document.addEventListener("focusout", function (event) { if (event.target === box) close(); });
  document.addEventListener("htmx:beforeSwap", close);
})();
