/**
 * Apache ECharts, only the parts the console uses (a smaller bundle), drawn as SVG. A chart is an image with
 * a label saying what it shows; ECharts' aria option adds a description of the data for screen readers.
 */
import { BarChart, FunnelChart, GraphChart, HeatmapChart, LineChart, PieChart } from "echarts/charts";
import {
  AriaComponent,
  DatasetComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { useEffect, useRef } from "preact/hooks";

echarts.use([
  BarChart,
  FunnelChart,
  GraphChart,
  HeatmapChart,
  LineChart,
  PieChart,
  AriaComponent,
  DatasetComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
  SVGRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

/** The console's palette: distinguishable, and dark enough on white. */
export const PALETTE = ["#1f5fbf", "#c2410c", "#15803d", "#7e22ce", "#b45309", "#0e7490", "#be123c", "#4d7c0f"];

export function Chart({
  option,
  label,
  height = 280,
  testId,
}: {
  option: ChartOption;
  /** What the chart shows, for people who cannot see it. */
  label: string;
  height?: number;
  testId?: string;
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (element.current === null) return;
    const instance = echarts.init(element.current, null, { renderer: "svg" });
    chart.current = instance;
    // Redrawn in the next frame, at the size then: a full-page screenshot passes through sizes gone before any
    // frame is drawn, and redrawing for each at once captured charts drawn for a passing size.
    let frame = 0;
    const observer = new ResizeObserver(() => {
      window.cancelAnimationFrame(frame);
      frame = window.requestAnimationFrame(() => instance.resize());
    });
    observer.observe(element.current);
    return () => {
      window.cancelAnimationFrame(frame);
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(
      { color: PALETTE, aria: { enabled: true }, animation: false, textStyle: { color: "#1a1f2b" }, ...option },
      true,
    );
  }, [option]);

  return <div ref={element} class="chart" role="img" aria-label={label} style={{ height: `${height}px` }} data-testid={testId} />;
}
