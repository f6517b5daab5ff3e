// The admin's autocomplete list filter: choosing (or clearing) a value submits its form.
"use strict";
window.addEventListener("load", function () {
  const $ = window.django && window.django.jQuery;
  if (!$) {
    return;
  }
  $("form.autocomplete-filter select").on("change", function () {
    this.form.submit();
  });
});
