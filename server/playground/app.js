// Mockly playground: a JSON editor whose controls edit the JSON (never a second
// model of it), a live preview from POST /api/v1/chat/preview, and real renders
// through the public API. Talks only to the server that served it, with the key
// its user typed (kept in this browser's storage, never in the page).
"use strict";

const $ = (id) => document.getElementById(id);
const store = {
  get(k) { try { return localStorage.getItem(k); } catch { return null; } },
  set(k, v) { try { localStorage.setItem(k, v); } catch { /* private mode */ } },
};
const KEY = "mockly.playground.key";
const DRAFT = "mockly.playground.payload";
const THEME = "mockly.playground.theme";
const EXAMPLE = "mockly.playground.example";

/** Typing pause before a preview is asked for, and the least time between two
 *  preview requests (10 a second stays inside the preview's rate limit). */
const DEBOUNCE_MS = 40;
const MIN_GAP_MS = 100;
const POLL_MS = 1000;
const POLL_LIMIT_MS = 10 * 60 * 1000;

const ui = {
  json: $("json"), gutter: $("gutter"), errline: $("errline"),
  problem: $("problem"), problemField: $("problem-field"), problemText: $("problem-text"),
  example: $("example"), platform: $("platform"), kind: $("kind"), resolution: $("resolution"),
  timeNotation: $("time-notation"), dark: $("dark"), frame: $("frame"), desktop: $("desktop"),
  platformNote: $("platform-note"),
  key: $("api-key"), keyForm: $("key-form"), keyState: $("key-state"), keyHelp: $("key-help"),
  status: $("preview-status"), preview: $("preview"), empty: $("preview-empty"), stage: $("stage"),
  warnings: $("warnings"), scrubber: $("scrubber"), time: $("time"), timeLabel: $("time-label"),
  render: $("render"), result: $("result"), resultLine: $("result-line"),
  progress: $("progress"), progressFill: $("progress-fill"), progressText: $("progress-text"),
  player: $("player"), video: $("video"), exportImage: $("export-image"),
  copyCurl: $("copy-curl"), copyJs: $("copy-js"),
  dialog: $("snippet"), dialogTitle: $("snippet-title"), dialogNote: $("snippet-note"),
  dialogText: $("snippet-text"), dialogClose: $("snippet-close"),
  theme: $("theme-toggle"),
  tabPreview: $("tab-preview"), tabExport: $("tab-export"), viewPreview: $("view-preview"),
};

let meta = { platforms: [], examples: [] };
let apiKey = store.get(KEY) || "";

// ---------------------------------------------------------------------------
// JSON text ↔ paths: where each value sits in the text, so an error can point at
// its field and a control can replace one value without reformatting the rest.

/** Every value of a valid JSON text by dotted path ("props.messages.3.userId"):
 *  the offset of its key (-1 in arrays and at the root) and of the value. */
