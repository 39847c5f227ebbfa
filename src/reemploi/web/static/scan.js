// The bench scan page: an input that keeps the focus (keyboard-wedge scanners type and press
// Enter), each line posted to /scan with the session's CSRF token; feedback and the next
// keys are shown at once. Written for this page only; no library.
(function () {
  "use strict";
  const form = document.getElementById("scan-form");
  const input = document.getElementById("scan-input");
  const card = document.getElementById("device");
  const log = document.getElementById("scan-log");
  const labels = JSON.parse(document.getElementById("scan-labels").textContent);
  let current = null;
  let awaitingFault = false;
  // Scans are sent one after the other, in the order typed: a scanner (or a quick key after a
  // scan) must never be dropped or overtake the request before it.
  let queue = Promise.resolve();
  function submit(text) {
    if (!text.trim()) return;
    queue = queue.then(() => send(text));
  }

  function csrf() {
    const m = document.cookie.match(/(?:^|;\s*)reemploi_csrf=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v; else node.setAttribute(k, v);
    }
    for (const c of children) node.append(c);
    return node;
  }

  function note(level, text) {
    const now = new Date().toLocaleTimeString(document.documentElement.lang);
    log.prepend(el("li", { class: level }, el("time", {}, now), text));
  }

  function keyButton(key, label, fault) {
    const b = el("button", { type: "button", class: "btn key" + (fault ? " fault" : ""), "data-key": key },
      el("kbd", {}, key), label);
    b.addEventListener("click", () => submit(key));
    return b;
  }

  function show(d) {
    card.replaceChildren();
    if (!d) { card.append(el("p", { class: "muted" }, labels.web_scan_waiting)); return; }
    const head = el("div", { class: "head" },
      el("a", { class: "serial mono", href: "/devices/" + encodeURIComponent(d.serial), id: "current-serial" }, d.serial),
      el("span", { class: "badge st-" + d.state, id: "current-state", "data-state": d.state }, d.state_label),
      el("span", { class: "muted" }, d.model + (d.grade ? " · " + d.grade : "")));
    card.append(head, el("p", {}, d.last_test_text));
    if (d.firmware_text) card.append(el("p", { class: "alert warn" }, d.firmware_text));
    if (d.blocked) card.append(el("p", { class: "alert warn" }, d.blocked.reason));
    if (d.note) card.append(el("p", { class: "alert info" }, d.note));
    if (awaitingFault) {
      card.append(el("h2", {}, labels.web_scan_faults));
      card.append(el("div", { class: "keys" }, ...d.faults.map((f) => keyButton(f.key, f.label, true))));
    } else if (d.choices.length) {
      card.append(el("h2", {}, labels.web_scan_next), el("p", { class: "muted small" }, labels.web_scan_keys_help));
      card.append(el("div", { class: "keys" }, ...d.choices.map((c) => keyButton(c.key, c.label, false))));
    }
    card.classList.remove("flash"); void card.offsetWidth; card.classList.add("flash");
  }

  async function send(text) {
    const data = new FormData(form);
    const body = {
      text: text, current: current, awaiting_fault: awaitingFault, mode: data.get("mode"),
      to: data.get("mode") === "move" ? data.get("to") : null, location: data.get("location") || null,
      reason: data.get("mode") === "move" ? data.get("reason") || null : null,
      firmware: data.get("firmware") || null,
    };
    try {
      const r = await fetch("/scan?lang=" + form.dataset.lang, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() }, body: JSON.stringify(body),
      });
      const out = await r.json();
      if (!r.ok) {
        note("error", typeof out.error === "string" ? out.error : (out.error && out.error.message) || String(r.status));
        return;
      }
      awaitingFault = !!out.awaiting_fault;
      if ("current" in out) current = out.current || null;
      for (const e of out.events || []) note(e.level, e.text);
      if (out.device || !current) show(out.device);
    } catch (err) {
      note("error", String(err));
    } finally {
      input.focus();
    }
  }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = input.value;
    input.value = "";
    submit(text);
  });
  // Keep the focus on the input: a scanner types wherever the focus is.
  document.addEventListener("click", (ev) => {
    if (!ev.target.closest("input, select, textarea, summary, a, label")) input.focus();
  });
  input.addEventListener("blur", () => setTimeout(() => {
    const a = document.activeElement;
    if (!a || a === document.body) input.focus();
  }, 150));
  input.focus();
})();
