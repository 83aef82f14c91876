/**
 * Accumulators across threads. A structured clone drops prototypes and JS private fields, and an
 * accumulator may hold references that must stay the receiving side's own: the settings, the
 * links and the period bounds it was created with (a stream's overall bounds are set only after
 * reading), and module constants compared by identity. So an accumulator crosses as plain data
 * (`accumulatorState`) and is revived into a fresh accumulator of the same metric created on the
 * receiving side (`loadAccumulatorState`):
 *
 * - primitives, arrays, typed arrays, Maps and Sets are copied;
 * - a value the sender lists as shared (settings, links, bounds and what they hold) is not sent:
 *   the fresh accumulator keeps its own;
 * - an object with `toJSON()` whose class has a static `fromJSON` (Tally, MeanVar,
 *   QuantileSketch: their state lives in private fields) crosses as its JSON form and is rebuilt
 *   by its class;
 * - any other object crosses field by field, revived into the fresh accumulator's object at the
 *   same place (its prototype and identity are kept; a field whose value is unchanged is not
 *   written, so shared constants are never touched);
 * - a function, or a class instance the fresh accumulator has no counterpart for, cannot cross:
 *   `accumulatorState` / `loadAccumulatorState` throw, and the caller falls back to one thread.
 *
 * Proven per streaming metric in acc-state.test.ts (split, cross, merge = whole).
 */

const MARK = '$cxm';

type State =
  | null
  | undefined
  | boolean
  | number
  | string
  | bigint
  | { [MARK]: 'shared' }
  | { [MARK]: 'json'; cls: string; json: unknown }
  | { [MARK]: 'object'; plain: boolean; cls: string; fields: Record<string, State> }
  | { [MARK]: 'array'; items: State[] }
  | { [MARK]: 'map'; entries: [unknown, State][] }
  | { [MARK]: 'set'; values: unknown[] }
  | { [MARK]: 'raw'; value: unknown };

