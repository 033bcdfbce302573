// The kiosk's slip prints itself once, then the page goes back to the start (meta refresh).
window.addEventListener("load", function () {
  if (document.body.dataset.autoprint === "1") {
    window.print();
  }
});
