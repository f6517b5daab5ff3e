// The export page's "select all" box, bound here instead of an inline
// onchange attribute (Content-Security-Policy). onSelectToggleChange comes
// from django-import-export's export_selectable_fields.js.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".select-toggle").forEach((toggle) => {
    toggle.addEventListener("change", onSelectToggleChange);
  });
});
