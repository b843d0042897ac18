// Asks before a workflow step that readers notice or that sends work back: a form with
// `data-confirm` is sent only when the user agrees to its question. On a list, the action
// chosen for the ticked rows asks the question #desk-action-questions holds for it.
"use strict";

function questionFor(form) {
  if (form.dataset && form.dataset.confirm) {
    return form.dataset.confirm;
  }
  const questions = document.getElementById("desk-action-questions");
  const action = form.querySelector("select[name=action]");
  if (form.id === "changelist-form" && questions && action && action.value) {
    return questions.dataset[action.value] || "";
  }
  return "";
}

document.addEventListener("submit", (event) => {
  const question = questionFor(event.target);
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
