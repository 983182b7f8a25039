#!/usr/bin/env node
// Independent (non-.NET) interop check for the Netralitas gateway.
//
// Builds a gRPC client at run time from the .proto files in <repo>/protos (plus the
// Google common protos from the `google-proto-files` npm package) and exercises the
// running gateway over plaintext HTTP/2:
//
//   node check.mjs 127.0.0.1:5080
//
// Prints one line per check and exits non-zero on the first failure.

import { randomInt, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';

import { assert, assertEqual, CheckFailure, describeError as describeCheckError, harness } from './harness.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const packageDir = (name) => path.dirname(require.resolve(`${name}/package.json`));

// --- proto locations -------------------------------------------------------------------

const PROTOS_DIR = path.resolve(here, '..', '..', 'protos');
const GOOGLE_PROTOS_DIR = packageDir('google-proto-files'); // holds google/api, google/rpc, google/type, google/protobuf
const HEALTH_PROTO = path.join(packageDir('grpc-health-check'), 'proto', 'health', 'v1', 'health.proto');
const REFLECTION_PROTO_DIR = path.join(packageDir('@grpc/reflection'), 'build', 'proto');

const LOADER_OPTIONS = {
  keepCase: true, // field names exactly as in the .proto files (snake_case)
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTOS_DIR, GOOGLE_PROTOS_DIR, REFLECTION_PROTO_DIR],
};

const UNARY_TIMEOUT_MS = 15_000;
const HEALTH_WAIT_MS = 60_000;

// --- output ----------------------------------------------------------------------------

// describeError is hoisted below: a gRPC error is named by its status.
const { check, done, crash } = harness('interop', describeError);

function describeError(error) {
  if (error && !(error instanceof CheckFailure) && typeof error.code === 'number' && 'details' in error) {
    return `unexpected gRPC error ${statusName(error.code)} (${error.code}): ${error.details}`;
  }
  return describeCheckError(error);
}

function statusName(code) {
  return Object.keys(grpc.status).find((key) => grpc.status[key] === code) ?? `code ${code}`;
}

// --- gRPC helpers ----------------------------------------------------------------------

const deadline = (ms = UNARY_TIMEOUT_MS) => ({ deadline: Date.now() + ms });

function unary(client, method, request, timeoutMs = UNARY_TIMEOUT_MS) {
  return new Promise((resolve, reject) => {
    client[method](request, deadline(timeoutMs), (error, response) =>
      error ? reject(error) : resolve(response));
  });
}

