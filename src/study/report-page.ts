/**
 * The study report's page shell: one self-contained HTML document (style and script inline, no
 * fonts, images or scripts fetched), so the report works from a file:// folder with no network.
 */
import { escapeHtml as esc } from '../explore/html.js';

const STYLE = `
:root{--bug:#ffd6d6;--ok:#dff5df;--capped:#fff0c2;--grey:#eeeeee;--err:#ead9ff;--race:#fff3c4;--fault:#ffd9b3;--hl:#c00000;--foreign:#7a4b00}
body{font:14px/1.45 system-ui,sans-serif;margin:1.5em 2em;color:#222;max-width:110em}
h1{font-size:1.5em;margin:.2em 0 .4em}h2{font-size:1.15em;margin:1.2em 0 .4em}
a{color:#0645ad}nav{margin-bottom:.5em}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4}small{color:#555}
code,pre,.mono{font-family:ui-monospace,monospace;font-size:12px}
pre{background:#f8f8f8;border:1px solid #ddd;padding:6px 8px;overflow-x:auto;margin:.3em 0}
.token{display:block;overflow-wrap:anywhere;word-break:break-all;white-space:pre-wrap;background:#f4f4f4;padding:4px 6px;border:1px solid #ddd}
.bug{background:var(--bug)}.verified{background:var(--ok)}.capped{background:var(--capped)}
.unreachable,.na{background:var(--grey)}.error{background:var(--err)}
.counterfactual th,.counterfactual td{color:#555;background:#fbfbfb}
ul.commits{margin:0;padding-left:1.1em}.note{color:#7a4b00}
.legend span{display:inline-block;padding:1px 8px;margin-right:6px;border:1px solid #ccc}
.lanes td{font-family:ui-monospace,monospace;font-size:12px;max-width:46em;overflow-wrap:anywhere}
.lanes tr{cursor:pointer}.lanes tr.sel td,.lanes tr.sel th{outline:2px solid #0645ad;outline-offset:-2px;background:#e8f0ff}
.race{background:var(--race)}.fault{background:var(--fault)}.violation{background:#ffb3b3;font-weight:bold}
.changed th{border-left:4px solid #0645ad}
.lanes tr.fold td{color:#555;font-style:italic;background:#fafafa;font-family:system-ui,sans-serif}
.trace{display:flex;gap:1.5em;align-items:flex-start}
.trace>.lanes{flex:1 1 50%;min-width:0}
.trace>.child{flex:1 1 50%;position:sticky;top:0;max-height:100vh;overflow:auto;background:#fff;padding-bottom:1em}
.controls{position:sticky;top:0;background:#fff;padding:6px 0;z-index:1;display:flex;gap:8px;align-items:center;flex-wrap:wrap}
.controls input[type=range]{flex:1 1 20em}
.jump a{margin-right:10px}
svg text.hl{fill:var(--hl);font-weight:bold}svg text.foreign{fill:var(--foreign);font-style:italic}
.maps .zero{color:var(--hl);font-weight:bold}.maps .freed{color:var(--hl);font-weight:bold}.maps .foreign{color:var(--foreign);font-style:italic}
`;

/** A whole HTML document around `body`, with the report's style and an optional inline script. */
export function reportPage(title: string, body: string, script = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style></head><body>
${body}
${script === '' ? '' : `<script>${script}</script>`}
</body></html>
`;
}

/** A file name for a page, from any configuration or walker name (`6.12.51-…` -> `6.12.51-_`). */
export function pageName(...parts: readonly string[]): string {
  return `${parts.map((p) => p.replace(/[^A-Za-z0-9._-]/g, '_')).join('--')}.html`;
}
