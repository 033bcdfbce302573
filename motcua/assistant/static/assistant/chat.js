// The portal's chat box: with script, questions go to the assistant API and answers appear in the
// box; without it, the same form posts to /tro-ly/ and the conversation page answers.
(function () {
  "use strict";
  var box = document.getElementById("tro-ly");
  if (!box || !window.fetch) { return; }
  var form = box.querySelector("form");
  var log = box.querySelector(".chat-log");
  var input = form.querySelector("textarea");
  var button = form.querySelector("button");
  var KEY = "assistant-conversation";

  function stored() {
    try { return window.sessionStorage.getItem(KEY); } catch (e) { return null; }
  }
  function keep(id) {
    try { window.sessionStorage.setItem(KEY, id); } catch (e) { /* private mode: one question at a time */ }
  }
  // The booking flow's numbered choices as buttons: a tap sends the number, as typing it would.
  function buttons(item, choices) {
    if (!choices || !choices.length) { return; }
    var row = document.createElement("span");
    row.className = "chat-choices";
    choices.forEach(function (c) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "chat-choice";
      b.textContent = c.key + ". " + c.label;
      b.addEventListener("click", function () {
        input.value = c.key;
        form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
      });
      row.appendChild(b);
    });
    item.appendChild(row);
  }
  function line(cls, text, procedures, choices) {
    var item = document.createElement("li");
    item.className = cls;
    item.textContent = text;
    // The best procedure with its page and "start a dossier"; the others (a choice, or related) by name.
    (procedures || []).forEach(function (p, i) {
      var links = document.createElement("span");
      links.className = "chat-proc";
      var page = document.createElement("a");
      page.href = p.url;
      page.textContent = p.name;
      links.appendChild(page);
      if (i === 0 && p.start_url) {
        links.appendChild(document.createTextNode(" · "));
        var start = document.createElement("a");
        start.href = p.start_url;
        start.textContent = box.getAttribute("data-start-label") || "Nộp hồ sơ";
        links.appendChild(start);
      }
      item.appendChild(links);
    });
    buttons(item, choices);
    log.appendChild(item);
    item.scrollIntoView({ block: "nearest" });
  }

  form.addEventListener("submit", function (event) {
    var message = input.value.trim();
    if (!message) { return; }
    event.preventDefault();
    button.disabled = true;
    line("chat-q", message);
    fetch(box.getAttribute("data-api"), {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ message: message, conversation: stored() })
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (result.ok) {
        keep(result.body.conversation);
        line("chat-a", result.body.answer, result.body.procedures, result.body.choices);
        input.value = "";
      } else {
        line("chat-a chat-error", result.body.message || "");
      }
    }).catch(function () {
      form.submit();
    }).then(function () {
      button.disabled = false;
      input.focus();
    });
  });
})();
