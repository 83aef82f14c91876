/**
 * Comment themes for `cxm drivers`: which words and two-word phrases of open-text answers are
 * over-represented among unhappy answers (detractors, dissatisfied) against happy ones, by the
 * weighted log-odds ratio with an informative Dirichlet prior of Monroe, Colaresi & Quinn (2008),
 * "Fightin' words" (`fightinWords` in metrics/stats); and, for a theme dictionary from the config,
 * how much each theme moves the overall score.
 *
 * Text handling: tokens with a digit (numbers, order and ticket ids, sizes such as 150x190), e-mail
 * addresses and links are dropped; the rest is folded (case and accents removed, punctuation to
 * spaces), one-letter tokens and English and Spanish stop words are dropped. Negations (no, not,
 * nadie, nunca…) are kept on purpose: "nadie responde" and "no one answers" are what unhappy
 * customers write. A phrase is two adjacent tokens neither of which is a stop word, within one
 * sentence or clause (no phrase spans `.`, `,`, `;`, `!`…). A comment counts a term once, so
 * counts are comments mentioning it.
 *
 * Comments are untrusted text: they are kept here as data, verbatim; renderers sanitise them.
 *
 * @module
 */
import { fold } from '../metrics/helpers.js';
import { fightinWords } from '../metrics/stats/index.js';

/**
 * Stop words, folded (no accents), as data. English after the NLTK/Snowball lists, Spanish after
 * the Snowball list, both without negations; plus the filler words of survey answers.
 */
export const STOP_WORDS: { readonly en: readonly string[]; readonly es: readonly string[] } = {
  en: [
    'a', 'about', 'above', 'after', 'again', 'against', 'all', 'also', 'am', 'an', 'and', 'any', 'are', 'as', 'at',
    'be', 'because', 'been', 'before', 'being', 'below', 'between', 'both', 'but', 'by', 'can', 'could', 'did', 'do',
    'does', 'doing', 'down', 'during', 'each', 'even', 'few', 'for', 'from', 'further', 'get', 'got', 'had', 'has',
    'have', 'having', 'he', 'her', 'here', 'hers', 'herself', 'him', 'himself', 'his', 'how', 'i', 'if', 'im', 'in',
    'into', 'is', 'it', 'its', 'itself', 'ive', 'just', 'll', 'me', 'more', 'most', 'my', 'myself', 'now', 'of', 'off',
    'on', 'once', 'only', 'or', 'other', 'our', 'ours', 'ourselves', 'out', 'over', 'own', 're', 's', 'same', 'she',
    'should', 'so', 'some', 'such', 't', 'than', 'that', 'thats', 'the', 'their', 'theirs', 'them', 'themselves',
    'then', 'there', 'these', 'they', 'this', 'those', 'through', 'to', 'too', 'under', 'until', 'up', 'us', 've',
    'very', 'was', 'we', 'were', 'what', 'when', 'where', 'which', 'while', 'who', 'whom', 'why', 'will', 'with',
    'would', 'you', 'your', 'yours', 'yourself', 'yourselves',
  ],
  es: [
    'a', 'al', 'algo', 'algunas', 'algunos', 'ante', 'antes', 'asi', 'aun', 'aunque', 'bien', 'cada', 'como', 'con',
    'contra', 'cual', 'cuando', 'de', 'del', 'desde', 'donde', 'dos', 'durante', 'e', 'el', 'ella', 'ellas', 'ellos',
    'en', 'entre', 'era', 'eran', 'es', 'esa', 'esas', 'ese', 'eso', 'esos', 'esta', 'estaba', 'estado', 'estan',
    'estas', 'este', 'esto', 'estos', 'estoy', 'fue', 'fueron', 'ha', 'habia', 'han', 'hasta', 'hay', 'he', 'hemos',
    'la', 'las', 'le', 'les', 'lo', 'los', 'mas', 'me', 'mi', 'mis', 'mucho', 'muchos', 'muy', 'nos', 'nosotros',
    'nuestra', 'nuestro', 'o', 'os', 'otra', 'otro', 'otros', 'para', 'pero', 'poco', 'por', 'porque', 'que', 'quien',
    'se', 'sea', 'ser', 'si', 'sido', 'sin', 'sobre', 'son', 'su', 'sus', 'tambien', 'te', 'tengo', 'ti', 'tiene',
    'todo', 'todos', 'tu', 'tus', 'un', 'una', 'uno', 'unos', 'vez', 'y', 'ya', 'yo',
  ],
};