function scanJson(text) {
  const spans = new Map();
  let i = 0;
  const ws = () => { while (i < text.length && " \t\n\r".includes(text[i])) i++; };
  const string = () => {
    const s = i++;
    while (i < text.length && text[i] !== "\"") i += text[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(text.slice(s, i));
  };
  const join = (path, part) => (path === "" ? String(part) : `${path}.${part}`);
  function value(path, keyAt) {
    ws();
    const start = i;
    const c = text[i];
    if (c === "{") {
      i++; ws();
      if (text[i] === "}") i++;
      else for (;;) {
        ws();
        const k = i;
        const name = string();
        ws(); i++; // ':'
        value(join(path, name), k);
        ws();
        if (text[i++] !== ",") break;
      }
    } else if (c === "[") {
      i++; ws();
      if (text[i] === "]") i++;
      else for (let n = 0; ; n++) {
        value(join(path, n), -1);
        ws();
        if (text[i++] !== ",") break;
      }
    } else if (c === "\"") {
      string();
    } else {
      while (i < text.length && !",]} \t\n\r".includes(text[i])) i++;
    }
    spans.set(path, { keyAt, start, end: i });
  }
  value("", -1);
  return spans;
}

/** The offset of `path` in the text (or of its nearest existing parent). */
function offsetOf(text, path) {
  let spans;
  try { spans = scanJson(text); } catch { return 0; }
  const parts = path ? path.split(".") : [];
  for (let n = parts.length; n >= 0; n--) {
    const span = spans.get(parts.slice(0, n).join("."));
    if (span) return span.keyAt >= 0 ? span.keyAt : span.start;
  }
  return 0;
}

const lineOf = (text, offset) => text.slice(0, offset).split("\n").length;

/** Replaces text[start, end) with `text` as if typed, so Ctrl+Z undoes it; the
 *  focus goes back where it was. The editor's input event follows. */
function replaceText(start, end, text) {
  const back = document.activeElement;
  const scroll = ui.json.scrollTop;
  ui.json.focus();
  ui.json.setSelectionRange(start, end);
  if (!document.execCommand("insertText", false, text)) {
    ui.json.setRangeText(text, start, end, "end");
    textChanged();
  }
  if (back && back !== ui.json && back !== document.body) {
    back.focus();
    ui.json.scrollTop = scroll;
  }
}

/** Sets `path` to `value` in the editor's text, replacing only that value (or
 *  adding the key at the top of its object). */
function setField(path, value) {
  const text = ui.json.value;
  let spans;
  try { JSON.parse(text); spans = scanJson(text); } catch {
    showProblem("JSON syntax", "Fix the JSON syntax first; the controls edit the JSON text.", null);
    syncControls();
    return;
  }
  const encoded = JSON.stringify(value);
  const span = spans.get(path);
  if (span) {
    replaceText(span.start, span.end, encoded);
    return;
  }
  const dot = path.lastIndexOf(".");
  const parentPath = dot < 0 ? "" : path.slice(0, dot);
  const parent = spans.get(parentPath);
  const name = path.slice(dot + 1);
  if (!parent || text[parent.start] !== "{") {
    showProblem(parentPath, `To set ${name}, ${parentPath} must be an object.`, parent ? parent.start : null);
    syncControls();
    return;
  }
  const open = parent.start + 1;
  const gap = /^\s*/.exec(text.slice(open))[0];
  const empty = text[open + gap.length] === "}";
  const indent = gap.includes("\n") ? gap.slice(gap.lastIndexOf("\n")) : " ";
  replaceText(open, open, `${indent}${JSON.stringify(name)}: ${encoded}${empty ? "" : ","}`);
}

// ---------------------------------------------------------------------------
// Editor chrome: line numbers, the bar under the line at fault, the problem box.

let lineCount = 0;
let problemLine = 0;

function drawGutter() {
  const lines = ui.json.value.split("\n").length;
  if (lines !== lineCount || ui.gutter.dataset.bad !== String(problemLine)) {
    lineCount = lines;
    ui.gutter.dataset.bad = String(problemLine);
    const out = document.createDocumentFragment();
    for (let n = 1; n <= lines; n++) {
      if (n === problemLine) {
        const b = document.createElement("span");
        b.className = "bad";
        b.textContent = String(n);
        out.append(b, "\n");
      } else {
        out.append(`${n}\n`);
      }
    }
    ui.gutter.replaceChildren(out);
  }
  placeErrline();
}

function placeErrline() {
  ui.gutter.scrollTop = ui.json.scrollTop;
  if (!problemLine) { ui.errline.hidden = true; return; }
  const style = getComputedStyle(ui.json);
  const lh = parseFloat(style.lineHeight);
  const pad = parseFloat(style.paddingTop);
  const top = pad + (problemLine - 1) * lh - ui.json.scrollTop;
  ui.errline.style.top = `${top}px`;
  ui.errline.hidden = top < 0 || top > ui.json.clientHeight - lh / 2;
}

function showProblem(field, message, offset) {
  const text = ui.json.value;
  problemLine = offset === null ? 0 : lineOf(text, offset);
  ui.problemField.textContent = problemLine ? `${field} · line ${problemLine}` : field;
  ui.problemText.textContent = message;
  ui.problem.dataset.field = field;
  ui.problem.dataset.offset = String(offset ?? 0);
  ui.problem.hidden = false;
  drawGutter();
}

function clearProblem() {
  problemLine = 0;
  ui.problem.hidden = true;
  delete ui.problem.dataset.field;
  drawGutter();
}

/** Jumps to the line at fault. */
ui.problem.addEventListener("click", () => {
  const at = Number(ui.problem.dataset.offset || 0);
  ui.json.focus();
  ui.json.setSelectionRange(at, at);
  const lh = parseFloat(getComputedStyle(ui.json).lineHeight);
  ui.json.scrollTop = Math.max(0, (lineOf(ui.json.value, at) - 4) * lh);
  placeErrline();
});

/** Where the first JSON syntax error is: found by scanning (browsers do not
 *  always say), else from the browser's message. */
function syntaxOffset(text, error) {
  const found = firstSyntaxError(text);
  if (found !== null) return found;
  return offsetInMessage(text, String(error && error.message));
}

/** The offset of a "position N" or "line L column C" in a message, else the end. */
function offsetInMessage(text, msg) {
  const pos = /position (\d+)/.exec(msg);
  if (pos) return Number(pos[1]);
  const lc = /line (\d+) column (\d+)/.exec(msg);
  if (lc) {
    const lines = text.split("\n").slice(0, Number(lc[1]) - 1);
    return lines.reduce((n, l) => n + l.length + 1, 0) + Number(lc[2]) - 1;
  }
  return text.length;
}

/** The offset of the first character that is not valid JSON, or null. */
function firstSyntaxError(text) {
  let i = 0;
  const fail = () => { throw i; };
  const ws = () => { while (i < text.length && " \t\n\r".includes(text[i])) i++; };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== "\"") {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === "\\") {
        i++;
        if (text[i] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!"\"\\/bfnrt".includes(text[i] ?? "")) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const value = () => {
    ws();
    const c = text[i];
    if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      i++; ws();
      if (text[i] === close) { i++; return; }
      for (;;) {
        ws();
        if (c === "{") {
          if (text[i] !== "\"") fail();
          string(); ws();
          if (text[i] !== ":") fail();
          i++;
        }
        value(); ws();
        if (text[i] === ",") { i++; continue; }
        if (text[i] === close) { i++; return; }
        fail();
      }
    }
    if (c === "\"") { string(); return; }
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (number && number[0]) { i += number[0].length; return; }
    for (const word of ["true", "false", "null"]) {
      if (text.startsWith(word, i)) { i += word.length; return; }
    }
    fail();
  };
  try {
    value(); ws();
    if (i < text.length) fail();
    return null;
  } catch (at) {
    if (typeof at === "number") return Math.min(at, text.length);
    throw at;
  }
}

