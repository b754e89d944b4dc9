/**
 * Line icons drawn on a 24×24 grid, inlined so the pages need no icon font or extra requests.
 */

const PATHS = {
  mic: '<rect x="9" y="2.5" width="6" height="11.5" rx="3"/><path d="M5.5 10.5a6.5 6.5 0 0 0 13 0"/><path d="M12 17v4.5"/><path d="M8.5 21.5h7"/>',
  micOff:
    '<path d="M15 9.3V5.5a3 3 0 0 0-5.7-1.3"/><path d="M9 9v2a3 3 0 0 0 4.6 2.5"/><path d="M18.5 10.5a6.4 6.4 0 0 1-1 3.4M15.6 16.3A6.5 6.5 0 0 1 5.5 10.5"/><path d="M12 17v4.5"/><path d="M8.5 21.5h7"/><path d="M3 3l18 18"/>',
  video: '<rect x="2.5" y="6" width="13" height="12" rx="2.5"/><path d="M15.5 10.5l6-3.5v10l-6-3.5z"/>',
  videoOff:
    '<path d="M8.5 6h4.5a2.5 2.5 0 0 1 2.5 2.5v3.5l6-3.5v10l-3.6-2.1"/><path d="M15.5 15.5a2.5 2.5 0 0 1-2.5 2.5H5A2.5 2.5 0 0 1 2.5 15.5v-7A2.5 2.5 0 0 1 4.4 6"/><path d="M3 3l18 18"/>',
  screen: '<rect x="2.5" y="3.5" width="19" height="13" rx="2"/><path d="M8 21h8M12 16.5V21"/><path d="M9 10.5l3-3 3 3M12 7.5v6"/>',
  screenOff: '<rect x="2.5" y="3.5" width="19" height="13" rx="2"/><path d="M8 21h8M12 16.5V21"/><path d="M9.5 7.5l5 5M14.5 7.5l-5 5"/>',
  leave: '<path d="M9.5 20.5H5a2 2 0 0 1-2-2v-13a2 2 0 0 1 2-2h4.5"/><path d="M15.5 16.5l5-4.5-5-4.5"/><path d="M20.5 12H9"/>',
  power: '<path d="M12 2.5v9"/><path d="M18.4 6.6a9 9 0 1 1-12.8 0"/>',
  copy: '<rect x="9" y="9" width="12" height="12" rx="2"/><path d="M5.5 15H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h8a2 2 0 0 1 2 2v.5"/>',
  check: '<path d="M4.5 12.5l5 5L20 7"/>',
  userX: '<circle cx="9" cy="8" r="4"/><path d="M2.5 21v-1a6 6 0 0 1 6-6h1a6 6 0 0 1 6 6v1"/><path d="M17 8.5l5 5M22 8.5l-5 5"/>',
  alert: '<path d="M10.3 3.9L2.4 17.5A2 2 0 0 0 4.1 20.5h15.8a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z"/><path d="M12 9.5v4"/><path d="M12 17h.01"/>',
  info: '<circle cx="12" cy="12" r="9.5"/><path d="M12 11v5.5"/><path d="M12 7.5h.01"/>',
  wifiOff: '<path d="M3 3l18 18"/><path d="M8.5 16.5a5 5 0 0 1 7 0"/><path d="M5 12.9a10 10 0 0 1 5.2-2.7M14.6 10.4A10 10 0 0 1 19 12.9"/><path d="M2 8.8a15 15 0 0 1 4.2-2.6M11 5.1a15 15 0 0 1 11 3.7"/><path d="M12 20h.01"/>',
  refresh: '<path d="M20.5 12a8.5 8.5 0 1 1-2.5-6"/><path d="M20.5 3.5v5h-5"/>',
  users: '<circle cx="9" cy="8" r="3.5"/><path d="M2.5 20v-.5a6 6 0 0 1 6-6h1a6 6 0 0 1 6 6v.5"/><path d="M16 4.6a3.5 3.5 0 0 1 0 6.8"/><path d="M18.5 13.6a6 6 0 0 1 3 5.4v1"/>',
  close: '<path d="M6 6l12 12M18 6L6 18"/>',
  link: '<path d="M10 13.5a4.5 4.5 0 0 0 6.4.5l3-3a4.5 4.5 0 0 0-6.4-6.4l-1.7 1.7"/><path d="M14 10.5a4.5 4.5 0 0 0-6.4-.5l-3 3a4.5 4.5 0 0 0 6.4 6.4l1.7-1.7"/>',
  stage: '<path d="M3 20.5h18"/><path d="M5 20.5V9.5l7-6 7 6v11"/><path d="M9.5 20.5v-5a2.5 2.5 0 0 1 5 0v5"/>',
  hand: '<path d="M8 11V5.5a1.5 1.5 0 0 1 3 0V10"/><path d="M11 9.5V4a1.5 1.5 0 0 1 3 0v6"/><path d="M14 9.5V5.5a1.5 1.5 0 0 1 3 0V13"/><path d="M8 11V9a1.5 1.5 0 0 0-3 0v5a7.5 7.5 0 0 0 7.5 7.5h.5a5 5 0 0 0 5-5v-4.5"/>',
  question: '<path d="M20.5 12a8.5 8.5 0 0 1-12.4 7.6L3.5 20.5l1-4.4A8.5 8.5 0 1 1 20.5 12z"/><path d="M9.6 9.6a2.5 2.5 0 0 1 4.8.9c0 1.6-2.4 2.1-2.4 3.5"/><path d="M12 17h.01"/>',
  chat: '<path d="M20.5 14.5a2 2 0 0 1-2 2H8l-4.5 4V5.5a2 2 0 0 1 2-2h13a2 2 0 0 1 2 2z"/>',
  up: '<path d="M12 19V5.5"/><path d="M5.5 12l6.5-6.5 6.5 6.5"/>',
  pin: '<path d="M9 3.5h6"/><path d="M10 3.5v6l-3.5 4h11L14 9.5v-6"/><path d="M12 13.5v7"/>',
  eye: '<path d="M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z"/><circle cx="12" cy="12" r="3"/>',
  eyeOff: '<path d="M3 3l18 18"/><path d="M10.6 5.1A10.4 10.4 0 0 1 12 5c6.4 0 10 7 10 7a17 17 0 0 1-3.2 4"/><path d="M6.6 6.6A17.3 17.3 0 0 0 2 12s3.6 7 10 7a9.8 9.8 0 0 0 5.4-1.6"/><path d="M9.9 9.9a3 3 0 0 0 4.2 4.2"/>',
  ban: '<circle cx="12" cy="12" r="9"/><path d="M5.6 5.6l12.8 12.8"/>',
  send: '<path d="M21 3L10.5 13.5"/><path d="M21 3l-6.5 18-4-7.5-7.5-4z"/>',
  play: '<path d="M7 4.5v15l12-7.5z"/>',
  broadcast: '<circle cx="12" cy="12" r="2"/><path d="M16.2 7.8a6 6 0 0 1 0 8.4M7.8 16.2a6 6 0 0 1 0-8.4"/><path d="M19 5a10 10 0 0 1 0 14M5 19A10 10 0 0 1 5 5"/>',
} as const;

export type IconName = keyof typeof PATHS;

/** An icon as an inline SVG, hidden from assistive technology: its button carries the label. */
export function icon(name: IconName, className = 'icon'): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', className);
  svg.innerHTML = PATHS[name];
  return svg;
}
