// Chart options for the report page (browser code, inlined into the page with echarts).
// Each builder takes the report data and returns an echarts option; page.js draws them.
'use strict';

window.hpCharts = (() => {
  const STATE_COLORS = { complete: '#2563eb', pruned: '#f59e0b', diverged: '#dc2626', failed: '#6b21a8', running: '#6b7280', interrupted: '#9ca3af', waiting: '#9ca3af' };
  const STATE_SYMBOLS = { complete: 'circle', pruned: 'diamond', diverged: 'triangle', failed: 'rect' };
  const HIGHLIGHT = ['#059669', '#2563eb', '#7c3aed', '#db2777', '#0891b2'];
  const TEXT = { fontSize: 13, color: '#1f2937' };

  /** The unit a metric is measured in, for axis names. */
  function unitOf(metric) {
    if (/accuracy$/.test(metric)) return 'fraction correct';
    if (/loss$/.test(metric)) return 'cross-entropy';
    if (metric === 'seconds') return 's';
    return 'value';
  }

  function fmt(v) {
    if (v === null || v === undefined) return '—';
    if (typeof v !== 'number') return String(v);
    if (v === 0) return '0';
    const a = Math.abs(v);
    return a >= 1e4 || a < 1e-3 ? v.toExponential(2) : String(Number(v.toPrecision(4)));
  }

  /** Axis settings for a parameter: log axes for log scales; 1 − β on a log axis, labelled in β. */
  function paramAxis(p, extra) {
    const base = { name: p.name, nameLocation: 'middle', nameGap: 28, nameTextStyle: TEXT, ...extra };
    if (p.kind === 'categorical') return { ...base, type: 'category', data: p.values.map(String) };
    // Log axes span the data, not whole decades (a β axis reaching 1 − β = 1 would read β = 0).
    const span = { min: 'dataMin', max: 'dataMax' };
    if (p.kind === 'log') return { ...base, type: 'log', ...span, name: `${p.name} (log scale)`, axisLabel: { formatter: fmt } };
    if (p.kind === 'log_one_minus') {
      return { ...base, type: 'log', ...span, inverse: true, name: `${p.name} (log scale of 1 − ${p.name})`, axisLabel: { formatter: (v) => fmt(1 - v) } };
    }
    return { ...base, type: 'value', scale: true, axisLabel: { formatter: fmt } };
  }

  /** A parameter's value as its axis plots it. */
  function axisValue(p, v) {
    if (v === null || v === undefined) return null;
    if (p.kind === 'categorical') return String(v);
    return p.kind === 'log_one_minus' ? 1 - v : v;
  }

  const tooltipOf = (data) => (params) => {
    const row = data.trials.find((t) => t.number === params.data?.[2]) ?? null;
    if (row === null) return params.seriesName;
    return `trial ${row.number} · ${row.state}<br>${data.study.metric}: ${fmt(row.value)}${row.verdict ? `<br>verdict: ${row.verdict}` : ''}`;
  };

  /** The legend's entries: the series that have points, each name once (absent categories are not listed). */
  function present(series) {
    return [...new Set(series.filter((s) => s.data.some((d) => d[0] !== '-')).map((s) => s.name))];
  }

  function history(data) {
    const { metric, direction } = data.study;
    const finite = data.trials.filter((t) => t.value !== null).map((t) => t.value);
    const floor = finite.length === 0 ? 0 : direction === 'maximize' ? Math.min(...finite) : Math.max(...finite);
    const states = ['complete', 'pruned', 'diverged', 'failed'];
    const series = states.map((state) => ({
      name: state,
      type: 'scatter',
      symbol: STATE_SYMBOLS[state],
      symbolSize: state === 'complete' ? 7 : 9,
      large: data.trials.length > 2000,
      itemStyle: { color: STATE_COLORS[state], opacity: 0.85 },
      data: data.trials.filter((t) => t.state === state).map((t) => [t.number, t.value ?? floor, t.number]),
    }));
    const best = [];
    let current = null;
    for (const t of data.trials) {
      if (t.state === 'complete' && t.value !== null && (current === null || (direction === 'maximize' ? t.value > current : t.value < current))) current = t.value;
      if (current !== null) best.push([t.number, current, t.number]);
    }
    series.push({
      name: 'best so far',
      type: 'line',
      step: 'end',
      showSymbol: false,
      lineStyle: { color: '#111827', width: 2 },
      itemStyle: { color: '#111827' },
      data: best,
      markArea: {
        silent: true,
        label: { color: '#374151' },
        data: data.stages.map((s, i) => [
          { name: `stage ${s.stage}`, xAxis: s.first - 0.5, itemStyle: { color: i % 2 === 0 ? 'rgba(37,99,235,0.06)' : 'rgba(5,150,105,0.08)' } },
          { xAxis: s.last + 0.5 },
        ]),
      },
    });
    return {
      animation: false,
      tooltip: { trigger: 'item', formatter: tooltipOf(data) },
      legend: { top: 0, textStyle: TEXT, data: present(series) },
      grid: { left: 70, right: 24, top: 40, bottom: 50 },
      xAxis: { type: 'value', name: 'trial number', nameLocation: 'middle', nameGap: 30, nameTextStyle: TEXT, minInterval: 1 },
      yAxis: { type: 'value', scale: true, name: `${metric} (${unitOf(metric)})`, nameLocation: 'middle', nameGap: 50, nameTextStyle: TEXT, axisLabel: { formatter: fmt } },
      series,
    };
  }

  /** Many curves as one series, broken between trials. */
  function merged(curves, metric) {
    const out = [];
    for (const c of curves) {
      const ys = c.metrics[metric];
      if (ys === undefined) continue;
      c.epoch.forEach((e, i) => out.push([e, ys[i] ?? '-', c.number]));
      out.push(['-', '-', c.number]);
    }
    return out;
  }

  /** Learning curves of one kind ('loss' or 'accuracy'): the best few in colour, the rest grey, diverged red, pruned orange. */
  function curves(data, kind) {
    const state = new Map(data.trials.map((t) => [t.number, t]));
    const highlighted = data.highlighted.map((n) => data.curves.find((c) => c.number === n)).filter(Boolean);
    const others = data.curves.filter((c) => !data.highlighted.includes(c.number));
    const val = `val_${kind}`;
    const train = `train_${kind}`;
    const line = (name, color, points, extra) => ({
      name, type: 'line', showSymbol: false, connectNulls: false, data: points, lineStyle: { color, width: 1, ...extra?.lineStyle },
      itemStyle: { color }, emphasis: { disabled: true }, ...extra?.series,
    });
    const series = [
      line('other trials', '#9ca3af', merged(others.filter((c) => state.get(c.number)?.state === 'complete'), val), { lineStyle: { opacity: 0.35 } }),
      line('diverged (training)', STATE_COLORS.diverged, merged(others.filter((c) => state.get(c.number)?.state === 'diverged'), train), { lineStyle: { opacity: 0.6 } }),
      line('pruned', STATE_COLORS.pruned, merged(others.filter((c) => state.get(c.number)?.state === 'pruned'), val), { lineStyle: { opacity: 0.6 } }),
    ];
    highlighted.forEach((c, i) => {
      const color = HIGHLIGHT[i % HIGHLIGHT.length];
      const onset = state.get(c.number)?.overfitOnset;
      const at = c.epoch.indexOf(onset);
      const mark = kind === 'loss' && onset !== null && at >= 0
        ? { markPoint: { symbol: 'pin', symbolSize: 34, itemStyle: { color }, label: { fontSize: 10, formatter: 'onset' }, data: [{ name: 'overfit onset', coord: [onset, c.metrics[val]?.[at] ?? 0] }] } }
        : {};
      series.push(line(`trial ${c.number}`, color, merged([c], val), { lineStyle: { width: 2.5 }, series: mark }));
      series.push(line(`trial ${c.number}`, color, merged([c], train), { lineStyle: { width: 1.5, type: 'dashed' } }));
    });
    return {
      animation: false,
      title: { text: kind === 'loss' ? 'Loss (solid: validation, dashed: training)' : 'Accuracy (solid: validation, dashed: training)', textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'item', formatter: (p) => `trial ${p.data?.[2]} · ${p.seriesName}<br>epoch ${p.data?.[0]}: ${fmt(p.data?.[1])}` },
      legend: { type: 'scroll', bottom: 0, textStyle: { fontSize: 11 }, data: present(series) },
      grid: { left: 70, right: 20, top: 40, bottom: 80 },
      xAxis: { type: 'value', name: 'epoch (from 0)', nameLocation: 'middle', nameGap: 28, nameTextStyle: TEXT, minInterval: 1, min: 0 },
      yAxis: kind === 'loss'
        ? { type: 'log', name: 'cross-entropy (log scale)', nameLocation: 'middle', nameGap: 50, nameTextStyle: TEXT, axisLabel: { formatter: fmt } }
        : { type: 'value', name: 'fraction correct', nameLocation: 'middle', nameGap: 45, nameTextStyle: TEXT, min: 0, max: 1 },
      series,
    };
  }

  function parallel(data) {
    const { metric } = data.study;
    const short = { log: ' (log)', log_one_minus: ' (1−β, log)' };
    const axes = data.params.map((p, dim) => ({ dim, ...paramAxis(p, { nameLocation: 'end', nameGap: 12 }), name: p.name + (short[p.kind] ?? '') }));
    axes.push({ dim: data.params.length, type: 'value', scale: true, name: metric, nameLocation: 'end', nameGap: 12, nameTextStyle: TEXT, axisLabel: { formatter: fmt } });
    const rowsOf = (state) =>
      data.trials.filter((t) => t.state === state && t.value !== null).map((t) => [...data.params.map((p) => axisValue(p, t.params[p.name])), t.value]);
    const values = data.trials.filter((t) => t.value !== null).map((t) => t.value);
    const lineStyle = { width: data.trials.length > 2000 ? 0.5 : 1.2, opacity: data.trials.length > 2000 ? 0.25 : 0.6 };
    return {
      animation: false,
      parallelAxis: axes.map((a) => ({ ...a, nameTextStyle: { ...TEXT, fontSize: 11 }, axisLabel: { ...(a.axisLabel ?? {}), fontSize: 10 } })),
      parallel: { left: 60, right: 150, top: 60, bottom: 40, parallelAxisDefault: { realtime: true } },
      visualMap: values.length === 0 ? undefined : {
        type: 'continuous', seriesIndex: 0, dimension: data.params.length, min: Math.min(...values), max: Math.max(...values),
        inRange: { color: ['#c7d2fe', '#60a5fa', '#2563eb', '#1e1b4b'] }, right: 10, top: 'middle', calculable: true, text: [metric, ''], itemHeight: 200, formatter: fmt, textStyle: { fontSize: 11 },
      },
      legend: { top: 0, textStyle: TEXT, data: ['complete', 'pruned'].filter((s) => rowsOf(s).length > 0) },
      series: [
        { name: 'complete', type: 'parallel', progressive: 1000, lineStyle, data: rowsOf('complete') },
        { name: 'pruned', type: 'parallel', progressive: 1000, lineStyle: { ...lineStyle, color: STATE_COLORS.pruned }, itemStyle: { color: STATE_COLORS.pruned }, data: rowsOf('pruned') },
      ],
    };
  }

  /** One small chart per parameter: the objective against it, log axes where the parameter is log-scaled. */
  function scatter(data, p) {
    const { metric } = data.study;
    const series = ['complete', 'pruned'].map((state) => ({
      name: state, type: 'scatter', symbol: STATE_SYMBOLS[state], symbolSize: 6, large: data.trials.length > 2000,
      itemStyle: { color: STATE_COLORS[state], opacity: 0.7 },
      data: data.trials.filter((t) => t.state === state && t.value !== null && t.params[p.name] !== null).map((t) => [axisValue(p, t.params[p.name]), t.value, t.number]),
    }));
    return {
      animation: false,
      tooltip: { trigger: 'item', formatter: tooltipOf(data) },
      grid: { left: 60, right: 16, top: 16, bottom: 48 },
      xAxis: paramAxis(p, {}),
      yAxis: { type: 'value', scale: true, name: metric, nameLocation: 'middle', nameGap: 44, nameTextStyle: { ...TEXT, fontSize: 11 }, axisLabel: { formatter: fmt } },
      series,
    };
  }

  /** The name of an objective's axis: its goal and which way is better on this axis. */
  function objectiveAxis(o, better) {
    return { type: 'value', scale: true, name: `${o.name} (${o.goal}: better ${better})`, nameLocation: 'middle', nameTextStyle: TEXT, axisLabel: { formatter: fmt } };
  }

  /**
   * A multi-objective study's complete trials on its first two objectives: the Pareto front's
   * trials ringed, and the front of these two joined by the staircase that bounds what it
   * dominates (each corner is the worse of two neighbours on both objectives).
   */
  function pareto(data) {
    const { objectives, points, line } = data.pareto;
    const [a, b] = objectives;
    const byNumber = new Map(points.map((p) => [p.number, p]));
    const stairs = [];
    line.map((n) => byNumber.get(n)).forEach((p, i, front) => {
      const q = front[i - 1];
      if (q !== undefined) stairs.push(a.goal === 'minimize' ? [p.values[0], q.values[1]] : [q.values[0], p.values[1]]);
      stairs.push([p.values[0], p.values[1]]);
    });
    const dots = (front) => points.filter((p) => p.front === front).map((p) => [p.values[0], p.values[1], p.number]);
    const tooltip = (params) => {
      const p = byNumber.get(params.data?.[2]);
      if (p === undefined) return params.seriesName;
      return `trial ${p.number}${p.front ? ' · on the Pareto front' : ''}<br>` + objectives.map((o, i) => `${o.name}: ${fmt(p.values[i])}`).join('<br>');
    };
    // With two objectives the line joins the front itself: one legend entry for both.
    const lineName = objectives.length > 2 ? `front of ${a.name} and ${b.name} alone` : 'Pareto front';
    const series = [
      { name: lineName, type: 'line', silent: true, showSymbol: false, data: stairs, lineStyle: { color: '#059669', width: 2 }, itemStyle: { color: '#059669' }, z: 1 },
      { name: 'other complete trials', type: 'scatter', symbolSize: 7, large: points.length > 2000, itemStyle: { color: STATE_COLORS.complete, opacity: 0.55 }, data: dots(false), z: 2 },
      { name: 'Pareto front', type: 'scatter', symbolSize: 11, itemStyle: { color: '#059669', borderColor: '#064e3b', borderWidth: 1.5 }, data: dots(true), z: 3 },
    ];
    return {
      animation: false,
      tooltip: { trigger: 'item', formatter: tooltip },
      legend: { top: 0, textStyle: TEXT, data: present(series) },
      grid: { left: 80, right: 30, top: 40, bottom: 56 },
      xAxis: { ...objectiveAxis(a, a.goal === 'maximize' ? '→' : '←'), nameGap: 32 },
      yAxis: { ...objectiveAxis(b, b.goal === 'maximize' ? '↑' : '↓'), nameGap: 60 },
      series,
    };
  }

  function importance(data) {
    const scores = [...(data.importance?.scores ?? [])].reverse();
    return {
      animation: false,
      tooltip: { trigger: 'item', formatter: (p) => `${p.name}: ${(p.value * 100).toFixed(1)} %` },
      grid: { left: 140, right: 40, top: 10, bottom: 45 },
      xAxis: { type: 'value', name: 'share of importance (%)', nameLocation: 'middle', nameGap: 28, nameTextStyle: TEXT, axisLabel: { formatter: (v) => `${Math.round(v * 100)}` }, max: 1 },
      yAxis: { type: 'category', data: scores.map((s) => s.name), axisLabel: { fontSize: 12 } },
      series: [{ name: 'importance', type: 'bar', itemStyle: { color: '#2563eb' }, data: scores.map((s) => s.score), label: { show: true, position: 'right', formatter: (p) => `${(p.value * 100).toFixed(0)} %` } }],
    };
  }

  /** One trial's curves in the detail view. */
  function trialCurves(curve, kind) {
    const series = [`train_${kind}`, `val_${kind}`].filter((m) => curve.metrics[m] !== undefined).map((m, i) => ({
      name: m, type: 'line', showSymbol: curve.epoch.length < 40, data: curve.epoch.map((e, k) => [e, curve.metrics[m][k] ?? '-']),
      lineStyle: { type: i === 0 ? 'dashed' : 'solid' },
    }));
    return {
      animation: false, tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 60, right: 16, top: 30, bottom: 40 },
      xAxis: { type: 'value', name: 'epoch (from 0)', nameLocation: 'middle', nameGap: 24, minInterval: 1, min: 0 },
      yAxis: kind === 'loss' ? { type: 'log', name: 'cross-entropy', axisLabel: { formatter: fmt } } : { type: 'value', name: 'fraction correct', min: 0, max: 1 },
      series,
    };
  }

  /** One hidden layer's activation histogram at the first and the last epoch. */
  function histogram(h) {
    const centres = h.edges.slice(0, -1).map((e, i) => fmt((e + h.edges[i + 1]) / 2));
    return {
      animation: false,
      title: { text: `layer ${h.layer} (${h.activation})`, textStyle: { fontSize: 13 }, left: 'center' },
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0, textStyle: { fontSize: 11 } },
      grid: { left: 50, right: 12, top: 30, bottom: 62 },
      xAxis: { type: 'category', data: centres, name: 'activation', nameLocation: 'middle', nameGap: 24, axisLabel: { fontSize: 9 } },
      yAxis: { type: 'value', name: 'count', nameTextStyle: { fontSize: 11 } },
      series: [
        { name: `epoch ${h.firstEpoch} (first)`, type: 'bar', barGap: '0%', itemStyle: { color: '#9ca3af' }, data: h.first },
        { name: `epoch ${h.lastEpoch} (last)`, type: 'bar', itemStyle: { color: '#2563eb', opacity: 0.8 }, data: h.last },
      ],
    };
  }

  return { histogram, history, curves, parallel, pareto, scatter, importance, trialCurves, present, fmt, paramAxis, axisValue, STATE_COLORS };
})();
