{{/*
The whole haddns.yaml (docs/configuration.md): `cluster` and `node` from the chart's values,
everything else from .Values.config as given. Paths point at the mounts of statefulset.yaml.
*/}}
{{- define "haddns.config" -}}
{{- $cluster := dict "name" .Values.cluster.name "sessionTimeout" .Values.cluster.sessionTimeout "connectionTimeout" .Values.cluster.connectionTimeout "resyncInterval" .Values.cluster.resyncInterval "dataDir" "/var/lib/haddns" -}}
{{- $connect := include "haddns.zookeeperConnect" . -}}
{{- if $connect -}}
{{- $_ := set $cluster "zookeeper" $connect -}}
{{- if eq .Values.zookeeper.auth.scheme "digest" -}}
{{- $auth := dict "scheme" "digest" "user" .Values.zookeeper.auth.user "secretFile" "/etc/haddns/zookeeper/password" -}}
{{- if .Values.zookeeper.auth.migrateAcl -}}{{- $_ := set $auth "migrateAcl" true -}}{{- end -}}
{{- $_ := set $cluster "zookeeperAuth" $auth -}}
{{- else -}}
{{- $_ := set $cluster "zookeeperAuth" (dict "scheme" "none") -}}
{{- end -}}
{{- end -}}
{{- $node := dict "http" (dict "host" "0.0.0.0" "port" (int .Values.admin.port)) -}}
{{- if .Values.gateway.enabled -}}
{{- $gw := dict "host" "0.0.0.0" "port" (int .Values.gateway.containerPort) -}}
{{- if .Values.gateway.tls.enabled -}}
{{- $_ := set $gw "tls" (dict "certificateFile" "/etc/haddns/tls/tls.crt" "keyFile" "/etc/haddns/tls/tls.key") -}}
{{- end -}}
{{- with .Values.gateway.rateLimits }}{{- $_ := set $gw "rateLimits" . -}}{{- end -}}
{{- with .Values.gateway.timeouts }}{{- $_ := set $gw "timeouts" . -}}{{- end -}}
{{- with .Values.gateway.connections }}{{- $_ := set $gw "connections" . -}}{{- end -}}
{{- $_ := set $node "gateway" $gw -}}
{{- end -}}
{{- /* Always set: an `embedded` zone starts the DNS server even when no Service exposes it. */ -}}
{{- $dns := dict "host" "0.0.0.0" "port" (int .Values.dns.containerPort) -}}
{{- with .Values.dns.advertise }}{{- $_ := set $dns "advertise" . -}}{{- end -}}
{{- $_ := set $node "dns" $dns -}}
{{- $doc := merge (dict "cluster" $cluster "node" $node) (deepCopy .Values.config) -}}
# Rendered by the haddns Helm chart from its values; docs/configuration.md describes every key.
{{ toYaml $doc }}
{{- end -}}
