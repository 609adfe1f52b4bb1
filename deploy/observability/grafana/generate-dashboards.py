"""Writes the three Grafana dashboards (dashboards/*.json). Edit here and run: python3 generate-dashboards.py"""
import json, os
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'dashboards')
DS = {"type": "prometheus", "uid": "${DS_PROMETHEUS}"}

# A datasource variable named like the import input: provisioned from files (where Grafana does not replace
# ${DS_PROMETHEUS}) it resolves to the provisioned Prometheus; imported by hand, Grafana asks for the input.
DS_VARIABLE = {"name": "DS_PROMETHEUS", "label": "Prometheus", "type": "datasource", "query": "prometheus",
               "current": {}, "hide": 0, "includeAll": False, "multi": False, "refresh": 1}

def inputs():
    return [{"name": "DS_PROMETHEUS", "label": "Prometheus", "description": "The Prometheus that scrapes Stagecraft",
             "type": "datasource", "pluginId": "prometheus", "pluginName": "Prometheus"}]

def var(name, query, label=None, include_all=True):
    return {"name": name, "label": label or name, "type": "query", "datasource": DS,
            "query": {"query": query, "refId": name}, "definition": query, "refresh": 2,
            "includeAll": include_all, "multi": True, "allValue": ".*",
            "current": {"selected": True, "text": ["All"], "value": ["$__all"]}, "sort": 1}

class Board:
    def __init__(self, uid, title, description):
        self.uid, self.title, self.description = uid, title, description
        self.panels, self.next_id, self.y = [], 1, 0
        self.vars = []
    def row(self, title):
        self.panels.append({"id": self.next_id, "type": "row", "title": title, "collapsed": False,
                            "gridPos": {"h": 1, "w": 24, "x": 0, "y": self.y}, "panels": []})
        self.next_id += 1; self.y += 1; self.x = 0
    def panel(self, kind, title, targets, w=12, h=8, unit=None, description=None, thresholds=None, extra=None):
        if getattr(self, 'x', 0) + w > 24:
            self.x = 0; self.y += self.h_row
        p = {"id": self.next_id, "type": kind, "title": title, "datasource": DS,
             "gridPos": {"h": h, "w": w, "x": getattr(self, 'x', 0), "y": self.y},
             "targets": [dict({"datasource": DS, "refId": chr(65 + i)}, **t) for i, t in enumerate(targets)],
             "fieldConfig": {"defaults": {}, "overrides": []}, "options": {}}
        if description: p["description"] = description
        if unit: p["fieldConfig"]["defaults"]["unit"] = unit
        if thresholds:
            p["fieldConfig"]["defaults"]["thresholds"] = {"mode": "absolute", "steps": thresholds}
        if kind == "stat":
            p["options"] = {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                            "colorMode": "value", "graphMode": "none"}
        if extra: p.update(extra)
        self.panels.append(p)
        self.next_id += 1; self.x = getattr(self, 'x', 0) + w; self.h_row = h
        if self.x >= 24: self.x = 0; self.y += h
    def json(self):
        return {"__inputs": inputs(), "__requires": [{"type": "datasource", "id": "prometheus", "name": "Prometheus", "version": "1.0.0"}],
                "uid": self.uid, "title": self.title, "description": self.description, "tags": ["stagecraft"],
                "timezone": "browser", "schemaVersion": 39, "version": 1, "editable": True,
                "time": {"from": "now-30d" if self.uid == "stagecraft-delivery" else "now-1h", "to": "now"},
                "refresh": "" if self.uid == "stagecraft-delivery" else "10s",
                "templating": {"list": [DS_VARIABLE] + self.vars}, "annotations": {"list": []}, "panels": self.panels}

def t(expr, legend=None, instant=False, fmt=None):
    d = {"expr": expr}
    if legend: d["legendFormat"] = legend
    if instant: d["instant"] = True; d["range"] = False
    if fmt: d["format"] = fmt
    return d

SEL = 'service=~"$service", environment=~"$environment"'

# ---------------- Delivery (DORA) ----------------
b = Board("stagecraft-delivery", "Stagecraft · Delivery (DORA)",
          "The four DORA figures per service and environment over the dashboard's time range, from release-service's "
          "deployment history (stagecraft_dora_*: all-time totals kept in the database, so restarts do not reset them).")
