#!/usr/bin/env python3
"""Writes the Grafana dashboards of this folder (call-center-now.json,
sip-and-server.json, planning.json). Edit here, run it, commit both: the
files are what Grafana's file provisioning loads, and
tests/dashboards/ checks them (Grafana's schema, every query against a real
Prometheus)."""
import json
import pathlib

DS = {"type": "prometheus", "uid": "switchboard-prometheus"}
Q = 'instance=~"$instance", queue=~"$queue"'
G = 'instance=~"$instance", group=~"$group"'
I = 'instance=~"$instance"'


def variable(name, query, label):
    return {
        "name": name, "label": label, "type": "query", "datasource": DS,
        "query": {"query": query, "refId": name},
        "refresh": 2, "includeAll": True, "multi": True, "allValue": ".*",
        "current": {"selected": True, "text": ["All"], "value": ["$__all"]},
        "sort": 1,
    }


def panel(pid, title, exprs, x, y, w=12, h=8, kind="timeseries", unit="short", description=""):
    targets = [{"refId": chr(ord("A") + i), "datasource": DS, "expr": e, "legendFormat": legend}
               for i, (e, legend) in enumerate(exprs)]
    defaults = {"unit": unit}
    return {
        "id": pid, "type": kind, "title": title, "description": description, "datasource": DS,
        "gridPos": {"x": x, "y": y, "w": w, "h": h}, "targets": targets,
        "fieldConfig": {"defaults": defaults, "overrides": []}, "options": {},
    }


def dashboard(uid, title, panels, variables, description):
    return {
        "uid": uid, "title": title, "description": description, "tags": ["switchboard"],
        "editable": True, "schemaVersion": 39, "version": 1, "refresh": "30s",
        "time": {"from": "now-6h", "to": "now"}, "timezone": "browser", "graphTooltip": 1,
        "templating": {"list": variables}, "annotations": {"list": []}, "links": [], "panels": panels,
    }


instance = variable("instance", "label_values(switchboard_calls_offered_total, instance)", "Instance")
queue = variable("queue", 'label_values(switchboard_calls_offered_total{instance=~"$instance"}, queue)', "Queue")
group = variable("group", 'label_values(switchboard_agents{instance=~"$instance"}, group)', "Agent group")


def ratio(num, den, by="queue", sel=Q, window="$__rate_interval"):
    return (f"sum by ({by}) (increase({num}{{{sel}}}[{window}])) / "
            f"sum by ({by}) (increase({den}{{{sel}}}[{window}]))")


now = dashboard("switchboard-now", "Call center — now", [
    panel(1, "Service level (15 min) against target", [
        (ratio("switchboard_service_level_answered_within_total", "switchboard_service_level_calls_total", window="15m"), "{{queue}}"),
        ("vector(0.8)", "target")], 0, 0, unit="percentunit",
        description="answered within T / (waits that ended − short abandons), docs/kpis.md; the target series is the alert's 80%"),
    panel(2, "ASA (15 min)", [(ratio("switchboard_answered_wait_seconds_total", "switchboard_calls_answered_total", window="15m"), "{{queue}}")],
          12, 0, unit="s"),
    panel(3, "Calls per minute: offered, handled, abandoned, contained", [
        (f"sum(rate(switchboard_calls_offered_total{{{Q}}}[$__rate_interval])) * 60", "offered"),
        (f"sum(rate(switchboard_calls_handled_total{{{Q}}}[$__rate_interval])) * 60", "handled"),
        (f"sum(rate(switchboard_calls_abandoned_total{{{Q}}}[$__rate_interval])) * 60", "abandoned"),
        (f"sum(rate(switchboard_calls_contained_total{{{I}}}[$__rate_interval])) * 60", "contained")], 0, 8),
    panel(4, "Calls waiting", [(f"sum by (queue) (switchboard_calls_waiting{{{Q}}})", "{{queue}}")], 12, 8),
    panel(5, "Longest wait now", [(f"max by (queue) (switchboard_queue_longest_wait_seconds{{{Q}}})", "{{queue}}")], 0, 16, unit="s"),
    panel(6, "Agents by state", [(f"sum by (state) (switchboard_agents{{{G}}})", "{{state}}")], 12, 16),
    panel(7, "Occupancy (15 min)", [(
        f"sum by (group) (increase(switchboard_agent_busy_seconds_total{{{G}}}[15m])) / "
        f"(sum by (group) (increase(switchboard_agent_busy_seconds_total{{{G}}}[15m])) + "
        f"sum by (group) (increase(switchboard_agent_available_seconds_total{{{G}}}[15m])))", "{{group}}")], 0, 24, unit="percentunit"),
    panel(8, "Callbacks pending", [(f"sum by (queue) (switchboard_callbacks_pending{{{Q}}})", "{{queue}}")], 12, 24),
    panel(9, "Tickets open, and SLA breaches per hour (the ticket store)", [
        (f"sum(switchboard_ticket_store_open_age_seconds{{{I}, le=\"+Inf\"}})", "open"),
        (f"sum(increase(switchboard_ticket_store_sla_breaches_total{{{I}}}[1h]))", "SLA breaches (1 h)")], 0, 32,
        description="serve --tickets-db: the stored tickets, whoever opened them (docs/kpis.md, The ticket store)"),
    panel(10, "p90 wait (15 min)", [(
        f"histogram_quantile(0.9, sum by (queue, le) (increase(switchboard_queue_wait_seconds_bucket{{{Q}}}[15m])))", "{{queue}}")],
        12, 32, unit="s"),
], [instance, queue, group], "Live service level, queues and agents of switchboard serve (docs/dashboards.md)")

