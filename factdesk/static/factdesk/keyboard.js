// Keyboard shortcuts on the board and the claims list: j/k move between claims, Enter opens
// one, x ticks it (on the list), / goes to the search box, ? lists the shortcuts, Escape
// closes that list. Nothing fires while typing in a field. The claim last moved to is
// remembered for the page, so that coming back (the back button) puts the focus on it again.
(function () {
  "use strict";

  var list = document.querySelector("[data-nav-list]");
  if (!list) return;
  var storageKey = "factdesk:nav:" + location.pathname + location.search;

  function items() {
    return Array.prototype.slice.call(list.querySelectorAll("[data-nav-item]"));
  }

  function typing(target) {
    if (!target || !target.closest) return false;
    if (target.isContentEditable) return true;
    var field = target.closest("input, textarea, select");
    if (!field) return false;
    var type = (field.getAttribute("type") || "text").toLowerCase();
    // A ticked box or a button is not typing: the shortcuts go on working from there.
    return !(field.tagName === "INPUT" && ["checkbox", "radio", "button", "submit"].indexOf(type) >= 0);
  }

  function current() {
    return list.querySelector("[data-nav-item].nav-current");
  }

  function link(item) {
    return item.querySelector("a.claimlink, td a, a");
  }

  function select(item) {
    var previous = current();
    if (previous) previous.classList.remove("nav-current");
    item.classList.add("nav-current");
    var target = link(item) || item;
    target.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
    try {
      sessionStorage.setItem(storageKey, String(items().indexOf(item)));
    } catch (error) {
      /* storage off: nothing to restore later */
    }
  }

  function move(step) {
    var all = items();
    if (!all.length) return;
    var index = all.indexOf(current());
    if (index < 0) {
      // From the claim whose link has the focus, if any; else from before the first.
      var focused = document.activeElement && document.activeElement.closest("[data-nav-item]");
      index = focused ? all.indexOf(focused) : step > 0 ? -1 : all.length;
    }
    select(all[Math.max(0, Math.min(all.length - 1, index + step))]);
  }

  function dialog() {
    return document.getElementById("shortcuts");
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    var open = dialog() && dialog().open;
    if (open) return; // the dialog closes on Escape itself
    if (typing(event.target)) return;
    var item = current();
    switch (event.key) {
      case "j":
        move(1);
        break;
      case "k":
        move(-1);
        break;
      case "Enter":
        // The current claim, when the focus is on it (or nowhere); any other focused link or
        // button does what Enter does there.
        var focus = document.activeElement;
        if (!item || (focus && focus !== document.body && !item.contains(focus))) return;
        link(item).click();
        break;
      case "x":
        var box = item && item.querySelector("input[type=checkbox]");
        if (!box) return;
        box.click();
        break;
      case "/":
        // The list's own search box (it keeps the filters), else the top bar's.
        var search =
          document.querySelector("form.filters input[type=search]") ||
          document.querySelector(".navsearch input[type=search]");
        if (!search) return;
        search.focus();
        search.select();
        break;
      case "?":
        if (!dialog()) return;
        dialog().showModal();
        break;
      default:
        return;
    }
    event.preventDefault();
  });

  // Back on the page (from the back-forward cache, or loaded again by the back button): the
  // claim moved to before.
  window.addEventListener("pageshow", function (event) {
    var navigation = performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
    var back = event.persisted || (navigation && navigation.type === "back_forward");
    if (!back) return; // a fresh visit starts at the top
    var saved;
    try {
      saved = sessionStorage.getItem(storageKey);
    } catch (error) {
      return;
    }
    var all = items();
    var index = saved === null ? -1 : parseInt(saved, 10);
    if (index >= 0 && index < all.length) select(all[index]);
  });
})();
