{{/* Names, labels and paths shared by the templates. */}}

{{- define "haddns.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "haddns.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "haddns.zookeeperName" -}}
{{- printf "%s-zookeeper" (include "haddns.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "haddns.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: haddns
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selector labels of the controller pods. */}}
{{- define "haddns.selectorLabels" -}}
app.kubernetes.io/name: {{ include "haddns.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: controller
{{- end -}}

{{/* Selector labels of the bundled ZooKeeper pods. */}}
{{- define "haddns.zookeeperSelectorLabels" -}}
app.kubernetes.io/name: {{ include "haddns.name" . }}-zookeeper
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: zookeeper
{{- end -}}

{{- define "haddns.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "haddns.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "haddns.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding the files of .Values.secrets (chart-made or existing), or nothing. */}}
{{- define "haddns.filesSecretName" -}}
{{- if .Values.secrets.existingSecret -}}
{{- .Values.secrets.existingSecret -}}
{{- else if .Values.secrets.files -}}
{{- printf "%s-files" (include "haddns.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding the ZooKeeper digest password, or nothing when no digest is used. */}}
{{- define "haddns.zookeeperSecretName" -}}
{{- if and (include "haddns.zookeeperConnect" .) (eq .Values.zookeeper.auth.scheme "digest") -}}
{{- default (printf "%s-zookeeper-auth" (include "haddns.fullname" .)) .Values.zookeeper.auth.existingSecret -}}
{{- end -}}
{{- end -}}

{{/* cluster.zookeeper: the external connect string or the bundled ensemble's servers. */}}
{{- define "haddns.zookeeperConnect" -}}
{{- if .Values.zookeeper.bundled.enabled -}}
{{- $zk := include "haddns.zookeeperName" . -}}
{{- $servers := list -}}
{{- range $i := until (int .Values.zookeeper.bundled.replicas) -}}
{{- $servers = append $servers (printf "%s-%d.%s-headless.%s.svc:2181" $zk $i $zk $.Release.Namespace) -}}
{{- end -}}
{{- join "," $servers -}}
{{- else -}}
{{- .Values.zookeeper.external.connectString -}}
{{- end -}}
{{- end -}}

{{/* The gateway Service's port: explicit, else 443 with TLS and 80 without. */}}
{{- define "haddns.gatewayServicePort" -}}
{{- if .Values.gateway.service.port -}}
{{- .Values.gateway.service.port -}}
{{- else if .Values.gateway.tls.enabled -}}
443
{{- else -}}
80
{{- end -}}
{{- end -}}

{{/* A duration of haddns.yaml ("6s", "500ms", "1m") in milliseconds. */}}
{{- define "haddns.durationMillis" -}}
{{- $d := toString . -}}
{{- if regexMatch "^[0-9]+ms$" $d -}}
{{- trimSuffix "ms" $d | int -}}
{{- else if regexMatch "^[0-9]+s$" $d -}}
{{- mul (trimSuffix "s" $d | int) 1000 -}}
{{- else if regexMatch "^[0-9]+m$" $d -}}
{{- mul (trimSuffix "m" $d | int) 60000 -}}
{{- else -}}
{{- fail (printf "cluster.sessionTimeout: %q is not a duration like 6s or 500ms" $d) -}}
{{- end -}}
{{- end -}}
