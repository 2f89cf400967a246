package dev.atrium.gateway.federation;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Says loudly that this build authenticates no one: inbound authentication is the next
 * piece of work (the inbound-authentication issue), and until it lands Atrium must only
 * listen where every caller is trusted.
 */
@Component
class UnauthenticatedModeWarning implements ApplicationListener<ApplicationReadyEvent> {

	private static final Logger logger = LoggerFactory.getLogger(UnauthenticatedModeWarning.class);

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		logger.warn("""

				*****************************************************************************
				* ATRIUM IS RUNNING WITHOUT AUTHENTICATION.                                 *
				* Every caller that reaches this port can list and call every target.       *
				* Bind it to loopback only (server.address=127.0.0.1) until inbound         *
				* authentication is configured.                                             *
				*****************************************************************************""");
	}

}
