/*
 * Hold timer for a stretch page: counts each hold (or push, relax and stretch for
 * contract-relax) and the rests between repetitions, for the sides the page asks for.
 * data-sides="together" (both legs at once) is one set with no switch; otherwise
 * data-side="left" or "right" is one set on that side, and "each" is the left side,
 * a switch, then the right side.
 * Progressive enhancement: the section stays hidden without JavaScript, and the
 * page's steps carry the same information. Settings come from data- attributes.
 * Phase changes (not every second) are announced through an aria-live region.
 *
 * Tonight's routine (static/js/routine-player.js) reuses this timer for each of its
 * stretches: a timer marked data-managed has its controls driven by the player, starts
 * with a "Get ready" phase of data-lead-in seconds, leaves the screen lock to the
 * player, and tells it when it finishes ("holdtimer:finish" on its section). Every
 * timer's controls are on its section as section.holdTimer (start, pause, resume,
 * reset, state). window.BackPainHoldTimer.keepAwake(on) holds the screen awake.
 */
(function () {
  "use strict";

  var SWITCH_SECONDS = 10;
  var TICK_MS = 250;
  var PHASES = {
    ready: { name: "Get ready", instruction: "Get into position for this stretch." },
    hold: { name: "Hold", instruction: "Hold the stretch and breathe slowly." },
    push: { name: "Push", instruction: "Push gently against the resistance without moving." },
    relax: { name: "Relax", instruction: "Let go completely and breathe out." },
    stretch: { name: "Stretch", instruction: "Ease a little further into the stretch and hold." },
    rest: { name: "Rest", instruction: "Come out of the stretch and rest." },
    "switch": { name: "Switch sides", instruction: "Switch to your right side and get into position." }
  };
  var SIDE_LABELS = { left: "Left side", right: "Right side", both: "Both legs" };

  function number(element, name) {
    var value = parseInt(element.getAttribute("data-" + name), 10);
    return isNaN(value) || value < 0 ? 0 : value;
  }

  /* The sides to time, in order: ["both"], ["left"], ["right"] or ["left", "right"]. */
  function sidesToTime(settings) {
    if (settings.sides === "together") {
      return ["both"];
    }
    if (settings.side === "left" || settings.side === "right") {
      return [settings.side];
    }
    return ["left", "right"];
  }

  /* The whole session as a list of timed phases. */
  function buildPlan(settings) {
    var plan = [];
    var sides = sidesToTime(settings);
    if (settings.leadIn > 0) {
      plan.push({ kind: "ready", seconds: settings.leadIn, rep: 1, side: sides[0] });
    }
    for (var index = 0; index < sides.length; index += 1) {
      var side = sides[index];
      for (var rep = 1; rep <= settings.repetitions; rep += 1) {
        var base = { rep: rep, side: side };
        if (settings.technique === "contract_relax") {
          plan.push(Object.assign({ kind: "push", seconds: settings.contract }, base));
          plan.push(Object.assign({ kind: "relax", seconds: settings.relax }, base));
          plan.push(Object.assign({ kind: "stretch", seconds: settings.hold }, base));
        } else {
          plan.push(Object.assign({ kind: "hold", seconds: settings.hold }, base));
        }
        if (rep < settings.repetitions) {
          plan.push(Object.assign({ kind: "rest", seconds: settings.rest }, base));
        }
      }
      if (index < sides.length - 1) {
        plan.push({ kind: "switch", seconds: Math.max(settings.rest, SWITCH_SECONDS), rep: settings.repetitions, side: side, next: sides[index + 1] });
      }
    }
    return plan.filter(function (phase) { return phase.seconds > 0; });
  }

  function finishedText(sides) {
    if (sides.length > 1) {
      return "Left and right sides finished.";
    }
    return SIDE_LABELS[sides[0]] + " finished.";
  }

  /* One screen lock for the page, wanted while a timer (or the routine) runs; released on pause and on leaving. */
  var awake = { wanted: false, lock: null, pending: false };

  function keepAwake(on) {
    awake.wanted = on;
    try {
      if (on && !awake.lock && !awake.pending && navigator.wakeLock) {
        awake.pending = true;
        navigator.wakeLock.request("screen").then(function (lock) {
          awake.pending = false;
          if (!awake.wanted) {
            lock.release();
            return;
          }
          awake.lock = lock;
          lock.addEventListener("release", function () {
            if (awake.lock === lock) {
              awake.lock = null;
            }
          });
        }, function () {
          awake.pending = false;
        });
      } else if (!on && awake.lock) {
        var lock = awake.lock;
        awake.lock = null;
        lock.release();
      }
    } catch (error) {
      awake.pending = false;
      awake.lock = null;
    }
  }

  document.addEventListener("visibilitychange", function () {
    // The browser drops the screen lock while the tab is hidden; ask again on return.
    if (document.visibilityState === "visible" && awake.wanted && !awake.lock) {
      keepAwake(true);
    }
  });
  window.addEventListener("pagehide", function () {
    keepAwake(false);
  });

  function Timer(root) {
    var settings = {
      technique: root.getAttribute("data-technique"),
      hold: number(root, "hold"),
      contract: number(root, "contract"),
      relax: number(root, "relax"),
      rest: number(root, "rest"),
      repetitions: Math.max(1, number(root, "repetitions")),
      sides: root.getAttribute("data-sides"),
      side: root.getAttribute("data-side"),
      leadIn: number(root, "lead-in")
    };
    var managed = root.hasAttribute("data-managed");
    var sides = sidesToTime(settings);
    var plan = buildPlan(settings);
    var els = {
      display: root.querySelector("[data-timer-display]"),
      phase: root.querySelector("[data-timer-phase]"),
      instruction: root.querySelector("[data-timer-instruction]"),
      seconds: root.querySelector("[data-timer-seconds]"),
      progress: root.querySelector("[data-timer-progress]"),
      step: root.querySelector("[data-timer-step]"),
      live: root.querySelector("[data-timer-announce]"),
      toggle: root.querySelector("[data-timer-toggle]"),
      reset: root.querySelector("[data-timer-reset]")
    };
    var state = "ready";
    var index = 0;
    var endsAt = 0;
    var remainingMs = 0;
    var interval = null;

    function announce(text) {
      els.live.textContent = text;
    }

    function stepText(phase) {
      if (phase.kind === "ready") {
        return "First: " + SIDE_LABELS[phase.side].toLowerCase();
      }
      if (phase.kind === "switch") {
        return "Next: " + SIDE_LABELS[phase.next].toLowerCase();
      }
      return SIDE_LABELS[phase.side] + ": repetition " + phase.rep + " of " + settings.repetitions;
    }

    function show(phase, msLeft) {
      els.phase.textContent = PHASES[phase.kind].name;
      els.instruction.textContent = PHASES[phase.kind].instruction;
      els.seconds.textContent = String(Math.max(0, Math.ceil(msLeft / 1000)));
      els.progress.max = phase.seconds;
      els.progress.value = phase.seconds - msLeft / 1000;
      els.step.textContent = stepText(phase);
    }

    function enterPhase(announceIt) {
      var phase = plan[index];
      show(phase, phase.seconds * 1000);
      els.display.classList.remove("is-changing");
      void els.display.offsetWidth; // restart the highlight animation (skipped with reduced motion, in CSS)
      els.display.classList.add("is-changing");
      if (announceIt) {
        announce(PHASES[phase.kind].name + " for " + phase.seconds + " seconds. " + PHASES[phase.kind].instruction + " " + stepText(phase) + ".");
      }
    }

    function holdScreenAwake(on) {
      if (!managed) {
        keepAwake(on);
      }
    }

    function changed() {
      root.dispatchEvent(new CustomEvent("holdtimer:state", { bubbles: true, detail: { state: state } }));
    }

    function stopTicking() {
      if (interval !== null) {
        clearInterval(interval);
        interval = null;
      }
    }

    function finish() {
      stopTicking();
      state = "done";
      holdScreenAwake(false);
      els.phase.textContent = "Done";
      els.instruction.textContent = "All done. Rest now, and avoid heavy use of this muscle until the morning.";
      els.seconds.textContent = "0";
      els.progress.value = els.progress.max;
      els.step.textContent = finishedText(sides);
      els.toggle.textContent = "Start again";
      if (managed) {
        els.instruction.textContent = "Well done: this stretch is finished.";
      } else {
        announce("All done. Rest now, and avoid heavy use of this muscle until the morning.");
      }
      changed();
      root.dispatchEvent(new CustomEvent("holdtimer:finish", { bubbles: true }));
    }

    function tick() {
      var now = Date.now();
      var moved = false;
      // Catch up phase by phase, so a throttled background tab still lands in the right place.
      while (now >= endsAt) {
        index += 1;
        if (index >= plan.length) {
          finish();
          return;
        }
        endsAt += plan[index].seconds * 1000;
        moved = true;
      }
      if (moved) {
        enterPhase(true);
      }
      show(plan[index], endsAt - now);
    }

    function run() {
      state = "running";
      els.toggle.textContent = "Pause";
      els.reset.disabled = false;
      holdScreenAwake(true);
      stopTicking();
      interval = setInterval(tick, TICK_MS);
      changed();
    }

    function start() {
      index = 0;
      endsAt = Date.now() + plan[0].seconds * 1000;
      enterPhase(true);
      run();
    }

    function pause() {
      remainingMs = endsAt - Date.now();
      stopTicking();
      holdScreenAwake(false);
      state = "paused";
      els.toggle.textContent = "Resume";
      announce("Paused. " + Math.ceil(remainingMs / 1000) + " seconds left of " + PHASES[plan[index].kind].name.toLowerCase() + ".");
      changed();
    }

    function resume() {
      endsAt = Date.now() + remainingMs;
      announce("Resumed. " + PHASES[plan[index].kind].name + ".");
      run();
    }

    function reset(quietly) {
      var wasReady = state === "ready";
      stopTicking();
      holdScreenAwake(false);
      state = "ready";
      index = 0;
      showReady();
      els.toggle.textContent = "Start";
      els.reset.disabled = true;
      if (!quietly) {
        announce("Timer reset.");
      }
      if (!wasReady) {
        changed();
      }
    }

    function showReady() {
      var first = plan[0].kind === "ready" && plan.length > 1 ? plan[1] : plan[0];
      show(first, first.seconds * 1000);
      els.phase.textContent = "Ready";
      els.instruction.textContent = "Get into position, then press Start.";
    }

    function toggle() {
      if (state === "running") {
        pause();
      } else if (state === "paused") {
        resume();
      } else {
        start();
      }
    }

    els.toggle.addEventListener("click", toggle);
    els.reset.addEventListener("click", function () { reset(false); });

    if (plan.length === 0) {
      return;
    }
    showReady();
    root.holdTimer = {
      toggle: toggle,
      start: start,
      pause: function () { if (state === "running") { pause(); } },
      resume: function () { if (state === "paused") { resume(); } },
      reset: function () { reset(true); },
      state: function () { return state; }
    };
    root.hidden = false;
  }

  window.BackPainHoldTimer = { keepAwake: keepAwake };

  document.querySelectorAll("[data-hold-timer]").forEach(function (root) {
    Timer(root);
  });
})();
