// The Markdown of hover and rule docs as plain terminal text: no asterisks or backticks, code blocks
// indented, links written out. Only the Markdown our own renderers produce needs to be understood.
export function markdownToPlainText(markdown: string): string {
  const out: string[] = [];
  let inCode = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) {
      inCode = !inCode;
      continue;
    }
    if (inCode) {
      out.push(`    ${line}`);
      continue;
    }
    if (line.trim() === '---') {
      out.push('-'.repeat(40));
      continue;
    }
    out.push(
      line
        .replace(/^#+\s+/, '')
        .replace(/\[([^\]]+)\]\(([^)]+)\)/g, (_, text: string, url: string) => (text === url ? url : `${text}: ${url}`))
        .replace(/\*\*([^*]+)\*\*/g, '$1')
        .replace(/~~([^~]+)~~/g, '$1')
        .replace(/`([^`]+)`/g, '$1'),
    );
  }
  return out.join('\n');
}
