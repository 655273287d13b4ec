// The part of robots.txt this crawler obeys: the Disallow prefixes of the group for every
// agent ("User-agent: *"). Allow lines and agent-specific groups are not read, so the crawler
// obeys at least what the site asks of every agent.
export interface RobotsRules {
  disallow: string[];
}

export const ALLOW_ALL: RobotsRules = { disallow: [] };

export function parseRobots(text: string): RobotsRules {
  const disallow: string[] = [];
  let inStarGroup = false;
  let lastWasAgent = false;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/#.*$/, '').trim();
    const match = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line);
    if (!match) continue;
    const field = (match[1] as string).toLowerCase();
    const value = (match[2] as string).trim();
    if (field === 'user-agent') {
      // Consecutive agent lines share one group.
      inStarGroup = lastWasAgent ? inStarGroup || value === '*' : value === '*';
      lastWasAgent = true;
      continue;
    }
    lastWasAgent = false;
    if (field === 'disallow' && inStarGroup && value.length > 0) disallow.push(value);
  }
  return { disallow };
}

export function isAllowed(rules: RobotsRules, path: string): boolean {
  return !rules.disallow.some((prefix) => path.startsWith(prefix));
}
