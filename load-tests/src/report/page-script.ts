// The script the report page runs in the browser: it reads the charts' data from the page's
// JSON block and draws each chart with uPlot (inlined before it), with every fault window as
// a shaded band over the plot. Plain ES5 so that any browser opens the file as it is.
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var faults = data.faults;
  var plots = [];

  // Bands are elements over the plot (not pixels in the canvas), so they can be inspected and
  // keep their labels; they are laid out again whenever the chart redraws.
  function faultBands() {
    return {
      hooks: {
        draw: [
          function (u) {
            var layer = u.over.querySelector('.fault-layer');
            if (!layer) {
              layer = document.createElement('div');
              layer.className = 'fault-layer';
              u.over.appendChild(layer);
            }
            while (layer.firstChild) layer.removeChild(layer.firstChild);
            var width = u.over.clientWidth;
            faults.forEach(function (f) {
              var left = Math.max(0, u.valToPos(f.atS, 'x'));
              var right = Math.min(width, u.valToPos(f.atS + f.forS, 'x'));
              if (!(right > left)) return;
              var band = document.createElement('div');
              band.className = 'fault-band';
              band.setAttribute('data-fault', f.name);
              band.title = f.name + ': ' + f.atS + ' s to ' + (f.atS + f.forS) + ' s';
              band.style.left = left + 'px';
              band.style.width = right - left + 'px';
              var label = document.createElement('span');
              label.textContent = f.name;
              band.appendChild(label);
              layer.appendChild(band);
            });
          },
        ],
      },
    };
  }

  function widthOf(el) {
    return Math.max(320, el.clientWidth);
  }

  data.charts.forEach(function (chart) {
    var el = document.getElementById('chart-' + chart.id);
    if (!el) return;
    var opts = {
      width: widthOf(el),
      height: 260,
      scales: { x: { time: false, range: [0, data.xMaxS] }, y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } } },
      axes: [{ label: 'seconds since the start' }, { label: chart.unit }],
      series: [{ label: 's' }].concat(
        chart.series.map(function (s) {
          return { label: s.label, stroke: s.color, width: 2, dash: s.dashed ? [6, 4] : undefined, spanGaps: false };
        }),
      ),
      plugins: [faultBands()],
    };
    var values = [chart.x].concat(chart.series.map(function (s) { return s.values; }));
    plots.push({ el: el, plot: new uPlot(opts, values, el) });
  });

  window.addEventListener('resize', function () {
    plots.forEach(function (p) {
      p.plot.setSize({ width: widthOf(p.el), height: 260 });
    });
  });
})();
`;