/** Objects an accumulator may hold that the receiving side has its own of: `value` and everything reachable from it. */
export function sharedObjects(...values: unknown[]): Set<object> {
  const seen = new Set<object>();
  const walk = (value: unknown, depth: number) => {
    if (value === null || typeof value !== 'object' || seen.has(value) || depth > 6) return;
    seen.add(value);
    if (value instanceof Map) for (const v of value.values()) walk(v, depth + 1);
    else if (value instanceof Set) return;
    else if (ArrayBuffer.isView(value)) return;
    else for (const key of Object.keys(value)) walk((value as Record<string, unknown>)[key], depth + 1);
  };
  for (const value of values) walk(value, 0);
  return seen;
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function hasJsonForm(value: object): boolean {
  const ctor = (value as { constructor?: { fromJSON?: unknown } }).constructor;
  return typeof (value as { toJSON?: unknown }).toJSON === 'function' && typeof ctor?.fromJSON === 'function';
}

/** An accumulator (or any value it holds) as structured-cloneable data; `shared` values are left for the receiver. */
export function accumulatorState(value: unknown, shared: ReadonlySet<object>): State {
  if (value === null || value === undefined) return value;
  switch (typeof value) {
    case 'boolean':
    case 'number':
    case 'string':
    case 'bigint':
      return value;
    case 'function':
    case 'symbol':
      throw new TypeError(`an accumulator holding a ${typeof value} cannot cross threads`);
  }
  const object = value as object;
  if (shared.has(object)) return { [MARK]: 'shared' };
  if (ArrayBuffer.isView(object) || object instanceof Date || object instanceof RegExp) return { [MARK]: 'raw', value: object };
  if (Array.isArray(object)) return { [MARK]: 'array', items: object.map((item) => accumulatorState(item, shared)) };
  if (object instanceof Map) return { [MARK]: 'map', entries: [...object].map(([k, v]) => [k, accumulatorState(v, shared)]) };
  if (object instanceof Set) {
    for (const v of object) if (v !== null && typeof v === 'object') throw new TypeError('an accumulator holding a Set of objects cannot cross threads');
    return { [MARK]: 'set', values: [...object] };
  }
  const cls = (object as { constructor?: { name?: string } }).constructor?.name ?? '';
  if (hasJsonForm(object)) return { [MARK]: 'json', cls, json: (object as { toJSON(): unknown }).toJSON() };
  const fields: Record<string, State> = {};
  for (const key of Object.keys(object)) fields[key] = accumulatorState((object as Record<string, unknown>)[key], shared);
  return { [MARK]: 'object', plain: isPlain(object), cls, fields };
}

function isMarked(state: State): state is Exclude<State, null | undefined | boolean | number | string | bigint> {
  return state !== null && typeof state === 'object' && MARK in state;
}

/**
 * The prototypes of the class instances reachable from `root`, by class name: a value created
 * lazily on the sending side (an entry of a Map of per-area tallies) is rebuilt from the
 * prototype of another instance of its class that the fresh accumulator holds (its overall tally).
 */
function prototypesOf(root: unknown): Map<string, object> {
  const protos = new Map<string, object>();
  const seen = new Set<object>();
  const walk = (value: unknown, depth: number) => {
    if (value === null || typeof value !== 'object' || seen.has(value) || depth > 6 || ArrayBuffer.isView(value)) return;
    seen.add(value);
    if (value instanceof Map || value instanceof Set) {
      for (const v of value.values()) walk(v, depth + 1);
      return;
    }
    if (!Array.isArray(value) && !isPlain(value)) {
      const proto = Object.getPrototypeOf(value) as object;
      const name = (value as { constructor?: { name?: string } }).constructor?.name;
      if (name && !protos.has(name)) protos.set(name, proto);
    }
    for (const key of Object.keys(value)) walk((value as Record<string, unknown>)[key], depth + 1);
  };
  walk(root, 0);
  return protos;
}

/**
 * Revives `state` (from `accumulatorState`, through a structured clone) into `fresh`, the
 * receiving side's own new accumulator (or value) at the same place; returns the value to keep.
 */
export function loadAccumulatorState<T>(fresh: T, state: State): T {
  let protos: Map<string, object> | null = null;
  const protoOf = (cls: string): object | undefined => (protos ??= prototypesOf(fresh)).get(cls);
  const load = <V>(into: V, from: State): V => {
    if (!isMarked(from)) return from as V;
    switch (from[MARK]) {
      case 'shared':
        if (into === undefined) throw new TypeError('a shared value has no counterpart in the fresh accumulator');
        return into;
      case 'raw':
        return from.value as V;
      case 'set':
        return new Set(from.values) as V;
      case 'array': {
        const template = Array.isArray(into) ? (into as unknown[]) : [];
        return from.items.map((item, i) => load(template[i], item)) as V;
      }
      case 'map': {
        const template = into instanceof Map ? into : new Map();
        return new Map(from.entries.map(([k, v]) => [k, load(template.get(k), v)])) as V;
      }
      case 'json': {
        type WithJson = { fromJSON?: (json: unknown) => unknown };
        let ctor = (into as { constructor?: WithJson } | undefined | null)?.constructor;
        if (into === undefined || into === null || typeof ctor?.fromJSON !== 'function') ctor = (protoOf(from.cls) as { constructor?: WithJson } | undefined)?.constructor;
        if (typeof ctor?.fromJSON !== 'function') throw new TypeError(`a ${from.cls} in JSON form has no counterpart in the fresh accumulator`);
        return ctor.fromJSON(from.json) as V;
      }
      case 'object': {
        let target = into as Record<string, unknown> | undefined | null;
        if (target === undefined || target === null || typeof target !== 'object') {
          if (from.plain) target = {};
          else {
            const proto = protoOf(from.cls);
            if (!proto) throw new TypeError(`an object of class ${from.cls} has no counterpart in the fresh accumulator`);
            target = Object.create(proto) as Record<string, unknown>;
          }
        }
        for (const key of Object.keys(from.fields)) {
          const next = load(target[key], from.fields[key]!);
          if (!Object.is(target[key], next)) target[key] = next;
        }
        return target as V;
      }
    }
  };
  return load(fresh, state);
}
