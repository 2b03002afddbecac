/**
 * The dashboard's script: draws each `[data-chart]` with uPlot (served next to it), and keeps the
 * page live from the Server-Sent Events stream named by `<body data-live>`: new usage and new
 * notifications appear without a reload; EventSource reconnects by itself after a drop.
 */
export const APP_JS = `
(function () {
  'use strict'
  var charts = {}
  function draw(el) {
    var data = JSON.parse(el.getAttribute('data-points') || '[[],[]]')
    var limit = el.getAttribute('data-limit')
    var series = [{}, { label: el.getAttribute('data-label') || 'usage', stroke: '#0b6e4f', fill: 'rgba(11,110,79,0.12)' }]
    var rows = [data[0], data[1]]
    if (limit !== null && limit !== '') {
      series.push({ label: 'limit', stroke: '#a1262d', dash: [6, 4] })
      rows.push(data[0].map(function () { return Number(limit) }))
    }
    var width = Math.max(280, el.clientWidth)
    var chart = new uPlot({ width: width, height: 220, series: series, scales: { x: { time: true } }, axes: [{}, { size: 60 }] }, rows, el)
    charts[el.getAttribute('data-chart')] = { chart: chart, rows: rows, hasLimit: rows.length === 3 }
  }
  document.querySelectorAll('[data-chart]').forEach(draw)
  window.addEventListener('resize', function () {
    Object.keys(charts).forEach(function (k) {
      var c = charts[k]; var el = document.querySelector('[data-chart="' + k + '"]')
      if (el) c.chart.setSize({ width: Math.max(280, el.clientWidth), height: 220 })
    })
  })
  function setText(selector, text) { document.querySelectorAll(selector).forEach(function (el) { el.textContent = text }) }
  var live = document.body.getAttribute('data-live')
  if (!live || typeof EventSource === 'undefined') return
  var status = document.querySelector('[data-live-status]')
  function state(s, words) { if (status) { status.setAttribute('data-state', s); status.textContent = words } }
  var source = new EventSource(live)
  source.onopen = function () { state('live', 'live') }
  source.onerror = function () { state('reconnecting', 'reconnecting…') }
  source.addEventListener('usage', function (e) {
    var u = JSON.parse(e.data)
    setText('[data-live-usage="' + u.meter + '"]', u.quantity_text)
    if (u.fill_text) setText('[data-live-fill="' + u.meter + '"]', u.fill_text)
    var c = charts[u.meter]
    if (!c || u.hour === undefined) return
    var xs = c.rows[0]; var last = xs.length - 1
    if (last >= 0 && xs[last] === u.hour) c.rows[1][last] = u.hour_quantity
    else { xs.push(u.hour); c.rows[1].push(u.hour_quantity); if (c.hasLimit) c.rows[2].push(c.rows[2][0]) }
    c.chart.setData(c.rows)
  })
  source.addEventListener('notification', function (e) {
    var n = JSON.parse(e.data)
    var list = document.querySelector('[data-live-notifications]')
    if (!list) return
    var row = document.createElement('tr')
    ;[n.created_at, n.type, n.customer_id || '', n.summary || ''].forEach(function (text) {
      var td = document.createElement('td'); td.textContent = text; row.appendChild(td)
    })
    list.insertBefore(row, list.firstChild)
    while (list.children.length > 20) list.removeChild(list.lastChild)
  })
})()
`
