#!/usr/bin/env node
// Independent (non-.NET) REST/JSON check for the Netralitas gateway: plain `fetch`, no generated
// client. Two modes:
//
//   node rest-check.mjs http://127.0.0.1:5081
//     Development mode (no credentials: the all-roles developer), REST over HTTP/1.1 with Node's
//     own fetch: /openapi/v1.json is validated (openapi-schema-validator, plus its $refs and path
//     parameters); the case flow; an XLSX download and a CSV upload; then every path + method in
//     the document is called once, none may answer a routing 404 (ErrorInfo NO_SUCH_PATH), a 405
//     or a 5xx, and every 200 JSON body must match the document's schema (ajv), int64 values as
//     the strings proto3 JSON writes included.
//
//   NETRALITAS_TOKEN=<authority token> node rest-check.mjs https://127.0.0.1:5443 --credentials DIR
//     Secure mode over TLS with what `dev-credentials DIR` wrote (DIR/ca.crt, DIR/members/*): the
//     case flow over HTTP/1.1 by client certificates (each call by a member whose role allows it:
//     bawaslu-ri files, pemprov-33 asks, kasn decides and recommends, ppk-3303 follows up), then
//     over HTTP/2 by the bearer token in NETRALITAS_TOKEN (roles: authority); the refusals without
//     credentials (401), outside a role (403) and with a forged token (401). undici's fetch with
//     an Agent per client certificate.
//
// Prints one line per check and exits non-zero on the first failure.

import { randomInt, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http2 from 'node:http2';
import path from 'node:path';

import Ajv from 'ajv';
import OpenApiSchemaValidator from 'openapi-schema-validator';
import { Agent, fetch as undiciFetch } from 'undici';

import { assert, assertEqual, CheckFailure, harness } from './harness.mjs';

// undici announces its HTTP/2 client as experimental on first use; the check says which version it uses.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  if (rest.some((r) => r === 'UNDICI-H2' || r?.code === 'UNDICI-H2')) return;
  emitWarning(warning, ...rest);
};

const CALL_TIMEOUT_MS = 15_000;
const WATCH_OPEN_MS = 1_000; // how long the OpenAPI sweep keeps the watch stream open
const OPENAPI_PATH = '/openapi/v1.json';

// --- output ----------------------------------------------------------------------------

const { check, done, crash } = harness('rest');

// --- HTTP --------------------------------------------------------------------------------

// A caller: where to send, with which fetch, client certificate (dispatcher) and headers.
function caller(label, base, { fetchImpl = globalThis.fetch, dispatcher, headers = {} } = {}) {
  return {
    label,
    // Sends one request; resolves to { status, headers, text, json (parsed or undefined) }.
    async call(method, target, { json, body, contentType, signal, rawResponse = false } = {}) {
      const init = {
        method,
        headers: { accept: 'application/json', ...headers },
        signal: signal ?? AbortSignal.timeout(CALL_TIMEOUT_MS),
      };
      if (dispatcher) init.dispatcher = dispatcher;
      if (json !== undefined) {
        init.body = typeof json === 'string' ? json : JSON.stringify(json);
        init.headers['content-type'] = 'application/json';
      } else if (body !== undefined) {
        init.body = body;
        init.headers['content-type'] = contentType;
      }
      const response = await fetchImpl(new URL(target, base), init);
      return rawResponse ? response : readResponse(`${method} ${target}`, response);
    },
  };
}

// Reads a whole answer: { status, headers, bytes, text, json (parsed when the type says JSON) }.
async function readResponse(what, response) {
  const bytes = Buffer.from(await response.arrayBuffer());
  const text = bytes.toString('utf8');
  let parsed;
  if ((response.headers.get('content-type') ?? '').includes('json') && text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new CheckFailure(`${what}: HTTP ${response.status} with a body that is not JSON (${error.message}): ${text.slice(0, 300)}`);
    }
  }
  return { status: response.status, headers: response.headers, bytes, text, json: parsed };
}

const show = (response) => `HTTP ${response.status} ${response.text.slice(0, 400)}`;

function expectOk(response, what) {
  assert(response.status === 200, `${what}: expected HTTP 200, got ${show(response)}`);
  assert(response.json && typeof response.json === 'object', `${what}: expected a JSON object, got ${show(response)}`);
  return response.json;
}

// The HTTP status JSON transcoding gives each gRPC code (google/rpc/code.proto's mapping).
const HTTP_OF_GRPC = {
  1: 499, 2: 500, 3: 400, 4: 504, 5: 404, 6: 409, 7: 403, 8: 429, 9: 400, 10: 409, 11: 400,
  12: 501, 13: 500, 14: 503, 15: 500, 16: 401,
};

