"""The web chat widget as a person meets it: a real headless Chromium (Debian's package, driven by
Playwright with the system browser) on an advocacy group's page that embeds the widget with one
script tag, talking to the running guide (Rasa server + action server) over socket.io. The embed
draws a launcher and a frame; the conversation runs in the frame, a document of the guide's origin.

Setup: `apt-get install chromium` and the test extras (playwright, axe-playwright-python); no browser
download. The advocacy group's page is served from another origin (port 5756) that organisation.yml
allows; a second origin (5757) is not allowed.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import re
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from playwright.sync_api import expect, sync_playwright

from bot.server import ROOT, latest_model, start_servers, stop_servers

PORT, ACTIONS_PORT = 5705, 5755
SITE_PORT, OTHER_SITE_PORT = 5756, 5757
GUIDE = f"http://127.0.0.1:{PORT}"
SITE = f"http://127.0.0.1:{SITE_PORT}"
OTHER_SITE = f"http://127.0.0.1:{OTHER_SITE_PORT}"
EXIT_URL = f"{SITE}/neutral.html"
TOKEN = uuid.uuid4().hex
SESSION_SECRET = uuid.uuid4().hex
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DOCS = ROOT / "docs"
DEMO = ROOT / "bot" / "widget" / "demo.html"
REPLY = 30_000  # ms to wait for the guide's reply
SESSION_REQUEST = re.compile(r'"session_request",\{"session_id":"([^"]*)"\}')
USER_UTTERED_SESSION = re.compile(r'"user_uttered",\{"message":"(?:[^"\\]|\\.)*","session_id":"([^"]*)"\}')
FRAME = 'iframe[title="Chat"]'


# --- The guide, the advocacy group's site and the browser ---------------------------------------

@pytest.fixture(scope="module")
def guide(tmp_path_factory):
    if latest_model() is None:
        pytest.fail("no trained model: `make test` trains one before the tests run")
    scratch = tmp_path_factory.mktemp("widget")
    credentials = scratch / "credentials.yml"
    credentials.write_text("bot.channels.webchat.WebChatInput: {}\n")
    organisation = scratch / "organisation.yml"
    organisation.write_text(
        'name: "Example Legal Aid"\n'
        'referral_contacts:\n  - {name: "Example intake line", phone: "860-555-0100", hours: "Mon-Fri 9-5"}\n'
        f'allowed_origins: ["{SITE}"]\n'
        f'exit_url: "{EXIT_URL}"\n')
    processes = start_servers(PORT, ACTIONS_PORT, log_dir=scratch, credentials=credentials, extra_env={
        "RIGHTSGUIDE_DATABASE_URL": f"sqlite:///{scratch / 'conversations.db'}",
        "ORGANISATION_CONFIG": str(organisation), "RASA_AUTH_TOKEN": TOKEN, "WEBCHAT_SESSION_SECRET": SESSION_SECRET})
    yield {"logs": scratch}
    stop_servers(processes)


def site_handler():
    demo = DEMO.read_text().replace("http://127.0.0.1:5005", GUIDE)
    pages = {
        "/demo.html": demo,
        "/start.html": "<!doctype html><html lang=en><title>Start</title><h1>Start</h1>",
        "/neutral.html": "<!doctype html><html lang=en><title>Weather</title><h1>Today's forecast</h1>",
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            path = self.path.split("?")[0]
            if path not in pages:
                self.send_error(404)
                return
            if path == "/neutral.html":
                time.sleep(1.0)  # long enough to see the page blanked before the exit page arrives
            body = pages[path].encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture(scope="module")
def sites():
    servers = [ThreadingHTTPServer(("127.0.0.1", port), site_handler()) for port in (SITE_PORT, OTHER_SITE_PORT)]
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers]
    for thread in threads:
        thread.start()
    yield
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (make test does it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser, guide, sites):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.set_default_timeout(REPLY)
    return page


class SocketTap:
    """Routes the page's WebSocket through the test: records what the page sends, can send the page
    a frame as if from the guide, and can cut the connection (socket.io then reconnects)."""

    def __init__(self):
        self.routes = []
        self.from_page = []
        self.upgraded = 0

    def __call__(self, route):
        server = route.connect_to_server()

        def page_to_server(message):
            self.from_page.append(message)
            if message == "5":  # engine.io: the upgrade to WebSocket is complete
                self.upgraded += 1
            server.send(message)

        route.on_message(page_to_server)
        server.on_message(lambda message: route.send(message))
        self.routes.append(route)


def wait_until(page, condition, seconds=REPLY / 1000, what="condition"):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        page.wait_for_timeout(100)


def record_traffic(page):
    """Everything the page sends to the guide over HTTP (socket.io polling) and WebSocket."""
    traffic = {"urls": [], "bodies": []}
    page.on("request", lambda request: (traffic["urls"].append(request.url),
                                        traffic["bodies"].append(request.post_data or "")))
    page.on("websocket", lambda ws: (traffic["urls"].append(ws.url),
                                     ws.on("framesent", lambda payload: traffic["bodies"].append(str(payload)))))
    return traffic


def chat(page):
    """The conversation: in the frame the embed draws on a site's page."""
    return page.frame_locator(FRAME)


