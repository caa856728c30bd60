// Drives Microsoft 365 Agents Playground's web UI headless, as a person would, and records what it
// shows after each step. test_playground.py starts the bot and the Playground, runs this script,
// runs the scheduler when asked (the "tick" line on stdout, answered by a line on stdin) and
// asserts on the recorded transcript.
//
// Usage: node drive.mjs PLAYGROUND_URL OUT_DIR
// Environment: CHROMIUM (path of the browser binary, default /usr/bin/chromium).

import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import puppeteer from 'puppeteer-core';

const [playgroundUrl, outDir] = process.argv.slice(2);
const STEP_TIMEOUT_MS = 30_000;
const transcript = { steps: [] };
const stdinLines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();

function say(event) {
  process.stdout.write(JSON.stringify(event) + '\n');
}

// Every message bubble in the open conversation, oldest first, as the text a person reads.
function bubbles(page) {
  return page.$$eval('[aria-label="Message header"]', (headers) =>
    headers.map((header) => header.parentElement.innerText.trim()));
}

// Run `action`, then wait until at least `count` new bubbles exist and one contains `expect`.
async function step(page, name, action, { expect, count = 1 }) {
  const before = (await bubbles(page)).length;
  await action();
  await page.waitForFunction(
    (selector, before, count, expect) => {
      const texts = [...document.querySelectorAll(selector)].map((h) => h.parentElement.innerText);
      const fresh = texts.slice(before);
      return fresh.length >= count && fresh.some((t) => t.toLowerCase().includes(expect.toLowerCase()));
    },
    { timeout: STEP_TIMEOUT_MS, polling: 200 },
    '[aria-label="Message header"]', before, count, expect,
  );
  await new Promise((resolve) => setTimeout(resolve, 500)); // let a second bubble of the same turn land
  const fresh = (await bubbles(page)).slice(before);
  transcript.steps.push({ name, bubbles: fresh });
  await page.screenshot({ path: path.join(outDir, `${transcript.steps.length}-${name}.png`), fullPage: false });
  say({ event: 'step', name, bubbles: fresh.length });
}

// Buttons with this label anywhere in the conversation.
async function countButtons(page, label) {
  return (await page.$$(`button[aria-label="${label}"], button[title="${label}"]`)).length;
}

// Run `action`, then wait until a bubble already on screen changes in place to contain `expect`
// (an Action.Execute press answers with a card that replaces the pressed one: no new bubble).
async function stepInPlace(page, name, action, { expect, button }) {
  const buttonsBefore = await countButtons(page, button);
  await action();
  await page.waitForFunction(
    (selector, expect) => [...document.querySelectorAll(selector)]
      .some((h) => h.parentElement.innerText.toLowerCase().includes(expect.toLowerCase())),
    { timeout: STEP_TIMEOUT_MS, polling: 200 },
    '[aria-label="Message header"]', expect,
  );
  await new Promise((resolve) => setTimeout(resolve, 1000)); // let the connector's update land too
  const all = await bubbles(page);
  const changed = all.filter((t) => t.toLowerCase().includes(expect.toLowerCase()));
  const buttonsAfter = await countButtons(page, button);
  transcript.steps.push({ name, bubbles: changed, total: all.length, buttonsBefore, buttonsAfter });
  await page.screenshot({ path: path.join(outDir, `${transcript.steps.length}-${name}.png`), fullPage: false });
  say({ event: 'step', name, bubbles: changed.length });
}

async function typeMessage(page, text) {
  await page.click('[data-lexical-editor]');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

// Press the last button with this label (the newest card's), wherever it is in the conversation.
async function press(page, label) {
  const buttons = await page.$$(`button[aria-label="${label}"], button[title="${label}"]`);
  if (buttons.length === 0) {
    throw new Error(`no button labelled ${label}`);
  }
  const button = buttons[buttons.length - 1];
  await button.scrollIntoView();
  await button.click();
}

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1400, height: 1000 });
    // Opening the UI installs the app in a fresh personal chat: the bot answers with its welcome.
    await step(page, 'install', () => page.goto(playgroundUrl, { waitUntil: 'networkidle2' }),
      { expect: '/council' });
    await step(page, 'council', () => typeMessage(page, '/council Harrow'), { expect: 'Lead broker', count: 2 });
    await step(page, 'button', () => press(page, 'Timeline'), { expect: 'Harrow' });
    await step(page, 'question', () => typeMessage(page, 'how is Harrow doing?'), { expect: 'Harrow', count: 2 });
    await step(page, 'follow-up', () => typeMessage(page, "who's their broker?"), { expect: 'Paul Curran', count: 2 });
    await step(page, 'subscribe', () => typeMessage(page, '/digest subscribe national'),
      { expect: 'subscribed', count: 2 });
    await step(page, 'tick', async () => {
      say({ event: 'tick' });
      const answer = await stdinLines.next();
      if (answer.done || answer.value.trim() !== 'ticked') {
        throw new Error(`the scheduler pass failed: ${answer.value}`);
      }
    }, { expect: 'Acknowledge', count: 2 });
    transcript.bubblesBeforeAcknowledge = (await bubbles(page)).length;
    await stepInPlace(page, 'acknowledge', () => press(page, 'Acknowledge'),
      { expect: 'Acknowledged by', button: 'Acknowledge' });
    transcript.ok = true;
  } catch (error) {
    transcript.ok = false;
    transcript.error = String(error && error.stack ? error.stack : error);
    try {
      const [page] = (await browser.pages()).slice(-1);
      await page.screenshot({ path: path.join(outDir, 'failure.png') });
      transcript.failureBubbles = await bubbles(page);
    } catch {
      // the browser itself is gone; the error above says why
    }
  } finally {
    await browser.close();
    fs.writeFileSync(path.join(outDir, 'transcript.json'), JSON.stringify(transcript, null, 2));
    say({ event: 'done', ok: transcript.ok });
    process.exit(0);
  }
}

main();
