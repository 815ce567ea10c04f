/** Word wrapping for the text output (pure). */

/** Splits words longer than `max` into pieces of `max`, except URLs, which must stay clickable. */
function pieces(word: string, max: number): string[] {
  if (word.length <= max || word.includes('://') || max < 1) return [word];
  const out: string[] = [];
  for (let i = 0; i < word.length; i += max) out.push(word.slice(i, i + max));
  return out;
}

/**
 * Splits `text` into lines of at most `width` characters, breaking at single spaces; leading spaces
 * of `text` are kept and continuation lines start with `indent`. A word longer than a line is cut,
 * except a URL, which stays whole on its own line.
 */
export function wrap(text: string, width: number, indent = ''): string[] {
  const lead = /^ */.exec(text)![0];
  const lines: string[] = [];
  let line = lead;
  let empty = true;
  const words = text
    .slice(lead.length)
    .split(' ')
    .flatMap((w) => pieces(w, width - indent.length));
  for (const word of words) {
    if (empty) {
      line += word;
      empty = false;
    } else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = indent + word;
    }
  }
  lines.push(line);
  return lines;
}
