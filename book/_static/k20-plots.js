/* Karabakh 2020 in Data: draws the book's plotly charts after the page's text.
 *
 * Each chart is stored in the page as data (analysis/report.py): a div of reserved height and a
 * <script type="application/json" class="k20-figure-data"> with the figure, its plotly config and,
 * for charts with a phone layout, the overrides that apply when the column is narrower than 600 px
 * (layout.meta.narrow). This script is loaded deferred; plotly.js (1.1 MB) is fetched only when a
 * chart nears the viewport, so it never delays the first text. Once the page has loaded, the other
 * charts are drawn one at a time when the browser is idle, so a printed page (and the print
 * edition, book/_ext/editions.py, which waits for every chart) has them all.
 *
 * Also: "Download image" (SVG or PNG at a fixed width, with the chart's title and its source line)
 * and a redraw in the other layout when the column crosses 600 px. Works from file:// (no fetch).
 */
(function () {
  'use strict';
  var NARROW = 600;           // px of column below which a chart takes its phone layout
  var EXPORT_WIDTH = 800;     // px of a downloaded image (PNG at twice that)
  var FONT = 'DejaVu Sans, Arial, Helvetica, sans-serif';
  var here = document.currentScript && document.currentScript.src;
  var bundle = here ? here.replace(/k20-plots\.js(\?.*)?$/, 'plotly-basic.min.js') : '_static/plotly-basic.min.js';
  var plotly = null;          // the promise of plotly.js loaded
  var drawn = new Map();      // chart div -> promise of its drawing

  function loadPlotly() {
    if (!plotly) {
      plotly = new Promise(function (resolve, reject) {
        if (window.Plotly) { resolve(window.Plotly); return; }
        var s = document.createElement('script');
        s.src = bundle;
        s.onload = function () { resolve(window.Plotly); };
        s.onerror = function () { reject(new Error('plotly.js could not be loaded from ' + bundle)); };
        document.head.appendChild(s);
      });
    }
    return plotly;
  }

  function isObject(v) { return v && typeof v === 'object' && !Array.isArray(v); }

  // A copy of `base` with `over` laid on it: objects merged key by key, anything else replaced.
  function merged(base, over) {
    var out = {};
    Object.keys(base).forEach(function (k) { out[k] = base[k]; });
    Object.keys(over).forEach(function (k) {
      out[k] = isObject(base[k]) && isObject(over[k]) ? merged(base[k], over[k]) : over[k];
    });
    return out;
  }

  function spec(gd) {
    if (!gd._k20spec) {
      gd._k20spec = JSON.parse(gd.parentNode.querySelector('script.k20-figure-data').textContent);
    }
    return gd._k20spec;
  }

  function narrowNow(gd) { return gd.parentNode.clientWidth < NARROW; }

  function phoneOf(gd) { var m = spec(gd).figure.layout.meta; return m && m.narrow; }

  function layoutFor(gd, narrow) {
    var layout = spec(gd).figure.layout, phone = phoneOf(gd);
    return narrow && phone ? merged(layout, phone.layout) : layout;
  }

  // The traces, with the phone's wrapped legend names and mark labels where the phone layout has them.
  function dataFor(gd, narrow) {
    var data = spec(gd).figure.data, phone = phoneOf(gd);
    if (!narrow || !phone || !phone.traces) return data;
    return data.map(function (trace, i) {
      return phone.traces[i] ? merged(trace, phone.traces[i]) : trace;
    });
  }

  // On a phone, an annotation placed near an edge of a date axis can run past it: anchor it at that edge.
  function keepAnnotationsIn(gd) {
    var width = gd._fullLayout.width, fixes = {};
    gd.querySelectorAll('.annotation').forEach(function (a) {
      var i = a.getAttribute('data-index'), box = a.getBoundingClientRect(), svg = gd.getBoundingClientRect();
      if (i === null || !box.width) return;
      if (box.right > svg.left + width - 1) fixes['annotations[' + i + '].xanchor'] = 'right';
      else if (box.left < svg.left + 1) fixes['annotations[' + i + '].xanchor'] = 'left';
    });
    return Object.keys(fixes).length ? window.Plotly.relayout(gd, fixes) : Promise.resolve();
  }

  function plot(P, gd, narrow, react) {
    var s = spec(gd);
    gd._k20narrow = narrow;
    return (react ? P.react : P.newPlot)(gd, dataFor(gd, narrow), layoutFor(gd, narrow), s.config).then(function () {
      return narrow ? keepAnnotationsIn(gd) : null;
    }).then(function () {
      gd.classList.toggle('k20-phone', narrow);  // which layout is drawn (the browser tests wait for it)
    });
  }

  function draw(gd) {
    if (!drawn.has(gd)) {
      drawn.set(gd, loadPlotly().then(function (P) {
        return plot(P, gd, narrowNow(gd), false);
      }).then(function () {
        gd.classList.add('k20-drawn');
        if (!performance.getEntriesByName('k20-first-chart').length) performance.mark('k20-first-chart');
        return gd;
      }));
    }
    return drawn.get(gd);
  }

  function charts() { return Array.prototype.slice.call(document.querySelectorAll('.k20-plot > .plotly-graph-div')); }

  function drawAll() {
    return charts().reduce(function (chain, gd) {
      return chain.then(function () { return draw(gd); });
    }, Promise.resolve()).then(function () { return charts().length; });
  }

  // Charts near the viewport first; the rest one at a time when the browser is idle after load.
  function start() {
    var all = charts();
    if (!all.length) return;
    if ('IntersectionObserver' in window) {
      var seen = new IntersectionObserver(function (entries) {
        entries.forEach(function (e) {
          if (e.isIntersecting) { seen.unobserve(e.target); draw(e.target); }
        });
      }, {rootMargin: '400px 0px'});
      all.forEach(function (gd) { seen.observe(gd); });
    } else {
      all.forEach(draw);
    }
    var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 200); };
    function rest() {
      var next = charts().filter(function (gd) { return !drawn.has(gd); })[0];
      if (next) draw(next).then(function () { idle(rest, {timeout: 3000}); }, function () {});
    }
    if (document.readyState === 'complete') idle(rest, {timeout: 3000});
    else window.addEventListener('load', function () { idle(rest, {timeout: 3000}); });
    window.addEventListener('beforeprint', function () { drawAll(); });
    var timer = null;
    window.addEventListener('resize', function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        drawn.forEach(function (done, gd) {
          done.then(function () {
            var narrow = narrowNow(gd);
            if (narrow !== gd._k20narrow) plot(window.Plotly, gd, narrow, true);
          });
        });
      }, 250);
    });
  }

  // ------------------------------------------------------------------ Download image

  function escapeXml(text) {
    return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  }

  // Text broken at spaces into lines of at most `width` characters.
  function lines(text, width) {
    var out = [], line = '';
    String(text).split(/\s+/).forEach(function (word) {
      if (line && (line + ' ' + word).length > width) { out.push(line); line = word; } else { line = line ? line + ' ' + word : word; }
    });
    if (line) out.push(line);
    return out;
  }

  // The chart as a standalone SVG document, EXPORT_WIDTH wide in its desktop layout, with its
  // source line set under it: {svg, width, height}.
  function exportSvg(gd) {
    return draw(gd).then(function () {
      var s = spec(gd), layout = s.figure.layout;
      var width = EXPORT_WIDTH;
      // the desktop height; a map's height follows its width, so it keeps the shape drawn on screen
      var height = layout.height || s.height || Math.round(gd._fullLayout.height * width / gd._fullLayout.width);
      var full = {data: s.figure.data, layout: merged(layout, {width: width, height: height})};
      return window.Plotly.toImage(full, {format: 'svg', width: width, height: height}).then(function (url) {
        var chart = decodeURIComponent(url.slice(url.indexOf(',') + 1));
        var source = (layout.meta && layout.meta.source) || '';
        var size = 12, step = 16, pad = 12;
        var rows = lines(source, Math.floor((width - 2 * pad) / (size * 0.6)));
        var foot = rows.length * step + 2 * pad;
        var text = rows.map(function (row, i) {
          return '<text x="' + pad + '" y="' + (height + pad + size + i * step) + '" font-family="' + FONT +
            '" font-size="' + size + '" fill="#444444">' + escapeXml(row) + '</text>';
        }).join('');
        chart = chart.replace(/^<svg\b/, '<svg x="0" y="0"');
        var svg = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="' + width +
          '" height="' + (height + foot) + '" viewBox="0 0 ' + width + ' ' + (height + foot) + '">' +
          '<rect width="100%" height="100%" fill="#ffffff"/>' + chart +
          '<g class="k20-source">' + text + '</g></svg>';
        return {svg: svg, width: width, height: height + foot};
      });
    });
  }

  function exportPng(picture) {
    return new Promise(function (resolve, reject) {
      var scale = 2, img = new Image();
      img.onload = function () {
        var canvas = document.createElement('canvas');
        canvas.width = picture.width * scale;
        canvas.height = picture.height * scale;
        var ctx = canvas.getContext('2d');
        ctx.fillStyle = '#ffffff';
        ctx.fillRect(0, 0, canvas.width, canvas.height);
        ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (blob) { blob ? resolve(blob) : reject(new Error('no PNG')); }, 'image/png');
      };
      img.onerror = function () { reject(new Error('the chart could not be turned into a PNG')); };
      img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(picture.svg);
    });
  }

  function save(blob, filename) {
    var a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  function downloadImage(gd, format) {
    var name = gd.id.replace(/^plot-/, '');
    return exportSvg(gd).then(function (picture) {
      if (format === 'svg') {
        save(new Blob([picture.svg], {type: 'image/svg+xml'}), name + '.svg');
        return picture;
      }
      return exportPng(picture).then(function (blob) { save(blob, name + '.png'); return picture; });
    });
  }

  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('button.k20-image');
    if (!button) return;
    var gd = document.getElementById(button.getAttribute('data-plot'));
    if (gd) downloadImage(gd, button.getAttribute('data-format'));
  });

  window.k20Plots = {draw: draw, drawAll: drawAll, exportSvg: exportSvg, downloadImage: downloadImage};
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
