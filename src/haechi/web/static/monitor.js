// Monitoring charts: each <canvas data-monitor-chart="ID"> reads its spec from the JSON in
// <script id="ID"> (the same data as the page's JSON twin) and draws thresholds as dashed lines.
(function () {
  "use strict";
  var COLOURS = ["#2f6f9f", "#c0632b", "#3f8f4f", "#8a5fb0", "#b8a03a", "#6b7785", "#a33b5b"];

  var thresholds = {
    id: "haechiThresholds",
    afterDraw: function (chart) {
      var lines = chart.config.options.haechiThresholds || [];
      var ctx = chart.ctx, area = chart.chartArea, y = chart.scales.y;
      lines.forEach(function (line) {
        var py = y.getPixelForValue(line.value);
        if (py < area.top || py > area.bottom) { return; }
        ctx.save();
        ctx.strokeStyle = "#b3261e"; ctx.setLineDash([6, 4]);
        ctx.beginPath(); ctx.moveTo(area.left, py); ctx.lineTo(area.right, py); ctx.stroke();
        ctx.fillStyle = "#b3261e"; ctx.font = "11px sans-serif"; ctx.fillText(line.label, area.left + 4, py - 4);
        ctx.restore();
      });
    }
  };

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-monitor-chart"));
    if (!source || typeof Chart === "undefined") { return; }
    var spec = JSON.parse(source.textContent);
    var values = [];
    spec.series.forEach(function (s) { s.data.forEach(function (x) { if (x !== null) { values.push(x); } }); });
    spec.thresholds.forEach(function (t) { values.push(t.value); });
    new Chart(canvas, {
      type: "line",
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (s, i) {
          return { label: s.label || s.name, data: s.data, borderColor: COLOURS[i % COLOURS.length],
                   backgroundColor: COLOURS[i % COLOURS.length], spanGaps: false, pointRadius: 2, tension: 0 };
        })
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        interaction: { mode: "index", intersect: false },
        scales: { y: { suggestedMin: Math.min.apply(null, values.concat([0])), suggestedMax: Math.max.apply(null, values.concat([0])) } },
        haechiThresholds: spec.thresholds
      },
      plugins: [thresholds]
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("canvas[data-monitor-chart]"), draw);
  });
}());
