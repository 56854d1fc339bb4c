/* The guide's web chat on an advocacy group's page. Embed it with one tag:
 *   <script src="https://GUIDE/chat/widget.js" async></script>
 *
 * This script runs in the host page's JavaScript, where the page's own scripts (analytics,
 * session replay) can read everything. So it draws only a launcher button and a frame: the
 * conversation itself runs in the frame, a document of the guide's origin (/chat/frame, bot/widget/
 * chat.js), which the host page cannot read. Nothing of the conversation, not even its session id,
 * ever passes through this script.
 *
 * Quick exit works from both sides: in the frame (its button, Shift+Esc, Esc twice) the frame blanks
 * itself and navigates the whole window to the neutral site, and tells this script, which hides the
 * page and does the same in case the browser refused the frame's navigation; here (the same keys
 * while the host page has the focus) this script does it.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !script.src || document.querySelector("[data-rights-guide-chat]")) return;
  var widgetUrl = new URL(script.src, document.baseURI);
  var guideOrigin = widgetUrl.origin;
  var base = guideOrigin + widgetUrl.pathname.replace(/\/[^\/]*$/, ""); // https://GUIDE/chat
  var COLOUR = /^#(?:[0-9a-fA-F]{3}){1,2}$/;
  var DOUBLE_ESCAPE_MS = 1500;
  var config = { colours: { primary: "#1d4f91", on_primary: "#ffffff" }, exit_url: "https://www.weather.gov" };
  var frame = null;
  var exiting = false;
  var lastEscape = 0;

  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // The launcher and the frame's box, in a shadow root so that the host page's styles do not reach them.
  var host = el("div", { "data-rights-guide-chat": "" });
  host.hidden = true; // shown once its stylesheet has loaded
  var shadow = host.attachShadow({ mode: "open" });
  var stylesheet = el("link", { rel: "stylesheet", href: base + "/widget.css" });
  stylesheet.addEventListener("load", function () { host.hidden = false; });
  stylesheet.addEventListener("error", function () { host.hidden = false; });
  shadow.appendChild(stylesheet);
  var root = el("aside", { class: "root", "aria-label": "Chat" });
  var box = el("div", { id: "rg-box", class: "box" });
  box.hidden = true;
  var launcher = el("button", { type: "button", class: "launcher", "aria-expanded": "false", "aria-controls": "rg-box" },
    "Chat");
  root.appendChild(box);
  root.appendChild(launcher);
  shadow.appendChild(root);

  function open() {
    if (!frame) {
      frame = el("iframe", { src: base + "/frame", title: "Chat", referrerpolicy: "no-referrer" });
      frame.addEventListener("load", function () {
        if (!box.hidden) frame.contentWindow.postMessage({ rightsGuide: "focus" }, guideOrigin);
      });
      box.appendChild(frame);
    }
    box.hidden = false;
    launcher.hidden = true; // the frame's own button hides it again
    launcher.setAttribute("aria-expanded", "true");
    frame.focus();
    if (frame.contentWindow) frame.contentWindow.postMessage({ rightsGuide: "focus" }, guideOrigin);
  }

  function hide() {
    box.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }

  function leave(event) {
    if (event) { event.preventDefault(); event.stopPropagation(); }
    exiting = true;
    while (shadow.firstChild) shadow.removeChild(shadow.firstChild); // the frame and the launcher go at once
    try {
      document.documentElement.style.setProperty("visibility", "hidden", "important"); // and the page
      var referrer = document.createElement("meta");
      referrer.name = "referrer";
      referrer.content = "no-referrer"; // the neutral site is not told where the person came from
      document.head.appendChild(referrer);
    } catch (error) { /* leaving anyway */ }
    window.location.replace(config.exit_url);
  }

  window.addEventListener("message", function (event) {
    if (!frame || event.source !== frame.contentWindow || event.origin !== guideOrigin || !event.data) return;
    if (event.data.rightsGuide === "quick-exit") leave();
    else if (event.data.rightsGuide === "hide") hide();
  });

  window.addEventListener("keydown", function (event) {
    if (exiting || (event.key !== "Escape" && event.key !== "Esc")) return;
    var now = Date.now();
    if (event.shiftKey || now - lastEscape < DOUBLE_ESCAPE_MS) return leave(event);
    lastEscape = now;
  }, true);

  launcher.addEventListener("click", open);

  fetch(base + "/config.json", { credentials: "omit", mode: "cors", referrerPolicy: "no-referrer" })
    .then(function (answer) { return answer.ok ? answer.json() : null; })
    .then(function (loaded) {
      if (!loaded || typeof loaded !== "object") return;
      try {
        var exit = new URL(loaded.exit_url);
        if (exit.protocol === "https:" || exit.protocol === "http:") config.exit_url = exit.href;
      } catch (error) { /* the default stands */ }
      Object.keys(config.colours).forEach(function (key) {
        var value = loaded.colours && loaded.colours[key];
        if (typeof value === "string" && COLOUR.test(value)) host.style.setProperty("--rg-" + key.replace("_", "-"), value);
      });
    })
    .catch(function () { /* the defaults stand */ });

  function mount() {
    if (script.parentNode && script.parentNode !== document.head) script.parentNode.insertBefore(host, script.nextSibling);
    else document.body.appendChild(host);
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);

})();
