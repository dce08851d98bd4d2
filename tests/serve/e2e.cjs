// candor serve end to end, in Debian's Chromium driven headless by playwright-core, on a
// phone's viewport: an invitation link is opened, half the card answered; a second browser
// context (another device) opens the same link and resumes where the guest stopped, finishes
// and sends; the receipt and its status link are shown, the status page says received; the
// used link is refused with 410; head office opens the card and finds every answer.
// usage: node e2e.cjs CANDOR SURVEY WORKDIR SHOTS  (NODE_PATH holds playwright-core)
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");
const assert = require("assert/strict");
const { phone, freePort, startServer, stopServer, launch } = require("./harness.cjs");

const [candor, survey, work, shots] = process.argv.slice(2);

const run = (...args) => execFileSync(candor, args, { encoding: "utf8" });

async function main() {
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(shots, { recursive: true });
  run("keys", "hq", "--out", path.join(work, "hq"));
  run("keys", "device", "--id", "hq-web", "--out", path.join(work, "device"));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const link = run("serve", "token", "--state", path.join(work, "state"), "--stay", "B-1042",
    "--site", "paris-01", "--survey", "hotel-stay", "--base", origin).trim();
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/s\/[A-Za-z0-9_-]{22}$/);
  const server = await startServer(candor, ["--state", path.join(work, "state"), "--survey", survey,
    "--device-key", path.join(work, "device", "hq-web.key"), "--hq-public", path.join(work, "hq", "hq.pub"),
    "--site", "paris-01", "--field", "channel=web", "--field", "shift=day",
    "--port", String(port), "--status-base", origin]);

  const browser = await launch();
  const external = [];
  let receipt = "";
  const consoleErrors = [];
  const watch = (page) => {
    page.on("request", (r) => { if (!r.url().startsWith(origin)) external.push(r.url()); });
    page.on("console", (m) => { if (m.type() === "error" && !/status of 410/.test(m.text())) consoleErrors.push(m.text()); });
    page.on("pageerror", (e) => consoleErrors.push(String(e)));
  };
  try {
    // The first device: the first screen answered, on to the second, one answer there.
    const first = await browser.newContext(phone);
    const a = await first.newPage();
    watch(a);
    const q = (page, id) => page.locator(`[data-question="${id}"]`);
    const choose = (page, id, value) => q(page, id).locator(`button[data-value="${value}"]`).click();
    await a.goto(link);
    await a.locator('button[data-language="en"]').click();
    await choose(a, "recommend", 10);
    await choose(a, "satisfaction", 5);
    await a.screenshot({ path: path.join(shots, "01-phone-first-screen.png") });
    await a.locator("#next").click();
    const saved = a.waitForResponse((r) => r.url().endsWith("/draft") && r.status() === 204);
    await choose(a, "cleanliness", 4);
    await saved;
    await first.close();

    // Another device: the same link resumes on the second screen with every answer.
    const second = await browser.newContext(phone);
    const b = await second.newPage();
    watch(b);
    await b.goto(link);
    await q(b, "cleanliness").waitFor({ state: "visible" });
    assert.equal(await q(b, "cleanliness").locator('[aria-checked="true"]').getAttribute("data-value"), "4");
    await b.screenshot({ path: path.join(shots, "02-phone-resumed.png") });
    await b.locator("#back").click();
    assert.equal(await q(b, "recommend").locator('[aria-checked="true"]').getAttribute("data-value"), "10");
    await b.locator("#next").click();
    await choose(b, "staff", 5);
    await choose(b, "reason", "leisure");
    await b.locator("#next").click();
    await q(b, "best_part").locator("textarea").fill("The breakfast terrace.");
    await b.locator("#send").click();
    await b.locator("#receipt").waitFor();
    receipt = (await b.locator("#receipt").textContent()).trim();
    assert.match(receipt, /^[0-9A-Z]{3}-[0-9A-Z]{3}$/);
    await b.screenshot({ path: path.join(shots, "03-phone-thanks.png") });

    // The status link on the thank-you screen: received, nothing of the card.
    const statusLink = await b.locator("#status").getAttribute("href");
    assert.ok(statusLink.startsWith(`${origin}/r/${receipt}?`), statusLink);
    // Its QR code beside it, made by the server (an SVG of one path, nothing fetched).
    assert.ok(await b.locator("#status-qr").isVisible());
    assert.ok((await b.locator("#status-qr path").getAttribute("d")).startsWith("M"));
    await b.locator("#status").click();
    await b.locator("#received").waitFor();
    assert.match(await b.locator("#received").textContent(), /^\d{4}-\d\d-\d\dT/);
    assert.equal(await b.locator("#read").textContent(), "not yet");
    assert.equal((await b.content()).includes("breakfast terrace"), false);
    await b.screenshot({ path: path.join(shots, "04-phone-status.png") });

    // The used link, on either device: refused, and said so.
    const used = await b.goto(link);
    assert.equal(used.status(), 410);
    assert.match(await b.locator("h1").textContent(), /Already answered/);
    await b.screenshot({ path: path.join(shots, "05-phone-used-link.png") });

    assert.deepEqual(external, [], "the page asked for nothing beyond the server");
    assert.deepEqual(consoleErrors, []);
  } finally {
    await browser.close();
    await stopServer(server);
  }

  // Head office opens the server's card: the answers of both devices, the link's fields.
  const bundle = path.join(work, "hq-web.bundle");
  run("journal", "export", path.join(work, "state", "journal"), "--after", "0", "--out", bundle);
  const store = path.join(work, "store"), hqKey = path.join(work, "hq", "hq.key");
  assert.match(run("hq", "import", "--store", store, "--hq-key", hqKey, "--devices",
    path.join(work, "device", "hq-web.pub"), bundle), /1 accepted, 0 already had, 0 refused/);
  const cards = run("hq", "responses", "--store", store, "--hq-key", hqKey).trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(cards.length, 1);
  assert.deepEqual(cards[0].fields, { site: "paris-01", device: "hq-web", channel: "web", shift: "day" });
  assert.deepEqual(cards[0].answers, { recommend: 10, satisfaction: 5, cleanliness: 4, staff: 5,
    reason: "leisure", best_part: "The breakfast terrace." });
  console.log(`one card through two devices, receipt ${receipt}, received at head office; screenshots in ${shots}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
