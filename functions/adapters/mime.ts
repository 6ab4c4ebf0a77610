// Raw MIME for an outgoing e-mail, built by nodemailer's composer (SES sends it as is; locally it is the .eml).

import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { OutgoingEmail } from '../core/delivery/ports.js';

export async function composeRawEmail(email: OutgoingEmail, date: Date): Promise<Buffer> {
  const composer = new MailComposer({
    from: email.from,
    to: email.to,
    replyTo: email.replyTo,
    subject: email.subject,
    html: email.html,
    text: email.text,
    date,
    headers: { ...email.headers, 'X-Retain-Message': email.messageRef },
  });
  return composer.compile().build();
}
