// Time to interactive of Home and the leads list, measured in Chromium against a running
// database (e.g. the 1,000,000-contact demo):
//
//   node e2e/measure.mjs PATH/TO/tandem PATH/TO/demo.db [RUNS]
//
// Each run opens the page in a fresh browser context (empty cache) that carries a signed-in
// session, and reads from the Performance API: the navigation's responseEnd and
// domContentLoadedEventEnd, and the `tandem:ready:<page>` mark the page sets when its data is on
// screen with its controls live (our time to interactive). Prints the median of RUNS (default 7).
import { USERS, PASSWORD, launchBrowser, signIn, startServer } from './lib.mjs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const [tandem, db, runsArg] = process.argv.slice(2);
if (!tandem || !db) {
  console.error('usage: node e2e/measure.mjs PATH/TO/tandem PATH/TO/demo.db [RUNS]');
  process.exit(2);
}
const runs = Number(runsArg ?? 7);
const webRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../dist');
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const server = await startServer(tandem, db, webRoot);
const browser = await launchBrowser();
try {
  const results = {};
  for (const [role, email] of [
    ['manager', USERS.manager],
    ['sales', USERS.sales],
  ]) {
    const login = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await login.newPage();
    await signIn(page, server.url, email, PASSWORD);
    const state = await login.storageState();
    await login.close();
    for (const [name, path, mark] of [
      ['Home', '/', 'tandem:ready:home'],
      ['Leads list', '/leads', 'tandem:ready:leads'],
      ['Leads list, stage MQL', '/leads?stage=mql', 'tandem:ready:leads'],
      ['Leads list, search "anna"', '/leads?q=anna', 'tandem:ready:leads'],
    ]) {
      const key = `${name} (${role})`;
      results[key] = { tti: [], dcl: [], response: [] };
      for (let i = 0; i < runs; i++) {
        const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, storageState: state });
        const p = await ctx.newPage();
        await p.goto(server.url + path);
        await p.waitForFunction((m) => performance.getEntriesByName(m).length > 0, mark, { timeout: 30000 });
        const t = await p.evaluate((m) => {
          const nav = performance.getEntriesByType('navigation')[0];
          return { tti: performance.getEntriesByName(m)[0].startTime, dcl: nav.domContentLoadedEventEnd, response: nav.responseEnd, errors: document.querySelectorAll('.note.error').length };
        }, mark);
        if (t.errors) throw new Error(`${key}: the page shows an error`);
        results[key].tti.push(t.tti);
        results[key].dcl.push(t.dcl);
        results[key].response.push(t.response);
        await ctx.close();
      }
    }
  }
  console.log(`| page (role) | time to interactive, median ms | min-max ms | DOMContentLoaded, median ms |`);
  console.log(`| --- | --- | --- | --- |`);
  for (const [k, v] of Object.entries(results)) {
    console.log(`| ${k} | ${median(v.tti).toFixed(0)} | ${Math.min(...v.tti).toFixed(0)}-${Math.max(...v.tti).toFixed(0)} | ${median(v.dcl).toFixed(0)} |`);
  }
} finally {
  await browser.close();
  await server.stop();
}
