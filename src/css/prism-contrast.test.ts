import { themes } from 'prism-react-renderer';
import { describe, expect, it } from 'vitest';
import { accessibleTheme, contrast, readable } from './prism-contrast.ts';

describe('accessibleTheme', () => {
  it('computes WCAG contrast', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#d73a49', '#f6f8fa')).toBeLessThan(4.5);
  });

  it('keeps colours that already read and fixes the ones that do not', () => {
    expect(readable('#393A34', '#f6f8fa')).toBe('#393A34');
    expect(contrast(readable('#d73a49', '#f6f8fa'), '#f6f8fa')).toBeGreaterThanOrEqual(4.5);
    expect(contrast(readable('rgb(98, 114, 164)', '#282A36'), '#282A36')).toBeGreaterThanOrEqual(4.5);
  });

  it('leaves no token colour below 4.5:1 in the site themes', () => {
    for (const theme of [themes.github, themes.dracula].map(accessibleTheme)) {
      const bg = theme.plain.backgroundColor!;
      for (const s of theme.styles)
        if (s.style.color) expect(contrast(s.style.color, bg)).toBeGreaterThanOrEqual(4.5);
    }
  });
});
