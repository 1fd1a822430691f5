// Opens the live dashboard in Debian's chromium (playwright-core, no downloaded browser), waits until the
// expected quotes show in the grid, and saves a screenshot. Driven by marketdata.DashboardBrowserTest.
//
//   node dashboard.js --url http://127.0.0.1:8080/?symbols=A,B --expect A=1.5,B=2 --screenshot out.png
//   node dashboard.js --url http://127.0.0.1:8080/?symbols=A,B --moving 2 --timeout 10000   (prices must change)
//
// Further checks, in this order, each optional:
//   --chart A [--chart-close 1.23]  click A in the grid; its candle chart must load bars ("CHART_OPEN"), then its
//                                   last candle must close at 1.23 (a tick the test produces on CHART_OPEN), or
//                                   without --chart-close, at any other price than when it opened (live ticks)
//   --ops-burst true                 "OPS_WATCH", then a later operations sample must show REST trades/s > 0 and a p99
//   --reconnect true                 drop the page's WebSocket: the badge must say "reconnecting", then "live"
//   --restart true                   "RESTART_WATCH": the test restarts the service; the badge must go the same way
//   --portfolio-points N             the portfolio value chart must hold N points and the VaR line an answer
//   --responsive true                no horizontal scroll on a laptop (1366x768) nor a wall screen (2560x1440);
//                                    --wall-screenshot F saves the wall screen
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

const state = (page) => page.evaluate(() => window.__dashboard.state());

async function checkChart(page, opts, timeoutMs) {
  await page.click('#quotes tr[data-symbol="' + opts.chart + '"] .symbol');
  await page.waitForFunction((symbol) => {
    const s = window.__dashboard.state();
    return s.chart.symbol === symbol && s.chart.bars > 0 && document.querySelector('#price-chart canvas');
  }, opts.chart, { timeout: timeoutMs, polling: 100 });
  const opened = (await state(page)).chart;
  console.log('CHART_OPEN ' + opened.bars + ' bars, last close ' + opened.lastClose);
  const want = opts['chart-close'] == null ? null : Number(opts['chart-close']);
  await page.waitForFunction(([want, first]) => {
    const close = window.__dashboard.state().chart.lastClose;
    return want == null ? close !== first : close === want;
  }, [want, opened.lastClose], { timeout: timeoutMs, polling: 100 });
  const updated = (await state(page)).chart;
  console.log('CHART_UPDATED ' + updated.bars + ' bars, last close ' + updated.lastClose);
}

async function checkOpsBurst(page, timeoutMs) {
  await page.waitForFunction(() => window.__dashboard.state().ops.length > 0, null, { timeout: timeoutMs, polling: 200 });
  const mark = (await state(page)).ops.slice(-1)[0].time;
  console.log('OPS_WATCH');
  await page.waitForFunction((mark) => window.__dashboard.state().ops.some((p) => p.time > mark && p.trades.rest > 0),
    mark, { timeout: timeoutMs, polling: 200 });
  await page.waitForFunction((mark) => window.__dashboard.state().ops.some((p) => p.time > mark && p.p99 > 0),
    mark, { timeout: timeoutMs, polling: 200 });
  const moved = (await state(page)).ops.filter((p) => p.time > mark);
  const text = await page.textContent('#ops-tiles .tile[data-metric="trades"] .tile-value');
  console.log('OPS_MOVED max REST trades/s ' + Math.max(...moved.map((p) => p.trades.rest)).toFixed(1) +
    ', p99 ' + Math.max(...moved.map((p) => p.p99 || 0)) + ' ms; tile "' + text + '"');
}

// Records every text the badge shows, in the page: "reconnecting" may last only a moment.
const recordBadges = (page) => page.evaluate(() => {
  window.__badges = [];
  new MutationObserver(() => window.__badges.push(document.getElementById('ws-status').textContent))
    .observe(document.getElementById('ws-status'), { childList: true, characterData: true, subtree: true });
});

async function awaitReconnected(page, what, timeoutMs) {
  await page.waitForFunction(() => window.__badges.includes('reconnecting'), null, { timeout: timeoutMs, polling: 50 });
  await page.waitForFunction(() => window.__badges.lastIndexOf('live') > window.__badges.indexOf('reconnecting'),
    null, { timeout: timeoutMs, polling: 50 });
  console.log(what + ' badges ' + JSON.stringify(await page.evaluate(() => window.__badges)));
}

