import type { ChannelDriver } from './driver.ts';
import { dingtalkDriver } from './dingtalk.ts';
import { emailDriver } from './email.ts';
import { feishuDriver } from './feishu.ts';
import { webhookDriver } from './webhook.ts';
import { wecomDriver } from './wecom.ts';

/** The channel types ferry ships, listed explicitly (nothing registers itself on import). */
export const CHANNEL_DRIVERS = [wecomDriver, dingtalkDriver, feishuDriver, webhookDriver, emailDriver] as const;

export function driverFor(type: string): ChannelDriver<unknown> | undefined {
  // Stored channels were parsed with their type's schema (AlertChannelInput), so widening C to unknown is safe here.
  return (CHANNEL_DRIVERS as readonly unknown[] as readonly ChannelDriver<unknown>[]).find((d) => d.type === type);
}

export { wecomDriver, dingtalkDriver, feishuDriver, webhookDriver, emailDriver };
export { DeliveryError, type ChannelDriver, type SendContext, type MailServerOptions } from './driver.ts';
