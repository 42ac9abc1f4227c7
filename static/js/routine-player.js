/*
 * Tonight's routine as a step-by-step player (templates/includes/routine.html).
 * Without JavaScript the page is a list of every stretch to read or print. With it,
 * one stretch shows at a time with Start/Pause, Previous and Next; each stretch's
 * own hold timer (static/js/hold-timer.js, loaded first) counts a short "Get ready",
 * then every hold, rest and side switch; when it finishes the next stretch starts.
 * Keys (outside form fields): Space or K starts and pauses, the arrow keys (or P, N)
 * go to the previous or next stretch. The screen is kept awake while the routine
 * runs (Screen Wake Lock API, where the browser has it) and released on pause,
 * at the end and on leaving the page. Stretch changes are announced through a polite
 * live region; the timer announces its own phases, never every second.
 */
(function () {
  "use strict";

  var routine = document.querySelector("[data-routine]");
  var timerApi = window.BackPainHoldTimer;
  if (!routine || !timerApi) {
    return;
  }
  var player = routine.querySelector("[data-routine-player]");
  var steps = Array.prototype.slice.call(routine.querySelectorAll("[data-routine-step]"));
  var sections = steps.map(function (step) {
    return step.querySelector("[data-hold-timer]");
  });
  var timers = sections.map(function (section) {
    return section && section.holdTimer ? section.holdTimer : null;
  });
  if (!player || steps.length === 0 || timers.indexOf(null) !== -1) {
    return; // a stretch without a timer: the list alone says everything
  }

  var els = {
    position: player.querySelector("[data-player-position]"),
    left: player.querySelector("[data-player-left]"),
    previous: player.querySelector("[data-player-previous]"),
    toggle: player.querySelector("[data-player-toggle]"),
    next: player.querySelector("[data-player-next]"),
    done: player.querySelector("[data-player-done]"),
    live: player.querySelector("[data-player-announce]"),
    overview: Array.prototype.slice.call(routine.querySelectorAll("[data-overview-item]"))
  };
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var current = 0;
  var running = false; // the reader pressed Start and has not paused
  var finished = false;

  function announce(text) {
    els.live.textContent = text;
  }

  function describe(index) {
    var step = steps[index];
    return "Stretch " + (index + 1) + " of " + steps.length + ": " + step.getAttribute("data-name") + ", " +
      step.getAttribute("data-side") + ".";
  }

  function minutesLeft(index) {
    var seconds = 0;
    for (var i = index; i < steps.length; i += 1) {
      seconds += parseInt(steps[i].getAttribute("data-seconds"), 10) || 0;
    }
    var minutes = Math.max(1, Math.round(seconds / 60));
    return "about " + minutes + " minute" + (minutes === 1 ? "" : "s") + " left";
  }

  function render() {
    steps.forEach(function (step, index) {
      step.hidden = index !== current;
    });
    els.overview.forEach(function (item, index) {
      if (index === current) {
        item.setAttribute("aria-current", "step");
      } else {
        item.removeAttribute("aria-current");
      }
    });
    els.position.textContent = "Stretch " + (current + 1) + " of " + steps.length;
    els.left.textContent = finished ? "" : "· " + minutesLeft(current);
    els.previous.disabled = current === 0;
    els.next.disabled = current === steps.length - 1;
    els.toggle.textContent = finished ? "Start again" : running ? "Pause" : timers[current].state() === "paused" ? "Resume" : "Start";
    els.done.hidden = !finished;
  }

  function stay(on) {
    timerApi.keepAwake(on);
  }

  /* Scroll so the current stretch starts just below the player's controls (which stick to the top). */
  function bringIntoView() {
    var gap = player.offsetHeight + 16;
    var top = steps[current].getBoundingClientRect().top;
    if (Math.abs(top - gap) > 24) {
      window.scrollTo({ top: window.scrollY + top - gap, behavior: reduceMotion ? "auto" : "smooth" });
    }
  }

  /* Show stretch ``index``; if the routine is running, its timer starts (with its "Get ready"). */
  function go(index, why) {
    if (index < 0 || index >= steps.length) {
      return;
    }
    timers[current].reset();
    current = index;
    finished = false;
    render();
    bringIntoView();
    announce((why ? why + " " : "") + describe(current) + (running ? "" : " Press Start when you are ready."));
    if (running) {
      timers[current].start();
    }
  }

  function start() {
    if (finished) {
      finished = false;
      timers[current].reset();
      current = 0;
    }
    running = true;
    stay(true);
    bringIntoView();
    var timer = timers[current];
    if (timer.state() === "paused") {
      timer.resume();
    } else {
      announce(describe(current));
      timer.start();
    }
    render();
  }

  function pause() {
    running = false;
    timers[current].pause();
    stay(false);
    render();
  }

  function toggle() {
    if (running) {
      pause();
    } else {
      start();
    }
  }

  function finish() {
    running = false;
    finished = true;
    stay(false);
    render();
    announce("All done for tonight. Well done for making time for it.");
  }

  routine.addEventListener("holdtimer:finish", function (event) {
    if (event.target !== sections[current]) {
      return;
    }
    if (current < steps.length - 1) {
      go(current + 1, "Well done.");
    } else {
      finish();
    }
  });

  els.toggle.addEventListener("click", toggle);
  els.previous.addEventListener("click", function () { go(current - 1); });
  els.next.addEventListener("click", function () { go(current + 1); });

  // The overview's links jump to that stretch instead of scrolling to a hidden one.
  els.overview.forEach(function (item, index) {
    var link = item.querySelector("a");
    link.addEventListener("click", function (event) {
      event.preventDefault();
      go(index);
      var heading = steps[index].querySelector("h2");
      if (heading) {
        heading.focus({ preventScroll: true });
      }
    });
  });

  function typing(target) {
    return target.closest && target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  function onControl(target) {
    return target.closest && target.closest("button, a, summary, [tabindex]:not([tabindex='-1'])") !== null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) {
      return;
    }
    var key = event.key;
    if ((key === " " || key === "k" || key === "K") && !onControl(event.target)) {
      event.preventDefault();
      toggle();
    } else if (key === "ArrowRight" || key === "n" || key === "N") {
      event.preventDefault();
      go(current + 1);
    } else if (key === "ArrowLeft" || key === "p" || key === "P") {
      event.preventDefault();
      go(current - 1);
    }
  });

  window.addEventListener("pagehide", function () {
    if (running) {
      pause();
    }
  });

  var fromLink = /^#step-(\d+)$/.exec(window.location.hash);
  if (fromLink) {
    current = Math.min(steps.length, Math.max(1, parseInt(fromLink[1], 10))) - 1;
  }
  routine.classList.add("is-playing");
  player.hidden = false;
  render();
})();
