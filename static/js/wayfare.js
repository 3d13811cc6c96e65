/* Wayfare: small enhancements. Every page works without this file. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  ready(function () {
    // 1. After a form comes back with errors, move focus to the error summary
    //    so keyboard and screen-reader users start at the list of problems.
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
      // A form posted to "…#anchor" comes back with a fragment, and the browser's scroll to
      // it (after this ran) takes focus away to <body>: give it back once the page has loaded.
      window.addEventListener("load", function () {
        if (!document.activeElement || document.activeElement === document.body) { summary.focus(); }
      });
    }

    // 2. Links in the summary: focus the field itself (not just scroll to it),
    //    and bring its label into view too.
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
      if (!link) { return; }
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) { return; }
      event.preventDefault();
      var holder = target.closest(".field") || target;
      holder.scrollIntoView({ block: "start" });
      target.focus({ preventScroll: true });
    });

    // 3. Destructive buttons ask first: <button data-confirm="Are you sure?">.
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("[data-confirm]");
      if (button && !window.confirm(button.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });
})();
