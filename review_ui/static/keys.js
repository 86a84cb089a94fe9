// Keyboard for reviewers (no inline script: the CSP allows only our own files).
// Queue: j/k move, o or Enter opens, x selects, 1 lure, 2 not a lure, 3 refer, 4 needs info
// (a small dialog: reason, note, Enter records), n note, ? help, Esc closes.
// Post page: 1-4 choose the decision, n the note, ? help.
(function () {
  "use strict";
  var DECISIONS = { "1": "lure", "2": "not_lure", "3": "escalate", "4": "needs_info" };
  var current = 0;

  // Where keys are text: a select is not (in a decision form its keys stay ours: 1-4, n, Enter).
  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    if (tag === "INPUT") return !/^(checkbox|radio|submit|button)$/.test(el.type);
    return tag === "TEXTAREA" || el.isContentEditable || (tag === "SELECT" && !el.closest("form.decision"));
  }

  function rows() {
    var table = document.querySelector("table[data-keys=queue]");
    return table ? Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-post]")) : [];
  }

  function mark(index) {
    var list = rows();
    if (!list.length) return;
    current = Math.max(0, Math.min(index, list.length - 1));
    list.forEach(function (row, i) { row.classList.toggle("current", i === current); });
    list[current].scrollIntoView({ block: "nearest" });
    try { sessionStorage.setItem("lurewatch.queue.row", String(current)); } catch (e) { /* private mode */ }
  }

  // Only the reasons of the chosen decision are offered; the first one is preselected.
  function showReasons(select, decision) {
    if (!select) return;
    var first = null;
    Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
      var on = group.getAttribute("data-decision") === decision;
      group.hidden = !on;
      group.disabled = !on;
      if (on && !first) first = group.querySelector("option");
    });
    if (first && (!select.value || select.selectedOptions[0].getAttribute("data-decision") !== decision)) {
      select.value = first.value;
    }
  }

  function wireDecisionForm(form) {
    var select = form.querySelector("select.reason");
    var choice = form.querySelector("select.decision-choice");
    Array.prototype.forEach.call(form.querySelectorAll("input[name=decision]"), function (radio) {
      radio.addEventListener("change", function () { showReasons(select, radio.value); });
    });
    if (choice) {
      choice.addEventListener("change", function () { showReasons(select, choice.value); });
      showReasons(select, choice.value);
    }
  }

  function choose(form, decision) {
    var radio = form.querySelector("input[name=decision][value=" + decision + "]");
    if (!radio) return;
    radio.checked = true;
    showReasons(form.querySelector("select.reason"), decision);
    var select = form.querySelector("select.reason");
    if (select) select.focus();
  }

  function openDialog(decision) {
    var dialog = document.getElementById("decide-dialog");
    var list = rows();
    if (!dialog || !list.length) return;
    var row = list[current];
    var form = dialog.querySelector("form");
    if (form.getAttribute("data-row") !== row.getAttribute("data-post")) {
      form.reset(); // a new row: nothing of the previous decision (its note) carries over
      form.setAttribute("data-row", row.getAttribute("data-post"));
    }
    form.setAttribute("action", "/posts/" + row.getAttribute("data-post") + "/decision");
    var link = row.querySelector("a[href^='/posts/']");
    dialog.querySelector(".row-title").textContent = link ? link.textContent : "";
    if (!dialog.open) dialog.showModal();
    choose(form, decision);
  }

  function toggleHelp() {
    var help = document.getElementById("keys-help");
    if (!help) return;
    if (help.open) help.close(); else help.showModal();
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var key = event.key;
    var dialog = document.getElementById("decide-dialog");
    var inDialog = dialog && dialog.open;
    if (typing(event.target) && key !== "Escape") return;
    if (key === "Enter" && event.target.tagName === "SELECT") {
      // Enter in a decision form's reason list records the decision.
      event.preventDefault();
      event.target.form.requestSubmit();
      return;
    }
    var postForm = document.querySelector("article.post form.decision");
    if (key === "?") { event.preventDefault(); toggleHelp(); return; }
    if (key === "Escape") { if (inDialog) dialog.close(); return; }
    if (inDialog) {
      if (DECISIONS[key]) { event.preventDefault(); choose(dialog.querySelector("form"), DECISIONS[key]); }
      else if (key === "n") { event.preventDefault(); dialog.querySelector("textarea[name=note]").focus(); }
      return;
    }
    if (postForm) {
      if (DECISIONS[key]) { event.preventDefault(); choose(postForm, DECISIONS[key]); }
      else if (key === "n") { event.preventDefault(); postForm.querySelector("textarea[name=note]").focus(); }
      return;
    }
    var list = rows();
    if (!list.length) return;
    if (key === "j") { event.preventDefault(); mark(current + 1); }
    else if (key === "k") { event.preventDefault(); mark(current - 1); }
    else if (key === "o" || key === "Enter") {
      var link = list[current].querySelector("a[href^='/posts/']");
      if (link) { event.preventDefault(); link.click(); }
    } else if (key === "x") {
      var box = list[current].querySelector("input[type=checkbox]");
      if (box) { event.preventDefault(); box.checked = !box.checked; }
    } else if (DECISIONS[key] && document.getElementById("decide-dialog")) {
      event.preventDefault(); openDialog(DECISIONS[key]);
    } else if (key === "n" && document.getElementById("decide-dialog")) {
      event.preventDefault(); openDialog("lure");
      document.querySelector("#decide-dialog textarea[name=note]").focus();
    }
  });

  function setUp() {
    Array.prototype.forEach.call(document.querySelectorAll("form.decision, form.bulk-decision, #bulk-form"),
      wireDecisionForm);
    var dialog = document.getElementById("decide-dialog");
    if (dialog) {
      dialog.querySelector("button.close").addEventListener("click", function () { dialog.close(); });
      var form = dialog.querySelector("form");
      form.addEventListener("submit", function (event) {
        if (!window.htmx) return; // a plain POST and its redirect do the same, page and all
        event.preventDefault();
        window.htmx.ajax("POST", form.getAttribute("action"),
          { source: form, target: "#queue-table", select: "#queue-table", swap: "outerHTML" });
        dialog.close();
      });
    }
    var saved = 0;
    try { saved = parseInt(sessionStorage.getItem("lurewatch.queue.row") || "0", 10) || 0; } catch (e) { saved = 0; }
    mark(saved);
  }

  // After htmx swaps the queue table in, keep the cursor at the same position (the next row).
  document.addEventListener("htmx:afterSwap", function () {
    var bulk = document.getElementById("bulk-form");
    if (bulk) wireDecisionForm(bulk);
    mark(current);
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
