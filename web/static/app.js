// blockplan — the only script of the web app's pages (besides the embedded
// ECharts bundle). Pages carry no inline script: chart options come as JSON
// in <script type="application/json" id="…"> blocks, named by the
// data-chart attribute of the element that shows the chart. Everything here
// is a convenience: every page and form works without it.
(function () {
  'use strict';

  document.documentElement.classList.add('js');

  function ready(fn) {
    if (document.readyState !== 'loading') {
      fn();
    } else {
      document.addEventListener('DOMContentLoaded', fn);
    }
  }

  function asList(x) {
    if (!x) { return []; }
    return Array.isArray(x) ? x : [x];
  }

  // compact writes an axis label short, in the page's language: 1.2M, 1,2 M.
  function compact(v, lang) {
    try {
      return new Intl.NumberFormat(lang, { notation: 'compact', maximumFractionDigits: 1 }).format(v);
    } catch (e) {
      return String(v);
    }
  }

  // prepare installs the formatters the server cannot send as JSON. Every
  // text shown comes from the data as plain text: tooltips are drawn as rich
  // text on the canvas (renderMode "richText"), so names are never read as
  // HTML.
  function prepare(opt) {
    var bp = opt.bp || {};
    delete opt.bp;
    var lang = bp.lang || document.documentElement.lang || 'en';
    if (opt.tooltip) {
      opt.tooltip.formatter = function (p) {
        if (Array.isArray(p)) { p = p[0]; }
        if (!p) { return ''; }
        var d = p.data || {};
        if (typeof d.tip === 'string') { return d.tip; }
        if (typeof d.display === 'string') { return d.display; }
        return String(p.name == null ? '' : p.name);
      };
    }
    ['xAxis', 'yAxis'].forEach(function (k) {
      asList(opt[k]).forEach(function (ax) {
        if (ax.axisLabel && ax.axisLabel.bpFormat === 'compact') {
          delete ax.axisLabel.bpFormat;
          ax.axisLabel.formatter = function (v) { return compact(v, lang); };
        }
      });
    });
    asList(opt.series).forEach(function (s) {
      if (s.type === 'sankey') {
        s.label = s.label || {};
        s.label.formatter = function (p) { return (p.data && p.data.display) || p.name; };
      }
    });
    return opt;
  }

  function drawCharts() {
    var boxes = document.querySelectorAll('[data-chart]');
    if (!boxes.length || !window.echarts) { return; }
    var charts = [];
    Array.prototype.forEach.call(boxes, function (el) {
      var src = document.getElementById(el.getAttribute('data-chart'));
      if (!src) { return; }
      var opt;
      try {
        opt = JSON.parse(src.textContent);
      } catch (e) {
        el.textContent = String(e);
        return;
      }
      if (!opt) { return; }
      var chart = window.echarts.init(el, null, { renderer: 'canvas' });
      chart.setOption(prepare(opt));
      el.setAttribute('data-chart-ready', 'true');
      charts.push(chart);
    });
    var timer;
    function resizeAll() {
      charts.forEach(function (c) { c.resize(); });
    }
    window.addEventListener('resize', function () {
      clearTimeout(timer);
      timer = setTimeout(resizeAll, 150);
    });
    window.addEventListener('beforeprint', resizeAll);
    window.addEventListener('afterprint', resizeAll);
  }

  // The portfolio switcher opens the chosen portfolio at once; the scenario
  // panel recomputes as soon as a value changes. Both are plain GET forms.
  function autoSubmit() {
    Array.prototype.forEach.call(document.querySelectorAll('select[data-autosubmit]'), function (sel) {
      sel.addEventListener('change', function () {
        if (sel.value) { sel.form.submit(); }
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll('form[data-autosubmit-form]'), function (form) {
      var timer;
      form.addEventListener('change', function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
        }, 250);
      });
    });
  }

  ready(function () {
    autoSubmit();
    drawCharts();
  });
})();
