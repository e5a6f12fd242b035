// The playground page in a real browser (the system's headless Chromium, driven by
// playwright-core), against a running `mockly serve`. Run by server/tests/playground.rs:
//   MOCKLY_BASE_URL=http://127.0.0.1:PORT MOCKLY_API_KEY=mk_live_… ARTIFACTS=dir node playground.mjs
// Prints one JSON line of measurements on success; exits non-zero with the step that
// failed otherwise. Screenshots of the page land in $ARTIFACTS.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const base = process.env.MOCKLY_BASE_URL;
const key = process.env.MOCKLY_API_KEY;
const artifacts = process.env.ARTIFACTS ?? "playground-artifacts";
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
mkdirSync(artifacts, { recursive: true });

const problems = [];
let step = "start";
const check = (ok, what) => {
  if (!ok) throw new Error(`${step}: ${what}`);
};

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const measured = {};
try {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    colorScheme: "light",
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  // Anything the page logs as an error (a CSP violation, an exception) fails the test.
  // (A 400 for a payload the test made bad on purpose is the browser's own log line.)
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().includes("status of 400")) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(String(e)));
  const outside = [];
  page.on("request", (r) => { if (!r.url().startsWith(base) && !r.url().startsWith("blob:") && !r.url().startsWith("data:")) outside.push(r.url()); });

  const seq = () => page.$eval("#preview", (img) => Number(img.dataset.seq || 0));
  const nextPreview = async (after) => {
    await page.waitForFunction(
      (n) => Number(document.getElementById("preview").dataset.seq || 0) > n,
      after,
      { polling: "raf" },
    );
    return page.$eval("#preview", (img) => ({
      seq: Number(img.dataset.seq),
      width: img.naturalWidth,
      height: img.naturalHeight,
      frameMs: img.dataset.frameMs === undefined ? null : Number(img.dataset.frameMs),
    }));
  };
  // A checksum of the shown picture's pixels (drawn on a canvas; blob: images are
  // same-origin, so the canvas can be read).
  const pixels = () => page.$eval("#preview", (img) => {
    const c = document.createElement("canvas");
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const g = c.getContext("2d");
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let h = 2166136261;
    for (let i = 0; i < d.length; i += 7) h = Math.imul(h ^ d[i], 16777619) >>> 0;
    return h;
  });
  const editorText = () => page.$eval("#json", (t) => t.value);
  const selectRange = (from, to) =>
    page.$eval("#json", (t, [a, b]) => { t.focus(); t.setSelectionRange(a, b); }, [from, to]);

  step = "open the page";
  const response = await page.goto(`${base}/`);
  check(response.status() === 200, `GET / answered ${response.status()}`);
  const csp = response.headers()["content-security-policy"] ?? "";
  check(csp.includes("script-src 'self'") && !csp.includes("unsafe-inline"), `CSP is ${csp}`);
  await page.waitForFunction(() => document.getElementById("json").value.includes("mockupType"));
  check((await page.$$eval("#platform option", (o) => o.length)) === 16, "sixteen platforms");
  check(await page.isVisible("#key-help"), "the page says how to create a key");

  step = "enter the key";
  await page.fill("#api-key", key);
  await page.click("#key-save");
  await page.waitForFunction(() => document.getElementById("key-state").textContent.startsWith("Key OK"));
  const first = await nextPreview(0);
  check(first.width === 780, `iMessage at 2x is 780 px wide, got ${first.width}`);
  const imessage = await pixels();
  check(!(await page.isVisible("#key-help")), "the key help hides once a key works");
  await page.screenshot({ path: join(artifacts, "playground-light.png") });

  step = "the preview follows typing";
  // Time from the last keystroke (the editor's input event) to the new picture on
  // screen, measured in the page: typing "!" after a message (and taking it back),
  // five times.
  await page.$eval("#json", (t) => t.addEventListener("input", () => { window.lastInput = performance.now(); }));
  const lags = [];
  for (let i = 0; i < 5; i++) {
    const text = await editorText();
    const end = text.indexOf("Perfect") + "Perfect".length;
    let before = await seq();
    await selectRange(end, end);
    await page.keyboard.type("!");
    await nextPreview(before);
    lags.push(await page.$eval("#preview", (img) => Number(img.dataset.shownAt) - window.lastInput));
    check((await editorText()).includes("Perfect!\""), "typed into the editor");
    await page.waitForTimeout(150);
    before = await seq();
    await page.keyboard.press("Backspace");
    await nextPreview(before);
    await page.waitForTimeout(150);
  }
  lags.sort((a, b) => a - b);
  measured.keystrokeToPreviewMs = { median: Math.round(lags[2]), max: Math.round(lags[4]), payload: "imessage-dm-light at 2x" };

  step = "switch platforms";
  let n = await seq();
  await page.selectOption("#platform", "whatsapp");
  const wa = await nextPreview(n);
  check(wa.width === 780, `WhatsApp at 2x is 780 px wide, got ${wa.width}`);
  check((await pixels()) !== imessage, "the preview changed with the platform");
  const text = await editorText();
  check(/"platform": "whatsapp"[\s\S]*"platform": "whatsapp"/.test(text), "both platform fields edited in the JSON");
  check(text.includes("\"id\": \"1\", \"type\": \"text\""), "the rest of the text keeps its formatting");

  step = "change the resolution";
  n = await seq();
  await page.selectOption("#resolution", "1x");
  const small = await nextPreview(n);
  check(small.width === 390, `1x is 390 px wide, got ${small.width}`);

  step = "dark mode from its checkbox";
  n = await seq();
  await page.check("#dark");
  await nextPreview(n);
  check((await editorText()).includes("\"darkMode\": true"), "darkMode added to props");

  step = "type a bad value";
  let t = await editorText();
  let at = t.indexOf("\"userId\": \"sam\"") + "\"userId\": \"".length;
  await selectRange(at, at + 3);
  // Slower than the debounce, so the half-typed values are sent too.
  await page.keyboard.type("nobody", { delay: 150 });
  await page.waitForSelector("#problem:not([hidden])");
  // A preview may leave while the word is half typed, so the first error can name
  // 'n' or 'nob'; the page sends the text again when that answer is in, and the
  // error it shows last must name the whole value.
  const settled = await page
    .waitForFunction(() => document.getElementById("problem-text").textContent.includes("nobody"), null, { timeout: 10_000 })
    .then(() => true, () => false);
  const message = await page.textContent("#problem-text");
  check(settled, `the message says what is wrong: ${message}`);
  const field = await page.textContent("#problem-field");
  check(field.startsWith("props.messages.0.userId"), `the error names its field, got "${field}"`);
  check(await page.isVisible("#errline"), "the line at fault is marked");
  await page.screenshot({ path: join(artifacts, "playground-error.png") });

  step = "fix it; the preview follows the last keystroke";
  t = await editorText();
  at = t.indexOf("\"nobody\"") + 1;
  n = await seq();
  await selectRange(at, at + "nobody".length);
  await page.keyboard.type("sam", { delay: 20 });
  await nextPreview(n);
  await page.waitForSelector("#problem", { state: "hidden" });

  step = "a JSON syntax error is found without the server";
  t = await editorText();
  at = t.indexOf("\"messages\"");
  const line = t.slice(0, at).split("\n").length;
  await selectRange(at, at);
  // Single quotes: Chromium's message gives no position; the page finds it.
  const typo = "'x': 1, ";
  await page.keyboard.type(typo);
  await page.waitForSelector("#problem:not([hidden])");
  const where = await page.textContent("#problem-field");
  check(where === `JSON syntax · line ${line}`, `syntax error at line ${line}, got "${where}"`);
  for (let k = 0; k < typo.length; k++) await page.keyboard.press("Backspace");
  await page.waitForSelector("#problem", { state: "hidden" });

  step = "render an image";
  await page.click("#render");
  await page.waitForFunction(() => document.getElementById("result-line").textContent.includes("Image ready"));
  await page.waitForFunction(() => document.getElementById("export-image").naturalWidth === 390);
  check((await page.getAttribute("#download", "href")).startsWith("/api/v1/files/"), "a download link on this server");
  await page.click("#tab-preview");

  step = "a video payload and its time slider";
  n = await seq();
  await page.selectOption("#kind", "video");
  const v0 = await nextPreview(n);
  check(await page.isVisible("#scrubber"), "the time slider shows for a video");
  check(v0.frameMs === 0, `first frame at 0 ms, got ${v0.frameMs}`);
  const start = await pixels();
  const max = Number(await page.$eval("#time", (r) => r.max));
  check(max > 3000, `the slider spans the video (${max} ms)`);
  n = await seq();
  await page.fill("#time", String(Math.round(max / 2)));
  const mid = await nextPreview(n);
  check(Math.abs(mid.frameMs - max / 2) < 100, `the frame at the slider's time (${mid.frameMs} for ${max / 2})`);
  check((await pixels()) !== start, "a later frame shows more of the conversation");
  check(mid.width === 390, "video frame at 1x");

  step = "render a short video";
  const short = JSON.parse(await editorText());
  short.props.messages = short.props.messages.slice(0, 3);
  short.props.video = { startDelayMs: 200, messageDelayMs: 300, endHoldMs: 500, typingMs: 600 };
  await page.fill("#json", JSON.stringify(short, null, 2));
  await page.click("#render");
  await page.waitForSelector("#progress:not([hidden])");
  await page.waitForFunction(() => document.getElementById("progress").dataset.value === "100", null, { timeout: 120_000 });
  await page.waitForFunction(() => document.getElementById("video").readyState >= 2, null, { timeout: 30_000 });
  // It really decodes and plays: time moves.
  await page.$eval("#video", (v) => { v.muted = true; return v.play(); });
  await page.waitForFunction(() => document.getElementById("video").currentTime > 0.5, null, { timeout: 30_000 });
  await page.$eval("#video", (v) => v.pause());
  const video = await page.$eval("#video", (v) => ({ w: v.videoWidth, h: v.videoHeight, d: v.duration, src: v.src }));
  check(video.w === 390, `the <video> loaded the MP4 at 1x (${video.w}×${video.h})`);
  check(video.d > 1 && video.d < 20, `its duration is a short video's (${video.d} s)`);
  check(new URL(video.src).origin === new URL(base).origin, "played from this server");
  check((await page.textContent("#result-line")).includes("Video ready"), "says the video is ready");
  measured.videoSeconds = video.d;

  step = "a transparent WebM plays with its alpha";
  // VP9 with alpha as a second stream, a hold of one-byte frames that show the
  // last one again: Chromium's decoder must keep the alpha through both.
  const clear = JSON.parse(JSON.stringify(short));
  clear.props.transparentBackground = true;
  clear.props.video = { ...short.props.video, format: "webm", endHoldMs: 1500 };
  await page.fill("#json", JSON.stringify(clear, null, 2));
  await page.click("#render");
  await page.waitForFunction(() => document.getElementById("result-line").textContent.includes("Video ready: WEBM"), null, { timeout: 120_000 });
  await page.waitForFunction(() => document.getElementById("video").readyState >= 2, null, { timeout: 30_000 });
  const alpha = await page.$eval("#video", async (v) => {
    const canvas = document.createElement("canvas");
    canvas.width = v.videoWidth;
    canvas.height = v.videoHeight;
    const c = canvas.getContext("2d", { willReadFrequently: true });
    const shares = [];
    for (const t of [v.duration * 0.45, v.duration - 0.3]) {
      v.currentTime = t;
      const seeked = new Promise((r) => v.addEventListener("seeked", r, { once: true }));
      const late = new Promise((_, no) => setTimeout(() => no(new Error(`no seek to ${t} s`)), 10_000));
      await Promise.race([seeked, late]);
      c.clearRect(0, 0, canvas.width, canvas.height);
      c.drawImage(v, 0, 0);
      const px = c.getImageData(0, 0, canvas.width, canvas.height).data;
      let clear = 0, opaque = 0;
      for (let i = 3; i < px.length; i += 4) {
        if (px[i] === 0) clear++;
        else if (px[i] === 255) opaque++;
      }
      shares.push({ t, clear: clear / (px.length / 4), opaque: opaque / (px.length / 4) });
    }
    return { w: v.videoWidth, shares };
  });
  check(alpha.w === 390, `the WebM loaded at 1x (${alpha.w})`);
  for (const s of alpha.shares) {
    check(s.clear > 0.3 && s.opaque > 0.03, `at ${s.t.toFixed(2)} s, ${(s.clear * 100).toFixed(0)} % clear and ${(s.opaque * 100).toFixed(0)} % opaque`);
  }
  measured.webmAlpha = alpha.shares;
  await page.fill("#json", JSON.stringify(short, null, 2));

  step = "copy as curl and as JavaScript";
  await page.click("#copy-curl");
  await page.waitForSelector("#snippet[open]");
  const curl = await page.$eval("#snippet-text", (t) => t.value);
  check(curl.startsWith(`curl -sS -X POST ${base}/api/v1/chat/render`), "curl posts to this server");
  check(curl.includes("$MOCKLY_API_KEY") && !curl.includes(key), "curl reads the key from the environment, never embeds it");
  check(curl.includes("\"renderKind\": \"video\""), "curl carries the current payload");
  await page.click("#snippet-close");
  await page.click("#copy-js");
  await page.waitForSelector("#snippet[open]");
  const js = await page.$eval("#snippet-text", (t) => t.value);
  check(js.includes("statusUrl") && js.includes("data.progress") && !js.includes(key), "the polling loop, without the key");
  await page.screenshot({ path: join(artifacts, "playground-copy.png") });
  await page.click("#snippet-close");

  step = "dark page";
  await page.click("#theme-toggle");
  check((await page.getAttribute("html", "data-theme")) === "dark", "the page turns dark");
  await page.screenshot({ path: join(artifacts, "playground-export-dark.png") });
  await page.click("#tab-preview");
  check(await page.isVisible("#preview") && !(await page.isVisible("#video")), "back to the live preview");
  await page.screenshot({ path: join(artifacts, "playground-dark.png") });

  step = "the key stays in this browser";
  const html = await (await page.request.get(`${base}/`)).text();
  check(!html.includes(key), "the key is not in the page");
  const reloaded = await context.newPage();
  await reloaded.goto(`${base}/`);
  await reloaded.waitForFunction(() => document.getElementById("key-state").textContent.startsWith("Key OK"));
  await reloaded.close();

  step = "nothing outside this server, no errors in the page";
  check(outside.length === 0, `requests left the server: ${outside.join(", ")}`);
  check(problems.length === 0, `the page logged errors: ${problems.join(" | ")}`);
  console.log(JSON.stringify(measured));
} catch (e) {
  console.error(String(e.stack || e));
  if (problems.length) console.error(`page errors: ${problems.join(" | ")}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
