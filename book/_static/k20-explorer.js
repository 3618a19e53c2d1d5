/* Data explorer: searchable, sortable tables drawn from the JSON the page embeds (book/_ext/explorer_page.py).
   Every cell is written with textContent, never as markup; links are made only from the book's own chapter
   names and from https addresses. A search for several words keeps the rows that hold all of them, in any
   column, ignoring case and accents; "#q=word" in the address fills the search box. */
(function () {
  "use strict";
  var root = document.getElementById("k20-explorer");
  var source = document.getElementById("k20-explorer-data");
  if (!root || !source) { return; }
  var data = JSON.parse(source.textContent);
  var GRADE_CLASS = {"party claim": "k20-grade-party", "single source": "k20-grade-single", "corroborated": "k20-grade-corroborated"};

  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function safeChapter(href) { return /^[a-z0-9-]+\.html$/.test(href) ? href : null; }
  function safeUrl(href) { return /^https:\/\/[^\s"<>]+$/.test(href) ? href : null; }

  var form = el("div", {"class": "k20-explorer-search", role: "search"});
  var label = el("label", {"for": "k20-explorer-q"}, "Search every table (a name, place, date, word or source):");
  var input = el("input", {type: "search", id: "k20-explorer-q", autocomplete: "off", spellcheck: "false",
                           "aria-describedby": "k20-explorer-status"});
  var status = el("p", {id: "k20-explorer-status", "class": "k20-explorer-status", "aria-live": "polite"});
  form.appendChild(label); form.appendChild(input); form.appendChild(status);
  root.appendChild(form);
  var nav = el("p", {"class": "k20-explorer-jump"}, "Tables: ");
  root.appendChild(nav);

  var views = data.tables.map(function (table, index) {
    var extra = [["source", "Source"], ["locator", "Locator"], ["grade", "Evidence"], ["chapter", "Chapter"]];
    var section = el("section", {"class": "k20-explorer-table", id: "explore-" + table.key, "aria-labelledby": "explore-" + table.key + "-h"});
    section.appendChild(el("h2", {id: "explore-" + table.key + "-h"}, table.title));
    section.appendChild(el("p", {"class": "k20-explorer-note"}, table.note));
    var count = el("p", {"class": "k20-explorer-count"});
    section.appendChild(count);
    var scroller = el("div", {"class": "k20-explorer-scroll", tabindex: "0", role: "region", "aria-label": table.title + " (scrollable)"});
    var t = el("table", {"class": "k20-explorer-grid"});
    t.appendChild(el("caption", {}, table.title + ": " + table.rows.length + " rows. Column buttons sort."));
    var head = el("tr");
    var headers = [];
    table.columns.concat(extra.map(function (e) { return {key: e[0], label: e[1], numeric: false}; })).forEach(function (col, ci) {
      var th = el("th", {scope: "col", "aria-sort": "none", "data-col": col.key});
      var button = el("button", {type: "button", "class": "k20-sort"}, col.label);
      button.addEventListener("click", function () { sortBy(view, ci); });
      th.appendChild(button);
      head.appendChild(th);
      headers.push(th);
    });
    var thead = el("thead"); thead.appendChild(head); t.appendChild(thead);
    var tbody = el("tbody");
    var rows = table.rows.map(function (row) {
      var tr = el("tr");
      row.cells.forEach(function (value, ci) {
        tr.appendChild(el("td", table.columns[ci].numeric ? {"class": "k20-num"} : {}, value));
      });
      var src = el("td", {title: row.source_title}, row.source);
      tr.appendChild(src);
      var loc = el("td");
      var url = safeUrl(row.locator_url);
      if (url) {
        var a = el("a", {href: url, title: "The section in the living article (it may have changed since the copy used)"}, row.locator);
        loc.appendChild(a);
      } else { loc.textContent = row.locator; }
      tr.appendChild(loc);
      tr.appendChild(el("td", {"class": GRADE_CLASS[row.grade] || ""}, row.grade));
      var chap = el("td");
      var href = safeChapter(row.chapter);
      if (href) { chap.appendChild(el("a", {href: href}, href.replace(/\.html$/, "").replace(/-/g, " "))); }
      tr.appendChild(chap);
      var sortValues = row.cells.concat([row.source, row.locator, row.grade, row.chapter]);
      var haystack = fold(sortValues.join(" ") + " " + row.search + " " + row.source_title);
      return {tr: tr, values: sortValues, haystack: haystack, shown: true};
    });
    rows.forEach(function (r) { tbody.appendChild(r.tr); });
    t.appendChild(tbody);
    scroller.appendChild(t);
    section.appendChild(scroller);
    root.appendChild(section);
    var link = el("a", {href: "#explore-" + table.key}, table.title);
    if (index) { nav.appendChild(document.createTextNode(" · ")); }
    nav.appendChild(link);
    var view = {table: table, rows: rows, tbody: tbody, headers: headers, count: count, link: link, sorted: -1, asc: true};
    return view;
  });

  function compare(a, b, numeric) {
    var blankA = a === "" || a === null, blankB = b === "" || b === null;
    if (blankA || blankB) { return blankA === blankB ? 0 : (blankA ? 1 : -1); }
    if (numeric) { return Number(a) - Number(b); }
    return String(a).localeCompare(String(b), "en", {numeric: true, sensitivity: "base"});
  }
  function sortBy(view, ci) {
    view.asc = view.sorted === ci ? !view.asc : true;
    view.sorted = ci;
    var col = ci < view.table.columns.length ? view.table.columns[ci] : {numeric: false};
    var order = view.rows.slice().sort(function (a, b) {
      var c = compare(a.values[ci], b.values[ci], col.numeric);
      return view.asc ? c : -c;
    });
    order.forEach(function (r) { view.tbody.appendChild(r.tr); });
    view.headers.forEach(function (th, i) {
      th.setAttribute("aria-sort", i === ci ? (view.asc ? "ascending" : "descending") : "none");
    });
  }
  function filter() {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    var total = 0;
    views.forEach(function (view) {
      var shown = 0;
      view.rows.forEach(function (r) {
        var keep = words.every(function (w) { return r.haystack.indexOf(w) !== -1; });
        r.tr.hidden = !keep;
        if (keep) { shown += 1; }
      });
      total += shown;
      view.count.textContent = words.length ? shown + " of " + view.rows.length + " rows match." : view.rows.length + " rows.";
      view.link.textContent = view.table.title + (words.length ? " (" + shown + ")" : "");
    });
    status.textContent = words.length ? total + " rows match \u201c" + input.value.trim() + "\u201d." : "Showing every row.";
  }
  var timer = null;
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(filter, 120); });
  var fromAddress = /(?:^#|&)q=([^&]*)/.exec(window.location.hash);
  if (fromAddress) {
    try { input.value = decodeURIComponent(fromAddress[1].replace(/\+/g, " ")); } catch (e) { input.value = ""; }
  }
  filter();
}());
