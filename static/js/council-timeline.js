// The timeline of a council's terms: <canvas data-timeline="json-script-id">.
// The JSON (core/charts.py) holds {labels, today, min, max, series: [{label, color, data: [{x: [from, to], y, person}]}]}
// (and years: 1 January of each year) with dates as days since 1970-01-01 (no date adapter needed); a line marks today.
document.addEventListener("DOMContentLoaded", () => {
  const DAY = 86400000;
  const lang = document.documentElement.lang || "ru";
  const asDate = (days) => new Date(days * DAY).toLocaleDateString(lang, { timeZone: "UTC" });
  const asYear = (days) => new Date(days * DAY).getUTCFullYear();

  const todayLine = {
    id: "todayLine",
    afterDatasetsDraw(chart, _args, options) {
      const x = chart.scales.x.getPixelForValue(options.day);
      const { top, bottom } = chart.chartArea;
      const ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = "#dc3545";
      ctx.lineWidth = 2;
      ctx.setLineDash([6, 4]);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, bottom);
      ctx.stroke();
      ctx.restore();
    },
  };

  document.querySelectorAll("canvas[data-timeline]").forEach((canvas) => {
    const source = document.getElementById(canvas.dataset.timeline);
    if (!source || typeof Chart === "undefined") return;
    const data = JSON.parse(source.textContent);
    new Chart(canvas, {
      type: "bar",
      plugins: [todayLine],
      data: {
        labels: data.labels,
        datasets: data.series.map((s) => ({
          label: s.label,
          data: s.data,
          backgroundColor: s.color,
          borderColor: s.color,
          borderSkipped: false,
          grouped: false,
          barPercentage: 0.8,
        })),
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        indexAxis: "y",
        scales: {
          x: {
            type: "linear",
            min: data.min,
            max: data.max,
            // One tick on 1 January of each year.
            afterBuildTicks: (axis) => {
              axis.ticks = data.years.map((value) => ({ value }));
            },
            ticks: { callback: (value) => asYear(value) },
          },
          y: { stacked: true, ticks: { autoSkip: false } },
        },
        plugins: {
          todayLine: { day: data.today },
          tooltip: {
            callbacks: {
              label: (item) => {
                const raw = item.raw;
                return `${raw.person}: ${asDate(raw.x[0])} – ${asDate(raw.x[1])}`;
              },
            },
          },
        },
      },
    });
  });
});
