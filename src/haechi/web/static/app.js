// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  const errors = document.getElementById("form-errors");
  if (errors) errors.focus();
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
