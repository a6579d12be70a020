{{/*
Values that contradict each other fail `helm template` / `helm install` with a message naming them.
Included from statefulset.yaml.
*/}}
{{- define "haddns.validate" -}}
{{- $zk := .Values.zookeeper -}}
{{- if and $zk.bundled.enabled $zk.external.connectString -}}
{{- fail "zookeeper.bundled.enabled and zookeeper.external.connectString are both set: choose the bundled ensemble or an external one" -}}
{{- end -}}
{{- if and (not $zk.bundled.enabled) (not $zk.external.connectString) (gt (int .Values.replicaCount) 1) -}}
{{- fail (printf "replicaCount is %d but neither zookeeper.bundled.enabled nor zookeeper.external.connectString is set: without a shared ensemble every node would run its own embedded ZooKeeper" (int .Values.replicaCount)) -}}
{{- end -}}
{{- if and $zk.bundled.enabled (lt (int $zk.bundled.replicas) 3) -}}
{{- fail (printf "zookeeper.bundled.replicas is %d: a bundled ensemble needs at least 3 servers to survive the loss of one" (int $zk.bundled.replicas)) -}}
{{- end -}}
{{- if and $zk.bundled.enabled (lt (int .Values.replicaCount) 3) -}}
{{- fail (printf "replicaCount is %d with zookeeper.bundled.enabled: a bundled ensemble is for a highly available cluster of at least 3 controllers (use zookeeper.external.connectString, or replicaCount 1 without any ZooKeeper)" (int .Values.replicaCount)) -}}
{{- end -}}
{{- if and $zk.bundled.enabled (eq (int (mod (int $zk.bundled.replicas) 2)) 0) -}}
{{- fail (printf "zookeeper.bundled.replicas is %d: use an odd number, an even one tolerates no more failures than one server fewer" (int $zk.bundled.replicas)) -}}
{{- end -}}
{{- if $zk.bundled.enabled -}}
{{- $session := include "haddns.durationMillis" .Values.cluster.sessionTimeout | int -}}
{{- if lt $session (int $zk.bundled.minSessionTimeout) -}}
{{- fail (printf "cluster.sessionTimeout (%s) is below zookeeper.bundled.minSessionTimeout (%dms): the server would silently raise it" .Values.cluster.sessionTimeout (int $zk.bundled.minSessionTimeout)) -}}
{{- end -}}
{{- if gt $session (int $zk.bundled.maxSessionTimeout) -}}
{{- fail (printf "cluster.sessionTimeout (%s) is above zookeeper.bundled.maxSessionTimeout (%dms): the server would silently lower it" .Values.cluster.sessionTimeout (int $zk.bundled.maxSessionTimeout)) -}}
{{- end -}}
{{- if lt (int $zk.bundled.minSessionTimeout) (mul 2 (int $zk.bundled.tickTime) | int) -}}
{{- fail (printf "zookeeper.bundled.minSessionTimeout (%d) is below 2 x zookeeper.bundled.tickTime (%d): ZooKeeper refuses it" (int $zk.bundled.minSessionTimeout) (int $zk.bundled.tickTime)) -}}
{{- end -}}
{{- end -}}
{{- if and .Values.gateway.tls.enabled (not .Values.gateway.tls.secretName) -}}
{{- fail "gateway.tls.enabled is true but gateway.tls.secretName is empty: name the kubernetes.io/tls Secret holding the gateway's certificate and key" -}}
{{- end -}}
{{- if and .Values.gateway.tls.enabled (not .Values.gateway.enabled) -}}
{{- fail "gateway.tls.enabled is true but gateway.enabled is false" -}}
{{- end -}}
{{- if and .Values.secrets.existingSecret .Values.secrets.files -}}
{{- fail "secrets.existingSecret and secrets.files are both set: the chart either makes the Secret from files or mounts the existing one" -}}
{{- end -}}
{{- range $key := list "cluster" "node" -}}
{{- if hasKey $.Values.config $key -}}
{{- fail (printf "config.%s is set: the chart makes the %s section (use the cluster.*, zookeeper.*, admin.*, gateway.* and dns.* values)" $key $key) -}}
{{- end -}}
{{- end -}}
{{- if and (eq .Values.zookeeper.auth.scheme "none") .Values.zookeeper.auth.existingSecret -}}
{{- fail "zookeeper.auth.scheme is none but zookeeper.auth.existingSecret is set" -}}
{{- end -}}
{{- end -}}
