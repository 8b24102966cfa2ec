// Sends page, track, identify, group and alias with the official @segment/analytics-node client, then flushes.
// Usage: node segment-analytics-node.mjs <veil base URL> <write key> <run id> <track event name>; exit 0 once every call was accepted.
import { Analytics } from '@segment/analytics-node';

const [host, writeKey, run, event] = process.argv.slice(2);
const analytics = new Analytics({ writeKey, host, path: '/v1/batch', flushAt: 5, flushInterval: 200, maxRetries: 5 });
let failed = false;
analytics.on('error', (err) => {
  failed = true;
  console.error('analytics-node error:', err && (err.code || err.name), err && err.reason && err.reason.message);
});

const user = `${run}-user`;
const anon = `${run}-anon`;
analytics.page({ anonymousId: anon, name: `${run} Page`, properties: { run } });
analytics.track({ userId: user, event, properties: { run } });
analytics.identify({ userId: user, traits: { run, plan: 'gold' } });
analytics.group({ userId: user, groupId: `${run}-group`, traits: { run } });
analytics.alias({ userId: user, previousId: anon });
await analytics.closeAndFlush({ timeout: 30000 });
process.exit(failed ? 1 : 0);
