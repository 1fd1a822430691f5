// Live dashboard: quotes over the /ws/quotes WebSocket (its own port, from /api/v1/dashboard/config)
// and trade statistics polled from /api/v1/statistics. No build step, no dependencies.
(function () {
  'use strict';
  const STATS_INTERVAL_MS = 5000;
  const RECONNECT_MAX_MS = 10000;
  const rows = new Map(); // symbol -> <tr>
  let socket = null;
  let symbols = [];
  let reconnectDelay = 500;

  const $ = (id) => document.getElementById(id);

  function parseSymbols(text) {
    return text.split(/[\s,]+/).map((s) => s.trim().toUpperCase()).filter(Boolean);
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

  function render(quote) {
    let row = rows.get(quote.symbol);
    if (!row) {
      row = document.createElement('tr');
      row.dataset.symbol = quote.symbol;
      row.innerHTML = '<td class="symbol"></td><td class="num price"></td><td class="num size"></td>' +
        '<td class="exchange"></td><td class="time"></td>';
      row.querySelector('.symbol').textContent = quote.symbol;
      rows.set(quote.symbol, row);
      const body = $('quotes').querySelector('tbody');
      const after = [...rows.keys()].sort().indexOf(quote.symbol);
      body.insertBefore(row, body.children[after] || null);
    }
    const cell = row.querySelector('.price');
    const previous = parseFloat(cell.textContent);
    const price = parseFloat(quote.price);
    row.classList.remove('up', 'down', 'flash');
    if (!isNaN(previous) && price !== previous) {
      row.classList.add(price > previous ? 'up' : 'down');
    }
    void row.offsetWidth; // restart the flash animation
    row.classList.add('flash');
    cell.textContent = quote.price; // the exact decimal string, never rounded through a float
    row.querySelector('.size').textContent = quote.size == null ? '' : quote.size;
    row.querySelector('.exchange').textContent = quote.exchange || '';
    row.querySelector('.time').textContent = new Date(quote.timestamp_ms).toISOString().replace('T', ' ').replace('Z', '');
    $('quotes-empty').hidden = rows.size > 0;
  }

  function resetGrid() {
    rows.forEach((row) => row.remove());
    rows.clear();
    $('quotes-empty').hidden = false;
  }

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

  function connect(config) {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(scheme + '://' + location.hostname + ':' + config.quotes_ws_port + config.quotes_ws_path + '?frames=delta');
    socket.onopen = () => { reconnectDelay = 500; setStatus('live', 'open'); subscribe(); };
    socket.onmessage = onMessage;
    socket.onclose = () => {
      setStatus('disconnected, retrying…', 'closed');
      setTimeout(() => connect(config), reconnectDelay);
      reconnectDelay = Math.min(reconnectDelay * 2, RECONNECT_MAX_MS);
    };
  }

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
      const response = await fetch('/api/v1/statistics', { headers: { accept: 'application/json' } });
      if (!response.ok) {
        throw new Error('HTTP ' + response.status);
      }
      const statistics = await response.json();
      delete statistics.counted_from; // provenance for API clients, not a figure to show
      target.replaceChildren(statsList(statistics));
      $('stats-updated').textContent = 'updated ' + new Date().toLocaleTimeString();
    } catch (e) {
      target.innerHTML = '<p class="muted" id="stats-unavailable">unavailable</p>';
      $('stats-updated').textContent = '';
    }
  }

  async function start() {
    const config = await (await fetch('/api/v1/dashboard/config')).json();
    const fromUrl = new URLSearchParams(location.search).get('symbols');
    symbols = (fromUrl ? parseSymbols(fromUrl) : config.symbols || []).slice(0, config.max_symbols);
    $('symbols-input').value = symbols.join(', ');
    $('symbols-form').addEventListener('submit', (event) => {
      event.preventDefault();
      symbols = parseSymbols($('symbols-input').value).slice(0, config.max_symbols);
      subscribe();
    });
    connect(config);
    pollStatistics();
    setInterval(pollStatistics, STATS_INTERVAL_MS);
  }

  start().catch((e) => { setStatus('configuration unavailable', 'closed'); showError(String(e)); });
})();