// ---------------------------------------------------------------------------
// Controls: read from the JSON, written into the JSON.

const controls = [
  { el: ui.platform, path: "platform", also: "props.platform", read: (o) => o.platform },
  { el: ui.kind, path: "renderKind", read: (o) => o.renderKind },
  { el: ui.resolution, path: "resolutionScale", read: (o) => o.resolutionScale },
  { el: ui.timeNotation, path: "props.timeNotation", read: (o) => o.props?.timeNotation ?? "24h" },
  { el: ui.dark, path: "props.darkMode", read: (o) => o.props?.darkMode === true },
  { el: ui.frame, path: "props.showDeviceFrame", read: (o) => o.props?.showDeviceFrame === true },
  { el: ui.desktop, path: "props.mobileView", read: (o) => o.props?.mobileView === false, invert: true },
];

let parsed = null;

function syncControls() {
  for (const c of controls) {
    const v = parsed ? c.read(parsed) : undefined;
    if (c.el.type === "checkbox") c.el.checked = !!v;
    else c.el.value = typeof v === "string" ? v : ""; // blank: missing or not one of ours
    c.el.disabled = !parsed;
  }
  const p = meta.platforms.find((x) => x.id === parsed?.platform);
  const desktopNative = meta.platforms.filter((x) => x.desktop === "native").map((x) => x.name);
  const mobileNative = meta.platforms.filter((x) => x.mobile === "native").length;
  let note = mobileNative === meta.platforms.length
    ? "Every platform has a native mobile skin. "
    : `${mobileNative} of ${meta.platforms.length} platforms have a native mobile skin. `;
  note += desktopNative.length
    ? `Desktop windows: ${desktopNative.join(", ")}; the others draw desktop view as mobile.`
    : "Desktop view is drawn as mobile (with a warning) for now.";
  if (p && ui.desktop.checked && desktopNative.length && p.desktop !== "native") note += ` ${p.name} has no desktop window.`;
  ui.platformNote.textContent = note;
}

for (const c of controls) {
  c.el.addEventListener("change", () => {
    let v = c.el.type === "checkbox" ? c.el.checked : c.el.value;
    if (c.invert) v = !v;
    setField(c.path, v);
    if (c.also) setField(c.also, v);
  });
}

