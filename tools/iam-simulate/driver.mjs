// RoleProof's driver for @cloud-copilot/iam-simulate (AGPL, installed by tools/ensure with npm ci, never vendored).
// Reads RoleProof eval case lines on stdin and calls runSimulation for each.
//   node driver.mjs decide         -> one {"id", "decision"} or {"id", "error"} line per case, in order
//   node driver.mjs bench SECONDS ROUNDS -> one {"decisions", "seconds", "decisionsPerSecond",
//        "decisionsPerCpuSecond"} line: the best of ROUNDS timed rounds (wall clock, and per CPU second of the process)
//        after a warm-up pass, in this one process (no spawn cost counted)
import { runSimulation, anonymousPrincipal } from '@cloud-copilot/iam-simulate';
import { createInterface } from 'node:readline';

const mode = process.argv[2] ?? 'decide';

function accountOf(arn) {
  const parts = String(arn).split(':');
  return parts.length > 4 ? parts[4] : '';
}

// Like RoleProof's Request: resourceAccount, else the ARN's account, else (resource "*" of a wildcard-only action such
// as dynamodb:ListStreams) the caller's own account.
function resourceAccount(r, anonymous) {
  if (r.resourceAccount) return r.resourceAccount;
  const fromArn = accountOf(r.resource);
  if (fromArn !== '' || anonymous) return fromArn;
  return accountOf(r.principal);
}

// iam-simulate attaches RCPFullAWSAccess to every RCP level itself and rejects Allow statements in RCPs, so a case's
// own copy of RCPFullAWSAccess (Allow, Principal *, Action *, Resource *) is left out when passing RCP levels.
function isRcpFullAccess(policy) {
  const st = Array.isArray(policy?.Statement) ? policy.Statement : [policy?.Statement];
  return st.length === 1 && st[0]?.Effect === 'Allow' && st[0]?.Principal === '*' && st[0]?.Action === '*'
    && st[0]?.Resource === '*' && st[0]?.Condition === undefined;
}

function orgLevels(levels, kind) {
  if (!Array.isArray(levels)) return [];
  return levels.map((policies, i) => ({
    orgIdentifier: `${kind}-level-${i}`,
    policies: policies
      .map((policy, j) => ({ name: `${kind}-${i}-${j}`, policy }))
      .filter((p) => kind !== 'rcp' || !isRcpFullAccess(p.policy))
  }));
}

// RoleProof case line -> iam-simulate Simulation. iam-simulate derives no context keys: the case carries them.
export function toSimulation(c) {
  const r = c.request;
  const anonymous = r.principal === '*' || r.principal === 'anonymous';
  const sim = {
    request: {
      principal: anonymous ? anonymousPrincipal : r.principal,
      action: r.action,
      resource: { resource: r.resource, accountId: resourceAccount(r, anonymous) },
      contextVariables: r.context ?? {}
    },
    identityPolicies: (c.identityPolicies ?? []).map((policy, i) => ({ name: `identity-${i}`, policy })),
    serviceControlPolicies: orgLevels(c.scps, 'scp'),
    resourceControlPolicies: orgLevels(c.rcps, 'rcp')
  };
  if (c.resourcePolicy) sim.resourcePolicy = c.resourcePolicy;
  if (c.permissionsBoundary) sim.permissionBoundaryPolicies = [{ name: 'boundary', policy: c.permissionsBoundary }];
  if (c.sessionPolicy) sim.sessionPolicy = c.sessionPolicy;
  return sim;
}

async function decide(c) {
  const result = await runSimulation(toSimulation(c), {});
  if (result.resultType === 'error') {
    return { id: c.id, error: JSON.stringify(result.errors) };
  }
  const out = { id: c.id, decision: result.overallResult };
  const ignored = result.result?.ignoredContextKeys ?? [];
  if (ignored.length > 0) out.ignoredContextKeys = ignored;
  return out;
}

async function readCases() {
  const cases = [];
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.trim() !== '') cases.push(line);
  }
  return cases;
}

const lines = await readCases();
if (mode === 'decide') {
  const out = [];
  for (const line of lines) {
    let c;
    try {
      c = JSON.parse(line);
    } catch (e) {
      out.push(JSON.stringify({ id: null, error: `unreadable case line: ${e.message}` }));
      continue;
    }
    try {
      out.push(JSON.stringify(await decide(c)));
    } catch (e) {
      out.push(JSON.stringify({ id: c.id ?? null, error: `iam-simulate threw: ${e.message}` }));
    }
  }
  process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
} else if (mode === 'bench') {
  // Best of ROUNDS rounds of SECONDS/ROUNDS each: on a shared machine the best round is the least disturbed one, and
  // the rate per CPU second does not count time the process spent waiting for a core.
  const seconds = Number(process.argv[3] ?? '3');
  const rounds = Math.max(1, Number(process.argv[4] ?? '1'));
  const sims = lines.map((l) => toSimulation(JSON.parse(l)));
  for (const s of sims) await runSimulation(s, {}); // warm-up pass
  const budget = BigInt(Math.round((seconds / rounds) * 1e9));
  let best = { decisions: 0, seconds: 0, decisionsPerSecond: 0, decisionsPerCpuSecond: 0 };
  for (let r = 0; r < rounds; r++) {
    let decisions = 0;
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    while (process.hrtime.bigint() - start < budget) {
      for (const s of sims) {
        await runSimulation(s, {});
        decisions++;
      }
    }
    const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6; // the whole process: its GC and JIT threads included
    best.decisionsPerSecond = Math.max(best.decisionsPerSecond, decisions / elapsed);
    best.decisionsPerCpuSecond = Math.max(best.decisionsPerCpuSecond, decisions / cpuSeconds);
    best.decisions += decisions;
    best.seconds += elapsed;
  }
  process.stdout.write(JSON.stringify(best) + '\n');
} else {
  process.stderr.write(`unknown mode '${mode}' (decide | bench SECONDS)\n`);
  process.exit(2);
}
