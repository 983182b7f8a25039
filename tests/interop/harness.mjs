// What every interop check prints: one PASS or FAIL line per check, then `<label>: N passed, M
// failed`, which scripts/test.sh adds up. The first failure ends the run.

export class CheckFailure extends Error {}

export function assert(condition, message) {
  if (!condition) throw new CheckFailure(message);
}

export function assertEqual(actual, expected, what) {
  const [a, e] = [JSON.stringify(actual), JSON.stringify(expected)];
  assert(a === e, `${what}: expected ${e}, got ${a}`);
}

// A check's own failure says what it expected; anything else shows where it came from.
export function describeError(error) {
  return error instanceof CheckFailure ? error.message : (error?.stack ?? String(error));
}

export function harness(label, describe = describeError) {
  let passed = 0;
  const summary = (failed) => console.log(`${label}: ${passed} passed, ${failed} failed`);
  const fail = (name, message) => {
    console.log(`FAIL ${name} - ${message}`);
    summary(1);
    process.exit(1);
  };
  return {
    // Runs one named check; any exception fails the whole run with a clear message.
    async check(name, body) {
      let detail;
      try {
        detail = await body();
      } catch (error) {
        fail(name, describe(error));
      }
      passed += 1;
      console.log(`PASS ${name}${detail ? ` - ${detail}` : ''}`);
    },
    done: () => summary(0),
    // For main().catch: an error outside any check.
    crash: (error) => fail('unexpected', describe(error)),
  };
}
