// The workbench's one script (the CSP allows no inline script): on the status-update page,
// show only the fields the chosen status needs (the server renders them all, so the page
// works without it) and bring the error summary into focus after a failed save; everywhere,
// give the admin's unnamed fields (search boxes, table cells) a name for screen readers.
"use strict";
// The admin's search box for a quote (select2) names its combobox by its own text, empty
// until something is chosen: name it by the field's label too.
function nameSearchBoxes(triesLeft) {
  document.querySelectorAll("select.admin-autocomplete:not([name*=__prefix__])").forEach(function (select) {
    var label = document.querySelector('label[for="' + select.id + '"]');
    var combo = select.parentElement.querySelector('.select2-selection[role="combobox"]');
    var shown = select.parentElement.querySelector(".select2-selection__rendered");
    if (!combo && triesLeft > 0) { // select2 starts on jQuery's ready, which may come later
      window.setTimeout(function () { nameSearchBoxes(triesLeft - 1); }, 100);
      return;
    }
    var name = label ? label.textContent.replace(/:\s*$/, "") : select.getAttribute("aria-label");
    if (!name || !combo || select.dataset.named) { return; }
    select.dataset.named = "yes";
    if (label) {
      label.id = label.id || select.id + "_label";
      combo.setAttribute("aria-labelledby", label.id + (shown ? " " + shown.id : ""));
    } else {
      combo.removeAttribute("aria-labelledby");
      combo.setAttribute("aria-label", name);
    }
    if (shown) { shown.setAttribute("aria-label", name); }
  });
}
window.addEventListener("load", function () { nameSearchBoxes(20); });

// A tabular inline labels its fields by its column headings only: give each field the
// heading's words as its name, so a screen reader says what it is.
function nameTableFields() {
  document.querySelectorAll(".tabular table").forEach(function (table) {
    var headings = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, index) {
        cell.querySelectorAll("select, input:not([type=hidden]), textarea").forEach(function (field) {
          if (!field.labels || !field.labels.length) {
            if (!field.getAttribute("aria-label") && headings[index]) { field.setAttribute("aria-label", headings[index]); }
          }
        });
      });
    });
  });
}
document.addEventListener("DOMContentLoaded", function () {
  nameTableFields();
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  var status = document.getElementById("id_status");
  var dependent = document.querySelectorAll("[data-show-for]");
  if (!status || !dependent.length) { return; }
  function reveal() {
    dependent.forEach(function (element) {
      var needed = element.getAttribute("data-show-for").split(" ").indexOf(status.value) !== -1;
      element.hidden = !needed && !element.querySelector(".errorlist");
    });
  }
  status.addEventListener("change", reveal);
  reveal();
});
