import { jsonShapeErrors } from './json-shape-limits.js';

const nested = (levels: number): unknown => JSON.parse(`${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`);

describe('jsonShapeErrors', () => {
  it('accepts plain JSON within the depth', () => {
    expect(jsonShapeErrors({ a: [1, { b: 'x' }], c: null }, 'data', 3)).toEqual([]);
    expect(jsonShapeErrors('text', 'data', 0)).toEqual([]);
  });

  it('counts the root as level 0: maxDepth objects below it pass, one more fails', () => {
    expect(jsonShapeErrors({ x: nested(4) }, 'data', 4)).toEqual([]);
    expect(jsonShapeErrors({ x: nested(5) }, 'data', 4)).toEqual([
      { field: 'data.x.a.a.a.a', message: 'nested deeper than 4 levels below data' },
    ]);
  });

  it('counts arrays as levels too', () => {
    expect(jsonShapeErrors({ x: [[[]]] }, 'data', 3)).toEqual([]);
    expect(jsonShapeErrors({ x: [[[[]]]] }, 'data', 3)).toEqual([
      { field: 'data.x.0.0.0', message: 'nested deeper than 3 levels below data' },
    ]);
  });

  it('walks 100,000 levels without recursion and reports one error', () => {
    expect(jsonShapeErrors(nested(100_000), 'data', 32)).toHaveLength(1);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the key %s anywhere, with its path', (key) => {
    const value = JSON.parse(`{"ok":{"list":[{"${key}":{}}]}}`) as unknown;
    expect(jsonShapeErrors(value, 'data', 32)).toEqual([{ field: `data.ok.list.0.${key}`, message: `the key "${key}" is not allowed` }]);
    expect(jsonShapeErrors(JSON.parse(`{"${key}":1}`), 'r', 32)).toEqual([
      { field: `r.${key}`, message: `the key "${key}" is not allowed` },
    ]);
  });

  it('allows those words as values and inside longer keys', () => {
    expect(jsonShapeErrors({ name: 'constructor', __proto__x: 1, myprototype: ['__proto__'] }, 'data', 32)).toEqual([]);
  });

  it('reports at most ten errors', () => {
    const many = JSON.parse(`[${Array.from({ length: 50 }, () => '{"constructor":1}').join(',')}]`) as unknown;
    expect(jsonShapeErrors(many, 'data', 32)).toHaveLength(10);
  });
});
