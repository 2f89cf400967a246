package dev.atrium.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NetworkPolicy of the seed: ingress only from the callers, the load balancer and
 * Prometheus; egress only to DNS, the targets, the identity providers, Redis, OTLP and
 * the AWS APIs.
 */
class NetworkPolicyTests {

	@Test
	void byDefaultNothingMayCallInAndOnlyDnsMayGoOut() {
		JsonNode policy = HelmChart.template().set("replicaHandOff.enabled", "false").render().get("NetworkPolicy");
		assertThat(policy.at("/spec/policyTypes")).extracting(JsonNode::asString).containsExactly("Ingress", "Egress");
		assertThat(policy.at("/spec/ingress").isArray()).isTrue();
		assertThat(policy.at("/spec/ingress")).isEmpty();
		assertThat(policy.at("/spec/egress")).hasSize(1);
		assertDns(policy.at("/spec/egress/0"));
	}

	@Test
	void podsOfTheReleaseReachEachOthersHttpPortForHandedOffResumptions() {
		Manifests manifests = HelmChart.template().render();
		JsonNode policy = manifests.get("NetworkPolicy");
		JsonNode pods = manifests.get("Deployment").at("/spec/selector/matchLabels");
		assertThat(policy.at("/spec/ingress")).hasSize(1);
		assertThat(policy.at("/spec/ingress/0/from/0/podSelector/matchLabels")).isEqualTo(pods);
		assertThat(policy.at("/spec/ingress/0/from/0/namespaceSelector").isMissingNode()).isTrue();
		assertThat(policy.at("/spec/ingress/0/ports/0/port").asString()).isEqualTo("http");
		assertThat(policy.at("/spec/egress")).hasSize(2);
		assertDns(policy.at("/spec/egress/0"));
		assertThat(policy.at("/spec/egress/1/to/0/podSelector/matchLabels")).isEqualTo(pods);
		assertThat(policy.at("/spec/egress/1/ports/0/port").asInt()).isEqualTo(8080);
	}

	@Test
	void policySelectsThePodsOfTheRelease() {
		Manifests manifests = HelmChart.template().render();
		assertThat(manifests.get("NetworkPolicy").at("/spec/podSelector/matchLabels"))
			.isEqualTo(manifests.get("Deployment").at("/spec/selector/matchLabels"));
	}

