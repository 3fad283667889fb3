/* SIKAP: the cascade tree works without JavaScript (native <details>); this only opens the
 * branches leading to a linked RHK and offers "open all / close all". */
(function () {
  "use strict";
  var openTo = function () {
    var el = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    var target = el;
    for (; el; el = el.parentElement) {
      if (el.tagName === "DETAILS") {
        el.open = true;
      }
    }
    if (target) {
      target.scrollIntoView({ block: "center" });
    }
  };
  window.addEventListener("hashchange", openTo);
  openTo();

  var tools = document.querySelector(".tree-tools");
  if (!tools) {
    return;
  }
  tools.hidden = false;
  tools.addEventListener("click", function (event) {
    var button = event.target.closest("[data-tree]");
    if (!button) {
      return;
    }
    var open = button.dataset.tree === "open";
    document.querySelectorAll(".cascade details").forEach(function (d) {
      d.open = open;
    });
  });
})();
