// Asks before a workflow step that readers notice or that sends work back: a form with
// `data-confirm` is sent only when the user agrees to its question.
"use strict";
document.addEventListener("submit", (event) => {
  const question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
