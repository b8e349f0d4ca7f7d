// Shared by the browser tests and the time-to-interactive measurement: start a real
// `tandem serve`, call its API, and launch Debian's Chromium through playwright-core.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

export function chromiumPath() {
  const p = process.env.CHROMIUM ?? '/usr/bin/chromium';
  return existsSync(p) ? p : null;
}

export async function launchBrowser() {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('no Chromium at /usr/bin/chromium (set CHROMIUM)');
  return chromium.launch({ executablePath, args: CHROMIUM_FLAGS, headless: true });
}

// Starts `tandem serve` on a free port; resolves with {url, stop}. The first line the server
// prints names its address.
export function startServer(tandem, db, webRoot, extraArgs = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(tandem, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--web-root', webRoot, ...extraArgs], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
      if (stderr.length > 20000) stderr = stderr.slice(-20000);
    });
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error('the server printed no address within 30 s: ' + stderr));
    }, 30000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code}: ${stderr}`));
    });
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      const m = line.match(/http:\/\/[^\s]+/);
      if (!m) {
        child.kill('SIGTERM');
        reject(new Error('no address in: ' + line));
        return;
      }
      child.removeAllListeners('exit');
      resolve({
        url: m[0].replace(/\/$/, ''),
        stderr: () => stderr,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done(child.exitCode);
            child.once('exit', (c) => done(c));
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

export function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}: ${err}`))));
  });
}

// A bearer session for setting up data through the API.
export async function apiLogin(url, email, password) {
  const r = await fetch(url + '/api/v1/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!r.ok) throw new Error(`login of ${email}: ${r.status} ${await r.text()}`);
  const token = (await r.json()).token;
  return async (method, path, body, contentType = 'application/json') => {
    const res = await fetch(url + path, {
      method,
      headers: { Authorization: 'Bearer ' + token, ...(body !== undefined ? { 'Content-Type': contentType } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
}

export const PASSWORD = 'tandem-demo';
export const USERS = {
  admin: 'sam.okafor@northwind-analytics.example',
  manager: 'helena.lindqvist@northwind-analytics.example',
  marketing: 'claire.dubois@northwind-analytics.example',
  sales: 'lukas.becker@northwind-analytics.example',
  salesHead: 'katrin.vogel@northwind-analytics.example',
};

// Signs in through the page's form and waits for the shell.
export async function signIn(page, url, email, password = PASSWORD) {
  await page.goto(url + '/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}
