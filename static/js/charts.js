// Charts without inline script: <canvas data-chart="stacked-bar" data-source="json-script-id">.
// The JSON holds {labels: [...], series: [{label, data, color}]}, built by core/charts.py.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const source = document.getElementById(canvas.dataset.source);
    if (!source || typeof Chart === "undefined") return;
    const data = JSON.parse(source.textContent);
    const kind = canvas.dataset.chart;
    const stacked = kind === "stacked-bar";
    const horizontal = Boolean(canvas.dataset.horizontal);
    new Chart(canvas, {
      type: kind === "line" ? "line" : "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map((s) => ({
          label: s.label,
          data: s.data,
          backgroundColor: s.color,
          borderColor: s.color,
        })),
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        indexAxis: horizontal ? "y" : "x",
        scales: {
          // Every category label is shown (29 local branches, 89 region codes).
          x: { stacked, ticks: { autoSkip: horizontal } },
          y: { stacked, beginAtZero: true, ticks: { autoSkip: !horizontal } },
        },
      },
    });
  });
});
