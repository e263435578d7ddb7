// Django itself is the oracle for NAME length and ENGINE paths: Debian's python3-django 3.2 loads the backend
// and builds the connection parameters; our engine must report an error exactly when Django refuses.
import { strict as assert } from 'node:assert';
import { checkText, runPython } from './oracle-common';

const DJANGO_SCRIPT = `
import json, sys
import django
from django.conf import settings
settings.configure()
from django.core.exceptions import ImproperlyConfigured
from django.db.utils import load_backend
rows = json.load(sys.stdin)
results = []
for row in rows:
    settings_dict = {'ENGINE': row['engine'], 'NAME': row['name'], 'USER': '', 'PASSWORD': '', 'HOST': '', 'PORT': '',
                     'OPTIONS': {}, 'TIME_ZONE': None, 'CONN_MAX_AGE': 0, 'AUTOCOMMIT': True, 'ATOMIC_REQUESTS': False}
    try:
        backend = load_backend(row['engine'])
        backend.DatabaseWrapper(settings_dict, 'default').get_connection_params()
        results.append('accepted')
    except ImproperlyConfigured as error:
        results.append('refused: ' + str(error).splitlines()[0])
print(json.dumps({'django': django.get_version(), 'results': results}))
`;

interface Row {
  engine: string;
  name: string;
}

const POSTGRES = 'django.db.backends.postgresql';
const table: Row[] = [
  ...[1, 30, 58, 63, 64, 65, 100].map((n) => ({ engine: POSTGRES, name: 'd'.repeat(n) })),
  { engine: POSTGRES, name: 'é'.repeat(63) },
  { engine: POSTGRES, name: 'é'.repeat(64) },
  ...['django.db.backends.postgres', 'django.db.backends.postgressql', 'django.db.backends.postgresq', 'django.db.backend.postgresql', 'django.db.backends.psql', 'django.db.backends.postgresql_psycopg2', POSTGRES].map((engine) => ({ engine, name: 'shop' })),
];

function weRefuse(row: Row): boolean {
  const text = `DATABASES = {\n    'default': {\n        'ENGINE': ${JSON.stringify(row.engine)},\n        'NAME': ${JSON.stringify(row.name)},\n    }\n}\n`;
  return checkText(text).some((f) => f.severity === 'error');
}

describe('oracle: Django 3.2 (Debian python3-django) and our engine agree on NAME length and ENGINE paths', function () {
  this.timeout(120_000);

  it(`agrees on all ${table.length} rows`, () => {
    const { django, results } = runPython<{ django: string; results: string[] }>(DJANGO_SCRIPT, table);
    assert.match(django, /^3\.2/);
    const disagreements = table
      .map((row, i) => ({ row, django: results[i], ours: weRefuse(row) }))
      .filter(({ django: verdict, ours }) => verdict.startsWith('refused') !== ours)
      .map(({ row, django: verdict, ours }) => `${row.engine} NAME(${row.name.length}): Django ${verdict}, we ${ours ? 'refuse' : 'accept'}`);
    assert.deepEqual(disagreements, []);
    // The rows are not all alike: Django refuses some and accepts others.
    assert.ok(results.some((r) => r === 'accepted') && results.some((r) => r.startsWith('refused')));
  });
});
