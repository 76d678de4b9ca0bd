/**
 * Small DOM helpers for the sidebar's plain-DOM views (real elements, so keyboards and
 * screen readers get what a sighted mouse user gets).
 */

/** An HTML element with attributes and text. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  text?: string
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    node.setAttribute(name, value);
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes. */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  text?: string
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) {
    node.setAttribute(name, String(value));
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

/** A real <button>: `key` keeps focus on it across redraws (data-key). */
export function button(
  key: string,
  label: string,
  aria: string,
  onClick: () => void,
  disabled = false
): HTMLButtonElement {
  const b = el(
    'button',
    {
      class: `jp-Mastery-button jp-Mastery-${key.split(':')[0]}`,
      type: 'button',
      'aria-label': aria,
      'data-key': key
    },
    label
  );
  b.disabled = disabled;
  b.addEventListener('click', onClick);
  return b;
}

/** The element's id made safe for a unit id (ids may hold dots). */
export function domId(prefix: string, id: string): string {
  return `${prefix}-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}