def chat_document(page):
    """The frame's document, for what a test reads inside it (the host page itself cannot)."""
    return next(frame for frame in page.frames if frame.url.startswith(f"{GUIDE}/chat/frame"))


def open_widget(page, url=f"{SITE}/demo.html"):
    page.goto(url)
    launcher = page.get_by_role("button", name="Chat", exact=True)
    launcher.click()
    expect(chat(page).get_by_role("main", name=re.compile("."))).to_be_visible()  # named by its heading
    expect(launcher).to_be_hidden()
    expect(chat(page).get_by_role("textbox", name="Your message")).to_be_focused()
    return chat(page).get_by_role("log")


def say(where, text):
    """Type and send a message: `where` is the page at /chat, or chat(page) for the frame."""
    box = where.get_by_role("textbox", name="Your message")
    box.fill(text)
    box.press("Enter")


def host_shadow_eval(page, body):
    return page.evaluate("() => { const root = document.querySelector('[data-rights-guide-chat]').shadowRoot; "
                         + body + " }")


def run_async(coroutine):
    """asyncio.run in a thread of its own: Playwright's sync API keeps an event loop in this one."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def tracker(session_id):
    """The conversation of a widget's session: stored under a keyed hash of the session id."""
    from bot.converse import webchat_conversation_id

    url = f"{GUIDE}/conversations/{webchat_conversation_id(SESSION_SECRET, session_id)}/tracker?token={TOKEN}"
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


# --- A conversation ---------------------------------------------------------------------------------

def test_a_survivor_holds_a_conversation_that_ends_in_a_cited_answer_choosing_by_keyboard(page):
    log = open_widget(page)
    expect(log).to_have_attribute("aria-live", "polite")
    say(chat(page), "hi i have a prostitution charge from 2018 when my bf was selling me. can it go away")
    expect(log).to_contain_text("not a lawyer", timeout=REPLY)
    expect(log).to_contain_text("convicted", timeout=REPLY)
    expect(log).to_contain_text("hi i have a prostitution charge")  # her own words, in the transcript

    # The choices are real buttons; from the transcript, Tab reaches the first and Enter picks it.
    choices = chat(page).get_by_role("group", name="Choose a reply").get_by_role("button")
    expect(choices).to_have_text(["Yes, in a CT adult court", "Yes, in juvenile court", "Yes, in another state",
                                  "Yes, in federal court", "No: still open or dismissed", "Not sure"])
    log.focus()
    page.keyboard.press("Tab")
    expect(chat(page).get_by_role("button", name="Yes, in a CT adult court")).to_be_focused()
    page.keyboard.press("Enter")
    expect(log.locator(".msg.user").last).to_have_text("You: Yes, in a CT adult court")
    expect(chat(page).get_by_role("textbox", name="Your message")).to_be_focused()  # focus goes back to typing

    # "my bf was selling me" already said she was trafficked: the answer comes without another question.
    expect(log).to_contain_text("must vacate", timeout=REPLY)
    expect(log).to_contain_text("CGS 54-95c(a), (d)(1)", timeout=REPLY)
    expect(chat(page).get_by_role("button", name="What to do next")).to_be_visible()
    page.screenshot(path=str(DOCS / "widget-desktop.png"))


