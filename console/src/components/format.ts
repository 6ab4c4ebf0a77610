// Dates, numbers and money in the marketer's language.
import { useTranslation } from 'react-i18next';

export function useFormat() {
  const { i18n } = useTranslation();
  const locale = i18n.language === 'ko' ? 'ko-KR' : 'en-GB';
  return {
    dateTime: (iso: string | undefined) =>
      iso ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)) : '—',
    number: (n: number | undefined | null, digits = 0) =>
      n === undefined || n === null ? '—' : new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(n),
    percent: (n: number | undefined | null) =>
      n === undefined || n === null
        ? '—'
        : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(n),
    /** Revenue is stored as a plain number in the shop's currency (KRW in the examples). */
    money: (n: number | undefined | null) =>
      n === undefined || n === null ? '—' : new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(n),
  };
}
