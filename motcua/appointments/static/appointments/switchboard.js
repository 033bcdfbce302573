// The switchboard simulator: plays the webhook's prompts and sends key presses, signed by the server.
(function () {
  "use strict";
  const root = document.getElementById("switchboard");
  if (!root) return;
  const $ = (id) => document.getElementById(id);
  const csrf = root.dataset.csrf;
  const keys = Array.from(root.querySelectorAll(".sb-key"));
  let gather = null; // {max_digits, timeout, finish_on_key}
  let typed = "";
  let live = false;
  let seq = 0; // the provider numbers each request of a call
  let busy = Promise.resolve();
  const audio = new Audio();
  let queue = [];

  function log(text, mine) {
    const item = document.createElement("li");
    item.textContent = text;
    if (mine) item.className = "sb-you";
    $("sb-log").appendChild(item);
    item.scrollIntoView({ block: "nearest" });
  }

  function playNext() {
    const url = queue.shift();
    if (!url) return;
    audio.src = url;
    audio.play().catch(() => { queue = []; });
  }
  audio.addEventListener("ended", playNext);

  function setLive(on) {
    live = on;
    keys.forEach((k) => { k.disabled = !on; });
    $("sb-timeout").disabled = !on;
    $("sb-hangup").disabled = !on;
    $("sb-call").disabled = on;
    $("sb-caller").readOnly = on;
  }

  async function send(event, digits) {
    const body = JSON.stringify({ call_id: root.dataset.call, caller: $("sb-caller").value.trim(), digits: digits || "", event: event, seq: ++seq });
    const signed = await fetch(root.dataset.sign, { method: "POST", body: body, headers: { "X-CSRFToken": csrf, "Content-Type": "application/json" }, credentials: "same-origin" });
    const sig = await signed.json();
    if (!signed.ok) { log(sig.message || "?"); return; }
    const res = await fetch(root.dataset.webhook, {
      method: "POST", body: body,
      headers: { "Content-Type": "application/json", "X-Switchboard-Timestamp": sig.timestamp, "X-Switchboard-Signature": sig.signature },
    });
    const answer = await res.json();
    if (!res.ok) { log(answer.code + ": " + answer.message); setLive(false); return; }
    root.dataset.state = answer.state;
    gather = null;
    queue = [];
    audio.pause();
    for (const action of answer.actions) {
      if (action.text) { log(action.text); if (action.play) queue.push(action.play); }
      if (action.gather) gather = action.gather;
      if (action.transfer) log("→ " + action.transfer.number);
    }
    if ($("sb-play").checked) playNext();
    if (answer.hangup || !gather) {
      setLive(false);
      $("sb-status").textContent = answer.hangup ? "Cuộc gọi đã kết thúc." : "Đang chuyển máy.";
    } else {
      $("sb-status").textContent = "Chờ bấm phím (" + answer.state + ")";
    }
  }

  function enqueue(event, digits) {
    busy = busy.then(() => send(event, digits)).catch((e) => log(String(e)));
    return busy;
  }

  function press(key) {
    if (!live || !gather) return;
    log("☎ " + key, true);
    if (gather.finish_on_key && key === gather.finish_on_key) {
      const digits = typed; typed = ""; $("sb-typed").value = "";
      enqueue("digits", digits + key);
      return;
    }
    typed += key;
    $("sb-typed").value = typed;
    if (typed.length >= gather.max_digits) {
      const digits = typed; typed = ""; $("sb-typed").value = "";
      enqueue("digits", digits);
    }
  }

  keys.forEach((k) => k.addEventListener("click", () => press(k.dataset.key)));
  $("sb-call").addEventListener("click", () => { $("sb-log").textContent = ""; setLive(true); enqueue("start", ""); });
  $("sb-timeout").addEventListener("click", () => { typed = ""; $("sb-typed").value = ""; enqueue("timeout", ""); });
  $("sb-hangup").addEventListener("click", () => { enqueue("hangup", ""); });
})();
