// Korean and English: Korean when the browser prefers it (or the marketer chose it), English otherwise.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.js';
import { ko } from './ko.js';

export const LANGUAGES = ['ko', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const CHOICE_KEY = 'retain.language';

/** The marketer's own choice first, then the first of the browser's languages we speak. */
export function preferredLanguage(): Language {
  const chosen = localStorage.getItem(CHOICE_KEY);
  if (chosen === 'ko' || chosen === 'en') return chosen;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'ko' || base === 'en') return base;
  }
  return 'en';
}

export function chooseLanguage(language: Language): void {
  localStorage.setItem(CHOICE_KEY, language);
  void i18n.changeLanguage(language);
}

export function startI18n(): typeof i18n {
  void i18n.use(initReactI18next).init({
    resources: { en: { translation: en }, ko: { translation: ko } },
    lng: preferredLanguage(),
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
  });
  const mark = (lng: string) => document.documentElement.setAttribute('lang', lng);
  mark(i18n.language);
  i18n.on('languageChanged', mark);
  return i18n;
}
