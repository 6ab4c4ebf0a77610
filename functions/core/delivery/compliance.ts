// Korean ad-law marking (정보통신망법 art. 50, KISA guideline) applied to every marketing message.

import type { RenderedEmail, RenderedPush } from './render.js';
import type { DeliverySettings } from './settings.js';

/** The footer language: the customer's locale when the workspace has wording for it, else Korean. */
export function complianceLanguage(locale: string | undefined, available: Record<string, string>): string {
  const language = (locale ?? 'ko').slice(0, 2).toLowerCase();
  return available[language] ? language : available.ko ? 'ko' : Object.keys(available)[0];
}

function withPrefix(title: string, prefix: string): string {
  return title.startsWith(prefix) ? title : `${prefix} ${title}`;
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Subject prefix, and a footer with sender, contact and the free one-click opt-out link. */
export function markEmailAdvertisement(
  email: RenderedEmail,
  settings: DeliverySettings,
  input: { locale?: string; unsubscribeUrl: string },
): RenderedEmail {
  const footers = settings.compliance.emailFooter;
  const line = fill(footers[complianceLanguage(input.locale, footers)], {
    sender: settings.sender.name,
    contact: settings.sender.contact,
    unsubscribeUrl: input.unsubscribeUrl,
  });
  // The footer is written as "[text](url)": a link in HTML, "text: url" in plain text.
  const htmlLine = escapeHtml(line).replace(/\[([^\]]+)\]\(([^)]+)\)/g, '<a href="$2">$1</a>');
  const textLine = line.replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1: $2');
  const footerHtml = `<p style="font-size:12px;color:#666">${htmlLine}</p>`;
  const html = /<\/body>/i.test(email.html)
    ? email.html.replace(/<\/body>/i, `${footerHtml}</body>`)
    : `${email.html}\n${footerHtml}`;
  return {
    ...email,
    subject: withPrefix(email.subject, settings.compliance.adPrefix),
    html,
    text: `${email.text}\n\n${textLine}`,
  };
}

/** Title prefix, and how to opt out for free at the end of the body. */
export function markPushAdvertisement(push: RenderedPush, settings: DeliverySettings, locale?: string): RenderedPush {
  const optOut = settings.compliance.pushOptOut;
  return {
    ...push,
    title: withPrefix(push.title, settings.compliance.adPrefix),
    body: `${push.body}\n${optOut[complianceLanguage(locale, optOut)]}`,
  };
}
