// The workbench's one script: on the status-update page, show only the fields the chosen
// status needs (the server renders them all, so the page works without it), and bring the
// error summary into view after a failed save.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
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