def test_the_summary_for_a_lawyer_is_printed_from_the_pages_memory_alone(page, context):
    log = open_widget(page)
    say(chat(page), "client has a class C felony conviction in CT superior court, her trafficker forced her. vacatur?")
    expect(log).to_contain_text("may vacate", timeout=REPLY)
    chat(page).get_by_role("button", name="Summary for a lawyer").click()
    expect(log).to_contain_text("SUMMARY FOR A LAWYER", timeout=REPLY)
    frame = chat_document(page)
    frame.evaluate("() => { window.print = () => { window.__printed = [document.body.className, "
                   "document.querySelector('.print-summary').textContent]; }; }")
    chat(page).get_by_role("button", name="Print this summary").click()
    body_class, printed = frame.evaluate("() => window.__printed")
    assert "printing-summary" in body_class
    assert printed.startswith("SUMMARY FOR A LAWYER") and "Court: a Connecticut adult criminal court" in printed
    frame.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    assert frame.evaluate("() => document.querySelector('.print-summary').textContent") == ""
    assert frame.evaluate("() => localStorage.length + sessionStorage.length") == 0
    assert frame.evaluate("() => document.cookie") == ""


def test_nothing_of_the_conversation_is_kept_on_the_device_and_the_session_id_is_never_in_a_url(page, context, guide):
    traffic = record_traffic(page)
    log = open_widget(page)
    say(chat(page), "can a conviction be vacated")
    expect(log).to_contain_text("convicted", timeout=REPLY)
    say(chat(page), "yes")
    expect(log).to_contain_text("Was the conviction in a Connecticut adult court?", timeout=REPLY)

    sent = " ".join(traffic["bodies"])
    session_ids = set(SESSION_REQUEST.findall(sent)) | set(USER_UTTERED_SESSION.findall(sent))
    assert len(session_ids) == 1, session_ids
    session_id = session_ids.pop()
    assert re.fullmatch(r"[0-9a-f]{32}", session_id)  # 128 random bits
    assert tracker(session_id)["latest_message"]["text"] == "yes"  # it is the conversation's id on the guide
    assert not any(session_id in url for url in traffic["urls"] + [page.url])

    for document in (page, chat_document(page)):  # the site's page and the guide's frame
        stored = document.evaluate("""async () => ({
            local: localStorage.length, session: sessionStorage.length, cookies: document.cookie,
            databases: (await indexedDB.databases()).length, caches: (await caches.keys()).length,
            workers: (await navigator.serviceWorker.getRegistrations()).length})""")
        assert stored == {"local": 0, "session": 0, "cookies": "", "databases": 0, "caches": 0, "workers": 0}
    assert context.cookies() == []
    state = context.storage_state(indexed_db=True)
    assert state["cookies"] == [] and all(not o.get("localStorage") and not o.get("indexedDB")
                                          for o in state["origins"])
    for log_file in guide["logs"].glob("*.log"):  # nor does the session id reach the guide's logs
        assert session_id not in log_file.read_text(errors="replace"), log_file.name


def test_the_host_pages_scripts_cannot_read_the_conversation_or_its_session_id(page):
    """The site's own scripts (analytics, session replay) run in the page that embeds the widget: the
    conversation is in a frame of the guide's origin, which they cannot read."""
    traffic = record_traffic(page)
    log = open_widget(page)
    say(chat(page), "my secret words for the guide")
    expect(log).to_contain_text("my secret words", timeout=REPLY)
    expect(log.locator(".msg.bot").first).to_be_visible(timeout=REPLY)
    session_id = SESSION_REQUEST.findall(" ".join(traffic["bodies"]))[0]
    seen = page.evaluate("""() => {
        const root = document.querySelector('[data-rights-guide-chat]').shadowRoot;
        const frame = root.querySelector('iframe');
        let inside;
        try { inside = frame.contentWindow.document.body.innerText; } catch (error) { inside = error.name; }
        return {page: document.documentElement.outerHTML + root.innerHTML, inside: inside,
                contentDocument: frame.contentDocument === null};
    }""")
    assert seen["inside"] == "SecurityError" and seen["contentDocument"]
    assert "my secret words" not in seen["page"] and session_id not in seen["page"]
    assert "my secret words" in chat_document(page).evaluate("() => document.body.innerText")  # it is there


