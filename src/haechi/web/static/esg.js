// ESG charts: each <canvas data-esg-chart="ID"> reads its series from the JSON in
// <script id="ID">, the same data the page's JSON twin returns. No network access.
// Line charts give each unit ("units": {unit: axis title}, "unit" per series) one visible,
// titled y axis, so series of one unit share a scale and none hides on an unseen axis.
(function () {
  "use strict";
  var COLOURS = ["#2f6f9f", "#c0632b", "#3f8f4f", "#8a5fb0", "#b8a03a", "#6b7785"];

  function unitsOf(spec) {
    var seen = [];
    spec.series.forEach(function (series) {
      if (series.unit && seen.indexOf(series.unit) < 0) { seen.push(series.unit); }
    });
    return seen;
  }

  function axisId(units, unit) {
    var index = units.indexOf(unit);
    return index <= 0 ? "y" : "y_" + unit;
  }

  function datasets(spec) {
    var units = unitsOf(spec);
    return spec.series.map(function (series, i) {
      return {
        label: series.label || series.name,
        data: series.data,
        backgroundColor: COLOURS[i % COLOURS.length],
        borderColor: COLOURS[i % COLOURS.length],
        spanGaps: true,
        yAxisID: axisId(units, series.unit),
        // The first unit's series show at first; the legend brings in the others and their axes.
        hidden: units.length > 1 && series.unit !== units[0]
      };
    });
  }

  function percent(value) { return Math.round(value * 1000) / 10 + "%"; }

  function scales(spec) {
    var out = { y: { beginAtZero: true, stacked: !!spec.stacked }, x: { stacked: !!spec.stacked } };
    var units = unitsOf(spec);
    units.forEach(function (unit, index) {
      var axis = {
        type: "linear",
        position: index === 0 ? "left" : "right",
        display: "auto",  // shown while one of its series is shown
        beginAtZero: true,
        title: { display: true, text: (spec.units || {})[unit] || unit },
        grid: { drawOnChartArea: index === 0 }
      };
      if (unit === "share") { axis.ticks = { callback: percent }; axis.suggestedMax = 1; }
      out[axisId(units, unit)] = axis;
    });
    return out;
  }

  // Dashed vertical line and date at each deployment month ("markers": ["2026-06-01", ...]).
  var deployments = {
    id: "haechiDeployments",
    afterDraw: function (chart) {
      var markers = chart.config.options.haechiMarkers || [];
      var ctx = chart.ctx, area = chart.chartArea, labels = chart.data.labels;
      markers.forEach(function (marker) {
        var index = labels.indexOf(marker.slice(0, 7));
        if (index < 0) { return; }
        var x = chart.scales.x.getPixelForValue(index);
        ctx.save();
        ctx.strokeStyle = "#444"; ctx.setLineDash([4, 4]);
        ctx.beginPath(); ctx.moveTo(x, area.top); ctx.lineTo(x, area.bottom); ctx.stroke();
        ctx.fillStyle = "#444"; ctx.font = "11px sans-serif"; ctx.fillText(marker, x + 3, area.top + 12);
        ctx.restore();
      });
    }
  };

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-esg-chart"));
    if (!source || typeof Chart === "undefined") { return; }
    var spec = JSON.parse(source.textContent);
    new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets(spec) },
      options: { responsive: true, maintainAspectRatio: false, animation: false, interaction: { mode: "index", intersect: false },
                 scales: scales(spec), haechiMarkers: spec.markers || [] },
      plugins: [deployments]
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-esg-chart]").forEach(draw);
  });
})();
