// candor-kiosk end to end, in Debian's Chromium driven headless by playwright-core: two
// guests fill the hotel card (in English, then in French), a condition opens a question, a
// bad answer is refused and shown, the card starts over after the thank-you screen and
// after idling, and head office finds both cards intact. A kiosk given a status key by head
// office shows the card's status link and its QR code on the thank-you screen, and the link
// at head office's `candor serve` says the card is on its way, then, once `candor sync`
// pushed it, received. Screenshots of each screen are written to SHOTS as PNG files.
// usage: node e2e.cjs CANDOR KIOSK SURVEY WORKDIR SHOTS  (NODE_PATH holds playwright-core)
"use strict";
const { chromium } = require("playwright-core");
const { spawn, execFileSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const assert = require("assert/strict");

const [candor, kioskBinary, survey, work, shots] = process.argv.slice(2);
// Long enough that a loaded test machine never idles out mid-card, short enough to wait for.
const idleSeconds = 6;

function run(...args) {
  return execFileSync(candor, args, { encoding: "utf8" });
}

// Starts the kiosk on a free port; resolves to its address once it says it is serving.
function startKiosk(...extra) {
  const kiosk = spawn(kioskBinary, [...extra, "--survey", survey, "--journal", path.join(work, "journal"),
    "--device-key", path.join(work, "device", "kiosk-7.key"), "--hq-public", path.join(work, "hq", "hq.pub"),
    "--field", "site=paris-01", "--field", "channel=kiosk", "--field", "shift=day",
    "--port", "0", "--idle", String(idleSeconds)], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    kiosk.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/serving hotel-stay on (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) resolve({ kiosk, url: m[1] });
    });
    kiosk.on("exit", (code) => reject(new Error(`candor-kiosk exited with ${code}: ${out}`)));
  });
}

// Starts `candor serve` on a free port; resolves to its address once it listens.
function startServe(...args) {
  const serve = spawn(candor, ["serve", ...args, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    serve.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/serving on (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) resolve({ kiosk: serve, url: m[1] });
    });
    serve.on("exit", (code) => reject(new Error(`candor serve exited with ${code}: ${out}`)));
  });
}

// The journal has one writer: the next kiosk starts once this one is gone.
function stop(kiosk) {
  return new Promise((resolve) => {
    if (kiosk.exitCode !== null || kiosk.signalCode !== null) return resolve();
    kiosk.on("exit", resolve);
    kiosk.kill("SIGTERM");
  });
}

