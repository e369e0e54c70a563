// Restricted Mode: every setting that names a server or makes a connection is one a workspace
// cannot set until it is trusted. A new such setting without its entry fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const manifest = JSON.parse(
  readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
) as {
  capabilities: {
    untrustedWorkspaces: {
      supported: string;
      description: string;
      restrictedConfigurations: string[];
    };
  };
  contributes: {
    configuration:
      { properties: Record<string, unknown> } | Array<{ properties: Record<string, unknown> }>;
  };
};
const nls = JSON.parse(
  readFileSync(new URL('../../../package.nls.json', import.meta.url), 'utf8'),
) as Record<string, string>;

describe('untrusted workspaces', () => {
  const sections = [manifest.contributes.configuration].flat();
  const keys = sections.flatMap((s) => Object.keys(s.properties));

  it('declares limited support with a description', () => {
    const trust = manifest.capabilities.untrustedWorkspaces;
    expect(trust.supported).toBe('limited');
    const key = /^%(.+)%$/.exec(trust.description)?.[1];
    expect(key ? nls[key] : trust.description).toMatch(/Restricted Mode/);
  });

  it('restricts every *.url, *.apiUrl, *.socketUrl, *.enabled and connectOnStartup', () => {
    const wanted = keys.filter(
      (k) => /\.(url|apiUrl|socketUrl|enabled)$/.test(k) || k === 'streamChat.connectOnStartup',
    );
    expect(wanted.length).toBeGreaterThanOrEqual(10);
    expect(new Set(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations)).toEqual(
      new Set(wanted),
    );
  });
});
