/**
 * Banners at the top of the stage, and the live regions that read them out: polite for news,
 * assertive for errors.
 */

import { h, replaceChildren } from '../ui/dom';
import { type IconName, icon } from '../ui/icons';

export type BannerLevel = 'info' | 'warning' | 'error';

export interface BannerAction {
  label: string;
  run(): void;
  testId?: string;
  primary?: boolean;
}

export interface BannerSpec {
  level: BannerLevel;
  title: string;
  text?: string;
  actions?: BannerAction[];
  /** Seconds until it closes itself. */
  dismissAfterS?: number;
  /** Whether the user may close it. */
  closable?: boolean;
  icon?: IconName;
}

const ICONS: Record<BannerLevel, IconName> = { info: 'info', warning: 'alert', error: 'alert' };

export class Banners {
  private readonly container: HTMLElement;
  private readonly live: HTMLElement;
  private readonly alert: HTMLElement;
  private readonly shown = new Map<string, { element: HTMLElement; timer: number }>();

  constructor(container: HTMLElement, live: HTMLElement, alert: HTMLElement) {
    this.container = container;
    this.live = live;
    this.alert = alert;
  }

  /** Shows or replaces the banner `id`; announces it unless only its text moved on (a countdown). */
  show(id: string, spec: BannerSpec, announce = true): void {
    const existing = this.shown.get(id);
    if (existing !== undefined) window.clearTimeout(existing.timer);
    const text = h('div', { class: 'banner-text', 'data-testid': 'banner-text' }, spec.text ?? '');
    const element = h(
      'div',
      { class: `banner banner-${spec.level}`, 'data-testid': 'banner', 'data-banner': id, 'data-level': spec.level },
      icon(spec.icon ?? ICONS[spec.level]),
      h('div', { class: 'banner-body' }, h('div', { class: 'banner-title', 'data-testid': 'banner-title' }, spec.title), spec.text !== undefined ? text : null),
      spec.actions !== undefined || spec.closable === true
        ? h(
            'div',
            { class: 'banner-actions' },
            ...(spec.actions ?? []).map((action) =>
              h(
                'button',
                {
                  type: 'button',
                  class: `btn btn-small ${action.primary === true ? 'btn-primary' : 'btn-ghost'}`,
                  'data-testid': action.testId,
                  onclick: () => action.run(),
                },
                action.label,
              ),
            ),
            spec.closable === true
              ? h('button', { type: 'button', class: 'btn banner-close', 'aria-label': 'Dismiss', onclick: () => this.hide(id) }, icon('close'))
              : null,
          )
        : null,
    );
    if (existing !== undefined) existing.element.replaceWith(element);
    else this.container.append(element);
    const timer = spec.dismissAfterS !== undefined ? window.setTimeout(() => this.hide(id), spec.dismissAfterS * 1000) : 0;
    this.shown.set(id, { element, timer });
    if (announce) this.announce(`${spec.title}. ${spec.text ?? ''}`, spec.level === 'error');
  }

  /** Updates the text of a shown banner quietly (no announcement). */
  updateText(id: string, text: string): void {
    const element = this.shown.get(id)?.element.querySelector('.banner-text');
    if (element) element.textContent = text;
  }

  has(id: string): boolean {
    return this.shown.has(id);
  }

  hide(id: string): void {
    const shown = this.shown.get(id);
    if (shown === undefined) return;
    window.clearTimeout(shown.timer);
    shown.element.remove();
    this.shown.delete(id);
  }

  clear(): void {
    for (const id of [...this.shown.keys()]) this.hide(id);
  }

  /** Reads a sentence out through the polite or the assertive live region. */
  announce(message: string, urgent = false): void {
    const region = urgent ? this.alert : this.live;
    // Clearing first makes screen readers repeat a message that did not change.
    replaceChildren(region);
    window.setTimeout(() => replaceChildren(region, message), 50);
  }
}
