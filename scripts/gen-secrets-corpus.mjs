// `node scripts/gen-secrets-corpus.mjs`: writes test/fixtures/secrets/corpus.json, the snippets the
// secret guard is measured on (scripts/eval-secrets.mjs, bench/secrets.ts, the corpus unit test).
// Every value is generated here from a fixed seed in the documented shape of its format (prefix,
// length, alphabet, checksum where the format has one); none is a real credential. Half the
// snippets hold a secret (`expect: 'secret'`, with `value`, the part a mask must cover), half are
// ordinary code a streamer selects every day that must pass (`expect: 'clean'`).
// Re-running it gives the same file byte for byte.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

// mulberry32: small, seedable, good enough for test data.
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(20261201);
const pick = (list) => list[Math.floor(random() * list.length)];
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const BASE62 = DIGITS + UPPER + LOWER;
const ALNUM = UPPER + LOWER + DIGITS;
const HEX = '0123456789abcdef';
const chars = (alphabet, n) =>
  Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
const hex = (n) => chars(HEX, n);
const b64 = (bytes) =>
  Buffer.from(Array.from({ length: bytes }, () => int(0, 255))).toString('base64');
const b64url = (bytes) =>
  Buffer.from(Array.from({ length: bytes }, () => int(0, 255))).toString('base64url');
const uuid = () =>
  `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
const lines = (s, width = 64) => s.match(new RegExp(`.{1,${width}}`, 'g')).join('\n');
const word = () =>
  pick([
    'orbit',
    'maple',
    'falcon',
    'ember',
    'quartz',
    'nimbus',
    'cobalt',
    'tundra',
    'velvet',
    'harbor',
    'pixel',
    'lumen',
  ]);
const user = () =>
  pick(['admin', 'deploy', 'app_user', 'svc-api', 'streamer', 'root', 'ci', 'backend']);
const host = () =>
  pick([
    'db.internal',
    'prod-db-1.example.com',
    '10.0.3.12',
    'cluster0.ab1cd.mongodb.net',
    'cache.prod.local',
    'mq.example.org',
  ]);
/** Passwords as people pick them: words, digits, symbols. */
const password = () =>
  pick([
    () => `${word()}${int(10, 9999)}${pick(['!', '#', '$', '%', '&', '*', '?'])}${pick(UPPER)}`,
    () => `${pick(UPPER)}${word()}-${word()}-${int(1, 99)}`,
    () => chars(ALNUM + '!@#%^*_-', int(12, 20)),
    () => `${word()}${pick(['_', '.', '@'])}${word()}${int(1990, 2026)}`,
  ])();

// CRC32 (IEEE), for the checksummed token formats (GitHub's and npm's `prefix_` + 30 random base62 + 6 of checksum).
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(s) {
  let c = 0xffffffff;
  for (const byte of Buffer.from(s, 'utf8')) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function base62(n, width) {
  let s = '';
  do {
    s = BASE62[n % 62] + s;
    n = Math.floor(n / 62);
  } while (n > 0);
  return s.padStart(width, '0');
}
const checksummed = (prefix) => {
  const body = chars(BASE62, 30);
  return `${prefix}${body}${base62(crc32(body), 6)}`;
};

// ---- the shapes of each provider's credentials ----------------------------------------------
const gen = {
  awsId: () => `${pick(['AKIA', 'AKIA', 'ASIA', 'AROA', 'AIDA'])}${chars(UPPER + '234567', 16)}`,
  awsSecret: () => chars(ALNUM + '+/', 40),
  github: (prefix) => checksummed(prefix),
  githubPat: () => `github_pat_11${chars(UPPER + DIGITS, 20)}_${chars(ALNUM, 59)}`,
  gitlab: (prefix) => `${prefix}${chars(ALNUM + '-_', 20)}`,
  slackBot: () => `xoxb-${int(1e11, 9e11)}-${int(1e12, 9e12)}-${chars(ALNUM, 24)}`,
  slackUser: () => `xoxp-${int(1e11, 9e11)}-${int(1e11, 9e11)}-${int(1e12, 9e12)}-${hex(32)}`,
  slackApp: () => `xapp-1-A${chars(UPPER + DIGITS, 10)}-${int(1e12, 9e12)}-${hex(64)}`,
  slackHook: () =>
    `https://hooks.slack.com/services/T${chars(UPPER + DIGITS, 10)}/B${chars(UPPER + DIGITS, 10)}/${chars(ALNUM, 24)}`,
  stripe: (prefix) => `${prefix}${chars(ALNUM, 24)}`,
  stripeLong: (prefix) => `${prefix}51${chars(ALNUM, 97)}`,
  google: () => `AIza${chars(ALNUM + '-_', 35)}`,
  googleOauth: () => `GOCSPX-${chars(ALNUM + '-_', 28)}`,
  azureKey: () => b64(64),
  azureSasKey: () => b64(32),
  azureSig: () => encodeURIComponent(b64(32)),
  azureAdSecret: () => `${chars(ALNUM, 3)}${int(0, 9)}Q~${chars(ALNUM + '_~.-', 34)}`,
  twilioKey: () => `SK${hex(32)}`,
  twilioSid: () => `AC${hex(32)}`,
  sendgrid: () => `SG.${chars(ALNUM + '-_', 22)}.${chars(ALNUM + '-_', 43)}`,
  npm: () => checksummed('npm_'),
  pypi: () => `pypi-AgEIcHlwaS5vcmc${b64url(int(60, 90))}`,
  discordBot: () =>
    `${pick(['M', 'N', 'O'])}${chars(ALNUM, 25)}.${chars(ALNUM + '-_', 6)}.${chars(ALNUM + '-_', 38)}`,
  discordHook: () =>
    `https://discord.com/api/webhooks/${int(1e17, 9e17)}/${chars(ALNUM + '-_', 68)}`,
  twitch: () => chars(LOWER + DIGITS, 30),
  hf: () => `hf_${chars(UPPER + LOWER, 34)}`,
  digitalocean: (prefix) => `${prefix}${hex(64)}`,
  openaiProj: () => `sk-proj-${chars(ALNUM + '-_', 74)}T3BlbkFJ${chars(ALNUM + '-_', 74)}`,
  openaiLegacy: () => `sk-${chars(ALNUM, 20)}T3BlbkFJ${chars(ALNUM, 20)}`,
  anthropic: () => `sk-ant-api03-${chars(ALNUM + '-_', 93)}AA`,
  jwt: () => {
    const header = Buffer.from(
      JSON.stringify({ alg: pick(['HS256', 'RS256', 'ES256']), typ: 'JWT' }),
    ).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({
        sub: String(int(1000, 99999)),
        name: word(),
        iat: int(1.6e9, 1.8e9),
        exp: int(1.8e9, 1.9e9),
      }),
    ).toString('base64url');
    return `${header}.${payload}.${b64url(32)}`;
  },
  opaque: (n = 40) => chars(ALNUM, n),
};

function pem(label, bytes) {
  const lead =
    {
      'RSA PRIVATE KEY': 'MIIEpAIBAAKCAQEA',
      'PRIVATE KEY': 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
      'EC PRIVATE KEY': 'MHcCAQEEI',
      'DSA PRIVATE KEY': 'MIIBuwIBAAKBgQ',
      'ENCRYPTED PRIVATE KEY': 'MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkq',
      'OPENSSH PRIVATE KEY': 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB',
    }[label] ?? '';
  const body = lines(lead + b64(bytes));
  return { text: `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----`, value: body };
}

const corpus = [];
const counters = new Map();
function add(kind, expect, text, value) {
  const n = (counters.get(kind) ?? 0) + 1;
  counters.set(kind, n);
  if (expect === 'secret' && (!value || !text.includes(value)))
    throw new Error(`${kind} #${n}: value not in text`);
  corpus.push({
    id: `${expect}/${kind}/${n}`,
    kind,
    expect,
    text,
    ...(expect === 'secret' ? { value } : {}),
  });
}
const secret = (kind, make, times = 1) => {
  for (let i = 0; i < times; i++) {
    const { text, value } = make();
    add(kind, 'secret', text, value);
  }
};
const clean = (kind, texts) =>
  texts.forEach((t) => add(kind, 'clean', typeof t === 'function' ? t() : t));
/** A snippet around one value: `template` gets the value and returns the text. */
const around = (value, template) => ({ text: template(value), value });

