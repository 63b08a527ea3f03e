// Postpone dashboard: small progressive enhancement over server-rendered pages. Without it every page and
// action still works (actions then confirm on a page of their own).
(function () {
  "use strict";

  // Actions: ask in the browser, then tell the server the question was answered.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    var button = event.submitter;
    if (form.id === "bulk" && button && button.getAttribute("data-needs-selection")) {
      if (!document.querySelector("input[name=id][form=bulk]:checked")) {
        event.preventDefault();
        window.alert("Select some jobs first.");
        return;
      }
    }
    if (!question) return;
    if (!window.confirm(question)) {
      event.preventDefault();
      return;
    }
    var confirmed = document.createElement("input");
    confirmed.type = "hidden";
    confirmed.name = "confirmed";
    confirmed.value = "yes";
    form.appendChild(confirmed);
  });

  // Select all jobs on the page.
  document.addEventListener("change", function (event) {
    if (event.target.id !== "select-all") return;
    document.querySelectorAll("input[name=id][form=bulk]").forEach(function (box) {
      box.checked = event.target.checked;
    });
  });

  // Live updates: short polling of the page's main part, paused while the user selects or types, or the tab is hidden.
  var main = document.getElementById("main");
  var live = document.getElementById("live");
  if (!main || !live) return;
  var period = parseInt(main.getAttribute("data-live"), 10) || 5000;
  try {
    if (window.localStorage.getItem("postpone.live") === "off") live.checked = false;
  } catch (e) { /* storage may be unavailable */ }
  live.addEventListener("change", function () {
    try { window.localStorage.setItem("postpone.live", live.checked ? "on" : "off"); } catch (e) { /* ignore */ }
  });

  function busy() {
    if (document.hidden || !live.checked) return true;
    if (main.contains(document.activeElement) && /INPUT|SELECT|TEXTAREA|BUTTON/.test(document.activeElement.tagName)) return true;
    if (document.querySelector("input[name=id]:checked, #select-all:checked")) return true;
    if (document.querySelector("details[open]")) return true;
    return false;
  }

  function refresh() {
    if (busy()) return;
    var url = new URL(window.location.href);
    url.searchParams.delete("notice");
    url.searchParams.set("fragment", "main");
    fetch(url.toString(), { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html !== null && !busy()) main.innerHTML = html; })
      .catch(function () { /* the next round tries again */ });
  }

  window.setInterval(refresh, period);
})();
