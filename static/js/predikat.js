/* SIKAP: the predikat shown live on the evaluation screen while the two ratings are chosen.
 * The matrix comes from the server (rules.PREDIKAT_MATRIX via json_script), so the page and the
 * save agree; the server computes the predikat again on save and never reads it from the form.
 * Also: buttons marked data-confirm-modal open their Bootstrap modal instead of submitting (without
 * JavaScript they submit, and the server answers with a confirmation page). */
(function () {
  "use strict";
  var matrixSource = document.getElementById("predikat-matrix");
  var labelSource = document.getElementById("predikat-labels");
  if (matrixSource && labelSource) {
    var matrix = JSON.parse(matrixSource.textContent);
    var labels = JSON.parse(labelSource.textContent);
    var checked = function (name) {
      var input = document.querySelector("input[name='" + name + "']:checked");
      return input ? input.value : "";
    };
    var update = function () {
      var code = matrix[checked("rating_hasil_kerja") + "|" + checked("rating_perilaku_kerja")] || "";
      document.querySelectorAll("[data-predikat-live]").forEach(function (el) {
        el.textContent = code ? labels[code] : el.getAttribute("data-empty");
        Object.keys(labels).concat(["none"]).forEach(function (c) {
          el.classList.remove("predikat-" + c);
        });
        el.classList.add("predikat-" + (code || "none"));
        el.setAttribute("data-predikat", code);
      });
    };
    document.addEventListener("change", function (event) {
      if (event.target.name === "rating_hasil_kerja" || event.target.name === "rating_perilaku_kerja") {
        update();
      }
    });
    update();
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm-modal]");
    if (!button || typeof bootstrap === "undefined") {
      return;
    }
    event.preventDefault();
    bootstrap.Modal.getOrCreateInstance(document.querySelector(button.getAttribute("data-confirm-modal"))).show();
  });
})();
