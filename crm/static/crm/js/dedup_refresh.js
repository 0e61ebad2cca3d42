// Polls a duplicate-queue refresh and moves its progress bar; reloads the page when it ends.
(function () {
  var box = document.querySelector("[data-dedup-refresh]");
  if (!box) return;
  var bar = box.querySelector("progress");
  var label = box.querySelector("[data-dedup-refresh-label]");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        bar.value = state.percent;
        label.textContent = state.total
          ? state.done + " of " + state.total + " candidate pairs scored (" + state.percent + "%)"
          : "Reading the partners…";
        if (state.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
})();
