"""Page weight: bytes over the wire and time to the last chart, in Chromium on a slow network.

Each report page (and the login page) is opened twice in one fresh browser
context, against gunicorn with the production settings: a first load with an
empty cache, then a repeat visit (the same URL again, as a teacher coming back).
Chromium emulates a slow mobile connection through the DevTools protocol
(Lighthouse's "slow 4G": 1.6 Mbps down, 750 kbps up, 150 ms round trip), so the
times are what that link costs, not what this machine costs.

"Transferred" is what crossed the network, headers included (DevTools'
`encodedDataLength`): a response from the browser's cache counts nothing, a
304 counts its headers. "Last chart" is the time from navigation start until
every chart of the page has drawn its SVG (the load event on pages without one).
"""

import os
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
# Lighthouse's mobile throttling: 1.6 Mbps down, 750 kbps up, 150 ms RTT (bytes per second here).
NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}
VIEWPORT = {"width": 390, "height": 844}
FIRST_LOAD_LIMIT, REPEAT_LIMIT = 1_000_000, 100_000  # bytes, the targets of issue 10
# Resolves with the time (ms since navigation start) at which every chart holds its SVG.
CHARTS_DRAWN = """() => {
  const charts = Array.from(document.querySelectorAll('[data-figure]'));
  if (charts.some(el => !el.querySelector('svg.main-svg'))) { return false; }
  if (charts.length === 0 && document.readyState !== 'complete') { return false; }
  const nav = performance.getEntriesByType('navigation')[0];
  return charts.length ? performance.now() : nav.loadEventEnd || performance.now();
}"""


@dataclass(frozen=True)
class Visit:
    """What one page load cost."""

    requests: int
    from_cache: int
    transferred: int
    seconds: float
    charts: int


class Recorder:
    """Count requests and bytes of one page through DevTools' Network events."""

    def __init__(self, cdp) -> None:
        self.requests = self.from_cache = self.transferred = 0
        self._inline: set[str] = set()  # data: and blob: URLs: no request, no bytes
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.requestServedFromCache", self._cached)
        cdp.on("Network.loadingFinished", self._finished)

    def reset(self) -> None:
        self.requests = self.from_cache = self.transferred = 0

    def _sent(self, event: dict) -> None:
        if event["request"]["url"].startswith(("data:", "blob:")):
            self._inline.add(event["requestId"])
        else:
            self.requests += 1

    def _cached(self, event: dict) -> None:
        self.from_cache += event["requestId"] not in self._inline

    def _finished(self, event: dict) -> None:
        self.transferred += int(event.get("encodedDataLength") or 0)


def visit(page, recorder: Recorder, url: str) -> Visit:
    """Open url in page and wait for its charts; return what it cost."""
    recorder.reset()
    page.goto(url, wait_until="load", timeout=180_000)
    drawn_at = page.wait_for_function(CHARTS_DRAWN, polling="raf", timeout=180_000).json_value()
    page.wait_for_load_state("networkidle", timeout=180_000)  # late requests count too
    charts = page.locator("[data-figure]").count()
    return Visit(recorder.requests, recorder.from_cache, recorder.transferred, drawn_at / 1000, charts)


def first_and_repeat(browser, url: str, cookies: list[dict]) -> tuple[Visit, Visit]:
    """Load url in a fresh context (empty cache), then once more; return both visits."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        if cookies:
            context.add_cookies(cookies)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", NETWORK)
        recorder = Recorder(cdp)
        return visit(page, recorder, url), visit(page, recorder, url)
    finally:
        context.close()


def session_cookies(base: str, header: str) -> list[dict]:
    """Turn a Cookie header value into Playwright cookies for base."""
    pairs = (part.split("=", 1) for part in header.split("; ") if "=" in part)
    return [{"name": name, "value": value, "url": base} for name, value in pairs]


def launch(playwright):
    """Start headless Chromium (Debian's), or raise with why it cannot."""
    if not os.path.exists(CHROMIUM):
        raise RuntimeError(f"no Chromium at {CHROMIUM} (scripts/ensure-chromium.sh installs it)")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True)


def verdict(first: Visit, repeat: Visit) -> str:
    """Say whether a page meets the weight targets."""
    missed = []
    if first.transferred >= FIRST_LOAD_LIMIT:
        missed.append("first load >= 1 MB")
    if repeat.transferred >= REPEAT_LIMIT:
        missed.append("repeat >= 100 KB")
    return "met" if not missed else "**missed**: " + ", ".join(missed)


def kb(value: int) -> str:
    return f"{value / 1000:,.1f}"


def rows_for(label: str, first: Visit, repeat: Visit) -> list[list]:
    """Return the two table rows of one page."""

    def row(kind: str, v: Visit, target: str) -> list:
        cached = f"{v.requests} ({v.from_cache} cached)"
        return [label, kind, cached, kb(v.transferred), f"{v.seconds:.2f}", v.charts, target]

    return [row("first", first, verdict(first, repeat)), row("repeat", repeat, "")]


def log_path(folder: Path, label: str) -> Path:
    return folder / f"gunicorn-weight-{label.replace(' / ', '-')}.log"
