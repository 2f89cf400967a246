package dev.atrium.gateway.federation;

import java.util.List;

import dev.atrium.policy.auth.ScenarioAuth;
import dev.atrium.policy.auth.ScenarioAuthRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Says loudly which scenarios authenticate no one ({@code anonymous: true}, the local
 * default): every caller that reaches them can list and call every target.
 */
@Component
class UnauthenticatedModeWarning implements ApplicationListener<ApplicationReadyEvent> {

	private static final Logger logger = LoggerFactory.getLogger(UnauthenticatedModeWarning.class);

	private final ScenarioAuthRegistry registry;

	UnauthenticatedModeWarning(ScenarioAuthRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		List<String> anonymous = this.registry.scenarios()
			.stream()
			.filter(ScenarioAuth::anonymous)
			.map((scenario) -> scenario.mcpPath())
			.sorted()
			.toList();
		if (anonymous.isEmpty()) {
			return;
		}
		logger.warn("""

				*****************************************************************************
				* ATRIUM SERVES {} WITHOUT AUTHENTICATION (anonymous: true).
				* Every caller that reaches these endpoints can list and call every target.
				* Keep Atrium on loopback (server.address=127.0.0.1), or list issuers.
				*****************************************************************************""", anonymous);
	}

}
