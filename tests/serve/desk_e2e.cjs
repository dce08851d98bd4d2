// The managers' case desk of candor serve, in Debian's Chromium driven headless by
// playwright-core on a phone's viewport: a guest's card (a table link, the guest asking to be
// contacted) goes through `candor hq import` and `candor route run`; the guest care manager
// asks for a sign-in link, reads it from the Maildir, signs in, opens the card, acknowledges
// and replies; the guest's status page then says read and answered; the used sign-in link is
// refused; the duty manager named on the card and a front-desk clerk get 404 for it, on the
// page and the JSON route. Screenshots of the desk go to $CANDOR_DESK_SHOTS when it is set.
// usage: node desk_e2e.cjs CANDOR SURVEY ORG WORKDIR  (NODE_PATH holds playwright-core)
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const http = require("http");
const path = require("path");
const assert = require("assert/strict");
const { phone, freePort, startServer, stopServer, launch } = require("./harness.cjs");

const [candor, survey, orgFile, work] = process.argv.slice(2);
const shots = process.env.CANDOR_DESK_SHOTS || "";
const run = (...args) => execFileSync(candor, args, { encoding: "utf8" });

function post(url, body, type) {
  return new Promise((resolve, reject) => {
    const r = http.request(url, { method: "POST", headers: { "Content-Type": type } }, (res) => {
      let data = "";
      res.on("data", (d) => (data += d));
      res.on("end", () => resolve({ status: res.statusCode, body: data }));
    });
    r.on("error", reject);
    r.end(body);
  });
}

// Quoted-printable undone: soft line breaks and =XX.
const unquote = (qp) => qp.replace(/=\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));

// The sign-in link last mailed to `address`, from the Maildir.
function mailedLink(maildir, address) {
  const dir = path.join(maildir, "new");
  const files = fs.readdirSync(dir).map((f) => path.join(dir, f))
    .sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs);
  let link = "";
  for (const f of files) {
    const text = unquote(fs.readFileSync(f, "utf8"));
    const m = text.match(/http:\/\/127\.0\.0\.1:\d+\/m\/in\/[A-Za-z0-9_-]+/);
    if (m && text.includes(`To: ${address}`)) link = m[0];
  }
  assert.ok(link, `a sign-in link mailed to ${address}`);
  return link;
}

