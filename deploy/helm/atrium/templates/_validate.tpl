{{/*
The checks that values.schema.json cannot express. Each failure names the value and
says what to do instead. Included once, by the ConfigMap.
*/}}
{{- define "atrium.validate" -}}
{{- include "atrium.validateScaling" . }}
{{- /* Credentials first: their message is the more precise one. */}}
{{- include "atrium.validateCredentials" . }}
{{- include "atrium.validateSecrets" . }}
{{- include "atrium.validateResidency" . }}
{{- include "atrium.validateIngress" . }}
{{- end }}

{{- define "atrium.validateScaling" -}}
{{- if and .Values.autoscaling.enabled (gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) }}
{{- fail (printf "autoscaling.minReplicas (%v) is greater than autoscaling.maxReplicas (%v)" .Values.autoscaling.minReplicas .Values.autoscaling.maxReplicas) }}
{{- end }}
{{- if and (include "atrium.multiReplica" .) (not .Values.sessionKeys) }}
{{- fail "sessionKeys is empty but more than one pod can run: every pod would seal sessions with its own random key, and a session would break on the next pod. Create a Secret (kubectl create secret generic atrium-session-keys --from-literal=k1=\"$(openssl rand -base64 48)\") and list it under sessionKeys, or run one pod (replicaCount: 1, autoscaling.enabled: false)." }}
{{- end }}
{{- $sts := (.Values.atrium | default dict).sts | default dict }}
{{- if and (include "atrium.multiReplica" .) (ne (toString $sts.enabled) "false") $sts.clients (not (.Values.stsKeySecret | default dict).existingSecret) }}
{{- fail "atrium.sts has clients but stsKeySecret is not set while more than one pod can run: every pod would sign STS tokens with its own random key, and a token would not verify on the next pod. Create a Secret (kubectl create secret generic atrium-sts --from-literal=key-secret=\"$(openssl rand -base64 48)\") and set stsKeySecret (existingSecret, key)." }}
{{- end }}
{{- $ids := list }}
{{- range .Values.sessionKeys }}
{{- if has .id $ids }}
{{- fail (printf "sessionKeys has the id %q twice: every key needs its own id" .id) }}
{{- end }}
{{- $ids = append $ids .id }}
{{- end }}
{{- if .Values.podDisruptionBudget.enabled }}
{{- $min := int (include "atrium.minReplicas" .) }}
{{- $pdb := .Values.podDisruptionBudget }}
{{- if and (not (kindIs "invalid" $pdb.maxUnavailable)) (not (kindIs "invalid" $pdb.minAvailable)) }}
{{- fail "podDisruptionBudget: give maxUnavailable or minAvailable, not both (set the other to null)" }}
{{- end }}
{{- if and (not (kindIs "string" $pdb.maxUnavailable)) (not (kindIs "invalid" $pdb.maxUnavailable)) (eq (int $pdb.maxUnavailable) 0) }}
{{- fail "podDisruptionBudget.maxUnavailable is 0: no pod could ever be evicted and node drains would hang" }}
{{- end }}
{{- if and (not (kindIs "string" $pdb.minAvailable)) (not (kindIs "invalid" $pdb.minAvailable)) (ge (int $pdb.minAvailable) $min) }}
{{- fail (printf "podDisruptionBudget.minAvailable (%v) is not below the fewest pods that run (%v): no pod could ever be evicted and node drains would hang" $pdb.minAvailable $min) }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Secrets come from Kubernetes Secrets, never from values: values end up in the release
record, in `helm get values`, and in the ConfigMap.
*/}}
{{- define "atrium.validateSecrets" -}}
{{- $atrium := .Values.atrium | default dict }}
{{- if hasKey ($atrium.session | default dict) "keys" }}
{{- fail "atrium.session.keys holds secrets and is not read from values: list the keys under sessionKeys (id, existingSecret, key)" }}
{{- end }}
{{- if hasKey (.Values.springConfig | default dict) "atrium" }}
{{- fail "springConfig has a key atrium: Atrium's properties go under the top-level value atrium" }}
{{- end }}
{{- $secretKey := "(?i)^\\s*(-\\s+)?[\"']?([a-z0-9-]*-)?(secret|password|passwd|api-?key|apikey|authorization|private-key)[\"']?\\s*:\\s*(.*)$" }}
{{- /* Only ${NAME}: a default after a colon could carry the secret itself. */}}
{{- $placeholder := "^[\"']?\\$\\{[A-Za-z0-9_.-]+\\}[\"']?$" }}
{{- range $root, $tree := dict "atrium" $atrium "springConfig" (.Values.springConfig | default dict) }}
{{- range (toYaml $tree | splitList "\n") }}
{{- if regexMatch $secretKey . }}
{{- $value := regexReplaceAll $secretKey . "${4}" | trim }}
{{- /* aws-secret names a Secrets Manager secret (a credential's source); it holds none. */}}
{{- $isSource := eq (regexReplaceAll $secretKey . "${2}${3}" | lower) "aws-secret" }}
{{- if and $value (not $isSource) (not (regexMatch $placeholder $value)) }}
{{- fail (printf "%s has an inline secret (%s): put the secret in a Kubernetes Secret, reference it in secretEnv, and write a ${VARIABLE} placeholder here" $root (regexReplaceAll $secretKey . "${3}")) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- $secretName := "(?i)(secret|password|passwd|token|api_?key|apikey|api-key|private_key|credential)" }}
{{- range .Values.extraEnv }}
{{- if and (hasKey . "value") (regexMatch $secretName .name) (not (hasSuffix "_FILE" .name)) }}
{{- fail (printf "extraEnv %s has a literal value but its name says it is a secret: move it to secretEnv (name, secretKeyRef)" .name) }}
{{- end }}
{{- end }}
{{- end }}

