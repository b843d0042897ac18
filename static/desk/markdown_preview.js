/* Redraws the preview beneath a Markdown field (textarea[data-markdown-preview]) as the
 * editor types: the text is posted to the desk's preview view, which renders it with the
 * reader site's own renderer and sanitizer, and the HTML it answers is shown as it comes.
 *
 * The page works without this script: it draws the preview of the saved text itself.
 * Listens on the document, so rows the admin adds later ("Add another") work too.
 */
"use strict";

(function () {
    const DELAY_MS = 400;
    const timers = new WeakMap();
    const pending = new WeakMap();

    function csrfToken(textarea) {
        const form = textarea.form || document;
        const input = form.querySelector("input[name=csrfmiddlewaretoken]");
        return input ? input.value : "";
    }

    function redraw(textarea) {
        const preview = textarea.nextElementSibling;
        const target = preview && preview.querySelector(".desk-markdown-rendered");
        if (!target || !textarea.dataset.markdownPreview) {
            return;
        }
        if (pending.has(textarea)) {
            pending.get(textarea).abort();
        }
        const controller = new AbortController();
        pending.set(textarea, controller);
        const body = new FormData();
        body.append("text", textarea.value);
        fetch(textarea.dataset.markdownPreview, {
            method: "POST",
            body: body,
            headers: {"X-CSRFToken": csrfToken(textarea)},
            credentials: "same-origin",
            signal: controller.signal,
        })
            .then((response) => (response.ok ? response.text() : Promise.reject(response)))
            .then((html) => {
                // Sanitized by the desk (nh3, as on the reader site); the page's CSP runs
                // no inline script or handler whatever it held.
                target.innerHTML = html;
            })
            .catch((error) => {
                if (error.name !== "AbortError") {
                    target.textContent = "The preview is not available just now.";
                }
            });
    }

    document.addEventListener("input", function (event) {
        const textarea = event.target;
        if (!(textarea instanceof HTMLTextAreaElement) || !textarea.dataset.markdownPreview) {
            return;
        }
        window.clearTimeout(timers.get(textarea));
        timers.set(textarea, window.setTimeout(() => redraw(textarea), DELAY_MS));
    });
})();