async function checkReconnect(page, timeoutMs) {
  await recordBadges(page);
  await page.evaluate(() => window.__dashboard.dropSocket());
  await awaitReconnected(page, 'RECONNECTED', timeoutMs);
}

/** The test restarts the service on "RESTART_WATCH"; the page must find it again by itself. */
async function checkRestart(page, timeoutMs) {
  await recordBadges(page);
  console.log('RESTART_WATCH');
  await awaitReconnected(page, 'RESTARTED', timeoutMs);
}

async function checkPortfolio(page, points, timeoutMs) {
  await page.waitForFunction((points) => Number(document.getElementById('portfolio-chart').dataset.points || 0) >= points
    && document.querySelectorAll('#positions tbody tr').length > 0
    && !document.getElementById('var').textContent.startsWith('loading'), points, { timeout: timeoutMs, polling: 200 });
  console.log('PORTFOLIO ' + JSON.stringify(await page.textContent('#var')));
}

const redrawn = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

async function checkResponsive(page, wallScreenshot) {
  for (const [width, height] of [[1366, 768], [2560, 1440]]) {
    await page.setViewportSize({ width, height });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 0) throw new Error('horizontal overflow of ' + overflow + ' px at ' + width + 'x' + height);
  }
  if (wallScreenshot) {
    await redrawn(page);
    fs.mkdirSync(path.dirname(wallScreenshot), { recursive: true });
    await screenshot(page, { path: wallScreenshot });
  }
  console.log('RESPONSIVE ok');
}

// Headless Chromium now and then answers "Unable to capture screenshot" while a frame is being produced: take it
// again after the next frames. The picture is an artifact; the checks are the test.
async function screenshot(page, options) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await page.screenshot(options);
    } catch (e) {
      if (attempt >= 3 || !/Unable to capture screenshot/.test(String(e))) throw e;
      await redrawn(page);
    }
  }
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
    viewport: { width: 1440, height: 900 },
  });
  try {
    const page = context.pages()[0] || await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') console.error('page console:', m.text()); });
    // the dashboard must run under the service's Content-Security-Policy: any violation fails the run
    await page.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation',
        (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
    });
    const served = await page.goto(opts.url, { timeout: timeoutMs });
    const policy = served.headers()['content-security-policy'];
    if (!policy) throw new Error('the dashboard page came without a Content-Security-Policy');
    await page.waitForSelector('#ws-status.status-open', { timeout: timeoutMs });
    console.log('READY');
    await page.waitForFunction((want) => Object.entries(want).every(([symbol, price]) => {
      const row = document.querySelector('#quotes tr[data-symbol="' + symbol + '"] .price');
      return row && row.textContent === price;
    }), expected, { timeout: timeoutMs, polling: 100 });
    if (opts.moving) {
      await waitForMovingPrices(page, Number(opts.moving), timeoutMs);
    }
    if (opts.chart) await checkChart(page, opts, timeoutMs);
    if (opts['ops-burst']) await checkOpsBurst(page, timeoutMs);
    if (opts.reconnect) await checkReconnect(page, timeoutMs);
    if (opts.restart) await checkRestart(page, timeoutMs);
    if (opts['portfolio-points']) await checkPortfolio(page, Number(opts['portfolio-points']), timeoutMs);
    if (opts.responsive) await checkResponsive(page, opts['wall-screenshot']);
    await page.waitForSelector('#stats dl, #stats-unavailable', { timeout: timeoutMs });
    const stats = await page.textContent('#stats');
    console.log('STATS ' + JSON.stringify(stats.trim()));
    if (opts.screenshot) {
      await page.setViewportSize({ width: 1440, height: 900 });
      // charts follow their containers through ResizeObserver: let two frames pass so they have redrawn
      await redrawn(page);
      fs.mkdirSync(path.dirname(opts.screenshot), { recursive: true });
      await screenshot(page, { path: opts.screenshot, fullPage: true });
    }
    const violations = await page.evaluate(() => window.__cspViolations);
    if (violations.length) throw new Error('Content-Security-Policy violations: ' + violations.join('; '));
    console.log('CSP ok: ' + policy);
    console.log('OK ' + Object.keys(expected).length + ' quotes shown');
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error('FAILED ' + (e && e.stack || e)); process.exit(1); });