def test_hostile_text_is_shown_as_text_and_only_http_links_become_links(page):
    tap = SocketTap()
    page.route_web_socket(re.compile(r"/chat/socket\.io/"), tap)
    log = open_widget(page)
    hostile = "<img src=x onerror=window.__xss=1>"
    say(chat(page), hostile)
    expect(log.locator(".msg.user").last).to_have_text("You: " + hostile)
    # the guide does not echo it: it offers what it can help with (worded by whether it read words as facts)
    expect(log).to_contain_text(re.compile("Which is closest|not able to help"), timeout=REPLY)
    wait_until(page, lambda: tap.upgraded, what="the WebSocket upgrade")

    # So the test sends the page, over its socket, what a guide that echoed hostile text would send.
    message = {"text": "<img src=x onerror=window.__xss=2><script>window.__xss=3</script> "
                       "[click me](javascript:window.__xss=4) [law](https://www.cga.ct.gov/current/pub/chap_961.htm)"
                       " and http://example.org/a.",
               "quick_replies": [{"title": "<b onmouseover=window.__xss=5>Yes</b>", "payload": "/affirm"}]}
    tap.routes[-1].send("42" + json.dumps(["bot_uttered", message]))
    last = log.locator(".msg.bot").last
    expect(last).to_contain_text("<img src=x onerror=window.__xss=2><script>window.__xss=3</script>")
    expect(last).to_contain_text("[click me](javascript:window.__xss=4)")
    chat(page).get_by_role("button", name="<b onmouseover=window.__xss=5>Yes</b>").hover()
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__xss") is None
    assert chat_document(page).evaluate("() => window.__xss") is None
    found = chat_document(page).evaluate("""() => { const root = document; return {
        elements: root.querySelectorAll('.log img, .log script, .log b, .log iframe').length,
        links: [...root.querySelectorAll('.log a')].map(a => [a.textContent, a.getAttribute('href'), a.rel, a.target])}; }""")
    assert found["elements"] == 0
    assert found["links"] == [
        ["law (opens in a new tab)", "https://www.cga.ct.gov/current/pub/chap_961.htm", "noopener noreferrer", "_blank"],
        ["http://example.org/a (opens in a new tab)", "http://example.org/a", "noopener noreferrer", "_blank"]]


# --- Accessibility ------------------------------------------------------------------------------------

def axe_violations(document):
    """axe-core's violations in one document (the site's page, or the guide's frame: each is audited)."""
    from axe_playwright_python.sync_playwright import Axe
    results = Axe().run(document, options={"resultTypes": ["violations"], "iframes": False}).response
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in results["violations"]]


def test_the_widget_passes_an_axe_audit_and_every_control_has_a_name(page):
    log = open_widget(page)
    say(chat(page), "can a conviction be vacated")
    expect(chat(page).get_by_role("button", name="Yes, in a CT adult court")).to_be_visible(timeout=REPLY)
    for document in (page, chat_document(page)):
        violations = axe_violations(document)
        assert [v for v in violations if v[1] in ("serious", "critical")] == []
        assert violations == []  # nothing moderate or minor either
    expect(log).to_have_attribute("role", "log")
    for name in ("Quick exit", "Hide chat", "Send", "Yes, in a CT adult court", "No: still open or dismissed", "Not sure"):
        expect(chat(page).get_by_role("button", name=name, exact=True)).to_be_visible()
    names = chat_document(page).evaluate(
        "() => [...document.querySelectorAll('button, textarea, a, summary')].map(e => e.getAttribute('aria-label') "
        "|| (e.labels && e.labels[0] && e.labels[0].textContent) || e.textContent.trim())")
    assert all(names), names
    # Hiding the chat returns focus to the launcher; the conversation is still there when it reopens.
    chat(page).get_by_role("button", name="Hide chat").click()
    launcher = page.get_by_role("button", name="Chat", exact=True)
    expect(launcher).to_be_focused()
    launcher.press("Enter")
    expect(log).to_contain_text("convicted")
    expect(chat(page).get_by_role("textbox", name="Your message")).to_be_focused()