async function main() {
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(shots, { recursive: true });
  run("keys", "hq", "--out", path.join(work, "hq"));
  run("keys", "device", "--id", "kiosk-7", "--out", path.join(work, "device"));
  const { kiosk, url } = await startKiosk();

  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "candor-kiosk-chromium-"));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1024, height: 768 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = browser.pages()[0] || await browser.newPage();
  const external = [];
  page.on("request", (r) => { if (!r.url().startsWith(url)) external.push(r.url()); });
  const consoleErrors = [];
  page.on("console", (m) => { if (m.type() === "error" && !/status of 422/.test(m.text())) consoleErrors.push(m.text()); });
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  // What the guest sees on the tablet: the viewport, not the whole scrolled page.
  const shot = (name) => page.screenshot({ path: path.join(shots, `${name}.png`) });
  const question = (id) => page.locator(`[data-question="${id}"]`);
  const choose = (id, value) => question(id).locator(`button[data-value="${value}"]`).click();

  try {
    // Guest 1, in English.
    await page.goto(url);
    await page.locator('button[data-language="fr"]').waitFor();
    await shot("01-welcome");
    await page.locator('button[data-language="en"]').click();
    await choose("recommend", 10);
    await choose("satisfaction", 5);
    await choose("checkin_effort", 2);
    await shot("02-en-your-stay");
    await page.locator("#next").click();
    await choose("cleanliness", 5);
    await choose("staff", 4);
    await choose("breakfast", 4);
    await choose("reason", "leisure");
    await choose("amenities", "spa");
    await choose("amenities", "pool");
    await shot("03-en-details");
    await page.locator("#next").click();
    // recommend >= 9: best_part is shown with the score piped in; what_went_wrong is not.
    await assert.doesNotReject(question("best_part").waitFor({ state: "visible" }));
    assert.equal(await question("what_went_wrong").isVisible(), false);
    assert.match(await question("best_part").locator(".prompt").textContent(), /You gave us 10\. /);
    await question("best_part").locator("textarea").fill("The view from the terrace.");
    assert.equal(await question("email").isVisible(), false);
    await choose("contact_me", "true");
    // The condition opens the contact questions as the guest answers.
    assert.equal(await question("email").isVisible(), true);
    assert.equal(await question("phone").isVisible(), true);
    assert.equal((await question("email").locator(".hint").textContent()).trim(), "Required");
    await question("email").locator("input").fill("not-an-email");
    await shot("04-en-comments-condition-open");
    await page.locator("#send").click();
    // Refused by the engine: the problem is shown beside the question, nothing is written.
    await question("email").locator(".problem").waitFor({ state: "visible" });
    assert.match(await question("email").locator(".problem").textContent(), /check how this is written/);
    await shot("05-en-refused");
    await question("email").locator("input").fill("ana@example.org");
    assert.equal(await question("email").locator(".problem").isVisible(), false);
    // Timed in the page: from the click on Send to the receipt in the DOM.
    await page.evaluate(() => {
      window.candorTiming = {};
      document.getElementById("send").addEventListener("click", () => { window.candorTiming.clicked = performance.now(); }, true);
      new MutationObserver((_, o) => {
        if (document.getElementById("receipt")) { window.candorTiming.shown = performance.now(); o.disconnect(); }
      }).observe(document.body, { childList: true, subtree: true });
    });
    await page.locator("#send").click();
    await page.locator("#receipt").waitFor();
    const { clicked, shown: shownAt } = await page.evaluate(() => window.candorTiming);
    const receiptEn = (await page.locator("#receipt").textContent()).trim();
    assert.match(receiptEn, /^[0-9A-Z]+-[0-9A-Z]+$/);
    await shot("06-en-thanks");
    console.log(`click on Send to receipt on screen: ${(shownAt - clicked).toFixed(1)} ms`);

    // The thank-you screen gives way to a fresh card: nothing of guest 1 is left.
    await page.locator('button[data-language="en"]').waitFor({ timeout: (idleSeconds + 5) * 1000 });
    const after = await page.content();
    for (const trace of ["ana@example.org", "terrace", receiptEn]) assert.equal(after.includes(trace), false, trace);
    await page.locator('button[data-language="fr"]').click();
    assert.equal(await page.locator('[aria-checked="true"], [aria-pressed="true"]').count(), 0);
    await shot("07-fr-fresh-card");

    // Guest 2, in French: low scores open what_went_wrong instead.
    await choose("recommend", 3);
    await choose("satisfaction", 2);
    assert.equal((await question("recommend").locator(".prompt").textContent()).trim(),
      "Quelle est la probabilité que vous nous recommandiez à un ami\u00a0?");
    await page.locator("#next").click();
    await choose("cleanliness", 2);
    await choose("staff", 1);
    await choose("reason", "business");
    await shot("08-fr-details");
    await page.locator("#next").click();
    await question("what_went_wrong").waitFor({ state: "visible" });
    assert.equal(await question("best_part").isVisible(), false);
    await question("what_went_wrong").locator("textarea").fill("Le veilleur de nuit a été impoli.");
    await choose("contact_me", "false");
    assert.equal(await question("email").isVisible(), false);
    await shot("09-fr-comments");
    await page.locator("#send").click();
    await page.locator("#receipt").waitFor();
    const receiptFr = (await page.locator("#receipt").textContent()).trim();
    assert.equal(await page.locator("h1").textContent(), "Merci !");
    await shot("10-fr-thanks");
    await page.locator("#done").click();

    // Guest 3 walks away: after the idle time the card starts over, empty.
    await page.locator('button[data-language="en"]').click();
    await choose("recommend", 7);
    await page.locator('button[data-language="en"]').waitFor({ timeout: (idleSeconds + 5) * 1000 });
    await shot("11-after-idle");
    await page.locator('button[data-language="en"]').click();
    assert.equal(await page.locator('[aria-checked="true"]').count(), 0);

    assert.deepEqual(external, [], "the page asked for nothing beyond the kiosk");
    assert.deepEqual(consoleErrors, []);
    await stop(kiosk);

    // The other layouts: one question per screen, and the whole card on one.
    for (const [layout, first] of [["question", 1], ["card", 9]]) {
      const other = await startKiosk("--layout", layout);
      try {
        await page.goto(other.url);
        await page.locator('button[data-language="en"]').click();
        const visible = await page.locator("section.question:visible").count();
        assert.equal(visible, first, `${layout}: questions on the first screen`);
        await shot(`12-layout-${layout}`);
      } finally {
        await stop(other.kiosk);
      }
    }

    // Head office: the device's journal exported, imported and opened.
    const bundle = path.join(work, "kiosk-7.bundle");
    run("journal", "export", path.join(work, "journal"), "--after", "0", "--out", bundle);
    const store = path.join(work, "store"), hqKey = path.join(work, "hq", "hq.key");
    assert.match(run("hq", "import", "--store", store, "--hq-key", hqKey, "--devices",
      path.join(work, "device", "kiosk-7.pub"), bundle), /2 accepted, 0 already had, 0 refused/);
    const cards = run("hq", "responses", "--store", store, "--hq-key", hqKey).trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(cards.length, 2, "the refused card was not written");
    const fields = { site: "paris-01", device: "kiosk-7", channel: "kiosk", shift: "day" };
    assert.deepEqual(cards[0].fields, fields);
    assert.equal(cards[0].language, "en");
    assert.deepEqual(cards[0].answers, { recommend: 10, satisfaction: 5, checkin_effort: 2, cleanliness: 5,
      staff: 4, breakfast: 4, reason: "leisure", amenities: ["spa", "pool"],
      best_part: "The view from the terrace.", contact_me: true, email: "ana@example.org" });
    assert.equal(cards[1].language, "fr");
    assert.deepEqual(cards[1].answers, { recommend: 3, satisfaction: 2, cleanliness: 2, staff: 1,
      reason: "business", what_went_wrong: "Le veilleur de nuit a été impoli.", contact_me: false });
    for (const code of [receiptEn, receiptFr]) assert.match(run("hq", "receipt", "--store", store, code), /kiosk-7/);
    console.log(`2 cards (en, fr) arrived intact at head office; receipts ${receiptEn} ${receiptFr}`);

    // A kiosk with a status key from head office: the thank-you screen links the card's
    // status page, and shows the link as a QR code.
    const state = path.join(work, "hq-state"), statusKey = path.join(work, "device", "kiosk-7.status");
    const base = "https://feedback.example.com";
    run("serve", "device-key", "--state", state, "--device", "kiosk-7", "--out", statusKey);
    assert.equal(fs.statSync(statusKey).mode & 0o777, 0o600);
    const linked = await startKiosk("--status-base", base, "--status-key", statusKey);
    let link;
    try {
      await page.goto(linked.url);
      await page.locator('button[data-language="en"]').click();
      await choose("recommend", 8);
      await choose("satisfaction", 4);
      await page.locator("#next").click();
      await choose("reason", "leisure");
      await page.locator("#next").click();
      await choose("contact_me", "false");
      await page.locator("#send").click();
      await page.locator("#receipt").waitFor();
      const receipt = (await page.locator("#receipt").textContent()).trim();
      link = await page.locator("a#status").getAttribute("href");
      assert.ok(link.startsWith(`${base}/r/${receipt}?d=kiosk-7&n=3&c=`), link);
      const qr = page.locator("#status-qr");
      assert.equal(await qr.isVisible(), true);
      // On the tablet's one screen, no scrolling: a phone reads it where the guest sees it.
      const box = await qr.boundingBox();
      assert.ok(box.width >= 150, "a QR code a phone can read from the screen");
      assert.ok(box.y >= 0 && box.y + box.height <= 768, `the QR code on screen: ${JSON.stringify(box)}`);
      assert.ok(await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight),
        "the thank-you screen fits the tablet's screen");
      assert.match(await qr.locator("path").getAttribute("d"), /^(M\d+ \d+h1v1h-1z)+$/);
      await shot("13-en-thanks-status-link");
    } finally {
      await stop(linked.kiosk);
    }
    assert.deepEqual(external.filter((u) => !u.startsWith("http://127.0.0.1:")), [],
      "the page asked for nothing beyond the kiosks (not even the status link)");

    // At head office: on its way until the kiosk's journal is pushed, then received.
    run("keys", "device", "--id", "hq-web", "--out", path.join(work, "server"));
    const hqServe = await startServe("--state", state, "--survey", survey,
      "--device-key", path.join(work, "server", "hq-web.key"), "--hq-public", path.join(work, "hq", "hq.pub"),
      "--site", "paris-01", "--field", "channel=web", "--field", "shift=day",
      "--store", store, "--hq-key", hqKey, "--devices", path.join(work, "device", "kiosk-7.pub"));
    try {
      const statusPage = async (href) => {
        const r = await fetch(hqServe.url + href.slice(base.length));
        return { status: r.status, body: await r.text() };
      };
      const before = await statusPage(link);
      assert.equal(before.status, 200);
      assert.match(before.body, /on its way/);
      assert.equal((await statusPage(link.slice(0, -1) + (link.endsWith("a") ? "b" : "a"))).status, 404);
      assert.match(run("sync", "--journal", path.join(work, "journal"), "--device-key",
        path.join(work, "device", "kiosk-7.key"), "--server", hqServe.url), /: 1 sent, 1 accepted/);
      const after = await statusPage(link);
      assert.equal(after.status, 200);
      assert.match(after.body, /<dd id="received">\d{4}-\d\d-\d\dT/);
      assert.doesNotMatch(after.body, /on its way/);
    } finally {
      await stop(hqServe.kiosk);
    }
    console.log(`the kiosk's status link: on its way, then received at head office; screenshots in ${shots}`);
  } finally {
    await browser.close();
    kiosk.kill("SIGTERM");
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
