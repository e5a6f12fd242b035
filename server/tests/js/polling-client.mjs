// The hosted API reference's JavaScript client, unchanged except for the base URL:
// submit a payload, then poll statusUrl every 3 seconds until completed or failed.
// Usage: MOCKLY_API_KEY=… MOCKLY_BASE_URL=http://… node polling-client.mjs payload.json
import { readFileSync } from "node:fs";

const base = process.env.MOCKLY_BASE_URL;
const payload = JSON.parse(readFileSync(process.argv[2], "utf8"));

const submit = await fetch(`${base}/api/v1/chat/render`, {
  method: "POST",
  headers: {
    Authorization: `Bearer ${process.env.MOCKLY_API_KEY}`,
    "Content-Type": "application/json",
  },
  body: JSON.stringify(payload),
});
const { id, statusUrl } = await submit.json();
// Poll until done
while (true) {
  await new Promise((r) => setTimeout(r, 3000));
  const status = await fetch(statusUrl, {
    headers: { Authorization: `Bearer ${process.env.MOCKLY_API_KEY}` },
  });
  const data = await status.json();
  if (data.status === "completed") {
    console.log("Done:", data.downloadUrl);
    break;
  }
  if (data.status === "failed") {
    throw new Error(data.error);
  }
  console.log(`Rendering — ${Math.round((data.progress ?? 0) * 100)}%`);
}
