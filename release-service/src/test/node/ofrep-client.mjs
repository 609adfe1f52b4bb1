// A real OpenFeature client (@openfeature/server-sdk with @openfeature/ofrep-provider, both from npm) against
// release-service's OFREP endpoints. Run by OpenFeatureClientTest, which reads the one JSON line this prints.
// Configuration as a Stagecraft instance gets it: OFREP_ENDPOINT and OFREP_HEADERS ("Name=value,Name2=value2").
import { OpenFeature } from '@openfeature/server-sdk';
import { OFREPProvider } from '@openfeature/ofrep-provider';

const headers = (process.env.OFREP_HEADERS || '').split(',').filter(Boolean).map((pair) => {
  const eq = pair.indexOf('=');
  return [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()];
});
await OpenFeature.setProviderAndWait(new OFREPProvider({ baseUrl: process.env.OFREP_ENDPOINT, headers }));
const client = OpenFeature.getClient();

const out = {};
out.boolean = await client.getBooleanDetails('new-greeting', false, { targetingKey: 'u-1', plan: 'free' });
out.booleanTargeted = await client.getBooleanDetails('new-greeting', false, { targetingKey: 'u-1', plan: 'pro' });
out.string = await client.getStringDetails('theme', 'none', { targetingKey: 'u-1' });
out.object = await client.getObjectDetails('limits', {}, { targetingKey: 'u-1' });
out.notFound = await client.getBooleanDetails('no-such-flag', true, { targetingKey: 'u-1' });

const keys = Number(process.env.SPLIT_KEYS || 10000);
let on = 0;
let errors = 0;
const started = Date.now();
for (let i = 0; i < keys; i += 50) {
  const batch = [];
  for (let j = i; j < Math.min(i + 50, keys); j++) {
    batch.push(client.getBooleanDetails('rollout-20', false, { targetingKey: `user-${j}` }));
  }
  for (const d of await Promise.all(batch)) {
    if (d.errorCode) errors++;
    if (d.value === true) on++;
    if (d.reason !== 'SPLIT' && !d.errorCode) errors++;
  }
}
out.split = { keys, on, errors, millis: Date.now() - started };
// Stickiness as a client sees it: the same keys again give the same answers.
let changed = 0;
for (let j = 0; j < 200; j++) {
  const a = await client.getBooleanValue('rollout-20', false, { targetingKey: `user-${j}` });
  const b = await client.getBooleanValue('rollout-20', false, { targetingKey: `user-${j}` });
  if (a !== b) changed++;
}
out.split.unstable = changed;
console.log(JSON.stringify(out));
await OpenFeature.close();