def test_at_320_pixels_wide_the_widget_fits_and_passes_the_audit(browser, guide, sites):
    context = browser.new_context(viewport={"width": 320, "height": 640}, device_scale_factor=2)
    try:
        page = context.new_page()
        page.set_default_timeout(REPLY)
        log = open_widget(page)
        say(chat(page), "can a conviction be vacated")
        expect(chat(page).get_by_role("button", name="Yes, in a CT adult court")).to_be_visible(timeout=REPLY)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
        assert chat_document(page).evaluate("() => document.documentElement.scrollWidth") <= 320
        for control in ("Quick exit", "Hide chat", "Send", "Yes, in a CT adult court", "No: still open or dismissed", "Not sure"):
            box = chat(page).get_by_role("button", name=control, exact=True).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 320, control
        assert log.bounding_box()["width"] <= 320
        for document in (page, chat_document(page)):
            assert [v for v in axe_violations(document) if v[1] in ("serious", "critical")] == []
        page.screenshot(path=str(DOCS / "widget-320.png"))
    finally:
        context.close()


def test_the_guides_own_page_at_chat_holds_the_widget(page):
    headers = {}
    page.on("response", lambda r: headers.update(r.headers) if r.url.rstrip("/") == f"{GUIDE}/chat" else None)
    page.goto(f"{GUIDE}/chat")
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["referrer-policy"] == "no-referrer"
    assert page.title() == "Chat"  # neutral in the browser's history
    expect(page.get_by_role("heading", level=1)).to_have_text("Example Legal Aid")
    expect(page.get_by_role("button", name="Quick exit")).to_be_visible()
    say(page, "what counts as trafficking in ct")
    expect(page.get_by_role("log")).to_contain_text("CGS 53a-192a(a)", timeout=REPLY)
    expect(page.get_by_role("button", name="Hide chat")).to_have_count(0)  # nothing to hide it into
    assert [v for v in axe_violations(page) if v[1] in ("serious", "critical")] == []
    assert page.evaluate("() => localStorage.length + sessionStorage.length + document.cookie.length") == 0


# --- Quick exit -----------------------------------------------------------------------------------------

def leave_by(page, action):
    page.goto(f"{SITE}/start.html")
    log = open_widget(page)
    say(chat(page), "can a conviction be vacated")
    expect(log).to_contain_text("convicted", timeout=REPLY)
    # What the page looks like the moment the widget empties, before the neutral page arrives.
    seen = []
    page.on("console", lambda message: seen.append(message.text) if message.text.startswith("blank:") else None)
    host_shadow_eval(page, """new MutationObserver(() => { if (!root.childElementCount) console.log('blank:' +
        getComputedStyle(document.documentElement).visibility + ':' + root.querySelectorAll('iframe').length);
    }).observe(root, {childList: true});""")
    action(page)
    page.wait_for_url(EXIT_URL)
    assert seen == ["blank:hidden:0"]  # at once: the frame with the transcript gone, the whole page hidden
    expect(page.get_by_role("heading")).to_have_text("Today's forecast")
    assert page.evaluate("() => document.referrer") == ""  # the neutral site is not told where from
    page.go_back()
    assert page.url == f"{SITE}/start.html"  # Back skips the page that held the chat


def test_quick_exit_by_the_button_replaces_the_page(page):
    expect_note = "does not erase your browser history"
    page.goto(f"{SITE}/demo.html")
    page.get_by_role("button", name="Chat", exact=True).click()
    expect(chat(page).get_by_role("button", name="Quick exit")).to_have_accessible_description(
        re.compile(expect_note))
    leave_by(page, lambda p: chat(p).get_by_role("button", name="Quick exit").click())


def test_quick_exit_by_escape_twice_on_the_page_itself_replaces_the_page(page):
    def escape_twice_outside_the_chat(p):
        p.locator("h1").click()  # the focus leaves the frame, back to the site's page
        p.keyboard.press("Escape")
        p.keyboard.press("Escape")
    leave_by(page, escape_twice_outside_the_chat)


