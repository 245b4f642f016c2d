/* Follow a background job: poll its status and update the progress bar.
   Without this script the page still shows the state as of its last load. */
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.getAttribute("data-finished") === "true") {
    return;
  }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("job-progress");
  var text = document.getElementById("job-progress-text");
  var state = document.getElementById("job-state");
  var delay = 1000;
  var polls = 0;
  var MAX_POLLS = 5000; /* about two hours at the slowest pace, then stop */

  function schedule(ms) {
    if (polls < MAX_POLLS) {
      window.setTimeout(poll, ms);
    }
  }

  function show(data) {
    if (data.percent === null || data.percent === undefined) {
      bar.removeAttribute("value");
      bar.textContent = "";
    } else {
      bar.value = data.percent;
      bar.textContent = data.percent + "%";
    }
    if (state.textContent !== data.state_label) {
      state.textContent = data.state_label;
      state.className = "job-state job-state-" + data.state;
    }
    if (text.textContent !== data.text) {
      text.textContent = data.text;
    }
  }

  function poll() {
    polls += 1;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.finished) {
          /* The server renders the result (download link, errors) on reload. */
          window.location.reload();
          return;
        }
        delay = 1000;
        schedule(delay);
      })
      .catch(function () {
        delay = Math.min(delay * 2, 30000);
        schedule(delay);
      });
  }

  schedule(delay);
})();