b.vars = [var("service", "label_values(stagecraft_dora_deployments_total, service)"),
          var("environment", "label_values(stagecraft_dora_deployments_total, environment)")]
dep = lambda outcome: f'max by (service, environment) (increase(stagecraft_dora_deployments_total{{{SEL}, outcome=~"{outcome}"}}[$__range]))'
b.row("Over the selected range")
b.panel("stat", "Deployment frequency (per day)", [t(f'sum({dep("succeeded")}) / ($__range_s / 86400)', instant=True)], w=6, unit="short",
        description="SUCCEEDED deployments per day in the range.")
b.panel("stat", "Lead time for changes (mean)", [t(
    f'sum(max by (service, environment) (increase(stagecraft_dora_lead_time_seconds_total{{{SEL}}}[$__range]))) / sum({dep("succeeded")})', instant=True)],
    w=6, unit="s", description="From a release's creation to its SUCCEEDED deployment (bake included). Medians: GET /api/v1/insights/dora.")
b.panel("stat", "Change failure rate", [t(f'sum({dep("rolled_back|failed")}) / sum({dep("succeeded|rolled_back|failed")})', instant=True)],
        w=6, unit="percentunit", thresholds=[{"color": "green", "value": None}, {"color": "orange", "value": 0.15}, {"color": "red", "value": 0.3}],
        description="ROLLED_BACK and FAILED deployments over all that ended.")
b.panel("stat", "Time to restore (mean)", [t(
    f'sum(max by (service, environment) (increase(stagecraft_dora_restore_seconds_total{{{SEL}}}[$__range]))) / sum(max by (service, environment) (increase(stagecraft_dora_restores_total{{{SEL}}}[$__range])))', instant=True)],
    w=6, unit="s", description="From the first failed or rolled-back deployment to the next SUCCEEDED one.")
b.row("Per service and environment")
b.panel("table", "DORA per service and environment", [
    t(f'{dep("succeeded")} / ($__range_s / 86400)', instant=True, fmt="table"),
    t(f'max by (service, environment) (increase(stagecraft_dora_lead_time_seconds_total{{{SEL}}}[$__range])) / {dep("succeeded")}', instant=True, fmt="table"),
    t(f'{dep("rolled_back|failed")} / {dep("succeeded|rolled_back|failed")}', instant=True, fmt="table"),
    t(f'max by (service, environment) (increase(stagecraft_dora_restore_seconds_total{{{SEL}}}[$__range])) / max by (service, environment) (increase(stagecraft_dora_restores_total{{{SEL}}}[$__range]))', instant=True, fmt="table")],
    w=24, h=9, extra={"transformations": [{"id": "merge", "options": {}}, {"id": "organize", "options": {
        "excludeByName": {"Time": True}, "renameByName": {"Value #A": "deployments / day", "Value #B": "lead time (s)",
                                                          "Value #C": "change failure rate", "Value #D": "time to restore (s)"}}}]})
b.row("Over time")
b.panel("timeseries", "Deployments per day by outcome", [t(
    f'sum by (outcome) (max by (service, environment, outcome) (increase(stagecraft_dora_deployments_total{{{SEL}}}[1d])))', "{{outcome}}")],
    w=12, unit="short")
b.panel("timeseries", "Lead time (mean over 7 days)", [t(
    f'max by (service, environment) (increase(stagecraft_dora_lead_time_seconds_total{{{SEL}}}[7d])) / max by (service, environment) (increase(stagecraft_dora_deployments_total{{{SEL}, outcome="succeeded"}}[7d]))',
    "{{service}} {{environment}}")], w=12, unit="s")
boards = [b]

# ---------------- Live rollout ----------------
b = Board("stagecraft-live-rollout", "Stagecraft · Live rollout",
          "Each running deployment: status, the new pool's weight as the router confirmed it, and the canary's (or "
          "green pool's) error rate and p99 against the baseline, with the analysis thresholds as lines.")
b.vars = [var("service", "label_values(stagecraft_deployment_active, service)"),
          var("environment", "label_values(stagecraft_deployment_active, environment)")]
