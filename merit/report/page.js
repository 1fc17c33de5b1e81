// merit report: language switch, sortable and searchable tables, folded detail drawn when
// opened, printing. No network, no libraries.
(function () {
  "use strict";
  var numbersIn = "id";  // the language the page's number cells are written in
  function setLang(lang) {
    if (lang !== numbersIn) {
      var cells = document.querySelectorAll("td[data-n]");
      for (var c = 0; c < cells.length; c++) {
        cells[c].textContent = num(parseFloat(cells[c].getAttribute("data-n")), parseInt(cells[c].getAttribute("data-d"), 10), lang);
      }
      numbersIn = lang;
    }
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
    if (cell && cell.hasAttribute("data-n")) { return parseFloat(cell.getAttribute("data-n")); }
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
        var v = data().vac[items[i].getAttribute("data-v")];
        var text = items[i].querySelector("summary").textContent + " " + (v ? JSON.stringify(v) : "");
        var hit = !q || text.toLowerCase().indexOf(q) !== -1 ||
          groups[g].querySelector("summary").textContent.toLowerCase().indexOf(q) !== -1;
        items[i].hidden = !hit;
        if (hit) { any = true; }
      }
      groups[g].hidden = !any;
      groups[g].open = Boolean(q) && any;
    }
  }
  var DATA = null;
  function data() {
    if (!DATA) {
      var el = document.getElementById("merit-data");
      DATA = el ? JSON.parse(el.textContent) : { vac: {} };
    }
    return DATA;
  }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }
  var formats = {};
  function num(x, digits, lang) {
    var key = lang + digits;
    if (!formats[key]) {
      formats[key] = new Intl.NumberFormat(lang === "id" ? "id-ID" : "en-US",
        { minimumFractionDigits: digits, maximumFractionDigits: digits });
    }
    return formats[key].format(x);
  }
  function both(fn) {
    return "<span lang=\"id\">" + esc(fn("id")) + "</span><span lang=\"en\">" + esc(fn("en")) + "</span>";
  }
  function word(key) { var p = data().words[key]; return both(function (l) { return p[l === "id" ? 0 : 1]; }); }
  function say(code, params, lang) {
    var D = data(), i = lang === "id" ? 0 : 1, values = {};
    Object.keys(params).forEach(function (k) {
      var v = params[k];
      if (k === "key") { values[k] = D.keys[v][i]; }
      else if (typeof v === "number") { values[k] = num(v, D.floats.indexOf(k) >= 0 ? 4 : 0, lang); }
      else { values[k] = String(v); }
    });
    if ("w" in params) { var p = D.posts[params.w] || ["", ""]; values.title = p[0]; values.unit = p[1]; }
    return D.templates[code][i].replace(/\{(\w+)\}/g, function (_, k) { return k in values ? values[k] : ""; });
  }
  function sentence(why, lang) { return why.map(function (x) { return say(x[0], x[1], lang); }).join("; "); }
  function counts(outcomes, lang) {
    var D = data(), i = lang === "id" ? 0 : 1;
    return Object.keys(outcomes).sort(function (a, b) { return outcomes[b] - outcomes[a] || (a < b ? -1 : 1); })
      .map(function (c) { return num(outcomes[c], 0, lang) + " " + D.labels[c][i]; }).join(", ");
  }
  function n4(x, digits) { return both(function (l) { return num(x, digits === undefined ? 4 : digits, l); }); }
  function drawTable(caption, heads, rows, kind) {
    return "<table class=\"" + kind + "\"><caption>" + caption + "</caption><thead><tr>" +
      heads.map(function (h) { return "<th scope=\"col\">" + h + "</th>"; }).join("") +
      "</tr></thead><tbody>" + rows.join("") + "</tbody></table>";
  }
  function cfWords(c) {
    var D = data();
    if (c[2] === null) { return c[4] ? both(function (l) { return sentence(c[4], l); }) : word("cf_inf"); }
    if (c[2] === 0) { return word("cf_tie"); }
    return both(function (l) {
      var i = l === "id" ? 0 : 1, s = D.words.cf_rise[i].replace("{m}", num(c[2], 4, l));
      return c[3] ? s + " (" + D.words.gap[i] + ": " + c[3] + ")" : s;
    });
  }
  var PALETTE = ["#1f5fa8", "#e08a00", "#2a9d8f", "#8e44ad", "#c0392b", "#6b7a8f", "#7a5c00"];
  function breakdownBar(v) {
    var D = data(), x = 0, rects = "", parts = { id: [], en: [] };
    v.c.forEach(function (c, i) {
      var w = Math.max(0, c[2]) * 6, name = D.components[v.k[i]] || [v.k[i], v.k[i]];
      rects += "<rect x=\"" + x.toFixed(1) + "\" y=\"2\" width=\"" + w.toFixed(1) +
        "\" height=\"16\" fill=\"" + PALETTE[i % PALETTE.length] + "\"><title>" + esc(name[1]) + "</title></rect>";
      x += w;
      parts.id.push(name[0] + " " + num(c[2], 2, "id"));
      parts.en.push(name[1] + " " + num(c[2], 2, "en"));
    });
    return "<svg role=\"img\" class=\"bar\" viewBox=\"0 0 600 20\" width=\"100%\" style=\"max-width:600px\">" +
      "<title>" + esc(D.words.breakdown[0]) + " / " + esc(D.words.breakdown[1]) + "</title>" + rects + "</svg>" +
      "<p class=\"alt\">" + both(function (l) { return parts[l].join(" + ") + " = " + num(x / 6, 2, l); }) + "</p>";
  }
  function detailHtml(v) {
    var D = data(), html = "";
    if (v.c) {
      html += breakdownBar(v);
      html += drawTable(word("breakdown"), [word("component"), word("value"), word("weight"), word("contribution")],
        v.c.map(function (c, i) {
          var name = D.components[v.k[i]] || [v.k[i], v.k[i]];
          return "<tr><td>" + both(function (l) { return name[l === "id" ? 0 : 1]; }) + "</td><td class=\"num\">" +
            (c[3] === false ? word("unassessed") : n4(c[0])) + "</td><td class=\"num\">" + n4(c[1]) +
            "</td><td class=\"num\">" + n4(c[2]) + "</td></tr>";
        }), "breakdown");
      if (v.above.length) {
        html += drawTable(word("above"), ["NIP", word("score"), word("rank"), word("outcome")],
          v.above.map(function (a) {
            return "<tr><td>" + esc(a[0]) + "</td><td class=\"num\">" + n4(a[1]) + "</td><td class=\"num\">" + a[2] +
              "</td><td>" + both(function (l) { return sentence(a[3], l); }) + "</td></tr>";
          }), "above");
        if (v.total > v.above.length) {
          html += "<p>" + both(function (l) {
            return D.words.all_of[l === "id" ? 0 : 1].replace("{n}", num(v.total, 0, l)) + ": " + counts(v.outcomes, l);
          }) + "</p>";
        }
      } else { html += "<p>" + word("nobody") + "</p>"; }
    } else {
      v.binding.forEach(function (b) {
        html += "<p>" + word("binding") + ": " + both(function (l) { return sentence(b[1], l); }) + " — " +
          n4(b[0], 0) + " " + word("held") + "</p>";
      });
      if (v.nearest) {
        html += "<p>" + word("nearest") + ": " + esc(v.nearest[0]) + " (" + n4(v.nearest[1]) + "): " +
          both(function (l) { return sentence(v.nearest[2], l); }) + "</p>";
      }
      v.near_rules.forEach(function (m) {
        html += "<p>" + word("nearest") + ": " + esc(m[0]) + ": " + word("fails") + " " + esc(m[1].join(", ")) + "</p>";
      });
    }
    if (v.cf.length) {
      html += drawTable(word("cf"), ["NIP", word("score"), word("needs")], v.cf.map(function (c) {
        return "<tr><td>" + esc(c[0]) + "</td><td class=\"num\">" + n4(c[1]) + "</td><td>" + cfWords(c) + "</td></tr>";
      }), "cf");
    }
    if (v.rules) {
      html += "<p>" + word("rules") + ":</p><ul>" + v.rules.map(function (r) {
        var rule = D.rules[r[0]] || [r[0], r[0], "", ""];
        return "<li>✔ <code>" + esc(r[0]) + "</code> " + both(function (l) { return rule[l === "id" ? 0 : 1]; }) +
          (r[1] ? ": " + both(function (l) { return l === "id" ? r[1] : r[2]; }) : "") +
          " <small>[" + both(function (l) { return rule[l === "id" ? 2 : 3]; }) + "]</small></li>";
      }).join("") + "</ul>";
    }
    return html;
  }
  function draw(details) {
    if (!details.classList.contains("vac") || details.getAttribute("data-drawn")) { return; }
    var v = data().vac[details.getAttribute("data-v")];
    details.setAttribute("data-drawn", "1");
    if (v) { details.insertAdjacentHTML("beforeend", "<div class=\"detail\">" + detailHtml(v) + "</div>"); }
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
        if (target.tagName === "TABLE") { filterTable(target, q); }
        else if (target.querySelector("details.vac")) { filterDetails(target, q); }
        else {
          var inner = target.querySelectorAll("table");
          for (var k = 0; k < inner.length; k++) {
            filterTable(inner[k], q);
            inner[k].hidden = Boolean(q) && !inner[k].querySelector("tbody tr:not([hidden])");
          }
        }
      });
    }
    document.addEventListener("toggle", function (ev) {
      if (ev.target.open && ev.target.classList) { draw(ev.target); }
    }, true);
    var printers = document.querySelectorAll("[data-print]");
    for (var p = 0; p < printers.length; p++) {
      printers[p].addEventListener("click", function () { window.print(); });
    }
    window.addEventListener("beforeprint", function () {
      if (!document.body.classList.contains("print-annex")) {
        // the annex and the placements print in full; a vacancy's detail prints when opened
        var all = document.querySelectorAll("details.section");
        for (var v = 0; v < all.length; v++) { all[v].open = true; }
      }
    });
    if (window.location.hash === "#print-annex") {
      document.body.classList.add("print-annex");
      var annex = document.querySelectorAll(".annex details");
      for (var a = 0; a < annex.length; a++) { annex[a].open = true; }
    }
    setLang(document.body.getAttribute("data-lang") || "id");
  });
})();
