/* textmine corpus report: open a report's text and highlight a finding in it.
   Every link with data-doc opens that report (#doc-ID); data-f also marks the
   finding's text (the spans carry class fN) and scrolls to it.  Without
   JavaScript the same links still work through :target (see report.css). */
(function () {
  "use strict";
  document.body.classList.add("js");

  function show(doc, f) {
    var panel = document.getElementById("doc-" + doc);
    if (!panel) { return null; }
    document.querySelectorAll(".doc.open").forEach(function (d) { if (d !== panel) { d.classList.remove("open"); } });
    panel.classList.add("open");
    panel.querySelectorAll(".hit").forEach(function (s) { s.classList.remove("hit"); });
    panel.querySelectorAll(".finding.current").forEach(function (s) { s.classList.remove("current"); });
    var target = panel;
    if (f !== null && f !== undefined) {
      var spans = panel.querySelectorAll(".text .f" + f);
      spans.forEach(function (s) { s.classList.add("hit"); });
      var items = panel.querySelectorAll('.findings a[data-f="' + f + '"]');
      items.forEach(function (a) { a.classList.add("current"); });
      // A finding without a place in the text (a document check) shows its entry in the list.
      target = spans[0] || items[0] || panel;
      if (spans[0] && items[0]) { items[0].scrollIntoView({ block: "nearest" }); }
    }
    target.scrollIntoView({ block: target === panel ? "start" : "center" });
    return target;
  }

  document.addEventListener("click", function (ev) {
    var link = ev.target.closest ? ev.target.closest("a[data-doc]") : null;
    if (!link) { return; }
    ev.preventDefault();
    show(link.getAttribute("data-doc"), link.getAttribute("data-f"));
    history.replaceState(null, "", link.getAttribute("href"));
  });

  var filter = document.getElementById("filter");
  if (filter) {
    filter.addEventListener("input", function () {
      var q = filter.value.trim().toLowerCase();
      document.querySelectorAll("#reports tbody tr").forEach(function (row) {
        row.hidden = q !== "" && row.textContent.toLowerCase().indexOf(q) < 0;
      });
    });
  }

  var m = /^#(?:doc-([0-9a-f]+)|f-([0-9a-f]+)-(\d+))$/.exec(location.hash);
  if (m) { show(m[1] || m[2], m[3]); }
})();
