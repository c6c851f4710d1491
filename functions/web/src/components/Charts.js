import { html } from "htm/preact";
import { useEffect, useRef } from "preact/hooks";
import { BarController, BarElement, CategoryScale, Chart, Legend, LineController, LineElement, LinearScale,
  PointElement, ScatterController, Tooltip } from "chart.js";

Chart.register(BarController, BarElement, CategoryScale, Legend, LineController, LineElement, LinearScale,
  PointElement, ScatterController, Tooltip);

/** A Chart.js chart on a canvas, with a text equivalent for people who cannot see it (its label and table). */
export function ChartCanvas({ config, label }) {
  const canvas = useRef(null);
  useEffect(() => {
    if (!canvas.current || !canvas.current.getContext || !canvas.current.getContext("2d")) return undefined;
    const chart = new Chart(canvas.current, { ...config, options: { animation: false, responsive: true, ...config.options } });
    return () => chart.destroy();
  }, [JSON.stringify(config)]);
  return html`<div class="chart"><canvas ref=${canvas} role="img" aria-label=${label}></canvas></div>`;
}

/** The 95 % Wilson interval of a proportion: conversions out of exposures. */
export function wilson(conversions, exposures) {
  if (!exposures) return [0, 0];
  const z = 1.959964;
  const p = Math.min(1, conversions / exposures);
  const denominator = 1 + (z * z) / exposures;
  const centre = (p + (z * z) / (2 * exposures)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / exposures + (z * z) / (4 * exposures * exposures))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