// Checks that a body is a google.rpc.Status JSON: numeric code, string message, details of Any.
function statusOf(response, what) {
  const status = response.json;
  assert(status && typeof status === 'object',
    `${what}: expected a google.rpc.Status JSON body, got ${show(response)}`);
  assert(Number.isInteger(status.code) && status.code > 0,
    `${what}: google.rpc.Status.code is not a non-zero integer: ${show(response)}`);
  assert(typeof status.message === 'string', `${what}: google.rpc.Status.message is not a string: ${show(response)}`);
  const details = status.details ?? [];
  assert(Array.isArray(details) && details.every((d) => typeof d?.['@type'] === 'string'),
    `${what}: details must be Any JSON objects with an @type: ${show(response)}`);
  return { ...status, details };
}

function expectError(response, httpStatus, grpcCode, what) {
  assert(response.status === httpStatus, `${what}: expected HTTP ${httpStatus}, got ${show(response)}`);
  const status = statusOf(response, what);
  assertEqual(status.code, grpcCode, `${what}: google.rpc.Status.code`);
  return status;
}

const detailsOf = (details, type) => details.filter((d) => d['@type'] === `type.googleapis.com/${type}`);

function fieldViolations(details, what) {
  const badRequests = detailsOf(details, 'google.rpc.BadRequest');
  assert(badRequests.length > 0,
    `${what}: no google.rpc.BadRequest detail (details: ${JSON.stringify(details.map((d) => d['@type']))})`);
  return badRequests.flatMap((d) => d.fieldViolations ?? []);
}

// 400 INVALID_ARGUMENT whose BadRequest names `field` (exactly, or by the predicate).
function expectBadRequest(response, field, what) {
  const status = expectError(response, 400, 3, what);
  const violations = fieldViolations(status.details, what);
  const matches = typeof field === 'function' ? field : (f) => f === field;
  const violation = violations.find((v) => matches(v.field));
  assert(violation, `${what}: no field violation for ${typeof field === 'function' ? 'the field' : `"${field}"`} in ${JSON.stringify(violations)}`);
  return `400, BadRequest ${violation.field}: ${violation.description}`;
}

// --- test data ---------------------------------------------------------------------------

const pad = (n, width) => String(n).padStart(width, '0');

// An 18-digit NIP: YYYYMMDD birth date + YYYYMM appointment month + gender 1/2 + 3 digits.
function randomNip() {
  const birthYear = 1965 + randomInt(30);
  const birthDay = 1 + randomInt(28); // always a real date
  const appointmentYear = birthYear + 20 + randomInt(10);
  return `${birthYear}${pad(1 + randomInt(12), 2)}${pad(birthDay, 2)}`
    + `${appointmentYear}${pad(1 + randomInt(12), 2)}${1 + randomInt(2)}${pad(randomInt(1000), 3)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isDate = (d) => d && Number.isInteger(d.year) && Number.isInteger(d.month) && Number.isInteger(d.day);

function newCase(nip, requestId) {
  return {
    nip,
    reportedName: 'REST Check',
    instansiCode: '3303',
    instansiName: 'Kabupaten Purbalingga',
    reportedPosition: { kind: 'POSITION_KIND_FUNGSIONAL', title: 'Guru Ahli Muda' },
    electionId: 'pilkada-2024',
    violationCode: 'FOTO_SIMBOL',
    actDate: { year: 2024, month: 10, day: 3 },
    place: { provinceCode: '33', regency: 'Kabupaten Purbalingga' },
    source: 'REPORT_SOURCE_BAWASLU',
    sourceReference: `REST/${requestId}`,
    evidenceReferences: [`https://example.invalid/rest/${requestId}.png`],
  };
}

// Reads a REST server stream (one JSON object per message) until `want` has matched one.
async function firstStreamedMessage(response, want, what) {
  const decoder = new TextDecoder();
  let buffered = '';
  const seen = [];
  const chunks = response.body[Symbol.asyncIterator]();
  for (;;) {
    let next;
    try {
      next = await chunks.next();
    } catch (error) {
      throw new CheckFailure(`${what}: ${error.name} while waiting for the expected message (saw ${JSON.stringify(seen)})`);
    }
    if (next.done) break;
    buffered += decoder.decode(next.value, { stream: true });
    // Messages are whole JSON objects; split on newlines, keep the unfinished tail.
    const lines = buffered.split('\n');
    buffered = lines.pop();
    for (const line of lines.map((l) => l.trim()).filter(Boolean)) {
      let message;
      try {
        message = JSON.parse(line);
      } catch (error) {
        throw new CheckFailure(`${what}: a streamed message is not JSON (${error.message}): ${line.slice(0, 300)}`);
      }
      seen.push(message.kind);
      if (want(message)) return { message, seen };
    }
  }
  throw new CheckFailure(`${what}: the stream ended without the expected message (saw ${JSON.stringify(seen)})`);
}

