/**
 * The course map's layout: units in layers by their prerequisites, drawn top to bottom.
 *
 * A unit's layer is one more than the deepest of the units it requires (the first units
 * are at the top), so every prerequisite arrow points down. Within a layer, units are
 * ordered by where their prerequisites stand (the barycentre heuristic, a few sweeps),
 * then by course order, which keeps arrows from crossing where it can. Pure: no DOM
 * (src/mapView.ts draws it; src/__tests__/courseMap.spec.ts tests it).
 */

/** What the layout needs of a unit. */
export interface IMapUnit {
  id: string;
  requires: string[];
}

export interface IMapNode {
  id: string;
  /** position in the course's order (0-based): the number the map shows is index + 1 */
  index: number;
  layer: number;
  slot: number;
  x: number;
  y: number;
}

export interface IMapEdge {
  from: string;
  to: string;
  /** an SVG path from the bottom of `from` to the top of `to` */
  d: string;
}

export interface IMapLayout {
  nodes: IMapNode[];
  edges: IMapEdge[];
  layers: string[][];
  width: number;
  height: number;
}

export interface IMapGeometry {
  /** the drawing's width (the SVG scales it to the panel) */
  width: number;
  /** distance between two layers */
  row: number;
  /** a node's radius */
  radius: number;
  /** space around the drawing */
  margin: number;
}

export const DEFAULT_GEOMETRY: IMapGeometry = { width: 240, row: 46, radius: 13, margin: 18 };

/** Each unit's layer: 0 without prerequisites, else 1 + the deepest prerequisite's. */
export function mapLayers(units: IMapUnit[]): string[][] {
  const byId = new Map(units.map(u => [u.id, u]));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const layerOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) {
      return known;
    }
    if (visiting.has(id)) {
      return 0; // a cycle: the course validator refuses them; draw it rather than hang
    }
    visiting.add(id);
    const requires = (byId.get(id)?.requires ?? []).filter(r => byId.has(r) && r !== id);
    const layer = requires.length ? 1 + Math.max(...requires.map(layerOf)) : 0;
    visiting.delete(id);
    depth.set(id, layer);
    return layer;
  };
  const layers: string[][] = [];
  for (const unit of units) {
    const layer = layerOf(unit.id);
    while (layers.length <= layer) {
      layers.push([]);
    }
    layers[layer].push(unit.id);
  }
  return layers;
}

/** Order each layer by the mean position of its units' prerequisites (course order on ties). */
export function orderLayers(units: IMapUnit[], layers: string[][], sweeps = 3): string[][] {
  const index = new Map(units.map((u, i) => [u.id, i]));
  const requires = new Map(units.map(u => [u.id, u.requires.filter(r => index.has(r))]));
  const dependants = new Map<string, string[]>(units.map(u => [u.id, []]));
  for (const unit of units) {
    for (const r of requires.get(unit.id) ?? []) {
      dependants.get(r)?.push(unit.id);
    }
  }
  const ordered = layers.map(layer => [...layer]);
  const position = new Map<string, number>();
  const place = (layer: string[]) =>
    layer.forEach((id, slot) => position.set(id, (slot + 0.5) / layer.length));
  ordered.forEach(place);
  const sortBy = (layer: string[], neighbours: (id: string) => string[]) => {
    const key = new Map<string, number>();
    for (const id of layer) {
      const around = neighbours(id).filter(n => position.has(n));
      key.set(
        id,
        around.length
          ? around.reduce((sum, n) => sum + (position.get(n) ?? 0), 0) / around.length
          : (position.get(id) ?? 0)
      );
    }
    layer.sort(
      (a, b) => (key.get(a) ?? 0) - (key.get(b) ?? 0) || (index.get(a) ?? 0) - (index.get(b) ?? 0)
    );
    place(layer);
  };
  for (let sweep = 0; sweep < sweeps; sweep++) {
    for (let i = 1; i < ordered.length; i++) {
      sortBy(ordered[i], id => requires.get(id) ?? []);
    }
    for (let i = ordered.length - 2; i >= 0; i--) {
      sortBy(ordered[i], id => dependants.get(id) ?? []);
    }
  }
  // a last downward sweep: the top layer stays in course order when nothing says otherwise
  for (let i = 1; i < ordered.length; i++) {
    sortBy(ordered[i], id => requires.get(id) ?? []);
  }
  return ordered;
}

/** Where every unit and arrow of the map goes. */
export function layoutMap(
  units: IMapUnit[],
  geometry: IMapGeometry = DEFAULT_GEOMETRY
): IMapLayout {
  const { width, row, radius, margin } = geometry;
  const layers = orderLayers(units, mapLayers(units));
  const index = new Map(units.map((u, i) => [u.id, i]));
  const nodes: IMapNode[] = [];
  const at = new Map<string, IMapNode>();
  layers.forEach((layer, l) => {
    const span = (width - 2 * margin) / layer.length;
    layer.forEach((id, slot) => {
      const node = {
        id,
        index: index.get(id) ?? 0,
        layer: l,
        slot,
        x: Math.round(margin + (slot + 0.5) * span),
        y: Math.round(margin + radius + l * row)
      };
      nodes.push(node);
      at.set(id, node);
    });
  });
  nodes.sort((a, b) => a.index - b.index);
  const edges: IMapEdge[] = [];
  for (const unit of units) {
    const to = at.get(unit.id);
    for (const r of unit.requires) {
      const from = at.get(r);
      if (!from || !to || from === to) {
        continue;
      }
      const y1 = from.y + radius;
      const y2 = to.y - radius - 3; // room for the arrowhead
      const mid = Math.round((y1 + y2) / 2);
      edges.push({
        from: r,
        to: unit.id,
        d: `M${from.x},${y1} C${from.x},${mid} ${to.x},${mid} ${to.x},${y2}`
      });
    }
  }
  const height = margin * 2 + radius * 2 + Math.max(0, layers.length - 1) * row;
  return { nodes, edges, layers, width, height };
}

/** How many pairs of arrows between the same two layers cross (for tests and tuning). */
export function crossings(layout: IMapLayout): number {
  const node = new Map(layout.nodes.map(n => [n.id, n]));
  const spans = layout.edges
    .map(e => [node.get(e.from), node.get(e.to)])
    .filter((p): p is [IMapNode, IMapNode] => !!p[0] && !!p[1] && p[1].layer === p[0].layer + 1);
  let count = 0;
  for (let i = 0; i < spans.length; i++) {
    for (let j = i + 1; j < spans.length; j++) {
      const [a1, a2] = spans[i];
      const [b1, b2] = spans[j];
      if (a1.layer === b1.layer && (a1.slot - b1.slot) * (a2.slot - b2.slot) < 0) {
        count++;
      }
    }
  }
  return count;
}
