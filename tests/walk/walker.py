"""Walk the dashboard in Chromium the way its users do, collecting every failure.

Breadth-first from the home page over same-origin GET links (navigation, system tabs,
lists, detail pages, the public pages they link to). A URL *pattern* (numeric ids
replaced, query values dropped) is visited once, so a list of forty incidents costs one
incident page; system ids stay in the pattern because every system has its own tabs.
Links that are not pages (downloads, JSON twins, API calls) are fetched and only their
status is checked. On every page:

* the page and every subresource answer below 400, and no request fails;
* the browser logs no console error and no page error;
* the page is no wider than the 390 px viewport;
* every ``<dt>`` is immediately followed by its ``<dd>``;
* a Korean page shows no English words (see :mod:`tests.walk.language`).

Nothing stops at the first failure: :class:`Report` gathers all of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlparse

from .language import english_words

WIDTH = 390
#: Links a walk never follows: they change the walker's state (language, session) or are
#: downloads the dossier check fetches on its own.
NEVER = re.compile(r"^/(lang/|logout|static/)|/dossier$")
#: Links that are files or data rather than pages: fetched, status checked, not rendered.
RESOURCE = re.compile(r"^/(api/|\.well-known/|openapi\.json)|\.(json|csv|svg|pdf|xlsx|zip|png|md|yaml)$")
#: Segments that are record ids (E-12, C-4, 17, a uuid, a pack version): one page stands for all.
ID_SEGMENT = re.compile(r"^[^/]*\d[^/]*$")
#: The API explorer renders the OpenAPI description, written in English like the API's own
#: field names; it is checked like any page except for the language of its text.
API_EXPLORER = re.compile(r"^/(docs|redoc)(/|$)")
PAGE_LIMIT = 340
NUMBERS = re.compile(r"\d[\d.:T+-]*Z?")

TEXT_JS = """() => {
  const out = [];
  const skip = 'script,style,template,noscript,code,kbd,samp,pre,[translate=no]';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    const text = node.textContent.trim();
    if (!text || !el || el.closest(skip)) continue;
    const marked = el.closest('[lang]');
    if (marked && marked.lang !== 'ko') continue;   // text the page itself marks as another language
    if (!el.checkVisibility() && !el.closest('details')) continue;
    out.push(text);
  }
  for (const el of document.querySelectorAll('[aria-label],[placeholder],[title],img[alt]')) {
    const marked = el.closest('[lang]');
    if (marked && marked.lang !== 'ko') continue;
    for (const name of ['aria-label', 'placeholder', 'title', 'alt']) {
      const value = el.getAttribute(name);
      if (value && value.trim()) out.push(value.trim());
    }
  }
  out.push(document.title);
  return out;
}"""

DT_JS = """() => [...document.querySelectorAll('dt')]
  .filter(dt => !dt.nextElementSibling || dt.nextElementSibling.tagName !== 'DD')
  .map(dt => dt.textContent.trim().slice(0, 60))"""


@dataclass(frozen=True)
class Failure:
    """One thing a user would meet: where, in which language, which check, what exactly."""

    url: str
    lang: str
    check: str
    details: str


@dataclass
class Report:
    """All failures of a walk, printed grouped so a repeated fault reads as one line."""

    title: str
    failures: list[Failure] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)

    def add(self, url: str, lang: str, check: str, details: str) -> None:
        self.failures.append(Failure(url, lang, check, details))

    def __bool__(self) -> bool:
        return bool(self.failures)

    def text(self) -> str:
        """One entry per (check, language, details with numbers and dates blurred), with its URLs."""
        groups: dict[tuple[str, str, str], list[Failure]] = {}
        for f in self.failures:
            groups.setdefault((f.check, f.lang, NUMBERS.sub("#", f.details)), []).append(f)
        lines = [f"{self.title}: {len(self.failures)} failures on "
                 f"{len({f.url for f in self.failures})} of {len(self.pages)} URLs"]
        for (check, lang, _), found in sorted(groups.items()):
            urls = sorted({f.url for f in found})
            shown = ", ".join(urls[:3]) + (f" (+{len(urls) - 3} more)" if len(urls) > 3 else "")
            more = f" (and {len(found) - 1} alike)" if len(found) > 1 else ""
            lines.append(f"  [{check}] [{lang}] {shown}\n      {found[0].details}{more}")
        return "\n".join(lines)


def pattern(url: str) -> str:
    """The URL with record ids replaced and query values dropped (``/incidents/*?status=``)."""
    parsed = urlparse(url)
    path = "/".join("*" if ID_SEGMENT.match(s) else s for s in parsed.path.split("/"))
    keys = sorted({k for k, _ in parse_qsl(parsed.query, keep_blank_values=True)})
    return path + ("?" + "&".join(f"{k}=" for k in keys) if keys else "")


def local(url: str) -> str:
    parsed = urlparse(url)
    return parsed.path + (f"?{parsed.query}" if parsed.query else "")


class Walker:
    """One language's walk with one signed-in browser page."""

    def __init__(self, page: Any, base: str, lang: str, report: Report) -> None:
        self.page, self.base, self.lang, self.report = page, base, lang, report
        self.current = ""
        page.on("console", self._console)
        page.on("pageerror", lambda error: self._fail("page error", str(error)[:300]))
        page.on("response", self._response)
        page.on("requestfailed", self._request_failed)

    def _fail(self, check: str, details: str) -> None:
        self.report.add(self.current, self.lang, check, details)

    def _request_failed(self, request: Any) -> None:
        # ERR_ABORTED is Chromium cancelling a pending load (the favicon, say) because the walk
        # navigated on; a refused or unreachable resource fails with another reason.
        if request.failure != "net::ERR_ABORTED":
            self._fail("request failed", f"{self._show(request.url)}: {request.failure}")

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self._fail("console error", message.text[:300])

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            self._fail("http", f"GET {self._show(response.url)} -> {response.status}")

    def _show(self, url: str) -> str:
        return local(url) if url.startswith(self.base + "/") else url

    def links(self) -> Iterator[str]:
        hrefs = self.page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        for href in hrefs:
            url = urljoin(self.page.url, href.split("#")[0])
            if href.startswith("#") or not url.startswith(self.base + "/"):
                continue
            path = local(url)
            if not NEVER.search(urlparse(path).path):
                yield path

    def visit(self, path: str) -> None:
        """Open ``path`` and run every page check on it."""
        self.current = path
        self.report.pages.append(path)
        try:
            self.page.goto(self.base + path, wait_until="load")
        except Exception as error:  # a download or a dropped connection: report it and walk on
            self._fail("navigation", str(error).splitlines()[0][:200])
            return
        if self.page.evaluate("() => document.documentElement.scrollWidth") > WIDTH:
            width = self.page.evaluate("() => document.documentElement.scrollWidth")
            self._fail("wider than 390 px", f"scrollWidth {width}{self._widest()}")
        for term in self.page.evaluate(DT_JS):
            self._fail("dt without its dd", f"<dt>{term}</dt> is not followed by a <dd>")
        if self.lang == "ko" and not API_EXPLORER.match(path):
            for text, words in english_words(self.page.evaluate(TEXT_JS)):
                self._fail("English on a Korean page", f"{', '.join(words)} in {text[:100]!r}")

    def _widest(self) -> str:
        found = self.page.evaluate(f"""() => {{
          const wide = [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > {WIDTH});
          const outer = wide.filter(e => !wide.includes(e.parentElement))[0];
          return outer ? outer.tagName.toLowerCase() + (outer.className ? '.' + outer.className : '') : '';
        }}""")
        return f" (first overflowing element: {found})" if found else ""

    def fetch(self, path: str) -> None:
        """A link that is a file or data: its status only."""
        self.current = path
        self.report.pages.append(path)
        response = self.page.request.get(self.base + path)
        if response.status >= 400:
            self._fail("http", f"GET {path} -> {response.status}")

    def crawl(self, start: str = "/") -> set[str]:
        """Breadth-first from ``start``, one visit per URL pattern; returns the patterns seen."""
        queue, seen, patterns = [start], {start}, set()
        while queue:
            path = queue.pop(0)
            key = pattern(path)
            if key in patterns:
                continue
            patterns.add(key)
            if len(patterns) > PAGE_LIMIT:
                self._fail("crawl limit", f"more than {PAGE_LIMIT} URL patterns; raise PAGE_LIMIT or dedupe")
                break
            if RESOURCE.search(urlparse(path).path) or "format=" in path:
                self.fetch(path)
                continue
            self.visit(path)
            for link in self.links():
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
        return patterns


def sign_in(page: Any, base: str, email: str, password: str) -> None:
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/(?!login).*"))
