const units = ['year', 'month', 'week', 'day', 'hour', 'minute', 'second'] as const;
const pattern =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;
const vietnamese: Record<(typeof units)[number], string> = {
  year: 'năm',
  month: 'tháng',
  week: 'tuần',
  day: 'ngày',
  hour: 'giờ',
  minute: 'phút',
  second: 'giây',
};

/**
 * An ISO 8601 duration in words a citizen reads (`P1Y6M`: "1 year and 6
 * months", "1 năm 6 tháng"); the duration itself when it does not parse.
 * @internal
 */
export function plainDuration(duration: string, locale: 'vi' | 'en'): string {
  const match = pattern.exec(duration);
  if (match === null) return duration;
  const parts = units.flatMap((unit, index) => {
    const count = Number(match[index + 1] ?? 0);
    if (count === 0) return [];
    if (locale === 'vi') return [`${count} ${vietnamese[unit]}`];
    return [`${count} ${unit}${count === 1 ? '' : 's'}`];
  });
  if (parts.length === 0) return duration;
  if (locale === 'vi') return parts.join(' ');
  return parts.length === 1
    ? (parts[0] as string)
    : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/**
 * A place a citizen reads: an ISO 3166 code (`VN`) as its name in the
 * locale ("Việt Nam", "Vietnam"); any other text as it is. @internal
 */
export function plainPlace(place: string, locale: 'vi' | 'en'): string {
  if (!/^[A-Z]{2}$/.test(place)) return place;
  try {
    return new Intl.DisplayNames([locale], { type: 'region' }).of(place) ?? place;
  } catch {
    return place;
  }
}
