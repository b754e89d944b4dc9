/**
 * A small element builder: enough to write the pages' markup as code without a framework.
 */

type Child = Node | string | number | null | undefined | false;
type Listener = (event: Event) => void;
export type Attrs = Record<string, string | number | boolean | null | undefined | Listener>;

/**
 * Creates an element. `on*` attributes holding functions become listeners; `true` sets a boolean
 * attribute, `false`, `null` and `undefined` leave it out; `class` and `data-*` are attributes.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else if (value !== false && value !== null && value !== undefined) {
      element.setAttribute(name, String(value));
    }
  }
  append(element, ...children);
  return element;
}

/** Appends children, turning strings and numbers into text nodes. */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces all children. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.textContent = '';
  append(parent, ...children);
}

/** Finds a required element by id; a missing one is a broken page, not a runtime condition. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`#${id} is missing from the page`);
  return element as T;
}

/** Initials for an avatar: the first letters of the first two words ("Grace Hopper" → "GH"). */
export function initials(name: string): string {
  const letters = name
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '')
    .slice(0, 2)
    .map((w) => [...w][0] ?? '');
  return letters.length === 0 ? '?' : letters.join('').toUpperCase();
}

/**
 * Puts exactly `wanted` into `parent`, in order, moving only what is out of place: an element
 * that stays keeps its focus, scroll and listeners.
 */
export function syncChildren(parent: Element, wanted: Element[]): void {
  const keep = new Set(wanted);
  for (const child of [...parent.children]) if (!keep.has(child)) child.remove();
  let cursor = parent.firstElementChild;
  for (const element of wanted) {
    if (element === cursor) {
      cursor = cursor.nextElementSibling;
      continue;
    }
    parent.insertBefore(element, cursor);
  }
}

/**
 * A list rendered from data by key: an item's element is rebuilt only when its signature changes,
 * the others stay where they are, and focus inside a rebuilt item moves to the same control in
 * its new element. Live lists (votes coming in, chat scrolling) stay usable from the keyboard.
 */
export class KeyedList<T> {
  private readonly cache = new Map<string, { sig: string; element: HTMLElement }>();
  private emptyElement: { text: string; element: HTMLElement } | null = null;

  constructor(
    private readonly parent: HTMLElement,
    private readonly key: (item: T) => string,
    private readonly signature: (item: T) => string,
    private readonly build: (item: T) => HTMLElement,
  ) {}

  render(items: T[], emptyText?: string): void {
    const active = document.activeElement;
    let focusKey: string | null = null;
    let focusTestId: string | null = null;
    for (const [k, v] of this.cache) {
      if (active !== null && v.element.contains(active)) {
        focusKey = k;
        focusTestId = active instanceof HTMLElement ? (active.dataset['testid'] ?? null) : null;
      }
    }
    const wanted: HTMLElement[] = [];
    const seen = new Set<string>();
    for (const item of items) {
      const k = this.key(item);
      const sig = this.signature(item);
      seen.add(k);
      let entry = this.cache.get(k);
      if (entry === undefined || entry.sig !== sig) {
        entry = { sig, element: this.build(item) };
        this.cache.set(k, entry);
      }
      wanted.push(entry.element);
    }
    for (const k of [...this.cache.keys()]) if (!seen.has(k)) this.cache.delete(k);
    if (wanted.length === 0 && emptyText !== undefined) {
      if (this.emptyElement?.text !== emptyText) this.emptyElement = { text: emptyText, element: h('li', { class: 'panel-empty' }, emptyText) };
      wanted.push(this.emptyElement.element);
    }
    syncChildren(this.parent, wanted);
    if (focusKey !== null && document.activeElement !== active) {
      const element = this.cache.get(focusKey)?.element;
      const target = focusTestId !== null ? element?.querySelector<HTMLElement>(`[data-testid="${focusTestId}"]`) : element;
      target?.focus();
    }
  }
}
