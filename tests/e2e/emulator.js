// Bot API emulator for the end-to-end tests: telegram-test-api behind a thin outer app.
// Usage: node tests/e2e/emulator.js PORT   (listens on 127.0.0.1 only; prints READY)
//
// The outer app mends two gaps between telegram-test-api 4.2.1 and python-telegram-bot 22:
// - getMe: the emulator's user has no is_bot, which PTB rejects at start-up;
// - getUpdates: callback queries lack chat_instance (required by PTB), and an empty answer
//   comes back at once, so PTB would spin; here an empty poll waits briefly for a user update.
'use strict';
const express = require('express');
const TelegramServer = require('telegram-test-api');

const port = Number(process.argv[2] || 9000);
const server = new TelegramServer({ port, host: '127.0.0.1', storage: 'RAM', storeTimeout: 3600 });
const outer = express();
outer.use(express.json());
outer.use(express.urlencoded({ extended: true }));

outer.all('/bot:token/getMe', (req, res) => {
  res.json({
    ok: true,
    result: { id: 4242, is_bot: true, first_name: 'newsbot', username: 'newsbot_e2e_bot' },
  });
});

function waitForUser(ms) {
  return new Promise((resolve) => {
    const events = ['AddedUserMessage', 'AddedUserCommand', 'AddedUserCallbackQuery'];
    const done = () => {
      clearTimeout(timer);
      events.forEach((e) => server.off(e, done));
      resolve();
    };
    const timer = setTimeout(done, ms);
    events.forEach((e) => server.on(e, done));
  });
}

outer.all('/bot:token/getUpdates', async (req, res) => {
  const token = req.params.token;
  let updates = server.getUpdates(token);
  if (updates.length === 0) {
    await waitForUser(500);
    updates = server.getUpdates(token);
  }
  for (const update of updates) {
    if (update.callback_query) {
      update.callback_query.chat_instance = update.callback_query.chat_instance || 'e2e';
    }
  }
  res.json({ ok: true, result: updates });
});

// The emulator echoes the request's form fields back as the sent Message: JSON-encoded fields
// stay strings and the date is in milliseconds. Hand PTB a Message it can parse.
const BOT_USER = { id: 4242, is_bot: true, first_name: 'newsbot', username: 'newsbot_e2e_bot' };
function tidyMessage(message) {
  if (!message || typeof message !== 'object') return message;
  const out = { ...message };
  for (const key of ['link_preview_options', 'reply_markup', 'entities']) {
    if (typeof out[key] === 'string') {
      try { out[key] = JSON.parse(out[key]); } catch (e) { delete out[key]; }
    }
  }
  if (out.date > 1e11) out.date = Math.floor(out.date / 1000);
  delete out.botToken;
  delete out.link_preview_options;
  delete out.parse_mode;
  out.from = BOT_USER;
  return out;
}
outer.all('/bot:token/:method(sendMessage|editMessageText)', (req, res, next) => {
  const json = res.json.bind(res);
  res.json = (body) => {
    if (body && body.ok && body.result && typeof body.result === 'object') {
      body = { ...body, result: tidyMessage(body.result) };
    } else if (body && body.ok && body.result === null) {
      body = { ...body, result: true };
    }
    return json(body);
  };
  next();
});

outer.use(server.webServer);
outer.listen(port, '127.0.0.1', () => {
  console.log('READY');
});
