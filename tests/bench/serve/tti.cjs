// Time to interactive of candor serve's page in Debian's Chromium (playwright-core), on a
// phone's viewport: from navigation start to the first answer button the guest can press
// (the page built from /card.json by kiosk.js). Each load in a fresh browser context, so
// nothing is cached. Measured plain and with Lighthouse's mobile throttling (4x CPU
// slowdown, 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up), over HTTP and over the
// server's own TLS (--tls-cert). Prints medians of RUNS loads (default 15) and the page's
// weight as transferred.
// usage: node tti.cjs CANDOR SURVEY WORKDIR [RUNS]  (NODE_PATH holds playwright-core)
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");
const { phone, freePort, startServer, stopServer, launch } =
  require(path.join(__dirname, "..", "..", "serve", "harness.cjs"));

const [candor, survey, work, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 15);
const run = (cmd, ...args) => execFileSync(cmd, args, { encoding: "utf8" });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function load(browser, url, throttled) {
  const context = await browser.newContext({ ...phone, ignoreHTTPSErrors: true });
  const page = await context.newPage();
  let bytes = 0;
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  cdp.on("Network.loadingFinished", (e) => { bytes += e.encodedDataLength; });
  if (throttled) {
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false, latency: 150, downloadThroughput: (1.6e6 / 8), uploadThroughput: (750e3 / 8),
    });
  }
  await page.goto(url, { waitUntil: "commit" });
  // The first screen: the language choice, or the first question's buttons.
  await page.locator("button[data-language], button[data-value]").first().waitFor({ state: "visible" });
  const [ms, html, dom] = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    return [performance.now(), nav.responseEnd, nav.domContentLoadedEventEnd];
  });
  await context.close();
  return { ms, html, dom, bytes };
}

async function main() {
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  run(candor, "keys", "hq", "--out", path.join(work, "hq"));
  run(candor, "keys", "device", "--id", "hq-web", "--out", path.join(work, "device"));
  run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
    "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
    "-keyout", path.join(work, "tls.key"), "-out", path.join(work, "tls.pem"));
  const common = ["--survey", survey, "--device-key", path.join(work, "device", "hq-web.key"),
    "--hq-public", path.join(work, "hq", "hq.pub"), "--site", "paris-01",
    "--field", "channel=web", "--field", "shift=day"];
  const browser = await launch();
  const rows = [];
  try {
    for (const tls of [false, true]) {
      const port = await freePort();
      const server = await startServer(candor, ["--state", path.join(work, tls ? "state-tls" : "state"),
        ...common, "--port", String(port),
        ...(tls ? ["--tls-cert", path.join(work, "tls.pem"), "--tls-key", path.join(work, "tls.key")] : [])]);
      try {
        const url = `${tls ? "https" : "http"}://127.0.0.1:${port}/t/paris-01/12`;
        for (const throttled of [false, true]) {
          await load(browser, url, throttled);  // warm-up: the server's first answers
          const got = [];
          for (let i = 0; i < runs; i++) got.push(await load(browser, url, throttled));
          rows.push({ tls, throttled, ms: median(got.map((g) => g.ms)), html: median(got.map((g) => g.html)),
            dom: median(got.map((g) => g.dom)), bytes: median(got.map((g) => g.bytes)) });
        }
      } finally {
        await stopServer(server);
      }
    }
  } finally {
    await browser.close();
  }
  console.log(`time to interactive, median of ${runs} loads (fresh context each):`);
  for (const r of rows)
    console.log(`  ${r.tls ? "https (--tls-cert)" : "http             "}  ` +
      `${r.throttled ? "mobile throttling (4x CPU, 150 ms RTT, 1.6 Mbit/s)" : "unthrottled                                        "}` +
      `  ${r.ms.toFixed(0).padStart(6)} ms (page received ${r.html.toFixed(0)} ms, ` +
      `DOMContentLoaded ${r.dom.toFixed(0)} ms)  ${Math.round(r.bytes)} bytes transferred`);
}

main().catch((e) => { console.error(e); process.exit(1); });
