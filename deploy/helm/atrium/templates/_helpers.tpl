{{/*
The chart's name, shortened to the 63 characters of a DNS label.
*/}}
{{- define "atrium.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The release's full name: the release name, prefixed by the chart's unless it holds it.
*/}}
{{- define "atrium.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "atrium.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The version of the application: the image tag, or the chart's appVersion.
*/}}
{{- define "atrium.version" -}}
{{- default .Chart.AppVersion .Values.image.tag | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The labels every object carries: the Kubernetes recommended set and helm.sh/chart.
*/}}
{{- define "atrium.labels" -}}
helm.sh/chart: {{ include "atrium.chart" . }}
{{ include "atrium.selectorLabels" . }}
app.kubernetes.io/version: {{ include "atrium.version" . | quote }}
app.kubernetes.io/component: gateway
app.kubernetes.io/part-of: atrium
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
The labels that select the pods: they never change over the life of a release.
*/}}
{{- define "atrium.selectorLabels" -}}
app.kubernetes.io/name: {{ include "atrium.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "atrium.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "atrium.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "atrium.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{/*
Where the rendered application.yaml is mounted.
*/}}
{{- define "atrium.configDir" -}}
/etc/atrium
{{- end }}

{{/*
The atrium.* subtree as written to application.yaml: the values as given, and, when
atrium.server.allowed-hosts is not given, the names this release is reached by (the
loopback names (the demo target is called on 127.0.0.1), the Service's DNS names and the
Ingress hosts, so that the Host check (421) lets them in.
*/}}
{{- define "atrium.atriumConfig" -}}
{{- $atrium := deepCopy (.Values.atrium | default dict) }}
{{- $server := get $atrium "server" | default dict }}
{{- if not (hasKey $server "allowed-hosts") }}
{{- $svc := include "atrium.fullname" . }}
{{- $ns := .Release.Namespace }}
{{- $hosts := list "localhost" "127.0.0.1" "[::1]" $svc (printf "%s.%s" $svc $ns) (printf "%s.%s.svc" $svc $ns) (printf "%s.%s.svc.cluster.local" $svc $ns) }}
{{- if .Values.ingress.enabled }}
{{- $hosts = concat $hosts .Values.ingress.hosts }}
{{- end }}
{{- $_ := set $server "allowed-hosts" $hosts }}
{{- $_ := set $atrium "server" $server }}
{{- end }}
{{- toYaml $atrium }}
{{- end }}

{{/*
The whole application.yaml: springConfig, then atrium.
*/}}
{{- define "atrium.applicationYaml" -}}
{{- $doc := deepCopy (.Values.springConfig | default dict) }}
{{- $_ := set $doc "atrium" (include "atrium.atriumConfig" . | fromYaml) }}
{{- toYaml $doc }}
{{- end }}

{{/*
Whether more than one pod can run at a time.
*/}}
{{- define "atrium.multiReplica" -}}
{{- if .Values.autoscaling.enabled }}
{{- if gt (int .Values.autoscaling.maxReplicas) 1 }}true{{ end }}
{{- else if gt (int .Values.replicaCount) 1 }}true{{ end }}
{{- end }}

{{/*
The fewest pods the release runs with.
*/}}
{{- define "atrium.minReplicas" -}}
{{- if .Values.autoscaling.enabled }}{{ .Values.autoscaling.minReplicas }}{{ else }}{{ .Values.replicaCount }}{{ end }}
{{- end }}

{{/*
The series of this release, for alerts.
*/}}
{{- define "atrium.seriesSelector" -}}
{{- if .Values.monitoring.prometheusRule.seriesSelector }}
{{- .Values.monitoring.prometheusRule.seriesSelector }}
{{- else }}
{{- printf "namespace=%q, job=%q" .Release.Namespace (include "atrium.fullname" .) }}
{{- end }}
{{- end }}

{{/*
One NetworkPolicy peer, as a one-item list, from a chart peer: an ipBlock (cidr, except),
or a namespaceSelector and/or a podSelector.
*/}}
{{- define "atrium.networkPeer" -}}
{{- $peer := dict }}
{{- if .cidr }}
{{- $block := dict "cidr" .cidr }}
{{- with .except }}
{{- $_ := set $block "except" . }}
{{- end }}
{{- $_ := set $peer "ipBlock" $block }}
{{- else }}
{{- with .namespaceSelector }}
{{- $_ := set $peer "namespaceSelector" . }}
{{- end }}
{{- with .podSelector }}
{{- $_ := set $peer "podSelector" . }}
{{- end }}
{{- end }}
{{- toYaml (list $peer) }}
{{- end }}

{{/*
The ports of a chart peer, TCP unless told.
*/}}
{{- define "atrium.networkPorts" -}}
{{- $ports := list }}
{{- range . }}
{{- $port := dict "port" .port "protocol" (.protocol | default "TCP") }}
{{- with .endPort }}
{{- $_ := set $port "endPort" . }}
{{- end }}
{{- $ports = append $ports $port }}
{{- end }}
{{- toYaml $ports }}
{{- end }}
