// The menu button of narrow screens: shows and hides the main menu and the
// user's links (log out), and says so to screen readers.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector(".menu-toggle");
  if (!button) return;
  const header = button.closest(".header");
  button.hidden = false;
  button.addEventListener("click", () => {
    const open = header.classList.toggle("menu-open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
});
