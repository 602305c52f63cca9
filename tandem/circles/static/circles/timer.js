// Counts down to the end of a speed-mentoring round; without scripts the end time still shows.
(function () {
  "use strict";
  function tick(element) {
    var ends = Date.parse(element.getAttribute("data-ends-at"));
    var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
    var minutes = Math.floor(left / 60);
    var seconds = left % 60;
    element.textContent = left > 0
      ? minutes + ":" + (seconds < 10 ? "0" : "") + seconds + " left"
      : "time is up";
  }
  document.addEventListener("DOMContentLoaded", function () {
    var timers = document.querySelectorAll(".speed-timer[data-ends-at]");
    timers.forEach(function (element) {
      tick(element);
      window.setInterval(function () { tick(element); }, 1000);
    });
  });
})();
