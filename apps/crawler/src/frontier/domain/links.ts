// The href of every <a> in a page, as written (resolved later against the page's URL).
// The simulated web writes plain HTML; entities other than &amp; are not decoded.
export function extractLinks(html: string): string[] {
  const links: string[] = [];
  const anchor = /<a\s[^>]*?href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;
  for (const match of html.matchAll(anchor)) {
    const href = match[1] ?? match[2] ?? match[3];
    if (href !== undefined) links.push(href.replace(/&amp;/g, '&'));
  }
  return links;
}
