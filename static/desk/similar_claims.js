/* Lists claims similar to the statement being typed on the claim form.
 *
 * The page works without this script: after saving, the change page lists similar claims
 * server-side. This only makes the list live, asking the desk's JSON view as the editor types.
 */
"use strict";

(function () {
    const DELAY_MS = 350;
    const MIN_LENGTH = 4;

    function setUp() {
        const box = document.getElementById("desk-similar-claims");
        const input = document.getElementById("id_statement");
        if (!box || !input) {
            return;
        }
        const list = box.querySelector("ul");
        const empty = box.querySelector(".desk-similar-empty");
        let timer = null;
        let pending = null;

        function show(claims) {
            list.replaceChildren();
            for (const claim of claims) {
                const item = document.createElement("li");
                const link = document.createElement("a");
                link.href = claim.change_url;
                link.target = "_blank";
                link.rel = "noopener";
                link.textContent = claim.statement;
                const detail = document.createElement("span");
                detail.className = "desk-quiet";
                detail.textContent = ` ${claim.claimant} · ${claim.current_verdict_label}`;
                item.append(link, detail);
                list.append(item);
            }
            empty.hidden = claims.length > 0;
            if (!claims.length && input.value.trim().length >= MIN_LENGTH) {
                empty.textContent = "None found.";
            }
        }

        function lookUp() {
            const statement = input.value.trim();
            if (pending) {
                pending.abort();
            }
            if (statement.length < MIN_LENGTH) {
                show([]);
                return;
            }
            pending = new AbortController();
            const url = new URL(box.dataset.url, window.location.href);
            url.searchParams.set("q", statement);
            if (box.dataset.exclude) {
                url.searchParams.set("exclude", box.dataset.exclude);
            }
            fetch(url, {
                headers: {Accept: "application/json"},
                credentials: "same-origin",
                signal: pending.signal,
            })
                .then((response) => (response.ok ? response.json() : []))
                .then(show)
                .catch((error) => {
                    if (error.name !== "AbortError") {
                        show([]);
                    }
                });
        }

        input.addEventListener("input", function () {
            window.clearTimeout(timer);
            timer = window.setTimeout(lookUp, DELAY_MS);
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", setUp);
    } else {
        setUp();
    }
})();
