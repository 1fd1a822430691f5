// Opens the live dashboard in Debian's chromium (playwright-core, no downloaded browser), waits until the
// expected quotes show in the grid, and saves a screenshot. Driven by marketdata.DashboardBrowserTest.
//
//   node dashboard.js --url http://127.0.0.1:8080/?symbols=A,B --expect A=1.5,B=2 --screenshot out.png
//   node dashboard.js --url http://127.0.0.1:8080/?symbols=A,B --moving 2 --timeout 10000   (prices must change)
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

// Waits until `count` rows of the grid have shown a price other than the first one seen for them.
async function waitForMovingPrices(page, count, timeoutMs) {
  const first = {};
  const moved = new Set();
  const deadline = Date.now() + timeoutMs;
  while (moved.size < count) {
    if (Date.now() > deadline) throw new Error('only ' + moved.size + ' of ' + count + ' prices moved: ' + JSON.stringify(first));
    const prices = await page.$$eval('#quotes tr[data-symbol]', (rows) => rows.map((row) =>
      [row.getAttribute('data-symbol'), row.querySelector('.price').textContent]));
    for (const [symbol, price] of prices) {
      if (!(symbol in first)) first[symbol] = price;
      else if (first[symbol] !== price) moved.add(symbol);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  console.log('MOVING ' + [...moved].join(','));
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
    if (opts.moving) {
      await waitForMovingPrices(page, Number(opts.moving), timeoutMs);
    }
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
