/*
 * The error summary after a failed form (templates/includes/error_summary.html). Without this
 * script the page already works: the summary is first in the content and carries autofocus, and
 * its links are plain links to each field. This makes sure of two things:
 *   - the summary has focus once the page has loaded, in browsers that ignore autofocus on a <div>;
 *   - a link moves focus to its field and scrolls the field's label (or its group's legend) into
 *     view with it, so the reader sees the question as well as the box to fill in.
 */
(function () {
  "use strict";

  var summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  if (document.activeElement !== summary) {
    summary.focus();
  }

  function labelFor(field) {
    var group = field.closest("fieldset");
    if ((field.type === "radio" || field.type === "checkbox") && group) {
      var legend = group.querySelector("legend");
      if (legend) {
        return legend;
      }
    }
    return field.labels && field.labels.length ? field.labels[0] : null;
  }

  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) {
      return;
    }
    var field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) {
      return;
    }
    event.preventDefault();
    (labelFor(field) || field).scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });
})();
