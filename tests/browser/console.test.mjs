// The web console, driven in headless Chromium against a running server.
//
//   WAQUP_URL=http://127.0.0.1:8080 WAQUP_ADMIN_EMAIL=... WAQUP_ADMIN_PASSWORD=... \
//   WAQUP_SCREENSHOTS=/tmp/shots node console.test.mjs
//
// The journey: sign up; talk the guide through an affirmation, with the socket dropped
// mid-conversation (it must resume without losing the dialogue); create the item and
// play it to the end; find it in the library; become a creator and publish a pack; as a
// second person, find the pack in the catalog, buy it through the sandbox checkout, play
// it and see it in the library; buy credits; trip the safety net; as the administrator,
// see the crisis alert and the users. Any page error or console error fails the run.
// A phone-sized screen is used throughout, and no screen may scroll sideways.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const BASE = need('WAQUP_URL');
const ADMIN_EMAIL = need('WAQUP_ADMIN_EMAIL');
const ADMIN_PASSWORD = need('WAQUP_ADMIN_PASSWORD');
const SHOTS = process.env.WAQUP_SCREENSHOTS || 'screenshots';
// The server has a voice (espeak-ng or a speech API): replies can be spoken.
const SPOKEN = process.env.WAQUP_SPOKEN_REPLIES === '1';
const PASSWORD = 'a calm morning by the sea';
const PHONE = { width: 390, height: 844 };
const STEP_TIMEOUT = 20_000;

function need(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

mkdirSync(SHOTS, { recursive: true });

const problems = [];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync',
    '--autoplay-policy=no-user-gesture-required',
  ],
});

/** A fresh browser profile at phone size that records every page and console error. */
async function newPerson() {
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, hasTouch: true });
  context.setDefaultTimeout(STEP_TIMEOUT);
  context.on('page', watch);
  const page = await context.newPage();
  return { context, page };
}

function watch(page) {
  page.on('pageerror', (error) => problems.push(`page error on ${page.url()}: ${error.stack || error}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error on ${page.url()}: ${message.text()}`);
  });
}

/**
 * The browser logs every answer of 400 or more as a console error. Where the test
 * provokes one, it takes that one line off the list; any other stays a failure.
 */
function expectRefusal(status) {
  const at = problems.findIndex((p) => p.includes(`the server responded with a status of ${status}`));
  assert.ok(at >= 0, `the browser saw the ${status} answer`);
  problems.splice(at, 1);
}

function step(name) {
  console.log(`- ${name}`);
}

/** A screenshot, after checking that nothing is wider than the screen. */
async function shot(page, name) {
  await page.waitForTimeout(150); // let layout settle after the last frame
  await page.evaluate(() => window.scrollTo(0, 0)); // the sticky bar then sits on top
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${name}: the page is ${overflow}px wider than the screen`);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  assert.deepEqual(problems, [], `errors before the ${name} screenshot`);
}

async function signUp(page, email, name) {
  await page.goto(BASE);
  await page.getByRole('button', { name: 'New here? Create an account' }).click();
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', PASSWORD);
  await page.fill('input[name=display_name]', name);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.locator('.talk-type').first().waitFor();
}

async function signIn(page, email, password) {
  await page.goto(BASE);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#nav a').first().waitFor();
}

async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('.auth-form').waitFor();
}

async function go(page, screen) {
  await page.locator(`#nav a[href="#/${screen}"]`).click();
}

