// A consumer process for session-event-consumer.spec.ts: reads one batch, prints its event IDs
// as one JSON line, and never acknowledges it (its handler never resolves), until killed.
import { createClient } from 'redis';
import { SessionEventConsumer } from '../../libs/session-client/src/session-events.consumer.js';

const [url, shopId, group, consumer] = process.argv.slice(2) as [string, string, string, string];
const client = createClient({ url });
await client.connect();
const events = new SessionEventConsumer({
  client,
  keyPrefix: 'test',
  shopId,
  group,
  consumer,
  batchSize: 25,
  handler: (batch) => {
    process.stdout.write(`${JSON.stringify(batch.map((e) => e.id))}\n`);
    return new Promise(() => {});
  },
});
await events.start();
