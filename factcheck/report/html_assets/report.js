/* factcheck HTML report: draws the charts with the inline Vega runtime, gives every claim's
   mark keyboard focus and a tooltip, and sorts and filters the claims table. Text from the
   reports is only ever set with textContent or setAttribute, never parsed as HTML. */
(function () {
  "use strict";

  var tooltip = document.getElementById("fc-tooltip");
  var specsNode = document.getElementById("fc-specs");
  var specs = specsNode ? JSON.parse(specsNode.textContent) : {};
  var activeMark = null;

  /* ------------------------------------------------------------------ tooltip */

  function add(parent, tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    parent.appendChild(node);
    return node;
  }

  function fillTooltip(d) {
    tooltip.textContent = "";
    add(tooltip, "div", "tt-figure", d.figure + " " + d.metric);
    var list = add(tooltip, "dl");
    var rows = [["Source", d.source], ["Date", d.date]];
    if (d.modality && d.modality !== "count") rows.push(["Kind", d.modality]);
    if (d.status !== "compared") rows.push(["Set aside", d.statusText]);
    rows.forEach(function (row) {
      add(list, "dt", null, row[0]);
      add(list, "dd", null, row[1]);
    });
    add(tooltip, "blockquote", "tt-quote", d.quote ? "\u201C" + d.quote + "\u201D" : "(no quote)");
    add(tooltip, "div", "tt-loc", d.loc);
  }

  function showTooltip(mark) {
    var d = mark.__fcDatum;
    if (!d) return;
    if (activeMark && activeMark !== mark) activeMark.classList.remove("is-active");
    activeMark = mark;
    mark.classList.add("is-active");
    fillTooltip(d);
    tooltip.hidden = false;
    var box = mark.getBoundingClientRect();
    var tip = tooltip.getBoundingClientRect();
    var left = box.right + 14;
    if (left + tip.width > document.documentElement.clientWidth - 8) {
      left = Math.max(8, box.left - tip.width - 14);
    }
    var top = box.top + box.height / 2 - Math.min(40, tip.height / 2);
    top = Math.max(8, Math.min(top, window.innerHeight - tip.height - 8));
    tooltip.style.left = (left + window.scrollX) + "px";
    tooltip.style.top = (top + window.scrollY) + "px";
  }

  function hideTooltip(mark) {
    if (mark && mark !== activeMark) return;
    if (activeMark) activeMark.classList.remove("is-active");
    activeMark = null;
    tooltip.hidden = true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hideTooltip();
  });

  /* ------------------------------------------------------------------ charts */

  function goToClaim(id) {
    var slug = String(id).replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "").toLowerCase();
    var row = document.getElementById("claim-" + (slug || "x"));
    if (!row) return;
    if (row.hidden) clearFilters();
    row.classList.add("flash");
    setTimeout(function () { row.classList.remove("flash"); }, 2000);
    var cell = row.querySelector("th, td");
    row.scrollIntoView({ block: "center" });
    if (cell) {
      cell.setAttribute("tabindex", "-1");
      cell.focus({ preventScroll: true });
    }
  }

  /* The claim marks are the symbols of the Vega marks named claims_*: each SVG path carries
     its scenegraph item (Vega sets it as __data__), whose datum is the claim. */
  function decorate(container) {
    var marks = [];
    container.querySelectorAll("svg path").forEach(function (path) {
      var item = path.__data__;
      if (!item || !item.mark || !/^claims_/.test(item.mark.name || "") || !item.datum) return;
      var d = item.datum;
      path.__fcDatum = d;
      path.classList.add("fc-mark");
      path.setAttribute("tabindex", "0");
      path.setAttribute("focusable", "true");
      path.setAttribute("data-claim-id", d.id);
      path.setAttribute("data-scope", d.scope);
      path.setAttribute("data-status", d.status);
      if (d.desc && !path.getAttribute("aria-label")) path.setAttribute("aria-label", d.desc);
      path.addEventListener("pointerenter", function () { showTooltip(path); });
      path.addEventListener("pointerleave", function () {
        if (document.activeElement !== path) hideTooltip(path);
      });
      path.addEventListener("focus", function () { showTooltip(path); });
      path.addEventListener("blur", function () { hideTooltip(path); });
      path.addEventListener("click", function () { goToClaim(d.id); });
      path.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          goToClaim(d.id);
        }
      });
      marks.push(path);
    });
    return marks;
  }

  function renderChart(container) {
    var spec = specs[container.getAttribute("data-chart")];
    var canvas = container.querySelector(".chart-canvas");
    if (!spec || !canvas || typeof vegaEmbed === "undefined") return Promise.resolve();
    return vegaEmbed(canvas, spec, {
      mode: "vega",
      renderer: "svg",
      actions: false,
      tooltip: false,
      defaultStyle: false
    }).then(function () {
      var svg = canvas.querySelector("svg");
      if (svg) {
        if (!svg.getAttribute("viewBox")) {
          svg.setAttribute("viewBox", "0 0 " + svg.getAttribute("width") + " " + svg.getAttribute("height"));
        }
        /* a group, not an image: its marks stay reachable; the caption says what it shows */
        svg.setAttribute("role", "group");
        svg.setAttribute("aria-roledescription", "timeline chart");
        svg.setAttribute("aria-label", "Timeline of " + container.getAttribute("data-metric") +
          ": one mark per claim; tab to a mark to hear it");
      }
      var marks = decorate(container);
      container.setAttribute("data-marks", String(marks.length));
      container.setAttribute("data-rendered", "true");
    });
  }

  var charts = Array.prototype.slice.call(document.querySelectorAll(".chart[data-chart]"));
  Promise.all(charts.map(function (chart) {
    return renderChart(chart).catch(function (error) {
      chart.setAttribute("data-rendered", "error");
      console.error("factcheck: chart " + chart.getAttribute("data-chart") + " failed: " + error);
    });
  })).then(function () {
    document.documentElement.setAttribute("data-charts-ready", "true");
  });

  /* ------------------------------------------------------------------ claims table */

  var table = document.getElementById("claims-table");
  if (!table) return;
  var body = table.tBodies[0];
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var rows = Array.prototype.slice.call(body.rows);
  var text = document.getElementById("f-text");
  var metric = document.getElementById("f-metric");
  var source = document.getElementById("f-source");
  var status = document.getElementById("f-status");
  var count = document.getElementById("f-count");
  var haystacks = rows.map(function (row) { return row.textContent.toLowerCase(); });

  function sortValue(row, index, type) {
    var value = row.cells[index].getAttribute("data-sort") || "";
    if (type === "num") {
      if (value === "") return null;
      var number = parseFloat(value);
      return isNaN(number) ? null : number;
    }
    return value === "" ? null : value.toLowerCase();
  }

  function sortBy(index) {
    var header = headers[index];
    var type = header.getAttribute("data-type");
    var direction = header.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", direction);
    var sign = direction === "ascending" ? 1 : -1;
    var keyed = rows.map(function (row, order) {
      return { row: row, key: sortValue(row, index, type), order: order };
    });
    keyed.sort(function (a, b) {
      if (a.key === null && b.key === null) return a.order - b.order;
      if (a.key === null) return 1;   /* unknowns last, either way */
      if (b.key === null) return -1;
      if (a.key < b.key) return -sign;
      if (a.key > b.key) return sign;
      return a.order - b.order;
    });
    keyed.forEach(function (k) { body.appendChild(k.row); });
  }

  headers.forEach(function (header, index) {
    var button = header.querySelector("button");
    if (button) button.addEventListener("click", function () { sortBy(index); });
  });

  function applyFilters() {
    var words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row, i) {
      var ok = words.every(function (w) { return haystacks[i].indexOf(w) !== -1; });
      if (ok && metric.value) ok = row.getAttribute("data-metric") === metric.value;
      if (ok && source.value) ok = row.getAttribute("data-source") === source.value;
      if (ok && status.value) {
        var compared = row.getAttribute("data-status") === "compared";
        ok = status.value === "compared" ? compared : !compared;
      }
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    count.textContent = shown + " of " + rows.length + " claims shown";
  }

  function clearFilters() {
    text.value = "";
    metric.value = "";
    source.value = "";
    status.value = "";
    applyFilters();
  }

  text.addEventListener("input", applyFilters);
  [metric, source, status].forEach(function (select) {
    select.addEventListener("change", applyFilters);
  });
  document.getElementById("f-clear").addEventListener("click", clearFilters);
})();
