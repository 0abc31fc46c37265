// Ticking claims on the list for a bulk action: shift-click ticks the range from the last
// box ticked, the header's box ticks every claim on the page, the form says how many are
// ticked, and a sent form's buttons are disabled so that a double click sends it once.
(function () {
  "use strict";

  var form = document.getElementById("bulk");
  if (!form) return;
  var all = document.querySelector("[data-bulk-all]");
  var count = form.querySelector("[data-bulk-count]");
  var idle = count ? count.textContent : "";
  var last = null;

  function boxes() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-bulk-pick]"));
  }

  function update() {
    var picked = boxes().filter(function (box) {
      return box.checked;
    }).length;
    if (count) count.textContent = picked ? picked + " selected" : idle;
    if (all) {
      all.checked = picked > 0 && picked === boxes().length;
      all.indeterminate = picked > 0 && picked < boxes().length;
    }
    boxes().forEach(function (box) {
      box.closest("tr").classList.toggle("picked", box.checked);
    });
  }

  document.addEventListener("click", function (event) {
    var box = event.target.closest && event.target.closest("[data-bulk-pick]");
    if (!box) return;
    if (event.shiftKey && last && last !== box) {
      var list = boxes();
      var from = list.indexOf(last);
      var to = list.indexOf(box);
      list.slice(Math.min(from, to), Math.max(from, to) + 1).forEach(function (other) {
        other.checked = box.checked;
      });
    }
    last = box;
    update();
  });

  if (all) {
    all.addEventListener("change", function () {
      boxes().forEach(function (box) {
        box.checked = all.checked;
      });
      update();
    });
  }

  form.addEventListener("submit", function (event) {
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
    // After the browser has read which button was pressed.
    setTimeout(function () {
      form.querySelectorAll("button").forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
  });

  update();
})();
