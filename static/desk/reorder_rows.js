/* Puts the rows of a sortable inline (fieldset.desk-sortable, e.g. an explainer's claims) in
 * order without typing numbers: drag a row by its handle, or use its "Move up" and "Move
 * down" buttons (keyboard and screen readers). Either way the rows' position inputs are
 * rewritten 0, 1, 2… in the order shown, and saving posts them as the form always did.
 *
 * Without this script the position inputs are typed by hand, as before.
 */
"use strict";

(function () {
    let dragged = null;

    function rows(group) {
        return Array.from(group.querySelectorAll("tr.form-row:not(.empty-form)"));
    }

    function renumber(group) {
        rows(group).forEach((row, index) => {
            const position = row.querySelector("input[name$='-position']");
            const claim = row.querySelector("select[name$='-claim'], input[name$='-claim']");
            // A blank row added and left empty stays blank, so the form does not ask for it.
            if (position && (position.value !== "" || (claim && claim.value))) {
                position.value = String(index);
            }
        });
    }

    function move(row, step) {
        const group = row.closest("fieldset.desk-sortable");
        const sibling = step < 0 ? row.previousElementSibling : row.nextElementSibling;
        if (!sibling || !sibling.matches("tr.form-row:not(.empty-form)")) {
            return false;
        }
        sibling.insertAdjacentElement(step < 0 ? "beforebegin" : "afterend", row);
        renumber(group);
        return true;
    }

    function button(label, text, step) {
        const control = document.createElement("button");
        control.type = "button";
        control.className = "desk-move";
        control.textContent = text;
        control.setAttribute("aria-label", label);
        control.title = label;
        control.addEventListener("click", () => {
            const row = control.closest("tr");
            if (move(row, step)) {
                control.focus();
            }
        });
        return control;
    }

    function equip(row) {
        const cell = row.querySelector("td.field-position");
        if (!cell || cell.querySelector(".desk-move")) {
            return;
        }
        const handle = document.createElement("span");
        handle.className = "desk-drag-handle";
        handle.textContent = "⠿";
        handle.title = "Drag to reorder";
        handle.setAttribute("aria-hidden", "true");
        handle.draggable = true;
        handle.addEventListener("dragstart", (event) => {
            dragged = row;
            row.classList.add("desk-dragging");
            event.dataTransfer.effectAllowed = "move";
            event.dataTransfer.setData("text/plain", "");
        });
        handle.addEventListener("dragend", () => {
            row.classList.remove("desk-dragging");
            dragged = null;
        });
        row.addEventListener("dragover", (event) => {
            if (!dragged || dragged === row || dragged.parentElement !== row.parentElement) {
                return;
            }
            event.preventDefault();
            const box = row.getBoundingClientRect();
            const after = event.clientY > box.top + box.height / 2;
            row.insertAdjacentElement(after ? "afterend" : "beforebegin", dragged);
        });
        row.addEventListener("drop", (event) => {
            event.preventDefault();
            renumber(row.closest("fieldset.desk-sortable"));
        });
        cell.prepend(handle);
        cell.append(button("Move up", "↑", -1), button("Move down", "↓", 1));
    }

    function setUp() {
        document.querySelectorAll("fieldset.desk-sortable").forEach((group) => {
            rows(group).forEach(equip);
        });
    }

    document.addEventListener("formset:added", (event) => {
        if (event.target.closest && event.target.closest("fieldset.desk-sortable")) {
            equip(event.target);
        }
    });
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", setUp);
    } else {
        setUp();
    }
})();