const STOP = new Set([...STOP_WORDS.en, ...STOP_WORDS.es]);

/** Runs of letters, digits, `_` and `-` that hold a digit (ids, numbers, sizes), e-mails and links. */
const DROPPED = /\S+@\S+|https?:\/\/\S+|www\.\S+|[\p{L}\p{N}_-]*\p{N}[\p{L}\p{N}_-]*/gu;

/** Punctuation that ends a phrase: no two-word phrase spans it. */
const BREAKS = /[.,;:!?¡¿()[\]{}"“”«»\n\r\t|/]+/u;

/** The folded tokens of each phrase-delimited segment (ids, numbers, links and e-mails dropped). */
export function foldedSegments(text: string): string[][] {
  return text
    .replace(DROPPED, ' ')
    .split(BREAKS)
    .map((part) => fold(part))
    .filter((folded) => folded !== '')
    .map((folded) => folded.split(' '));
}

/** Every folded token of a text, stop words included (ids, numbers, links and e-mails dropped). */
export function foldedTokens(text: string): string[] {
  return foldedSegments(text).flat();
}

/** The content words of a text: folded tokens of two letters or more that are not stop words. */
export function tokenize(text: string): string[] {
  return foldedTokens(text).filter((t) => t.length > 1 && !STOP.has(t));
}

/** The distinct terms of a text: its content words and its two-word phrases (adjacent, no stop word). */
export function termsOf(text: string): Set<string> {
  const terms = new Set<string>();
  const keep = (t: string | undefined) => t !== undefined && t.length > 1 && !STOP.has(t);
  for (const tokens of foldedSegments(text)) {
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (!keep(t)) continue;
      terms.add(t);
      const next = tokens[i + 1];
      if (keep(next)) terms.add(`${t} ${next}`);
    }
  }
  return terms;
}

/** One comment: its text and which side it is on (null: neither, e.g. a passive). */
export interface ThemeDocument {
  text: string;
  group: 'a' | 'b' | null;
}

/** A term over-represented in one group. */
export interface ThemeTerm {
  term: string;
  /** The group it is more typical of (e.g. `detractors`). */
  group: string;
  /** Weighted log-odds z-score, positive toward `group`. */
  z: number;
  /** The shrunk log-odds ratio, toward `group`. */
  log_odds: number;
  /** Comments of `group` that mention the term. */
  count: number;
  /** Comments of the other group that mention it. */
  other_count: number;
  /** A comment of `group` that mentions it, verbatim (untrusted text). */
  example: string | null;
}

export interface ThemeOptions {
  /** Terms per side. Default 10. */
  top: number;
  /** Least |z| shown. Default 1.96 (p < 0.05 two-sided, per term, not adjusted). */
  minZ: number;
  /** Least comments (both groups) mentioning a term. Default 3. */
  minCount: number;
  /** Names of the two groups. */
  names: [a: string, b: string];
}

export const THEME_DEFAULTS: Omit<ThemeOptions, 'names'> = { top: 10, minZ: 1.96, minCount: 3 };

/** Longest example kept; a longer comment is used only when no shorter one mentions the term. */
const EXAMPLE_PREFERRED_LENGTH = 160;

/**
 * The terms most typical of group a against group b and of b against a (fightin' words with the
 * default informative prior: α_w = ½·(y_a + y_b)), `top` each, |z| >= minZ, a before b.
 *
 * @example
 * commentThemes(docs, { ...THEME_DEFAULTS, names: ['detractors', 'promoters'] })
 */
