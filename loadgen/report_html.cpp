#include "loadgen/report_html.hpp"

#include "loadgen/chart_js.hpp"

namespace switchboard::loadgen {

namespace {

// The page's own code: charts from the embedded report, then what they
// hold written out for checks. Errors are shown on the page (and kept in
// #errors) rather than lost in a console nobody reads.
const char* const kPageScript = R"js(
const errors = document.getElementById('errors');
window.addEventListener('error', e => { errors.textContent += e.message + '\n'; });
const report = JSON.parse(document.getElementById('report-data').textContent);
const charts = [];
function chart(id, type, labels, datasets, options) {
  const c = new Chart(document.getElementById(id), {type, data: {labels, datasets},
    options: Object.assign({animation: false, responsive: false}, options || {})});
  charts.push({id, labels, datasets: datasets.map(d => ({label: d.label, data: d.data}))});
  return c;
}
function cell(row, text) { const td = document.createElement('td'); td.textContent = text; row.appendChild(td); }
const fmt = v => (v === null || v === undefined) ? '' : (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3));
try {
  document.getElementById('title').textContent =
    `${report.scenario.name}: ${report.plan.calls} calls, window ${report.window.start}-${report.window.end}, time scale ${report.time_scale}` +
    (report.complete ? '' : ' (INCOMPLETE: ' + report.stopped_because + ')');
  const kpis = ['offered', 'handled', 'abandoned', 'contained', 'sl', 'asa', 'abandon_rate', 'aht'];
  const totals = document.getElementById('totals');
  for (const k of kpis) {
    const row = document.createElement('tr');
    const m = report.measured.total ? report.measured.total[k] : null;
    const p = report.predicted.total[k];
    cell(row, k); cell(row, fmt(m)); cell(row, fmt(report.predicted.same_day[k])); cell(row, fmt(p.mean));
    cell(row, `[${fmt(p.ci95[0])}, ${fmt(p.ci95[1])}]`); cell(row, `[${fmt(p.run99[0])}, ${fmt(p.run99[1])}]`);
    totals.appendChild(row);
  }
  const verdicts = document.getElementById('verdicts');
  for (const a of report.assertions.concat(report.agreement.map(g => ({passed: g.agrees,
         message: `agreement ${g.kpi}${g.queue ? '{queue=' + g.queue + '}' : ''}: ${fmt(g.measured)} in [${fmt(g.run99[0])}, ${fmt(g.run99[1])}] +- ${fmt(g.tolerance)}`})))) {
    const li = document.createElement('li');
    li.textContent = (a.passed ? 'PASS ' : 'FAIL ') + a.message;
    li.className = a.passed ? 'pass' : 'fail';
    verdicts.appendChild(li);
  }
  const intervals = report.predicted.intervals || [];
  const labels = intervals.map(r => r.start);
  const measured = report.measured.intervals || [];
  for (const [id, k] of [['chart-offered', 'offered'], ['chart-sl', 'sl'], ['chart-asa', 'asa'], ['chart-abandoned', 'abandoned']]) {
    chart(id, 'line', labels, [
      {label: k + ' measured', data: measured.map(r => r[k]), borderColor: '#c0392b', backgroundColor: '#c0392b'},
      {label: k + ' simulator mean', data: intervals.map(r => r[k].mean), borderColor: '#2471a3', backgroundColor: '#2471a3'},
      {label: 'run99 low', data: intervals.map(r => r[k].run99[0]), borderColor: '#aed6f1', borderDash: [4, 4], pointRadius: 0},
      {label: 'run99 high', data: intervals.map(r => r[k].run99[1]), borderColor: '#aed6f1', borderDash: [4, 4], pointRadius: 0}]);
  }
  const samples = report.metrics_samples;
  const wall = samples.map(s => s.wall.toFixed(0));
  chart('chart-load', 'line', wall, [
    {label: 'SIP dialogs', data: samples.map(s => s.dialogs), borderColor: '#7d3c98'},
    {label: 'calls waiting', data: samples.map(s => s.waiting), borderColor: '#d68910'}]);
  const states = ['available', 'ringing', 'talking', 'wrap_up', 'away'];
  const colours = ['#58d68d', '#f4d03f', '#e74c3c', '#5dade2', '#aab7b8'];
  chart('chart-agents', 'line', wall, states.map((s, i) => ({label: s, data: samples.map(x => x.agents[s]), fill: true,
    borderColor: colours[i], backgroundColor: colours[i]})), {scales: {y: {stacked: true}}});
  const res = report.server_resources;
  chart('chart-server', 'line', res.map(s => s.wall.toFixed(0)), [
    {label: 'server CPU % of a core', data: res.map(s => s.cpu_percent), borderColor: '#a04000', yAxisID: 'y'},
    {label: 'server RSS MB', data: res.map(s => s.rss_mb), borderColor: '#1f618d', yAxisID: 'y1'}],
    {scales: {y: {position: 'left'}, y1: {position: 'right'}}});
  const hist = report.sip.invite_200_ms.histogram;
  chart('chart-invite', 'bar', hist.map(b => b.le_ms === null ? 'more' : '<= ' + b.le_ms + ' ms'),
    [{label: 'INVITE -> 200', data: hist.map(b => b.count), backgroundColor: '#148f77'}]);
  document.getElementById('sip').textContent = JSON.stringify({
    created: report.sip.calls_created, successful: report.sip.successful_calls, failed: report.sip.failed_calls,
    failed_by_reason: report.sip.failed_by_reason, responses_by_code: report.sip.responses_by_code,
    p50_ms: report.sip.invite_200_ms.p50, p99_ms: report.sip.invite_200_ms.p99}, null, 1);
} catch (e) {
  errors.textContent += String(e && e.stack || e) + '\n';
}
window.switchboardCharts = charts;
document.getElementById('chart-data').textContent = JSON.stringify(charts);
document.body.dataset.charts = String(charts.length);
)js";