/** Sends a message from the composer. */
async function say(page, text) {
  await page.fill('textarea[name=message]', text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

async function currentStep(page) {
  return page.locator('.talk-steps li[aria-current=step]').getAttribute('data-state');
}

async function waitForStep(page, state) {
  await page.locator(`.talk-steps li[aria-current=step][data-state=${state}]`).waitFor();
}

/** Buys through the sandbox checkout, which opens in its own tab. */
async function payInSandbox(page, buy) {
  const [checkout] = await Promise.all([page.context().waitForEvent('page'), buy()]);
  await checkout.waitForLoadState();
  assert.match(checkout.url(), /\/sandbox\/checkout\//);
  await checkout.locator('#pay').click();
  await checkout.waitForURL(/#\/checkout\/success/);
  await checkout.getByRole('heading', { name: 'Payment received' }).waitFor();
  await checkout.close();
}

const stamp = Date.now();
const creatorEmail = `creator-${stamp}@example.com`;
const buyerEmail = `buyer-${stamp}@example.com`;

try {
  // ---- Person 1: sign up, talk, create, play ------------------------------------------
  const creator = await newPerson();
  let page = creator.page;

  // Every socket goes through here, so that the test can drop one and see the frames.
  const sockets = [];
  const sent = [];
  await page.routeWebSocket(/\/ws\/conversation/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      sent.push(JSON.parse(message));
      server.send(message);
    });
    sockets.push({ ws, server });
  });

  step('sign-in screen');
  await page.goto(BASE);
  await page.locator('.auth-form').waitFor();
  await shot(page, 'sign-in');

  step('a wrong password gets a clear message');
  await page.fill('input[name=email]', creatorEmail);
  await page.fill('input[name=password]', 'not the password at all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.form-error', { hasText: 'do not match an account' }).waitFor();
  expectRefusal(401);

  step('sign up');
  await page.getByRole('button', { name: 'New here? Create an account' }).click();
  await page.fill('input[name=password]', PASSWORD);
  await page.fill('input[name=display_name]', 'Robin');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.locator('.talk-type').first().waitFor();

  step('buy credits (sandbox) so there is something to spend');
  await go(page, 'credits');
  await page.locator('.cred-balance').waitFor();
  const before = Number((await page.locator('.cred-balance').textContent()).replace(/\D/g, ''));
  await payInSandbox(page, () => page.getByRole('button', { name: /^Buy/ }).first().click());
  await page.waitForFunction((was) => {
    const el = document.querySelector('.cred-balance');
    return el && Number(el.textContent.replace(/\D/g, '')) > was;
  }, before);
  await shot(page, 'credits');

  step('start an affirmation');
  await go(page, 'talk');
  await page.locator('.talk-type[data-type=affirmation]').click();
  await page.locator('.talk-log .msg-assistant').first().waitFor();
  await page.locator('.talk-status[data-status=open]').waitFor();
  const started = sent.find((f) => f.type === 'start');
  assert.equal(started.content_type, 'affirmation');
  await shot(page, 'conversation');

  step('the socket drops mid-conversation; a message typed meanwhile is kept');
  const greeting = await page.locator('.talk-log .msg-assistant').first().textContent();
  const dropped = sockets[sockets.length - 1];
  await dropped.ws.close({ code: 4000, reason: 'network drop (test)' });
  await dropped.server.close();
  await page.locator('.talk-status[data-status=reconnecting]').waitFor();
  await say(page, 'I want to feel calm and confident before my exams');
  await page.locator('.talk-status[data-status=open]').waitFor();
  await waitForStep(page, 'Confirmation');
  assert.ok(sockets.length >= 2, 'a new socket was opened');
  const resume = sent.find((f) => f.type === 'resume');
  assert.ok(resume, 'the new socket resumed the conversation');
  const sessionId = sent.find((f) => f.type === 'message').session_id;
  assert.equal(resume.session_id, sessionId);
  const log = await page.locator('.talk-log .msg').allTextContents();
  assert.equal(log[0], greeting, 'the greeting is still there');
  assert.equal(log.filter((m) => m.includes('calm and confident before my exams')).length, 1, `the message was said once: ${log}`);
  assert.equal(sent.filter((f) => f.type === 'message').length, 1, 'the message was sent once');
  await page.locator('.talk-summary').waitFor();
  await shot(page, 'summary');

  step('confirm and wait for the item');
  await page.getByRole('button', { name: 'Create it' }).click();
  await page.locator('.talk-item audio.talk-player').waitFor({ timeout: 120_000 });
  assert.equal(await currentStep(page), 'Complete');
  await shot(page, 'item');

  step('play it to the end (a play, then a completion)');
  const itemId = await page.locator('.talk-item').getAttribute('data-id');
  const played = page.waitForResponse((r) => r.url().endsWith(`/content/${itemId}/play`) && r.request().method() === 'POST');
  await page.locator('.talk-player').evaluate((audio) => audio.play());
  assert.equal((await played).status(), 201);
  await page.waitForFunction(() => document.querySelector('.talk-player').currentTime > 0);
  const completed = page.waitForResponse((r) => r.url().endsWith(`/content/${itemId}/complete`));
  await page.locator('.talk-player').evaluate((audio) => {
    audio.currentTime = Math.max(0, audio.duration - 0.3);
    return audio.play();
  });
  assert.ok((await completed).ok(), 'the completion was recorded');

  step('the library lists it');
  await go(page, 'library');
  const row = page.locator(`[data-id="${itemId}"]`);
  await row.waitFor();
  assert.ok((await row.locator('.lib-title').textContent()).trim().length > 0);

  step('rename it and share it; the link opens for someone signed out');
  const title = `Exam morning ${stamp}`;
  await row.getByRole('button', { name: 'Rename' }).click();
  await row.locator('form.lib-rename input[name=title]').fill(title);
  await row.getByRole('button', { name: 'Save' }).click();
  await row.locator('.lib-title', { hasText: title }).waitFor();
  await row.getByRole('button', { name: 'Share link' }).click();
  const link = await row.locator('.lib-share input[name=share_url]').inputValue();
  assert.match(link, /\/#\/shared\//);
  await shot(page, 'library');
  const visitor = await newPerson();
  await visitor.page.goto(link);
  await visitor.page.getByRole('heading', { name: title }).waitFor();
  await visitor.page.locator('audio.shared-player').evaluate((audio) => audio.play());
  await visitor.page.waitForFunction(() => document.querySelector('audio.shared-player').currentTime > 0);
  await shot(visitor.page, 'shared');
  await visitor.context.close();

  step('become a creator and publish a pack of the item');
  await go(page, 'creator');
  // The sign-in is renewed (the refresh token rotated) to carry the new role.
  const renewed = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/refresh'));
  await page.getByRole('button', { name: 'Become a creator' }).click();
  assert.equal((await renewed).status(), 200);
  const form = page.locator('form.creator-form');
  await form.waitFor();
  const packTitle = `Exam calm ${stamp}`;
  await form.locator('input[name=title]').fill(packTitle);
  await form.locator('[name=description]').fill('Steady affirmations for the week of exams.');
  await form.locator('select[name=price_type]').selectOption('one_time');
  await form.locator('input[name=price_amount]').fill('4.99');
  await form.locator(`input[name=item][value="${itemId}"]`).check();
  await form.getByRole('button', { name: 'Create pack' }).click();
  const pack = page.locator('.creator-pack', { hasText: packTitle });
  await pack.waitFor();
  await pack.getByRole('button', { name: 'Publish' }).click();
  await pack.getByText(/published/i).first().waitFor();
  await shot(page, 'creator');
  await signOut(page);
  await creator.context.close();

  // ---- Person 2: find, buy and play the pack ------------------------------------------
  const buyer = await newPerson();
  page = buyer.page;
  step('a second person signs up and searches the catalog');
  await signUp(page, buyerEmail, 'Sam');
  await go(page, 'catalog');
  await page.fill('input[type=search][name=q]', 'exam calm');
  await page.keyboard.press('Enter');
  const found = page.locator('.cat-pack', { hasText: packTitle });
  await found.waitFor();
  await shot(page, 'catalog');

  step('buy the pack through the sandbox checkout');
  await found.locator('a').first().click();
  await page.getByRole('heading', { name: packTitle }).waitFor();
  await payInSandbox(page, () => page.getByRole('button', { name: /^Buy/ }).first().click());
  await page.locator('.cat-owned').waitFor();

  step('review the pack');
  const review = page.locator('form.cat-review-form');
  await review.locator('select[name=rating]').selectOption('5');
  await review.locator('textarea[name=body]').fill('It got me through exam week.');
  await review.getByRole('button', { name: 'Post review' }).click();
  await page.locator('.cat-review', { hasText: 'It got me through exam week.' }).waitFor();
  await shot(page, 'pack');

  step('play an item of the pack');
  await page.getByRole('button', { name: 'Play' }).first().click();
  await page.locator('audio.cat-player').first().evaluate((audio) => audio.play());
  await page.waitForFunction(() => document.querySelector('audio.cat-player').currentTime > 0);

  step('the pack is in the library');
  await go(page, 'library');
  await page.locator('.lib-packs .lib-pack', { hasText: packTitle }).waitFor();

  step(SPOKEN
    ? 'spoken replies: the greeting is heard from the server, and Stop cuts it'
    : 'spoken replies: skipped, this server has no voice');
  await go(page, 'talk');
  if (SPOKEN) await page.locator('input[name=speak]').check();
  await page.locator('.talk-type[data-type=affirmation]').click();
  await page.locator('.talk-log .msg-assistant').first().waitFor();
  if (SPOKEN) {
    // Stop shows while a clip of the reply plays.
    await page.locator('.talk-stop').waitFor({ state: 'visible' });
    await page.locator('.talk-stop').click();
    await page.locator('.talk-stop').waitFor({ state: 'hidden' });
    await page.locator('input[name=speak]').uncheck();
  }

  step('a message in distress puts the conversation on a safety hold');
  await say(page, 'honestly I just want to die');
  await page.locator('.talk-safety').waitFor();
  await waitForStep(page, 'SafetyHold');
  await shot(page, 'safety');
  await signOut(page);
  await buyer.context.close();

  // ---- The administrator ---------------------------------------------------------------
  const admin = await newPerson();
  page = admin.page;
  step('the administrator sees the crisis alert and the users');
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await go(page, 'admin');
  await page.locator('.admin-alerts').getByText(buyerEmail).first().waitFor();
  await page.locator('.admin-users .admin-user').first().waitFor();
  await shot(page, 'admin');
  await admin.context.close();

  // ---- A wide screen -------------------------------------------------------------------
  step('the library on a desktop screen');
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  desktop.on('page', watch);
  page = await desktop.newPage();
  await signIn(page, buyerEmail, PASSWORD);
  await go(page, 'library');
  await page.locator('.lib-packs .lib-pack').first().waitFor();
  await shot(page, 'desktop-library');
  await desktop.close();

  assert.deepEqual(problems, [], 'page or console errors');
  console.log('ok: the console works end to end');
} catch (error) {
  // What each open page showed when the step failed.
  let n = 0;
  for (const context of browser.contexts()) {
    for (const open of context.pages()) {
      n += 1;
      await open.screenshot({ path: join(SHOTS, `failure-${n}.png`), fullPage: true }).catch(() => {});
      const text = await open.locator('body').innerText().catch(() => '(unreadable)');
      console.log(`--- page ${n} at ${open.url()}:\n${text}`);
    }
  }
  if (problems.length) console.log(`--- page and console errors:\n${problems.join('\n')}`);
  throw error;
} finally {
  await browser.close();
}
