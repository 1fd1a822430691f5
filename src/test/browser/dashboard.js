// Opens the live dashboard in Debian's chromium (playwright-core, no downloaded browser), waits until the
// expected quotes show in the grid, and saves a screenshot. Driven by marketdata.DashboardBrowserTest.
//
//   node dashboard.js --url http://127.0.0.1:8080/?symbols=A,B --expect A=1.5,B=2 --screenshot out.png
//
// It signals readiness ("READY" on stdout once the page has its snapshot) so the JUnit test can produce
// ticks after the WebSocket is subscribed, and exits non-zero with a reason if anything is missing.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

function args(argv) {
  const out = {};
  for (let i = 2; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  return out;
}

async function main() {
  const opts = args(process.argv);
  const expected = Object.fromEntries((opts.expect || '').split(',').filter(Boolean).map((p) => p.split('=')));
  const timeoutMs = Number(opts.timeout || 30000);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: opts.chromium || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 720 },
  });
  try {
    const page = context.pages()[0] || await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') console.error('page console:', m.text()); });
    await page.goto(opts.url, { timeout: timeoutMs });
    await page.waitForSelector('#ws-status.status-open', { timeout: timeoutMs });
    console.log('READY');
    await page.waitForFunction((want) => Object.entries(want).every(([symbol, price]) => {
      const row = document.querySelector('#quotes tr[data-symbol="' + symbol + '"] .price');
      return row && row.textContent === price;
    }), expected, { timeout: timeoutMs, polling: 100 });
    await page.waitForSelector('#stats dl, #stats-unavailable', { timeout: timeoutMs });
    const stats = await page.textContent('#stats');
    console.log('STATS ' + JSON.stringify(stats.trim()));
    if (opts.screenshot) {
      fs.mkdirSync(path.dirname(opts.screenshot), { recursive: true });
      await page.screenshot({ path: opts.screenshot, fullPage: true });
    }
    console.log('OK ' + Object.keys(expected).length + ' quotes shown');
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error('FAILED ' + (e && e.stack || e)); process.exit(1); });
