// Gives names to the controls that the admin's own scripts build without one, so screen
// readers can say what they are: select2's search box in a multiple autocomplete gets its
// field's label, so does a single autocomplete's box (named only by its choice, none yet), and the filter boxes' magnifier icon (a <span> with aria-label) becomes an
// image. Runs on the page as parsed and on whatever those scripts add later.
"use strict";
(function () {
  function fieldLabel(select) {
    const label = select.id && document.querySelector(`label[for="${select.id}"]`);
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  function fix(root) {
    root.querySelectorAll(".select2-search__field:not([aria-label])").forEach((input) => {
      const container = input.closest(".select2-container");
      const select = container && container.previousElementSibling;
      const name = select && select.tagName === "SELECT" ? fieldLabel(select) : "";
      input.setAttribute("aria-label", name ? `Search ${name}` : "Search");
    });
    root
      .querySelectorAll(".select2-selection--single[role=combobox]:not([aria-label])")
      .forEach((box) => {
        const container = box.closest(".select2-container");
        const select = container && container.previousElementSibling;
        const name = select && select.tagName === "SELECT" ? fieldLabel(select) : "";
        if (!name) return;
        box.setAttribute("aria-label", name);
        const shown = box.querySelector(".select2-selection__rendered[role=textbox]");
        if (shown && !shown.hasAttribute("aria-label")) shown.setAttribute("aria-label", name);
      });
    root.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach((icon) => {
      icon.setAttribute("role", "img");
    });
  }

  fix(document);
  new MutationObserver(() => fix(document)).observe(document.body, {
    childList: true,
    subtree: true,
  });
})();