// --- the case flow -------------------------------------------------------------------------

// Files, checks, decides, recommends and follows up one case. `as` names the caller of each step:
// filer (FileCase), provincial (HasOpenCase, BatchCheckOpenCases), authority (DecideCase,
// IssueRecommendation), ppk (GetFollowUpStatus, WatchFollowUps, RecordFollowUp).
async function caseFlow(mode, as) {
  const tag = (name) => `[${mode}] ${name}`;
  const nip = randomNip();
  let other = randomNip();
  while (other === nip) other = randomNip();
  const requestId = randomUUID();
  const filePath = `/v1/cases?requestId=${requestId}`;
  let filed;

  await check(tag(`POST /v1/cases files a case (${as.filer.label})`), async () => {
    const response = await as.filer.call('POST', filePath, { json: newCase(nip, requestId) });
    filed = expectOk(response, 'FileCase');
    const match = /^cases\/(.+)$/.exec(filed.name ?? '');
    assert(match && UUID.test(match[1]), `name: expected cases/<uuid>, got ${JSON.stringify(filed.name)}`);
    assertEqual(filed.caseId, match[1], 'caseId (must match name)');
    assertEqual(filed.nip, nip, 'nip');
    assertEqual(filed.status, 'CASE_STATUS_UNDER_EXAMINATION', 'status (enum by name)');
    assertEqual(filed.open, true, 'open');
    assert(isDate(filed.actDate), `actDate: expected {year, month, day}, got ${JSON.stringify(filed.actDate)}`);
    assertEqual(response.headers.get('x-request-id'), requestId, 'x-request-id response header');
    return `${filed.name} nip=${nip} ${filed.status} ${filed.track}`;
  });
  const caseId = filed.caseId;

  await check(tag('POST /v1/cases again with the same requestId: same case'), async () => {
    const again = expectOk(await as.filer.call('POST', filePath, { json: newCase(nip, requestId) }), 'FileCase (repeat)');
    assertEqual(again.name, filed.name, 'name of the repeated FileCase');
    return again.name;
  });

  await check(tag(`GET /v1/personnel/{nip}:hasOpenCase is true (${as.provincial.label})`), async () => {
    const answer = expectOk(await as.provincial.call('GET', `/v1/personnel/${nip}:hasOpenCase`), 'HasOpenCase');
    assertEqual(answer.nip, nip, 'nip');
    assertEqual(answer.hasOpenCase, true, 'hasOpenCase');
    assertEqual(answer.openCaseCount, 1, 'openCaseCount');
    return `hasOpenCase=true openCaseCount=1 blocked=${answer.blocked}`;
  });

  await check(tag(`POST /v1/personnel:batchCheckOpenCases keeps order, bad NIP gets its own error (${as.provincial.label})`), async () => {
    const nips = [nip, '123', other, nip];
    const response = await as.provincial.call('POST', '/v1/personnel:batchCheckOpenCases', { json: { nips } });
    const { answers } = expectOk(response, 'BatchCheckOpenCases');
    assert(Array.isArray(answers), `answers: expected an array, got ${response.text.slice(0, 300)}`);
    assertEqual(answers.length, nips.length, 'number of answers');
    answers.forEach((answer, i) => {
      assertEqual(answer.nip, nips[i], `answers[${i}].nip (answers out of order?)`);
      if (nips[i] === '123') {
        assert(answer.error, `answers[${i}]: expected an error for "123", got ${JSON.stringify(answer)}`);
        assertEqual(answer.error.code, 3, `answers[${i}].error.code`);
        const violations = fieldViolations(answer.error.details ?? [], `answers[${i}].error.details`);
        assert(violations.some((v) => v.field === `nips[${i}]`),
          `answers[${i}]: no field violation naming nips[${i}]: ${JSON.stringify(violations)}`);
      } else {
        assert(!answer.error, `answers[${i}]: unexpected error ${JSON.stringify(answer.error)}`);
        assertEqual(answer.hasOpenCase, nips[i] === nip, `answers[${i}].hasOpenCase`);
      }
    });
    return `${nips.length} NIPs -> ${answers.length} answers in order, "123" -> error code 3 naming nips[1]`;
  });

  await check(tag(`POST /v1/cases/{id}:decide OUTCOME_PROVEN (${as.authority.label})`), async () => {
    const decided = expectOk(await as.authority.call('POST', `/v1/cases/${caseId}:decide`, {
      json: { outcome: 'OUTCOME_PROVEN', decisionReference: 'REST/BA/1', decidedOn: { year: 2024, month: 10, day: 20 } },
    }), 'DecideCase');
    assertEqual(decided.name, filed.name, 'name');
    assertEqual(decided.status, 'CASE_STATUS_PROVEN', 'status');
    assertEqual(decided.decision?.outcome, 'OUTCOME_PROVEN', 'decision.outcome');
    return `${decided.name} ${decided.status}`;
  });

  let recommendation;
  await check(tag(`POST /v1/cases/{id}/recommendations issues a recommendation (${as.authority.label})`), async () => {
    recommendation = expectOk(await as.authority.call('POST', `/v1/cases/${caseId}/recommendations?requestId=${randomUUID()}`, {
      json: {
        authorityCode: 'BKN',
        letterNumber: `B-REST/${requestId.slice(0, 8)}/2024`,
        issuedOn: { year: 2024, month: 10, day: 25 },
        ppkInstansiCode: '3303',
        ppkInstansiName: 'Kabupaten Purbalingga',
        sanction: { level: 'SANCTION_LEVEL_HD_SEDANG' },
      },
    }), 'IssueRecommendation');
    assert(/^recommendations\/.+$/.test(recommendation.name ?? ''), `name: expected recommendations/<id>, got ${JSON.stringify(recommendation.name)}`);
    assertEqual(recommendation.case, filed.name, 'case');
    assertEqual(recommendation.status, 'RECOMMENDATION_STATUS_AWAITING_FOLLOW_UP', 'status');
    assert(isDate(recommendation.dueOn), `dueOn: expected {year, month, day}, got ${JSON.stringify(recommendation.dueOn)}`);
    const d = recommendation.dueOn;
    return `${recommendation.name} due ${d.year}-${pad(d.month, 2)}-${pad(d.day, 2)}`;
  });
  const recommendationId = recommendation.name.slice('recommendations/'.length);

  await check(tag(`GET /v1/cases/{id}:followUpStatus (${as.ppk.label})`), async () => {
    const status = expectOk(await as.ppk.call('GET', `/v1/cases/${caseId}:followUpStatus?asOf.year=2024&asOf.month=11&asOf.day=1`),
      'GetFollowUpStatus');
    assertEqual(status.recommendation, recommendation.name, 'recommendation');
    assertEqual(status.status, 'RECOMMENDATION_STATUS_AWAITING_FOLLOW_UP', 'status');
    assertEqual(status.dueOn, recommendation.dueOn, 'dueOn');
    assertEqual(status.asOf, { year: 2024, month: 11, day: 1 }, 'asOf (query parameters asOf.year/month/day)');
    assert(Number.isInteger(status.workingDaysLeft) && status.workingDaysLeft > 0,
      `workingDaysLeft: expected a positive integer on 2024-11-01, got ${JSON.stringify(status.workingDaysLeft)}`);
    assertEqual(status.overdue, false, 'overdue');
    return `${status.status}, ${status.workingDaysLeft} working days left on 2024-11-01, ${status.history?.length ?? 0} history entries`;
  });

  await check(tag(`GET /v1/recommendations:watch streams the follow-up as JSON (${as.ppk.label})`), async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), CALL_TIMEOUT_MS);
    try {
      // The transcoder sends the response head with the first message, so start the watch, then
      // record the follow-up (PPK's decree at the recommended level: complied) that it must see.
      const watching = as.ppk.call('GET', `/v1/recommendations:watch?recommendation=${recommendation.name}`,
        { signal: controller.signal, rawResponse: true });
      watching.catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 300));
      const followUp = expectOk(await as.ppk.call('POST', `/v1/recommendations/${recommendationId}:recordFollowUp`, {
        json: { decreeNumber: `800/REST/${requestId.slice(0, 8)}`, decreeDate: { year: 2024, month: 11, day: 5 },
          imposed: { level: 'SANCTION_LEVEL_HD_SEDANG' } },
      }), 'RecordFollowUp');
      assertEqual(followUp.status, 'RECOMMENDATION_STATUS_COMPLIED', 'RecordFollowUp status');
      const response = await watching;
      if (response.status !== 200) throw new CheckFailure(`watch: expected HTTP 200, got ${response.status} ${await response.text()}`);
      const { message, seen } = await firstStreamedMessage(response,
        (m) => m.kind === 'FOLLOW_UP_EVENT_KIND_FOLLOWED_UP_COMPLIANT', 'watch');
      assertEqual(message.recommendation, recommendation.name, 'streamed change: recommendation');
      assertEqual(message.status, 'RECOMMENDATION_STATUS_COMPLIED', 'streamed change: status');
      assert(typeof message.resumeToken === 'string' && message.resumeToken.length > 0, 'streamed change: resumeToken');
      return `recordFollowUp -> COMPLIED; streamed ${seen.join(', ')}`;
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  });

  await check(tag(`GET /v1/personnel/{nip}:hasOpenCase is false once sanctioned (${as.provincial.label})`), async () => {
    const answer = expectOk(await as.provincial.call('GET', `/v1/personnel/${nip}:hasOpenCase`), 'HasOpenCase');
    assertEqual(answer.hasOpenCase, false, 'hasOpenCase');
    assertEqual(answer.openCaseCount, 0, 'openCaseCount');
    return 'hasOpenCase=false openCaseCount=0';
  });

  await check(tag(`GET /v1/personnel/123:hasOpenCase is 400 with BadRequest naming nip (${as.provincial.label})`), async () =>
    expectBadRequest(await as.provincial.call('GET', '/v1/personnel/123:hasOpenCase'), 'nip', 'HasOpenCase("123")'));

  await check(tag(`GET hasOpenCase with birth date 1986-02-30 is 400 naming nip (${as.provincial.label})`), async () =>
    expectBadRequest(await as.provincial.call('GET', '/v1/personnel/198602302010011001:hasOpenCase'), 'nip',
      'HasOpenCase(1986-02-30)'));

  await check(tag(`POST /v1/cases with malformed JSON is 400 with BadRequest (${as.filer.label})`), async () =>
    expectBadRequest(await as.filer.call('POST', `/v1/cases?requestId=${randomUUID()}`, { json: '{"nip": "1986' }),
      () => true, 'FileCase(malformed JSON)'));

  await check(tag(`POST /v1/cases with an unknown field is 400 naming it (${as.filer.label})`), async () => {
    const body = { ...newCase(randomNip(), randomUUID()), colour: 'red' };
    return expectBadRequest(await as.filer.call('POST', `/v1/cases?requestId=${randomUUID()}`, { json: body }),
      (field) => field.includes('colour'), 'FileCase(unknown field)');
  });
  return { nip, caseId, recommendationId };
}

