// autotrade dashboard: reads the REST API (/api/v1) with the bearer token the trader pastes once (kept in this
// tab's sessionStorage), follows the event stream (/api/v1/stream, Server-Sent Events read through fetch so the
// token travels in the Authorization header, resumed with Last-Event-ID), and redraws within a second of an event.
'use strict';
(function () {
  const TOKEN_KEY = 'autotrade.api.token';
  const MAX_EVENTS = 500;
  const MAX_POINTS = 5000;
  const $ = (id) => document.getElementById(id);
  let token = sessionStorage.getItem(TOKEN_KEY);
  let lastEventId = null;
  let streamAbort = null;
  let refreshTimer = null;
  let pollTimer = null;
  const events = [];
  const prices = new Map(); // market -> [{x, close, buy, sell}]
  const equity = { xs: [], ys: [] };
  let equityChart = null;
  let priceChart = null;
  let chartedMarket = null;

  // ---- REST ---------------------------------------------------------------------------------------------------
  async function api(method, path, body) {
    const headers = { Authorization: 'Bearer ' + token };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const reply = await fetch('/api/v1/' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (reply.status === 401) {
      logout('The runtime refused this token.');
      throw new Error('unauthorized');
    }
    const json = await reply.json();
    if (!reply.ok) throw new Error(json.message || reply.statusText);
    return json;
  }

  function showError(e) {
    if (e && e.message !== 'unauthorized') $('message').textContent = e.message;
  }

  // ---- tables -------------------------------------------------------------------------------------------------
  function cell(value) {
    const td = document.createElement('td');
    if (value instanceof Node) td.appendChild(value);
    else td.textContent = value === null || value === undefined ? '' : String(value);
    if (typeof value === 'string' && /^-?[0-9][0-9,]*(\.[0-9]+)?$/.test(value)) td.className = 'num';
    return td;
  }

  function table(el, headers, rows, empty, onRowClick) {
    el.replaceChildren();
    const head = document.createElement('tr');
    headers.forEach((h) => { const th = document.createElement('th'); th.textContent = h; head.appendChild(th); });
    el.appendChild(head);
    if (rows.length === 0) {
      const tr = document.createElement('tr');
      const td = cell(empty);
      td.colSpan = headers.length;
      td.className = 'muted';
      tr.appendChild(td);
      el.appendChild(tr);
      return;
    }
    rows.forEach((row, i) => {
      const tr = document.createElement('tr');
      row.forEach((v) => tr.appendChild(cell(v)));
      if (onRowClick) { tr.className = 'clickable'; tr.addEventListener('click', () => onRowClick(i)); }
      el.appendChild(tr);
    });
  }

  // money: thousands separators, exact digits as the API gives them
  function money(text, decimals) {
    if (text === null || text === undefined) return '';
    const negative = text.startsWith('-');
    let [whole, frac = ''] = (negative ? text.slice(1) : text).split('.');
    if (decimals !== undefined) {
      const n = Number(text);
      return n.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    }
    whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return (negative ? '-' : '') + whole + (frac ? '.' + frac : '');
  }

  function time(iso) {
    return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
  }

  // ---- panels -------------------------------------------------------------------------------------------------
  async function refreshStatus() {
    const s = await api('GET', 'status');
    const badge = $('trading-state');
    badge.textContent = s.halt_reason ? 'HALTED' : s.state;
    badge.className = 'badge ' + (s.halt_reason ? 'HALTED' : s.state);
    $('halt-reason').textContent = s.halt_reason || (s.orders_in_flight.length ? 'orders in flight: ' + s.orders_in_flight.join(', ') : '');
  }

  async function refreshPortfolio() {
    const [positions, pnl] = await Promise.all([api('GET', 'positions'), api('GET', 'pnl')]);
    table($('positions'), ['market', 'volume', 'avg entry', 'mark', 'unrealized', 'realized', 'fees'],
      positions.map((p) => [p.market, p.volume, money(p.avg_entry, 2), money(p.mark), money(p.unrealized, 2), money(p.realized, 2), money(p.fees, 2)]),
      'no positions');
    const t = pnl.total;
    $('pnl-total').textContent = 'total: realized ' + money(t.realized, 2) + ', unrealized ' + money(t.unrealized, 2)
      + ', fees ' + money(t.fees, 2) + ', net after fees ' + money(t.net, 2);
    const krw = pnl.equity.KRW;
    if (krw !== undefined) {
      $('equity-now').textContent = money(krw, 0) + ' KRW (cash + positions at mark, after fees)';
      const x = Date.now() / 1000; // sampled as the runtime reports it: a live curve, whatever time the candles carry
      if (equity.xs.length && x <= equity.xs[equity.xs.length - 1]) {
        equity.ys[equity.ys.length - 1] = Number(krw);
      } else {
        equity.xs.push(x);
        equity.ys.push(Number(krw));
        if (equity.xs.length > MAX_POINTS) { equity.xs.shift(); equity.ys.shift(); }
      }
      drawEquity();
    }
  }

  async function refreshOrders() {
    const orders = await api('GET', 'orders?open=true');
    table($('orders'), ['created (UTC)', 'order id', 'strategy', 'market', 'side', 'type', 'state', 'executed', ''],
      orders.map((o) => {
        const cancel = document.createElement('button');
        cancel.textContent = 'Cancel';
        cancel.className = 'cancel';
        cancel.addEventListener('click', () => api('POST', 'orders/' + encodeURIComponent(o.order_id) + '/cancel')
          .then(scheduleRefresh).catch(showError));
        return [time(o.created_at), o.order_id, o.strategy, o.market, o.side, o.type, o.state, o.executed_volume, cancel];
      }), 'no open orders');
  }

  async function refreshSlow() {
    const [bus, risk, dlq, pending, strategies] = await Promise.all([api('GET', 'bus'),
      api('GET', 'risk').catch((e) => ({ error: e.message })), api('GET', 'dlq'), api('GET', 'pending'), api('GET', 'strategies')]);
    table($('bus'), ['lane', 'depth', 'capacity', 'published', 'delivered', 'dead-lettered', 'p99 latency'],
      bus.lanes.map((l) => [l.lane, l.depth, l.capacity, l.published, l.delivered, l.dead_lettered, l.p99_latency_us.toFixed(1) + ' µs']), 'no lanes');
    $('journal').textContent = bus.journal_fault ? 'journal refuses commits: ' + bus.journal_fault : 'journal: committing';
    if (risk.error) {
      table($('risk'), ['rule'], [], risk.error);
    } else {
      table($('risk'), ['rule', 'limit', 'usage', 'unit', 'of'],
        risk.limits.map((l) => [l.rule, l.off ? 'off' : money(l.limit), money(l.usage), l.unit, l.of]), 'no limits');
    }
    table($('dlq'), ['id', 'when (UTC)', 'handler', 'event', 'attempts', 'last error'],
      dlq.map((d) => [d.id, time(d.dead_lettered_at), d.handler, d.event, d.attempts, d.last_error]), 'no dead letters');
    table($('pending'), ['change', 'what', 'waits for', 'source'],
      pending.map((c) => [c.change_id, c.what, c.waits_for_scope, c.source]), 'no change is held');
    table($('strategies'), ['id', 'market', 'state', 'settings'],
      strategies.map((s) => [s.id, s.market, s.state, Object.entries(s.settings).map(([k, v]) => k + '=' + v).join(' ')]), 'no strategy is running');
  }

  function scheduleRefresh() {
    if (refreshTimer) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      Promise.all([refreshStatus(), refreshPortfolio(), refreshOrders()]).catch(showError);
    }, 250);
  }

  // ---- events -------------------------------------------------------------------------------------------------
  function summary(e) {
    const p = e.payload || {};
    if (p.candle) return p.candle.market.code + ' close ' + money(p.candle.close);
    if (e.type === 'order.filled') return p.side + ' ' + p.volume + ' ' + p.market.code + ' @ ' + money(p.price);
    if (p.order && p.order.side) return p.order.side + ' ' + p.order.market.code + ' ' + p.order.type;
    if (p.position) return p.position.market.code + ' volume ' + p.position.volume;
    if (p.reason) return p.reason;
    if (p.to) return (p.scope || '') + ' ' + p.from + ' → ' + p.to;
    return '';
  }

  function visibleEvents() {
    const type = $('filter-type').value.trim();
    const aggregate = $('filter-aggregate').value.trim();
    return events.filter((e) => (!type || e.type.startsWith(type)) && (!aggregate || e.aggregate.includes(aggregate))).slice(-200).reverse();
  }

  let eventsDrawn = false;
  function drawEvents() {
    if (eventsDrawn) return;
    eventsDrawn = true;
    requestAnimationFrame(() => {
      eventsDrawn = false;
      const shown = visibleEvents();
      table($('events'), ['occurred (UTC)', 'type', 'aggregate', 'summary'],
        shown.map((e) => [time(e.occurred_at), e.type, e.aggregate, summary(e)]), 'no events', (i) => showChain(shown[i]));
    });
  }

  async function showChain(event) {
    const chain = await api('GET', 'events?correlation=' + encodeURIComponent(event.correlation) + '&limit=1000').catch((e) => { showError(e); return []; });
    const box = $('chain');
    box.replaceChildren();
    const title = document.createElement('h2');
    title.textContent = 'Causation chain of ' + event.type + ' ' + event.event_id;
    const list = document.createElement('ol');
    chain.forEach((e) => {
      const li = document.createElement('li');
      li.textContent = time(e.occurred_at) + '  ' + e.type + '  ' + e.aggregate + (e.causation ? '  ← caused by ' + e.causation : '  (root)')
        + '  ' + summary(e);
      if (e.event_id === event.event_id) li.style.fontWeight = '600';
      list.appendChild(li);
    });
    box.append(title, list);
  }

  function onEvent(e) {
    events.push(e);
    if (events.length > MAX_EVENTS) events.shift();
    const x = Date.parse(e.occurred_at) / 1000;
    const p = e.payload || {};
    if (e.type === 'candle.closed') addPoint(p.candle.market.code, x, { close: Number(p.candle.close) });
    if (e.type === 'order.filled') addPoint(p.market.code, x, p.side === 'BID' ? { buy: Number(p.price) } : { sell: Number(p.price) });
    drawEvents();
    if (!e.type.startsWith('candle.') || e.type === 'candle.closed') scheduleRefresh();
  }

  // ---- charts -------------------------------------------------------------------------------------------------
  function addPoint(market, x, values) {
    if (!prices.has(market)) {
      prices.set(market, []);
      const option = document.createElement('option');
      option.value = option.textContent = market;
      $('market').appendChild(option);
      if (!chartedMarket) { chartedMarket = market; $('market').value = market; }
    }
    const points = prices.get(market);
    points.push(Object.assign({ x, close: null, buy: null, sell: null }, values));
    if (points.length > MAX_POINTS) points.shift();
    if (market === chartedMarket) drawPrice();
  }

  // y axis labels that fit: 95.9M, 12.3k, 0.0042
  function compact(value) {
    const a = Math.abs(value);
    if (a >= 1e9) return (value / 1e9).toFixed(2) + 'B';
    if (a >= 1e6) return (value / 1e6).toFixed(2) + 'M';
    if (a >= 1e4) return (value / 1e3).toFixed(1) + 'k';
    return String(Number(value.toPrecision(6)));
  }
  const yAxis = { size: 70, values: (u, values) => values.map(compact) };

  function width(el) {
    return Math.max(300, el.clientWidth - 8);
  }

  let priceDrawn = false;
  function drawPrice() {
    if (priceDrawn) return;
    priceDrawn = true;
    requestAnimationFrame(() => {
      priceDrawn = false;
      const points = (prices.get(chartedMarket) || []).slice().sort((a, b) => a.x - b.x);
      const data = [points.map((p) => p.x), points.map((p) => p.close), points.map((p) => p.buy), points.map((p) => p.sell)];
      if (!priceChart) {
        const el = $('price-chart');
        const markers = (color) => ({ stroke: color, fill: color, width: 0, paths: () => null, points: { show: true, size: 9, stroke: color, fill: color } });
        priceChart = new uPlot({ width: width(el), height: 260, scales: { x: { time: true } }, axes: [{}, yAxis],
          series: [{}, { label: 'close', stroke: '#0969da', spanGaps: true },
            Object.assign({ label: 'buy fill' }, markers('#1a7f37')), Object.assign({ label: 'sell fill' }, markers('#cf222e'))] }, data, el);
      } else {
        priceChart.setData(data);
      }
    });
  }

  function drawEquity() {
    const data = [equity.xs.slice(), equity.ys.slice()];
    if (!equityChart) {
      const el = $('equity-chart');
      equityChart = new uPlot({ width: width(el), height: 220, scales: { x: { time: true } }, axes: [{}, yAxis],
        series: [{}, { label: 'equity (KRW, after fees, sampled live)', stroke: '#8250df', width: 2 }] }, data, el);
    } else {
      equityChart.setData(data);
    }
  }

  // ---- the stream ---------------------------------------------------------------------------------------------
  function handleBlock(block) {
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('id:')) lastEventId = line.slice(3).trim();
      else if (line.startsWith('data:')) data += line.slice(5).trim();
    }
    if (data) onEvent(JSON.parse(data));
  }

  async function follow() {
    const abort = new AbortController();
    streamAbort = abort;
    while (token && !abort.signal.aborted) {
      try {
        const headers = { Authorization: 'Bearer ' + token, Accept: 'text/event-stream' };
        if (lastEventId) headers['Last-Event-ID'] = lastEventId;
        const reply = await fetch('/api/v1/stream', { headers, signal: abort.signal });
        if (reply.status === 401) { logout('The runtime refused this token.'); return; }
        $('stream-status').textContent = 'stream: live';
        const reader = reply.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            handleBlock(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        }
      } catch (e) {
        if (abort.signal.aborted) return;
      }
      $('stream-status').textContent = 'stream: reconnecting';
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }

  // ---- start, login, buttons ----------------------------------------------------------------------------------
  async function start() {
    $('login').hidden = true;
    $('app').hidden = false;
    $('message').textContent = '';
    const recent = await api('GET', 'events?limit=300');
    recent.forEach(onEvent);
    if (recent.length) lastEventId = recent[recent.length - 1].event_id;
    await Promise.all([refreshStatus(), refreshPortfolio(), refreshOrders(), refreshSlow()]);
    pollTimer = setInterval(() => refreshSlow().then(refreshStatus).catch(showError), 2000);
    follow();
  }

  function logout(why) {
    token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    if (streamAbort) streamAbort.abort();
    if (pollTimer) clearInterval(pollTimer);
    $('app').hidden = true;
    $('login').hidden = false;
    $('login-error').textContent = why || '';
  }

  $('login-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    token = $('token').value.trim();
    if (!token) { $('login-error').textContent = 'Paste the token first.'; return; }
    sessionStorage.setItem(TOKEN_KEY, token);
    start().catch(showError);
  });
  $('logout').addEventListener('click', () => logout(''));
  $('halt').addEventListener('click', () => api('POST', 'halt', { reason: $('halt-reason-input').value.trim() || 'from the dashboard' })
    .then(refreshStatus).catch(showError));
  $('resume').addEventListener('click', () => api('POST', 'resume', { reason: $('halt-reason-input').value.trim() || 'from the dashboard' })
    .then(refreshStatus).catch(showError));
  $('filter-type').addEventListener('input', drawEvents);
  $('filter-aggregate').addEventListener('input', drawEvents);
  $('market').addEventListener('change', () => { chartedMarket = $('market').value; drawPrice(); });

  if (token) start().catch(showError);
  else logout('');
})();
