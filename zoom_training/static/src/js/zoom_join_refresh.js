/** @odoo-module */
// The "too early" Join page reloads itself when the session opens: the reload then leads into Zoom.
const MAX_DELAY_SECONDS = 24 * 3600; // beyond a day, setTimeout's range and any sensible open tab

function scheduleReload() {
    const block = document.querySelector("[data-zoom-opens-in]");
    const seconds = block ? Number(block.dataset.zoomOpensIn) : NaN;
    if (Number.isFinite(seconds) && seconds >= 0 && seconds <= MAX_DELAY_SECONDS) {
        setTimeout(() => window.location.reload(), seconds * 1000);
    }
}

if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", scheduleReload);
} else {
    scheduleReload();
}