// Resolves to the gRPC error of a call that must fail; rejects if it succeeds.
async function unaryError(client, method, request) {
  let response;
  try {
    response = await unary(client, method, request);
  } catch (error) {
    if (typeof error?.code === 'number') return error;
    throw error;
  }
  throw new CheckFailure(`${method} succeeded but should have failed: ${JSON.stringify(response)}`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// A duplex call read one response at a time (lock-step request/response).
function duplexReader(call) {
  const queue = [];
  const waiters = [];
  let finished = null; // { error } | { end: true }
  let status = null;
  const statusWaiters = [];

  const wake = () => {
    while (waiters.length && (queue.length || finished)) {
      const waiter = waiters.shift();
      if (queue.length) waiter.resolve(queue.shift());
      else if (finished.error) waiter.reject(finished.error);
      else waiter.resolve(null);
    }
  };
  call.on('data', (message) => { queue.push(message); wake(); });
  call.on('error', (error) => { finished ??= { error }; wake(); });
  call.on('end', () => { finished ??= { end: true }; wake(); });
  call.on('status', (s) => {
    status = s;
    while (statusWaiters.length) statusWaiters.shift()(s);
  });

  return {
    // Next message, or null at the end of the stream.
    next(timeoutMs = UNARY_TIMEOUT_MS) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new CheckFailure(`no response message within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          resolve: (value) => { clearTimeout(timer); resolve(value); },
          reject: (error) => { clearTimeout(timer); reject(error); },
        });
        wake();
      });
    },
    status(timeoutMs = UNARY_TIMEOUT_MS) {
      if (status) return Promise.resolve(status);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new CheckFailure(`no final status within ${timeoutMs} ms`)),
          timeoutMs,
        );
        statusWaiters.push((s) => { clearTimeout(timer); resolve(s); });
      });
    },
  };
}

// --- google.rpc.Status decoding (protobufjs) ---------------------------------------------

function loadRpcTypes() {
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => {
    for (const dir of [GOOGLE_PROTOS_DIR, PROTOS_DIR]) {
      const candidate = path.join(dir, target);
      if (existsSync(candidate)) return candidate;
    }
    return protobuf.util.path.resolve(origin, target);
  };
  root.loadSync(['google/rpc/status.proto', 'google/rpc/error_details.proto'], { keepCase: true });
  root.resolveAll();
  return root;
}

const rpcRoot = loadRpcTypes();
const StatusType = rpcRoot.lookupType('google.rpc.Status');

// Unpacks the google.protobuf.Any details of a google.rpc.Status into { type, message }.
function unpackDetails(details) {
  return (details ?? []).map((any) => {
    const type = any.type_url.slice(any.type_url.lastIndexOf('/') + 1);
    let message = null;
    try {
      const messageType = rpcRoot.lookupType(type);
      message = messageType.toObject(messageType.decode(any.value), { defaults: true });
    } catch {
      // unknown detail type: keep it opaque
    }
    return { type, message };
  });
}

// Decodes the `grpc-status-details-bin` trailer of a failed call into a google.rpc.Status.
function richStatus(error) {
  const values = error.metadata?.get('grpc-status-details-bin') ?? [];
  assert(values.length === 1,
    `expected one grpc-status-details-bin trailer, got ${values.length} (status ${statusName(error.code)}: ${error.details})`);
  const status = StatusType.toObject(StatusType.decode(values[0]), { defaults: true });
  return { code: status.code, message: status.message, details: unpackDetails(status.details) };
}

function badRequestViolations(details, where) {
  const badRequests = details.filter((d) => d.type === 'google.rpc.BadRequest');
  assert(badRequests.length > 0,
    `${where}: no google.rpc.BadRequest detail (details: ${JSON.stringify(details.map((d) => d.type))})`);
  return badRequests.flatMap((d) => d.message.field_violations);
}

function assertInvalidNip(error, field) {
  assertEqual(error.code, grpc.status.INVALID_ARGUMENT, `status code (${error.details})`);
  const status = richStatus(error);
  assertEqual(status.code, grpc.status.INVALID_ARGUMENT, 'google.rpc.Status.code in the trailer');
  const violations = badRequestViolations(status.details, 'grpc-status-details-bin');
  const violation = violations.find((v) => v.field === field);
  assert(violation,
    `no field violation for "${field}" in BadRequest: ${JSON.stringify(violations)}`);
  return `INVALID_ARGUMENT, BadRequest ${field}: ${violation.description}`;
}

// --- test data ---------------------------------------------------------------------------

const pad = (n, width) => String(n).padStart(width, '0');

// An 18-digit NIP: YYYYMMDD birth date + YYYYMM appointment month + gender 1/2 + 3 digits.
function randomNip() {
  const birthYear = 1965 + randomInt(30);
  const birthMonth = 1 + randomInt(12);
  const birthDay = 1 + randomInt(28); // always a real date
  const appointmentYear = birthYear + 20 + randomInt(10);
  const appointmentMonth = 1 + randomInt(12);
  const gender = 1 + randomInt(2);
  return `${birthYear}${pad(birthMonth, 2)}${pad(birthDay, 2)}`
    + `${appointmentYear}${pad(appointmentMonth, 2)}${gender}${pad(randomInt(1000), 3)}`;
}

// --- main ------------------------------------------------------------------------------

async function main() {
  const address = process.argv[2];
  if (!address || process.argv.length > 3) {
    console.error('usage: node check.mjs <host:port>   (plaintext HTTP/2, e.g. 127.0.0.1:5080)');
    process.exit(2);
  }
  const credentials = grpc.credentials.createInsecure();

  const definition = protoLoader.loadSync(
    [
      'netralitas/v1/case_service.proto',
      'netralitas/v1/catalog_service.proto',
      HEALTH_PROTO,
      'grpc/reflection/v1/reflection.proto',
      'grpc/reflection/v1alpha/reflection.proto',
    ],
    LOADER_OPTIONS,
  );
  const loaded = grpc.loadPackageDefinition(definition);
  const v1 = loaded.netralitas.v1;
  const clients = [];
  const client = (Ctor) => { const c = new Ctor(address, credentials); clients.push(c); return c; };

  const health = client(loaded.grpc.health.v1.Health);
  const cases = client(v1.CaseService);

  console.log(`interop: gateway at ${address}, protos from ${PROTOS_DIR}`);

  // 1. Health: wait until the overall status ("") is SERVING.
  await check('health Check("") is SERVING', async () => {
    const started = Date.now();
    let last = 'no answer yet';
    while (Date.now() - started < HEALTH_WAIT_MS) {
      try {
        const response = await unary(health, 'Check', { service: '' }, 5_000);
        if (response.status === 'SERVING') {
          return `after ${((Date.now() - started) / 1000).toFixed(1)} s`;
        }
        last = `status ${response.status}`;
      } catch (error) {
        last = describeError(error);
      }
      await sleep(500);
    }
    throw new CheckFailure(`not SERVING within ${HEALTH_WAIT_MS / 1000} s; last: ${last}`);
  });

  // 2. Server reflection lists netralitas.v1.CaseService (v1, falling back to v1alpha).
  await check('reflection lists netralitas.v1.CaseService', async () => {
    const listServices = async (Ctor) => {
      const reflection = client(Ctor);
      const call = reflection.ServerReflectionInfo(deadline());
      const reader = duplexReader(call);
      call.write({ host: '', list_services: '*' });
      const response = await reader.next();
      call.end();
      assert(response, 'reflection stream ended without a response');
      assert(!response.error_response,
        `reflection error ${JSON.stringify(response.error_response)}`);
      assert(response.list_services_response,
        `expected list_services_response, got ${response.message_response}`);
      return response.list_services_response.service.map((s) => s.name);
    };
    let version = 'v1';
    let services;
    try {
      services = await listServices(loaded.grpc.reflection.v1.ServerReflection);
    } catch (error) {
      if (error?.code !== grpc.status.UNIMPLEMENTED) throw error;
      version = 'v1alpha';
      services = await listServices(loaded.grpc.reflection.v1alpha.ServerReflection);
    }
    assert(services.includes('netralitas.v1.CaseService'),
      `netralitas.v1.CaseService not among ${JSON.stringify(services)}`);
    return `grpc.reflection.${version}: ${services.join(', ')}`;
  });

  // 3. FileCase.
  const nip = randomNip();
  const requestId = randomUUID();
  const fileRequest = {
    request_id: requestId,
    case: {
      nip,
      reported_name: 'Interop Check',
      instansi_code: 'INTEROP-1',
      instansi_name: 'Pemerintah Kabupaten Interop',
      reported_position: { kind: 'POSITION_KIND_PELAKSANA', title: 'Pelaksana Interop' },
      election_id: 'pilkada-2024',
      violation_code: 'MEDSOS_KAMPANYE',
      act_date: { year: 2024, month: 10, day: 1 },
      place: { province_code: '33', regency: 'Kabupaten Purbalingga' },
      source: 'REPORT_SOURCE_PUBLIC',
      source_reference: `INTEROP/${requestId}`,
      evidence_references: [`https://example.invalid/interop/${requestId}.png`],
    },
  };
  let filed;
  await check('FileCase files a case', async () => {
    filed = await unary(cases, 'FileCase', fileRequest);
    const match = /^cases\/(.+)$/.exec(filed.name);
    assert(match, `name: expected cases/<id>, got ${JSON.stringify(filed.name)}`);
    assert(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(match[1]),
      `name: expected cases/<uuid>, got ${JSON.stringify(filed.name)}`);
    assertEqual(filed.case_id, match[1], 'case_id (must match name)');
    assertEqual(filed.nip, nip, 'nip');
    assertEqual(filed.status, 'CASE_STATUS_UNDER_EXAMINATION', 'status');
    assertEqual(filed.track, 'TRACK_DISCIPLINE', 'track');
    assertEqual(filed.period, 'PERIOD_DURING_CAMPAIGN', 'period');
    assertEqual(filed.open, true, 'open');
    assertEqual(filed.source, 'REPORT_SOURCE_PUBLIC', 'source');
    return `${filed.name} nip=${nip} ${filed.status} ${filed.track} ${filed.period}`;
  });

  // 4. FileCase again with the same request_id: same case.
  await check('FileCase is idempotent by request_id', async () => {
    const again = await unary(cases, 'FileCase', fileRequest);
    assertEqual(again.name, filed.name, 'name of the repeated FileCase');
    return `same request_id ${requestId} -> ${again.name}`;
  });

  // 5. HasOpenCase: open.
  await check('HasOpenCase sees the open case', async () => {
    const response = await unary(cases, 'HasOpenCase', { nip });
    assertEqual(response.has_open_case, true, 'has_open_case');
    assertEqual(response.open_case_count, 1, 'open_case_count');
    return `has_open_case=true open_case_count=1`;
  });

  // 6. DecideCase: not proven.
  await check('DecideCase records OUTCOME_NOT_PROVEN', async () => {
    const decided = await unary(cases, 'DecideCase', {
      name: filed.name,
      outcome: 'OUTCOME_NOT_PROVEN',
      decision_reference: 'INTEROP/1',
      decided_on: { year: 2024, month: 10, day: 20 },
    });
    assertEqual(decided.name, filed.name, 'name');
    assertEqual(decided.status, 'CASE_STATUS_NOT_PROVEN', 'status');
    assertEqual(decided.open, false, 'open');
    assertEqual(decided.decision?.outcome, 'OUTCOME_NOT_PROVEN', 'decision.outcome');
    return `${decided.name} ${decided.status}`;
  });

  // 7. HasOpenCase: closed.
  await check('HasOpenCase after the decision', async () => {
    const response = await unary(cases, 'HasOpenCase', { nip });
    assertEqual(response.has_open_case, false, 'has_open_case');
    assertEqual(response.open_case_count, 0, 'open_case_count');
    return 'has_open_case=false open_case_count=0';
  });

  // 8. HasOpenCase with a short NIP: INVALID_ARGUMENT + BadRequest(nip).
  await check('HasOpenCase("123") is INVALID_ARGUMENT with BadRequest', async () =>
    assertInvalidNip(await unaryError(cases, 'HasOpenCase', { nip: '123' }), 'nip'));

  // 9. HasOpenCase with an impossible birth date (1986-02-30).
  await check('HasOpenCase(birth date 1986-02-30) is INVALID_ARGUMENT', async () =>
    assertInvalidNip(await unaryError(cases, 'HasOpenCase', { nip: '198602302010011001' }), 'nip'));

  // 10. CheckOpenCases: bidi stream, one response per request message, answers in order.
  await check('CheckOpenCases streams one ordered response per message', async () => {
    let other = randomNip();
    while (other === nip) other = randomNip();
    const messages = [[nip], [nip, '123', other], [other, '123']];
    const call = cases.CheckOpenCases(deadline(30_000));
    const reader = duplexReader(call);
    let answers = 0;
    for (const [index, nips] of messages.entries()) {
      call.write({ nips });
      const response = await reader.next();
      assert(response, `stream ended before the response to message ${index + 1}`);
      assertEqual(response.answers.length, nips.length, `message ${index + 1}: number of answers`);
      for (const [position, expected] of nips.entries()) {
        const answer = response.answers[position];
        const where = `message ${index + 1}, answer ${position + 1}`;
        assertEqual(answer.nip, expected, `${where}: nip (answers out of order?)`);
        if (expected === '123') {
          assert(answer.error, `${where}: expected an error for an invalid NIP, got ${JSON.stringify(answer)}`);
          assertEqual(answer.error.code, grpc.status.INVALID_ARGUMENT, `${where}: error.code`);
          const violations = badRequestViolations(unpackDetails(answer.error.details), `${where}: error.details`);
          assert(violations.some((v) => v.field.startsWith('nips')),
            `${where}: no field violation naming nips: ${JSON.stringify(violations)}`);
        } else {
          assert(!answer.error, `${where}: unexpected error ${JSON.stringify(answer.error)}`);
          // The filed case is decided (closed) by now; the other NIP is fresh.
          assertEqual(answer.has_open_case, false, `${where}: has_open_case`);
          assertEqual(answer.open_case_count, 0, `${where}: open_case_count`);
        }
        answers += 1;
      }
    }
    call.end();
    const extra = await reader.next();
    assert(extra === null, `unexpected extra response after half-close: ${JSON.stringify(extra)}`);
    const status = await reader.status();
    assertEqual(status.code, grpc.status.OK, `final status (${status.details})`);
    return `${messages.length} messages -> ${messages.length} responses, ${answers} answers in order, "123" -> error.code 3`;
  });

  for (const c of clients) c.close();
  done();
}

main().catch(crash);
