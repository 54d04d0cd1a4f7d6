// Headless Firefox ESR for the browser suite, driven over WebDriver BiDi by puppeteer-core: each
// line written to it is a JSON command, each line it prints the JSON answer to one.
//   {"id":1,"cmd":"open","url":"http://…"}            -> {"id":1,"page":0}
//   {"id":2,"cmd":"eval","page":0,"js":"return 1+1"}  -> {"id":2,"value":2}  (a function body; may await)
//   {"id":3,"cmd":"close","page":0}                   -> {"id":3}
// Any failure answers {"id":…,"error":"…"}. Ends when its input ends.
import puppeteer from 'puppeteer-core';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { binary: { type: 'string', default: '/usr/lib/firefox-esr/firefox-esr' } } });

const browser = await puppeteer.launch({
  browser: 'firefox',
  executablePath: values.binary,
  headless: true,
  extraPrefsFirefox: {
    // Without these Firefox gathers no candidate in a loopback-only namespace.
    'media.peerconnection.ice.loopback': true,
    'permissions.default.camera': 1,
    'permissions.default.microphone': 1,
    'media.navigator.streams.fake': true,
  },
});
const pages = [];
const answer = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

async function run({ cmd, url, page, js }) {
  switch (cmd) {
    case 'open': {
      const tab = await browser.newPage();
      await tab.goto(url);
      pages.push(tab);
      return { page: pages.length - 1 };
    }
    case 'eval': {
      // The body comes from the test as text; Function makes it one async call in the page.
      const value = await pages[page].evaluate(new Function(`return (async () => { ${js} })();`));
      return { value: value ?? null };
    }
    case 'close':
      await pages[page].close({ runBeforeUnload: false });
      return {};
    default:
      throw new Error(`unknown command ${cmd}`);
  }
}

answer({ ready: true, version: await browser.version() });
for await (const line of createInterface({ input: process.stdin })) {
  let command;
  try {
    command = JSON.parse(line);
    answer({ id: command.id, ...(await run(command)) });
  } catch (err) {
    answer({ id: command?.id ?? null, error: String(err?.message ?? err) });
  }
}
await browser.close();
