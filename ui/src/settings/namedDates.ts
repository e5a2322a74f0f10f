import type { NamedDate } from "../api/types";
import { formatDayMonth, formatTakenDay } from "../shared/format";

/** "Dec 7, every year since 2020" or "Dec 7, 2026". */
export function describeNamedDate(event: Pick<NamedDate, "date" | "yearly">): string {
  return event.yearly ? `${formatDayMonth(event.date)}, every year since ${event.date.slice(0, 4)}` : (formatTakenDay(event.date) ?? event.date);
}