def test_quick_exit_by_escape_twice_replaces_the_page(page):
    def escape_twice(p):
        p.keyboard.press("Escape")
        p.keyboard.press("Escape")
    leave_by(page, escape_twice)


def test_quick_exit_by_shift_escape_replaces_the_page(page):
    leave_by(page, lambda p: p.keyboard.press("Shift+Escape"))


# --- Reconnection and origins ---------------------------------------------------------------------------

def test_a_reconnection_keeps_the_conversation_and_its_form(page):
    tap = SocketTap()
    page.route_web_socket(re.compile(r"/chat/socket\.io/"), tap)
    traffic = record_traffic(page)
    log = open_widget(page)
    say(chat(page), "can a conviction be vacated")
    expect(log).to_contain_text("convicted", timeout=REPLY)
    wait_until(page, lambda: tap.upgraded, what="the WebSocket upgrade")

    tap.routes[-1].close()  # the connection drops, as on a flaky network
    wait_until(page, lambda: tap.upgraded >= 2, what="socket.io to reconnect")
    expect(chat(page).locator(".status")).to_have_text("")  # "Reconnecting…" came and went

    chat(page).get_by_role("button", name="Yes, in a CT adult court").click()
    expect(log).to_contain_text("What was the conviction for?", timeout=REPLY)  # the form went on

    sent = " ".join(traffic["bodies"] + tap.from_page)
    requests = SESSION_REQUEST.findall(sent)
    assert len(requests) >= 2 and len(set(requests)) == 1  # each connection asked for the same session
    assert set(USER_UTTERED_SESSION.findall(sent)) == set(requests)
    conversation = tracker(requests[0])
    assert conversation["active_loop"].get("name")  # the screening form is still running
    said = [e["text"] for e in conversation["events"] if e["event"] == "user"]
    assert said == ["can a conviction be vacated", '/inform{"conviction": "convicted", "court": "connecticut_adult"}']


