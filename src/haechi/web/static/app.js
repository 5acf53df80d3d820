// Small progressive enhancements; every page works without JavaScript. No template carries
// inline script or on* handlers (Content-Security-Policy: script-src 'self'): behaviour is
// declared with data-* attributes and wired up here.
document.addEventListener("DOMContentLoaded", () => {
  // <form data-confirm="question">: ask before submitting (e.g. removing a system).
  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });
  // <button data-history-back hidden>: shown only where there is history to go back to.
  document.querySelectorAll("[data-history-back]").forEach((button) => {
    if (window.history.length < 2) return;
    button.hidden = false;
    button.addEventListener("click", () => window.history.back());
  });
  // On phones the main navigation is one scrolling row: bring the current section into view.
  // (Only the row scrolls sideways: scrollIntoView would also move the page off an #anchor.)
  const current = document.querySelector(".mainnav a[aria-current]");
  const row = current && current.closest("ul");
  if (row && row.scrollWidth > row.clientWidth) {
    row.scrollLeft += current.getBoundingClientRect().left - row.getBoundingClientRect().left - 16;
  }
  const errors = document.getElementById("form-errors");
  if (errors) errors.focus();
  // <select data-rows-for="#form">: show only the parts (table rows, fields, panels) whose
  // data-tasks name the chosen value; parts hidden this way have their fields disabled, so the
  // form does not send them.
  document.querySelectorAll("select[data-rows-for]").forEach((select) => {
    const table = document.querySelector(select.dataset.rowsFor);
    if (!table) return;
    const show = () => table.querySelectorAll("[data-tasks]").forEach((row) => {
      const on = row.dataset.tasks.split(" ").includes(select.value);
      row.hidden = !on;
      row.querySelectorAll("input, select").forEach((input) => { input.disabled = !on; });
    });
    select.addEventListener("change", show);
  });
  // In a checkbox group with an "unknown" box, ticking a value clears "unknown" and vice versa.
  document.querySelectorAll(".checks").forEach((group) => {
    const unknown = group.querySelector('input[value="__unknown__"]');
    if (!unknown) return;
    group.addEventListener("change", (event) => {
      if (event.target === unknown && unknown.checked) {
        group.querySelectorAll("input[type=checkbox]").forEach((box) => { if (box !== unknown) box.checked = false; });
      } else if (event.target !== unknown && event.target.checked) {
        unknown.checked = false;
      }
    });
  });
});
