// Shared by the Chromium tests of candor serve: a free port, the server started and waited
// for, Debian's Chromium launched headless, and a phone's viewport.
"use strict";
const { chromium } = require("playwright-core");
const { spawn } = require("child_process");
const net = require("net");

const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

// A port free now, so that links can name it before the server starts.
function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// `candor serve ARGS`, once it says it listens.
function startServer(candor, args) {
  const server = spawn(candor, ["serve", ...args], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    server.stdout.on("data", (d) => {
      out += d;
      if (/serving on https?:\/\/127\.0\.0\.1:\d+\//.test(out)) resolve(server);
    });
    server.on("exit", (code) => reject(new Error(`candor serve exited with ${code}: ${out}`)));
  });
}

function stopServer(server) {
  server.kill("SIGTERM");
  return new Promise((resolve) => (server.exitCode !== null ? resolve() : server.on("exit", resolve)));
}

function launch() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

module.exports = { phone, freePort, startServer, stopServer, launch };
