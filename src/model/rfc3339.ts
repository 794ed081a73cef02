/**
 * RFC 3339 date-times (`2025-01-31T12:00:00Z`, `2025-01-31T14:00:00.5+02:00`): a full date, a full
 * time and a mandatory offset, with real calendar checks (no 31st of April, 29 February only in leap
 * years). Leap seconds (`:60`) are accepted as the RFC allows and count as the following second.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The instant `text` names, or the reason it is not an RFC 3339 date-time with a timezone. */
export function parseRfc3339(text: string): { ok: true; date: Date } | { ok: false; reason: string } {
  const m = RFC3339.exec(text);
  if (!m) {
    return { ok: false, reason: 'expected an RFC 3339 time with a timezone, like "2025-01-31T12:00:00Z" or "2025-01-31T14:00:00+02:00"' };
  }
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12) return { ok: false, reason: `month ${month} does not exist` };
  if (day < 1 || day > daysInMonth(year, month)) return { ok: false, reason: `day ${day} does not exist in ${year}-${m[2]}` };
  if (hour > 23 || minute > 59 || second > 60) return { ok: false, reason: `time ${m[4]}:${m[5]}:${m[6]} does not exist` };
  const offset = m[8]!;
  if (offset !== 'Z' && offset !== 'z') {
    const oh = Number(offset.slice(1, 3));
    const om = Number(offset.slice(4, 6));
    if (oh > 23 || om > 59) return { ok: false, reason: `timezone offset ${offset} does not exist` };
  }
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${second === 60 ? '59' : m[6]}${(m[7] ?? '').slice(0, 4)}${offset.toUpperCase()}`;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return { ok: false, reason: 'it is out of range' };
  if (second === 60) date.setTime(date.getTime() + 1000);
  return { ok: true, date };
}
