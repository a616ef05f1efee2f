// The review page: a passage selected in the text fills the "quote another passage" box.
document.addEventListener("DOMContentLoaded", () => {
  const text = document.querySelector(".ingestion-full-text");
  const box = document.getElementById("id_passage");
  if (!text || !box) return;
  text.addEventListener("mouseup", () => {
    const selection = window.getSelection();
    if (selection && !selection.isCollapsed && text.contains(selection.anchorNode)) {
      box.value = selection.toString();
    }
  });
});