// ================================ secrets ====================================================
// Private keys, every armour a streamer might have open: PEM (PKCS#1, PKCS#8, EC, DSA, encrypted),
// OpenSSH, PGP, PuTTY; whole blocks, the body without its END line, in code and in JSON.
for (const label of [
  'RSA PRIVATE KEY',
  'PRIVATE KEY',
  'EC PRIVATE KEY',
  'DSA PRIVATE KEY',
  'ENCRYPTED PRIVATE KEY',
  'OPENSSH PRIVATE KEY',
]) {
  secret('private-key', () => pem(label, int(300, 900)));
}
secret('private-key', () => {
  const body = lines(b64(600));
  return {
    text: `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,${hex(32).toUpperCase()}\n\n${body}\n-----END RSA PRIVATE KEY-----`,
    value: body,
  };
});
secret('private-key', () => {
  const body = lines(`lQOYBGV${b64(700)}`);
  return {
    text: `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${body}\n=${b64(3)}\n-----END PGP PRIVATE KEY BLOCK-----`,
    value: body,
  };
});
secret('private-key', () => {
  const body = lines(`lFgEZ${b64(200)}`);
  return {
    text: `-----BEGIN PGP PRIVATE KEY BLOCK-----\nComment: ${word()} signing key\n\n${body}\n-----END PGP PRIVATE KEY BLOCK-----`,
    value: body,
  };
});
for (const [version, algo] of [
  ['2', 'ssh-rsa'],
  ['3', 'ssh-ed25519'],
]) {
  secret('private-key', () => {
    const priv = lines(b64(algo === 'ssh-rsa' ? 660 : 48));
    return {
      text: `PuTTY-User-Key-File-${version}: ${algo}\nEncryption: none\nComment: ${algo}-key-2024${int(1000, 1231)}\nPublic-Lines: 2\n${lines('AAAAC3NzaC1lZDI1NTE5AAAAI' + b64(40))}\nPrivate-Lines: ${priv.split('\n').length}\n${priv}\nPrivate-MAC: ${hex(64)}`,
      value: priv,
    };
  });
}
secret('private-key', () => {
  // A selection that starts at the header and stops before the END line.
  const body = lines('MIIEowIBAAKCAQEA' + b64(400));
  return { text: `-----BEGIN RSA PRIVATE KEY-----\n${body}`, value: body };
});
secret('private-key', () => {
  const body = lines('MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg' + b64(80));
  return {
    text: `const signingKey = \`-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\`;`,
    value: body,
  };
});
secret('private-key', () => {
  const body = ('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC' + b64(500)).match(/.{1,64}/g).join('\\n');
  return {
    text: `  "private_key": "-----BEGIN PRIVATE KEY-----\\n${body}\\n-----END PRIVATE KEY-----\\n",`,
    value: body,
  };
});
secret('private-key', () => {
  const body = lines(
    'b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABD' + b64(300),
    70,
  );
  return {
    text: `$ cat ~/.ssh/id_ed25519\n-----BEGIN OPENSSH PRIVATE KEY-----\n${body}\n-----END OPENSSH PRIVATE KEY-----`,
    value: body,
  };
});
secret('private-key', () => {
  const body = lines('MHQCAQEEIB' + b64(90));
  return {
    text: `ssl:\n  key: |\n    -----BEGIN EC PRIVATE KEY-----\n    ${body.split('\n').join('\n    ')}\n    -----END EC PRIVATE KEY-----`,
    value: body.split('\n').join('\n    '),
  };
});

// AWS
secret('aws', () => around(gen.awsId(), (v) => `const accessKeyId = '${v}';`));
secret('aws', () => around(gen.awsId(), (v) => `AWS_ACCESS_KEY_ID=${v}`));
secret('aws', () =>
  around(
    gen.awsSecret(),
    (v) => `[default]\naws_access_key_id = ${gen.awsId()}\naws_secret_access_key = ${v}`,
  ),
);
secret('aws', () => around(gen.awsSecret(), (v) => `AWS_SECRET_ACCESS_KEY="${v}"`));
secret('aws', () =>
  around(
    gen.awsSecret(),
    (v) => `s3 = boto3.client("s3", aws_access_key_id=KEY_ID, aws_secret_access_key="${v}")`,
  ),
);
secret('aws', () => around(gen.awsId(), (v) => `  "AccessKeyId": "${v}",`));
secret('aws', () =>
  around(
    gen.awsSecret(),
    (v) =>
      `new S3Client({ region: 'us-east-1', credentials: { accessKeyId: process.env.AWS_KEY_ID!, secretAccessKey: '${v}' } });`,
  ),
);
secret('aws', () => around(gen.awsId(), (v) => `aws configure set aws_access_key_id ${v}`));