const char* const kHead = R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>switchboard loadtest report</title>
<style>
body { font: 14px sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 2px 8px; text-align: right; }
.pass { color: #1e8449; } .fail { color: #c0392b; font-weight: bold; }
canvas { margin: 0.5em 1em 0.5em 0; } #errors { color: #c0392b; white-space: pre; }
#chart-data { display: none; }
</style></head><body>
<h1 id="title">switchboard loadtest</h1>
<div id="errors"></div>
<h2>KPIs: the real run and the simulator</h2>
<table><thead><tr><th>KPI</th><th>measured</th><th>simulator, same day</th><th>simulator mean</th><th>95% CI of the mean</th><th>99% one run</th></tr></thead>
<tbody id="totals"></tbody></table>
<h2>Verdicts</h2><ul id="verdicts"></ul>
<h2>Per interval (measured: calls ended in the interval; simulator: arrived in it)</h2>
<canvas id="chart-offered" width="460" height="260"></canvas><canvas id="chart-sl" width="460" height="260"></canvas>
<canvas id="chart-asa" width="460" height="260"></canvas><canvas id="chart-abandoned" width="460" height="260"></canvas>
<h2>During the run (server /metrics, wall seconds)</h2>
<canvas id="chart-load" width="460" height="260"></canvas><canvas id="chart-agents" width="460" height="260"></canvas>
<canvas id="chart-server" width="460" height="260"></canvas>
<h2>SIP health</h2>
<canvas id="chart-invite" width="460" height="260"></canvas>
<pre id="sip"></pre>
<pre id="chart-data"></pre>
)html";

// JSON inside <script>: "</" would end the element early.
std::string script_safe(std::string text) {
  for (std::size_t at = text.find("</"); at != std::string::npos; at = text.find("</", at + 2)) text.replace(at, 2, "<\\/");
  return text;
}

}  // namespace

std::string report_html(const nlohmann::json& report) {
  std::string page = kHead;
  page += "<script id=\"report-data\" type=\"application/json\">" + script_safe(report.dump()) + "</script>\n";
  page += "<script>" + std::string(kChartJs) + "</script>\n";
  page += "<script>" + std::string(kPageScript) + "</script>\n</body></html>\n";
  return page;
}

}  // namespace switchboard::loadgen
