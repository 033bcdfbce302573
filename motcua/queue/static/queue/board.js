// The display board: draws the office's state, listens to the event stream, plays the chime and the
// call-out. Keeps the last state on screen while the network is down and catches up on reconnect
// (the browser sends Last-Event-ID; a stream we had to re-open sends ?last=).
(function () {
  "use strict";
  var body = document.body;
  var streamUrl = body.dataset.stream;
  var chimeUrl = body.dataset.chime;
  var lastId = parseInt(body.dataset.last || "0", 10) || 0;
  var words = JSON.parse(document.getElementById("board-words").textContent);
  var statusEl = document.getElementById("board-status");
  var callEl = document.getElementById("board-call");
  var soundButton = document.getElementById("board-sound");
  var source = null;
  var lastMessageAt = Date.now();
  var WATCHDOG_MS = 40000; // the server sends a ping every 15 s; silence this long means a dead link

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function callText(call) { return call.code + " → " + words.counter + " " + call.counter; }
  function recentItem(call) {
    var li = el("li", "", callText(call));
    li.dataset.id = String(call.id);
    return li;
  }

  function render(state) {
    var counters = document.getElementById("board-counters");
    counters.replaceChildren.apply(counters, state.counters.map(function (c) {
      var li = el("li");
      li.append(el("span", "counter-name", words.counterTitle + " " + c.number), el("span", "counter-code", c.code || "–"));
      return li;
    }));
    var recent = document.getElementById("board-recent");
    recent.replaceChildren.apply(recent, state.recent.map(recentItem));
    var groups = document.getElementById("board-groups");
    groups.replaceChildren.apply(groups, state.groups.map(function (g) {
      var li = el("li");
      li.append(el("span", "group-name", g.prefix + " · " + g.name), el("span", "group-waiting", String(g.waiting)),
        el("span", "group-wait", g.waiting ? "~" + g.wait_minutes + " " + words.minutes : ""));
      return li;
    }));
    if (state.recent.length && !callEl.dataset.id) callEl.textContent = callText(state.recent[0]);
  }

  // --- sound: browsers play audio only after a click on the page, so a one-time button ------------
  var soundOn = false;
  var playing = false;
  var queue = [];
  var player = new Audio();

  function playNext() {
    if (playing || !queue.length) return;
    var clips = queue.shift();
    playing = true;
    (function step(i) {
      if (i >= clips.length) { playing = false; playNext(); return; }
      player.src = clips[i];
      player.onended = player.onerror = function () { step(i + 1); };
      var started = player.play();
      if (started && started.catch) started.catch(function () { step(i + 1); });
    })(0);
  }
  function announce(call) {
    if (!soundOn) return;
    if (queue.length > 5) queue.shift(); // a burst after a long drop: keep the latest call-outs
    queue.push([chimeUrl, call.speech]);
    playNext();
  }
  function enableSound() {
    soundOn = true;
    soundButton.hidden = true;
    body.dataset.sound = "on";
    queue.push([chimeUrl]);
    playNext();
  }
  soundButton.addEventListener("click", enableSound);
  // A kiosk browser started with --autoplay-policy=no-user-gesture-required needs no click.
  var probe = new Audio(chimeUrl);
  probe.volume = 0;
  var probing = probe.play();
  if (probing && probing.then) {
    probing.then(function () { probe.pause(); soundOn = true; body.dataset.sound = "on"; },
                 function () { soundButton.hidden = false; });
  } else {
    soundButton.hidden = false;
  }

  // --- the stream ---------------------------------------------------------------------------------
  function showOffline(offline) { statusEl.hidden = !offline; body.dataset.online = offline ? "0" : "1"; }
  // The stream ends every few minutes by design and the browser is back within a second: only a
  // reconnect that takes longer than this shows the red line.
  var OFFLINE_AFTER_MS = 3000;
  var offlineTimer = null;
  function maybeOffline() {
    if (offlineTimer === null) offlineTimer = setTimeout(function () { offlineTimer = null; showOffline(true); }, OFFLINE_AFTER_MS);
  }
  function online() {
    if (offlineTimer !== null) { clearTimeout(offlineTimer); offlineTimer = null; }
    showOffline(false);
  }

  function connect() {
    if (source) source.close();
    source = new EventSource(streamUrl + "?last=" + lastId);
    source.onopen = function () { lastMessageAt = Date.now(); online(); };
    source.addEventListener("state", function (e) { lastMessageAt = Date.now(); render(JSON.parse(e.data)); });
    source.addEventListener("ping", function () { lastMessageAt = Date.now(); });
    source.addEventListener("call", function (e) {
      lastMessageAt = Date.now();
      var call = JSON.parse(e.data);
      if (call.id > lastId) lastId = call.id;
      callEl.textContent = callText(call);
      callEl.dataset.id = String(call.id);
      callEl.classList.remove("flash");
      void callEl.offsetWidth; // restart the animation
      callEl.classList.add("flash");
      var recent = document.getElementById("board-recent");
      // The state sent on a reconnect may already list a call that is then replayed as an event.
      if (!recent.querySelector('li[data-id="' + call.id + '"]')) recent.prepend(recentItem(call));
      while (recent.children.length > 8) recent.lastElementChild.remove();
      announce(call);
    });
    source.onerror = function () {
      maybeOffline();
      if (source.readyState === EventSource.CONNECTING) return; // the browser retries by itself
      // CLOSED: the server answered with an error (a proxy's 502, a restart); the browser gives up,
      // so we open a new stream ourselves from the last call we have.
      setTimeout(connect, 2000);
    };
  }
  window.addEventListener("offline", function () { showOffline(true); });
  window.addEventListener("online", function () { connect(); });
  setInterval(function () {
    if (Date.now() - lastMessageAt > WATCHDOG_MS) { showOffline(true); lastMessageAt = Date.now(); connect(); }
  }, 5000);

  function tick() {
    var now = new Date();
    document.getElementById("board-clock").textContent =
      String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0");
  }
  tick();
  setInterval(tick, 10000);
  body.dataset.ready = "1";
  connect();
})();