// GitHub: every prefix (classic PAT, OAuth, user-to-server, server-to-server, refresh) and fine-grained PATs.
for (const prefix of ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'])
  secret('github', () =>
    around(gen.github(prefix), (v) =>
      pick([
        `GITHUB_TOKEN=${v}`,
        `const octokit = new Octokit({ auth: "${v}" });`,
        `git clone https://${v}@github.com/acme/app.git`,
        `Authorization: token ${v}`,
      ]),
    ),
  );
secret('github', () => around(gen.githubPat(), (v) => `gh auth login --with-token <<< ${v}`));
secret('github', () => around(gen.githubPat(), (v) => `token = "${v}"`));
secret('github', () => around(gen.github('ghp_'), (v) => `//npm.pkg.github.com/:_authToken=${v}`));

// GitLab, runner tokens included.
for (const prefix of ['glpat-', 'glrt-', 'GR1348941', 'gldt-', 'glptt-', 'glft-', 'glimt-']) {
  secret('gitlab', () =>
    around(gen.gitlab(prefix), (v) =>
      pick([
        `GITLAB_TOKEN=${v}`,
        `  token = "${v}"`,
        `gitlab-runner register --url https://gitlab.com/ --registration-token ${v}`,
        `curl --header "PRIVATE-TOKEN: ${v}" https://gitlab.com/api/v4/projects`,
      ]),
    ),
  );
}
secret('gitlab', () =>
  around(
    gen.gitlab('glrt-t1_'),
    (v) =>
      `[[runners]]\n  name = "build-01"\n  url = "https://gitlab.example.com"\n  token = "${v}"\n  executor = "docker"`,
  ),
);

// Slack: tokens of every kind and webhooks.
secret('slack', () => around(gen.slackBot(), (v) => `const slack = new WebClient('${v}');`));
secret('slack', () => around(gen.slackBot(), (v) => `SLACK_BOT_TOKEN=${v}`));
secret('slack', () => around(gen.slackUser(), (v) => `slack_token = "${v}"`));
secret('slack', () => around(gen.slackApp(), (v) => `app_token: ${v}`));
secret('slack', () =>
  around(
    gen.slackHook(),
    (v) => `curl -X POST -H 'Content-type: application/json' --data '{"text":"deployed"}' ${v}`,
  ),
);
secret('slack', () => around(gen.slackHook(), (v) => `WEBHOOK_URL = "${v}"`));
secret('slack', () =>
  around(
    `https://hooks.slack.com/workflows/T${chars(UPPER + DIGITS, 10)}/A${chars(UPPER + DIGITS, 10)}/${int(1e17, 9e17)}/${chars(ALNUM, 24)}`,
    (v) => `await fetch("${v}", { method: "POST", body });`,
  ),
);
secret('slack', () => around(`xoxe.xoxp-1-${chars(ALNUM, 140)}`, (v) => `refresh_token: '${v}'`));

// Stripe
secret('stripe', () =>
  around(gen.stripe('sk_live_'), (v) => `const stripe = require('stripe')('${v}');`),
);
secret('stripe', () => around(gen.stripeLong('sk_live_'), (v) => `STRIPE_SECRET_KEY=${v}`));
secret('stripe', () => around(gen.stripe('rk_live_'), (v) => `stripe.api_key = "${v}"`));
secret('stripe', () => around(gen.stripe('sk_test_'), (v) => `Stripe.apiKey = "${v}";`));
secret('stripe', () =>
  around(`whsec_${chars(ALNUM, 32)}`, (v) => `const endpointSecret = "${v}";`),
);
secret('stripe', () =>
  around(gen.stripeLong('rk_test_'), (v) => `curl https://api.stripe.com/v1/charges -u ${v}:`),
);

// Google: API keys, OAuth client secrets, service-account JSON.
secret('google', () =>
  around(
    gen.google(),
    (v) =>
      `const firebaseConfig = { apiKey: "${v}", authDomain: "${word()}-app.firebaseapp.com" };`,
  ),
);
secret('google', () =>
  around(
    gen.google(),
    (v) => `https://maps.googleapis.com/maps/api/geocode/json?address=Paris&key=${v}`,
  ),
);
secret('google', () => around(gen.google(), (v) => `GOOGLE_API_KEY=${v}`));
secret('google', () =>
  around(
    gen.googleOauth(),
    (v) =>
      `{"web":{"client_id":"${int(1e11, 9e11)}-${chars(LOWER + DIGITS, 32)}.apps.googleusercontent.com","client_secret":"${v}"}}`,
  ),
);
secret('google', () =>
  around(`ya29.a0${chars(ALNUM + '-_', 120)}`, (v) => `headers = {"Authorization": "Bearer ${v}"}`),
);
for (let i = 0; i < 3; i++) {
  secret('google', () => {
    const body = ('MIIEvgIBADANBgkqhkiG9w0BAQEFAASC' + b64(400)).match(/.{1,64}/g).join('\\n');
    const project = `${word()}-${int(100000, 999999)}`;
    return {
      text: `{\n  "type": "service_account",\n  "project_id": "${project}",\n  "private_key_id": "${hex(40)}",\n  "private_key": "-----BEGIN PRIVATE KEY-----\\n${body}\\n-----END PRIVATE KEY-----\\n",\n  "client_email": "deployer@${project}.iam.gserviceaccount.com",\n  "client_id": "${int(1e20, 9e20)}"\n}`,
      value: body,
    };
  });
}

// Azure: storage and Service Bus connection strings, SAS signatures, Entra client secrets.
secret('azure', () =>
  around(
    gen.azureKey(),
    (v) =>
      `DefaultEndpointsProtocol=https;AccountName=${word()}store;AccountKey=${v};EndpointSuffix=core.windows.net`,
  ),
);
secret('azure', () =>
  around(
    gen.azureKey(),
    (v) =>
      `"AzureWebJobsStorage": "DefaultEndpointsProtocol=https;AccountName=fn${word()};AccountKey=${v}",`,
  ),
);
secret('azure', () =>
  around(
    gen.azureSasKey(),
    (v) =>
      `Endpoint=sb://${word()}-bus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${v}`,
  ),
);
secret('azure', () =>
  around(
    gen.azureSig(),
    (v) =>
      `https://${word()}store.blob.core.windows.net/uploads?sv=2022-11-02&ss=b&srt=sco&sp=rwdlac&se=2026-12-31T00:00:00Z&st=2026-01-01T00:00:00Z&spr=https&sig=${v}`,
  ),
);
secret('azure', () =>
  around(
    gen.azureSig(),
    (v) =>
      `const sasUrl = \`\${container}/report.pdf?sp=r&st=2026-03-01&se=2026-03-02&spr=https&sv=2022-11-02&sr=b&sig=${v}\`;`,
  ),
);
secret('azure', () => around(gen.azureAdSecret(), (v) => `AZURE_CLIENT_SECRET=${v}`));
secret('azure', () =>
  around(
    gen.azureAdSecret(),
    (v) => `credential = ClientSecretCredential(tenant_id, client_id, "${v}")`,
  ),
);
secret('azure', () =>
  around(
    gen.azureKey(),
    (v) =>
      `az storage blob upload --account-name ${word()}store --account-key ${v} -f out.zip -c builds`,
  ),
);

// Twilio
secret('twilio', () => around(gen.twilioKey(), (v) => `TWILIO_API_KEY=${v}`));
secret('twilio', () => around(hex(32), (v) => `TWILIO_AUTH_TOKEN=${v}`));
secret('twilio', () => around(hex(32), (v) => `client = Client("${gen.twilioSid()}", "${v}")`));
secret('twilio', () =>
  around(hex(32), (v) => `const twilio = require('twilio')(accountSid, '${v}');`),
);

// SendGrid
secret('sendgrid', () => around(gen.sendgrid(), (v) => `sgMail.setApiKey('${v}');`));
secret('sendgrid', () => around(gen.sendgrid(), (v) => `SENDGRID_API_KEY=${v}`));
secret('sendgrid', () => around(gen.sendgrid(), (v) => `sg = SendGridAPIClient("${v}")`));

// npm
secret('npm', () => around(gen.npm(), (v) => `//registry.npmjs.org/:_authToken=${v}`));
secret('npm', () => around(gen.npm(), (v) => `NPM_TOKEN=${v}`));
secret('npm', () =>
  around(gen.npm(), (v) => `echo "//registry.npmjs.org/:_authToken=${v}" > ~/.npmrc`),
);
secret('npm', () =>
  around(
    Buffer.from(`${user()}:${password()}`).toString('base64'),
    (v) => `registry=https://npm.example.com/\n_auth=${v}\nalways-auth=true`,
  ),
);

// PyPI
secret('pypi', () =>
  around(gen.pypi(), (v) => `[pypi]\n  username = __token__\n  password = ${v}`),
);
secret('pypi', () => around(gen.pypi(), (v) => `twine upload -u __token__ -p ${v} dist/*`));
secret('pypi', () => around(gen.pypi(), (v) => `TWINE_PASSWORD=${v}`));

// Discord
secret('discord', () => around(gen.discordBot(), (v) => `client.login('${v}');`));
secret('discord', () => around(gen.discordBot(), (v) => `bot.run("${v}")`));
secret('discord', () => around(gen.discordBot(), (v) => `DISCORD_TOKEN=${v}`));
secret('discord', () =>
  around(gen.discordHook(), (v) => `const hook = new WebhookClient({ url: '${v}' });`),
);
secret('discord', () =>
  around(gen.discordHook(), (v) => `requests.post("${v}", json={"content": "stream is live"})`),
);

// Twitch
secret('twitch', () => around(`oauth:${gen.twitch()}`, (v) => `PASS ${v}`));
secret('twitch', () =>
  around(
    `oauth:${gen.twitch()}`,
    (v) =>
      `const client = new tmi.Client({ identity: { username: 'mybot', password: '${v}' }, channels: ['me'] });`,
  ),
);
secret('twitch', () => around(gen.twitch(), (v) => `TWITCH_CLIENT_SECRET=${v}`));
secret('twitch', () => around(gen.twitch(), (v) => `twitch_access_token = "${v}"`));
secret('twitch', () =>
  around(
    gen.twitch(),
    (v) =>
      `curl -H "Authorization: Bearer ${v}" -H "Client-Id: ${gen.twitch()}" https://api.twitch.tv/helix/users`,
  ),
);

// Hugging Face
secret('huggingface', () => around(gen.hf(), (v) => `HF_TOKEN=${v}`));
secret('huggingface', () => around(gen.hf(), (v) => `login(token="${v}")`));
secret('huggingface', () =>
  around(gen.hf(), (v) => `pipe = pipeline("text-generation", model=model_id, token="${v}")`),
);
secret('huggingface', () =>
  around(`api_org_${chars(UPPER + LOWER, 34)}`, (v) => `huggingface-cli login --token ${v}`),
);

// DigitalOcean
secret('digitalocean', () => around(gen.digitalocean('dop_v1_'), (v) => `DIGITALOCEAN_TOKEN=${v}`));
secret('digitalocean', () =>
  around(gen.digitalocean('dop_v1_'), (v) => `doctl auth init --access-token ${v}`),
);
secret('digitalocean', () =>
  around(gen.digitalocean('doo_v1_'), (v) => `provider "digitalocean" {\n  token = "${v}"\n}`),
);
secret('digitalocean', () => around(gen.digitalocean('dor_v1_'), (v) => `refresh: '${v}'`));

// OpenAI- and Anthropic-style keys
secret('openai', () => around(gen.openaiProj(), (v) => `OPENAI_API_KEY=${v}`));
secret('openai', () =>
  around(gen.openaiProj(), (v) => `const openai = new OpenAI({ apiKey: '${v}' });`),
);
secret('openai', () => around(gen.openaiLegacy(), (v) => `openai.api_key = "${v}"`));
secret('openai', () => around(gen.openaiLegacy(), (v) => `client = OpenAI("${v}")`));
secret('openai', () =>
  around(
    `sk-svcacct-${chars(ALNUM + '-_', 74)}T3BlbkFJ${chars(ALNUM + '-_', 74)}`,
    (v) => `headers: { Authorization: "Bearer ${v}" }`,
  ),
);
secret('anthropic', () => around(gen.anthropic(), (v) => `ANTHROPIC_API_KEY=${v}`));
secret('anthropic', () =>
  around(gen.anthropic(), (v) => `client = anthropic.Anthropic(api_key="${v}")`),
);
secret('anthropic', () =>
  around(gen.anthropic(), (v) => `curl https://api.anthropic.com/v1/messages -H "x-api-key: ${v}"`),
);

// JWTs
secret('jwt', () => around(gen.jwt(), (v) => `const token = "${v}";`));
secret('jwt', () => around(gen.jwt(), (v) => `Authorization: Bearer ${v}`));
secret('jwt', () => around(gen.jwt(), (v) => `localStorage.setItem('session', '${v}');`));
secret('jwt', () => around(gen.jwt(), (v) => `{ "id_token": "${v}", "expires_in": 3600 }`));
secret('jwt', () =>
  around(gen.jwt(), (v) => `curl https://api.example.com/me --cookie "jwt=${v}"`),
);

// Authorization headers and curl -u
secret('auth-header', () => around(gen.opaque(40), (v) => `Authorization: Bearer ${v}`));
secret('auth-header', () =>
  around(
    gen.opaque(32),
    (v) => `curl -H "Authorization: Bearer ${v}" https://api.example.com/v2/items`,
  ),
);
secret('auth-header', () =>
  around(
    Buffer.from(`${user()}:${password()}`).toString('base64'),
    (v) => `Authorization: Basic ${v}`,
  ),
);
secret('auth-header', () =>
  around(
    Buffer.from(`${user()}:${password()}`).toString('base64'),
    (v) => `headers.set("Authorization", "Basic ${v}");`,
  ),
);
secret('auth-header', () =>
  around(password(), (v) => `curl -u ${user()}:${v} https://ci.example.com/api/json`),
);
secret('auth-header', () =>
  around(
    password(),
    (v) => `curl --user "${user()}:${v}" -X POST https://registry.example.com/v2/token`,
  ),
);
secret('auth-header', () =>
  around(gen.opaque(36), (v) => `fetch(url, { headers: { 'Authorization': 'Bearer ${v}' } })`),
);
secret('auth-header', () =>
  around(
    chars(LOWER + DIGITS, 40),
    (v) => `http GET https://api.example.com/jobs "Authorization:Token ${v}"`,
  ),
);
secret('auth-header', () => around(gen.opaque(32), (v) => `X-Api-Key: ${v}`));
secret('auth-header', () => around(chars(HEX, 32), (v) => `  -H 'X-Auth-Token: ${v}' \\`));

// Passwords in connection URLs
for (const scheme of [
  'postgres',
  'postgresql',
  'mongodb+srv',
  'mongodb',
  'redis',
  'rediss',
  'amqp',
  'amqps',
  'mysql',
  'ftp',
  'sftp',
  'mssql',
]) {
  secret('connection-url', () =>
    around(password().replace(/[@:/?#%]/g, '9'), (v) =>
      pick([
        `DATABASE_URL=${scheme}://${user()}:${v}@${host()}:5432/app`,
        `const url = "${scheme}://${user()}:${v}@${host()}/main";`,
        `  url: ${scheme}://${user()}:${v}@${host()}`,
        `engine = create_engine("${scheme}://${user()}:${v}@${host()}/analytics")`,
      ]),
    ),
  );
}
secret('connection-url', () =>
  around(password().replace(/[@:/?#%]/g, '9'), (v) => `REDIS_URL=redis://:${v}@${host()}:6379/0`),
);
secret('connection-url', () =>
  around(
    password().replace(/[;=]/g, '9'),
    (v) =>
      `"ConnectionStrings": { "Default": "Server=${host()};Database=app;User Id=sa;Password=${v};" }`,
  ),
);
secret('connection-url', () =>
  around(
    password().replace(/[&=]/g, '9'),
    (v) => `jdbc:postgresql://${host()}:5432/app?user=${user()}&password=${v}`,
  ),
);

// Assignments in every language a streamer writes.
const pw = () => password();
const sec = () => pick([gen.opaque(int(24, 48)), hex(int(32, 64)), b64(int(24, 40)), password()]);
secret('assignment', () => around(pw(), (v) => `const password = "${v}";`));
secret('assignment', () => around(pw(), (v) => `let dbPassword: string = '${v}';`));
secret('assignment', () => around(sec(), (v) => `export const API_KEY = '${v}';`));
secret('assignment', () =>
  around(sec(), (v) => `const config = {\n  host: 'localhost',\n  apiKey: '${v}',\n};`),
);
secret('assignment', () => around(sec(), (v) => `this.clientSecret = "${v}";`));
secret('assignment', () => around(pw(), (v) => `password = "${v}"`));
secret('assignment', () => around(pw(), (v) => `    password: str = "${v}"`));
secret('assignment', () => around(sec(), (v) => `SECRET_KEY = '${v}'`));
secret('assignment', () =>
  around(
    `django-insecure-${chars(LOWER + DIGITS + '!@#$%^&*(-_=+)', 50)}`,
    (v) => `DJANGO_SECRET_KEY = "${v}"`,
  ),
);
secret('assignment', () =>
  around(pw(), (v) => `conn = psycopg2.connect(host="db", user="app", password="${v}")`),
);
secret('assignment', () => around(sec(), (v) => `settings = Settings(api_key="${v}")`));
secret('assignment', () => around(pw(), (v) => `password := "${v}"`));
secret('assignment', () => around(sec(), (v) => `const apiToken = "${v}"`));
secret('assignment', () => around(sec(), (v) => `var clientSecret string = "${v}"`));
secret('assignment', () => around(pw(), (v) => `config.password = '${v}'`));
secret('assignment', () => around(pw(), (v) => `  password: '${v}',`));
secret('assignment', () => around(pw(), (v) => `'password' => '${v}',`));
secret('assignment', () => around(pw(), (v) => `define('DB_PASSWORD', '${v}');`));
secret('assignment', () => around(pw(), (v) => `$password = "${v}";`));
secret('assignment', () => around(sec(), (v) => `  :api_key => "${v}",`));
secret('assignment', () =>
  around(pw(), (v) => `database:\n  host: db\n  username: app\n  password: ${v}`),
);
secret('assignment', () => around(pw(), (v) => `spring:\n  datasource:\n    password: "${v}"`));
secret('assignment', () => around(sec(), (v) => `{\n  "name": "worker",\n  "apiKey": "${v}"\n}`));
secret('assignment', () => around(pw(), (v) => `  "password": "${v}",`));
secret('assignment', () => around(sec(), (v) => `[server]\nport = 8080\nsecret_key = "${v}"`));
secret('assignment', () => around(pw(), (v) => `[database]\npassword = '${v}'`));
secret('assignment', () => around(pw(), (v) => `DB_PASSWORD=${v}`));
secret('assignment', () => around(sec(), (v) => `export API_SECRET=${v}`));
secret('assignment', () => around(sec(), (v) => `JWT_SECRET="${v}"`));
secret('assignment', () => around(pw(), (v) => `ENV POSTGRES_PASSWORD=${v}`));
secret('assignment', () => around(sec(), (v) => `ENV API_TOKEN ${v}`));
secret('assignment', () => around(pw(), (v) => `pass = "${v}"`));
secret('assignment', () => around(pw(), (v) => `passwd: ${v}`));
secret('assignment', () => around(pw(), (v) => `pwd = '${v}'`));
secret('assignment', () => around(pw(), (v) => `if (password === "${v}") {\n  grantAccess();\n}`));
secret('assignment', () => around(sec(), (v) => `if token == "${v}":\n    return True`));
secret('assignment', () => around(pw(), (v) => `user.setPassword("${v}");`));
secret('assignment', () => around(pw(), (v) => `await page.fill('#password', '${v}');`));
secret('assignment', () => around(pw(), (v) => `mysql -u root -p${v} -h 127.0.0.1 app`));
secret('assignment', () =>
  around(pw(), (v) => `docker login -u ${user()} --password ${v} registry.example.com`),
);
secret('assignment', () => around(pw(), (v) => `sshpass -p '${v}' ssh deploy@10.0.0.5`));
secret('assignment', () => around(sec(), (v) => `os.environ["API_KEY"] = "${v}"`));
secret('assignment', () => around(sec(), (v) => `process.env.SESSION_SECRET = '${v}';`));
secret('assignment', () => around(pw(), (v) => `<add key="SmtpPassword" value="${v}" />`));
secret('assignment', () => around(pw(), (v) => `spring.datasource.password=${v}`));
secret('assignment', () => around(sec(), (v) => `app.config['SECRET_KEY'] = '${v}'`));
secret('assignment', () => around(pw(), (v) => `new Credentials("${user()}", "${v}")`));
secret('assignment', () => around(sec(), (v) => `encryption_key: "${v}"`));
secret('assignment', () => around(pw(), (v) => `passphrase = "${v}"`));
secret('assignment', () => around(sec(), (v) => `webhookSecret: '${v}',`));
secret('assignment', () =>
  around(sec(), (v) => `private static final String ACCESS_TOKEN = "${v}";`),
);
secret('assignment', () => around(sec(), (v) => `let auth_token = String::from("${v}");`));

// Kubernetes Secret data (base64 of the value) and stringData.
secret('k8s-secret', () =>
  around(
    Buffer.from(password()).toString('base64'),
    (v) =>
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-credentials\ntype: Opaque\ndata:\n  username: ${Buffer.from('app').toString('base64')}\n  password: ${v}`,
  ),
);
secret('k8s-secret', () =>
  around(
    Buffer.from(gen.opaque(32)).toString('base64'),
    (v) => `kind: Secret\ndata:\n  api-token: ${v}`,
  ),
);
secret('k8s-secret', () =>
  around(
    password(),
    (v) =>
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\nstringData:\n  DB_PASSWORD: "${v}"`,
  ),
);
secret('k8s-secret', () =>
  around(
    Buffer.from(gen.opaque(40)).toString('base64'),
    (v) => `data:\n  .dockerconfigjson: ${v}\nkind: Secret\ntype: kubernetes.io/dockerconfigjson`,
  ),
);

// A second helping of the provider formats in other surroundings, so each kind has several shapes.
secret('aws', () => around(gen.awsId(), (v) => `aws_access_key_id: ${v}`));
secret('github', () =>
  around(
    gen.github('ghp_'),
    (v) => `- run: echo "${v}" | docker login ghcr.io -u bot --password-stdin`,
  ),
);
secret('slack', () => around(gen.slackBot(), (v) => `client = WebClient(token="${v}")`));
secret('stripe', () => around(gen.stripe('sk_live_'), (v) => `Stripe::API_KEY = '${v}'`));
secret('npm', () =>
  around(gen.npm(), (v) => `npm config set //registry.npmjs.org/:_authToken ${v}`),
);
secret('sendgrid', () => around(gen.sendgrid(), (v) => `"sendgrid": { "key": "${v}" }`));
secret('huggingface', () => around(gen.hf(), (v) => `headers = {"Authorization": f"Bearer ${v}"}`));
secret('twilio', () => around(gen.twilioKey(), (v) => `const apiKey = '${v}';`));
secret('pypi', () => around(gen.pypi(), (v) => `uv publish --token ${v}`));
secret('discord', () => around(gen.discordBot(), (v) => `Authorization: Bot ${v}`));
secret('jwt', () => around(gen.jwt(), (v) => `jwt = "${v}"`));
secret('google', () =>
  around(
    gen.google(),
    (v) =>
      `<script src="https://maps.googleapis.com/maps/api/js?key=${v}&callback=initMap"></script>`,
  ),
);
secret('azure', () => around(gen.azureKey(), (v) => `storage_account_key = "${v}"`));
secret('openai', () => around(gen.openaiProj(), (v) => `export OPENAI_API_KEY="${v}"`));
secret('digitalocean', () =>
  around(gen.digitalocean('dop_v1_'), (v) => `Authorization: Bearer ${v}`),
);
secret('gitlab', () =>
  around(
    gen.gitlab('glpat-'),
    (v) => `git remote add origin https://oauth2:${v}@gitlab.com/acme/app.git`,
  ),
);
secret('assignment', () => around(sec(), (v) => `client_secret: ${v}`));
secret('assignment', () => around(pw(), (v) => `login("${user()}", password="${v}")`));
secret('assignment', () => around(sec(), (v) => `$config['encryption_key'] = '${v}';`));
secret('connection-url', () =>
  around(
    password().replace(/[@:/?#%]/g, '9'),
    (v) => `mongosh "mongodb+srv://${user()}:${v}@cluster0.ab1cd.mongodb.net/test"`,
  ),
);
secret('private-key', () => pem('RSA PRIVATE KEY', 1190));

// A third helping: other languages and tools around the same formats.
secret('private-key', () => {
  const body = lines(
    'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW' + b64(250),
    70,
  );
  return {
    text: `deploy:\n  ssh_private_key: |\n    -----BEGIN OPENSSH PRIVATE KEY-----\n    ${body.split('\n').join('\n    ')}\n    -----END OPENSSH PRIVATE KEY-----`,
    value: body.split('\n').join('\n    '),
  };
});
secret('private-key', () => {
  const body = lines('MIIEvAIBADANBgkqhkiG9w0BAQEFAASC' + b64(500));
  return {
    text: `PRIVATE_KEY = """-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----"""`,
    value: body,
  };
});
secret('private-key', () => {
  const body = lines('MIIEogIBAAKCAQEA' + b64(500));
  return {
    text: `resource "tls_private_key" "imported" {\n  private_key_pem = <<EOT\n-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----\nEOT\n}`,
    value: body,
  };
});
secret('aws', () => around(b64(220), (v) => `aws_session_token = ${v}`));
secret('aws', () =>
  around(
    gen.awsId(),
    (v) => `{ "Credentials": { "AccessKeyId": "${v}", "Expiration": "2026-12-01T10:00:00Z" } }`,
  ),
);
secret('github', () =>
  around(
    gen.github('ghs_'),
    (v) =>
      `git config --global url."https://x-access-token:${v}@github.com/".insteadOf "https://github.com/"`,
  ),
);
secret('github', () => around(gen.github('ghp_'), (v) => `env:\n  GH_TOKEN: ${v}`));
secret('gitlab', () =>
  around(
    gen.gitlab('glptt-'),
    (v) =>
      `curl -X POST --fail -F token=${v} -F ref=main https://gitlab.com/api/v4/projects/42/trigger/pipeline`,
  ),
);
secret('slack', () =>
  around(
    gen.slackUser(),
    (v) => `slack_sdk.WebClient(token="${v}").chat_postMessage(channel="#live", text="on air")`,
  ),
);
secret('stripe', () => around(gen.stripe('rk_live_'), (v) => `stripe:\n  restricted_key: ${v}`));
secret('google', () =>
  around(gen.google(), (v) => `<string name="google_maps_key" translatable="false">${v}</string>`),
);
secret('azure', () =>
  around(
    gen.azureSig(),
    (v) =>
      `SharedAccessSignature sr=${word()}.servicebus.windows.net%2Fqueue&sig=${v}&se=1767225600&skn=send`,
  ),
);
secret('azure', () =>
  around(
    gen.azureKey(),
    (v) =>
      `$ctx = New-AzStorageContext -StorageAccountName "${word()}store" -StorageAccountKey "${v}"`,
  ),
);
secret('twilio', () =>
  around(gen.twilioKey(), (v) =>
    `client = Client("${gen.twilioKey()}", api_secret, account_sid)`.replace(/SK[0-9a-f]{32}/, v),
  ),
);
secret('sendgrid', () => around(gen.sendgrid(), (v) => `sendgrid:\n  api_key: ${v}`));
secret('npm', () =>
  around(
    gen.npm(),
    (v) => `      - run: npm publish\n        env:\n          NODE_AUTH_TOKEN: ${v}`,
  ),
);
secret('discord', () => around(gen.discordHook(), (v) => `DISCORD_WEBHOOK_URL=${v}`));
secret('twitch', () =>
  around(`oauth:${gen.twitch()}`, (v) => `sock.send(f"PASS ${v}\\r\\n".encode())`),
);
secret('huggingface', () =>
  around(gen.hf(), (v) => `from huggingface_hub import HfApi\napi = HfApi(token="${v}")`),
);
secret('openai', () =>
  around(gen.openaiProj(), (v) => `openai.api_key = os.getenv("OPENAI_API_KEY", "${v}")`),
);
secret('anthropic', () =>
  around(gen.anthropic(), (v) => `const anthropic = new Anthropic({ apiKey: '${v}' });`),
);
secret('jwt', () => around(gen.jwt(), (v) => `Cookie: session=${v}; Path=/; HttpOnly`));
secret('auth-header', () =>
  around(gen.opaque(40), (v) => `axios.defaults.headers.common['Authorization'] = 'Bearer ${v}';`),
);
secret('auth-header', () =>
  around(
    gen.opaque(48),
    (v) => `wget --header="Authorization: Bearer ${v}" https://files.example.com/backup.tar.gz`,
  ),
);
secret('auth-header', () =>
  around(
    Buffer.from(`${user()}:${password()}`).toString('base64'),
    (v) => `Proxy-Authorization: Basic ${v}`,
  ),
);
secret('connection-url', () =>
  around(
    password().replace(/[@:/?#%]/g, '9'),
    (v) => `params = pika.URLParameters("amqp://${user()}:${v}@${host()}:5672/%2F")`,
  ),
);
secret('connection-url', () =>
  around(
    password().replace(/[@:/?#%]/g, '9'),
    (v) => `wget ftp://${user()}:${v}@ftp.example.com/pub/release.tar.gz`,
  ),
);
secret('connection-url', () =>
  around(
    password().replace(/[@:/?#%]/g, '9'),
    (v) => `redis-cli -u redis://default:${v}@${host()}:6379`,
  ),
);
secret('assignment', () => around(sec(), (v) => `val apiKey = "${v}"`));
secret('assignment', () => around(sec(), (v) => `let apiSecret = "${v}"`));
secret('assignment', () => around(pw(), (v) => `private const string Password = "${v}";`));
secret('assignment', () =>
  around(pw(), (v) => `$password = ConvertTo-SecureString "${v}" -AsPlainText -Force`),
);
secret('assignment', () =>
  around(
    pw(),
    (v) => `resource "aws_db_instance" "main" {\n  username = "app"\n  password = "${v}"\n}`,
  ),
);
secret('assignment', () => around(pw(), (v) => `[client]\nuser=root\npassword=${v}`));
secret('assignment', () =>
  around(pw(), (v) => `r = requests.get(url, auth=("${user()}", "${v}"))`),
);
secret('assignment', () => around(pw(), (v) => `options.Password = "${v}";`));

// A fourth helping, written after the guard was first measured (it caught 14 of these 20 and
// flagged none of the 20 clean ones below): credential files and idioms the first batch lacked.
secret('assignment', () =>
  around(
    Buffer.from(`bot:${password()}`).toString('base64'),
    (v) =>
      `{\n  "auths": {\n    "https://index.docker.io/v1/": {\n      "auth": "${v}"\n    }\n  }\n}`,
  ),
);
secret('aws', () =>
  around(gen.awsSecret(), (v) => `[default]\naccess_key = ${gen.awsId()}\nsecret_key = ${v}`),
);
secret('connection-url', () =>
  around(
    password().replace(/[@:/?#%]/g, '9'),
    (v) =>
      `production:\n  clients:\n    default:\n      uri: mongodb://app:${v}@db1.example.com:27017/prod`,
  ),
);
secret('assignment', () => around(password(), (v) => `define( 'DB_PASSWORD', '${v}' );`));
secret('assignment', () =>
  around(
    `${chars(ALNUM + '|!#%^*', 14)} ${chars(ALNUM + '|!#%^*', 20)}`,
    (v) => `define( 'AUTH_KEY', '${v}' );`,
  ),
);
secret('password-hash', () =>
  around(`$apr1$${chars(ALNUM, 8)}$${chars(ALNUM + './', 22)}`, (v) => `${user()}:${v}`),
);
secret('assignment', () =>
  around(Buffer.from(password()).toString('base64'), (v) => `<Pass encoding="base64">${v}</Pass>`),
);
secret('assignment', () =>
  around(
    password(),
    (v) => `{\n  "host": "ftp.example.com",\n  "username": "deploy",\n  "password": "${v}"\n}`,
  ),
);
secret('assignment', () => around(uuid(), (v) => `heroku:\n  api_key: ${v}`));
secret('assignment', () => around(hex(128), (v) => `secret_key_base: ${v}`));
secret('github', () => around(gen.github('ghp_'), (v) => `export GITHUB_TOKEN="${v}"`));
secret('assignment', () => around(uuid(), (v) => `HEROKU_API_KEY=${v}`));
secret('assignment', () =>
  around(password(), (v) => `client.connect(host="10.0.0.4", username="root", password="${v}")`),
);
secret('connection-url', () =>
  around(
    password().replace(/[@:/?#%"]/g, '9'),
    (v) => `sql.Open("mysql", "app:${v}@tcp(127.0.0.1:3306)/shop")`,
  ),
);
secret('assignment', () => around(password(), (v) => `$dbpass = '${v}';`));
secret('assignment', () => around(password(), (v) => `smtp_password: "${v}"`));
secret('assignment', () => around(gen.opaque(20), (v) => `let SECRET = "${v}";`));
secret('assignment', () =>
  around(password(), (v) => `options := &redis.Options{Addr: "cache:6379", Password: "${v}"}`),
);
secret('assignment', () =>
  around(password(), (v) => `docker run -d \\\n  -e MYSQL_ROOT_PASSWORD=${v} \\\n  mysql:8`),
);
secret('assignment', () => around(hex(32), (v) => `auth = HTTPBasicAuth("api", "${v}")`));

// ================================ ordinary code ===============================================
clean('cancellation-token', [
  'provideCompletionItems(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken) {',
  'async resolveWebviewView(view: vscode.WebviewView, _context: vscode.WebviewViewResolveContext, token: vscode.CancellationToken): Promise<void> {',
  'function run(token: vscode.CancellationToken, progress: vscode.Progress<{ message?: string }>) {',
  '  if (token.isCancellationRequested) return [];',
  'const source = new vscode.CancellationTokenSource();\nconst token = source.token;',
  'token.onCancellationRequested(() => controller.abort());',
  'export async function search(query: string, token?: vscode.CancellationToken): Promise<Result[]> {',
  'constructor(private readonly token: CancellationToken) {}',
  'async provideHover(doc, pos, token) {\n  if (token.isCancellationRequested) { return undefined; }',
  'def run(self, token: CancellationToken) -> None:',
  'func (s *Server) Serve(ctx context.Context, token CancelToken) error {',
  'await withProgress({ cancellable: true }, async (progress, token) => { await work(token); });',
]);
clean('tokenizer', [
  'const tokens = tokenizer.tokenize(source);\nfor (const token of tokens) {\n  if (token.type === "keyword") keywords++;\n}',
  'token = self.next_token()\nwhile token.kind != TokenKind.EOF:\n    token = self.next_token()',
  'from transformers import AutoTokenizer\ntokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")',
  'enum TokenType { Identifier, Number, String, Punctuation }',
  'const token: Token = { type: TokenType.Number, value: text.slice(start, pos) };',
  'max_tokens = 4096',
  'const { token } = await response.json();',
  'let token = lexer.peek();\nif (token?.kind === "(") lexer.advance();',
  'inputs = tokenizer(text, return_tensors="pt", padding=True, truncation=True)',
  'token_type: "bearer",\nexpires_in: 3600,',
]);
const integrity = (algo, bytes) => `${algo}-${b64(bytes)}`;
clean('lockfile', [
  () =>
    `    "node_modules/ws": {\n      "version": "8.18.0",\n      "resolved": "https://registry.npmjs.org/ws/-/ws-8.18.0.tgz",\n      "integrity": "${integrity('sha512', 64)}",\n      "license": "MIT"\n    },`,
  () =>
    `"@esbuild/linux-x64@0.21.5":\n  version "0.21.5"\n  resolved "https://registry.yarnpkg.com/@esbuild/linux-x64/-/linux-x64-0.21.5.tgz#${hex(40)}"\n  integrity ${integrity('sha512', 64)}`,
  () =>
    `  /typescript@5.4.5:\n    resolution: {integrity: ${integrity('sha512', 64)}}\n    engines: {node: '>=14.17'}\n    hasBin: true`,
  () =>
    `[[package]]\nname = "serde"\nversion = "1.0.203"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "${hex(64)}"`,
  () => `golang.org/x/net v0.26.0 h1:${b64(32)}\ngolang.org/x/net v0.26.0/go.mod h1:${b64(32)}`,
  () => `github.com/gorilla/websocket v1.5.1 h1:${b64(32)}`,
  () =>
    `[[package]]\nname = "requests"\nversion = "2.32.3"\nfiles = [\n    {file = "requests-2.32.3-py3-none-any.whl", hash = "sha256:${hex(64)}"},\n]`,
  () => `requests==2.32.3 \\\n    --hash=sha256:${hex(64)} \\\n    --hash=sha256:${hex(64)}`,
  () =>
    `      "locked": {\n        "lastModified": 1717196966,\n        "narHash": "sha256-${b64(32)}",\n        "owner": "NixOS",\n        "repo": "nixpkgs",\n        "rev": "${hex(40)}",\n        "type": "github"\n      },`,
  () =>
    `    "node_modules/@types/node": {\n      "version": "20.14.2",\n      "integrity": "${integrity('sha512', 64)}",\n      "dev": true\n    }`,
  () => `  checksum: ${hex(128)}\n  languageName: node\n  linkType: hard`,
  () =>
    `"lodash@npm:^4.17.21":\n  version: 4.17.21\n  resolution: "lodash@npm:4.17.21"\n  checksum: 10c0/${hex(128)}`,
  () => `PODS:\n  - Alamofire (5.9.1)\nSPEC CHECKSUMS:\n  Alamofire: ${hex(40)}`,
  () => `gem 'rails', '7.1.3'\n    rails (7.1.3)\n    sha256=${hex(64)}`,
  () => `"content-hash": "${hex(32)}",`,
  () =>
    `{"version":1,"dependencies":{"Newtonsoft.Json":{"type":"Direct","requested":"[13.0.3, )","resolved":"13.0.3","contentHash":"${b64(64)}"}}}`,
]);
clean('git-sha', [
  () => `commit ${hex(40)}\nAuthor: Dev <dev@example.com>\nDate:   Tue Jun 4 10:12:00 2024 +0200`,
  () => `git checkout ${hex(40)}`,
  () => `git revert ${hex(7)} ${hex(7)}`,
  () => `- uses: actions/checkout@${hex(40)} # v4.1.7`,
  () => `Merge: ${hex(7)} ${hex(7)}`,
  () => `const BUILD_COMMIT = "${hex(40)}";`,
  () => `"gitHead": "${hex(40)}"`,
  () =>
    `${hex(7)} fix: reconnect with jitter\n${hex(7)} feat: emotes in the composer\n${hex(7)} chore: bump ws`,
]);
clean('uuid', [
  () => `const id = "${uuid()}";`,
  () => `INSERT INTO users (id, name) VALUES ('${uuid()}', 'ada');`,
  () => `"projectGuid": "{${uuid().toUpperCase()}}"`,
  () => `expect(parse(input).id).toBe('${uuid()}');`,
  () => `request_id: ${uuid()}`,
  () =>
    `Project("{${uuid().toUpperCase()}}") = "App", "App\\App.csproj", "{${uuid().toUpperCase()}}"`,
]);
const digest = (algo, s) => createHash(algo).update(s).digest('hex');
clean('hash-vector', [
  `assert.equal(sha256("abc"), "${digest('sha256', 'abc')}");`,
  `expect(md5("hello")).toBe("${digest('md5', 'hello')}");`,
  `self.assertEqual(hashlib.sha1(b"").hexdigest(), "${digest('sha1', '')}")`,
  `{ input: "The quick brown fox jumps over the lazy dog", sha512: "${digest('sha512', 'The quick brown fox jumps over the lazy dog')}" },`,
  `const EMPTY_SHA256 = '${digest('sha256', '')}';`,
  `assert_eq!(hex::encode(Sha256::digest(b"hello world")), "${digest('sha256', 'hello world')}");`,
  `// sha384("abc") = ${digest('sha384', 'abc')}`,
  `["", "${createHash('sha256').update('').digest('base64')}"],`,
]);
clean('sri', [
  () =>
    `<script src="https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/js/bootstrap.bundle.min.js" integrity="${integrity('sha384', 48)}" crossorigin="anonymous"></script>`,
  () =>
    `<link rel="stylesheet" href="https://cdn.example.com/app.css" integrity="${integrity('sha256', 32)}" crossorigin="anonymous">`,
  () => `Content-Security-Policy: script-src 'self' '${integrity('sha256', 32)}'`,
  () => `script.integrity = "${integrity('sha512', 64)}";`,
  () => `<meta http-equiv="Content-Security-Policy" content="style-src 'nonce-${b64(16)}'">`,
]);
clean('image-digest', [
  () => `FROM node:20-alpine@sha256:${hex(64)}`,
  () => `    image: ghcr.io/acme/api@sha256:${hex(64)}`,
  () => `docker pull postgres@sha256:${hex(64)}`,
  () => `"Digest": "sha256:${hex(64)}",`,
  () => `FROM --platform=$BUILDPLATFORM golang:1.22@sha256:${hex(64)} AS build`,
]);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from(Array.from({ length: 120 }, () => int(0, 255))),
]).toString('base64');
const svg = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><path d="M8 1l2 5h5l-4 3 2 5-5-3-5 3 2-5-4-3h5z"/></svg>',
).toString('base64');
const sourceMap = Buffer.from(
  JSON.stringify({
    version: 3,
    sources: ['../src/app.ts'],
    names: ['main', 'start'],
    mappings: 'AAAA,SAASA,IAAI;AACb,OAAOC,KAAK,CAAC,CAAC',
    file: 'app.js',
  }),
).toString('base64');
clean('data-uri', [
  `<img src="data:image/png;base64,${png}" alt="logo">`,
  `background-image: url("data:image/svg+xml;base64,${svg}");`,
  `const icon = 'data:image/svg+xml;base64,${svg}';`,
  `//# sourceMappingURL=data:application/json;charset=utf-8;base64,${sourceMap}`,
  `/*# sourceMappingURL=data:application/json;base64,${sourceMap} */`,
  `src: url(data:font/woff2;base64,${b64(90)}) format("woff2");`,
  `const wasm = Uint8Array.from(atob("${Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...Array.from({ length: 60 }, () => int(0, 255))]).toString('base64')}"), (c) => c.charCodeAt(0));`,
]);
const sshPub = (type, lead, bytes) => `${type} ${lead}${b64(bytes)}`;
clean('public-key', [
  () => `ssh-ed25519 ${'AAAAC3NzaC1lZDI1NTE5AAAAI'}${b64(24)} dev@laptop`,
  () => `${sshPub('ssh-rsa', 'AAAAB3NzaC1yc2EAAAADAQABAAABgQ', 370)} deploy@ci`,
  () =>
    `-----BEGIN PUBLIC KEY-----\n${lines('MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA' + b64(250))}\n-----END PUBLIC KEY-----`,
  () =>
    `-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n${lines('mQINBGV' + b64(400))}\n=${b64(3)}\n-----END PGP PUBLIC KEY BLOCK-----`,
  () =>
    `authorized_keys:\n  - ${sshPub('ecdsa-sha2-nistp256', 'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBB', 60)} admin`,
  () => `const STRIPE_PUBLISHABLE_KEY = "pk_live_${chars(ALNUM, 99)}";`,
  () =>
    `-----BEGIN RSA PUBLIC KEY-----\n${lines('MIIBCgKCAQEA' + b64(250))}\n-----END RSA PUBLIC KEY-----`,
  () =>
    `"jwks": { "keys": [{ "kty": "RSA", "e": "AQAB", "kid": "${hex(16)}", "n": "${b64url(256)}" }] }`,
]);
clean('certificate', [
  () =>
    `-----BEGIN CERTIFICATE-----\n${lines('MIIDdzCCAl+gAwIBAgIE' + b64(700))}\n-----END CERTIFICATE-----`,
  () =>
    `ca: |\n  -----BEGIN CERTIFICATE-----\n  ${lines('MIIFazCCA1OgAwIBAgIR' + b64(300))
      .split('\n')
      .join('\n  ')}\n  -----END CERTIFICATE-----`,
  () =>
    `-----BEGIN CERTIFICATE REQUEST-----\n${lines('MIICvDCCAaQCAQAwdzEL' + b64(400))}\n-----END CERTIFICATE REQUEST-----`,
  () =>
    `"certificate": "-----BEGIN CERTIFICATE-----\\n${('MIIC' + b64(300)).match(/.{1,64}/g).join('\\n')}\\n-----END CERTIFICATE-----\\n"`,
]);
clean('known-hosts', [
  () => `github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${b64(24)}`,
  () =>
    `|1|${b64(20)}|${b64(20)} ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBB${b64(60)}`,
  () => `gitlab.com,172.65.251.78 ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ${b64(250)}`,
  () =>
    `The authenticity of host 'server (10.0.0.5)' can't be established.\nED25519 key fingerprint is SHA256:${b64(32).replace(/=+$/, '')}.`,
]);
clean('nonce-alphabet', [
  "const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';",
  "const urlAlphabet = 'useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyzrict';",
  "HEX_DIGITS = '0123456789abcdef'",
  "const BASE64_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';",
  'function getNonce() {\n  const possible = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";\n  return Array.from({ length: 32 }, () => possible.charAt(Math.floor(Math.random() * possible.length))).join("");\n}',
  'const nonce = crypto.randomBytes(16).toString("base64");',
  "const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';",
]);
clean('optional-none', [
  '    password: Optional[str] = None',
  '    api_key: str | None = None',
  '    token: Optional[str] = Field(default=None, description="GitHub token")',
  'def connect(host: str, password: Optional[str] = None) -> Connection:',
  'password: str = ""',
  '  secret?: string;',
  'let token: string | undefined;',
  'var password string',
  'private String password;',
  'pub struct Config { pub api_key: Option<String>, pub timeout: u64 }',
]);
clean('get-token', [
  'const token = await getToken();',
  'token = auth.get_token(scope)',
  'const session = await vscode.authentication.getSession("github", ["repo"], { createIfNone: true });\nconst token = session.accessToken;',
  'const token = await context.secrets.get("streamChat.token.glimesh");',
  'secret := os.Getenv("APP_SECRET")',
  'password = getpass.getpass("Password: ")',
  'const apiKey = await readSecret(keyPath);',
  'token = request.headers.get("Authorization", "").removeprefix("Bearer ")',
  'SECRET_KEY = get_random_secret_key()',
  'secret = secrets.token_hex(32)',
  'const password = await bcrypt.hash(input.password, 12);',
  'if (!password) throw new Error("password is required");',
]);
clean('env-reference', [
  'const apiKey = process.env.API_KEY;',
  "SECRET_KEY = os.environ['SECRET_KEY']",
  'api_key = os.getenv("OPENAI_API_KEY")',
  'stripe_key = ENV.fetch("STRIPE_SECRET_KEY")',
  '      - run: npm publish\n        env:\n          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}',
  'ARG NPM_TOKEN\nRUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc',
  'ENV API_KEY=${API_KEY}',
  'DATABASE_URL=postgres://${DB_USER}:${DB_PASSWORD}@${DB_HOST}:5432/app',
  'password: ${POSTGRES_PASSWORD}',
  'curl -u "$USERNAME:$PASSWORD" https://ci.example.com/api/json',
  'curl -H "Authorization: Bearer $GITHUB_TOKEN" https://api.github.com/user',
  'headers: { Authorization: `Bearer ${accessToken}` },',
  '$password = getenv("DB_PASSWORD");',
  'password = config["database"]["password"]',
  '          valueFrom:\n            secretKeyRef:\n              name: db-credentials\n              key: password',
  'api_key = settings.OPENAI_API_KEY',
]);
clean('regex', [
  'const GITHUB_TOKEN = /\\bgh[pousr]_[A-Za-z0-9]{36}\\b/;',
  "AWS_KEY_RE = re.compile(r'(?:AKIA|ASIA)[A-Z0-9]{16}')",
  'const PRIVATE_KEY_HEADER = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;',
  'const strongPassword = /^(?=.*[a-z])(?=.*[A-Z])(?=.*\\d)(?=.*[^\\w\\s]).{12,}$/;',
  'if (!/^[0-9a-f]{40}$/.test(sha)) throw new Error("not a commit id");',
  '  pattern: "(?i)slack_webhook_url\\\\s*=\\\\s*https://hooks\\\\.slack\\\\.com/services/[A-Z0-9/]+"',
  'password_validator = RegexValidator(r"^[A-Za-z0-9@#$%^&+=]{8,}$")',
  'const JWT = /^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*$/;',
]);
clean('i18n', [
  '"password": "Mot de passe",',
  '  password: "Passwort",',
  '"apiKey": "Clé API",',
  '"token_expired": "Your session token has expired. Please sign in again.",',
  'passwordPlaceholder: "Enter your password",',
  '"secret": "Secreto",',
  "t('auth.password.label', 'Password')",
  '<label for="password">Password</label>\n<input id="password" type="password" autocomplete="current-password">',
  'password=Contraseña\napi_key=Clave de API',
  '"passwordTooShort": "Le mot de passe doit contenir au moins 12 caractères"',
  'msgid "Password"\nmsgstr "Passwort"',
]);
clean('pem-header', [
  "if (pem.startsWith('-----BEGIN RSA PRIVATE KEY-----')) return 'pkcs1';",
  'const HEADER = "-----BEGIN OPENSSH PRIVATE KEY-----";',
  '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----',
  '-----BEGIN EC PRIVATE KEY-----\n<your key here>\n-----END EC PRIVATE KEY-----',
  '  "private_key": "-----BEGIN PRIVATE KEY-----\\n<YOUR_PRIVATE_KEY>\\n-----END PRIVATE KEY-----\\n",',
  'case "-----BEGIN PGP PRIVATE KEY BLOCK-----":',
]);
clean('placeholder', [
  'api_key = "YOUR_API_KEY"',
  'const token = "<token>";',
  'GITHUB_TOKEN=${TOKEN}',
  'password: xxxx',
  'secret = "changeme"',
  'OPENAI_API_KEY=sk-...',
  'const apiKey = "sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";',
  'AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX',
  'GITHUB_TOKEN=ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
  'password = "<your-password>"',
  'token: "REPLACE_ME"',
  "DB_PASSWORD='********'",
  'DATABASE_URL=postgres://user:password@localhost:5432/mydb',
  'STRIPE_SECRET_KEY=sk_test_...',
  'Authorization: Bearer <access_token>',
  'curl -u username:password https://api.example.com',
  'API_KEY=your-api-key-here',
  'SECRET_KEY=insert-secret-here',
  '"apiKey": "{{API_KEY}}"',
  'password = "%(password)s"',
  'client_secret: "${CLIENT_SECRET}"',
  'HF_TOKEN=hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  'const password = "";',
  "token = ''",
  'password: <redacted>',
  'SLACK_WEBHOOK_URL=https://hooks.slack.com/services/...',
  'mongodb+srv://<username>:<password>@cluster0.example.mongodb.net/',
  'api_key = "TODO"',
  'PASSWORD=dummy',
  'apiKey: "$API_KEY"',
]);
clean('ordinary', [
  'export function createGlimeshClientWithDefaultOptions(deps: ClientDeps): GlimeshClient {',
  'import { ReconnectingClientOptions } from "./reconnectingClient";',
  'const url = "https://glimesh.tv/api/graph/websocket";',
  'password: string; // the user types it',
  'token = await tokens.get(platform)',
  'The AKIA prefix marks AWS access keys.',
  'const header = "eyJhbGci";',
  'for (let i = 0; i < lines.length; i++) {\n  const line = lines[i];\n  if (!line.trim()) continue;\n  out.push(line.toUpperCase());\n}',
  'SELECT id, email, password_hash, created_at FROM users WHERE email = $1;',
  'const passwordInput = document.querySelector<HTMLInputElement>("#password");',
  'if (user.password !== hash(input)) return res.status(401).end();',
  'const isValid = await bcrypt.compare(password, user.passwordHash);',
  'const KEY_PREFIX = "streamChat.token.";',
  'const tokenCount = encode(prompt).length;',
  'def refresh_access_token(self, refresh_token: str) -> str:',
  'const secretStorage = context.secrets;',
  '<input type="password" name="password" required minlength="12">',
  'export const SECRET_STORAGE_KEY = "streamChat.tokens";',
  '"scripts": { "build": "node esbuild.mjs", "test": "vitest run" }',
  'background: linear-gradient(90deg, #1e1e1e 0%, #252526 100%);',
  'const translated = i18n.t("settings.apiKey.description");',
  'https://github.com/microsoft/vscode-extension-samples/blob/main/webview-view-sample/src/extension.ts',
  'src/platforms/glimesh/reconnectingClientWithExponentialBackoff.ts',
  'const resetPasswordUrl = `${baseUrl}/account/reset-password?email=${encodeURIComponent(email)}`;',
  'token_url = "https://oauth2.googleapis.com/token"',
  'secret_name = "prod/db/credentials"',
  'password_file = "/run/secrets/db_password"',
  'ssh -i ~/.ssh/id_ed25519 deploy@10.0.0.5',
  'const AUTH_HEADER = "Authorization";',
  'private_key_path: ./certs/server.key',
  'logger.info(`token refreshed for ${user.login}`);',
  'const { data: { session } } = await supabase.auth.getSession();',
  'ApiKeyAuthentication.scheme = "X-Api-Key"',
  'PasswordHasher<User> hasher = new PasswordHasher<User>();',
  'max_password_length: 128\nmin_password_length: 12',
  'const cacheKey = `${owner}/${repo}@${sha}`;',
  'useEffect(() => { if (!token) navigate("/login"); }, [token]);',
  '"keywords": ["oauth", "token", "secret", "password", "jwt"]',
  'kubectl create secret generic db-credentials --from-literal=username=app --from-file=password=./password.txt',
  'redis://localhost:6379/0',
  'const mongo = new MongoClient("mongodb://localhost:27017");',
  'postgres://localhost:5432/app_test',
  'https://user@example.com/path',
  'const classNames = "flex items-center justify-between gap-2 px-4 py-2 rounded-md bg-slate-800";',
  'AbstractSingletonProxyFactoryBeanConfigurationProviderRegistryImpl',
  '{ "id": 1234567890123456789, "snowflake": "1234567890123456789" }',
  'const emoteUrl = `https://static-cdn.jtvnw.net/emoticons/v2/${id}/default/dark/1.0`;',
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n  LOG_LEVEL: info\n  FEATURE_FLAGS: "chat,emotes"',
  'Generated on 2026-11-30T18:22:41.123Z by build 20261130.4 (node v20.19.4)',
  'matrix:\n  os: [ubuntu-latest, windows-latest, macos-latest]\n  node: [20, 22]',
  'const password = passwordInput.value;',
  'export type Credentials = { username: string; password: string };',
  'docker run -e POSTGRES_PASSWORD -p 5432:5432 postgres:16',
  'mysql -u root -p',
  'git log --pretty=format:"%H %s" -n 5',
  'jobs:\n  build:\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n      contents: read',
  '"editor.tokenColorCustomizations": { "textMateRules": [] }',
  'const keyMap = { ArrowUp: "up", ArrowDown: "down", Enter: "submit" };',
  'auth: { strategy: "jwt", session: { maxAge: 86400 } }',
  'PASSWORD_RESET_TIMEOUT = 3600',
  'PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]',
  'AUTH_USER_MODEL = "accounts.User"',
  'if (token.expiresAt < Date.now()) await refresh();',
  'npx secretlint "**/*" --secretlintignore .gitignore',
  'password = request.form["password"]',
  'if len(password) < 12:\n    raise ValueError("password too short")',
  'const { password, ...rest } = user;',
  'hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt())',
  'token = jwt.encode(payload, settings.SECRET_KEY, algorithm="HS256")',
  () => `"integrity": "sha1-${b64(20)}"`,
  'export const DEFAULT_KEY_BINDINGS = ["ctrl+shift+s", "cmd+shift+s"];',
  'api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False)',
  '<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">',
  'with open("secrets.json") as f:\n    secrets = json.load(f)',
  'assert response.json()["token_type"] == "Bearer"',
  'ssh-keygen -t ed25519 -C "dev@example.com" -f ~/.ssh/id_ed25519',
  'gpg --armor --export-secret-keys ABCD1234 > private.asc',
  'const sessionKey = `session:${userId}`;',
  'RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci',
  'image: "postgres:16.3-alpine"',
  'private readonly tokenSource = new vscode.CancellationTokenSource();',
  'password_hash = "pbkdf2_sha256$600000$salt$hash"',
  'cache_key = hashlib.sha256(f"{user_id}:{query}".encode()).hexdigest()',
  'String apiKey = System.getenv("API_KEY");',
  "const KEY = 'streamChat.timeline';",
  "      { key: 'glimesh.socketUrl', url: 'wss://glimesh.tv/api/graph/websocket' },",
]);

const secrets = corpus.filter((c) => c.expect === 'secret').length;
const cleans = corpus.length - secrets;
const out = new URL('../test/fixtures/secrets/corpus.json', import.meta.url);
const json =
  JSON.stringify(
    { seed: 20261201, generator: 'scripts/gen-secrets-corpus.mjs', snippets: corpus },
    null,
    1,
  ) + '\n';
if (process.argv.includes('--check')) {
  // The committed corpus must be exactly what this script makes (the unit tests run this).
  const same = existsSync(out) && readFileSync(out, 'utf8') === json;
  console.log(
    same
      ? 'corpus.json is up to date'
      : 'corpus.json differs from the generator output: run node scripts/gen-secrets-corpus.mjs',
  );
  process.exit(same ? 0 : 1);
}
writeFileSync(out, json);
console.log(
  `corpus: ${corpus.length} snippets (${secrets} secret, ${cleans} clean) in ${counters.size} kinds`,
);