export function commentThemes(docs: readonly ThemeDocument[], options: ThemeOptions): ThemeTerm[] {
  const countsA = new Map<string, number>();
  const countsB = new Map<string, number>();
  const termsByDoc: (Set<string> | null)[] = docs.map((doc) => {
    if (doc.group === null) return null;
    const terms = termsOf(doc.text);
    const counts = doc.group === 'a' ? countsA : countsB;
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    return terms;
  });
  if (countsA.size === 0 || countsB.size === 0) return [];
  const compared = fightinWords(countsA, countsB).filter((t) => t.countA + t.countB >= options.minCount && Math.abs(t.z) >= options.minZ);
  const example = (term: string, group: 'a' | 'b'): string | null => {
    let fallback: string | null = null;
    for (let i = 0; i < docs.length; i++) {
      if (docs[i]!.group !== group || !termsByDoc[i]!.has(term)) continue;
      const text = docs[i]!.text.trim();
      if (text.length <= EXAMPLE_PREFERRED_LENGTH) return text;
      fallback ??= text;
    }
    return fallback;
  };
  const forA = compared.filter((t) => t.z > 0).slice(0, options.top);
  const forB = compared
    .filter((t) => t.z < 0)
    .reverse()
    .slice(0, options.top);
  return [
    ...forA.map((t) => ({ term: t.term, group: options.names[0], z: t.z, log_odds: t.delta, count: t.countA, other_count: t.countB, example: example(t.term, 'a') })),
    ...forB.map((t) => ({ term: t.term, group: options.names[1], z: -t.z, log_odds: -t.delta, count: t.countB, other_count: t.countA, example: example(t.term, 'b') })),
  ];
}

// ---------------------------------------------------------------------------------------
// theme dictionary

/** A keyword matcher: folded tokens, the last one a prefix when the keyword ended in `*`. */
interface Keyword {
  tokens: string[];
  prefix: boolean;
}

function parseKeyword(keyword: string): Keyword | null {
  const prefix = keyword.trim().endsWith('*');
  const tokens = foldedTokens(keyword.replace(/\*+\s*$/, ''));
  return tokens.length === 0 ? null : { tokens, prefix };
}

function matches(tokens: readonly string[], keyword: Keyword): boolean {
  const k = keyword.tokens;
  outer: for (let i = 0; i + k.length <= tokens.length; i++) {
    for (let j = 0; j < k.length; j++) {
      const t = tokens[i + j]!;
      const last = j === k.length - 1;
      if (last && keyword.prefix ? !t.startsWith(k[j]!) : t !== k[j]) continue outer;
    }
    return true;
  }
  return false;
}

/** Builds a predicate "does this comment mention any of the keywords" (case, accents ignored; `factur*` is a prefix). */
export function keywordMatcher(keywords: readonly string[]): (text: string) => boolean {
  const parsed = keywords.map(parseKeyword).filter((k): k is Keyword => k !== null);
  return (text) => {
    const segments = foldedSegments(text);
    return parsed.some((k) => segments.some((tokens) => matches(tokens, k)));
  };
}

/** An answer for the theme dictionary: its comment (if any) and its outcome value. */
export interface ScoredAnswer {
  comment: string | undefined;
  /** The answer's contribution to the overall value: NPS +100/0/-100, 1/0 for a share, the score for a mean. */
  value: number;
}

export interface ThemeImpact {
  theme: string;
  keywords: string[];
  /** Answers whose comment mentions the theme. */
  count: number;
  /** The outcome among them (NPS points, share, mean score); null when none. */
  value: number | null;
  /**
   * count·(value − overall)/(total − count): the overall outcome minus the outcome of the answers
   * that do not mention the theme, i.e. how far the theme moves the overall score (negative:
   * it drags it down). null when no answer or every answer mentions it.
   */
  impact: number | null;
}

/**
 * Each dictionary theme's count, outcome and impact over all answers (`total` = answers, with or
 * without a comment; `overall` = their outcome).
 */
export function themeImpacts(answers: readonly ScoredAnswer[], dictionary: Readonly<Record<string, readonly string[]>>): ThemeImpact[] {
  const total = answers.length;
  let sum = 0;
  for (const a of answers) sum += a.value;
  const overall = total === 0 ? 0 : sum / total;
  return Object.entries(dictionary).map(([theme, keywords]) => {
    const match = keywordMatcher(keywords);
    let count = 0;
    let themeSum = 0;
    for (const a of answers) {
      if (a.comment === undefined || a.comment === '' || !match(a.comment)) continue;
      count++;
      themeSum += a.value;
    }
    const value = count === 0 ? null : themeSum / count;
    const impact = value === null || count === total ? null : (count * (value - overall)) / (total - count);
    return { theme, keywords: [...keywords], count, value, impact };
  });
}
