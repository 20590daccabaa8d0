import nodemailer from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertService, MemoryAlertStore } from '../src/server/alerts/index.ts';
import { readMail, startSmtpReceiver, type SmtpReceiver } from '../src/server/alerts/testing/smtp-receiver.ts';
import { counts, fakeClock, finished, memoryLogger, started, testCipher } from '../src/server/alerts/testing/fixtures.ts';

const PASSWORD = 'smtp-app-password-5566';

describe('e-mail channel over a real SMTP conversation', () => {
  let smtp: SmtpReceiver;
  let svc: AlertService;
  const log = memoryLogger();

  beforeEach(async () => {
    smtp = await startSmtpReceiver();
    svc = await AlertService.create({ store: new MemoryAlertStore(testCipher), clock: fakeClock(), consoleBaseUrl: 'https://ferry.example.com', log, delivery: { maxAttempts: 1 } });
  });
  afterEach(async () => {
    await svc.close();
    await smtp.close();
  });

  async function channel(language: 'zh-CN' | 'en', extra: Record<string, unknown> = {}) {
    return svc.config.createChannel({
      type: 'email',
      name: 'ops mail',
      language,
      config: { host: smtp.host, port: smtp.port, tls: 'never', username: 'alerts@example.com', password: PASSWORD, from: 'ferry <alerts@example.com>', to: ['ops@example.com', 'lead@example.com'], ...extra },
    });
  }

  it('delivers subject and body naming scheme, run, counts, reason and link; authenticates', async () => {
    const ch = await channel('en');
    await svc.config.createRule({ type: 'run_failed', name: 'sync failed', channels: [ch.id] });
    svc.onRunEvent(started('20250106-abc', 'shops-to-customers', 0));
    svc.onRunEvent(finished('20250106-abc', 'failed', counts({ read: 120, created: 100, rejected: 12, failed: 8 }), 'Kingdee login failed: check the acct id'));
    await svc.idle();

    expect(smtp.messages).toHaveLength(1);
    const m = smtp.messages[0]!;
    expect(m.from).toBe('alerts@example.com');
    expect(m.to).toEqual(['ops@example.com', 'lead@example.com']);
    expect(m.auth).toEqual({ user: 'alerts@example.com', pass: PASSWORD });
    const mail = readMail(m.data);
    expect(mail.subject).toBe('[ferry] Run failed · shops-to-customers');
    expect(mail.text).toContain('Scheme: shops-to-customers');
    expect(mail.text).toContain('Run: 20250106-abc');
    expect(mail.text).toContain('read 120 · created 100 · updated 0 · skipped 0 · rejected 12 · failed 8');
    expect(mail.text).toContain('Reason: Kingdee login failed: check the acct id');
    expect(mail.text).toContain('Open run: https://ferry.example.com/#/runs/20250106-abc');
    expect(mail.html).toContain('<a href="https://ferry.example.com/#/runs/20250106-abc">Open run</a>');

    const history = await svc.config.listHistory({});
    expect(history.map((h) => [h.status, h.channelType])).toEqual([['sent', 'email']]);
    expect(JSON.stringify([history, log.lines, svc.config.listChannels()])).not.toContain(PASSWORD);
  });

  it('Chinese message with an encoded subject via test-send', async () => {
    const ch = await channel('zh-CN');
    const r = await svc.config.testChannel(ch.id);
    expect(r).toMatchObject({ ok: true, attempts: 1 });
    const mail = readMail(smtp.messages[0]!.data);
    expect(mail.subject).toBe('[ferry] 测试消息');
    expect(mail.text).toContain('这是一条来自 ferry 的测试告警');
  });

  it('an unreachable server is a failed delivery without the password in the error', async () => {
    const ch = await channel('en', { port: 1 }); // nothing listens on port 1
    const r = await svc.config.testChannel(ch.id);
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/SMTP 127\.0\.0\.1/);
    const failed = await svc.config.listHistory({ status: 'failed' });
    expect(failed).toHaveLength(1);
    expect(JSON.stringify([failed, log.lines])).not.toContain(PASSWORD);
  });
});

describe('e-mail channel with an injected transport (jsonTransport)', () => {
  it('builds the message nodemailer would send', async () => {
    const sent: { subject: string; to: { address: string }[]; text: string; html: string }[] = [];
    const svc = await AlertService.create({
      store: new MemoryAlertStore(testCipher),
      clock: fakeClock(),
      language: 'en',
      mailTransport: () => {
        const t = nodemailer.createTransport({ jsonTransport: true });
        const send = t.sendMail.bind(t);
        t.sendMail = (async (opts: Parameters<typeof send>[0]) => {
          const info = await send(opts);
          sent.push(JSON.parse(info.message as string));
          return info;
        }) as typeof t.sendMail;
        return t;
      },
    });
    const ch = await svc.config.createChannel({ type: 'email', name: 'm', config: { host: 'smtp.example.com', from: 'a@example.com', to: ['b@example.com'], cc: ['c@example.com'] } });
    await svc.config.createRule({ type: 'long_run', name: 'slow', channels: [ch.id], maxMinutes: 1 });
    svc.onRunEvent(started('r', 'orders', 0));
    await svc.tick(0 + 2 * 60_000 + 1);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.subject).toBe('[ferry] Run takes too long · orders');
    expect(sent[0]!.to.map((x) => x.address)).toEqual(['b@example.com']);
    expect(sent[0]!.text).toContain('Limit: 1 min');
    expect(sent[0]!.html).toContain('<th align="left"');
    await svc.close();
  });
});
