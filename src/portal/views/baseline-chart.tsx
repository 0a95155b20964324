import type { BaselineRule } from '../../positive-lists/list-types';
import { baselineChart } from '../baseline-chart';
import { formatNumber } from './describe';
import { PageContext } from './page-context';

/**
 * A baseline rule's trajectory as an SVG drawn on the server (no script, no inline style: the
 * stylesheet colours it), and beside it the same values as a table, which screen readers and
 * a print read where the drawing says nothing.
 */
export function BaselineChartFigure({ ctx, rule }: { ctx: PageContext; rule: BaselineRule }) {
  const { t } = ctx;
  const chart = baselineChart(rule);
  const { plot, points } = chart;
  const first = points[0];
  const last = points[points.length - 1];
  const title = t('entry:chartTitle', { from: first.year, to: last.year, unit: rule.unit });
  const summary = t('entry:chartSummary', {
    first: formatNumber(ctx, first.value),
    last: formatNumber(ctx, last.value),
    from: first.year,
    to: last.year,
    unit: rule.unit,
  });
  return (
    <div class="chart">
      <figure>
        <svg
          role="img"
          aria-labelledby="chart-title chart-desc"
          viewBox={`0 0 ${chart.width} ${chart.height}`}
          width={chart.width}
          height={chart.height}
          xmlns="http://www.w3.org/2000/svg"
        >
          <title id="chart-title">{title}</title>
          <desc id="chart-desc">{summary}</desc>
          <g class="grid">
            {chart.yTicks.map((tick) => (
              <line key={tick.value} x1={plot.left} x2={plot.right} y1={tick.at} y2={tick.at} />
            ))}
          </g>
          <g class="axis">
            <line x1={plot.left} x2={plot.right} y1={plot.bottom} y2={plot.bottom} />
            <line x1={plot.left} x2={plot.left} y1={plot.top} y2={plot.bottom} />
          </g>
          <g class="x-ticks">
            {chart.xTicks.map((tick) => (
              <text key={tick.value} x={tick.at} y={plot.bottom + 20}>
                {String(tick.value)}
              </text>
            ))}
          </g>
          <g class="y-ticks">
            {chart.yTicks.map((tick) => (
              <text key={tick.value} x={plot.left - 8} y={tick.at + 5}>
                {formatNumber(ctx, tick.value)}
              </text>
            ))}
          </g>
          <text class="x-title" x={(plot.left + plot.right) / 2} y={chart.height - 8}>
            {t('entry:year')}
          </text>
          <text
            class="y-title"
            transform={`translate(18 ${(plot.top + plot.bottom) / 2}) rotate(-90)`}
          >
            {t('entry:value', { unit: rule.unit })}
          </text>
          <path class="trajectory" d={chart.path} />
        </svg>
        <figcaption>{summary}</figcaption>
      </figure>
      <div
        class="values"
        role="region"
        aria-labelledby="values-caption"
        // Scrolls on its own: the keyboard must reach it.
        tabIndex={0}
      >
        <table>
          <caption id="values-caption">{t('entry:valuesCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('entry:year')}</th>
              <th scope="col" class="num">
                {t('entry:value', { unit: rule.unit })}
              </th>
            </tr>
          </thead>
          <tbody>
            {points.map((point) => (
              <tr key={point.year}>
                <th scope="row">{String(point.year)}</th>
                <td class="num">{formatNumber(ctx, point.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
