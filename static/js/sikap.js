/* SIKAP: behaviour shared by every page, wired by data attributes so that no template needs an
 * inline script or event handler (the Content-Security-Policy allows scripts from 'self' only).
 *
 *   data-confirm="Pertanyaan?"   on a <form>: ask before submitting; on a button or link: ask
 *                                before it acts. Without JavaScript the action goes ahead
 *                                (the server re-checks everything).
 *   data-remove-closest="form"   a "Batal" link inside an htmx-loaded form removes that form
 *                                instead of navigating (without htmx it is a plain link).
 *   data-search                  a text box that filters the rows marked data-candidate by their
 *                                data-text; data-no-match is shown when nothing matches.
 *   data-decide-form             the keberatan decision form: shows the new ratings only for
 *                                "DIUBAH", and previews the predikat they give (rules §1.6.2)
 *                                from the predikat-labels json_script block.
 *
 * Loaded from base.html after htmx, before DOMContentLoaded, so the htmx settings below apply
 * before htmx initialises. */
(function () {
  "use strict";

  if (window.htmx) {
    // The CSP forbids inline <style> and eval: keep htmx from injecting its indicator style
    // and from evaluating hx-on / js: attributes (none are used; this makes a stray one fail
    // loudly in development instead of silently under CSP in production).
    htmx.config.includeIndicatorStyles = false;
    htmx.config.allowEval = false;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) {
      return;
    }
    // An empty data-confirm is only a marker (e.g. the keberatan confirmation page): no question.
    var asking = target.closest("button[data-confirm], a[data-confirm], input[data-confirm]");
    var question = asking && asking.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    var cancel = target.closest("[data-remove-closest]");
    if (cancel) {
      var container = cancel.closest(cancel.getAttribute("data-remove-closest"));
      if (container) {
        event.preventDefault();
        container.remove();
      }
    }
  });

  function initSearch() {
    var input = document.querySelector("[data-search]");
    if (!input) {
      return;
    }
    input.hidden = false;
    var rows = document.querySelectorAll("[data-candidate]");
    var none = document.querySelector("[data-no-match]");
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        var match = !q || (row.dataset.text || "").indexOf(q) !== -1;
        row.hidden = !match;
        shown += match ? 1 : 0;
      });
      if (none) {
        none.hidden = shown > 0;
      }
    });
  }

  function initDecideForm() {
    var form = document.querySelector("[data-decide-form]");
    var labelSource = document.getElementById("predikat-labels");
    if (!form || !labelSource) {
      return;
    }
    var labels = JSON.parse(labelSource.textContent);
    var hasil = form.querySelector("[name=rating_hasil_kerja]");
    var perilaku = form.querySelector("[name=rating_perilaku_kerja]");
    var out = form.querySelector("[data-predikat-preview]");
    var ratings = form.querySelector("[data-new-ratings]");
    var update = function () {
      var choice = form.querySelector("[name=keputusan]:checked");
      if (ratings) {
        ratings.hidden = !choice || choice.value !== "DIUBAH";
      }
      if (out && hasil && perilaku) {
        out.textContent = labels[hasil.value + "|" + perilaku.value] || "—";
      }
    };
    form.addEventListener("change", update);
    update();
  }

  function init() {
    initSearch();
    initDecideForm();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
