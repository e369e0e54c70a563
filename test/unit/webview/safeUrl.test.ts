import { describe, expect, it } from 'vitest';
import { safeImageUrl, safeLinkUrl } from '../../../webview/render/safeUrl';

describe('URL checks', () => {
  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    '//evil.test/x',
    'https:',
    '',
    'https://exa mple.test',
  ])('refuses %j as a link', (url) => {
    expect(safeLinkUrl(url)).toBeUndefined();
  });

  it('accepts http and https links', () => {
    expect(safeLinkUrl('https://glimesh.tv/codercat')).toBe('https://glimesh.tv/codercat');
    expect(safeLinkUrl('http://example.test/a?b=c')).toBe('http://example.test/a?b=c');
  });

  it('accepts only https images', () => {
    expect(
      safeImageUrl('https://static-cdn.jtvnw.net/emoticons/v2/25/default/dark/1.0'),
    ).toBeDefined();
    expect(safeImageUrl('http://example.test/emote.png')).toBeUndefined();
    expect(safeImageUrl('data:image/png;base64,AAAA')).toBeUndefined();
  });

  it('percent-encodes quotes so a URL cannot break out of CSS url("…")', () => {
    expect(safeImageUrl('https://x.test/a"),url(https://evil.test/b')).not.toContain('"');
  });
});
