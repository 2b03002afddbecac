/** A browser-less client that keeps cookies per name, as a browser on one site would. */
export class Client {
  readonly cookies = new Map<string, string>()
  constructor(readonly base: string) {}

  async send(
    path: string,
    init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { ...init.headers }
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    let body: string | undefined
    if (init.form !== undefined) {
      body = new URLSearchParams(init.form).toString()
      headers['content-type'] = 'application/x-www-form-urlencoded'
    }
    const response = await fetch(this.base + path, {
      method: init.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
      redirect: 'manual',
    })
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';')
      const [name = '', value = ''] = pair.split('=')
      if (value === '') this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    return response
  }

  /** The hidden CSRF field of the last page of `path`. */
  async csrf(path: string): Promise<string> {
    const page = await (await this.send(path)).text()
    return /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? ''
  }

  async signIn(key: string): Promise<Response> {
    return this.send('/dashboard/sign-in', { form: { csrf: await this.csrf('/dashboard/sign-in'), key } })
  }
}
