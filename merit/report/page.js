// merit report: language switch, sortable and searchable tables. No network, no libraries.
(function () {
  "use strict";
  function setLang(lang) {
    document.documentElement.setAttribute("lang", lang);
    document.body.setAttribute("data-lang", lang);
    var buttons = document.querySelectorAll("[data-set-lang]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", buttons[i].getAttribute("data-set-lang") === lang ? "true" : "false");
    }
  }
  function cellValue(row, index) {
    var cell = row.children[index];
    var text = cell ? (cell.getAttribute("data-sort") || cell.textContent) : "";
    var number = parseFloat(text);
    return isNaN(number) || !/^-?[0-9.]+$/.test(text.trim()) ? text.toLowerCase() : number;
  }
  function sortTable(table, index, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    rows.sort(function (a, b) {
      var x = cellValue(a, index), y = cellValue(b, index);
      if (x < y) { return ascending ? -1 : 1; }
      if (x > y) { return ascending ? 1 : -1; }
      return 0;
    });
    var headers = table.tHead.rows[0].cells;
    for (var i = 0; i < headers.length; i++) { headers[i].removeAttribute("aria-sort"); }
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    rows.forEach(function (r) { body.appendChild(r); });
  }
  function filterTable(table, query) {
    var q = query.trim().toLowerCase();
    var rows = table.tBodies[0].rows, shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var hit = !q || rows[i].textContent.toLowerCase().indexOf(q) !== -1;
      rows[i].hidden = !hit;
      if (hit) { shown++; }
    }
    var counter = document.querySelector("[data-count-for='" + table.id + "']");
    if (counter) { counter.textContent = String(shown); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll("[data-set-lang]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function (ev) { setLang(ev.currentTarget.getAttribute("data-set-lang")); });
    }
    var tables = document.querySelectorAll("table.sortable");
    for (var t = 0; t < tables.length; t++) {
      (function (table) {
        var headers = table.tHead.rows[0].cells;
        for (var h = 0; h < headers.length; h++) {
          (function (th, index) {
            th.addEventListener("click", function () { sortTable(table, index, th); });
          })(headers[h], h);
        }
      })(tables[t]);
    }
    var searches = document.querySelectorAll("input[data-search-for]");
    for (var s = 0; s < searches.length; s++) {
      searches[s].addEventListener("input", function (ev) {
        var input = ev.currentTarget;
        filterTable(document.getElementById(input.getAttribute("data-search-for")), input.value);
      });
    }
    setLang(document.body.getAttribute("data-lang") || "id");
  });
})();
