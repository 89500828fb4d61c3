// A local OpenID Provider for the demo and the tests: npm's certified `oidc-provider`, one
// issuer per port (the staff's organisation provider and the citizens' MitID broker stand-in).
//
//   node idp/server.mjs CONFIG.json
//
// CONFIG.json (written by `manage.py seed_demo --idp-config` or by the tests):
//   { "issuers": { "<name>": { "port": 8010, "title": "...", "scopes": {"ips": ["roles", ...]},
//                              "clients": [ {client_id, client_secret, redirect_uris} ],
//                              "accounts": { "<login>": { "claims": {...}, "amr": [...],
//                                                          "acr": "..." } },
//                              "faults": { "<client_id>": "wrong_audience" | "expired" } } } }
//
// Sign-in is a plain form: the login name picks an account from the file (no password, no
// phone): a stand-in for the real provider, never for real people. Keys are made at start-up
// and kept in memory, as is every session, code and token.
//
// "faults" exist for the portal's tests only: for the named client the ID token in the token
// response is re-signed with a wrong audience, or as already expired, so the portal's refusal
// of a token it must not accept is tested against this real provider.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';

import Provider from 'oidc-provider';
import { exportJWK, generateKeyPair, decodeJwt, SignJWT } from 'jose';

const configPath = process.argv[2];
if (!configPath) {
  console.error('usage: node idp/server.mjs CONFIG.json');
  process.exit(2);
}
const config = JSON.parse(readFileSync(configPath, 'utf8'));
const host = config.host || '127.0.0.1';

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  }[c]));
}

function loginPage({ title, uid, accounts, error }) {
  const known = Object.entries(accounts)
    .map(([login, account]) => `<li><code>${escapeHtml(login)}</code> ${escapeHtml(account.label || '')}</li>`)
    .join('');
  return `<!doctype html>
<html lang="da"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"></head>
<body><main>
<h1>${escapeHtml(title)}</h1>
<p>Kun til demo og test: en lokal identitetsudbyder. Skriv et af brugernavnene nedenfor.</p>
${error ? `<p role="alert" id="idp-error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">
  <label for="login">Brugernavn</label>
  <input id="login" name="login" required autofocus>
  <button type="submit">Log ind</button>
</form>
<h2>Brugere</h2><ul>${known}</ul>
</main></body></html>`;
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function startIssuer(name, issuerConfig) {
  const port = issuerConfig.port;
  const issuer = `http://${host}:${port}`;
  const accounts = issuerConfig.accounts || {};
  const faults = issuerConfig.faults || {};
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `${name}-${randomBytes(4).toString('hex')}`;
  const jwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };

  const scopes = issuerConfig.scopes || {};
  const claims = { openid: ['sub', 'acr', 'amr'], profile: ['given_name', 'family_name', 'name'], email: ['email'], ...scopes };

  const provider = new Provider(issuer, {
    clients: issuerConfig.clients.map((client) => ({
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
      ...client,
    })),
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims,
    scopes: Object.keys(claims),
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(ctx, id) {
      const account = accounts[id];
      if (!account) return undefined;
      return { accountId: id, async claims() { return { sub: id, ...(account.claims || {}) }; } };
    },
    // First-party clients of a single organisation: no consent screen.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId
        || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope(ctx.oidc.requestParamScopes ? [...ctx.oidc.requestParamScopes].join(' ') : 'openid');
      await grant.save();
      return grant;
    },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
  });

  provider.use(async (ctx, next) => {
    await next();
    const fault = ctx.oidc?.client && faults[ctx.oidc.client.clientId];
    if (ctx.path !== '/token' || ctx.status !== 200 || !fault || !ctx.body?.id_token) return;
    const payload = decodeJwt(ctx.body.id_token);
    const now = Math.floor(Date.now() / 1000);
    if (fault === 'wrong_audience') payload.aud = 'another-service';
    if (fault === 'expired') Object.assign(payload, { iat: now - 7200, exp: now - 3600 });
    ctx.body = {
      ...ctx.body,
      id_token: await new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey),
    };
  });

  const handler = provider.callback();
  const title = issuerConfig.title || name;
  const server = createServer(async (req, res) => {
    const match = req.url.match(/^\/interaction\/([\w-]+)(\/login)?$/);
    if (!match) return handler(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(loginPage({ title, uid: details.uid, accounts }));
      }
      const login = ((await readForm(req)).get('login') || '').trim();
      const account = accounts[login];
      if (!account) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(loginPage({ title, uid: details.uid, accounts, error: 'Ukendt brugernavn.' }));
      }
      const result = { login: { accountId: login, amr: account.amr, acr: account.acr } };
      return await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    } catch (error) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      return res.end(`Login kunne ikke gennemføres: ${error.message}`);
    }
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  console.log(`${name}: ${issuer}/.well-known/openid-configuration`);
  return server;
}

for (const [name, issuerConfig] of Object.entries(config.issuers)) {
  await startIssuer(name, issuerConfig);
}
console.log('ready');
