// What the pages do in the browser; each works without it too.
document.addEventListener("DOMContentLoaded", () => {
  // The menu button of narrow screens: shows and hides the main menu and the
  // user's links (log out), and says so to screen readers.
  const button = document.querySelector(".menu-toggle");
  if (button) {
    const header = button.closest(".header");
    button.hidden = false;
    button.addEventListener("click", () => {
      const open = header.classList.toggle("menu-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  // A table wider than the page scrolls sideways (site.css); keyboard users
  // reach it with Tab to scroll it with the arrow keys.
  const focusScrollingTables = () => {
    for (const table of document.querySelectorAll("main table.table")) {
      if (table.scrollWidth > table.clientWidth) table.setAttribute("tabindex", "0");
      else table.removeAttribute("tabindex");
    }
  };
  focusScrollingTables();
  window.addEventListener("resize", focusScrollingTables);
  // A value to copy (includes/copy_field.html): the button copies the field
  // whole and says so; without a clipboard the field is selected instead.
  for (const copy of document.querySelectorAll("[data-copy]")) {
    const field = document.getElementById(copy.dataset.copy);
    const done = copy.closest(".copy-field").querySelector(".copy-field__done");
    copy.hidden = false;
    copy.addEventListener("click", async () => {
      field.select();
      try {
        await navigator.clipboard.writeText(field.value);
        done.textContent = copy.dataset.copied;
      } catch {
        done.textContent = copy.dataset.select;
      }
    });
  }
});
