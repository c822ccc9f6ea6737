import { Logger } from '@nestjs/common';

/** Sends email. The default writes each message to the log; a deployment plugs in SMTP or an API here. */
export const EMAIL_SENDER = Symbol('EMAIL_SENDER');

export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

export interface EmailSender {
  send(message: EmailMessage): Promise<void>;
}

export class LogEmailSender implements EmailSender {
  private readonly logger = new Logger('Email');

  send(message: EmailMessage): Promise<void> {
    this.logger.log(`to ${message.to}: ${message.subject}\n${message.text}`);
    return Promise.resolve();
  }
}

/** Keeps messages in memory, newest last, for tests that need to read what was sent. */
export class OutboxEmailSender implements EmailSender {
  private static readonly CAPACITY = 1000;
  readonly sent: EmailMessage[] = [];

  send(message: EmailMessage): Promise<void> {
    this.sent.push(message);
    if (this.sent.length > OutboxEmailSender.CAPACITY) this.sent.shift();
    return Promise.resolve();
  }
}
