// The Bound dashboard: reads /api/savings, /api/decisions, /api/top, /api/quality and
// /api/candidates and draws them. Plain script, no build step; Chart.js comes from its WebJar.
'use strict';
(() => {
  const PERIODS = {
    hour: { ms: 3600e3, granularity: 'minute' },
    day: { ms: 24 * 3600e3, granularity: 'hour' },
    week: { ms: 7 * 24 * 3600e3, granularity: 'hour' },
    month: { ms: 30 * 24 * 3600e3, granularity: 'day' },
  };
  const STEP = { minute: 60e3, hour: 3600e3, day: 24 * 3600e3 };
  const REFRESH_MS = 5000;
  const CANDIDATES_OFF_MS = 60000;
  const TIERS = [
    ['exact', 'HIT-EXACT', '#1a9e5c'],
    ['semantic', 'HIT-SEMANTIC', '#2f80c0'],
    ['bound', 'HIT-BOUND', '#8a4fc7'],
    ['partial', 'HIT-PARTIAL', '#6fbf73'],
    ['variant', 'HIT-VARIANT', '#d98b1c'],
    ['misses', 'MISS', '#e08a1e'],
    ['bypasses', 'BYPASS', '#9aa3ad'],
  ];
  const ENERGY_COLOR = '#147a4b';
  const ENERGY_UNITS = [['MWh', 1e6], ['kWh', 1e3], ['Wh', 1], ['mWh', 1e-3], ['µWh', 1e-6]];
  const MASS_UNITS = [['t', 1e6], ['kg', 1e3], ['g', 1], ['mg', 1e-3], ['µg', 1e-6]];

  const $ = (id) => document.getElementById(id);
  const int = new Intl.NumberFormat('en-US');
  const sig3 = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });

  // A fresh start opens on the last hour: what was just done is what one looks for first.
  let period = PERIODS[location.hash.slice(1)] ? location.hash.slice(1) : 'hour';
  let currency = 'USD';
  let apiCurrency = 'USD';
  let charts = null;
  let timer = null;
  let candidatesNext = 0;
  let candidatesOff = false;

  // ---- formatting ----

  function unitFor(v, units) {
    const a = Math.abs(v);
    for (const u of units) {
      if (a >= u[1]) return u;
    }
    return a === 0 ? units.find((u) => u[1] === 1) : units[units.length - 1];
  }
  function scaled(v, unit) {
    return sig3.format(v / unit[1]) + ' ' + unit[0];
  }
  function energy(v) { return scaled(v, unitFor(v, ENERGY_UNITS)); }
  function energyBand(lo, hi) {
    const u = unitFor(Math.max(Math.abs(lo), Math.abs(hi)), ENERGY_UNITS);
    return sig3.format(lo / u[1]) + ' – ' + sig3.format(hi / u[1]) + ' ' + u[0];
  }
  function mass(g) { return scaled(g, unitFor(g, MASS_UNITS)); }
  function massBand(lo, hi) {
    const u = unitFor(Math.max(Math.abs(lo), Math.abs(hi)), MASS_UNITS);
    return sig3.format(lo / u[1]) + ' – ' + sig3.format(hi / u[1]) + ' ' + u[0];
  }
  function money(v, code) {
    const c = code || currency;
    try {
      const big = Math.abs(v) >= 1;
      return new Intl.NumberFormat('en-US', {
        style: 'currency', currency: c,
        ...(big ? { maximumFractionDigits: 2 } : { maximumSignificantDigits: 3 }),
      }).format(v);
    } catch (e) {
      return sig3.format(v) + ' ' + c; // not an ISO 4217 code: show it as it is
    }
  }
  function apiMoney(v) { return money(v, apiCurrency); }
  function score(v) { return v === null || v === undefined ? '—' : v.toFixed(4); }
  function pct(r) { return (100 * r).toFixed(1) + ' %'; }
  function share(n, total) { return total === 0 ? '0 %' : pct(n / total); }
  function clock(ms) {
    return new Date(ms).toLocaleTimeString('en-GB', { hour12: false });
  }
  function when(ms) {
    return new Date(ms).toLocaleString('en-GB', { month: 'short', day: 'numeric',
      hour: '2-digit', minute: '2-digit', hour12: false });
  }
  function bucketLabel(ms, granularity) {
    const d = new Date(ms);
    if (granularity === 'minute') {
      return d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });
    }
    if (granularity === 'hour' && period === 'day') {
      return d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });
    }
    if (granularity === 'hour') {
      return d.toLocaleString('en-GB', { weekday: 'short', hour: '2-digit', hour12: false }) + 'h';
    }
    return d.toLocaleDateString('en-GB', { month: 'short', day: 'numeric', timeZone: 'UTC' });
  }

  // ---- DOM helpers (text only: model and tenant names come from clients) ----

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function row(cells) {
    const tr = document.createElement('tr');
    for (const c of cells) tr.appendChild(c instanceof Node ? c : el('td', c));
    return tr;
  }
  function fillTable(id, rows, emptyText) {
    const body = $(id).querySelector('tbody');
    const cols = $(id).querySelectorAll('thead th').length;
    body.replaceChildren();
    if (rows.length === 0) {
      const td = el('td', emptyText, 'empty');
      td.colSpan = cols;
      body.appendChild(row([td]));
      return;
    }
    for (const r of rows) body.appendChild(row(r));
  }
  function setValue(id, value, text) {
    const e = $(id);
    e.dataset.value = String(value);
    e.textContent = text;
    e.title = String(value);
  }
  function nameCell(text) {
    const td = el('td', text, 'name');
    td.title = text;
    return td;
  }
  /** A tenant by its configured display name, its id in the tooltip. */
  function tenantCell(id, name) {
    const td = el('td', name || id, 'name tenant');
    td.title = id;
    td.dataset.tenant = id;
    return td;
  }
  function promptCell(text) {
    const td = el('td', text === undefined || text === null ? '—' : text, 'name prompt');
    if (text) td.title = text;
    return td;
  }
  /** Shows the prompt columns of a table only when the server sends prompts at all. */
  function promptColumns(id, shown) {
    for (const th of $(id).querySelectorAll('th.prompt-col')) th.hidden = !shown;
  }
  /** Marks the scroll boxes whose table is wider than they are, so the hint shows. */
  function markOverflow() {
    for (const box of document.querySelectorAll('.scroll')) {
      box.dataset.overflowing = String(box.scrollWidth > box.clientWidth + 1);
    }
  }

  // ---- data ----

  async function getJson(url) {
    const r = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (r.status === 401) {
      location.assign('/dashboard'); // the token was withdrawn: back to the sign-in
      throw new Error('signed out');
    }
    if (!r.ok) {
      const e = new Error(url + ' answered ' + r.status);
      e.status = r.status;
      throw e;
    }
    return r.json();
  }

  async function refresh() {
    clearTimeout(timer);
    const p = PERIODS[period];
    const to = Date.now() + 1;
    const from = to - 1 - p.ms;
    const query = '/api/savings?granularity=' + p.granularity + '&from=' + from + '&to=' + to;
    try {
      const [savings, decisions, top, quality] = await Promise.all([
        getJson(query), getJson('/api/decisions?limit=25'), getJson('/api/top?limit=10'),
        getJson('/api/quality')]);
      currency = savings.assumptions.currency || 'USD';
      apiCurrency = savings.assumptions.api_currency || 'USD';
      renderTotals(savings, from, to);
      renderCharts(savings);
      renderBreakdown('by-model', savings.by_model, 'model');
      renderBreakdown('by-tenant', savings.by_tenant, 'tenant');
      renderTop(top);
      renderQuality(quality);
      renderDecisions(decisions);
      renderAssumptions(savings.assumptions, decisions.since);
      markOverflow();
      await refreshCandidates();
      $('error').hidden = true;
      $('updated').textContent = 'updated ' + clock(Date.now());
      document.body.dataset.loaded = String(Number(document.body.dataset.loaded || 0) + 1);
    } catch (e) {
      if (e.message !== 'signed out') {
        $('error').textContent = 'Could not refresh: ' + e.message;
        $('error').hidden = false;
      }
    }
    timer = setTimeout(tick, REFRESH_MS);
  }

  function tick() {
    if (document.hidden) {
      timer = setTimeout(tick, REFRESH_MS);
    } else {
      refresh();
    }
  }

  // ---- rendering ----

  function renderTotals(s, from, to) {
    const t = s.totals;
    const box = $('totals');
    box.dataset.from = String(from);
    box.dataset.to = String(to);
    box.dataset.granularity = s.granularity;
    setValue('total-requests', t.requests, int.format(t.requests));
    setValue('total-misses', t.misses, int.format(t.misses));
    setValue('total-bypasses', t.bypasses, int.format(t.bypasses));
    setValue('total-hit-rate', t.hit_rate, pct(t.hit_rate));
    setValue('total-exact', t.hits.exact, share(t.hits.exact, t.requests));
    setValue('total-semantic', t.hits.semantic, share(t.hits.semantic, t.requests));
    setValue('total-bound', t.hits.bound, share(t.hits.bound, t.requests));
    setValue('total-partial', t.hits.partial, share(t.hits.partial, t.requests));
    setValue('total-variant', t.hits.variant, share(t.hits.variant, t.requests));
    const mix = t.temperature_mix || { novelty_requests: 0, served_from_pools: 0 };
    setValue('total-novelty', mix.novelty_requests, share(mix.novelty_requests, t.requests));
    setValue('total-pooled', mix.served_from_pools,
      share(mix.served_from_pools, mix.novelty_requests));
    const tokens = t.prompt_tokens_avoided + t.completion_tokens_avoided;
    setValue('total-tokens', tokens, int.format(tokens));
    setValue('total-prompt-tokens', t.prompt_tokens_avoided, int.format(t.prompt_tokens_avoided));
    setValue('total-completion-tokens', t.completion_tokens_avoided,
      int.format(t.completion_tokens_avoided));
    setValue('total-wh', t.wh, energy(t.wh));
    setValue('total-wh-band', t.wh_low + ',' + t.wh_high, energyBand(t.wh_low, t.wh_high));
    setValue('total-bound-wh', t.bound_wh, energy(t.bound_wh));
    setValue('total-gco2e', t.gco2e, mass(t.gco2e));
    setValue('total-gco2e-band', t.gco2e_low + ',' + t.gco2e_high,
      massBand(t.gco2e_low, t.gco2e_high));
    const shift = t.carbon_shifted || {gco2e_shifted: 0, pregenerated: 0};
    setValue('total-gco2e-shifted', shift.gco2e_shifted, mass(shift.gco2e_shifted) + ' ('
      + int.format(shift.pregenerated) + ' pre-generated)');
    setValue('total-money', t.money, money(t.money));
    setValue('total-money-band', t.money_low + ',' + t.money_high,
      money(t.money_low) + ' – ' + money(t.money_high));
    setValue('total-api', t.api_cost_avoided, apiMoney(t.api_cost_avoided));
    setValue('total-api-note', t.api_unpriced_hits, t.api_unpriced_hits === 0
      ? 'every hit priced'
      : int.format(t.api_unpriced_hits) + ' hit' + (t.api_unpriced_hits === 1 ? '' : 's')
        + ' on models with no known price, not counted');
  }

  /** Every bucket of the period, zero where the ledger has nothing. */
  function buckets(s) {
    const step = STEP[s.granularity];
    const byStart = new Map(s.series.map((b) => [b.start, b]));
    const out = [];
    for (let t = s.from; t < s.to; t += step) out.push(byStart.get(t) || { start: t, empty: true });
    return out;
  }

  function makeCharts() {
    const common = {
      responsive: true, maintainAspectRatio: false, animation: false,
      interaction: { mode: 'index', intersect: false },
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 12 } } },
    };
    const requests = new Chart($('chart-requests'), {
      type: 'bar',
      data: { labels: [], datasets: TIERS.map(([, label, color]) => ({
        label, data: [], backgroundColor: color, borderWidth: 0, barPercentage: 0.95,
        categoryPercentage: 0.95 })) },
      options: { ...common, scales: {
        x: { stacked: true, ticks: { maxTicksLimit: 8, maxRotation: 0, autoSkip: true },
          grid: { display: false } },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
    });
    const energyChart = new Chart($('chart-energy'), {
      type: 'line',
      data: { labels: [], datasets: [
        { label: 'low', data: [], borderWidth: 0, pointRadius: 0, fill: false },
        { label: 'low–high band', data: [], borderWidth: 0, pointRadius: 0, fill: '-1',
          backgroundColor: 'rgba(20, 122, 75, 0.18)' },
        { label: 'net saving', data: [], borderColor: ENERGY_COLOR, backgroundColor: ENERGY_COLOR,
          borderWidth: 2, pointRadius: 0, tension: 0.2, fill: false },
      ] },
      options: { ...common,
        plugins: { ...common.plugins, legend: { ...common.plugins.legend, labels: {
          ...common.plugins.legend.labels, filter: (item) => item.text !== 'low' } } },
        scales: { x: { ticks: { maxTicksLimit: 8, maxRotation: 0, autoSkip: true },
          grid: { display: false } } } },
    });
    return { requests, energy: energyChart };
  }

  function renderCharts(s) {
    if (!charts) charts = makeCharts();
    const all = buckets(s);
    const labels = all.map((b) => bucketLabel(b.start, s.granularity));
    let drawn = 0;
    charts.requests.data.labels = labels;
    TIERS.forEach(([key], i) => {
      charts.requests.data.datasets[i].data = all.map((b) => {
        if (b.empty) return 0;
        const v = key === 'misses' || key === 'bypasses' ? b[key] : b.hits[key];
        if (v > 0) drawn++;
        return v;
      });
    });
    charts.requests.update('none');
    $('chart-requests').dataset.count = String(drawn);
    $('requests-granularity').textContent = 'per ' + s.granularity;

    const max = Math.max(0, ...all.map((b) => (b.empty ? 0 : Math.max(Math.abs(b.wh_low),
      Math.abs(b.wh_high)))));
    const unit = unitFor(max, ENERGY_UNITS);
    const pick = (f) => all.map((b) => (b.empty ? 0 : b[f] / unit[1]));
    charts.energy.data.labels = labels;
    charts.energy.data.datasets[0].data = pick('wh_low');
    charts.energy.data.datasets[1].data = pick('wh_high');
    charts.energy.data.datasets[2].data = pick('wh');
    charts.energy.options.scales.y = { title: { display: true, text: unit[0] } };
    charts.energy.update('none');
    $('chart-energy').dataset.count = String(all.filter((b) => !b.empty).length);
    $('energy-unit').textContent = 'per ' + s.granularity + ', ' + unit[0];
  }

  function renderBreakdown(id, rows, key) {
    const sorted = [...rows].sort((a, b) => b.requests - a.requests);
    fillTable(id, sorted.map((r) => [key === 'tenant' ? tenantCell(r.tenant, r.name)
      : nameCell(r[key]), int.format(r.requests), pct(r.hit_rate),
    int.format(r.prompt_tokens_avoided + r.completion_tokens_avoided), energy(r.wh),
    sig3.format(r.gco2e), money(r.money), apiBillCell(r)]), 'No requests in this period.');
  }

  /** A row's API bill, or why there is none: its model has no known price. */
  function apiBillCell(r) {
    const td = el('td', r.api_price_note && r.api_cost_avoided === 0 ? 'no price'
      : apiMoney(r.api_cost_avoided), 'api');
    if (r.api_price) {
      td.title = r.api_price.input + ' / ' + r.api_price.cached_input + ' / '
        + r.api_price.output + ' ' + apiCurrency + ' per million input / cached / output tokens, '
        + r.api_price.source + ', ' + r.api_price.checked;
    } else if (r.api_price_note) {
      td.title = r.api_price_note;
    }
    return td;
  }

  function renderTop(top) {
    const p = top.show_prompts;
    promptColumns('top-entries', p);
    promptColumns('top-documents', p);
    fillTable('top-entries', top.entries.map((e) => [nameCell(e.id),
      ...(p ? [promptCell(e.prompt)] : []), int.format(e.hits), nameCell(e.model),
      tenantCell(e.tenant, e.tenant_name), when(e.last_hit), energy(e.wh), apiMoney(e.api_saved)]),
    'No hits yet.');
    fillTable('top-documents', top.documents.map((d) => [nameCell(d.id),
      ...(p ? [promptCell(d.prompt)] : []), d.version || '', int.format(d.hits),
      nameCell(d.model), when(d.last_hit), energy(d.wh), apiMoney(d.api_saved)]),
    'No document served yet.');
  }

  function rate(r) { return r === null ? '—' : (100 * r).toFixed(1) + ' %'; }
  function interval(c) {
    return c.estimate === null ? 'no samples yet' : rate(c.low) + ' – ' + rate(c.high);
  }

  function renderQuality(q) {
    const o = q.overall;
    setValue('quality-summary', o.estimate === null ? '' : o.estimate,
      o.estimate === null
        ? 'No samples yet: no would-be hit has been verified'
          + (q.verify_sample_rate > 0 ? '.' : ' (cache.verify-sample-rate is 0).')
        : 'Overall ' + rate(o.estimate) + ' (95 % interval ' + interval(o) + '), from '
          + int.format(o.verified) + ' verified would-be hits, ' + int.format(o.verified_wrong)
          + ' wrong.');
    $('quality-bound').textContent = q.error_rate === null
      ? 'Error bound off (cache.error-rate not set); matcher ' + q.matcher + '.'
      : 'Error bound ' + rate(q.error_rate) + ': '
        + (q.serving ? 'serving from score ' + q.threshold.toFixed(2)
          + ', where the calibration expects ' + rate(q.predicted_error) + ' wrong'
          : 'no score is safe enough to serve yet')
        + '; matcher ' + q.matcher + ', ' + int.format(q.calibration_observations)
        + ' observations calibrated while serving, '
        + int.format(q.calibration_offline_observations) + ' offline.';
    fillTable('quality', q.by_model.map((m) => [nameCell(m.model), rate(m.estimate), interval(m),
      int.format(m.verified), int.format(m.feedback_good) + ' / ' + int.format(m.feedback_bad)]),
    'No semantic hit verified or rated yet.');
  }

  function renderDecisions(d) {
    const p = d.show_prompts;
    promptColumns('decisions', p);
    fillTable('decisions', d.decisions.map((x) => {
      const tier = el('td');
      tier.appendChild(el('span', x.tier, 'tier ' + x.tier));
      if (x.error) tier.appendChild(el('span', ' ' + x.error, 'muted'));
      const sim = x.similarity !== null ? x.similarity : x.nearest_similarity;
      const scoreCell = el('td', score(x.score), 'score');
      if (x.matcher) scoreCell.title = 'matcher ' + x.matcher;
      const api = x.api_priced === undefined ? '—'
        : x.api_priced ? apiMoney(x.api_saved) : 'no price';
      return [clock(x.at), tier, el('td', x.reason || '—', 'reason'), score(sim), scoreCell,
        nameCell(x.model), tenantCell(x.tenant, x.tenant_name), x.latency_ms.toFixed(1) + ' ms',
        energy(x.wh), el('td', api, 'api'),
        ...(p ? [promptCell(x.prompt), promptCell(x.matched_prompt)] : [])];
    }), 'No request since Bound started.');
  }

  async function refreshCandidates() {
    if (Date.now() < candidatesNext) return;
    const box = $('candidates');
    let list;
    try {
      list = (await getJson('/api/candidates')).candidates || [];
      candidatesOff = false;
      candidatesNext = 0;
    } catch (e) {
      if (e.status !== 404) throw e;
      candidatesOff = true; // bound documents are off; look again now and then
      candidatesNext = Date.now() + CANDIDATES_OFF_MS;
      list = [];
    }
    box.replaceChildren();
    box.dataset.count = String(list.length);
    if (list.length === 0) {
      box.appendChild(el('p', candidatesOff
        ? 'Bound documents are not enabled, so there are no promotion candidates.'
        : 'No candidates yet: no question has been asked often enough.', 'empty-state'));
      return;
    }
    for (const c of list) {
      const item = el('div', null, 'candidate');
      let meta = 'asked ' + int.format(c.count) + ' times';
      if (typeof c.wh_per_month === 'number') {
        meta += ' · would save ~' + energy(c.wh_per_month) + ' a month';
        if (typeof c.wh_per_month_low === 'number' && typeof c.wh_per_month_high === 'number') {
          meta += ' (' + energyBand(c.wh_per_month_low, c.wh_per_month_high) + ')';
        }
      }
      if (c.model) meta += ' · ' + c.model;
      if (c.namespace) meta += ' · ' + c.namespace;
      item.appendChild(el('div', meta, 'meta'));
      if (c.examples) {
        const ul = el('ul');
        for (const q of c.examples.slice(0, 3)) ul.appendChild(el('li', q));
        item.appendChild(ul);
      } else {
        item.appendChild(el('p', 'Prompts and answers hidden (dashboard.show-prompts is off).',
          'note'));
      }
      if (c.answer) item.appendChild(el('p', c.answer, 'answer'));
      box.appendChild(item);
    }
  }

  function renderAssumptions(a, since) {
    $('assumptions').textContent = 'Figures are estimates: each has a low–high band drawn by '
      + 'moving every uncertain assumption to its bound at once, and energy is net of what '
      + 'Bound itself spent on embedding and search. Accelerator ' + a.accelerator
      + ', batch ' + a.batch + ', PUE ' + a.pue + ', grid ' + a.grid_intensity_gco2e_per_kwh
      + ' gCO2e/kWh, ' + a.price_per_kwh + ' ' + a.currency + '/kWh; unknown models are '
      + 'costed as ' + a.default_profile + '. Method: ' + a.method + '. The API bill avoided is '
      + 'a different figure: what the provider would have charged for the answers served, at '
      + 'its list prices in ' + a.api_currency + ' (' + (a.api_price_sources || []).join('; ')
      + '); models with no known price are left out and counted apart. Most-hit entries and '
      + 'decisions are counted since ' + when(since) + '.';
  }

  // ---- start ----

  function choose(p) {
    period = p;
    for (const b of document.querySelectorAll('.periods button')) {
      b.classList.toggle('active', b.dataset.period === p);
    }
    history.replaceState(null, '', '#' + p);
    refresh();
  }
  for (const b of document.querySelectorAll('.periods button')) {
    b.addEventListener('click', () => choose(b.dataset.period));
  }
  window.addEventListener('resize', markOverflow);
  choose(period);
})();
