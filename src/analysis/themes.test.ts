import { describe, expect, it } from 'vitest';
import { STOP_WORDS, THEME_DEFAULTS, commentThemes, foldedTokens, keywordMatcher, termsOf, themeImpacts, tokenize, type ThemeDocument } from './themes.js';

describe('tokenize', () => {
  it('folds accents and case, drops numbers, ids, links and stop words of both languages', () => {
    expect(tokenize('El pedido O000123 llegó TARDE, 3 días después; ver https://x.example/a y mail a@b.es')).toEqual(['pedido', 'llego', 'tarde', 'dias', 'despues', 'ver', 'mail']);
    expect(tokenize('The invoice INV-2024-77 was wrong and the refund is 150x190 late')).toEqual(['invoice', 'wrong', 'refund', 'late']);
  });

  it('keeps negations, which carry the complaint', () => {
    expect(tokenize('Nadie responde, no one answers, nunca')).toEqual(['nadie', 'responde', 'no', 'one', 'answers', 'nunca']);
    for (const word of ['no', 'not', 'nadie', 'nunca', 'nada', 'nobody', 'never']) {
      expect(STOP_WORDS.en.includes(word) || STOP_WORDS.es.includes(word), word).toBe(false);
    }
  });

  it('keeps every stop word folded (no accents), so they match folded tokens', () => {
    for (const word of [...STOP_WORDS.en, ...STOP_WORDS.es]) expect(foldedTokens(word)).toEqual([word]);
  });
});

describe('termsOf', () => {
  it('gives content words and two-word phrases of adjacent content words, once each', () => {
    // the full stop ends the phrase: no "responde nadie"
    expect([...termsOf('Llamé y nadie responde. Nadie responde.')].sort()).toEqual(['llame', 'nadie', 'nadie responde', 'responde']);
    // "muy" is a stop word: no phrase across it
    expect([...termsOf('Llegó muy tarde')].sort()).toEqual(['llego', 'tarde']);
  });
});

describe('commentThemes (fightin’ words, hand-computed)', () => {
  // A: late, late, late, box   B: quick, quick, box, box   (one word per comment: no phrases)
  // n_A = n_B = 4; prior α_w = ½(y_A + y_B), α₀ = ½·8 = 4.
  // late:  α = 1.5, δ = ln(4.5/3.5) − ln(1.5/6.5) = 1.717651, Var = 1/4.5 + 1/1.5 = 0.888889, z = 1.821845
  // quick: α = 1,   δ = ln(1/7) − ln(3/5) = −1.435085, Var = 1 + 1/3, z = −1.242820
  // box:   α = 1.5, δ = ln(2.5/5.5) − ln(3.5/4.5) = −0.537143, Var = 0.4 + 0.285714, z = −0.648662
  const docs: ThemeDocument[] = [
    { text: 'late', group: 'a' },
    { text: 'Late!', group: 'a' },
    { text: 'late', group: 'a' },
    { text: 'box', group: 'a' },
    { text: 'quick', group: 'b' },
    { text: 'Quick.', group: 'b' },
    { text: 'box', group: 'b' },
    { text: 'box', group: 'b' },
    { text: 'late late late', group: null },
  ];

  it('computes the weighted log-odds and z of Monroe, Colaresi & Quinn (2008)', () => {
    const terms = commentThemes(docs, { top: 10, minZ: 0, minCount: 1, names: ['detractors', 'promoters'] });
    expect(terms.map((t) => [t.group, t.term])).toEqual([
      ['detractors', 'late'],
      ['promoters', 'quick'],
      ['promoters', 'box'],
    ]);
    const [late, quick, box] = terms;
    expect(late!.log_odds).toBeCloseTo(1.717651, 5);
    expect(late!.z).toBeCloseTo(1.821845, 5);
    expect([late!.count, late!.other_count]).toEqual([3, 0]);
    expect(late!.example).toBe('late');
    // toward the promoters: signs flipped
    expect(quick!.log_odds).toBeCloseTo(1.435085, 5);
    expect(quick!.z).toBeCloseTo(1.24282, 4);
    expect([quick!.count, quick!.other_count]).toEqual([2, 0]);
    expect(box!.z).toBeCloseTo(0.648662, 4);
    expect([box!.count, box!.other_count]).toEqual([2, 1]);
  });

  it('keeps only |z| >= minZ and terms in at least minCount comments', () => {
    expect(commentThemes(docs, { top: 10, minZ: 1.5, minCount: 1, names: ['a', 'b'] }).map((t) => t.term)).toEqual(['late']);
    expect(commentThemes(docs, { top: 10, minZ: 0, minCount: 3, names: ['a', 'b'] }).map((t) => t.term)).toEqual(['late', 'box']);
    expect(commentThemes(docs, { ...THEME_DEFAULTS, names: ['a', 'b'] })).toEqual([]);
  });

  it('prefers a short example and keeps it verbatim (untrusted text is the renderers’ to sanitise)', () => {
    const long = `late ${'x'.repeat(200)}`;
    const nasty = 'late \u001b[31mred\u001b[0m';
    const out = commentThemes(
      [
        { text: long, group: 'a' },
        { text: nasty, group: 'a' },
        { text: 'quick', group: 'b' },
      ],
      { top: 1, minZ: 0, minCount: 1, names: ['a', 'b'] },
    );
    expect(out[0]!.example).toBe(nasty);
  });

  it('returns nothing when a group has no comment', () => {
    expect(commentThemes([{ text: 'late', group: 'a' }], { top: 10, minZ: 0, minCount: 1, names: ['a', 'b'] })).toEqual([]);
  });
});

describe('keywordMatcher', () => {
  it('matches folded words and phrases, with a trailing * as a prefix', () => {
    expect(keywordMatcher(['factur*'])('Problema con la Facturación')).toBe(true);
    expect(keywordMatcher(['tarde'])('Buenas tardes')).toBe(false);
    expect(keywordMatcher(['no one'])('No one answers the phone')).toBe(true);
    expect(keywordMatcher(['no one'])('one no')).toBe(false);
    expect(keywordMatcher(['no one'])('I said no. One day…')).toBe(false);
    expect(keywordMatcher(['devolución'])('la DEVOLUCION')).toBe(true);
    expect(keywordMatcher(['***', ''])('anything')).toBe(false);
  });
});

describe('themeImpacts', () => {
  it('reports count, outcome and count × (theme − overall) / (total − count)', () => {
    // values 100, 100, −100, −100, 100, 0: overall = 100/6 = 16.667
    // "tarde" in answers 3 and 4: value −100, impact = 2 × (−100 − 16.667)/(6 − 2) = −58.333
    // = overall − NPS of the other four (300/4 = 75): 16.667 − 75 = −58.333
    const answers = [
      { comment: 'rápido', value: 100 },
      { comment: undefined, value: 100 },
      { comment: 'llegó tarde', value: -100 },
      { comment: 'TARDE otra vez', value: -100 },
      { comment: '', value: 100 },
      { comment: 'normal', value: 0 },
    ];
    const [entrega, nada, todo] = themeImpacts(answers, { entrega: ['tarde'], nada: ['xyz'], todo: ['*'] });
    expect(entrega).toMatchObject({ theme: 'entrega', keywords: ['tarde'], count: 2, value: -100 });
    expect(entrega!.impact).toBeCloseTo(-58.3333, 3);
    expect(nada).toEqual({ theme: 'nada', keywords: ['xyz'], count: 0, value: null, impact: null });
    expect(todo!.count).toBe(0);
  });
});
