// Drives the real app through WebDriver (tauri-driver -> WebKitWebDriver): visits each screen,
// runs axe-core inside the webview (fails on serious or critical violations) and saves a
// screenshot of each state. Uses the demo backend build of the UI (VITE_BACKEND=demo) until the
// engine's Phone::start lands; then the same steps run against the training line and real peers.
//   node webview.mjs <driver-url> <app-binary | http URL of a demo UI build> <screenshot-dir>
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [driver, application, shots] = process.argv.slice(2);
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

async function wd(method, path, body) {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(`${driver}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = await res.json();
      if (!res.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json.value)}`);
      return json.value;
    } catch (error) {
      // The driver needs a moment to listen after it starts.
      if (attempt < 100 && String(error).includes('fetch failed')) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      throw error;
    }
  }
}

// An http URL is opened in WebKitGTK's MiniBrowser (same engine, no shell): the UI alone.
const preview = application.startsWith('http');
const capabilities = preview
  ? { browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser', args: ['--automation'] } }
  : { browserName: 'wry', 'tauri:options': { application } };
const session = await wd('POST', '/session', { capabilities: { alwaysMatch: capabilities } });
const s = `/session/${session.sessionId}`;
if (preview) {
  await wd('POST', `${s}/window/rect`, { width: 440, height: 760 }).catch(() => {});
  await wd('POST', `${s}/url`, { url: application });
}

async function find(css, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const using = css.startsWith('/') ? 'xpath' : 'css selector';
      return (await wd('POST', `${s}/element`, { using, value: css }))[ELEMENT];
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function clickText(text) {
  return clickXpath(`//button[contains(normalize-space(.), ${JSON.stringify(text)})]`);
}

async function clickXpath(xpath) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const el = (await wd('POST', `${s}/element`, { using: 'xpath', value: xpath }))[ELEMENT];
      return wd('POST', `${s}/element/${el}/click`, {});
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const failures = [];
async function check(name) {
  writeFileSync(`${shots}/${name}.png`, Buffer.from(await wd('GET', `${s}/screenshot`), 'base64'));
  const result = await wd('POST', `${s}/execute/async`, {
    // axe's source is part of the WebDriver script itself: the app's CSP (rightly) forbids eval.
    script: `const done = arguments[arguments.length - 1];
      if (!window.axe) { ${axeSource}\n }
      window.axe.run(document, { resultTypes: ['violations'] }).then(
        (r) => done(r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }))),
        (e) => done([{ id: 'axe-error', impact: 'critical', nodes: String(e) }]));`,
    args: [],
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  console.log(`${name}: ${bad.length ? 'FAIL' : 'ok'} ${JSON.stringify(result)}`);
  if (bad.length) failures.push({ name, bad });
}

try {
  await find('#app > *');
  await find('h2');
  await check('01-onboarding-account');
  await clickText('Continue');
  await find("//p[contains(., 'Step 2 of 3')]");
  await check('02-onboarding-passkey');
  await clickText('Continue');
  await clickText('Start the test');
  await find("//button[@aria-pressed='true']");
  await check('03-onboarding-audio');
  await clickText('Start using Callwarden');
  await find('#dial-target');
  await check('04-dialer');
  await clickText('Lock');
  await find("//h1[contains(., 'locked')]");
  await check('05-lock');
  await clickText('Unlock with passkey');
  await clickText('History');
  await find("//h2[.='History']");
  await find('[data-testid="log-entry"]');
  await check('06-history');
  await clickXpath("//button[starts-with(@aria-label, 'Report call')]");
  await find('[role="dialog"]');
  await check('07-report-dialog');
  await clickText('Cancel');
  await clickText('Settings');
  await find("//h3[.='Policy']");
  await check('08-settings');
  await clickText('Training');
  await clickXpath("//button[@aria-label='Start A colleague calls from the directory']");
  await find('[data-testid="incoming-call"]');
  await check('09-incoming-verified');
  await clickText('Decline');
  await clickText('Done');
  await clickText('Training');
  await clickXpath("//button[starts-with(@aria-label, 'Start Your')]");
  await find('[data-testid="incoming-call"]');
  await check('10-incoming-danger');
  await clickText('Decline');
  await clickText('Done');
  await clickText('Training');
  await clickXpath("//button[starts-with(@aria-label, 'Start “IT Helpdesk”')]");
  await find('[data-testid="incoming-call"]');
  await check('11-incoming-caution-callback');
  await clickText('Hang up and call');
  await find('[data-testid="active-call"]');
  await check('12-callback-call');
  await clickText('Hang up');
  await clickText('Done');
  await clickText('Done').catch(() => {});
  await clickText('Call');
  await find('#dial-target');
  for (const digit of ['2', '0', '0', '1']) await clickXpath(`//div[@role='group']//button[normalize-space(.)='${digit}']`);
  await clickXpath("//button[@type='submit']");
  await find('[data-testid="active-call"] .controls');
  await clickText('Quality');
  await check('13-active-call');
  await clickText('Hang up');
  await clickText('Done');
  await clickText('Settings');
  await clickXpath("//input[@value='dark']");
  await find("//html[@data-theme='dark']");
  await clickText('Training');
  await find("//h2[.='Training']");
  await check('14-dark-theme');
} finally {
  await wd('DELETE', s).catch(() => {});
}
if (failures.length) {
  console.error('accessibility failures:', JSON.stringify(failures, null, 2));
  process.exit(1);
}
