import { createHash } from 'node:crypto';

/**
 * The portal's only stylesheet: small enough to keep in the code, served under a name that
 * changes with its content so browsers may keep it for a year. Colours meet WCAG 2.1 AA
 * contrast on white; the print rules give a clean list for a gazette.
 */
const PORTAL_CSS = `
:root{--ink:#1b1f24;--muted:#4a5360;--line:#d0d7de;--accent:#0b5cad;--ok:#116329;--no:#a40e26;--warn:#7a4b00;--bg:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#fff}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;z-index:1}
header.site{display:flex;flex-wrap:wrap;gap:8px 24px;align-items:center;padding:12px 24px;border-bottom:1px solid var(--line);background:var(--bg)}
.brand{font-weight:700;text-decoration:none;color:var(--ink)}
header nav ul,.languages{display:flex;flex-wrap:wrap;gap:4px 16px;list-style:none;margin:0;padding:0}
.languages{margin-left:auto;font-size:.9em}
[aria-current]{font-weight:700}
main{max-width:72rem;margin:0 auto;padding:16px 24px 48px}
footer.site{border-top:1px solid var(--line);color:var(--muted);padding:12px 24px;font-size:.9em}
h1{font-size:1.8em;margin:.4em 0}h2{font-size:1.35em;margin-top:1.6em}h3{font-size:1.1em}
table{border-collapse:collapse;width:100%;margin:8px 0 16px}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid var(--line)}
th{background:var(--bg)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:var(--muted)}
.badge{display:inline-block;padding:0 8px;border-radius:10px;border:1px solid currentColor;font-size:.85em}
.ok{color:var(--ok)}.no{color:var(--no)}.warn{color:var(--warn)}
.digest{font-family:ui-monospace,monospace;font-size:.85em;overflow-wrap:anywhere}
.entry{border:1px solid var(--line);border-radius:6px;padding:8px 16px;margin:8px 0}
.entry h4{margin:.3em 0}
form.inline{display:flex;flex-wrap:wrap;gap:8px;align-items:end}
label{display:block;font-weight:600}
input,select{font:inherit;padding:4px 6px;border:1px solid var(--muted);border-radius:4px}
button{font:inherit;padding:5px 14px;border:1px solid var(--accent);background:var(--accent);color:#fff;border-radius:4px;cursor:pointer}
.notice{border-left:4px solid var(--warn);background:#fff8e6;padding:8px 16px}
pre{background:var(--bg);padding:8px 12px;overflow-x:auto}
.chart svg{max-width:100%;height:auto}
.lead{font-size:1.1em}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}dl.facts dt{font-weight:600}dl.facts dd{margin:0}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
table.changes th[scope=row]{width:30%}table.changes td{overflow-wrap:anywhere;width:35%}table.changes pre{margin:0;white-space:pre-wrap}
td.before{background:#fff1f1}td.after{background:#eefbf0}
pre.cmd{white-space:pre-wrap;overflow-wrap:anywhere;border-left:3px solid var(--line)}
.fields{display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:8px 16px;margin:8px 0}
.fields input,.fields select,.params input{width:100%}
fieldset{border:1px solid var(--line);border-radius:6px;margin:12px 0;padding:8px 16px}
.field-error{color:var(--no);font-weight:600;margin:2px 0}
[aria-invalid=true]{border-color:var(--no);border-width:2px}
.badge.status{font-size:1em;padding:2px 12px}
.pager{display:flex;gap:24px}
.chart{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}.chart figure{margin:0;flex:0 1 40rem}
.chart text{font-size:13px;fill:var(--ink)}.chart .x-ticks text,.chart .x-title,.chart .y-title{text-anchor:middle}.chart .y-ticks text{text-anchor:end}
.chart .grid line{stroke:var(--line)}.chart .axis line{stroke:var(--muted)}.chart .trajectory{fill:none;stroke:var(--accent);stroke-width:2.5}
.values{flex:0 1 18rem;max-height:22rem;overflow-y:auto;border:1px solid var(--line)}.values table{margin:0}.values caption{text-align:left;font-weight:600;padding:4px 8px}
dl.terms{display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:4px 16px}dl.terms dt{font-weight:600}dl.terms dd{margin:0}
.account{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:0 0 0 auto}
form.stack{max-width:40rem}form.stack>div,form.stack fieldset>div{margin:12px 0}form.stack input:not([type=radio]),form.stack textarea{width:100%}
textarea{font:inherit;padding:4px 6px;border:1px solid var(--muted);border-radius:4px}textarea:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
label.choice{font-weight:400;margin:4px 0}
form.stack input[type=checkbox]{width:auto}form.entry-form{max-width:60rem}.row{display:flex;flex-wrap:wrap;gap:0 16px}.row>div{flex:1 1 8rem;margin:6px 0}fieldset.criterion{padding:4px 12px;margin:8px 0}fieldset.criterion>div{margin:6px 0}
button.secondary{background:#fff;color:var(--accent)}a.button{display:inline-block;padding:5px 14px;border:1px solid var(--accent);background:var(--accent);color:#fff;border-radius:4px;text-decoration:none}table.conflict th,table.conflict td{vertical-align:top}.preview .chart svg{max-width:100%;height:auto}
.history li{margin-bottom:8px}code{font-family:ui-monospace,monospace;font-size:.9em}
@media print{header.site,footer.site,.skip,form,.languages,.no-print{display:none}.values{max-height:none;overflow:visible}main{max-width:none;padding:0}a{color:inherit;text-decoration:none}.entry{break-inside:avoid}body{font-size:11pt}}
`
  .trim()
  .replace(/\n/g, '');