// ---------------------------------------------------------------------------
// The text changed: check it, keep it, preview it.

let draftTimer = 0;

function textChanged() {
  const text = ui.json.value;
  clearTimeout(draftTimer);
  draftTimer = setTimeout(() => store.set(DRAFT, text), 300);
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    parsed = null;
    syncControls();
    const message = String(e.message).replace(/^JSON\.parse: /, "").split("\n")[0];
    showProblem("JSON syntax", message, syntaxOffset(text, e));
    setStatus("Waiting for valid JSON");
    ui.stage.classList.add("stale");
    return;
  }
  if (ui.problem.dataset.field === "JSON syntax") clearProblem();
  syncControls();
  drawGutter();
  schedulePreview(DEBOUNCE_MS);
}

ui.json.addEventListener("input", textChanged);
addEventListener("pagehide", () => store.set(DRAFT, ui.json.value));
ui.json.addEventListener("scroll", placeErrline);
// Tab indents; Escape then Tab leaves the editor, as in most code editors.
let escaped = false;
ui.json.addEventListener("keydown", (e) => {
  if (e.key === "Escape") { escaped = true; return; }
  const leave = escaped;
  escaped = false;
  if (e.key === "Tab" && !leave && !e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey) {
    e.preventDefault();
    ui.json.setRangeText("  ", ui.json.selectionStart, ui.json.selectionEnd, "end");
    textChanged();
  }
});

// ---------------------------------------------------------------------------
// Live preview: one request in flight, the newest text wins, at most one request
// every MIN_GAP_MS.

let previewTimer = 0;
let inFlight = false;
let again = false;
let lastSent = 0;
let shownSeq = 0;
let sentSeq = 0;
let previewUrl = "";
let videoLength = 0;
let retryUntil = 0;

function setStatus(text, busy = false) {
  ui.status.textContent = text;
  ui.status.classList.toggle("busy", busy);
}

function schedulePreview(delay) {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(kickPreview, delay);
}

function kickPreview() {
  if (inFlight) { again = true; return; }
  const backoff = retryUntil - performance.now();
  if (backoff > 0) {
    setStatus(`Preview limit reached; trying again in ${Math.ceil(backoff / 1000)} s`);
    schedulePreview(Math.min(backoff, 1000));
    return;
  }
  const wait = lastSent + MIN_GAP_MS - performance.now();
  if (wait > 0) { schedulePreview(wait); return; }
  again = false;
  inFlight = true;
  lastSent = performance.now();
  runPreview().finally(() => {
    inFlight = false;
    if (again) kickPreview();
  });
}