def handshake(origin=None):
    request = urllib.request.Request(f"{GUIDE}/chat/socket.io/?EIO=4&transport=polling",
                                     headers={"Origin": origin} if origin else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def test_only_the_configured_origins_may_connect(page, guide):
    assert handshake(OTHER_SITE)[0] == 400
    assert handshake("https://evil.example")[0] == 400
    status, headers = handshake(SITE)
    assert status == 200 and headers["Access-Control-Allow-Origin"] == SITE
    assert handshake(GUIDE)[0] == 200  # the guide's own origin

    import websockets

    async def websocket(origin):
        url = f"ws://127.0.0.1:{PORT}/chat/socket.io/?EIO=4&transport=websocket"
        try:
            async with websockets.connect(url, origin=origin, open_timeout=10) as ws:
                return (await asyncio.wait_for(ws.recv(), 10))[:1]
        except websockets.exceptions.InvalidStatusCode as error:
            return error.status_code

    assert run_async(websocket(OTHER_SITE)) == 400
    assert run_async(websocket(SITE)) == "0"  # engine.io's open packet

    # In the browser: a page the organisation did not allow cannot even show the conversation's frame.
    page.goto(f"{OTHER_SITE}/demo.html")
    page.get_by_role("button", name="Chat", exact=True).click()
    page.wait_for_timeout(2000)
    expect(chat(page).get_by_role("textbox", name="Your message")).to_have_count(0)
    assert not any(frame.url.startswith(f"{GUIDE}/chat/frame") and frame.evaluate("() => !!document.body.innerText")
                   for frame in page.frames if frame != page.main_frame)


def test_only_the_guide_and_the_allowed_origins_may_frame_the_conversation(guide):
    frame_policy = urllib.request.urlopen(f"{GUIDE}/chat/frame", timeout=10).headers["Content-Security-Policy"]
    assert f"frame-ancestors 'self' {SITE}" in frame_policy and OTHER_SITE not in frame_policy
    page_policy = urllib.request.urlopen(f"{GUIDE}/chat", timeout=10).headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in page_policy


# --- The channel's own checks, without a browser --------------------------------------------------------

def test_session_request_awaits_an_async_enter_room_and_replaces_a_guessable_id(monkeypatch):
    """python-socketio >= 5.10 made enter_room a coroutine (rasa#13027): the channel awaits it."""
    from bot.channels.webchat import WebChatInput

    monkeypatch.setenv("WEBCHAT_SESSION_SECRET", SESSION_SECRET)
    channel = WebChatInput.from_credentials({})
    received = []

    async def on_new_message(message):
        received.append(message)

    channel.blueprint(on_new_message)
    sio = channel.sio
    joined, sessions, emitted = [], {}, []

    async def enter_room(sid, room, namespace=None):  # the >= 5.10 signature: a coroutine
        await asyncio.sleep(0)
        joined.append((sid, room))

    async def save_session(sid, session, namespace=None):
        sessions[sid] = session

    async def get_session(sid, namespace=None):
        return sessions[sid]  # KeyError for a socket that never asked for a session, as python-socketio

    async def emit(event, data=None, room=None, namespace=None, **kwargs):
        emitted.append((event, data, room))

    monkeypatch.setattr(sio, "enter_room", enter_room)
    monkeypatch.setattr(sio, "save_session", save_session)
    monkeypatch.setattr(sio, "get_session", get_session)
    monkeypatch.setattr(sio, "emit", emit)
    handlers = sio.handlers["/"]
    secret = uuid.uuid4().hex

    async def scenario():
        await handlers["session_request"]("sid-1", {"session_id": secret})
        await handlers["session_request"]("sid-2", {"session_id": "1"})  # guessable: replaced
        await handlers["user_uttered"]("sid-1", {"message": "hi", "session_id": secret})
        await handlers["user_uttered"]("sid-2", {"message": "let me in", "session_id": secret})  # not its session
        await handlers["user_uttered"]("sid-3", {"message": "no session yet", "session_id": secret})

    run_async(scenario())
    from bot.channels.webchat import conversation_id_for
    assert joined[0] == ("sid-1", conversation_id_for(SESSION_SECRET, secret))
    replaced = next(data for event, data, room in emitted if event == "session_confirm" and room == "sid-2")
    assert replaced != "1" and re.fullmatch(r"[0-9a-f]{32}", replaced)
    assert joined[1] == ("sid-2", conversation_id_for(SESSION_SECRET, replaced))
    assert ("session_confirm", secret, "sid-1") in emitted
    assert [(m.text, m.sender_id, m.input_channel) for m in received] == [
        ("hi", conversation_id_for(SESSION_SECRET, secret), "webchat")]


def test_the_widget_settings_come_from_organisation_yml_and_are_checked(tmp_path, caplog):
    from bot.channels.webchat import allowed_origins, contrast, widget_config

    settings = {"name": "Safe Harbor", "colours": {"primary": "#ffd700", "exit": "red; background:url(x)"},
                "exit_url": "javascript:alert(1)",
                "referral_contacts": [{"name": "Safe Harbor intake", "phone": "860-555-0100"}],
                "allowed_origins": ["https://safeharbor.example.org/", "*", "ftp://x", "http://localhost:8080"]}
    config = widget_config(settings)
    assert config["name"] == "Safe Harbor"
    assert config["colours"]["primary"] == "#ffd700" and config["colours"]["on_primary"] == "#0b0c0c"
    assert contrast(config["colours"]["primary"], config["colours"]["on_primary"]) >= 4.5
    assert config["colours"]["exit"] == "#b3261e"  # not a colour: the default
    assert config["exit_url"] == "https://www.weather.gov"
    assert [c["name"] for c in config["contacts"]][:2] == ["Safe Harbor intake", "Emergency"]
    assert "allowed_origins" not in config
    assert allowed_origins(settings) == ["https://safeharbor.example.org", "http://localhost:8080"]
    defaults = widget_config({})
    assert defaults["name"] and defaults["exit_url"] == "https://www.weather.gov"
    assert contrast(defaults["colours"]["primary"], defaults["colours"]["on_primary"]) >= 4.5
    assert contrast(defaults["colours"]["exit"], defaults["colours"]["on_exit"]) >= 4.5
