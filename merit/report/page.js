// merit report: language switch, sortable and searchable tables, folded detail drawn when
// opened, printing. No network, no libraries.
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
  function visibleText(node) {
    // the text in the shown language only (both are in the page)
    var lang = document.body.getAttribute("data-lang");
    var clone = node.cloneNode(true);
    var hidden = clone.querySelectorAll(lang === "id" ? "[lang=en]" : "[lang=id]");
    for (var i = 0; i < hidden.length; i++) { hidden[i].remove(); }
    return clone.textContent;
  }
  function cellValue(row, index) {
    var cell = row.children[index];
    var text = cell ? visibleText(cell).trim() : "";
    var plain = text.replace(/[\s%]/g, "");
    if (document.body.getAttribute("data-lang") === "id") { plain = plain.replace(/\./g, "").replace(",", "."); }
    else { plain = plain.replace(/,/g, ""); }
    return /^-?[0-9]+(\.[0-9]+)?$/.test(plain) ? parseFloat(plain) : text.toLowerCase();
  }
  function sortTable(table, index, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var keys = rows.map(function (r) { return cellValue(r, index); });
    var order = rows.map(function (_, i) { return i; });
    order.sort(function (a, b) {
      var x = keys[a], y = keys[b];
      if (typeof x !== typeof y) { x = String(x); y = String(y); }
      if (x < y) { return ascending ? -1 : 1; }
      if (x > y) { return ascending ? 1 : -1; }
      return a - b;
    });
    var headers = table.tHead.rows[0].cells;
    for (var i = 0; i < headers.length; i++) { headers[i].removeAttribute("aria-sort"); }
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var frag = document.createDocumentFragment();
    order.forEach(function (i) { frag.appendChild(rows[i]); });
    body.appendChild(frag);
  }
  function filterTable(table, q) {
    var rows = table.tBodies[0].rows, shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var hit = !q || rows[i].textContent.toLowerCase().indexOf(q) !== -1;
      rows[i].hidden = !hit;
      if (hit) { shown++; }
    }
    var counter = document.querySelector("[data-count-for='" + table.id + "']");
    if (counter) { counter.textContent = String(shown); }
  }
  function filterDetails(section, q) {
    var groups = section.querySelectorAll("details.opd");
    for (var g = 0; g < groups.length; g++) {
      var items = groups[g].querySelectorAll("details.vac"), any = false;
      for (var i = 0; i < items.length; i++) {
        var tpl = items[i].querySelector("template");
        var text = items[i].querySelector("summary").textContent + " " +
          (tpl ? tpl.content.textContent : items[i].textContent);
        var hit = !q || text.toLowerCase().indexOf(q) !== -1 ||
          groups[g].querySelector("summary").textContent.toLowerCase().indexOf(q) !== -1;
        items[i].hidden = !hit;
        if (hit) { any = true; }
      }
      groups[g].hidden = !any;
      groups[g].open = Boolean(q) && any;
    }
  }
  function draw(details) {
    var tpl = details.querySelector(":scope > template");
    if (tpl) { details.appendChild(tpl.content.cloneNode(true)); tpl.remove(); }
  }
  function sortable(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    for (var h = 0; h < headers.length; h++) {
      (function (th, index) {
        th.addEventListener("click", function () { sortTable(table, index, th); });
        th.addEventListener("keydown", function (ev) {
          if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); sortTable(table, index, th); }
        });
      })(headers[h], h);
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll("[data-set-lang]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function (ev) { setLang(ev.currentTarget.getAttribute("data-set-lang")); });
    }
    var tables = document.querySelectorAll("table.sortable");
    for (var t = 0; t < tables.length; t++) { sortable(tables[t]); }
    var searches = document.querySelectorAll("input[data-search-for]");
    for (var s = 0; s < searches.length; s++) {
      searches[s].addEventListener("input", function (ev) {
        var input = ev.currentTarget;
        var target = document.getElementById(input.getAttribute("data-search-for"));
        var q = input.value.trim().toLowerCase();
        if (target.tagName === "TABLE") { filterTable(target, q); } else { filterDetails(target, q); }
      });
    }
    document.addEventListener("toggle", function (ev) {
      if (ev.target.open && ev.target.classList && ev.target.classList.contains("vac")) { draw(ev.target); }
    }, true);
    var printers = document.querySelectorAll("[data-print]");
    for (var p = 0; p < printers.length; p++) {
      printers[p].addEventListener("click", function () { window.print(); });
    }
    window.addEventListener("beforeprint", function () {
      if (!document.body.classList.contains("print-annex")) {
        var vac = document.querySelectorAll("details.vac, details.opd");
        for (var v = 0; v < vac.length; v++) { vac[v].open = true; draw(vac[v]); }
      }
    });
    if (window.location.hash === "#print-annex") { document.body.classList.add("print-annex"); }
    setLang(document.body.getAttribute("data-lang") || "id");
  });
})();
