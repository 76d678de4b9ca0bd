/**
 * The course map: every unit as a numbered node in its layer, an arrow from each
 * prerequisite, the state as a shape and a symbol (never colour alone).
 *
 * Keyboard and screen readers: each node is a link whose name says the unit, its state and
 * what it needs; the map is one stop for Tab (on the unit up next), the arrow keys go from
 * unit to unit in course order (Home, End: the first, the last), Enter or Space shows that
 * unit's card in the list below. The map is a labelled group; the list stays the full text
 * alternative.
 */
import { IUnitStanding } from './documents';
import { domId, el, svg } from './dom';
import { layoutMap } from './courseMap';
import { STATE_LABELS, STATE_SYMBOLS } from './unitCard';

const MARKER = 'jp-mastery-map-arrow';
/** States that carry a symbol beside the node (locked and unlocked are told by the outline). */
const BADGED = new Set(['mastered', 'in_progress', 'grading']);

/** Arrow keys move focus between the nodes (one Tab stop for the whole map). */
function moveFocus(links: SVGAElement[], from: number, key: string): boolean {
  const last = links.length - 1;
  const to =
    key === 'ArrowRight' || key === 'ArrowDown'
      ? Math.min(last, from + 1)
      : key === 'ArrowLeft' || key === 'ArrowUp'
        ? Math.max(0, from - 1)
        : key === 'Home'
          ? 0
          : key === 'End'
            ? last
            : -1;
  if (to < 0) {
    return false;
  }
  links[to].focus();
  return true;
}

function nodeName(
  unit: IUnitStanding,
  number: number,
  titles: Map<string, string>,
  next: boolean
): string {
  const needs = unit.requires.map(r => titles.get(r) ?? r);
  const parts = [
    `Unit ${number}: ${unit.title}`,
    STATE_LABELS[unit.state]?.toLowerCase() ?? unit.state,
    needs.length ? `needs ${needs.join(' and ')}` : 'needs nothing before it'
  ];
  if (next) {
    parts.push('up next');
  }
  return parts.join(', ');
}

/** The map as an SVG in a <figure>; `select(unitId)` shows that unit's card. */
export function courseMap(
  units: IUnitStanding[],
  upNext: string | null,
  select: (unitId: string) => void
): HTMLElement {
  const layout = layoutMap(units);
  const byId = new Map(units.map(u => [u.id, u]));
  const titles = new Map(units.map(u => [u.id, u.title]));
  const figure = el('figure', { class: 'jp-Mastery-map' });
  const drawing = svg('svg', {
    class: 'jp-Mastery-mapDrawing',
    viewBox: `0 0 ${layout.width} ${layout.height}`,
    role: 'group',
    'aria-label': `Course map: ${units.length} units, each below the units it needs`,
    width: '100%',
    height: layout.height
  });
  const defs = svg('defs');
  const marker = svg('marker', {
    id: MARKER,
    viewBox: '0 0 8 8',
    refX: 6,
    refY: 4,
    markerWidth: 6,
    markerHeight: 6,
    orient: 'auto-start-reverse'
  });
  marker.appendChild(svg('path', { d: 'M0,0 L8,4 L0,8 z', class: 'jp-Mastery-mapArrowHead' }));
  defs.appendChild(marker);
  drawing.appendChild(defs);

  const edges = svg('g', { class: 'jp-Mastery-mapEdges', 'aria-hidden': 'true' });
  for (const edge of layout.edges) {
    const done = byId.get(edge.from)?.state === 'mastered';
    edges.appendChild(
      svg('path', {
        d: edge.d,
        class: `jp-Mastery-mapEdge${done ? ' jp-Mastery-mapEdge-done' : ''}`,
        'marker-end': `url(#${MARKER})`,
        'data-from': edge.from,
        'data-to': edge.to
      })
    );
  }
  drawing.appendChild(edges);

  const links: SVGAElement[] = [];
  const stop = Math.max(
    0,
    layout.nodes.findIndex(n => n.id === upNext)
  );
  layout.nodes.forEach((node, place) => {
    const unit = byId.get(node.id);
    if (!unit) {
      return;
    }
    const number = node.index + 1;
    const next = unit.id === upNext;
    const link = svg('a', {
      class: `jp-Mastery-mapNode${next ? ' jp-Mastery-mapNode-next' : ''}`,
      href: `#${domId('jp-mastery-card', unit.id)}`,
      role: 'link',
      tabindex: place === stop ? 0 : -1,
      'data-unit': unit.id,
      'data-state': unit.state,
      // the panel puts focus back on the same node after a redraw (a poll, practice read)
      'data-key': `map:${unit.id}`,
      'aria-label': nodeName(unit, number, titles, next)
    });
    link.appendChild(svg('title', {}, `${unit.title} (${STATE_LABELS[unit.state] ?? unit.state})`));
    if (next) {
      link.appendChild(
        svg('circle', { cx: node.x, cy: node.y, r: 17, class: 'jp-Mastery-mapRing' })
      );
    }
    link.appendChild(svg('circle', { cx: node.x, cy: node.y, r: 13, class: 'jp-Mastery-mapDot' }));
    link.appendChild(
      svg(
        'text',
        { x: node.x, y: node.y, class: 'jp-Mastery-mapNumber', 'aria-hidden': 'true' },
        `${number}`
      )
    );
    if (BADGED.has(unit.state)) {
      link.appendChild(
        svg(
          'text',
          { x: node.x + 12, y: node.y - 9, class: 'jp-Mastery-mapBadge', 'aria-hidden': 'true' },
          STATE_SYMBOLS[unit.state] ?? ''
        )
      );
    }
    const choose = (event: Event) => {
      event.preventDefault();
      select(unit.id);
    };
    link.addEventListener('click', choose);
    // the one Tab stop follows focus, however the node got it (arrows, a click, a redraw)
    link.addEventListener('focus', () => {
      links.forEach(other => other.setAttribute('tabindex', other === link ? '0' : '-1'));
    });
    link.addEventListener('keydown', (event: KeyboardEvent) => {
      if (event.key === 'Enter' || event.key === ' ') {
        choose(event);
      } else if (moveFocus(links, links.indexOf(link), event.key)) {
        event.preventDefault();
      }
    });
    links.push(link);
    drawing.appendChild(link);
  });
  figure.appendChild(drawing);
  // the key draws each state as the map does (a locked unit is a dashed outline there, not
  // a symbol), with the symbol the map adds beside the node
  const legend = el('figcaption', { class: 'jp-Mastery-mapLegend' });
  for (const state of ['mastered', 'in_progress', 'grading', 'unlocked', 'locked']) {
    const item = el('span', { class: 'jp-Mastery-mapKey', 'data-state': state });
    const swatch = svg('svg', {
      class: 'jp-Mastery-mapSwatch',
      viewBox: '0 0 16 16',
      width: 14,
      height: 14,
      'aria-hidden': 'true'
    });
    swatch.appendChild(svg('circle', { cx: 8, cy: 8, r: 6, class: 'jp-Mastery-mapDot' }));
    item.appendChild(swatch);
    const badge = BADGED.has(state) ? `${STATE_SYMBOLS[state]} ` : '';
    item.appendChild(document.createTextNode(`${badge}${STATE_LABELS[state].toLowerCase()}`));
    legend.appendChild(item);
  }
  figure.appendChild(legend);
  return figure;
}
