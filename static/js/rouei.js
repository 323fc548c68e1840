/* Rouei: draws the charts from the JSON in their data-figure attributes, follows chart clicks to the incident,
   copies links. No inline script anywhere: everything the page needs is wired up here. */
(function () {
  "use strict";

  var CONFIG = { displayModeBar: false, responsive: true };

  function isPermalink(value) {
    return typeof value === "string" && /^\/incidents\/[A-Za-z0-9._~-]+(\?lang=en)?$/.test(value);
  }

  // What a figure sends once for every trace (the months of the monthly chart).
  function expand(figure) {
    var shared = figure.shared || {};
    return figure.data.map(function (trace) {
      Object.keys(shared).forEach(function (key) { if (!(key in trace)) { trace[key] = shared[key]; } });
      return trace;
    });
  }

  // A figure's "narrow" settings ("yaxis.ticktext": [...]) apply below 500 px.
  function layoutFor(el, figure) {
    var layout = figure.layout;
    if (!figure.narrow || el.clientWidth >= 500) { return layout; }
    Object.keys(figure.narrow).forEach(function (path) {
      var keys = path.split("."), node = layout;
      keys.slice(0, -1).forEach(function (k) { node = node[k] = node[k] || {}; });
      node[keys[keys.length - 1]] = figure.narrow[path];
    });
    return layout;
  }

  function drawCharts(root) {
    if (!window.Plotly) { return; }
    (root || document).querySelectorAll("[data-figure]").forEach(function (el) {
      if (el.dataset.drawn) { return; }
      var figure = JSON.parse(el.dataset.figure);
      el.dataset.drawn = "1";
      window.Plotly.newPlot(el, expand(figure), layoutFor(el, figure), CONFIG).then(function (gd) {
        gd.on("plotly_click", function (event) {
          var point = event && event.points && event.points[0];
          if (point && isPermalink(point.customdata)) { window.location.assign(point.customdata); }
        });
      });
    });
  }

  function purgeCharts(root) {
    if (!window.Plotly || !root) { return; }
    root.querySelectorAll("[data-drawn]").forEach(function (el) { window.Plotly.purge(el); });
  }

  function copyLink(button) {
    var url = window.location.href;
    var status = button.parentNode.querySelector(".copy-status");
    var done = function () {
      if (status) {
        status.textContent = button.dataset.copied || "OK";
        window.setTimeout(function () { status.textContent = ""; }, 2500);
      }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(done, function () { window.prompt("URL", url); });
    } else {
      window.prompt("URL", url);  // no clipboard API over plain http: let the reader copy it
    }
  }

  function showButtons(root) {
    (root || document).querySelectorAll("[data-copy-link]").forEach(function (b) { b.hidden = false; });
  }

  // The header's language link is outside what htmx swaps: after a swap pushes a new URL it is
  // made again from that URL (the server's rule: the same query string, lang flipped).
  function otherLanguageUrl() {
    var params = new URLSearchParams(window.location.search);
    var english = params.get("lang") === "en";
    params.delete("lang");
    if (!english) { params.append("lang", "en"); }
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "");
  }

  function syncLanguageLink() {
    document.querySelectorAll("[data-lang-switch]").forEach(function (a) { a.setAttribute("href", otherLanguageUrl()); });
  }

  // The filter panel starts open (so it works without JavaScript) and is folded on a narrow
  // screen, where it would push the results a screen down; after a filter tap there the results
  // are scrolled into view.
  var NARROW = "(max-width: 820px)";
  var fromFacets = false;

  function isNarrow() { return window.matchMedia && window.matchMedia(NARROW).matches; }

  function foldPanels(root) {
    if (!isNarrow()) { return; }
    (root || document).querySelectorAll("details[data-collapse-narrow]").forEach(function (d) { d.open = false; });
  }

  function init(root) {
    showButtons(root);
    foldPanels(root);
    drawCharts(root);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy-link]");
    if (button) { copyLink(button); }
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    purgeCharts(event.detail && event.detail.target);
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    fromFacets = !!(elt && elt.closest && elt.closest(".facets-panel, .chips"));
  });
  document.addEventListener("htmx:afterSettle", function () {
    init(document);
    if (fromFacets && isNarrow()) {
      // The folded panel (its button counts the filters) with the results right under it.
      var top = document.querySelector(".facets-panel") || document.querySelector(".list-head");
      if (top) { top.scrollIntoView({ block: "start" }); }
    }
    fromFacets = false;
  });
  if (window.matchMedia) {
    window.matchMedia(NARROW).addEventListener("change", function (query) {
      if (!query.matches) {  // wide again: the panel is a sidebar, with no summary to open it by
        document.querySelectorAll("details[data-collapse-narrow]").forEach(function (d) { d.open = true; });
      }
    });
  }
  document.addEventListener("htmx:pushedIntoHistory", syncLanguageLink);
  window.addEventListener("popstate", syncLanguageLink);

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
}());
