/* The guide's conversation, in the guide's own document: the chat page at /chat, and the frame at
 * /chat/frame that an advocacy group's page shows (widget.js, the one script tag they embed, draws the
 * launcher and the frame). The conversation runs in the guide's origin, never in the host page's
 * JavaScript: the host page's analytics or session-replay scripts cannot read the transcript or the
 * session id.
 *
 * Safety, for someone whose computer may be watched:
 * - nothing is written to localStorage, sessionStorage, cookies or IndexedDB: the conversation and its
 *   session id live in this document's memory and end when the page closes;
 * - the session id (anyone holding it continues the conversation) is 128 random bits from
 *   crypto.getRandomValues, sent only inside the socket, never in a URL;
 * - quick exit (the button, Shift+Esc, or Esc twice) blanks the conversation at once and replaces the
 *   whole page, host page included, with a neutral site (location.replace: Back does not return);
 * - the guide's text is rendered as text; only http(s) links become links.
 *
 * The guide serves this file with the socket.io client in front of it (bot/channels/webchat.py), so
 * `io` below is that bundled client and no global is added.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !script.src || document.querySelector("[data-rights-guide-chat]")) return;
  var socketio = typeof io === "function" ? io : window.io;
  var chatUrl = new URL(script.src, document.baseURI);
  var guideOrigin = chatUrl.origin;
  var prefix = chatUrl.pathname.replace(/\/[^\/]*$/, ""); // "/chat"
  var base = guideOrigin + prefix;
  var framed = document.body.getAttribute("data-layout") === "frame" && window.parent !== window;
  var SESSION_ID = /^[0-9a-f]{32}$/;
  var COLOUR = /^#(?:[0-9a-fA-F]{3}){1,2}$/;
  var DOUBLE_ESCAPE_MS = 1500;

  var config = {
    name: "Rights guide",
    colours: { primary: "#1d4f91", on_primary: "#ffffff", exit: "#b3261e", on_exit: "#ffffff" },
    exit_url: "https://www.weather.gov",
    contacts: [],
    socketio_path: prefix + "/socket.io"
  };

  // What the conversation needs, in memory only.
  var sessionId = null;
  var socket = null;
  var connecting = false;
  var ready = false;
  var pending = [];
  var exiting = false;
  var lastEscape = 0;

  // --- DOM helpers: text only, never HTML -------------------------------------------------------
  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function safeHref(href) {
    try {
      var url = new URL(href);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch (error) {
      return null; // relative, javascript:, data: and anything unparsable stay text
    }
  }

  // [label](http...) or a bare http(s) URL (without the punctuation that ends a sentence).
  var LINK = /\[([^\]\n]{1,300})\]\(([^()\s]{1,2000})\)|(https?:\/\/[^\s<>"'()\[\]]*[^\s<>"'()\[\].,;:!?])/g;

  function appendText(parent, text) {
    var last = 0;
    var match;
    LINK.lastIndex = 0;
    while ((match = LINK.exec(text)) !== null) {
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      var label = match[1] !== undefined ? match[1] : match[3];
      var href = safeHref(match[1] !== undefined ? match[2] : match[3]);
      if (href) {
        var link = el("a", { href: href, target: "_blank", rel: "noopener noreferrer" }, label);
        link.appendChild(el("span", { class: "visually-hidden" }, " (opens in a new tab)"));
        parent.appendChild(link);
      } else {
        parent.appendChild(document.createTextNode(match[0]));
      }
      last = LINK.lastIndex;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function newSessionId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  }

  // --- The conversation's page ----------------------------------------------------------------------
  var panel = el("main", { class: "panel", "data-rights-guide-chat": "", "aria-labelledby": "rg-title" });
  var header = el("header", { class: "head" });
  var title = el("h1", { id: "rg-title", class: "title" }, config.name);
  var actions = el("div", { class: "head-actions" });
  var exitButton = el("button", { type: "button", class: "exit", "aria-describedby": "rg-exit-note" }, "Quick exit");
  var hideButton = el("button", { type: "button", class: "hide", "aria-label": "Hide chat", title: "Hide chat" }, "\u00d7");
  var exitNote = el("p", { id: "rg-exit-note", class: "exit-note" },
    "Quick exit (or Esc twice) leaves this page at once. It does not erase your browser history.");
  var intro = el("p", { class: "intro" }, "Nothing of this chat is saved on this device. It ends when you close the page.");
  var log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": "Conversation", tabindex: "0" });
  var status = el("p", { class: "status", role: "status" });
  var form = el("form", { class: "compose", "aria-label": "Send a message" });
  var inputLabel = el("label", { for: "rg-input", class: "visually-hidden" }, "Your message");
  // What a person types; a longer message is answered with a request for a shorter one (bot/channels/limits.py).
  var input = el("textarea", { id: "rg-input", rows: "2", maxlength: "1000", autocomplete: "off", placeholder: "Type your question" });
  var sendButton = el("button", { type: "submit", class: "send" }, "Send");
  var footer = el("footer", { class: "foot" });
  var danger = el("p", { class: "danger" }, "In danger now? Call ");
  danger.appendChild(el("a", { href: "tel:911" }, "911"));
  danger.appendChild(document.createTextNode("."));
  var people = el("details", { class: "people" });
  var peopleSummary = el("summary", {}, "Talk to a person");
  var contactList = el("ul", { class: "contacts" });

  actions.appendChild(exitButton);
  if (framed) actions.appendChild(hideButton);
  header.appendChild(title);
  header.appendChild(actions);
  header.appendChild(exitNote);
  form.appendChild(inputLabel);
  form.appendChild(input);
  form.appendChild(sendButton);
  people.appendChild(peopleSummary);
  people.appendChild(contactList);
  footer.appendChild(danger);
  footer.appendChild(people);
  log.appendChild(intro);
  [header, log, status, form, footer].forEach(function (part) { panel.appendChild(part); });
  document.body.appendChild(panel);

  function applyConfig(loaded) {
    if (!loaded || typeof loaded !== "object") return;
    if (typeof loaded.name === "string" && loaded.name.trim()) config.name = loaded.name.trim();
    if (typeof loaded.exit_url === "string" && safeHref(loaded.exit_url)) config.exit_url = safeHref(loaded.exit_url);
    if (typeof loaded.socketio_path === "string" && loaded.socketio_path.charAt(0) === "/") config.socketio_path = loaded.socketio_path;
    if (Array.isArray(loaded.contacts)) config.contacts = loaded.contacts;
    Object.keys(config.colours).forEach(function (key) {
      var value = loaded.colours && loaded.colours[key];
      if (typeof value === "string" && COLOUR.test(value)) config.colours[key] = value;
    });
    title.textContent = config.name;
    Object.keys(config.colours).forEach(function (key) {
      document.documentElement.style.setProperty("--rg-" + key.replace("_", "-"), config.colours[key]);
    });
    renderContacts();
  }

  function renderContacts() {
    while (contactList.firstChild) contactList.removeChild(contactList.firstChild);
    config.contacts.forEach(function (contact) {
      if (!contact || typeof contact.name !== "string" || contact.phone === "911") return;
      var item = el("li", {}, contact.name + ": ");
      var parts = [];
      if (typeof contact.phone === "string") parts.push(["call ", "tel:" + contact.phone.replace(/[^0-9+]/g, ""), contact.phone]);
      if (typeof contact.text === "string") parts.push(["text ", "sms:" + contact.text.replace(/[^0-9+]/g, ""), contact.text]);
      parts.forEach(function (part, index) {
        item.appendChild(document.createTextNode((index ? ", " : "") + part[0]));
        item.appendChild(el("a", { href: part[1] }, part[2]));
      });
      if (typeof contact.hours === "string") item.appendChild(document.createTextNode(" (" + contact.hours + ")"));
      contactList.appendChild(item);
    });
    people.hidden = contactList.children.length === 0;
  }
  renderContacts();
  var configured = fetch(base + "/config.json", { credentials: "omit", referrerPolicy: "no-referrer" })
    .then(function (answer) { return answer.ok ? answer.json() : null; })
    .then(applyConfig)
    .catch(function () { /* the defaults stand */ });

  // --- The conversation -----------------------------------------------------------------------------
  function scrollToEnd() { log.scrollTop = log.scrollHeight; }

  function appendMessage(who, text) {
    var item = el("div", { class: "msg " + who });
    item.appendChild(el("span", { class: "visually-hidden" }, who === "bot" ? "Guide: " : "You: "));
    var body = el("span", { class: "text" });
    if (who === "bot") appendText(body, text); else body.textContent = text;
    item.appendChild(body);
    log.appendChild(item);
    scrollToEnd();
  }

  function removeChoices() {
    Array.prototype.forEach.call(log.querySelectorAll(".choices"), function (group) { group.parentNode.removeChild(group); });
  }

  function renderChoices(replies) {
    var group = el("div", { class: "choices", role: "group", "aria-label": "Choose a reply" });
    replies.forEach(function (reply) {
      if (!reply || typeof reply.title !== "string" || typeof reply.payload !== "string") return;
      var button = el("button", { type: "button", class: "choice" }, reply.title);
      button.addEventListener("click", function () {
        if (reply.payload === "/quick_exit") return quickExit();
        say(reply.payload, reply.title);
        input.focus();
      });
      group.appendChild(button);
    });
    if (group.children.length) {
      removeChoices();
      log.appendChild(group);
      scrollToEnd();
    }
  }

  function renderBotMessage(message) {
    if (exiting || !message || typeof message !== "object") return;
    if (typeof message.text === "string" && message.text) appendMessage("bot", message.text);
    var replies = message.quick_replies || message.buttons;
    if (Array.isArray(replies) && replies.length) renderChoices(replies);
    var custom = message.custom;
    if (custom && typeof custom.lawyer_summary === "string") offerToPrint(custom.lawyer_summary);
  }

  // The summary for a lawyer is printed from this page's memory: it is put in a print-only element
  // for the print dialog and taken out again afterwards. Nothing is saved or downloaded.
  var printArea = el("pre", { class: "print-summary", "aria-hidden": "true" });
  document.body.appendChild(printArea);

  function offerToPrint(summary) {
    var button = el("button", { type: "button", class: "print" }, "Print this summary");
    button.addEventListener("click", function () {
      printArea.textContent = summary;
      document.body.classList.add("printing-summary");
      window.print();
    });
    var item = el("div", { class: "msg bot print-offer" });
    item.appendChild(button);
    log.appendChild(item);
    scrollToEnd();
  }

  window.addEventListener("afterprint", function () {
    document.body.classList.remove("printing-summary");
    printArea.textContent = "";
  });

  function setStatus(text) { status.textContent = text; }

  function deliver(text) {
    if (ready && socket) socket.emit("user_uttered", { message: text, session_id: sessionId });
    else pending.push(text);
  }

  function say(payload, shownAs) {
    if (exiting) return;
    removeChoices();
    appendMessage("user", shownAs);
    connect();
    deliver(payload);
  }

  function connect() {
    if (connecting || exiting) return;
    if (typeof socketio !== "function") { setStatus("The chat could not start. Please try again later."); return; }
    connecting = true;
    sessionId = sessionId || newSessionId();
    configured.then(openSocket); // the socket.io path may come from the settings
  }

  function openSocket() {
    if (exiting) return;
    socket = socketio(guideOrigin, {
      path: config.socketio_path,
      withCredentials: false,
      reconnection: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000
    });
    socket.on("connect", function () {
      ready = false;
      socket.emit("session_request", { session_id: sessionId });
    });
    socket.on("session_confirm", function (confirmed) {
      if (typeof confirmed === "string" && SESSION_ID.test(confirmed)) sessionId = confirmed;
      ready = true;
      setStatus("");
      var waiting = pending;
      pending = [];
      waiting.forEach(deliver);
    });
    socket.on("bot_uttered", renderBotMessage);
    socket.on("disconnect", function () {
      ready = false;
      if (!exiting) setStatus("Connection lost. Reconnecting\u2026");
    });
    socket.on("connect_error", function () {
      if (!exiting) setStatus("The guide cannot be reached right now. Trying again\u2026");
    });
  }

  // --- Quick exit ------------------------------------------------------------------------------------
  function quickExit(event) {
    if (event) { event.preventDefault(); event.stopPropagation(); }
    exiting = true;
    try { if (socket) { socket.off(); socket.disconnect(); } } catch (error) { /* leaving anyway */ }
    socket = null;
    sessionId = null;
    pending = [];
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild); // blank the chat
    document.documentElement.style.setProperty("visibility", "hidden", "important");
    // The page around the frame hides itself and leaves too, in case the browser refuses this frame's
    // navigation of the whole window (it allows it after a click or a key press).
    if (framed) window.parent.postMessage({ rightsGuide: "quick-exit" }, "*");
    try {
      (framed ? window.top : window).location.replace(config.exit_url);
    } catch (error) { /* the page around the frame leaves instead */ }
  }

  window.addEventListener("keydown", function (event) {
    if (exiting || (event.key !== "Escape" && event.key !== "Esc")) return;
    var now = Date.now();
    if (event.shiftKey || now - lastEscape < DOUBLE_ESCAPE_MS) return quickExit(event);
    lastEscape = now;
  }, true);

  // --- Wiring ------------------------------------------------------------------------------------------
  exitButton.addEventListener("click", quickExit);
  hideButton.addEventListener("click", function () {
    window.parent.postMessage({ rightsGuide: "hide" }, "*");
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    say(text, text);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });
  // The page around the frame says when its launcher opened the chat: the person is here to talk.
  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || !event.data || event.data.rightsGuide !== "focus") return;
    input.focus();
    connect();
  });

})();