	@Test
	void ingressAdmitsExactlyTheListedCallersOnTheHttpPort() {
		JsonNode ingress = HelmChart.template().values("""
				replicaHandOff: {enabled: false}
				networkPolicy:
				  ingress:
				    namespaceSelectors:
				      - matchLabels: {atrium.dev/caller: "true"}
				      - matchLabels: {kubernetes.io/metadata.name: agents}
				    ingressController:
				      namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}
				      podSelector: {matchLabels: {app.kubernetes.io/name: ingress-nginx}}
				    loadBalancerCidrs: [10.0.0.0/22, 10.0.4.0/22]
				    monitoring:
				      namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}
				""").render().get("NetworkPolicy").at("/spec/ingress");
		assertThat(ingress).hasSize(5);
		for (JsonNode rule : ingress) {
			assertThat(rule.path("ports")).hasSize(1);
			assertThat(rule.at("/ports/0/port").asString()).isEqualTo("http");
		}
		assertThat(ingress.at("/0/from/0/namespaceSelector/matchLabels/atrium.dev~1caller").asString())
			.isEqualTo("true");
		assertThat(ingress.at("/1/from/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asString())
			.isEqualTo("agents");
		JsonNode controller = ingress.at("/2/from");
		assertThat(controller).as("namespace and pod selectors in one peer: both must match").hasSize(1);
		assertThat(controller.at("/0/podSelector/matchLabels/app.kubernetes.io~1name").asString())
			.isEqualTo("ingress-nginx");
		assertThat(ingress.at("/3/from")).extracting((peer) -> peer.at("/ipBlock/cidr").asString())
			.containsExactly("10.0.0.0/22", "10.0.4.0/22");
		assertThat(ingress.at("/4/from/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asString())
			.isEqualTo("monitoring");
		assertThat(ingress.at("/4/from/0/podSelector").isMissingNode()).isTrue();
	}

	@Test
	void anEmptyNamespaceSelectorWhichWouldAdmitEveryNamespaceIsRefused() {
		assertThat(HelmChart.template().values("networkPolicy: {ingress: {namespaceSelectors: [{}]}}").failure())
			.contains("/networkPolicy/ingress/namespaceSelectors/0");
	}

	@Test
	void egressGoesOnlyToTheConfiguredPeersAndAlwaysToDns() {
		JsonNode egress = HelmChart.template().values("""
				replicaHandOff: {enabled: false}
				networkPolicy:
				  egress:
				    targets:
				      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: mcp-servers}}
				        ports: [{port: 8080}]
				      - cidr: 10.1.0.0/16
				        ports: [{port: 443}]
				    identityProviders:
				      - cidr: 0.0.0.0/0
				        except: [10.0.0.0/8]
				        ports: [{port: 443}]
				    redis:
				      - cidr: 10.2.0.0/24
				        ports: [{port: 6379}]
				    otlp:
				      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: observability}}
				        podSelector: {matchLabels: {app: otel-collector}}
				        ports: [{port: 4317}, {port: 4318}]
				    awsApis:
				      - cidr: 10.1.240.0/24
				        ports: [{port: 443}]
				""").render().get("NetworkPolicy").at("/spec/egress");
		assertThat(egress).hasSize(7);
		assertDns(egress.get(0));
		assertThat(egress.at("/1/to/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asString())
			.isEqualTo("mcp-servers");
		assertThat(egress.at("/1/ports/0/port").asInt()).isEqualTo(8080);
		assertThat(egress.at("/1/ports/0/protocol").asString()).isEqualTo("TCP");
		assertThat(egress.at("/2/to/0/ipBlock/cidr").asString()).isEqualTo("10.1.0.0/16");
		assertThat(egress.at("/3/to/0/ipBlock/except/0").asString()).isEqualTo("10.0.0.0/8");
		assertThat(egress.at("/4/ports/0/port").asInt()).isEqualTo(6379);
		assertThat(egress.at("/5/to")).hasSize(1);
		assertThat(egress.at("/5/to/0/podSelector/matchLabels/app").asString()).isEqualTo("otel-collector");
		assertThat(egress.at("/5/ports")).extracting((port) -> port.path("port").asInt()).containsExactly(4317, 4318);
		assertThat(egress.at("/6/to/0/ipBlock/cidr").asString()).isEqualTo("10.1.240.0/24");
	}

	@Test
	void aPeerWithBothACidrAndASelectorIsRefused() {
		assertThat(HelmChart.template().values("""
				networkPolicy:
				  egress:
				    targets:
				      - cidr: 10.1.0.0/16
				        namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: mcp-servers}}
				        ports: [{port: 443}]
				""").failure()).contains("/networkPolicy/egress/targets/0");
	}

	@Test
	void everyExampleAllowsDnsAndAdmitsItsCallers() {
		for (Path example : HelmChart.examples()) {
			JsonNode policy = HelmChart.template().values(example).render().get("NetworkPolicy");
			assertDns(policy.at("/spec/egress/0"));
			assertThat(policy.at("/spec/ingress")).as(example.toString()).isNotEmpty();
		}
	}

	@Test
	void euExampleSendsNothingToPrivateAddressesOutsideItsOwnVpc() {
		JsonNode egress = HelmChart.template()
			.example("production-eu-west-1")
			.render()
			.get("NetworkPolicy")
			.at("/spec/egress");
		List<String> cidrs = new ArrayList<>();
		egress.forEach((rule) -> rule.path("to").forEach((peer) -> {
			if (peer.has("ipBlock")) {
				cidrs.add(peer.at("/ipBlock/cidr").asString());
			}
		}));
		assertThat(cidrs).isNotEmpty();
		for (String cidr : cidrs) {
			if (cidr.equals("0.0.0.0/0")) {
				continue;
			}
			assertThat(cidr).as("private egress stays in the eu-west-1 VPC 10.20.0.0/16").startsWith("10.20.");
		}
		egress.forEach((rule) -> rule.path("to").forEach((peer) -> {
			if ("0.0.0.0/0".equals(peer.at("/ipBlock/cidr").asString())) {
				assertThat(peer.at("/ipBlock/except")).extracting(JsonNode::asString)
					.contains("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16");
			}
		}));
	}

	@Test
	void networkPolicyCanBeLeftToTheCluster() {
		assertThat(HelmChart.template().set("networkPolicy.enabled", false).render().kinds())
			.doesNotContain("NetworkPolicy");
	}

	private static void assertDns(JsonNode rule) {
		assertThat(rule.at("/to/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asString())
			.isEqualTo("kube-system");
		assertThat(rule.at("/to/0/podSelector/matchLabels/k8s-app").asString()).isEqualTo("kube-dns");
		assertThat(rule.path("ports"))
			.extracting((port) -> port.path("port").asInt() + "/" + port.path("protocol").asString())
			.containsExactlyInAnyOrder("53/UDP", "53/TCP");
	}

}