// --- development mode extras -----------------------------------------------------------------

async function downloadsAndUploads(mode, dev) {
  const tag = (name) => `[${mode}] ${name}`;
  await check(tag('GET /v1/statistics:export?format=EXPORT_FORMAT_XLSX downloads a workbook'), async () => {
    const response = await dev.call('GET', '/v1/statistics:export?format=EXPORT_FORMAT_XLSX');
    assert(response.status === 200, `expected HTTP 200, got ${show(response)}`);
    const type = response.headers.get('content-type') ?? '';
    assert(type.includes('spreadsheetml'), `content-type: expected an XLSX type, got ${JSON.stringify(type)}`);
    assert(response.bytes.subarray(0, 2).toString('latin1') === 'PK', 'the body is not a ZIP (XLSX) file');
    return `${type}, ${response.bytes.length} bytes`;
  });
  await check(tag('POST /v1/personnel:import (text/csv body) imports a row, int64 counts as strings'), async () => {
    const nip = randomNip();
    const response = await dev.call('POST', '/v1/personnel:import',
      { body: `nipBaru,nama\n${nip},REST Check\n`, contentType: 'text/csv' });
    const result = expectOk(response, 'UploadPersonnelExport');
    assertEqual(result.received, '1', 'received (int64 as a string)');
    assertEqual(result.rejected, '0', 'rejected');
    return `received=${result.received} inserted=${result.inserted} rejected=${result.rejected}`;
  });
}

