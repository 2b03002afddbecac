/** The dashboard's stylesheet: served at `/dashboard/assets/app.css`, no build step, no CDN. */
export const APP_CSS = `
:root { --ink: #1b1f24; --muted: #55606e; --line: #d6dbe1; --bg: #f6f7f9; --card: #fff; --accent: #0b6e4f;
  --warn: #8a5300; --warn-bg: #fff4e0; --bad: #a1262d; --bad-bg: #fdecee; --ok-bg: #e7f5ef; font-size: 16px; }
* { box-sizing: border-box; }
body { margin: 0; font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
header.top { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; padding: .75rem 1.25rem; background: var(--ink); color: #fff; }
header.top a { color: #fff; text-decoration: none; }
header.top nav { display: flex; gap: 1rem; flex-wrap: wrap; }
header.top nav a[aria-current="page"] { text-decoration: underline; text-underline-offset: .3em; }
header.top .brand { font-weight: 700; }
header.top form { margin-left: auto; }
main { max-width: 72rem; margin: 0 auto; padding: 1.25rem; }
h1 { font-size: 1.5rem; margin: .25rem 0 1rem; }
h2 { font-size: 1.1rem; margin: 0 0 .75rem; }
.grid { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: .5rem; padding: 1rem; overflow-x: auto; margin-bottom: 1rem; }
.grid { margin-bottom: 1rem; } .grid > .card { margin-bottom: 0; }
progress { accent-color: var(--accent); vertical-align: middle; } progress.warn { accent-color: #c77c00; } progress.bad { accent-color: var(--bad); }
.figure { font-size: 1.6rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.muted { color: var(--muted); }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: .85rem; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; }
.badge { display: inline-block; padding: 0 .5rem; border-radius: 1rem; font-size: .8rem; font-weight: 600; background: var(--bg); border: 1px solid var(--line); }
.badge.warn { background: var(--warn-bg); color: var(--warn); border-color: #f0c987; }
.badge.bad { background: var(--bad-bg); color: var(--bad); border-color: #f2b8bd; }
.badge.ok { background: var(--ok-bg); color: var(--accent); border-color: #a7dcc6; }
form.inline { display: inline; }
input, select, button { font: inherit; padding: .4rem .6rem; border: 1px solid var(--line); border-radius: .35rem; background: #fff; color: var(--ink); }
button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; }
button.secondary { background: #fff; color: var(--ink); border-color: var(--line); }
label { display: block; font-weight: 600; margin-bottom: .25rem; }
.error { background: var(--bad-bg); color: var(--bad); padding: .5rem .75rem; border-radius: .35rem; }
.chart { min-height: 220px; }
.live { font-size: .8rem; }
.live[data-state="live"]::before { content: "\\25CF "; color: #3ddc97; }
.live[data-state="reconnecting"]::before { content: "\\25CF "; color: #f0a500; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 40rem) { main { padding: .75rem; } th, td { padding: .35rem .3rem; } .figure { font-size: 1.3rem; } }
`
