/* Offline queue for visit entries (our own, no library).
 *
 * Every entry is first written to IndexedDB with a client UUID, then sent. If the phone is
 * offline or the POST fails, it stays queued ("Đang chờ gửi (n)") and is sent when the
 * `online` event fires, on the next page load, or on a timer. The server treats the UUID as
 * the idempotency key, so an entry that was stored but whose answer got lost is counted once.
 * Without this script the form posts normally. */
(function () {
  "use strict";
  var DB_NAME = "motcua-outreach", STORE = "queue", RETRY_MS = 30000;
  if (!("indexedDB" in window) || !window.fetch || !window.FormData) return;

  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "uuid" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode), result;
        var req = work(tx.objectStore(STORE));
        if (req) req.onsuccess = function () { result = req.result; };
        tx.oncomplete = function () { db.close(); resolve(result); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }
  var put = function (entry) { return withStore("readwrite", function (s) { return s.put(entry); }); };
  var remove = function (key) { return withStore("readwrite", function (s) { return s.delete(key); }); };
  var all = function () {
    return withStore("readonly", function (s) { return s.getAll(); }).then(function (rows) {
      return (rows || []).sort(function (a, b) { return a.created - b.created; });
    });
  };

  function newUuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function texts() {
    var t = document.getElementById("queue-texts");
    var d = (t && t.dataset) || {};
    return {
      pending: d.pending || "Đang chờ gửi (%(n)s)",
      savedOffline: d.savedOffline || "",
      sent: d.sent || "",
      failed: d.failed || "Không gửi được (%(n)s): ",
    };
  }
  function status(text, ok) {
    var el = document.getElementById("queue-status");
    if (!el) return;
    el.hidden = !text;
    el.textContent = text || "";
    el.classList.toggle("ok", !!ok);
  }
  function render(note) {
    return all().then(function (entries) {
      var t = texts();
      var pending = entries.filter(function (e) { return e.state !== "failed"; });
      var failed = entries.filter(function (e) { return e.state === "failed"; });
      var parts = [];
      if (note) parts.push(note);
      if (pending.length) parts.push(t.pending.replace("%(n)s", pending.length));
      if (failed.length) {
        parts.push(t.failed.replace("%(n)s", failed.length) +
          failed.map(function (e) { return (e.label || "") + " – " + (e.error || ""); }).join("; "));
      }
      status(parts.join(" "), !pending.length && !failed.length);
      return pending.length;
    });
  }

  function csrfToken(entry) {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : entry.csrf;
  }
  function bodyOf(entry) {
    var data = new FormData();
    entry.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
    data.set("csrfmiddlewaretoken", csrfToken(entry));
    if (entry.photo) data.append("photo", entry.photo, entry.photoName || "photo.jpg");
    return data;
  }

  var flushing = null;
  function flush() {
    if (flushing) return flushing;
    var lastAnswer = null;
    flushing = all().then(function (entries) {
      var queue = entries.filter(function (e) { return e.state !== "failed"; });
      function next(i) {
        if (i >= queue.length || navigator.onLine === false) return null;
        var entry = queue[i];
        return fetch(entry.url, {
          method: "POST", body: bodyOf(entry), credentials: "same-origin",
          headers: { "X-Outreach-Queue": "1", "Accept": "application/json" },
        }).then(function (resp) {
          if (resp.ok) {
            return resp.json().then(function (answer) {
              lastAnswer = answer; lastAnswer.uuid = entry.uuid;
              return remove(entry.uuid);
            }).then(function () { return next(i + 1); });
          }
          if (resp.status >= 500 || resp.status === 408 || resp.status === 429) return null; // try later
          // Refused for good (no longer in the member's area, bad data): keep it visible, stop retrying.
          return resp.json().catch(function () { return {}; }).then(function (answer) {
            entry.state = "failed";
            entry.error = answer.message || String(resp.status);
            return put(entry);
          }).then(function () { return next(i + 1); });
        }, function () { return null; }); // network error: keep the entry, try later
      }
      return next(0);
    }).then(function () { return lastAnswer; }).finally(function () { flushing = null; });
    return flushing;
  }

  function onSubmit(event) {
    var form = event.target;
    if (!form.matches("form[data-queue]")) return;
    event.preventDefault();
    var data = new FormData(form), fields = [], photo = null, photoName = "";
    var key = newUuid();
    data.set("client_uuid", key);
    data.set("visited_at", new Date().toISOString());
    data.forEach(function (value, name) {
      if (value instanceof File) {
        if (value.size) { photo = value; photoName = value.name; }
      } else if (name !== "csrfmiddlewaretoken") {
        fields.push([name, value]);
      }
    });
    var entry = {
      uuid: key, url: form.action, fields: fields, photo: photo, photoName: photoName,
      csrf: data.get("csrfmiddlewaretoken"), label: form.dataset.label || "", created: Date.now(), state: "pending",
    };
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    put(entry).then(flush).then(function (answer) {
      if (answer && answer.uuid === key && answer.redirect) {
        window.location.assign(answer.redirect);
        return;
      }
      form.reset();
      return render(texts().savedOffline);
    }).catch(function () {
      // IndexedDB unavailable (private mode): fall back to the plain form post.
      form.removeAttribute("data-queue");
      form.submit();
    }).finally(function () { if (button) button.disabled = false; });
  }

  function start() {
    document.addEventListener("submit", onSubmit);
    window.addEventListener("online", function () {
      flush().then(function (answer) { return render(answer ? texts().sent : ""); });
    });
    render().then(function (pending) {
      if (pending) flush().then(function (answer) { return render(answer ? texts().sent : ""); });
    });
    setInterval(function () {
      all().then(function (entries) {
        if (entries.some(function (e) { return e.state !== "failed"; })) flush().then(function () { return render(); });
      });
    }, RETRY_MS);
    var root = document.getElementById("outreach-root");
    if (root && root.dataset.sw && "serviceWorker" in navigator) {
      navigator.serviceWorker.register(root.dataset.sw, { scope: root.dataset.scope }).catch(function () {});
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
