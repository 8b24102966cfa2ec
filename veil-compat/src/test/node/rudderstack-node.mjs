// Sends page, track, identify, group and alias with the official @rudderstack/rudder-sdk-node client, then flushes.
// Usage: node rudderstack-node.mjs <veil base URL> <write key> <run id> <track event name>; exit 0 once every call was accepted.
import Analytics from '@rudderstack/rudder-sdk-node';

const [dataPlaneUrl, writeKey, run, event] = process.argv.slice(2);
let failed = false;
const client = new Analytics(writeKey, {
  dataPlaneUrl,
  flushAt: 5,
  flushInterval: 200,
  retryCount: 5,
  errorHandler: (err) => {
    failed = true;
    console.error('rudder-sdk-node error:', err && (err.code || err.message));
  },
});

const user = `${run}-user`;
const anon = `${run}-anon`;
client.page({ anonymousId: anon, name: `${run} Page`, properties: { run } });
client.track({ userId: user, event, properties: { run } });
client.identify({ userId: user, traits: { run, plan: 'gold' } });
client.group({ userId: user, groupId: `${run}-group`, traits: { run } });
client.alias({ userId: user, previousId: anon });
await client.flush();
process.exit(failed ? 1 : 0);