b.row("Deployments that have not ended")
b.panel("table", "Running deployments", [t(f'max by (deployment, service, environment, version, strategy, status) (stagecraft_deployment_active{{{SEL}}})', instant=True, fmt="table")],
        w=24, h=7, description="Status from release-service (REQUESTED, IN_PROGRESS, PAUSED, BAKING, ROLLING_BACK...). The timeline: GET /api/v1/deployments/{deployment}.",
        extra={"transformations": [{"id": "organize", "options": {"excludeByName": {"Time": True, "Value": True}}}]})
b.panel("timeseries", "New pool's weight (router-confirmed)", [t(f'max by (deployment, service, environment) (stagecraft_canary_weight{{{SEL}}})', "{{service}} {{environment}} {{deployment}}")],
        w=12, unit="percent", extra={"fieldConfig": {"defaults": {"unit": "percent", "min": 0, "max": 100}, "overrides": []}})
b.panel("timeseries", "Deployments by status", [t(f'count by (status) (stagecraft_deployment_active{{{SEL}}})', "{{status}}")], w=12, unit="short")
b.row("Canary analysis (health-monitor's last measurements)")
b.panel("timeseries", "Error rate: new pool vs baseline, threshold", [
    t(f'max by (service, environment, pool) (stagecraft_analysis_value{{{SEL}, metric="error-rate"}})', "{{service}} {{pool}}"),
    t(f'max by (service, environment) (stagecraft_analysis_threshold{{{SEL}, metric="error-rate"}})', "{{service}} threshold")],
    w=12, unit="percentunit", extra={"fieldConfig": {"defaults": {"unit": "percentunit"}, "overrides": [
        {"matcher": {"id": "byRegexp", "options": ".*threshold"}, "properties": [
            {"id": "custom.lineStyle", "value": {"fill": "dash", "dash": [10, 10]}}, {"id": "color", "value": {"mode": "fixed", "fixedColor": "red"}}]}]}})
b.panel("timeseries", "p99 latency: new pool vs baseline, threshold", [
    t(f'max by (service, environment, pool) (stagecraft_analysis_value{{{SEL}, metric="p99-latency-ms"}})', "{{service}} {{pool}}"),
    t(f'max by (service, environment) (stagecraft_analysis_threshold{{{SEL}, metric="p99-latency-ms"}})', "{{service}} threshold")],
    w=12, unit="ms", extra={"fieldConfig": {"defaults": {"unit": "ms"}, "overrides": [
        {"matcher": {"id": "byRegexp", "options": ".*threshold"}, "properties": [
            {"id": "custom.lineStyle", "value": {"fill": "dash", "dash": [10, 10]}}, {"id": "color", "value": {"mode": "fixed", "fixedColor": "red"}}]}]}})
b.row("Instances, scraped live (per pool)")
b.panel("timeseries", "5xx rate by pool", [t(
    f'sum by (service, environment, pool) (rate(http_server_requests_total{{job="stagecraft-instances", {SEL}, status=~"5.."}}[$__rate_interval])) / sum by (service, environment, pool) (rate(http_server_requests_total{{job="stagecraft-instances", {SEL}}}[$__rate_interval]))',
    "{{service}} {{environment}} {{pool}}")], w=12, unit="percentunit")
b.panel("timeseries", "p99 latency by pool", [t(
    f'histogram_quantile(0.99, sum by (service, environment, pool, le) (rate(http_server_request_duration_seconds_bucket{{job="stagecraft-instances", {SEL}}}[$__rate_interval])))',
    "{{service}} {{environment}} {{pool}}")], w=12, unit="s")
b.panel("timeseries", "Requests per second by version", [t(
    f'sum by (service, environment, version) (rate(http_server_requests_total{{job="stagecraft-instances", {SEL}}}[$__rate_interval]))', "{{service}} {{version}}")], w=12, unit="reqps")
b.panel("timeseries", "Verdicts", [t('sum by (kind, result) (increase(stagecraft_verdicts_total[5m]))', "{{kind}} {{result}}")], w=12, unit="short")
boards.append(b)

# ---------------- Platform health ----------------
b = Board("stagecraft-platform-health", "Stagecraft · Platform health",
          "The control plane: saga hop latency, outbox backlog, consumer lag, dead letters, step deadlines, webhook "
          "deliveries and the JVMs.")
