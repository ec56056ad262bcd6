// The report page: draws the charts of charts.js, the sortable trial table and a trial's
// detail view; on the live page (hpsearch serve) it polls for new data and redraws.
'use strict';

(() => {
  const C = window.hpCharts;
  const PAGE_ROWS = 100;
  const instances = new Map();
  const table = { key: 'number', ascending: true, page: 0 };
  let data = JSON.parse(document.getElementById('report-data').textContent);

  const $ = (id) => document.getElementById(id);
  const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

  function draw(id, option) {
    const el = $(id);
    let chart = instances.get(id);
    if (chart === undefined) {
      chart = window.echarts.init(el, null, { renderer: 'canvas' });
      // A point of the history or of a parameter chart opens its trial.
      chart.on('click', (p) => typeof p.data?.[2] === 'number' && detail(p.data[2]));
      instances.set(id, chart);
    }
    chart.setOption(option, { notMerge: true });
    return chart;
  }

  function header() {
    const { study, counts } = data;
    const epochs = data.trials.reduce((n, t) => n + t.epochs, 0);
    const best = data.trials.find((t) => t.number === data.best);
    $('title').textContent = `Study ${study.name}`;
    $('summary').innerHTML =
      `${data.trials.length} trials · ` +
      Object.entries(counts).filter(([, n]) => n > 0).map(([s, n]) => `<span class="state ${s}">${n} ${s}</span>`).join(' · ') +
      ` · <span id="epoch-count">${epochs}</span> epochs recorded · ${esc(study.metric)} (${study.direction})` +
      (best ? ` · best: trial ${best.number}, ${C.fmt(best.value)}` : '') +
      ` · data of ${new Date(data.generated).toLocaleString()}`;
  }

  function paretoNote({ objectives, points, line }) {
    const [a, b] = objectives;
    const onFront = points.filter((p) => p.front).length;
    const lineSays = objectives.length > 2
      ? `the ${onFront} on the Pareto front of all ${objectives.length} objectives (${objectives.map((o) => o.name).join(', ')}) are green; the line joins the ${line.length} that no other trial dominates on ${a.name} and ${b.name} alone`
      : `the ${onFront} on the Pareto front are green, joined by the line that bounds what they dominate`;
    return `The ${points.length} complete trials by ${a.name} and ${b.name}: ${lineSays}. The front is the one hpsearch best lists. Hover a point for its objectives, click it for the trial.`;
  }

  /** Every chart, drawn as the page loads: none waits for a scroll or a timer. */
  function charts(done) {
    const jobs = [
      () => draw('history', C.history(data)),
      () => {
        // Shown before it is drawn: echarts sizes a chart from its element.
        $('pareto').hidden = data.pareto === null;
        if (data.pareto !== null) {
          $('pareto-note').textContent = paretoNote(data.pareto);
          draw('pareto-chart', C.pareto(data));
        }
      },
      () => {
        $('pbt').hidden = data.pbt === null;
        if (data.pbt === null) return;
        $('pbt-note').textContent = window.hpPbt.note(data);
        draw('pbt-metric', window.hpPbt.metric(data));
        const grid = $('pbt-params');
        if (grid.childElementCount !== data.params.length) {
          grid.replaceChildren(...data.params.map((p) => Object.assign(document.createElement('div'), { id: `pbt-param-${p.name}`, className: 'chart' })));
        }
        for (const p of data.params) draw(`pbt-param-${p.name}`, window.hpPbt.schedule(data, p));
      },
      () => draw('curves-loss', C.curves(data, 'loss')),
      () => draw('curves-accuracy', C.curves(data, 'accuracy')),
      () => data.params.length > 0 && draw('parallel', C.parallel(data)),
      () => {
        const grid = $('scatter');
        if (grid.childElementCount !== data.params.length) {
          grid.replaceChildren(...data.params.map((p) => Object.assign(document.createElement('div'), { id: `scatter-${p.name}`, className: 'small chart' })));
        }
      },
      ...data.params.map((p) => () => draw(`scatter-${p.name}`, C.scatter(data, p))),
      () => {
        if (data.importance === null) {
          $('importance-method').textContent = 'Too few complete trials to estimate importance yet.';
        } else {
          $('importance-method').textContent = `Method: ${data.importance.method}; ${data.importance.trials} complete trials.`;
          draw('importance', C.importance(data));
        }
      },
    ];
    $('curves-note').textContent = data.curvesSampled
      ? `Curves of ${data.curves.length} of ${data.trials.length} trials (the best, the diverged and pruned, and an even sample), each at most 100 epochs.`
      : '';
    for (const job of jobs) job();
    done();
  }

  /** The best trial's augmented training images, one canvas each (grey, or RGB with 3 channels). */
  function augmentGrid() {
    const a = data.augment;
    $('augment').hidden = a === null;
    if (a === null) return;
    const { width, height, channels, labels, lo, hi } = a.samples;
    const bytes = Uint8Array.from(window.atob(a.samples.pixels), (c) => c.charCodeAt(0));
    const size = width * height * channels;
    $('augment-note').textContent =
      `What trial ${a.trial} (the best) trained on: the first ${labels.length} images of its first mini-batch after augmentation, ` +
      `black = ${C.fmt(lo)} and white = ${C.fmt(hi)} in the data's pixel units; each is labelled with its class.`;
    $('augment-grid').replaceChildren(...labels.map((label, i) => {
      const canvas = Object.assign(document.createElement('canvas'), { width, height });
      const image = canvas.getContext('2d').createImageData(width, height);
      for (let p = 0; p < width * height; p++) {
        const at = i * size + p * channels;
        for (let k = 0; k < 3; k++) image.data[p * 4 + k] = bytes[at + (channels === 3 ? k : 0)];
        image.data[p * 4 + 3] = 255;
      }
      canvas.getContext('2d').putImageData(image, 0, 0);
      const figure = document.createElement('figure');
      figure.append(canvas, Object.assign(document.createElement('figcaption'), { textContent: label }));
      return figure;
    }));
  }

  function sortedTrials() {
    const { key, ascending } = table;
    const get = (t) => (key.startsWith('param:') ? t.params[key.slice(6)] : t[key]);
    return [...data.trials].sort((a, b) => {
      const x = get(a);
      const y = get(b);
      if (x === y) return a.number - b.number;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      return (x < y ? -1 : 1) * (ascending ? 1 : -1);
    });
  }

  function trialTable() {
    const columns = [
      ['number', '#'], ['state', 'state'], ['value', data.study.metric], ['verdict', 'verdict'], ['reason', 'reason'],
      ['epochs', 'epochs'], ['seconds', 'time (s)'], ['stage', 'stage'], ...data.params.map((p) => [`param:${p.name}`, p.name]),
    ];
    const arrow = (k) => (k === table.key ? (table.ascending ? ' ▲' : ' ▼') : '');
    $('trials-head').innerHTML = `<tr>${columns.map(([k, label]) => `<th data-key="${esc(k)}">${esc(label)}${arrow(k)}</th>`).join('')}</tr>`;
    const rows = sortedTrials();
    const pages = Math.max(1, Math.ceil(rows.length / PAGE_ROWS));
    table.page = Math.min(table.page, pages - 1);
    const shown = rows.slice(table.page * PAGE_ROWS, (table.page + 1) * PAGE_ROWS);
    $('trials-body').innerHTML = shown.map((t) =>
      `<tr data-number="${t.number}"><td>${t.number}</td><td><span class="state ${t.state}">${t.state}</span></td><td>${C.fmt(t.value)}</td>` +
      `<td class="verdict">${esc(t.verdict ?? '')}${t.also.length > 0 ? ` <span class="also">+ ${esc(t.also.join(', '))}</span>` : ''}</td><td class="reason" title="${esc(t.reason ?? t.summary ?? '')}">${esc(t.reason ?? t.summary ?? '')}</td><td>${t.epochs}</td><td>${C.fmt(t.seconds)}</td>` +
      `<td>${t.stage ?? ''}</td>${data.params.map((p) => `<td>${C.fmt(t.params[p.name])}</td>`).join('')}</tr>`).join('');
    $('pager').innerHTML = pages === 1 ? '' :
      `<button data-page="${table.page - 1}" ${table.page === 0 ? 'disabled' : ''}>◀ previous</button> page ${table.page + 1} of ${pages} ` +
      `<button data-page="${table.page + 1}" ${table.page === pages - 1 ? 'disabled' : ''}>next ▶</button>`;
  }

  function detail(number) {
    const t = data.trials.find((x) => x.number === number);
    if (t === undefined) return;
    const curve = data.curves.find((c) => c.number === number);
    $('detail-title').textContent = `Trial ${t.number} · ${t.state}`;
    const facts = [
      [data.study.metric, C.fmt(t.value)], ['verdict', [t.verdict, ...t.also].filter(Boolean).join(' + ')], ['summary', t.summary], ['what to change', t.hint], ['reason', t.reason],
      ['overfit onset (epoch)', t.overfitOnset], ['epochs', t.epochs], ['stage', t.stage],
      ...data.params.map((p) => [p.name, C.fmt(t.params[p.name])]),
    ].filter(([, v]) => v !== null && v !== undefined && v !== '');
    $('detail-facts').innerHTML = facts.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('');
    $('detail-note').textContent = curve ? '' : `This trial's curve is not in the page (curves are sampled); hpsearch show ${t.number} prints it.`;
    $('detail').hidden = false;
    $('detail-curves').hidden = curve === undefined;
    if (curve) {
      draw('detail-loss', C.trialCurves(curve, 'loss'));
      draw('detail-accuracy', C.trialCurves(curve, 'accuracy'));
    }
    const hist = $('detail-histograms');
    hist.replaceChildren(...(curve?.histograms ?? []).map((h) => Object.assign(document.createElement('div'), { id: `histogram-${h.layer}`, className: 'small chart' })));
    $('detail-histograms-title').hidden = hist.childElementCount === 0;
    for (const h of curve?.histograms ?? []) {
      instances.get(`histogram-${h.layer}`)?.dispose();
      instances.delete(`histogram-${h.layer}`);
      draw(`histogram-${h.layer}`, C.histogram(h));
    }
    $('detail').scrollIntoView({ block: 'nearest' });
  }

  /** Header and table first; the charts follow; body[data-drawn] says when all are drawn. */
  function render() {
    document.body.dataset.drawn = 'false';
    header();
    augmentGrid();
    trialTable();
    charts(() => (document.body.dataset.drawn = 'true'));
  }

  $('trials-head').addEventListener('click', (e) => {
    const key = e.target.closest('th')?.dataset.key;
    if (key === undefined) return;
    table.ascending = table.key === key ? !table.ascending : key !== 'value' || data.study.direction === 'minimize';
    table.key = key;
    trialTable();
  });
  $('trials-body').addEventListener('click', (e) => {
    const row = e.target.closest('tr');
    if (row) detail(Number(row.dataset.number));
  });
  $('pager').addEventListener('click', (e) => {
    const page = e.target.dataset.page;
    if (page === undefined) return;
    table.page = Number(page);
    trialTable();
  });
  $('detail-close').addEventListener('click', () => ($('detail').hidden = true));
  window.addEventListener('resize', () => instances.forEach((c) => c.resize()));

  render();

  // The live page: poll for new data (ETag: an unchanged study costs one 304).
  const live = document.body.dataset.live;
  if (live) {
    let etag = null;
    const poll = async () => {
      try {
        const res = await fetch(live, { headers: etag ? { 'If-None-Match': etag } : {} });
        if (res.status === 200) {
          etag = res.headers.get('ETag');
          data = await res.json();
          render();
          $('live').textContent = `live · updated ${new Date().toLocaleTimeString()}`;
        }
      } catch (error) {
        $('live').textContent = `live · server not reachable (${error.message})`;
      }
      setTimeout(poll, Number(document.body.dataset.interval || 2000));
    };
    $('live').textContent = 'live';
    setTimeout(poll, Number(document.body.dataset.interval || 2000));
  }
})();