const version = (content: string) =>
  createHash('sha256').update(content).digest('base64url').slice(0, 12);

/**
 * The workspace entry form's only script, a progressive enhancement: choosing a baseline
 * approach shows its fields at once (the form marks each field with the approaches that take
 * it); without it, the "show this approach's fields" button asks the server. A file of its
 * own, since the Content-Security-Policy allows no inline script.
 */
const ENTRY_FORM_JS = `
(function () {
  var select = document.getElementById('f-baseline-approach');
  if (!select) return;
  function apply() {
    var approach = select.value;
    var box = document.getElementById('approach-fields');
    if (box) box.hidden = approach === '';
    document.querySelectorAll('[data-approaches]').forEach(function (el) {
      el.hidden = (' ' + el.getAttribute('data-approaches') + ' ').indexOf(' ' + approach + ' ') < 0;
    });
  }
  select.addEventListener('change', apply);
})();
`.trim();

/**
 * The one-time API key page's only script, a progressive enhancement: it shows the "copy the
 * key" button (hidden without script, where it could do nothing) and puts the key on the
 * clipboard, saying so in a live region. Without it the key sits in a read-only field the
 * person selects and copies. The messages come from the button's data attributes, in the
 * page's language.
 */
const COPY_KEY_JS = `
(function () {
  var button = document.getElementById('copy-key');
  var field = document.getElementById('api-key');
  var status = document.getElementById('copy-status');
  if (!button || !field || !status) return;
  function say(text) { status.textContent = text; }
  function fallback() {
    field.focus();
    field.select();
    try {
      say(document.execCommand('copy') ? button.dataset.copied : button.dataset.failed);
    } catch (e) {
      say(button.dataset.failed);
    }
  }
  button.hidden = false;
  button.addEventListener('click', function () {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(function () {
        say(button.dataset.copied);
      }, fallback);
    } else {
      fallback();
    }
  });
})();
`.trim();

const STYLESHEET_PATH = `/assets/portal-${version(PORTAL_CSS)}.css`;
export const ENTRY_FORM_SCRIPT_URL = `/assets/entry-form-${version(ENTRY_FORM_JS)}.js`;
export const COPY_KEY_SCRIPT_URL = `/assets/copy-key-${version(COPY_KEY_JS)}.js`;

/** Static assets by URL path: content, media type, and immutable caching. */
export const ASSETS = new Map<string, { body: string; type: string }>([
  [STYLESHEET_PATH, { body: PORTAL_CSS, type: 'text/css; charset=utf-8' }],
  [ENTRY_FORM_SCRIPT_URL, { body: ENTRY_FORM_JS, type: 'text/javascript; charset=utf-8' }],
  [COPY_KEY_SCRIPT_URL, { body: COPY_KEY_JS, type: 'text/javascript; charset=utf-8' }],
]);

export const STYLESHEET_URL = STYLESHEET_PATH;
