// A warm headless Chromium screenshotting a chat, the way browser-based mockup
// services work: the page and its fonts are loaded once, then each render puts the
// conversation into the page and takes a PNG screenshot at the same pixel size as
// ours. Usage: node screenshot.mjs <payload.json> <iterations>; prints JSON with
// the p50 and the screenshot's size (SAVE=<file.png> keeps one screenshot).
// With `serve` for <iterations> it takes its orders from stdin instead, so a
// benchmark can take turns with it in the same minutes: after five warm-up shots it
// prints one JSON line (the screenshot's size, the browser's version), then for
// each line `<n>` it reads it takes n shots and prints their times (`{"ms":[…]}`);
// it closes the browser at the end of its input. Chromium comes from the system (Debian's
// `chromium`), driven by playwright-core.
import { chromium } from "playwright-core";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const [payloadPath, iterationsArg] = process.argv.slice(2);
const serve = iterationsArg === "serve";
const iterations = serve ? 0 : Number(iterationsArg ?? 40);
const payload = JSON.parse(readFileSync(payloadPath, "utf8"));
const here = dirname(fileURLToPath(import.meta.url));
const inter = readFileSync(join(here, "../fonts/inter/Inter-Regular.otf")).toString("base64");
const scale = { "1x": 1, "2x": 2, "3x": 3, "4x": 4 }[payload.resolutionScale ?? "2x"] ?? 2;
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";

// An iMessage-like page: status bar, header, day label, bubbles, composer.
const page_html = `<!doctype html><html><head><style>
@font-face { font-family: Inter; src: url(data:font/otf;base64,${inter}); }
* { box-sizing: border-box; margin: 0; }
body { width: 390px; font-family: Inter, sans-serif; background: #fff; }
.status { height: 54px; display: flex; justify-content: space-between; align-items: center; padding: 0 32px; font-weight: 600; font-size: 17px; }
.header { height: 96px; display: flex; flex-direction: column; align-items: center; gap: 4px; border-bottom: 1px solid #ddd; background: #f6f6f6; }
.avatar { width: 56px; height: 56px; border-radius: 50%; background: linear-gradient(#a5abb8, #858994); color: #fff; display: grid; place-items: center; font-size: 22px; }
.name { font-size: 12px; }
.day { text-align: center; color: #8e8e93; font-size: 12px; margin: 14px 0 6px; }
.row { display: flex; padding: 1px 16px; }
.row.me { justify-content: flex-end; }
.bubble { max-width: 270px; padding: 7px 12px; border-radius: 18px; font-size: 17px; line-height: 22px; background: #e9e9eb; color: #000; }
.me .bubble { background: #0b84fe; color: #fff; }
.receipt { text-align: right; color: #8e8e93; font-size: 11px; padding: 2px 18px; }
.composer { margin: 10px 12px 34px; height: 36px; border: 1px solid #ccc; border-radius: 18px; color: #aaa; padding: 8px 14px; font-size: 16px; }
</style></head><body><div id="chat"></div></body></html>`;

function fill(payload) {
  const p = payload.props;
  const esc = (s) => s.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]);
  const them = p.receivers[0];
  const rows = p.messages
    .map((m) => `<div class="row ${m.userId === p.sender.id ? "me" : ""}"><div class="bubble">${esc(m.text ?? "")}</div></div>`)
    .join("");
  const initials = them.name.split(" ").map((w) => w[0]).join("");
  document.getElementById("chat").innerHTML =
    `<div class="status"><span>9:41</span><span>▮▮▮ ◔ ▭</span></div>` +
    `<div class="header"><div class="avatar">${initials}</div><div class="name">${esc(them.name)} ›</div></div>` +
    `<div class="day">Today 6:02 PM</div>${rows}<div class="receipt">Read</div>` +
    `<div class="composer">iMessage</div>`;
}

const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: scale });
const page = await context.newPage();
await page.setContent(page_html);
await page.evaluate(() => document.fonts.ready);

let bytes = 0;
let size = [0, 0];
async function shot() {
  const t = performance.now();
  await page.evaluate(fill, payload);
  const png = await page.screenshot({ type: "png", fullPage: true });
  const ms = performance.now() - t;
  bytes = png.length;
  if (process.env.SAVE && size[0] === 0) writeFileSync(process.env.SAVE, png);
  size = [png.readUInt32BE(16), png.readUInt32BE(20)];
  return ms;
}
const about = () => ({ width: size[0], height: size[1], bytes, chromium: browser.version?.() ?? "" });

for (let i = 0; i < 5; i++) await shot();
if (serve) {
  const { createInterface } = await import("node:readline");
  console.log(JSON.stringify(about()));
  for await (const line of createInterface({ input: process.stdin })) {
    const ms = [];
    for (let i = 0; i < Number(line); i++) ms.push(await shot());
    console.log(JSON.stringify({ ms }));
  }
  await browser.close();
} else {
  const times = [];
  for (let i = 0; i < iterations; i++) times.push(await shot());
  await browser.close();
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({ p50_ms: times[Math.floor(times.length / 2)], min_ms: times[0], iterations, ...about() }));
}
