// Progressive enhancement only: every form works without JavaScript.
(function () {
  "use strict";

  // Switching language reloads the page. What the user has typed into the page's forms is carried across that
  // one reload in this tab's sessionStorage and removed as soon as the new page has read it (or after a minute
  // unread). Only fields the user changed are kept; passwords, files and hidden fields never are.
  var CARRY_KEY = "ctip-language-carry";
  var CARRY_MAX_AGE_MS = 60000;
  var SKIPPED = ["password", "file", "hidden", "submit", "button", "reset", "image"];

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function carried(el) {
    return el.name && !el.disabled && SKIPPED.indexOf(el.type) < 0 && el.name !== "csrfmiddlewaretoken";
  }

  function changed(el) {
    if (el.type === "checkbox" || el.type === "radio") { return el.checked !== el.defaultChecked; }
    if (el.tagName === "SELECT") {
      return Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; });
    }
    return el.value !== el.defaultValue;
  }

  function valueOf(el) {
    if (el.type === "checkbox" || el.type === "radio") { return el.checked; }
    if (el.tagName === "SELECT") {
      return Array.prototype.filter.call(el.options, function (o) { return o.selected; })
        .map(function (o) { return o.value; });
    }
    return el.value;
  }

  function snapshot(languageForm) {
    var forms = [];
    each(document.forms, function (form, f) {
      if (form === languageForm) { return; }
      var fields = [];
      each(form.elements, function (el, i) {
        if (carried(el) && changed(el)) { fields.push([i, el.name, valueOf(el)]); }
      });
      if (fields.length) { forms.push([f, form.getAttribute("action") || "", fields]); }
    });
    return forms;
  }

  function restore(forms) {
    forms.forEach(function (entry) {
      var form = document.forms[entry[0]];
      if (!form || (form.getAttribute("action") || "") !== entry[1]) { return; }
      entry[2].forEach(function (field) {
        var el = form.elements[field[0]];
        if (!el || el.name !== field[1] || !carried(el)) { return; }
        if (el.type === "checkbox" || el.type === "radio") { el.checked = field[2]; }
        else if (el.tagName === "SELECT") {
          each(el.options, function (o) { o.selected = field[2].indexOf(o.value) >= 0; });
        } else { el.value = field[2]; }
        el.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
  }

  function readCarry() {
    var raw;
    try { raw = window.sessionStorage.getItem(CARRY_KEY); window.sessionStorage.removeItem(CARRY_KEY); }
    catch (e) { return; }
    if (!raw) { return; }
    var data;
    try { data = JSON.parse(raw); } catch (e) { return; }
    if (!data || data.path !== window.location.pathname || Date.now() - data.at > CARRY_MAX_AGE_MS) { return; }
    restore(data.forms || []);
  }

  function saveCarry(languageForm) {
    var forms = snapshot(languageForm);
    if (!forms.length) { return; }
    try {
      window.sessionStorage.setItem(CARRY_KEY, JSON.stringify({
        path: window.location.pathname, at: Date.now(), forms: forms
      }));
    } catch (e) { /* storage full or disabled: the switch still works, as without JavaScript */ }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form && form.classList && form.classList.contains("lang")) { saveCarry(form); }
  });

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.matches && el.matches("select[data-autosubmit]") && el.form) {
      if (el.form.classList.contains("lang")) { saveCarry(el.form); }
      el.form.submit();  // submit() fires no submit event, hence the save above
    }
  });

  // The main menu is open on wide screens and folds behind "Menu" on a phone (it stays open without JavaScript).
  var narrow = window.matchMedia ? window.matchMedia("(max-width: 40rem)") : null;
  function fitMenu() {
    each(document.querySelectorAll("details.nav-menu"), function (menu) { menu.open = !(narrow && narrow.matches); });
  }
  if (narrow && narrow.addEventListener) { narrow.addEventListener("change", fitMenu); }

  function ready() { fitMenu(); readCarry(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); }
  else { ready(); }
})();
