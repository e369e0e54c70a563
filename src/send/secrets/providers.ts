/**
 * Provider credentials recognised by their documented shape: a fixed prefix, an alphabet, a
 * length. These are precise enough to need no context; only documentation placeholders
 * (`ghp_XXXX…`) are let through. Quantifiers are bounded so no input can make them backtrack far.
 */
import type { Candidate, Detector } from './types';
import { classes, entropy, hasPlaceholderRun, looksLikeAlphabet } from './values';

interface ProviderRule {
  readonly kind: string;
  /** Global, with indices (`d`); group 1, when present, is the value. */
  readonly pattern: RegExp;
  /** Documentation placeholders pass unless this is false (the shape alone is the leak, e.g. a webhook URL). */
  readonly placeholders?: false;
  readonly accept?: (value: string) => boolean;
}

/** Decoded JWT header is JSON that names an algorithm or a type. */
function isJwtHeader(value: string): boolean {
  const head = value.slice(0, value.indexOf('.'));
  try {
    const json = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as unknown;
    return typeof json === 'object' && json !== null && ('alg' in json || 'typ' in json);
  } catch {
    return false;
  }
}

const randomEnough = (value: string) =>
  classes(value) >= 2 &&
  entropy(value) >= 3 &&
  !looksLikeAlphabet(value.replace(/^[a-z]+[-_]/, ''));

export const PROVIDER_RULES: readonly ProviderRule[] = [
  {
    kind: 'AWS access key id',
    pattern: /\b((?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16})\b/dg,
  },
  {
    kind: 'AWS secret access key',
    pattern: /aws.{0,20}?(?:secret|key).{0,20}?["'=:\s]([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/dgi,
  },
  { kind: 'GitHub token', pattern: /\b(gh[pousr]_[A-Za-z0-9]{36,251})\b/dg },
  { kind: 'GitHub token', pattern: /\b(github_pat_[A-Za-z0-9_]{22,255})\b/dg },
  {
    kind: 'GitLab token',
    pattern:
      /\b((?:glpat|glrt|gldt|glft|glimt|glptt|glagent|gloas|glsoat|glcbt|glffct|glwt|glrtr)-[A-Za-z0-9_.-]{20,300})/dg,
  },
  { kind: 'GitLab runner token', pattern: /\b(GR1348941[A-Za-z0-9_-]{20,64})/dg },
  { kind: 'Slack token', pattern: /\b(xox[abposer]-[A-Za-z0-9-]{10,250})/dg },
  { kind: 'Slack token', pattern: /\b(xoxe(?:\.xox[bp])?-\d-[A-Za-z0-9-]{40,300})/dg },
  { kind: 'Slack token', pattern: /\b(xapp-\d-[A-Z0-9]{4,20}-\d{4,20}-[a-z0-9]{20,100})\b/dg },
  {
    kind: 'Slack webhook',
    pattern:
      /(https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_]{4,20}\/[A-Za-z0-9_]{4,30}\/[A-Za-z0-9_/]{8,80})/dg,
    placeholders: false,
  },
  { kind: 'Stripe secret key', pattern: /\b((?:sk|rk)_(?:live|test)_[0-9A-Za-z]{10,247})\b/dg },
  { kind: 'Stripe webhook secret', pattern: /\b(whsec_[A-Za-z0-9]{24,64})\b/dg },
  { kind: 'Google API key', pattern: /\b(AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/dg },
  {
    kind: 'Google OAuth client secret',
    pattern: /\b(GOCSPX-[A-Za-z0-9_-]{28})(?![A-Za-z0-9_-])/dg,
  },
  { kind: 'Google OAuth access token', pattern: /\b(ya29\.[0-9A-Za-z_-]{20,500})/dg },
  {
    kind: 'Azure client secret',
    pattern: /(?<![\w~.-])([A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?![\w~.-])/dg,
  },
  {
    kind: 'Twilio API key',
    pattern: /\b(SK[0-9a-fA-F]{32})\b/dg,
    accept: (v) => /\d/.test(v.slice(2)) && /[a-f]/i.test(v.slice(2)),
  },
  {
    kind: 'SendGrid API key',
    pattern: /\b(SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64})(?![A-Za-z0-9_-])/dg,
  },
  { kind: 'npm token', pattern: /\b(npm_[A-Za-z0-9]{36})\b/dg },
  {
    kind: 'PyPI token',
    pattern: /\b(pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{40,1000})/dg,
  },
  {
    kind: 'Discord bot token',
    pattern:
      /(?<![A-Za-z0-9_-])([MNO][A-Za-z0-9_-]{23,25}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38})(?![A-Za-z0-9_-])/dg,
    accept: randomEnough,
  },
  {
    kind: 'Discord webhook',
    pattern:
      /(https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d{15,20}\/[A-Za-z0-9_-]{60,80})/dg,
  },
  { kind: 'Twitch OAuth token', pattern: /\b(oauth:[a-z0-9]{30})\b/dgi },
  { kind: 'Hugging Face token', pattern: /\b((?:hf|api_org)_[A-Za-z]{34})\b/dg },
  { kind: 'DigitalOcean token', pattern: /\b(do[opr]_v1_[a-f0-9]{64})\b/dg },
  {
    kind: 'Anthropic API key',
    pattern: /\b(sk-ant-(?:api|admin|sid)\d{2}-[A-Za-z0-9_-]{80,120})/dg,
  },
  {
    kind: 'OpenAI API key',
    pattern:
      /\b(sk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{16,200}T3BlbkFJ[A-Za-z0-9_-]{16,200})/dg,
  },
  {
    kind: 'OpenAI-style API key',
    pattern: /(?<![A-Za-z0-9_-])(sk-(?!ant-)[A-Za-z0-9_-]{32,200})(?![A-Za-z0-9_-])/dg,
    accept: randomEnough,
  },
  { kind: 'Shopify token', pattern: /\b(shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})\b/dg },
  { kind: 'Mailgun API key', pattern: /\b(key-[0-9a-f]{32})\b/dg },
  {
    kind: 'JSON Web Token',
    pattern: /\b(eyJ[A-Za-z0-9_-]{8,2000}\.eyJ[A-Za-z0-9_-]{8,4000}\.[A-Za-z0-9_-]{0,1000})/dg,
    accept: isJwtHeader,
  },
];

export const findProviderKeys: Detector = function* (text: string): Iterable<Candidate> {
  for (const rule of PROVIDER_RULES) {
    rule.pattern.lastIndex = 0;
    for (let m = rule.pattern.exec(text); m; m = rule.pattern.exec(text)) {
      const span = m.indices?.[1] ?? [m.index, m.index + m[0].length];
      const value = text.slice(span[0], span[1]);
      const body = value.replace(/^[A-Za-z]{1,10}[_-](?:v1_|live_|test_)?/, '');
      if (rule.placeholders !== false && hasPlaceholderRun(body)) continue;
      if (rule.accept && !rule.accept(value)) continue;
      yield { kind: rule.kind, at: m.index, start: span[0], end: span[1] };
    }
  }
};
