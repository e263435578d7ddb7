// The {% for %} loops of a Django template over one context variable, and the attribute chains their
// body reads on the loop variable. Template syntax is not Python: a small tokenizer of {% %}, {{ }}
// and comments is the real grammar here.
export interface TemplateAccess {
  /** `book.author.name` → ['author', 'name'] */
  path: string[];
  /** 1-based line in the template. */
  line: number;
}

export interface TemplateLoop {
  variable: string;
  accesses: TemplateAccess[];
}

interface Tag {
  kind: 'block' | 'variable';
  content: string;
  offset: number;
}

function tagsOf(source: string): Tag[] {
  const tags: Tag[] = [];
  const pattern = /\{%([\s\S]*?)%\}|\{\{([\s\S]*?)\}\}|\{#[\s\S]*?#\}/g;
  let inComment = false;
  for (const match of source.matchAll(pattern)) {
    if (match[1] !== undefined) {
      const content = match[1].trim();
      if (content === 'comment' || content.startsWith('comment ')) inComment = true;
      else if (content === 'endcomment') inComment = false;
      else if (!inComment) tags.push({ kind: 'block', content, offset: match.index });
    } else if (match[2] !== undefined && !inComment) {
      tags.push({ kind: 'variable', content: match[2].trim(), offset: match.index });
    }
  }
  return tags;
}

const lineAt = (source: string, offset: number) => source.slice(0, offset).split('\n').length;

/** Loops `{% for x in <contextName> %}` and what their bodies read on `x`. */
export function templateLoops(source: string, contextName: string): TemplateLoop[] {
  const loops: TemplateLoop[] = [];
  // Open {% for %} blocks, innermost last; `loop` is set for the ones over contextName.
  const open: { loop?: TemplateLoop; variable?: string }[] = [];
  for (const tag of tagsOf(source)) {
    const forTag = tag.kind === 'block' ? /^for\s+(\w+)\s+in\s+([\w.]+)(\s+reversed)?$/.exec(tag.content) : null;
    const active = (): TemplateLoop | undefined => {
      // The innermost tracked loop, unless a loop inside it rebinds its variable.
      for (let i = open.length - 1; i >= 0; i--) {
        const tracked = open[i].loop;
        if (tracked) return open.slice(i + 1).some((o) => o.variable === tracked.variable) ? undefined : tracked;
      }
      return undefined;
    };
    const loop = active();
    if (loop) {
      const chains = new RegExp(`(?<![\\w.])${loop.variable}((?:\\.\\w+)+)`, 'g');
      for (const chain of tag.content.matchAll(chains)) {
        loop.accesses.push({ path: chain[1].slice(1).split('.'), line: lineAt(source, tag.offset) });
      }
    }
    if (forTag) {
      const tracked: TemplateLoop | undefined = forTag[2] === contextName ? { variable: forTag[1], accesses: [] } : undefined;
      if (tracked) loops.push(tracked);
      open.push({ loop: tracked, variable: forTag[1] });
    } else if (tag.kind === 'block' && tag.content.startsWith('for ')) {
      open.push({});
    } else if (tag.kind === 'block' && tag.content === 'endfor') {
      open.pop();
    }
  }
  return loops;
}
