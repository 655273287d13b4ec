import { extractLinks } from './links';
import { isAllowed, parseRobots } from './robots-rules';

describe('robots rules and links', () => {
  it('obeys-the-disallow-prefixes-of-the-group-for-every-agent', () => {
    const rules = parseRobots(
      [
        'User-agent: other-bot',
        'Disallow: /',
        '',
        'User-agent: *',
        'Disallow: /private # comment',
        'Disallow: /p/2',
        'Disallow:',
      ].join('\n'),
    );
    expect(rules.disallow).toEqual(['/private', '/p/2']);
    expect(isAllowed(rules, '/p/3')).toBe(true);
    expect(isAllowed(rules, '/p/21')).toBe(false);
    expect(isAllowed(rules, '/private/x')).toBe(false);
  });

  it('finds-every-href-however-it-is-quoted', () => {
    const html = `<a href="/a">x</a><A class=k HREF='/b?x=1&amp;y=2'>y</A><a href=/c>z</a>`;
    expect(extractLinks(html)).toEqual(['/a', '/b?x=1&y=2', '/c']);
  });
});
