/**
 * The script inlined into the HTML report. It reads the chart data from the
 * `<script type="application/json" id="loadctl-data">` block and draws it with
 * uPlot (inlined before it). Plain ES2017 in a string: it runs in the viewer's
 * browser, not in Node, and must not contain a backtick or a dollar-brace.
 *
 * For tests and tooling it exposes `window.__loadctlReport`:
 *   { ready, readyMs, renderMs, errors, charts: [{ id, kind, points, series: [{ label, length, values }] }] }
 * where `values` are the arrays handed to uPlot (the drawn data).
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var t0 = performance.now();
  var report = { ready: false, readyMs: null, renderMs: null, errors: [], charts: [], plots: {} };
  window.__loadctlReport = report;

  function fail(where, err) {
    var msg = where + ': ' + (err && err.message ? err.message : String(err));
    report.errors.push(msg);
    if (window.console) console.error('[loadctl report] ' + msg);
  }

  var data;
  try {
    data = JSON.parse(document.getElementById('loadctl-data').textContent || '{}');
  } catch (err) {
    fail('data', err);
    return;
  }
  if (typeof uPlot !== 'function') {
    fail('uPlot', 'not loaded');
    return;
  }
  document.documentElement.classList.add('js');

  function num(v, digits) {
    if (v == null || !isFinite(v)) return '\u2014';
    var a = Math.abs(v);
    var d = digits != null ? digits : a >= 1000 ? 0 : a >= 100 ? 1 : a >= 10 ? 2 : 3;
    return v.toLocaleString('en-US', { maximumFractionDigits: d });
  }
  function pad(n) { return n < 10 ? '0' + n : String(n); }
  function clock(sec) {
    if (sec == null || !isFinite(sec)) return '\u2014';
    var s = Math.round(sec), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    return h > 0 ? h + ':' + pad(m) + ':' + pad(r) : m + ':' + pad(r);
  }
  /** x = 1/(1-p) back to a percentile label; extra digits for hover values. */
  function pct(x, extra) {
    if (x == null || !isFinite(x) || x < 1) return '\u2014';
    var p = 100 * (1 - 1 / x);
    var digits = Math.max(0, Math.round(Math.log10(x)) - 2 + (extra || 0));
    var s = p.toFixed(Math.min(digits, 8));
    if (s.indexOf('.') >= 0 && extra) s = s.replace(/0+$/, '').replace(/\.$/, '');
    return s + '%';
  }
  function rgba(hex, a) {
    var h = hex.replace('#', '');
    var n = parseInt(h.length === 3 ? h.replace(/(.)/g, '$1$1') : h, 16);
    return 'rgba(' + ((n >> 16) & 255) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
  }

  var TIME_INCRS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

  function scaleOf(s) { return s.axis === 'right' ? 'y2' : 'y'; }

  /** Largest value (line or envelope) of the shown series on a scale, within the visible x range. */
  function visibleMax(u, spec, key) {
    var xs = u.data[0], xmin = u.scales.x.min, xmax = u.scales.x.max, max = 0;
    for (var i = 0; i < spec.series.length; i++) {
      var s = spec.series[i];
      if (scaleOf(s) !== key || !u.series[i + 1].show) continue;
      var top = s.hi || s.values;
      for (var k = 0; k < xs.length; k++) {
        if (xmin != null && (xs[k] < xmin || xs[k] > xmax)) continue;
        var v = top[k];
        if (v != null && v > max) max = v;
      }
    }
    return max;
  }

  function drawEnvelopes(spec) {
    return function (u) {
      var ctx = u.ctx, b = u.bbox, xs = u.data[0];
      ctx.save();
      ctx.beginPath();
      ctx.rect(b.left, b.top, b.width, b.height);
      ctx.clip();
      spec.series.forEach(function (s, i) {
        if (!s.lo || !s.hi || !u.series[i + 1].show) return;
        var key = scaleOf(s), seg = [];
        ctx.fillStyle = rgba(s.color, s.dash ? 0.1 : 0.16);
        function flush() {
          if (seg.length === 0) return;
          ctx.beginPath();
          var j, k;
          for (j = 0; j < seg.length; j++) {
            k = seg[j];
            var x = u.valToPos(xs[k], 'x', true), y = u.valToPos(s.hi[k], key, true);
            if (j === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
          }
          for (j = seg.length - 1; j >= 0; j--) {
            k = seg[j];
            ctx.lineTo(u.valToPos(xs[k], 'x', true), u.valToPos(s.lo[k], key, true));
          }
          ctx.closePath();
          ctx.fill();
          seg = [];
        }
        for (var k = 0; k < xs.length; k++) {
          if (s.hi[k] == null || s.lo[k] == null) flush();
          else seg.push(k);
        }
        flush();
      });
      ctx.restore();
    };
  }

  function drawMarkers(spec) {
    return function (u) {
      if (!spec.markers || spec.markers.length === 0) return;
      var ctx = u.ctx, b = u.bbox, ratio = window.devicePixelRatio || 1;
      ctx.save();
      ctx.font = Math.round(11 * ratio) + 'px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      ctx.textAlign = 'left';
      // Labels go on up to three rows so that close stage changes stay readable.
      var rowEnds = [-Infinity, -Infinity, -Infinity], lineH = 13 * ratio;
      spec.markers.forEach(function (m) {
        var x = Math.round(u.valToPos(m.x, 'x', true));
        if (x < b.left - 1 || x > b.left + b.width + 1) return;
        ctx.strokeStyle = m.dash ? 'rgba(100,116,139,0.6)' : 'rgba(15,23,42,0.55)';
        ctx.lineWidth = ratio;
        ctx.setLineDash(m.dash ? [2 * ratio, 4 * ratio] : [5 * ratio, 3 * ratio]);
        ctx.beginPath();
        ctx.moveTo(x + 0.5, b.top);
        ctx.lineTo(x + 0.5, b.top + b.height);
        ctx.stroke();
        var lx = x + 3 * ratio, w = ctx.measureText(m.label).width;
        if (lx + w > b.left + b.width) lx = Math.max(b.left, x - 3 * ratio - w);
        for (var row = 0; row < rowEnds.length; row++) {
          if (lx > rowEnds[row]) {
            ctx.fillStyle = m.dash ? '#64748b' : '#334155';
            ctx.fillText(m.label, lx, b.top + 2 * ratio + row * lineH);
            rowEnds[row] = lx + w + 6 * ratio;
            break;
          }
        }
      });
      ctx.restore();
    };
  }

  function valueFmt(spec, s) {
    var unit = s.axis === 'right' ? (spec.rightUnit || '') : spec.unit;
    return function (u, v, si, idx) {
      if (v == null) return '\u2014';
      var txt = num(v) + ' ' + unit;
      if (s.lo && idx != null && s.lo[idx] != null) txt += ' (' + num(s.lo[idx]) + '\u2013' + num(s.hi[idx]) + ')';
      return txt;
    };
  }

  function spectrumSplits(u, axisIdx, min, max) {
    var out = [];
    for (var x = 1; x <= max * 1.0001; x *= 10) {
      if (x >= min) out.push(x);
      if (x === 1 && 2 >= min && 2 <= max) out.push(2);
    }
    return out;
  }

  function options(spec, width) {
    var spectrum = spec.kind === 'spectrum';
    var hasRight = spec.series.some(function (s) { return s.axis === 'right'; });
    var series = [{
      label: spectrum ? 'percentile' : 'time',
      value: spectrum ? function (u, v) { return pct(v, 2); } : function (u, v) { return clock(v); }
    }];
    spec.series.forEach(function (s) {
      var cfg = {
        label: s.label,
        stroke: s.color,
        width: s.agg === 'max' ? 1 : 1.5,
        scale: scaleOf(s),
        spanGaps: spectrum,
        value: valueFmt(spec, s)
      };
      if (s.dash) cfg.dash = [6, 4];
      if (spectrum) cfg.points = { show: true, size: 4 };
      series.push(cfg);
    });
    /** Unzoomed, the x axis starts at 'origin' (0 s or 0%); zoomed, it keeps the selection. */
    function xRange(origin, grow) {
      var xs = spec.xs, first = xs[0], last = xs[xs.length - 1];
      return function (u, min, max) {
        if (first == null) return [origin, origin + 1];
        var lo = min == null || min <= first ? Math.min(origin, first) : min;
        var hi = max == null || max >= last ? last * grow : max;
        return [lo, hi > lo ? hi : lo + 1];
      };
    }
    var yRange = function (key) {
      return function (u) {
        var max = visibleMax(u, spec, key);
        return [0, max > 0 ? max * 1.08 : 1];
      };
    };
    var scales = {
      x: spectrum
        ? { time: false, distr: 3, log: 10, range: xRange(1, 1.25) }
        : { time: false, range: xRange(0, 1) },
      y: { range: yRange('y') }
    };
    if (hasRight) scales.y2 = { range: yRange('y2') };
    var axes = [
      spectrum
        ? { label: 'percentile', splits: spectrumSplits, filter: function (u, splits) { return splits; }, values: function (u, splits) { return splits.map(function (x) { return pct(x, 0); }); } }
        : { label: 'time since start', incrs: TIME_INCRS, values: function (u, splits) { return splits.map(clock); } },
      { label: spec.unit, size: 60, values: function (u, splits) { return splits.map(function (v) { return num(v); }); } }
    ];
    if (hasRight) axes.push({ scale: 'y2', side: 1, label: spec.rightUnit || '', size: 60, grid: { show: false }, values: function (u, splits) { return splits.map(function (v) { return num(v); }); } });
    return {
      width: width,
      height: 280,
      series: series,
      scales: scales,
      axes: axes,
      legend: { live: true },
      cursor: spectrum ? { drag: { x: true, y: false } } : { sync: { key: 'loadctl-time' }, drag: { x: true, y: false } },
      hooks: { drawAxes: [drawEnvelopes(spec)], draw: [drawMarkers(spec)] }
    };
  }

  var plots = [];
  (data.charts || []).forEach(function (spec) {
    var el = document.querySelector('[data-chart-id="' + spec.id + '"]');
    if (!el) { fail(spec.id, 'no container'); return; }
    try {
      var cols = [spec.xs].concat(spec.series.map(function (s) { return s.values; }));
      var u = new uPlot(options(spec, el.clientWidth || 900), cols, el);
      plots.push({ u: u, el: el });
      report.plots[spec.id] = u;
      report.charts.push({
        id: spec.id,
        kind: spec.kind,
        points: u.data[0].length,
        series: spec.series.map(function (s, i) {
          return { label: s.label, length: u.data[i + 1].length, values: u.data[i + 1], envelope: !!s.lo };
        })
      });
    } catch (err) {
      fail(spec.id, err);
    }
  });

  var pending = 0;
  window.addEventListener('resize', function () {
    if (pending) cancelAnimationFrame(pending);
    pending = requestAnimationFrame(function () {
      pending = 0;
      plots.forEach(function (p) { p.u.setSize({ width: p.el.clientWidth || 900, height: 280 }); });
    });
  });

  report.renderMs = performance.now() - t0;
  report.readyMs = performance.now();
  report.ready = true;
  document.documentElement.setAttribute('data-ready', 'true');
})();
`;