b.vars = [var("component", 'label_values(up{job="stagecraft"}, component)')]
C = 'component=~"$component"'
b.row("The saga")
b.panel("timeseries", "Event hop latency p99 (Kafka timestamp -> handled)", [t(
    f'histogram_quantile(0.99, sum by (component, consumer, le) (rate(stagecraft_event_hop_seconds_bucket{{{C}}}[$__rate_interval])))', "{{component}} {{consumer}}")],
    w=12, unit="s")
b.panel("timeseries", "Saga step time p99 by phase", [t(
    'histogram_quantile(0.99, sum by (phase, direction, le) (rate(stagecraft_rollout_step_seconds_bucket[$__rate_interval])))', "{{phase}} {{direction}}")],
    w=12, unit="s")
b.panel("timeseries", "Step deadlines missed; sagas overdue", [
    t('sum(increase(stagecraft_saga_deadlines_missed_total[5m]))', "missed in 5m"),
    t('max(stagecraft_sagas_overdue)', "overdue now")], w=12, unit="short")
b.panel("timeseries", "Deployments ended and rollbacks", [
    t('sum by (outcome) (increase(stagecraft_deployments_total[5m]))', "ended {{outcome}}"),
    t('sum by (trigger) (increase(stagecraft_rollbacks_total[5m]))', "rollback {{trigger}}")], w=12, unit="short")
b.row("Messaging")
b.panel("timeseries", "Outbox backlog", [t(f'max by (component) (stagecraft_outbox_backlog{{{C}}})', "{{component}}"),
                                        t(f'max by (component) (stagecraft_outbox_oldest_seconds{{{C}}})', "{{component}} oldest (s)")], w=12, unit="short")
b.panel("timeseries", "Consumer lag (max records) per client", [t(
    f'max by (component, client_id) (kafka_consumer_fetch_manager_records_lag_max{{{C}}})', "{{component}} {{client_id}}")], w=12, unit="short")
b.panel("timeseries", "Dead letters", [t(f'max by (component) (stagecraft_dead_letters{{{C}}})', "{{component}}")], w=12, unit="short",
        thresholds=[{"color": "green", "value": None}, {"color": "red", "value": 1}])
b.panel("timeseries", "Webhook deliveries", [t('sum by (outcome) (increase(stagecraft_webhook_deliveries_total[5m]))', "{{outcome}}")], w=12, unit="short")
b.row("Fleets and alerts")
b.panel("timeseries", "Fleets: in service vs replicas", [
    t('max by (service, environment) (stagecraft_fleet_instances_in_service)', "{{service}} {{environment}} in service"),
    t('max by (service, environment) (stagecraft_fleet_replicas)', "{{service}} {{environment}} replicas")], w=12, unit="short")
b.panel("timeseries", "Instance restarts by host agents; alerts received", [
    t('sum by (service, environment) (increase(stagecraft_instance_restarts_total{component="inventory-service"}[10m]))', "restarts {{service}} {{environment}}"),
    t('sum by (action) (increase(stagecraft_alerts_received_total[10m]))', "alerts {{action}}")], w=12, unit="short")
b.row("JVMs")
b.panel("timeseries", "Heap used", [t(f'sum by (component) (jvm_memory_used_bytes{{{C}, area="heap"}})', "{{component}}")], w=8, unit="bytes")
b.panel("timeseries", "CPU", [t(f'max by (component) (process_cpu_usage{{{C}}})', "{{component}}")], w=8, unit="percentunit")
b.panel("timeseries", "GC pause time per second", [t(f'sum by (component) (rate(jvm_gc_pause_seconds_sum{{{C}}}[$__rate_interval]))', "{{component}}")], w=8, unit="s")
b.panel("timeseries", "HTTP requests per second", [t(f'sum by (component, status) (rate(http_server_requests_seconds_count{{{C}}}[$__rate_interval]))', "{{component}} {{status}}")], w=12, unit="reqps")
b.panel("timeseries", "Live threads", [t(f'max by (component) (jvm_threads_live_threads{{{C}}})', "{{component}}")], w=12, unit="short")
boards.append(b)

names = {"stagecraft-delivery": "delivery.json", "stagecraft-live-rollout": "live-rollout.json", "stagecraft-platform-health": "platform-health.json"}
for b in boards:
    with open(os.path.join(OUT, names[b.uid]), 'w') as f:
        json.dump(b.json(), f, indent=2); f.write('\n')
    print(names[b.uid], sum(len(p.get("targets", [])) for p in b.panels), "queries")
