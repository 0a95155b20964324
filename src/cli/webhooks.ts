/* eslint-disable no-console -- a command-line tool talks to its terminal */
import { RequestContext } from '../auth/principal';
import { DomainError } from '../common/errors';
import { AppConfig } from '../config/config';
import { WEBHOOK_EVENT_TYPES, WebhookEventType } from '../webhooks/webhook-events';
import { WebhookEndpointEntity } from '../webhooks/webhook-endpoint.entity';
import { WebhooksService } from '../webhooks/webhooks.service';
import { withDomain } from './open';

type Options = Record<string, string | boolean | undefined>;

const USAGE = `webhooks register --url URL --events TYPE[,TYPE...] [--country GHA] [--reason TEXT]
webhooks list [--country GHA]
webhooks disable|enable|delete|rotate-secret ENDPOINT_ID [--reason TEXT]
webhooks replay DELIVERY_ID [--reason TEXT]
event types: ${WEBHOOK_EVENT_TYPES.join(', ')}`;

const text = (options: Options, name: string): string | undefined =>
  typeof options[name] === 'string' ? options[name].trim() : undefined;

function describe(e: WebhookEndpointEntity): string {
  const state = e.enabled ? 'enabled' : `disabled (${e.disabledReason ?? 'no reason'})`;
  return `${e.id}  ${e.hostCountryCode ?? 'every country'}  ${e.eventTypes.join(',')}  ${state}  ${e.url}`;
}

/**
 * `webhooks ...`: manages endpoints as the system (audited, with a reason) and replays
 * deliveries. It sends nothing itself: a replayed delivery is sent by the running service's
 * dispatcher, which the change wakes up.
 */
export async function webhooksCommand(
  config: AppConfig,
  args: string[],
  options: Options,
): Promise<number> {
  const [action, id] = args;
  const reason = text(options, 'reason') ?? `With the CLI by ${process.env.USER ?? 'an operator'}`;
  const ctx: RequestContext = { principal: null, requestId: `cli-${process.pid}` };
  const country = text(options, 'country')?.toUpperCase();
  if (action === 'register') {
    const url = text(options, 'url');
    const events = (text(options, 'events') ?? '')
      .split(',')
      .map((e) => e.trim().toUpperCase())
      .filter((e) => e !== '');
    const unknown = events.filter((e) => !WEBHOOK_EVENT_TYPES.includes(e as WebhookEventType));
    if (!url || events.length === 0 || unknown.length > 0) {
      console.error(
        unknown.length > 0 ? `Unknown event type(s): ${unknown.join(', ')}\n\n${USAGE}` : USAGE,
      );
      return 2;
    }
    return run(config, async (webhooks) => {
      const { endpoint, secret } = await webhooks.register(ctx, {
        url,
        events: events as WebhookEventType[],
        hostCountry: country ?? null,
        reason,
      });
      console.log(describe(endpoint));
      console.log(`signing secret (shown once, give it to the receiver now): ${secret}`);
    });
  }
  if (action === 'list') {
    return run(config, async (webhooks) => {
      for (const e of await webhooks.list(ctx, country ?? null)) console.log(describe(e));
    });
  }
  if (!id) {
    console.error(USAGE);
    return 2;
  }
  const byId: Record<string, (w: WebhooksService) => Promise<void>> = {
    disable: async (w) => console.log(describe(await w.disable(ctx, id, reason))),
    enable: async (w) => console.log(describe(await w.enable(ctx, id, reason))),
    delete: async (w) => console.log(`deleted ${describe(await w.delete(ctx, id, reason))}`),
    'rotate-secret': async (w) => {
      const { endpoint, secret } = await w.rotateSecret(ctx, id, reason);
      console.log(describe(endpoint));
      console.log(`new signing secret (shown once): ${secret}`);
    },
    replay: async (w) => {
      const delivery = await w.replay(ctx, id, reason);
      console.log(`delivery ${delivery.id} (${delivery.eventType}) will be sent again`);
    },
  };
  const work = action ? byId[action] : undefined;
  if (!work) {
    console.error(USAGE);
    return 2;
  }
  return run(config, work);
}

async function run(
  config: AppConfig,
  work: (w: WebhooksService) => Promise<void>,
): Promise<number> {
  try {
    await withDomain(config, (app) => work(app.get(WebhooksService)));
    return 0;
  } catch (error) {
    if (error instanceof DomainError) {
      console.error(`${error.code}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