sip = dashboard("switchboard-sip", "SIP and server", [
    panel(1, "INVITE → 200 OK latency", [
        (f"histogram_quantile({q}, sum by (le) (rate(switchboard_sip_invite_answer_seconds_bucket{{{I}}}[$__rate_interval])))", f"p{int(q * 100)}")
        for q in (0.5, 0.9, 0.99)], 0, 0, unit="s"),
    panel(2, "Responses by code per second", [(f"sum by (code) (rate(switchboard_sip_responses_total{{{I}}}[$__rate_interval]))", "{{code}}")], 12, 0),
    panel(3, "Requests by method per second", [(f"sum by (method) (rate(switchboard_sip_requests_total{{{I}}}[$__rate_interval]))", "{{method}}")], 0, 8),
    panel(4, "Retransmissions per second", [(f"sum by (direction) (rate(switchboard_sip_retransmissions_total{{{I}}}[$__rate_interval]))", "{{direction}}")], 12, 8),
    panel(5, "Active dialogs", [(f"sum by (instance) (switchboard_sip_dialogs_active{{{I}}})", "{{instance}}")], 0, 16),
    panel(6, "503 Service Unavailable per second", [(f'sum by (instance) (rate(switchboard_sip_responses_total{{{I}, code="503"}}[$__rate_interval]))', "{{instance}}")], 12, 16),
    panel(7, "RTP prompt streams", [(f"sum by (instance) (switchboard_rtp_streams_active{{{I}}})", "{{instance}}")], 0, 24),
    panel(8, "CPU of the server (cores)", [(f"sum by (instance) (rate(process_cpu_seconds_total{{{I}, job=\"switchboard\"}}[$__rate_interval]))", "{{instance}}")],
          12, 24),
    panel(9, "Resident memory of the server", [(f"sum by (instance) (process_resident_memory_bytes{{{I}, job=\"switchboard\"}})", "{{instance}}")], 0, 32,
          unit="bytes"),
], [instance], "The SIP layer of switchboard serve: latency, responses, retransmissions, dialogs, RTP streams, CPU and memory (docs/dashboards.md)")

planning = dashboard("switchboard-planning", "Planning", [
    panel(1, "Offered calls per 15-minute interval", [(f"sum by (source) (increase(switchboard_calls_offered_total{{{Q}}}[15m]))", "{{source}} offered")],
          0, 0, description="A simulated day (switchboard simulate --metrics-out) carries source=\"simulation\""),
    panel(2, "Agents staffed (time average, 15 min)", [(
        f"sum by (group) (rate(switchboard_agent_busy_seconds_total{{{G}}}[15m])) + sum by (group) (rate(switchboard_agent_available_seconds_total{{{G}}}[15m])) + "
        f"sum by (group) (rate(switchboard_agent_away_seconds_total{{{G}}}[15m]))", "{{group}}")], 12, 0),
    panel(3, "Service level per interval", [(ratio("switchboard_service_level_answered_within_total", "switchboard_service_level_calls_total", window="15m"), "{{queue}}")],
          0, 8, unit="percentunit"),
    panel(4, "Mean queue length per interval", [(f"sum by (queue) (rate(switchboard_calls_waiting_seconds_total{{{Q}}}[15m]))", "{{queue}}")], 12, 8),
    panel(5, "AHT per interval", [(ratio("switchboard_handle_seconds_total", "switchboard_calls_wrapped_up_total", window="15m"), "{{queue}}")], 0, 16, unit="s"),
    panel(7, "Forecast vs actual calls per interval", [
        (f"sum(switchboard_forecast_calls{{{I}}})", "forecast"),
        (f"sum(increase(switchboard_calls_offered_total{{{Q}}}[15m]))", "actual (last 15 min)")], 0, 24,
        description="serve --forecast FILE.csv: the forecast of the current interval"),
    panel(8, "Agents required vs planned", [
        (f"sum(switchboard_forecast_agents_required{{{I}}})", "required (Erlang A on the forecast)"),
        (f"sum(switchboard_forecast_agents_planned{{{I}}})", "planned"),
        (f"sum(switchboard_agents{{{I}, state!=\"offline\"}})", "logged in now")], 12, 24),
    panel(9, "Early warning: agents short in the next two hours", [
        (f"max by (instance) (switchboard_forecast_agents_short_next_2h{{{I}}})", "{{instance}} short"),
        ("vector(5)", "alert bound")], 0, 32,
        description="SwitchboardPeakAhead fires when the worst interval of the next two hours needs more than 5 agents beyond the plan for 5 minutes"),
    panel(10, "Calls forecast for the next two hours", [(f"sum(switchboard_forecast_calls_next_2h{{{I}}})", "forecast")], 12, 32),
    panel(6, "Abandonment per interval", [(ratio("switchboard_calls_abandoned_total", "switchboard_calls_offered_total", window="15m"), "{{queue}}")],
          12, 16, unit="percentunit"),
], [instance, queue, group], "Per-interval volumes, staffing and service, for live and simulated days (docs/dashboards.md)")

here = pathlib.Path(__file__).parent
for name, d in (("call-center-now.json", now), ("sip-and-server.json", sip), ("planning.json", planning)):
    (here / name).write_text(json.dumps(d, indent=2, ensure_ascii=False) + "\n")