async function runPreview() {
  if (!parsed) return;
  if (!apiKey) {
    setStatus("Enter an API key to see the preview");
    return;
  }
  const seq = ++sentSeq;
  const isVideo = parsed.renderKind === "video";
  const scale = parseFloat(parsed.resolutionScale) || 1;
  const bare = parsed.props?.transparentBackground === true;
  const t = isVideo ? Number(ui.time.value) : 0;
  const started = performance.now();
  setStatus("Rendering…", true);
  ui.stage.classList.add("stale");
  let res;
  try {
    res = await fetch(`/api/v1/chat/preview?t=${t}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" },
      body: ui.json.value,
    });
  } catch (e) {
    setStatus(`The server did not answer (${e.message})`);
    return;
  }
  if (res.status === 401) {
    setKeyState("bad", "Key refused");
    setStatus("The API key was refused; see how to create one above");
    return;
  }
  if (res.status === 429) {
    const wait = Number(res.headers.get("retry-after") || 1);
    retryUntil = performance.now() + wait * 1000;
    again = true; // kickPreview waits out the backoff, counting down
    return;
  }
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    const err = body.error || { message: `HTTP ${res.status}` };
    if (res.status === 400) {
      showServerProblem(err);
      showWarnings([]);
      setStatus("The payload has a problem");
    } else {
      setStatus(err.message);
    }
    // The picture stays, dimmed: it no longer shows the text.
    return;
  }
  const blob = await res.blob();
  if (seq < shownSeq) return;
  shownSeq = seq;
  if (!ui.problem.hidden && ui.problem.dataset.field !== "JSON syntax") clearProblem();
  const w = Number(res.headers.get("x-mockly-width"));
  const h = Number(res.headers.get("x-mockly-height"));
  const url = URL.createObjectURL(blob);
  await new Promise((done) => {
    ui.preview.onload = done;
    ui.preview.onerror = done;
    ui.preview.src = url;
  });
  if (previewUrl) URL.revokeObjectURL(previewUrl);
  previewUrl = url;
  ui.preview.style.width = `${Math.round(w / scale)}px`;
  ui.preview.classList.toggle("bare", bare);
  ui.preview.dataset.seq = String(seq);
  ui.preview.dataset.shownAt = String(performance.now());
  ui.preview.dataset.width = String(w);
  ui.preview.dataset.height = String(h);
  ui.preview.hidden = false;
  ui.empty.hidden = true;
  ui.stage.classList.remove("stale");
  const ms = Math.round(performance.now() - started);
  ui.preview.dataset.ms = String(ms);
  setStatus(`${w} × ${h} px · ${ms} ms`);
  const warnings = decodeWarnings(res.headers.get("x-mockly-warnings"));
  const total = Number(res.headers.get("x-mockly-warning-count") || warnings.length);
  if (total > warnings.length) warnings.push(`… and ${total - warnings.length} more`);
  showWarnings(warnings);
  if (isVideo) {
    videoLength = Number(res.headers.get("x-mockly-duration-ms")) || 0;
    const fps = Number(res.headers.get("x-mockly-fps")) || 30;
    ui.time.max = String(Math.max(0, videoLength - 1000 / fps));
    ui.time.step = String(1000 / fps);
    ui.scrubber.hidden = false;
    ui.preview.dataset.frameMs = res.headers.get("x-mockly-frame-ms") || "0";
    drawTime();
  } else {
    ui.scrubber.hidden = true;
    delete ui.preview.dataset.frameMs;
  }
}

/** A 400 from the server at its field, or at the line its message names. */
function showServerProblem(err) {
  const text = ui.json.value;
  if (err.field) {
    showProblem(err.field, err.message, offsetOf(text, err.field));
  } else if (/line \d+ column \d+/.test(err.message || "")) {
    showProblem("payload", err.message, offsetInMessage(text, err.message));
  } else {
    showProblem("payload", err.message || "Invalid payload", null);
  }
}

function decodeWarnings(header) {
  if (!header) return [];
  try { return JSON.parse(decodeURIComponent(header)); } catch { return []; }
}

function showWarnings(list) {
  ui.warnings.replaceChildren(...list.map((w) => {
    const li = document.createElement("li");
    li.textContent = w;
    return li;
  }));
  ui.warnings.hidden = list.length === 0;
}

function drawTime() {
  const t = Number(ui.time.value) / 1000;
  ui.timeLabel.textContent = `${t.toFixed(2)} s / ${(videoLength / 1000).toFixed(2)} s`;
}

ui.time.addEventListener("input", () => {
  drawTime();
  schedulePreview(0);
});

// ---------------------------------------------------------------------------
// The API key: typed once, kept in this browser, checked against /api/v1/usage.

function setKeyState(kind, text) {
  ui.keyState.className = `key-state ${kind}`;
  ui.keyState.textContent = text;
  ui.keyHelp.hidden = kind === "ok";
}

async function checkKey() {
  if (!apiKey) { setKeyState("", "No key"); return; }
  try {
    const res = await fetch("/api/v1/usage", { headers: { Authorization: `Bearer ${apiKey}` } });
    if (res.ok) {
      const u = await res.json();
      const count = (n, what) => `${n} ${what}${n === 1 ? "" : "s"}`;
      setKeyState("ok", `Key OK · ${count(u.images.used, "image")}, ${count(u.videos.used, "video")} this month`);
    } else {
      setKeyState("bad", res.status === 401 ? "Key refused" : `HTTP ${res.status}`);
    }
  } catch {
    setKeyState("bad", "Server unreachable");
  }
}

ui.keyForm.addEventListener("submit", async (e) => {
  e.preventDefault();
  apiKey = ui.key.value.trim();
  store.set(KEY, apiKey);
  await checkKey();
  schedulePreview(0);
});

// ---------------------------------------------------------------------------
// Render: the real export through the public API, polled like any client.

/** The same server's path of an absolute URL the API answered, so the page
 *  never leaves its own origin whatever `public_url` says. */
function localPath(url) {
  const u = new URL(url, location.href);
  return u.pathname + u.search;
}

const kb = (n) => (n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

function resultLine(text, link, name) {
  ui.resultLine.className = "result-line";
  ui.resultLine.replaceChildren(text);
  if (link) {
    const a = document.createElement("a");
    a.href = link;
    a.download = name;
    a.id = "download";
    a.textContent = "Download";
    ui.resultLine.append(" ", a);
  }
}

function setProgress(share) {
  const pct = Math.round(Math.min(1, Math.max(0, share)) * 100);
  ui.progressFill.style.width = `${pct}%`;
  ui.progressText.textContent = `${pct}%`;
  ui.progress.dataset.value = String(pct);
}

/** Shows the live preview or the export. */
function showTab(exportTab) {
  ui.tabPreview.setAttribute("aria-selected", String(!exportTab));
  ui.tabExport.setAttribute("aria-selected", String(exportTab));
  ui.viewPreview.hidden = exportTab;
  ui.result.hidden = !exportTab;
  if (!exportTab) ui.video.pause();
}

ui.tabPreview.addEventListener("click", () => showTab(false));
ui.tabExport.addEventListener("click", () => showTab(true));

ui.render.addEventListener("click", async () => {
  if (!parsed) {
    setStatus("Fix the JSON first: it is not valid yet");
    ui.json.focus();
    return;
  }
  if (!apiKey) { setStatus("Enter an API key first"); ui.key.focus(); return; }
  ui.render.disabled = true;
  ui.tabExport.disabled = false;
  showTab(true);
  ui.player.hidden = true;
  ui.video.hidden = true;
  ui.exportImage.hidden = true;
  ui.video.removeAttribute("src");
  ui.exportImage.removeAttribute("src");
  ui.progress.hidden = true;
  resultLine("Rendering…");
  try {
    await renderExport();
  } catch (e) {
    ui.resultLine.className = "result-line bad";
    ui.resultLine.textContent = e.message;
  } finally {
    ui.render.disabled = false;
    checkKey(); // the month's counts moved
  }
});

async function renderExport() {
  const auth = { Authorization: `Bearer ${apiKey}` };
  const scale = parseFloat(parsed.resolutionScale) || 1;
  const res = await fetch("/api/v1/chat/render", {
    method: "POST",
    headers: { ...auth, "Content-Type": "application/json" },
    body: ui.json.value,
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = body.error || {};
    if (res.status === 400) showServerProblem(err);
    throw new Error(err.message || `HTTP ${res.status}`);
  }
  if (body.status === "completed") {
    const url = localPath(body.downloadUrl);
    resultLine(`Image ready: PNG, ${kb(body.sizeBytes)}.`, url, `mockly-${body.id}.png`);
    ui.exportImage.onload = () => {
      ui.exportImage.style.width = `${Math.round(ui.exportImage.naturalWidth / scale)}px`;
    };
    ui.exportImage.src = url;
    ui.exportImage.hidden = false;
    ui.player.hidden = false;
    return;
  }
  ui.progress.hidden = false;
  setProgress(0);
  const until = performance.now() + POLL_LIMIT_MS;
  while (performance.now() < until) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    const s = await fetch(localPath(body.statusUrl), { headers: auth });
    if (s.status === 429) continue;
    const data = await s.json();
    if (!s.ok) throw new Error(data.error?.message || `HTTP ${s.status}`);
    if (data.status === "failed") throw new Error(data.error);
    if (data.status === "completed") {
      setProgress(1);
      const url = localPath(data.downloadUrl);
      resultLine(`Video ready: ${data.format.toUpperCase()}, ${kb(data.sizeBytes)}.`, url, `mockly-${data.id}.${data.format}`);
      ui.video.onloadedmetadata = () => {
        ui.video.style.width = `${Math.round(ui.video.videoWidth / scale)}px`;
      };
      ui.video.src = url;
      ui.video.hidden = false;
      ui.player.hidden = false;
      return;
    }
    setProgress(data.progress ?? 0);
    resultLine(`Rendering video… ${Math.round((data.progress ?? 0) * 100)}%`);
  }
  throw new Error("The video did not finish within 10 minutes");
}

// ---------------------------------------------------------------------------
// Copy as curl / as JavaScript (the hosted API's polling loop). The key is never
// written into a snippet: both read MOCKLY_API_KEY from the environment.

function curlSnippet() {
  return [
    `curl -sS -X POST ${location.origin}/api/v1/chat/render \\`,
    "  -H \"Authorization: Bearer $MOCKLY_API_KEY\" \\",
    "  -H \"Content-Type: application/json\" \\",
    "  --data-binary @- <<'MOCKLY_PAYLOAD'",
    ui.json.value.trimEnd(),
    "MOCKLY_PAYLOAD",
    "",
  ].join("\n");
}

function jsSnippet() {
  const payload = ui.json.value.trimEnd();
  return `// Save as mockly.mjs and run with Node.js 18 or later:
//   MOCKLY_API_KEY=mk_live_… node mockly.mjs
const payload = ${payload};

const submit = await fetch("${location.origin}/api/v1/chat/render", {
  method: "POST",
  headers: {
    Authorization: \`Bearer \${process.env.MOCKLY_API_KEY}\`,
    "Content-Type": "application/json",
  },
  body: JSON.stringify(payload),
});
const first = await submit.json();
if (!submit.ok) throw new Error(first.error.message);
if (first.status === "completed") {
  console.log("Done:", first.downloadUrl);
} else {
  const { statusUrl } = first;
  // Poll until done
  while (true) {
    await new Promise((r) => setTimeout(r, 3000));
    const status = await fetch(statusUrl, {
      headers: { Authorization: \`Bearer \${process.env.MOCKLY_API_KEY}\` },
    });
    const data = await status.json();
    if (data.status === "completed") {
      console.log("Done:", data.downloadUrl);
      break;
    }
    if (data.status === "failed") {
      throw new Error(data.error);
    }
    console.log(\`Rendering — \${Math.round((data.progress ?? 0) * 100)}%\`);
  }
}
`;
}

async function copy(title, text) {
  ui.dialogTitle.textContent = title;
  ui.dialogText.value = text;
  let copied = false;
  try {
    await navigator.clipboard.writeText(text);
    copied = true;
  } catch { /* not allowed here: the dialog shows it to copy by hand */ }
  ui.dialogNote.textContent = copied
    ? "Copied to the clipboard. It reads your key from MOCKLY_API_KEY; the key is never in the snippet."
    : "Select and copy it. It reads your key from MOCKLY_API_KEY; the key is never in the snippet.";
  if (!parsed) ui.dialogNote.textContent += " Careful: the JSON is not valid yet.";
  ui.dialog.dataset.copied = String(copied);
  ui.dialog.showModal();
  ui.dialogText.select();
  ui.dialogText.scrollTop = 0;
}

ui.copyCurl.addEventListener("click", () => copy("curl", curlSnippet()));
ui.copyJs.addEventListener("click", () => copy("JavaScript", jsSnippet()));
ui.dialogClose.addEventListener("click", () => ui.dialog.close());

// ---------------------------------------------------------------------------
// Theme, examples, start.

function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
}

ui.theme.addEventListener("click", () => {
  const next = document.documentElement.dataset.theme === "dark" ? "light" : "dark";
  store.set(THEME, next);
  applyTheme(next);
});

async function loadExample(name) {
  const res = await fetch(`/playground/examples/${encodeURIComponent(name)}`);
  if (!res.ok) return;
  const text = await res.text();
  store.set(EXAMPLE, name);
  if (ui.json.value) {
    replaceText(0, ui.json.value.length, text); // Ctrl+Z brings the edits back
  } else {
    ui.json.value = text;
    textChanged();
  }
  ui.json.scrollTop = 0;
  ui.json.setSelectionRange(0, 0);
}

ui.example.addEventListener("change", () => loadExample(ui.example.value));

async function start() {
  const dark = matchMedia("(prefers-color-scheme: dark)").matches;
  applyTheme(store.get(THEME) || (dark ? "dark" : "light"));
  meta = await (await fetch("/playground/meta.json")).json();
  for (const p of meta.platforms) ui.platform.add(new Option(p.name, p.id));
  for (const name of meta.examples) ui.example.add(new Option(name, name));
  ui.key.value = apiKey;
  checkKey();
  const draft = store.get(DRAFT);
  if (draft) {
    ui.example.value = store.get(EXAMPLE) || "";
    ui.json.value = draft;
    textChanged();
  } else {
    const first = meta.examples.includes("imessage-dm-light") ? "imessage-dm-light" : meta.examples[0];
    ui.example.value = first;
    await loadExample(first);
  }
}

start();
