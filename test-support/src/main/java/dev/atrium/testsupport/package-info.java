/**
 * Local stand-ins for peers that tests cannot reach (AWS among them), faithful to their
 * published formats, and hostile inputs for the attack suites.
 */
package dev.atrium.testsupport;
