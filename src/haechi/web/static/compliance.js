// Live countdowns for regulator clocks. The server already rendered the text; this only
// keeps it current while the page stays open (every page works without JavaScript).
(() => {
  const unit = (n, en, ko, lang) => (lang === "ko" ? `${n}${ko}` : `${n} ${en}${n === 1 ? "" : "s"}`);
  function text(ms, lang) {
    const s = Math.floor(Math.abs(ms) / 1000);
    const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    const parts = [];
    if (d) parts.push(unit(d, "day", "일", lang));
    if (h) parts.push(unit(h, "hour", "시간", lang));
    if (!d && m) parts.push(unit(m, "minute", "분", lang));
    const body = parts.join(" ") || (lang === "ko" ? "1분 미만" : "less than a minute");
    if (lang === "ko") return ms >= 0 ? `${body} 남음` : `${body} 초과`;
    return ms >= 0 ? `${body} left` : `overdue by ${body}`;
  }
  function tick() {
    document.querySelectorAll(".countdown[data-due]").forEach((el) => {
      if (el.dataset.stopped) return;
      const due = Date.parse(el.dataset.due);
      if (!Number.isNaN(due)) el.textContent = text(due - Date.now(), el.dataset.lang || "en");
    });
  }
  document.addEventListener("DOMContentLoaded", () => { tick(); setInterval(tick, 30000); });
})();
