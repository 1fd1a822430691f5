// Live dashboard: quotes over the /ws/quotes WebSocket (port from /api/v1/dashboard/config), a candle chart of
// the clicked symbol, this node's operations (/api/v1/dashboard/ops), the portfolio with its VaR, and trade
// statistics. Charts are TradingView's lightweight-charts (global LightweightCharts, served from /assets/vendor).
(function () {
  'use strict';
  const LWC = window.LightweightCharts;
  const STATS_INTERVAL_MS = 5000;
  const OPS_INTERVAL_MS = 2000;
  const OPS_POINTS = 150; // 5 minutes at 2 s
  const P99_WINDOW = 5; // samples back: p99 over the last ~10 s, not since the JVM started
  const PORTFOLIO_INTERVAL_MS = 30000;
  const CANDLES_MAX = 240;
  const SPARK_POINTS = 60;
  const RECONNECT_MAX_MS = 5000;
  const PORTFOLIO_ID = new URLSearchParams(location.search).get('portfolio') || 'demo-portfolio';

  const rows = new Map(); // symbol -> <tr>
  const sparks = new Map(); // symbol -> [price…], capped
  let socket = null;
  let symbols = [];
  let maxSymbols = 100;
  let reconnectDelay = 500;
  let everLive = false;

  const $ = (id) => document.getElementById(id);

  // Outside dev mode every read needs a bearer token. The page takes it from its address (#token=<JWT>), keeps it
  // for this tab only, and drops it from the address bar so it is not bookmarked or shared by accident.
  const TOKEN = (function () {
    const given = new URLSearchParams(location.hash.slice(1)).get('token');
    if (given) {
      sessionStorage.setItem('dashboard.token', given);
      history.replaceState(null, '', location.pathname + location.search);
    }
    return sessionStorage.getItem('dashboard.token');
  })();

  function parseSymbols(text) {
    return text.split(/[\s,]+/).map((s) => s.trim().toUpperCase()).filter(Boolean);
  }

  async function getJson(url) {
    const headers = { accept: 'application/json' };
    if (TOKEN) headers.authorization = 'Bearer ' + TOKEN;
    const response = await fetch(url, { headers });
    if (response.status === 401) {
      showError(TOKEN ? 'The token was refused (expired?): open the page again with #token=<a valid JWT>.'
        : 'This service needs a token to read: open the page with #token=<JWT> after its address.');
    }
    if (!response.ok) throw new Error('HTTP ' + response.status);
    return response.json();
  }

  function setStatus(text, kind) {
    const status = $('ws-status');
    status.textContent = text;
    status.className = 'status status-' + kind;
  }

  function showError(text) {
    const box = $('quotes-error');
    box.hidden = !text;
    box.textContent = text || '';
  }

  const seconds = (ms) => Math.floor(ms / 1000);
  const number = (value) => (value == null ? NaN : Number(value));
  const fmt = (value, digits) => (value == null || !isFinite(value) ? '–'
    : Number(value).toLocaleString(undefined, { maximumFractionDigits: digits, minimumFractionDigits: 0 }));

  // Dark theme shared by every chart; autoSize follows the container, so the layout decides the size.
  function chart(container, extra) {
    return LWC.createChart(container, Object.assign({
      autoSize: true,
      layout: { background: { color: 'transparent' }, textColor: '#8b97a3', fontSize: 11 },
      grid: { vertLines: { color: '#222b35' }, horzLines: { color: '#222b35' } },
      rightPriceScale: { borderColor: '#2a323c' },
      timeScale: { borderColor: '#2a323c', timeVisible: true, secondsVisible: false },
      crosshair: { mode: LWC.CrosshairMode.Normal },
    }, extra || {}));
  }

  /** Small charts carry no logo; the page footer names and links TradingView, as the library's NOTICE asks. */
  function smallChart(container, extra) {
    return chart(container, Object.assign({ layout: {
      background: { color: 'transparent' }, textColor: '#8b97a3', fontSize: 11, attributionLogo: false } }, extra));
  }

  // ---- quotes table: flash on change, sparkline per symbol ----

  function sparkline(symbol, price) {
    const points = sparks.get(symbol) || [];
    if (!isNaN(price)) points.push(price);
    if (points.length > SPARK_POINTS) points.splice(0, points.length - SPARK_POINTS);
    sparks.set(symbol, points);
    const svg = rows.get(symbol) && rows.get(symbol).querySelector('.spark polyline');
    if (!svg || points.length < 2) return;
    const min = Math.min(...points);
    const span = Math.max(...points) - min || 1;
    const step = 100 / (points.length - 1);
    svg.setAttribute('points', points.map((p, i) => (i * step).toFixed(1) + ',' + (22 - ((p - min) / span) * 20).toFixed(1)).join(' '));
    svg.setAttribute('class', points[points.length - 1] >= points[0] ? 'rising' : 'falling');
  }

  function render(quote) {
    let row = rows.get(quote.symbol);
    if (!row) {
      row = document.createElement('tr');
      row.dataset.symbol = quote.symbol;
      row.tabIndex = 0;
      row.innerHTML = '<td class="symbol"></td><td class="num price"></td>' +
        '<td class="spark-col"><svg class="spark" viewBox="0 0 100 24" preserveAspectRatio="none"><polyline/></svg></td>' +
        '<td class="num size"></td><td class="exchange"></td><td class="time"></td>';
      row.querySelector('.symbol').textContent = quote.symbol;
      row.addEventListener('click', () => openChart(quote.symbol));
      row.addEventListener('keydown', (e) => { if (e.key === 'Enter') openChart(quote.symbol); });
      row.classList.toggle('selected', quote.symbol === price.symbol);
      rows.set(quote.symbol, row);
      const body = $('quotes').querySelector('tbody');
      const after = [...rows.keys()].sort().indexOf(quote.symbol);
      body.insertBefore(row, body.children[after] || null);
    }
    const cell = row.querySelector('.price');
    const previous = parseFloat(cell.textContent);
    const value = parseFloat(quote.price);
    if (!isNaN(previous) && value !== previous) {
      row.classList.remove('up', 'down', 'flash-up', 'flash-down');
      void row.offsetWidth; // restart the flash animation
      const direction = value > previous ? 'up' : 'down';
      row.classList.add(direction, 'flash-' + direction);
    }
    if (value !== previous) sparkline(quote.symbol, value);
    cell.textContent = quote.price; // the exact decimal string, never rounded through a float
    row.querySelector('.size').textContent = quote.size == null ? '' : quote.size;
    row.querySelector('.exchange').textContent = quote.exchange || '';
    row.querySelector('.time').textContent = new Date(quote.timestamp_ms).toISOString().replace('T', ' ').replace('Z', '');
    $('quotes-empty').hidden = rows.size > 0;
    if (quote.symbol === price.symbol) price.tick(quote);
    if (portfolio.prices.has(quote.symbol)) {
      portfolio.prices.set(quote.symbol, quote.price);
      renderPositions();
    }
  }

  function resetGrid() {
    rows.forEach((row) => row.remove());
    rows.clear();
    $('quotes-empty').hidden = false;
  }

  /** A few minutes of ticks, so sparklines have a shape before the first live change. */
  async function seedSparklines() {
    if (!symbols.length) return;
    try {
      const body = await getJson('/api/v1/quotes/history?minutes=30&symbols=' + encodeURIComponent(symbols.join(',')));
      Object.entries(body.history || {}).forEach(([symbol, points]) => {
        if ((sparks.get(symbol) || []).length > 1) return;
        sparks.set(symbol, points.slice(-SPARK_POINTS).map((p) => Number(p.price)));
        sparkline(symbol, NaN);
      });
    } catch (e) { /* live ticks fill them */ }
  }

  // ---- price panel: 1-minute candles, the last one moved by live ticks ----

  const price = {
    symbol: null,
    chart: null,
    series: null,
    bars: [],
    async open(symbol) {
      this.symbol = symbol;
      rows.forEach((row, s) => row.classList.toggle('selected', s === symbol));
      $('price-title').textContent = symbol;
      if (!this.chart) {
        $('price-chart').replaceChildren();
        this.chart = chart($('price-chart'));
        this.series = this.chart.addSeries(LWC.CandlestickSeries, {
          upColor: '#3fb950', downColor: '#f85149', borderVisible: false, wickUpColor: '#3fb950', wickDownColor: '#f85149',
        });
      }
      this.bars = [];
      this.series.setData([]);
      await this.load();
    },
    async load() {
      const symbol = this.symbol;
      if (!symbol) return;
      try {
        const body = await getJson('/api/v1/quotes/bars?interval=1m&minutes=' + CANDLES_MAX + '&symbol=' + encodeURIComponent(symbol));
        if (symbol !== this.symbol) return; // another symbol was clicked meanwhile
        this.bars = (body.bars || []).map((b) => ({
          time: seconds(b.start_ms), open: number(b.open), high: number(b.high), low: number(b.low), close: number(b.close),
        })).slice(-CANDLES_MAX);
        this.series.setData(this.bars);
        this.chart.timeScale().fitContent();
        $('price-info').textContent = '1-minute candles · ' + this.bars.length + ' bars';
      } catch (e) {
        $('price-info').textContent = 'bars unavailable (' + e.message + ')';
      }
    },
    tick(quote) {
      if (!this.series) return;
      const value = number(quote.price);
      const minute = Math.floor(quote.timestamp_ms / 60000) * 60;
      const last = this.bars[this.bars.length - 1];
      if (last && minute < last.time) return; // a late tick: the stored bars have it on the next load
      if (last && minute === last.time) {
        Object.assign(last, { high: Math.max(last.high, value), low: Math.min(last.low, value), close: value });
        this.series.update(last);
        return;
      }
      this.bars.push({ time: minute, open: value, high: value, low: value, close: value });
      if (this.bars.length > CANDLES_MAX) {
        this.bars.splice(0, this.bars.length - CANDLES_MAX);
        this.series.setData(this.bars);
      } else {
        this.series.update(this.bars[this.bars.length - 1]);
      }
    },
  };

  function openChart(symbol) {
    price.open(symbol);
  }

  // ---- WebSocket with reconnection ----

  function onMessage(event) {
    let message;
    try { message = JSON.parse(event.data); } catch (e) { return; }
    if (message.type === 'snapshot') {
      resetGrid();
      Object.values(message.quotes || {}).forEach(render);
      showError('');
    } else if (message.type === 'quotes') {
      Object.values(message.quotes || {}).forEach(render);
    } else if (message.type === 'error') {
      showError(message.message + (message.field ? ' (' + message.field + ')' : ''));
    }
  }

  function subscribe() {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: 'update', symbols: symbols }));
    }
  }

  function retry() {
    setStatus(everLive ? 'reconnecting' : 'connecting…', everLive ? 'closed' : 'connecting');
    setTimeout(connect, reconnectDelay);
    reconnectDelay = Math.min(reconnectDelay * 2, RECONNECT_MAX_MS);
  }

  /** Reads the settings afresh each time: after a restart the push port may have moved. */
  async function connect() {
    let config;
    try {
      config = await getJson('/api/v1/dashboard/config');
    } catch (e) {
      retry();
      return;
    }
    maxSymbols = config.max_symbols;
    if (!symbols.length) {
      const fromUrl = new URLSearchParams(location.search).get('symbols');
      symbols = (fromUrl ? parseSymbols(fromUrl) : config.symbols || []).slice(0, maxSymbols);
      $('symbols-input').value = symbols.join(', ');
      seedSparklines();
    }
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    // a browser cannot set headers on a WebSocket: the token travels as the subprotocol after "bearer"
    const ws = new WebSocket(scheme + '://' + location.hostname + ':' + config.quotes_ws_port + config.quotes_ws_path
      + '?frames=delta', TOKEN ? ['bearer', TOKEN] : undefined);
    socket = ws;
    ws.onopen = () => {
      const reconnected = everLive;
      everLive = true;
      reconnectDelay = 500;
      setStatus('live', 'open');
      subscribe();
      if (reconnected) price.load(); // fill the candles missed while away
    };
    ws.onmessage = onMessage;
    ws.onclose = () => { if (socket === ws) retry(); };
  }

  // ---- operations panel: rates from running totals, a few minutes of history ----

  const OPS_TILES = [
    { key: 'trades', title: 'Trades/s by source', lines: ['rest', 'kafka'], digits: 1 },
    { key: 'records', title: 'Records/s', digits: 1 },
    { key: 'lag', title: 'Kafka consumer lag (max)', digits: 0 },
    { key: 'backlog', title: 'Outbox backlog (rows)', digits: 0 },
    { key: 'dlq', title: 'Dead letters (total)', digits: 0 },
    { key: 'ws', title: 'WebSocket clients', digits: 0 },
    { key: 'p99', title: 'p99 POST /api/v1/trades (ms)', digits: 1 },
  ];
  const LINE_COLORS = ['#58a6ff', '#d2a8ff', '#3fb950'];
  const ops = { samples: [], history: [], tiles: new Map() };

  function buildOpsTiles() {
    OPS_TILES.forEach((spec) => {
      const tile = document.createElement('div');
      tile.className = 'tile';
      tile.dataset.metric = spec.key;
      tile.innerHTML = '<div class="tile-head"><span class="tile-title"></span><span class="tile-value">–</span></div><div class="chart chart-small"></div>';
      tile.querySelector('.tile-title').textContent = spec.title;
      $('ops-tiles').appendChild(tile);
      const c = smallChart(tile.querySelector('.chart'), {
        timeScale: { borderColor: '#2a323c', timeVisible: true, secondsVisible: true },
        rightPriceScale: { borderColor: '#2a323c', scaleMargins: { top: 0.15, bottom: 0.05 } },
        handleScroll: false, handleScale: false,
      });
      const series = (spec.lines || [spec.key]).map((name, i) => c.addSeries(LWC.LineSeries, {
        color: LINE_COLORS[i], lineWidth: 2, title: spec.lines ? name : '', priceLineVisible: false,
      }));
      ops.tiles.set(spec.key, { spec, tile, series });
    });
  }

  const sum = (object) => Object.values(object || {}).reduce((a, b) => a + b, 0);

  /** p99 in ms from the difference of two cumulative histograms; null when no request fell in between. */
  function p99(now, before) {
    const total = now.trade_post_latency.count - before.trade_post_latency.count;
    if (total <= 0) return null;
    const previous = new Map(before.trade_post_latency.buckets.map(([le, n]) => [le, n]));
    for (const [le, n] of now.trade_post_latency.buckets) {
      if (n - (previous.get(le) || 0) >= 0.99 * total) return le * 1000;
    }
    return null; // beyond the largest bucket
  }

  function opsPoint(now, before, older) {
    const dt = (now.timestamp_ms - before.timestamp_ms) / 1000;
    const rate = (a, b) => Math.max(0, (a - b) / dt);
    return {
      time: seconds(now.timestamp_ms),
      trades: {
        rest: rate((now.trades_processed || {}).rest || 0, (before.trades_processed || {}).rest || 0),
        kafka: rate((now.trades_processed || {}).kafka || 0, (before.trades_processed || {}).kafka || 0),
      },
      records: rate(now.records_ingested, before.records_ingested),
      lag: now.kafka_lag_max,
      backlog: now.outbox_backlog_rows,
      dlq: sum(now.dead_letters),
      ws: now.ws_connections,
      p99: p99(now, older),
    };
  }

  function drawOps() {
    ops.tiles.forEach(({ spec, tile, series }) => {
      const names = spec.lines || [spec.key];
      series.forEach((s, i) => s.setData(ops.history.map((p) => {
        const value = spec.lines ? p[spec.key][names[i]] : p[spec.key];
        return value == null ? { time: p.time } : { time: p.time, value };
      })));
      const last = ops.history[ops.history.length - 1];
      const value = spec.lines ? names.map((n) => n + ' ' + fmt(last[spec.key][n], spec.digits)).join(' · ') : fmt(last[spec.key], spec.digits);
      tile.querySelector('.tile-value').textContent = value;
    });
  }

  async function pollOps() {
    let sample;
    try {
      sample = await getJson('/api/v1/dashboard/ops');
    } catch (e) {
      $('ops-updated').textContent = 'unavailable';
      return;
    }
    const previous = ops.samples[ops.samples.length - 1];
    if (previous && sample.timestamp_ms <= previous.timestamp_ms) return;
    // a restarted service counts from zero again: start the history afresh rather than draw negative rates
    if (previous && sum(sample.trades_processed) < sum(previous.trades_processed)) ops.samples.length = 0;
    ops.samples.push(sample);
    if (ops.samples.length > P99_WINDOW + 1) ops.samples.shift();
    if (ops.samples.length < 2) return;
    const point = opsPoint(sample, ops.samples[ops.samples.length - 2], ops.samples[0]);
    const last = ops.history[ops.history.length - 1];
    if (last && point.time <= last.time) return;
    ops.history.push(point);
    if (ops.history.length > OPS_POINTS) ops.history.splice(0, ops.history.length - OPS_POINTS);
    drawOps();
    $('ops-updated').textContent = 'this node, last 5 minutes · ' + new Date().toLocaleTimeString();
  }

  // ---- portfolio panel: positions, value over time, latest VaR ----

  const portfolio = { chart: null, series: null, positions: [], prices: new Map(), currency: 'USD' };

  /** Positions marked at the latest price known: fetched with the portfolio, then each live tick of a held symbol. */
  function renderPositions() {
    let total = 0;
    const body = $('positions').querySelector('tbody');
    body.replaceChildren(...portfolio.positions.map((p) => {
      const last = portfolio.prices.get(String(p.symbol).toUpperCase());
      const value = last ? Number(last) * Number(p.quantity) : null;
      if (value != null) total += value;
      const tr = document.createElement('tr');
      [p.symbol, fmt(Number(p.quantity), 4), last || '–', fmt(value, 2)].forEach((text, i) => {
        const td = document.createElement('td');
        td.textContent = text;
        if (i > 0) td.className = 'num';
        tr.appendChild(td);
      });
      return tr;
    }));
    $('portfolio-value').textContent = 'marked ' + fmt(total, 2) + ' ' + portfolio.currency;
  }

  const VAR_PAGES = 5; // of 500 rows: enough for a portfolio's VaR runs, and bounded

  /** The rows of a risk-metrics answer, whatever its envelope: a list, {items|data|risk_metrics|results: […]}, or one row. */
  function riskRows(body) {
    if (Array.isArray(body)) return body;
    const list = body && (body.items || body.risk_metrics || body.data || body.results);
    return Array.isArray(list) ? list : (body ? [body] : []);
  }

  /** A VaR row: {var, computed_at} (latest first), or the FinPulse resource's {metric_type: "var", value, as_of} in any order. */
  function newestVar(rows) {
    const vars = rows.filter((r) => r && (r.var != null || (r.metric_type === 'var' && r.value != null)));
    const at = (r) => Date.parse(r.computed_at || r.as_of || '') || 0;
    return vars.reduce((best, r) => (best == null || at(r) > at(best) ? r : best), null);
  }

  async function loadVar(currency) {
    const box = $('var');
    try {
      let url = '/api/v1/risk-metrics?size=500&portfolio_id=' + encodeURIComponent(PORTFOLIO_ID);
      const rows = [];
      for (let page = 0; url && page < VAR_PAGES; page++) {
        const body = await getJson(url);
        rows.push(...riskRows(body));
        url = body && typeof body.next === 'string' ? body.next : null;
      }
      const row = newestVar(rows);
      if (!row) throw new Error('none');
      const confidence = number(row.confidence);
      const pct = confidence <= 1 ? confidence * 100 : confidence;
      const when = row.computed_at || row.as_of;
      box.textContent = 'VaR ' + fmt(number(row.var != null ? row.var : row.value), 2) + ' ' + (row.currency || currency) +
        ' · ' + (isFinite(pct) ? fmt(pct, 2) + '%' : 'confidence unknown') + ' · ' + (row.method || 'method unknown') +
        (row.days ? ' · ' + row.days + ' days' : '') + (when ? ' · computed ' + new Date(when).toLocaleString() : '');
      box.className = 'var';
    } catch (e) {
      box.textContent = 'no VaR computed yet';
      box.className = 'var muted';
    }
  }

  async function loadPortfolio() {
    let document_;
    try {
      document_ = await getJson('/api/v1/portfolio?portfolio_id=' + encodeURIComponent(PORTFOLIO_ID));
    } catch (e) {
      $('portfolio-value').textContent = 'unavailable';
      return;
    }
    const currency = document_.currency || 'USD';
    $('portfolio-title').textContent = 'Portfolio · ' + (document_.name || PORTFOLIO_ID) + (document_.demo ? ' (demo)' : '');
    const positions = (document_.positions || []).filter((p) => p && p.symbol);
    let quotes = {};
    try {
      if (positions.length) {
        quotes = (await getJson('/api/v1/quotes?symbols=' + encodeURIComponent(positions.slice(0, maxSymbols).map((p) => p.symbol).join(',')))).quotes || {};
      }
    } catch (e) { /* positions still show, without prices */ }
    portfolio.positions = positions;
    portfolio.currency = currency;
    portfolio.prices = new Map(positions.map((p) => String(p.symbol).toUpperCase()).map((s) => [s, quotes[s] ? quotes[s].price : portfolio.prices.get(s)]));
    renderPositions();
    await Promise.all([loadVar(currency), loadValuation()]);
  }

  async function loadValuation() {
    if (!portfolio.chart) {
      portfolio.chart = smallChart($('portfolio-chart'));
      portfolio.series = portfolio.chart.addSeries(LWC.AreaSeries, {
        lineColor: '#58a6ff', topColor: 'rgba(88,166,255,0.35)', bottomColor: 'rgba(88,166,255,0.02)', lineWidth: 2,
      });
    }
    try {
      const body = await getJson('/api/v1/portfolio/history?days=30&portfolio_id=' + encodeURIComponent(PORTFOLIO_ID));
      const points = (body.history || []).map((p) => ({ time: seconds(p.timestamp_ms), value: Number(p.total_value) }));
      portfolio.series.setData(points); // the endpoint caps it at 1 000 points
      portfolio.chart.timeScale().fitContent();
      $('portfolio-chart').dataset.points = String(points.length);
    } catch (e) {
      $('portfolio-chart').dataset.points = '0';
    }
  }

  // ---- trade statistics ----

  function statsList(object) {
    const list = document.createElement('dl');
    Object.entries(object).forEach(([key, value]) => {
      const term = document.createElement('dt');
      term.textContent = key.replace(/_/g, ' ');
      list.appendChild(term);
      if (value !== null && typeof value === 'object') {
        list.appendChild(document.createElement('dd'));
        list.appendChild(statsList(value));
      } else {
        const detail = document.createElement('dd');
        detail.textContent = String(value);
        list.appendChild(detail);
      }
    });
    return list;
  }

  async function pollStatistics() {
    const target = $('stats');
    try {
      const statistics = await getJson('/api/v1/statistics');
      delete statistics.counted_from; // provenance for API clients, not a figure to show
      target.replaceChildren(statsList(statistics));
      $('stats-updated').textContent = 'updated ' + new Date().toLocaleTimeString();
    } catch (e) {
      target.innerHTML = '<p class="muted" id="stats-unavailable">unavailable</p>';
      $('stats-updated').textContent = '';
    }
  }

  // Hooks for the browser test: the state it asserts on, and a way to drop the socket (as a network blip would).
  window.__dashboard = {
    dropSocket() { if (socket) socket.close(); },
    state() {
      const last = price.bars[price.bars.length - 1];
      return {
        status: $('ws-status').textContent,
        chart: { symbol: price.symbol, bars: price.bars.length, lastClose: last ? last.close : null },
        ops: ops.history.slice(),
      };
    },
  };

  $('symbols-form').addEventListener('submit', (event) => {
    event.preventDefault();
    symbols = parseSymbols($('symbols-input').value).slice(0, maxSymbols);
    subscribe();
    seedSparklines();
  });
  buildOpsTiles();
  connect();
  pollStatistics();
  setInterval(pollStatistics, STATS_INTERVAL_MS);
  pollOps();
  setInterval(pollOps, OPS_INTERVAL_MS);
  loadPortfolio();
  setInterval(loadPortfolio, PORTFOLIO_INTERVAL_MS);
})();
