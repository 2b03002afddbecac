import { html, type SafeHtml } from './html.js'

/** The sections of the operator dashboard, in the order the navigation shows them. */
export const SECTIONS = [
  ['overview', 'Overview', ''],
  ['customers', 'Customers', '/customers'],
  ['invoices', 'Invoices', '/invoices'],
] as const

/** Which section a page belongs to. */
export type Section = (typeof SECTIONS)[number][0]

/** What every operator page is drawn in. */
export interface PageFrame {
  /** Where the dashboard is mounted: `/dashboard` or `/billing/dashboard`. */
  base: string
  title: string
  section: Section | null
  /** The session's CSRF token, for the sign-out form. */
  csrf: string
  /** The Server-Sent Events stream that keeps this page live. */
  live?: string
}

function head(base: string, title: string): SafeHtml {
  return html`<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · kobometer</title>
<link rel="stylesheet" href="${base}/assets/uPlot.min.css">
<link rel="stylesheet" href="${base}/assets/app.css">
<script defer src="${base}/assets/uPlot.iife.min.js"></script>
<script defer src="${base}/assets/app.js"></script>
</head>`
}

/**
 * An operator page: navigation, a live-status marker, a sign-out form carrying the CSRF token,
 * and the page's content.
 *
 * @example
 * operatorPage({ base: '/dashboard', title: 'Overview', section: 'overview', csrf }, html`<h1>Overview</h1>`)
 */
export function operatorPage(frame: PageFrame, content: SafeHtml): SafeHtml {
  const nav = SECTIONS.map(
    ([id, label, path]) =>
      html`<a href="${frame.base}${path}" ${frame.section === id ? html`aria-current="page"` : ''}>${label}</a>`,
  )
  return html`<!doctype html>
<html lang="en">
${head(frame.base, frame.title)}
<body ${frame.live === undefined ? '' : html`data-live="${frame.live}"`}>
<a class="sr-only" href="#main">Skip to content</a>
<header class="top">
<a class="brand" href="${frame.base}">kobometer</a>
<nav aria-label="Sections">${nav}</nav>
${frame.live === undefined ? '' : html`<span class="live" data-live-status data-state="connecting" role="status">connecting…</span>`}
<form method="post" action="${frame.base}/sign-out"><input type="hidden" name="csrf" value="${frame.csrf}"><button class="secondary" type="submit">Sign out</button></form>
</header>
<main id="main">${content}</main>
</body>
</html>`
}

/**
 * A page outside the operator navigation (sign-in, the customer portal).
 *
 * @example
 * plainPage('/dashboard', 'Sign in', html`<form>…</form>`)
 */
export function plainPage(base: string, title: string, content: SafeHtml, live?: string): SafeHtml {
  return html`<!doctype html>
<html lang="en">
${head(base, title)}
<body ${live === undefined ? '' : html`data-live="${live}"`}>
<main id="main">${content}</main>
</body>
</html>`
}