async function main() {
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  if (shots) fs.mkdirSync(shots, { recursive: true });
  run("keys", "hq", "--out", path.join(work, "hq"));
  run("keys", "device", "--id", "hq-web", "--out", path.join(work, "device"));
  // The sample org, the front-desk clerk given an address so that he can try to sign in.
  const org = path.join(work, "hotel-chain.org");
  fs.writeFileSync(org, fs.readFileSync(orgFile, "utf8").replace(
    'person hugo "Hugo Petit" holds front_desk at paris-01',
    'person hugo "Hugo Petit" holds front_desk at paris-01 email "hugo.petit@lumiere.example"'));
  const rules = path.join(work, "hotel.rules");
  fs.writeFileSync(rules, "when contact_me == yes notify customer_care within 1 business day\n" +
    "when recommend <= 6 notify site_manager within 4h\n");
  const state = path.join(work, "state"), store = path.join(work, "store");
  const hqKey = path.join(work, "hq", "hq.key"), maildir = path.join(store, "mail");
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const server = await startServer(candor, ["--state", state, "--survey", survey,
    "--device-key", path.join(work, "device", "hq-web.key"), "--hq-public", path.join(work, "hq", "hq.pub"),
    "--site", "paris-01", "--field", "channel=web", "--field", "shift=night", "--field", "on_duty=leo",
    "--port", String(port), "--status-base", origin,
    "--store", store, "--org", org, "--rules", rules, "--hq-key", hqKey]);

  const browser = await launch();
  const external = [];
  const consoleErrors = [];
  const watch = (page) => {
    page.on("request", (r) => { if (!r.url().startsWith(origin)) external.push(r.url()); });
    page.on("console", (m) => { if (m.type() === "error" && !/status of 4\d\d/.test(m.text())) consoleErrors.push(m.text()); });
    page.on("pageerror", (e) => consoleErrors.push(String(e)));
  };
  const shot = async (page, name) => { if (shots) await page.screenshot({ path: path.join(shots, name), fullPage: true }); };
  // Signs `address` in through the desk's pages, as a person does.
  const signIn = async (context, address) => {
    const page = await context.newPage();
    watch(page);
    await page.goto(`${origin}/m/`);
    await page.locator('input[name="address"]').fill(address);
    await page.locator('button[type="submit"]').click();
    await page.locator("h1", { hasText: "Check your e-mail" }).waitFor();
    const link = mailedLink(maildir, address);
    await page.goto(link);
    await page.locator("button", { hasText: "Sign in" }).click();
    await page.locator("h1", { hasText: "Your cases" }).waitFor();
    return { page, link };
  };

  try {
    // The guest's card, and its status link.
    const taken = await post(`${origin}/t/paris-01/12/submit`, JSON.stringify({ language: "en", answers: {
      recommend: 2, satisfaction: 1, what_went_wrong: "The room was cold all night.",
      contact_me: true, email: "guest@example.com" } }), "application/json");
    assert.equal(taken.status, 200, taken.body);
    const status = JSON.parse(taken.body).status;

    // Head office's pass, as a timer runs it beside the server.
    const bundle = path.join(work, "hq-web.bundle");
    run("journal", "export", path.join(state, "journal"), "--after", "0", "--out", bundle);
    run("hq", "import", "--store", store, "--hq-key", hqKey, "--devices",
      path.join(work, "device", "hq-web.pub"), bundle);
    run("route", "run", "--org", org, "--rules", rules, "--survey", survey, "--store", store,
      "--hq-key", hqKey, "--desk-base", origin, "--desk-state", state, "-q");
    const caseId = "hq-web:1";
    const casePath = `/m/c/${encodeURIComponent(caseId)}`;

    // The guest care manager, on a phone.
    const care = await browser.newContext(phone);
    const { page: m, link } = await signIn(care, "care@candor-hotels.example");
    const item = m.locator(`a[href="${casePath}"]`);
    await item.waitFor();
    assert.match(await item.textContent(), /open/);
    await shot(m, "desk-01-cases.png");
    await item.click();
    await m.locator("dt", { hasText: "How likely are you to recommend us to a friend?" }).waitFor();
    assert.ok((await m.content()).includes("The room was cold all night."));
    assert.ok((await m.content()).includes("guest@example.com"), "care contacts guests: the address is shown");
    await shot(m, "desk-02-card.png");
    await m.locator("button", { hasText: "Acknowledge" }).click();
    await m.locator(".tag", { hasText: "acknowledged" }).waitFor();
    await m.locator('textarea[name="reply"]').fill("We are sorry: the heating is repaired, and your next night is on us.");
    await m.locator('form[action$="/reply"] textarea[name="note"]').fill("Heating repaired; night refunded.");
    await m.locator("button", { hasText: "Reply and resolve" }).click();
    await m.locator(".tag", { hasText: "resolved" }).waitFor();
    assert.match(await m.locator(".history").textContent(), /replied/);
    await shot(m, "desk-03-resolved.png");

    // The used sign-in link is refused.
    const again = await m.goto(link);
    assert.equal(again.status(), 410);

    // The guest's status page: read and answered, with their times.
    const guest = await browser.newContext(phone);
    const g = await guest.newPage();
    watch(g);
    await g.goto(status);
    assert.match(await g.locator("#read").textContent(), /^\d{4}-\d\d-\d\dT/);
    assert.match(await g.locator("#answered").textContent(), /^\d{4}-\d\d-\d\dT/);
    assert.equal((await g.content()).includes("heating"), false);

    // The duty manager named on the card, and a front-desk clerk of its site: 404.
    for (const address of ["leo.martin@lumiere.example", "hugo.petit@lumiere.example"]) {
      const context = await browser.newContext(phone);
      const { page } = await signIn(context, address);
      assert.equal(await page.locator(`a[href="${casePath}"]`).count(), 0);
      const card = await page.goto(`${origin}${casePath}`);
      assert.equal(card.status(), 404, address);
      const api = await page.goto(`${origin}/m/api/c/${encodeURIComponent(caseId)}`);
      assert.equal(api.status(), 404, address);
      assert.equal((await page.content()).includes("cold"), false);
      await context.close();
    }

    assert.deepEqual(external, [], "the desk asked for nothing beyond the server");
    assert.deepEqual(consoleErrors, []);
  } finally {
    await browser.close();
    await stopServer(server);
  }
  console.log(`signed in by mail, acknowledged and answered; the guest's page says answered${shots ? `; screenshots in ${shots}` : ""}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
