import { scriptJson as auditScriptJson } from '../src/audit/report';
import { renderPage, scriptJson } from '../src/review';

test('the review page and the audit report share one scriptJson', () => {
  expect(scriptJson).toBe(auditScriptJson);
});

test('page data cannot close the <script> element or break the JSON', () => {
  const data = { dir: '</script><script>alert(1)</script>', moderator: 'a\u2028b', labels: [], thresholds: {}, facets: { articles: [], authors: [] }, problems: 0 };
  const html = renderPage('nonce123', data);
  const m = /<script id="btl-data" type="application\/json">([^]*?)<\/script>/.exec(html);
  expect(m).not.toBeNull();
  expect(m![1]).not.toContain('<');
  expect(JSON.parse(m![1])).toEqual(data);
});

test('btl review --help says the page is for this machine only, and how to reach it from another', async () => {
  const { command } = await import('../src/cli/review');
  expect(command.help).toMatch(/for this machine\s+only/);
  expect(command.help).toMatch(/even with --host 0\.0\.0\.0 a browser on\s+another machine is refused/);
  expect(command.help).toContain('ssh -L 8081:127.0.0.1:8081');
});
