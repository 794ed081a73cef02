/** One challenge of a `WWW-Authenticate` header: `Bearer realm="…",service="…",scope="…"`. */
export interface AuthChallenge {
  /** Lower-case scheme (`bearer`, `basic`). */
  scheme: string;
  /** Parameters by lower-case name, values unquoted. */
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;

/**
 * Parses `WWW-Authenticate` (RFC 9110 §11.6.1). Several challenges may share one header, joined by
 * commas (Node joins repeated headers that way too), so a token not followed by `=` starts a new
 * challenge. Malformed parts are skipped rather than guessed at.
 */
export function parseAuthChallenges(header: string | readonly string[] | undefined): AuthChallenge[] {
  if (header === undefined) return [];
  const text = typeof header === 'string' ? header : header.join(', ');
  const out: AuthChallenge[] = [];
  let i = 0;
  let current: AuthChallenge | undefined;
  const skipSpace = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  };
  while (i < text.length) {
    skipSpace();
    if (text[i] === ',') {
      i++;
      continue;
    }
    const m = TOKEN.exec(text.slice(i));
    if (!m) {
      // Not a token: skip to the next comma.
      const next = text.indexOf(',', i);
      i = next === -1 ? text.length : next + 1;
      continue;
    }
    const word = m[0];
    i += word.length;
    skipSpace();
    if (text[i] === '=' && current) {
      i++;
      skipSpace();
      let value = '';
      if (text[i] === '"') {
        i++;
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\' && i + 1 < text.length) i++;
          value += text[i];
          i++;
        }
        i++; // closing quote
      } else {
        // Unquoted values should be tokens; servers also send URLs, so read up to a comma or space.
        const v = /^[^,\s]+/.exec(text.slice(i));
        value = v ? v[0] : '';
        i += value.length;
      }
      current.params[word.toLowerCase()] = value;
      continue;
    }
    if (text[i] === '=') {
      // A parameter before any scheme: malformed, skip it.
      const next = text.indexOf(',', i);
      i = next === -1 ? text.length : next + 1;
      continue;
    }
    current = { scheme: word.toLowerCase(), params: {} };
    out.push(current);
    // token68 form (`Negotiate abc==`): keep it as a single unnamed parameter.
    const t68 = /^[A-Za-z0-9._~+/-]+=*(?=\s*(,|$))/.exec(text.slice(i));
    if (t68 && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+\s*=[^=]/.test(text.slice(i))) {
      current.params[''] = t68[0];
      i += t68[0].length;
    }
  }
  return out;
}
