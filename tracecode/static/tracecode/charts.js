// The reports' charts. Each <canvas data-chart="ID"> draws the JSON of the <script id="ID">
// beside it (Django's json_script): labels and numbers are those of the table on the page,
// labels already in the reader's language, numbers formatted in it here. No inline scripts
// or styles anywhere (the Content Security Policy forbids them): Chart.js sizes its canvas
// through the CSSOM, which the policy allows.
(() => {
  if (typeof Chart === "undefined") return;
  const lang = document.documentElement.lang || "en";
  const colours = ["#0d6efd", "#adb5bd", "#198754", "#fd7e14", "#6f42c1", "#dc3545", "#20c997"];
  const formats = {
    money: new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    int: new Intl.NumberFormat(lang, { maximumFractionDigits: 0 }),
    days: new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }),
    percent: new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }),
  };
  const show = (format, value) => {
    if (value === null || value === undefined) return "—";
    const text = (formats[format] || formats.days).format(value);
    return format === "percent" ? `${text}%` : text;
  };

  function draw(canvas) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    const spec = JSON.parse(source.textContent);
    const valueAxis = spec.horizontal ? "x" : "y";
    const datasets = spec.datasets.map((set, i) => ({
      type: set.kind === "line" ? "line" : "bar",
      label: set.label,
      data: set.data,
      format: set.format,
      backgroundColor: colours[i % colours.length],
      borderColor: colours[i % colours.length],
      yAxisID: spec.horizontal ? undefined : set.axis,
      xAxisID: spec.horizontal ? "x" : undefined,
      order: set.kind === "line" ? 0 : 1,
      spanGaps: true,
    }));
    const first = spec.datasets.find((set) => set.axis !== "y2") || spec.datasets[0];
    const scales = {
      [valueAxis]: {
        beginAtZero: true,
        stacked: spec.stacked,
        ticks: {
          precision: first.format === "money" ? undefined : 0,
          callback: (value) => show(first.format === "money" ? "int" : first.format, value),
        },
      },
      [spec.horizontal ? "y" : "x"]: { stacked: spec.stacked },
    };
    if (!spec.horizontal && spec.datasets.some((set) => set.axis === "y2")) {
      scales.y2 = {
        position: "right",
        beginAtZero: true,
        grid: { drawOnChartArea: false },
        ticks: { callback: (value) => show("percent", value) },
      };
    }
    new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets },
      options: {
        locale: lang,
        animation: false, // drawn at once: on screen, in print and for the browser tests
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: spec.horizontal ? "y" : "x",
        scales,
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: (item) => `${item.dataset.label}: ${show(item.dataset.format, item.raw)}`,
            },
          },
        },
      },
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
  // A printed page is narrower than the screen: let each chart fit it, then come back.
  const resize = () => Object.values(Chart.instances).forEach((chart) => chart.resize());
  window.addEventListener("beforeprint", resize);
  window.addEventListener("afterprint", resize);
})();

document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
