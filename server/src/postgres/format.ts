// Plain-text renderings of Test Connection results, Create DB plans and reports, shared by the CLI and
// the VS Code commands (kept apart from cliCommands.ts so the client bundle does not pull in the parser).
import type { CreateDatabasePlan, CreateDatabaseReport } from './createDatabase';
import type { ConnectionFacts, TestConnectionResult } from './testConnection';

function factLines(f: ConnectionFacts): string[] {
  const lines = [
    `  server:        PostgreSQL ${f.serverVersion}${f.serverPort ? ` (inet_server_port ${f.serverPort})` : ''}`,
    `  user:          ${f.user}${f.isSuperuser ? ' (superuser)' : ''}${f.authentication ? `, authenticated by ${f.authentication}` : ''}`,
    `  database:      ${f.database}`,
    `  SSL:           ${f.ssl.inUse ? `yes (${[f.ssl.protocol, f.ssl.cipher].filter(Boolean).join(', ')})` : 'no'}`,
    `  round trip:    ${f.roundTripMs} ms`,
    `  create tables in public: ${f.canCreateInPublic ? 'yes' : 'NO: migrate will fail (GRANT USAGE, CREATE ON SCHEMA public)'}`,
    `  connections:   ${f.connectionsInUse} in use of max_connections ${f.maxConnections}`,
    `  migrations:    ${f.migrationsTableExists ? 'django_migrations table exists' : 'no django_migrations table yet (run manage.py migrate)'}`,
    `  test database: ${f.canCreateTestDatabase ? 'the role can create it (CREATEDB)' : 'the role cannot create it: manage.py test will fail (needs CREATEDB)'}`,
  ];
  if (f.pooler) lines.push(`  pooler:        ${f.pooler.kind === 'proxy' ? 'a proxy or port mapping' : f.pooler.kind === 'pgbouncer' ? 'PgBouncer' : 'a connection pooler'}${f.pooler.poolMode ? `, ${f.pooler.poolMode} pool mode` : ''} (${f.pooler.reason})`);
  return lines;
}

export function formatTestConnectionResult(result: TestConnectionResult): string[] {
  const lines: string[] = [];
  if (result.ok) {
    lines.push(`Connected to ${result.facts.target}`, ...factLines(result.facts));
    for (const a of result.failedAttempts) lines.push(`  (earlier host ${a.target} failed: ${a.cause})`);
  } else if (result.verdict === 'cannotConfirm') {
    lines.push(result.failure.cause, `  Check: ${result.failure.fix}`);
    if (result.facts) lines.push(`  The server answered at ${result.facts.target}, but that does not show Django connects:`, ...factLines(result.facts));
  } else {
    lines.push(`Connection failed: ${result.failure.cause}`, `  Fix: ${result.failure.fix}`);
    if (result.failure.detail && result.failure.detail !== result.failure.cause) lines.push(`  Driver said: ${result.failure.detail}`);
    for (const a of result.attempts.slice(0, -1)) lines.push(`  (host ${a.target} failed: ${a.cause})`);
  }
  for (const u of result.unsupported) lines.push(`  Not reproduced: ${u.option}: ${u.reason}`);
  for (const n of result.notes) lines.push(`  Note: ${n}`);
  return lines;
}

export function formatPlan(plan: CreateDatabasePlan): string[] {
  const lines = [
    `Plan for alias "${plan.alias}" on ${plan.host}:${plan.port}`,
    `  role:      ${plan.role} (LOGIN${plan.hasPassword ? ', password from the settings' : ', no password'})`,
    `  database:  ${plan.database}, owner ${plan.owner}, encoding ${plan.encoding}`,
    `  CREATEDB:  ${plan.createDb ? 'yes' : 'no'} (${plan.createDbReason})`,
    '  SQL, each statement with the admin powers it needs (a superuser has them all; a step already done is skipped):',
  ];
  for (const step of plan.steps) {
    if (!step.sql) continue;
    lines.push(`    ${step.sql};${step.runsIn === 'target' ? `   -- in database ${plan.database}` : ''}`);
    if (step.sqlBefore16) lines.push(`    -- on PostgreSQL 14 and 15: ${step.sqlBefore16};`);
    if (step.sqlWhenExists) lines.push(`    -- if the role exists and you agree: ${step.sqlWhenExists};`);
    lines.push(`      -- needs: ${step.needs}`);
  }
  for (const n of plan.notes) lines.push(`  Note: ${n}`);
  for (const p of plan.problems) lines.push(`  Problem: ${p}`);
  return lines;
}

export function formatReport(report: CreateDatabaseReport): string[] {
  const label: Record<string, string> = {
    created: 'created', alreadyExisted: 'already exists', updated: 'updated', skipped: 'skipped', failed: 'FAILED', notRun: 'not run',
  };
  const lines = report.steps.map((s) => `  [${label[s.outcome]}] ${s.message || s.title}`);
  for (const w of report.warnings) lines.push(`  Warning: ${w}`);
  if (report.failure) lines.push(`Failed: ${report.failure.cause}`, `  Fix: ${report.failure.fix}`);
  return lines;
}
