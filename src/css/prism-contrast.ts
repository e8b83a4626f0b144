// Code highlighting colours that every reader can read: the Prism themes' token colours are moved toward
// black (light theme) or white (dark theme) until they reach WCAG AA contrast (4.5:1) against the code
// background. axe-core flagged the originals (e.g. GitHub's #d73a49 functions on #f6f8fa).
import type { PrismTheme } from 'prism-react-renderer';

type Rgb = [number, number, number];

function parse(color: string): Rgb | undefined {
  const hex = /^#([0-9a-f]{6})$/i.exec(color.trim());
  if (hex) return [0, 2, 4].map((i) => parseInt(hex[1].slice(i, i + 2), 16)) as Rgb;
  const rgb = /^rgb\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)$/i.exec(color.trim());
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  return undefined;
}

function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrast(a: string, b: string): number {
  const [la, lb] = [parse(a), parse(b)].map((c) => (c ? luminance(c) : 0));
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

const hex = (c: Rgb) => `#${c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

/** The colour moved toward black or white (whichever is farther from the background) until it reads. */
export function readable(color: string, background: string, minimum = 4.6): string {
  const fg = parse(color);
  const bg = parse(background);
  if (!fg || !bg || contrast(color, background) >= minimum) return color;
  const target: Rgb = luminance(bg) > 0.5 ? [0, 0, 0] : [255, 255, 255];
  for (let t = 0.05; t <= 1; t += 0.05) {
    const mixed = fg.map((v, i) => v + (target[i] - v) * t) as Rgb;
    if (contrast(hex(mixed), background) >= minimum) return hex(mixed);
  }
  return hex(target);
}

export function accessibleTheme(theme: PrismTheme): PrismTheme {
  const background = theme.plain.backgroundColor ?? '#ffffff';
  return {
    plain: { ...theme.plain, color: readable(theme.plain.color ?? '#000000', background) },
    styles: theme.styles.map((s) => ({
      ...s,
      style: { ...s.style, ...(s.style.color ? { color: readable(s.style.color, background) } : {}) },
    })),
  };
}
