import { html } from '../html.js';

/**
 * Grouped bar chart as inline SVG: one group per bucket, one bar per series. Enough for "what moved and
 * what failed, per hour", without a charting library.
 */
export function BarChart({ buckets, series, label, height = 160, testid }) {
  const width = 640;
  const pad = { l: 44, r: 8, t: 8, b: 22 };
  const max = Math.max(1, ...buckets.flatMap((b) => series.map((s) => Number(b[s.key] || 0))));
  const innerW = width - pad.l - pad.r;
  const innerH = height - pad.t - pad.b;
  const groupW = buckets.length ? innerW / buckets.length : innerW;
  const barW = Math.max(1, (groupW * 0.8) / series.length);
  const y = (v) => pad.t + innerH - (innerH * v) / max;
  const ticks = [...new Set([0, Math.round(max / 2), max])];
  const every = Math.max(1, Math.ceil(buckets.length / 8));
  return html`<figure class="chart" data-testid=${testid}>
    <figcaption>${label}
      ${series.map((s) => html`<span class="legend"><i style=${`background:${s.color}`}></i>${s.label}</span>`)}
    </figcaption>
    <svg viewBox=${`0 0 ${width} ${height}`} role="img" aria-label=${label}>
      ${ticks.map((v) => html`<g><line x1=${pad.l} x2=${width - pad.r} y1=${y(v)} y2=${y(v)} class="gridline" /><text x=${pad.l - 4} y=${y(v) + 4} text-anchor="end" class="axis">${v}</text></g>`)}
      ${buckets.map((b, i) =>
        series.map((s, j) => {
          const v = Number(b[s.key] || 0);
          return html`<rect x=${pad.l + i * groupW + groupW * 0.1 + j * barW} y=${y(v)} width=${barW} height=${Math.max(0, pad.t + innerH - y(v))} fill=${s.color}><title>${`${s.label}: ${v}`}</title></rect>`;
        }),
      )}
      ${buckets.map((b, i) => (i % every === 0 ? html`<text x=${pad.l + i * groupW + groupW / 2} y=${height - 6} text-anchor="middle" class="axis">${b.label}</text>` : null))}
    </svg>
    ${buckets.length === 0 ? html`<div class="muted chart-empty">—</div>` : null}
  </figure>`;
}