{{/*
A target's outbound credentials (docs/configuration.md, "Secrets"): each secret is an
object with one source. A value source would put the secret in the ConfigMap; env and
file sources must find their variable or file in the pod, or Atrium refuses to start.
*/}}
{{- define "atrium.validateCredentials" -}}
{{- $variables := list }}
{{- range (concat .Values.secretEnv .Values.extraEnv) }}
{{- $variables = append $variables .name }}
{{- end }}
{{- $mounts := list }}
{{- range (concat .Values.secretFiles .Values.extraVolumeMounts) }}
{{- if has .mountPath $mounts }}
{{- fail (printf "secretFiles and extraVolumeMounts mount two volumes at %s: give each its own mountPath" .mountPath) }}
{{- end }}
{{- $mounts = append $mounts .mountPath }}
{{- end }}
{{- $sources := "give it one source: {env: VARIABLE} with the variable in secretEnv, {file: /path} in a Secret mounted by secretFiles, or {aws-secret: name}" }}
{{- range $target, $settings := ((.Values.atrium | default dict).targets | default dict) }}
{{- $credentials := ($settings | default dict).credentials | default dict }}
{{- range $field := list "key" "client-secret" "access-key-id" "secret-access-key" "session-token" }}
{{- if hasKey $credentials $field }}
{{- $secret := get $credentials $field }}
{{- $where := printf "atrium.targets.%s.credentials.%s" $target $field }}
{{- if or (not (kindIs "map" $secret)) (hasKey $secret "value") }}
{{- fail (printf "%s is an inline secret: %s" $where $sources) }}
{{- else if hasKey $secret "env" }}
{{- if not (has $secret.env $variables) }}
{{- fail (printf "%s reads the environment variable %s, which the pod does not have: add it to secretEnv (name, secretKeyRef)" $where $secret.env) }}
{{- end }}
{{- else if hasKey $secret "file" }}
{{- $mounted := false }}
{{- range $mounts }}
{{- if hasPrefix (printf "%s/" (trimSuffix "/" .)) (toString $secret.file) }}
{{- $mounted = true }}
{{- end }}
{{- end }}
{{- if not $mounted }}
{{- fail (printf "%s reads the file %s, which is in no mounted volume: mount its Secret with secretFiles (secretName, mountPath)" $where $secret.file) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Data residency: every AWS region the configuration names must be an allowed one.
*/}}
{{- define "atrium.validateResidency" -}}
{{- with .Values.dataResidency.regions }}
{{- $allowed := . }}
{{- $text := printf "%s\n%s\n%s" (toYaml ($.Values.atrium | default dict)) (toYaml ($.Values.springConfig | default dict)) ($.Values.aws.region | default "") }}
{{- range (regexFindAll "\\b(us|eu|ap|sa|ca|me|af|il|mx)(-gov)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-[0-9]\\b" $text -1 | uniq) }}
{{- if not (has . $allowed) }}
{{- fail (printf "dataResidency.regions allows %s, but the configuration names %s" (join ", " $allowed) .) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{- define "atrium.validateIngress" -}}
{{- if .Values.ingress.enabled }}
{{- if and (eq .Values.ingress.className "alb") (eq .Values.ingress.alb.scheme "internet-facing") (not .Values.ingress.alb.certificateArn) }}
{{- fail "ingress.alb.scheme is internet-facing but ingress.alb.certificateArn is empty: bearer tokens would cross the internet in clear. Give an ACM certificate." }}
{{- end }}
{{- if and (eq .Values.ingress.className "alb") (eq .Values.ingress.alb.targetType "instance") (eq .Values.service.type "ClusterIP") }}
{{- fail "ingress.alb.targetType is instance, which sends traffic to a node port, but service.type is ClusterIP: use targetType ip, or service.type NodePort" }}
{{- end }}
{{- end }}
{{- end }}
