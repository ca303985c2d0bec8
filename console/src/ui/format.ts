/** How the console writes numbers, money, shares and times (the browser's locale). */

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 1 });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const date = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

type Maybe<T> = T | null | undefined;

const dash = "–";

export function formatInteger(value: Maybe<number>): string {
  return value === null || value === undefined ? dash : integer.format(value);
}

export function formatNumber(value: Maybe<number | string>): string {
  if (value === null || value === undefined || value === "") return dash;
  const number = typeof value === "string" ? Number(value) : value;
  return Number.isFinite(number) ? decimal.format(number) : String(value);
}

/** Money as the API sends it (a decimal string or a number), with its currency when known. */
export function formatMoney(value: Maybe<number | string>, currency?: Maybe<string>): string {
  if (value === null || value === undefined || value === "") return dash;
  const number = typeof value === "string" ? Number(value) : value;
  if (!Number.isFinite(number)) return String(value);
  if (currency) {
    try {
      return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(number);
    } catch {
      // an unknown currency code: the number and the code
    }
    return `${decimal.format(number)} ${currency}`;
  }
  return decimal.format(number);
}

/** A share given as a fraction (0.25 → "25%"). */
export function formatShare(value: Maybe<number>): string {
  return value === null || value === undefined ? dash : percent.format(value);
}

export function formatDateTime(value: Maybe<string>): string {
  if (!value) return dash;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? value : dateTime.format(parsed);
}

export function formatDate(value: Maybe<string>): string {
  if (!value) return dash;
  const parsed = new Date(value.length === 10 ? `${value}T00:00:00` : value);
  return Number.isNaN(parsed.getTime()) ? value : date.format(parsed);
}
