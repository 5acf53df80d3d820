// ESG charts: each <canvas data-esg-chart="ID"> reads its series from the JSON in
// <script id="ID">, the same data the page's JSON twin returns. No network access.
(function () {
  "use strict";
  var COLOURS = ["#2f6f9f", "#c0632b", "#3f8f4f", "#8a5fb0", "#b8a03a", "#6b7785"];

  function datasets(spec) {
    return spec.series.map(function (series, i) {
      return {
        label: series.name,
        data: series.data,
        backgroundColor: COLOURS[i % COLOURS.length],
        borderColor: COLOURS[i % COLOURS.length],
        spanGaps: true,
        yAxisID: spec.type === "line" && i > 0 ? "y" + i : "y",
        hidden: spec.type === "line" && i > 1
      };
    });
  }

  function scales(spec) {
    var out = { y: { beginAtZero: true, stacked: !!spec.stacked }, x: { stacked: !!spec.stacked } };
    if (spec.type === "line") {
      spec.series.forEach(function (_, i) {
        if (i > 0) { out["y" + i] = { display: false, beginAtZero: true }; }
      });
    }
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
