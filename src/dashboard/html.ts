/** HTML that is safe to embed as it is: built by {@link html} from escaped parts, or trusted markup. */
export class SafeHtml {
  readonly text: string
  constructor(text: string) {
    this.text = text
  }
  toString(): string {
    return this.text
  }
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/**
 * Escapes text for HTML content and quoted attribute values. Lone surrogates and NUL, which no
 * page should carry, become U+FFFD so the page stays valid UTF-8.
 *
 * @example
 * escapeHtml('<script>alert(1)</script>') // '&lt;script&gt;alert(1)&lt;/script&gt;'
 */
export function escapeHtml(value: string): string {
  return value
    .replace(/[&<>"']/g, (c) => ENTITIES[c] as string)
    .replace(/\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
}

/** What a template may interpolate: text (escaped), numbers, safe HTML, lists of those, or nothing. */
export type HtmlValue = string | number | SafeHtml | null | undefined | false | readonly HtmlValue[]

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return ''
  if (value instanceof SafeHtml) return value.text
  if (Array.isArray(value)) return value.map(render).join('')
  return escapeHtml(String(value))
}

/**
 * A template tag that escapes every interpolated value unless it is already {@link SafeHtml}: a
 * customer named `<script>` is text on every page.
 *
 * @example
 * html`<td>${customer.name}</td>` // SafeHtml, the name escaped
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? ''
  for (let i = 0; i < values.length; i++) out += render(values[i] as HtmlValue) + (strings[i + 1] ?? '')
  return new SafeHtml(out)
}

/**
 * JSON for a `data-` attribute or a `<script type="application/json">` block: `<`, `>` and `&`
 * are escaped so the text can never close the element it sits in.
 *
 * @example
 * html`<div data-points="${jsonText(points)}"></div>`
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
}
