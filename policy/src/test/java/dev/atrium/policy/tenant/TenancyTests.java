package dev.atrium.policy.tenant;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TenancyTests {

	private final TenantClaims claims = new TenantClaims(
			List.of("tenant_id", "user_context.tenant_id", "custom:tenant_id"));

	@Test
	void theFirstClaimPresentNamesTheTenant() {
		assertThat(this.claims.tenant(Map.of("tenant_id", "acme", "custom:tenant_id", "globex"))).isEqualTo("acme");
		assertThat(this.claims.tenant(Map.of("custom:tenant_id", "globex"))).isEqualTo("globex");
		assertThat(this.claims.tenant(Map.of("sub", "x"))).isNull();
	}

	@Test
	void aPathReachesIntoTheStsUserContext() {
		assertThat(this.claims.tenant(Map.of("user_context", Map.of("tenant_id", "acme-corp-12345"))))
			.isEqualTo("acme-corp-12345");
		assertThat(this.claims.tenant(Map.of("user_context", "not an object"))).isNull();
		assertThat(this.claims.tenant(Map.of("tenant_id", 42))).isNull();
	}

	@Test
	void aTargetWithTenantsIsTheirsAloneAndOneWithoutIsShared() {
		TargetTenants tenants = new TargetTenants(Map.of("ledger", List.of("acme"), "weather", List.of()));
		assertThat(tenants.admits("ledger", "acme")).isTrue();
		assertThat(tenants.admits("ledger", "globex")).isFalse();
		assertThat(tenants.admits("ledger", null)).isFalse();
		assertThat(tenants.admits("weather", "globex")).isTrue();
		assertThat(tenants.admits("weather", null)).isTrue();
		assertThat(tenants.admits("unlisted", null)).isTrue();
	}

	@Test
	void aPinnedTenantReachesARegionalTargetOnlyThroughItsOwnRegions() {
		TargetTenants tenants = new TargetTenants(Map.of(),
				Map.of("crm", List.of("us-east-1", "eu-west-1"), "ledger", List.of("us-east-1")),
				Map.of("acme-eu", List.of("eu-west-1", "eu-central-1")));
		assertThat(tenants.admitsRegion("acme-eu", "eu-west-1")).isTrue();
		assertThat(tenants.admitsRegion("acme-eu", "us-east-1")).isFalse();
		assertThat(tenants.admits("crm", "acme-eu")).isTrue();
		// Its only endpoint is outside the tenant's regions: the target is not there.
		assertThat(tenants.admits("ledger", "acme-eu")).isFalse();
		// Unpinned tenants and callers without a tenant go anywhere.
		assertThat(tenants.admitsRegion("globex", "us-east-1")).isTrue();
		assertThat(tenants.admits("ledger", "globex")).isTrue();
		assertThat(tenants.admitsRegion(null, "us-east-1")).isTrue();
		// A target served from one place has no region to judge.
		assertThat(tenants.admits("weather", "acme-eu")).isTrue();
	}

}
