import { SERVICE_NAMES } from './services';
import { TOPICS, TOPIC_KINDS } from './topics';

const topicNames = Object.values(TOPICS);

describe('topic names', () => {
  it('are unique', () => {
    expect(new Set(topicNames).size).toBe(topicNames.length);
  });

  it.each(topicNames)('%s is <service>.<kind> for a known service and kind', (topic) => {
    const [service, kind, ...rest] = topic.split('.');
    expect(rest).toEqual([]);
    expect(SERVICE_NAMES).toContain(service);
    expect(TOPIC_KINDS).toContain(kind);
  });
});
