// Prints the size of every built file, raw and gzipped, and fails the build when the
// JavaScript the first page loads is over the budget (300 KB gzipped).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const BUDGET = 300 * 1024;

function walk(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const files = walk(dist).map((p) => {
  const data = readFileSync(p);
  return { name: relative(dist, p), raw: data.length, gzip: gzipSync(data, { level: 9 }).length };
});
const kb = (n) => (n / 1024).toFixed(1).padStart(7) + ' KB';
for (const f of files) console.log(`${f.name.padEnd(40)} ${kb(f.raw)} ${kb(f.gzip)} gzipped`);

// The initial JavaScript: the scripts index.html names (entry and preloaded chunks).
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
const initialGzip = files.filter((f) => initial.includes(f.name)).reduce((s, f) => s + f.gzip, 0);
const total = files.reduce((s, f) => s + f.gzip, 0);
console.log(`initial JavaScript: ${(initialGzip / 1024).toFixed(1)} KB gzipped (budget ${BUDGET / 1024} KB); everything: ${(total / 1024).toFixed(1)} KB gzipped`);
if (initial.length === 0) {
  console.error('index.html names no script: the build is broken');
  process.exit(1);
}
if (initialGzip > BUDGET) {
  console.error('the initial JavaScript is over budget');
  process.exit(1);
}
