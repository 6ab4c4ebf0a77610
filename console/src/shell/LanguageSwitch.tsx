// The language switch: 한국어 / English, remembered in this browser.
import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { chooseLanguage, type Language } from '../i18n/i18n.js';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <SegmentedControl
      aria-label={t('shell.language')}
      size="xs"
      value={i18n.language === 'ko' ? 'ko' : 'en'}
      onChange={(value) => chooseLanguage(value as Language)}
      data={[
        { value: 'ko', label: '한국어' },
        { value: 'en', label: 'English' },
      ]}
    />
  );
}