// --- the OpenAPI document --------------------------------------------------------------------

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function resolvePointer(document, ref) {
  if (!ref.startsWith('#/')) return undefined;
  return ref.slice(2).split('/').map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((node, key) => (node && typeof node === 'object' ? node[key] : undefined), document);
}

// Schema validation by an independent validator, plus what a JSON schema cannot say: every $ref
// resolves, every {variable} of a path is a required path parameter and vice versa, operationIds
// are unique.
function validateOpenApi(document) {
  const problems = [];
  assert(typeof document.openapi === 'string' && document.openapi.startsWith('3.0.'),
    `expected an OpenAPI 3.0.x document, got openapi=${JSON.stringify(document.openapi)}`);
  const Validator = OpenApiSchemaValidator.default ?? OpenApiSchemaValidator;
  const { errors } = new Validator({ version: 3 }).validate(document);
  for (const error of errors) problems.push(`${error.instancePath || '/'} ${error.message} ${JSON.stringify(error.params)}`);

  let refs = 0;
  const walk = (node, where) => {
    if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${where}/${i}`));
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') {
          refs += 1;
          if (resolvePointer(document, value) === undefined) problems.push(`${where}: $ref ${value} does not resolve`);
        } else walk(value, `${where}/${key}`);
      }
    }
  };
  walk(document, '#');

  const operationIds = new Set();
  let operations = 0;
  for (const [template, item] of Object.entries(document.paths ?? {})) {
    const variables = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const method of HTTP_METHODS.filter((m) => item[m])) {
      operations += 1;
      const operation = item[method];
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])]
        .map((p) => (p.$ref ? resolvePointer(document, p.$ref) : p));
      const inPath = parameters.filter((p) => p?.in === 'path');
      for (const variable of variables) {
        const parameter = inPath.find((p) => p.name === variable);
        if (!parameter) problems.push(`${method.toUpperCase()} ${template}: no path parameter for {${variable}}`);
        else if (parameter.required !== true) problems.push(`${method.toUpperCase()} ${template}: path parameter ${variable} is not required`);
      }
      for (const parameter of inPath.filter((p) => !variables.includes(p.name))) {
        problems.push(`${method.toUpperCase()} ${template}: path parameter ${parameter.name} is not in the path`);
      }
      if (operation.operationId) {
        if (operationIds.has(operation.operationId)) problems.push(`duplicate operationId ${operation.operationId}`);
        operationIds.add(operation.operationId);
      }
    }
  }
  assert(problems.length === 0, `${problems.length} problem(s): ${problems.slice(0, 10).join('; ')}`);
  return { operations, refs };
}

// A value for a path variable: the flow's NIP, case and recommendation, a known election, calendar
// year and agency; else an id that names nothing (a domain NOT_FOUND, not a routing one).
function placeholder(template, variable, known) {
  const collection = /^\/v1\/([A-Za-z]+)\//.exec(template)?.[1];
  if (/nip/i.test(variable) || collection === 'personnel') return known.nip;
  if (/instansi/i.test(variable)) return '3303';
  if (collection === 'cases') return known.caseId;
  if (collection === 'recommendations') return known.recommendationId;
  if (collection === 'elections') return 'pilkada-2024';
  if (collection === 'calendarYears') return '2024';
  return '00000000-0000-7000-8000-000000000000';
}

const refOf = (schema) => schema?.$ref ?? '';

// Validates 200 JSON bodies against the document's response schemas (ajv; OpenAPI 3.0 schemas are
// JSON Schema plus `nullable`, which ajv knows).
function responseValidator(document) {
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true, verbose: true });
  ajv.addSchema({ $id: 'openapi.json', components: document.components });
  const compiled = new Map();
  return (schema, body) => {
    const key = JSON.stringify(schema);
    if (!compiled.has(key)) {
      compiled.set(key, ajv.compile(JSON.parse(key.replaceAll('"#/components/', '"openapi.json#/components/'))));
    }
    const validate = compiled.get(key);
    if (validate(body)) return [];
    return validate.errors.map((error) =>
      `${error.instancePath || '/'} ${error.message}${error.params?.additionalProperty ? ` (${error.params.additionalProperty})` : ''}`);
  };
}

// A file upload: the document gives its body as text/csv (binary), not JSON.
const isUpload = (requestBody) => Object.keys(requestBody?.content ?? {}).includes('text/csv');

// Calls one operation once with placeholders; throws unless the call reached its method: no
// routing 404 (ErrorInfo NO_SUCH_PATH), no 405, no 5xx, and an error body is a google.rpc.Status
// under the HTTP status of its code.
async function callOperation(dev, document, method, template, operation, known, validateResponse) {
  const target = template.replace(/\{([^}]+)\}/g, (_, variable) => encodeURIComponent(placeholder(template, variable, known)));
  const verb = method.toUpperCase();
  const options = {};
  let sent = '';
  if (operation.requestBody) {
    if (isUpload(operation.requestBody)) {
      Object.assign(options, { body: `nipBaru,nama\n${randomNip()},Sweep\n`, contentType: 'text/csv' });
      sent = ' (CSV body)';
    } else {
      options.json = {};
      sent = ' {}';
    }
  }

  const where = `${verb} ${target}`;
  let response;
  if (/:watch$/.test(template)) {
    // A server stream: its head comes at once, its messages as changes commit (a watch without a resume token
    // replays the last few seconds' changes). Read what comes within ~1 s, then abort.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), WATCH_OPEN_MS);
    try {
      const raw = await dev.call(verb, target, { ...options, signal: controller.signal, rawResponse: true });
      if (raw.status !== 200) {
        clearTimeout(timer);
        response = await readResponse(where, raw);
      } else {
        let text = '';
        try {
          for await (const chunk of raw.body) text += Buffer.from(chunk).toString('utf8');
        } catch (error) {
          if (error?.name !== 'AbortError') throw error;
        }
        const messages = text.split('\n').slice(0, -1).map((line) => line.trim()).filter(Boolean);
        const schema = operation.responses?.['200']?.content?.['application/json']?.schema;
        for (const line of messages) {
          let message;
          try {
            message = JSON.parse(line);
          } catch (error) {
            throw new CheckFailure(`${where}: a streamed message is not JSON (${error.message}): ${line.slice(0, 300)}`);
          }
          if (schema) {
            const errors = validateResponse(schema, message);
            assert(errors.length === 0, `${where}: a streamed message does not match ${refOf(schema)}: ${errors.slice(0, 5).join('; ')}`);
          }
        }
        return `${where}${sent} -> 200, ${messages.length} JSON message(s) within ${WATCH_OPEN_MS / 1000} s${schema && messages.length ? `, matching ${refOf(schema).split('/').pop()}` : ''}; aborted`;
      }
    } catch (error) {
      if (error?.name !== 'AbortError') throw error;
      return `${where}${sent} -> stream open, no message (and so no head) within ${WATCH_OPEN_MS / 1000} s; aborted`;
    } finally {
      clearTimeout(timer);
    }
  } else {
    response = await dev.call(verb, target, options);
  }

  assert(response.status !== 405, `${where}: 405 Method Not Allowed: ${show(response)}`);
  assert(response.status < 500, `${where}: server error ${show(response)}`);
  if (response.status === 200) {
    const type = (response.headers.get('content-type') ?? '').split(';')[0];
    const schema = operation.responses?.['200']?.content?.['application/json']?.schema;
    if (!schema || refOf(schema).endsWith('/HttpBody') || /:watch$/.test(template)) return `${where}${sent} -> 200 ${type}`;
    assert(response.json !== undefined, `${where}: 200 without a JSON body: ${show(response)}`);
    const errors = validateResponse(schema, response.json);
    assert(errors.length === 0,
      `${where}: the 200 body does not match ${refOf(schema) || 'its schema'}: ${errors.slice(0, 5).join('; ')} - body ${response.text.slice(0, 300)}`);
    return `${where}${sent} -> 200 ${type}, matches ${refOf(schema).split('/').pop()}`;
  }
  const status = statusOf(response, where);
  const noSuchPath = detailsOf(status.details, 'google.rpc.ErrorInfo').find((d) => d.reason === 'NO_SUCH_PATH' || d.reason === 'METHOD_NOT_ALLOWED');
  assert(!noSuchPath, `${where}: routing error (${noSuchPath?.reason}): ${show(response)}`);
  assertEqual(response.status, HTTP_OF_GRPC[status.code], `${where}: HTTP status of gRPC code ${status.code}`);
  if (response.status === 404) {
    assert(detailsOf(status.details, 'google.rpc.ResourceInfo').length > 0,
      `${where}: 404 without a ResourceInfo (not a domain NOT_FOUND?): ${show(response)}`);
  }
  const detail = status.details.map((d) => d['@type'].split('.').pop()).join(',');
  return `${where}${sent} -> ${response.status} code ${status.code}${detail ? ` (${detail})` : ''}`;
}

async function openApiDocument(mode, dev) {
  let document;
  await check(`[${mode}] GET ${OPENAPI_PATH} is a valid OpenAPI 3.0 document`, async () => {
    const response = await dev.call('GET', OPENAPI_PATH);
    document = expectOk(response, OPENAPI_PATH);
    const { operations, refs } = validateOpenApi(document);
    return `openapi ${document.openapi}, ${Object.keys(document.paths).length} paths, ${operations} operations, ${refs} $refs resolved (openapi-schema-validator)`;
  });
  return document;
}

async function openApiSweep(mode, dev, document, known) {
  const tag = (name) => `[${mode}] ${name}`;
  const validateResponse = responseValidator(document);
  const operations = Object.entries(document.paths)
    .flatMap(([template, item]) => HTTP_METHODS.filter((m) => item[m]).map((m) => [m, template, item[m]]));
  // The escalation run and the writes go last, after every read has seen the flow's data.
  operations.sort(([a], [b]) => (a === 'get' ? 0 : 1) - (b === 'get' ? 0 : 1));
  for (const [method, template, operation] of operations) {
    await check(tag(`${method.toUpperCase()} ${template} reaches its method`),
      () => callOperation(dev, document, method, template, operation, known, validateResponse));
  }
}

// --- main ------------------------------------------------------------------------------

function usage() {
  console.error('usage: node rest-check.mjs http://HOST:PORT                       (development mode, REST over HTTP/1.1)');
  console.error('       node rest-check.mjs https://HOST:PORT --credentials DIR   (secure mode; bearer token in NETRALITAS_TOKEN)');
  process.exit(2);
}

async function main() {
  const [base, ...rest] = process.argv.slice(2);
  if (!base || !/^https?:\/\//.test(base)) usage();
  let credentials;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--credentials' && rest[i + 1]) credentials = path.resolve(rest[++i]);
    else usage();
  }
  const url = new URL(base);
  console.log(`rest: gateway at ${url.origin}${credentials ? `, credentials from ${credentials}` : ''}`);

  if (url.protocol === 'http:') {
    if (credentials) usage();
    // Development mode: Node's own fetch, no credentials; the caller has every role.
    const dev = caller('developer', url.origin);
    const document = await openApiDocument('dev http/1.1', dev);
    const known = await caseFlow('dev http/1.1', { filer: dev, provincial: dev, authority: dev, ppk: dev });
    await downloadsAndUploads('dev http/1.1', dev);
    await openApiSweep('dev http/1.1', dev, document, known);
  } else {
    if (!credentials) usage();
    const read = (file) => readFileSync(path.join(credentials, file));
    const ca = read('ca.crt');
    const agents = [];
    const agent = (connect, options = {}) => { const a = new Agent({ ...options, connect: { ca, ...connect } }); agents.push(a); return a; };
    const member = (id) => caller(id, url.origin, {
      fetchImpl: undiciFetch,
      dispatcher: agent({ cert: read(`members/${id}.crt`), key: read(`members/${id}.key`) }),
    });
    const anonymous = caller('no credentials', url.origin, { fetchImpl: undiciFetch, dispatcher: agent({}) });

    await check('[tls] the OpenAPI document is served without credentials', async () => {
      const document = expectOk(await anonymous.call('GET', OPENAPI_PATH), OPENAPI_PATH);
      assert(String(document.openapi).startsWith('3.0.'), `openapi: ${document.openapi}`);
      return `openapi ${document.openapi}, ${Object.keys(document.paths ?? {}).length} paths`;
    });
    await check('[tls] GET /v1/cases without credentials is 401 UNAUTHENTICATED', async () => {
      const status = expectError(await anonymous.call('GET', '/v1/cases'), 401, 16, 'ListCases without credentials');
      return status.message;
    });

    const provincial = member('pemprov-33');
    await caseFlow('tls http/1.1 client certificate', {
      filer: member('bawaslu-ri'), provincial, authority: member('kasn'), ppk: member('ppk-3303'),
    });
    await check('[tls http/1.1 client certificate] GET /v1/cases as the provincial member is 403 PERMISSION_DENIED', async () => {
      const status = expectError(await provincial.call('GET', '/v1/cases'), 403, 7, 'ListCases as pemprov-33');
      return status.message;
    });

    const token = process.env.NETRALITAS_TOKEN?.trim();
    if (token) {
      await check('[tls] the port speaks HTTP/2 too: ALPN h2, GET /v1/cases with the bearer token (node:http2)', () =>
        new Promise((resolve, reject) => {
          const session = http2.connect(url.origin, { ca });
          session.on('error', reject);
          session.setTimeout(CALL_TIMEOUT_MS, () => { session.destroy(); reject(new CheckFailure('no answer over HTTP/2')); });
          const request = session.request({ ':path': '/v1/cases?pageSize=1', authorization: `Bearer ${token}`, accept: 'application/json' });
          let status;
          let body = '';
          request.on('response', (headers) => { status = headers[':status']; });
          request.setEncoding('utf8');
          request.on('data', (chunk) => { body += chunk; });
          request.on('error', reject);
          request.on('end', () => {
            const alpn = session.alpnProtocol;
            session.close();
            if (alpn !== 'h2') reject(new CheckFailure(`ALPN chose ${alpn}, not h2`));
            else if (status !== 200) reject(new CheckFailure(`expected HTTP 200, got ${status} ${body.slice(0, 300)}`));
            else resolve(`ALPN ${alpn}, :status ${status}, ${JSON.parse(body).cases.length} case`);
          });
        }));
      // This one over HTTP/2 (ALPN h2): the same port serves REST over both versions.
      const bearer = caller('bearer token', url.origin, {
        fetchImpl: undiciFetch, dispatcher: agent({}, { allowH2: true }), headers: { authorization: `Bearer ${token}` },
      });
      await caseFlow('tls h2 bearer token', { filer: bearer, provincial: bearer, authority: bearer, ppk: bearer });
      await check('[tls] a bearer token that is not a valid JWT is 401', async () => {
        const forged = caller('forged token', url.origin, {
          fetchImpl: undiciFetch, dispatcher: agent({}), headers: { authorization: `Bearer ${token.slice(0, -4)}AAAA` },
        });
        return expectError(await forged.call('GET', '/v1/cases'), 401, 16, 'ListCases with a bad signature').message;
      });
    } else {
      console.log('SKIP [tls bearer token] case flow - NETRALITAS_TOKEN is not set');
    }
    await Promise.all(agents.map((a) => a.close()));
  }
  done();
}

main().catch(crash);
