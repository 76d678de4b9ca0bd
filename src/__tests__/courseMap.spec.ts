import { describe, expect, it } from 'vitest';

import { crossings, layoutMap, mapLayers, IMapUnit } from '../courseMap';

/** The sample course's 13 units and their prerequisites (courses/intro-data-science). */
const SAMPLE: IMapUnit[] = [
  { id: 'python-basics', requires: [] },
  { id: 'functions', requires: ['python-basics'] },
  { id: 'collections', requires: ['python-basics'] },
  { id: 'loops-and-errors', requires: ['functions', 'collections'] },
  { id: 'numpy-arrays', requires: ['functions', 'collections'] },
  { id: 'pandas-selection', requires: ['numpy-arrays'] },
  { id: 'cleaning', requires: ['pandas-selection'] },
  { id: 'joining-reshaping', requires: ['cleaning'] },
  { id: 'grouping', requires: ['pandas-selection'] },
  { id: 'plotting', requires: ['pandas-selection'] },
  { id: 'sampling-simulation', requires: ['numpy-arrays'] },
  { id: 'correlation-regression', requires: ['grouping', 'plotting', 'sampling-simulation'] },
  { id: 'project', requires: ['joining-reshaping', 'correlation-regression'] }
];

describe('layers', () => {
  it('puts every unit below all it requires', () => {
    const layers = mapLayers(SAMPLE);
    expect(layers[0]).toEqual(['python-basics']);
    expect(layers[layers.length - 1]).toEqual(['project']);
    const layerOf = new Map(layers.flatMap((l, i) => l.map(id => [id, i] as [string, number])));
    for (const u of SAMPLE) {
      for (const r of u.requires) {
        expect(layerOf.get(r)).toBeLessThan(layerOf.get(u.id) ?? -1);
      }
    }
    expect(layers.flat().sort()).toEqual(SAMPLE.map(u => u.id).sort());
  });

  it('ignores prerequisites the course does not have and survives a cycle', () => {
    expect(mapLayers([{ id: 'a', requires: ['gone'] }])).toEqual([['a']]);
    const cyclic = mapLayers([
      { id: 'a', requires: ['b'] },
      { id: 'b', requires: ['a'] }
    ]);
    expect(cyclic.flat().sort()).toEqual(['a', 'b']);
  });
});

describe('the drawing', () => {
  const layout = layoutMap(SAMPLE);

  it('has one node per unit in course order and one arrow per prerequisite', () => {
    expect(layout.nodes.map(n => n.id)).toEqual(SAMPLE.map(u => u.id));
    expect(layout.nodes.map(n => n.index)).toEqual(SAMPLE.map((_, i) => i));
    expect(layout.edges).toHaveLength(SAMPLE.reduce((n, u) => n + u.requires.length, 0));
  });

  it('draws every arrow downwards, within the drawing, with no two nodes on one spot', () => {
    const at = new Map(layout.nodes.map(n => [n.id, n]));
    for (const edge of layout.edges) {
      expect(at.get(edge.from)!.y).toBeLessThan(at.get(edge.to)!.y);
      expect(edge.d).toMatch(/^M\d+,\d+ C\d+,\d+ \d+,\d+ \d+,\d+$/);
    }
    const spots = new Set(layout.nodes.map(n => `${n.x},${n.y}`));
    expect(spots.size).toBe(SAMPLE.length);
    for (const node of layout.nodes) {
      expect(node.x).toBeGreaterThan(0);
      expect(node.x).toBeLessThan(layout.width);
      expect(node.y).toBeLessThan(layout.height);
    }
  });

  it('orders layers so arrows cross only where they must', () => {
    // functions and collections both lead to loops-and-errors and numpy-arrays: those four
    // arrows cross once however they are drawn; nothing else crosses
    expect(crossings(layout)).toBe(1);
    // a course whose order would cross: b2 needs a2, b1 needs a1, but b2 comes first
    const crossed = layoutMap([
      { id: 'a1', requires: [] },
      { id: 'a2', requires: [] },
      { id: 'b2', requires: ['a2'] },
      { id: 'b1', requires: ['a1'] }
    ]);
    expect(crossings(crossed)).toBe(0);
    expect(crossed.layers[1]).toEqual(['b1', 'b2']);
  });

  it('is the same every time (no jumping map between refreshes)', () => {
    expect(layoutMap(SAMPLE)).toEqual(layout);
  });
});
