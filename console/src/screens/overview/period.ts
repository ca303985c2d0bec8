/**
 * The overview's period picker: rolling windows (the last 30 or 90 days) or calendar periods (this month,
 * quarter or year, named as the KPI tree's `period` so the workspace's targets apply), and the windows before
 * it for the trend charts.
 */

export type PeriodChoice = "30d" | "90d" | "month" | "quarter" | "year";

export const PERIOD_CHOICES: readonly { value: PeriodChoice; label: string }[] = [
  { value: "30d", label: "Last 30 days" },
  { value: "90d", label: "Last 90 days" },
  { value: "month", label: "This month" },
  { value: "quarter", label: "This quarter" },
  { value: "year", label: "This year" },
];

export function isPeriodChoice(value: string | null): value is PeriodChoice {
  return PERIOD_CHOICES.some((choice) => choice.value === value);
}

/** A window [from, to) as the reports take it (RFC 3339). */
export interface Window {
  from: string;
  to: string;
  /** A short name for a chart's axis. */
  label: string;
}

/** The period asked: its window, and the KPI tree's `period` (`2026-12`, `2026-Q4`, `2026`) for calendar ones. */
export interface Period {
  window: Window;
  targetPeriod: string | undefined;
}

const DAY = 24 * 3600 * 1000;
const shortDate = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });
const monthName = new Intl.DateTimeFormat(undefined, { month: "short", year: "2-digit", timeZone: "UTC" });

function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The first instant (UTC) of the calendar period `choice` that holds `at`, shifted `back` periods earlier. */
function calendarStart(choice: "month" | "quarter" | "year", at: Date, back: number): Date {
  const year = at.getUTCFullYear();
  const month = at.getUTCMonth();
  if (choice === "year") return new Date(Date.UTC(year - back, 0, 1));
  const step = choice === "quarter" ? 3 : 1;
  const first = month - (month % step) - back * step;
  return new Date(Date.UTC(year, first, 1));
}

function calendarName(choice: "month" | "quarter" | "year", start: Date): string {
  const year = start.getUTCFullYear();
  if (choice === "year") return String(year);
  if (choice === "quarter") return `${year}-Q${Math.floor(start.getUTCMonth() / 3) + 1}`;
  return `${year}-${String(start.getUTCMonth() + 1).padStart(2, "0")}`;
}

function calendarLabel(choice: "month" | "quarter" | "year", start: Date): string {
  return choice === "month" ? monthName.format(start) : calendarName(choice, start);
}

/** The period `choice` as of `now`. */
export function periodOf(choice: PeriodChoice, now: Date): Period {
  const to = iso(now);
  if (choice === "30d" || choice === "90d") {
    const days = choice === "30d" ? 30 : 90;
    return { window: { from: iso(new Date(now.getTime() - days * DAY)), to, label: "now" }, targetPeriod: undefined };
  }
  const start = calendarStart(choice, now, 0);
  return { window: { from: iso(start), to, label: calendarLabel(choice, start) }, targetPeriod: calendarName(choice, start) };
}

/** The `count` windows ending with the period `choice` (oldest first): whole windows before the current one. */
export function trendWindows(choice: PeriodChoice, now: Date, count: number): Window[] {
  const windows: Window[] = [];
  for (let back = count - 1; back >= 0; back--) {
    if (choice === "30d" || choice === "90d") {
      const days = choice === "30d" ? 30 : 90;
      const end = new Date(now.getTime() - back * days * DAY);
      const start = new Date(end.getTime() - days * DAY);
      windows.push({ from: iso(start), to: iso(end), label: shortDate.format(end) });
    } else {
      const start = calendarStart(choice, now, back);
      const next = calendarStart(choice, now, back - 1);
      const end = back === 0 ? now : next;
      windows.push({ from: iso(start), to: iso(end), label: calendarLabel(choice, start) });
    }
  }
  return windows;
}
