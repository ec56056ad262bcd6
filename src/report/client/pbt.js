// Chart options for a pbt study (browser code, after charts.js): each member's study metric
// and each searched parameter over the epochs it trained, one line per member. A segment that
// began by taking another member's weights breaks its member's line: a dashed connector runs
// from the donor's point at the exploit epoch to where the member went on, ended by a triangle.
'use strict';

window.hpPbt = (() => {
  const C = window.hpCharts;
  const MEMBER_COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#e377c2', '#17becf', '#8c564b', '#7f7f7f', '#bcbd22'];
  const TEXT = { fontSize: 13, color: '#1f2937' };
  const colorOf = (member) => MEMBER_COLORS[member % MEMBER_COLORS.length];

  /** Trial number → { member, segment }, to find an exploit's donor. */
  function segmentsByTrial(pbt) {
    const out = new Map();
    for (const m of pbt.members) for (const s of m.segments) out.set(s.trial, { member: m.member, segment: s });
    return out;
  }

  /** What an exploit's marker says: whose weights, and what explore changed. */
  function exploitText(member, s, donor, params) {
    const e = s.exploited;
    const changed = donor === undefined ? [] : params.filter((p) => donor.segment.params[p.name] !== s.params[p.name]);
    const changes = changed.map((p) => `${p.name} ${C.fmt(donor.segment.params[p.name])} → ${C.fmt(s.params[p.name])}`);
    return `member ${member} took member ${e.member}'s weights at epoch ${e.epoch} (trial ${e.trial})` +
      (changes.length > 0 ? `<br>${changes.join('<br>')}` : '') + `<br>segment: trial ${s.trial}, epochs ${s.start}–${s.end}`;
  }

  /**
   * One chart's series: a line per member (points from `pointsOf(segment)`, broken where a
   * segment took a donor's weights), the dashed connectors from each donor's point (`fromOf`)
   * and the exploit markers. `yOf` maps a value to the axis (1 − β, categories).
   */
  function seriesOf(data, pointsOf, fromOf, yOf) {
    const byTrial = segmentsByTrial(data.pbt);
    const connectors = [];
    const markers = [];
    const lines = data.pbt.members.map((m) => {
      const points = [];
      for (const s of m.segments) {
        const own = pointsOf(s).filter(([, y]) => y !== null).map(([x, y]) => [x, yOf(y), s.trial]);
        if (s.exploited !== null) {
          if (points.length > 0) points.push(['-', '-', s.trial]);
          const donor = byTrial.get(s.exploited.trial);
          const from = donor === undefined ? null : fromOf(s, donor.segment);
          const to = own[0];
          if (to !== undefined) {
            if (from !== null) connectors.push({ coords: [[s.exploited.epoch, yOf(from)], [to[0], to[1]]], lineStyle: { color: colorOf(m.member) } });
            markers.push({ value: [to[0], to[1], s.trial], itemStyle: { color: colorOf(m.member) }, text: exploitText(m.member, s, donor, data.params) });
          }
        }
        points.push(...own);
      }
      return {
        name: `member ${m.member}`, type: 'line', showSymbol: false, connectNulls: false, data: points,
        lineStyle: { color: colorOf(m.member), width: 2 }, itemStyle: { color: colorOf(m.member) }, emphasis: { focus: 'series' },
      };
    });
    return [
      ...lines,
      { name: 'exploit (dashed: from the donor)', type: 'lines', coordinateSystem: 'cartesian2d', silent: true, z: 3, lineStyle: { type: 'dashed', width: 1.5, opacity: 0.9 }, itemStyle: { color: '#374151' }, data: connectors },
      {
        name: 'exploit', type: 'scatter', symbol: 'triangle', symbolSize: 11, z: 4, data: markers,
        itemStyle: { borderColor: '#111827', borderWidth: 1 },
        tooltip: { formatter: (p) => p.data.text },
      },
    ];
  }

  function frame(series, yAxis, title) {
    const members = series.filter((s) => s.type === 'line').map((s) => s.name);
    return {
      animation: false,
      title: { text: title, textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'item', formatter: (p) => `${p.seriesName} · trial ${p.data?.[2]}<br>after epoch ${p.data?.[0]}: ${C.fmt(p.data?.[1])}` },
      legend: { type: 'scroll', bottom: 0, textStyle: { fontSize: 11 }, data: [...members, 'exploit'] },
      grid: { left: 80, right: 24, top: 40, bottom: 72 },
      xAxis: { type: 'value', name: 'epochs trained', nameLocation: 'middle', nameGap: 26, nameTextStyle: TEXT, minInterval: 1, min: 0 },
      yAxis,
      series,
    };
  }

  /** Each member's study metric after each epoch. */
  function metric(data) {
    const name = data.pbt.metric;
    const series = seriesOf(data, (s) => s.curve, (s) => s.exploited.value, (y) => y);
    const yAxis = { type: 'value', scale: true, name, nameLocation: 'middle', nameGap: 55, nameTextStyle: TEXT, axisLabel: { formatter: C.fmt } };
    return frame(series, yAxis, `${name} of each member`);
  }

  /** Each member's value of parameter `p` over the epochs (a step per segment), log axes for log parameters. */
  function schedule(data, p) {
    const yOf = (v) => C.axisValue(p, v);
    const series = seriesOf(data, (s) => [[s.start, s.params[p.name]], [s.end, s.params[p.name]]], (s, donor) => donor.params[p.name], yOf);
    return frame(series, C.paramAxis(p, { nameGap: 55 }), `${p.name} of each member`);
  }

  /** The panel's note: what is drawn, with the counts. */
  function note(data) {
    const { members } = data.pbt;
    const segments = members.reduce((n, m) => n + m.segments.length, 0);
    const exploits = members.reduce((n, m) => n + m.segments.filter((s) => s.exploited !== null).length, 0);
    return `${members.length} members in ${segments} segments, ${exploits} exploits. One line per member; where a member took another's weights its line breaks, ` +
      `and a dashed line runs from the donor's point at that epoch to where the member went on (▲: hover it for whose weights and what explore changed). ` +
      'Log parameters are on log axes.';
  }

  return { metric, schedule, note };
})();
