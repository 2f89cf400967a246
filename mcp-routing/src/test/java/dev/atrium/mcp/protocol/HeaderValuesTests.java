package dev.atrium.mcp.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The examples of the 2026-07-28 streamable HTTP transport, "Value Encoding". */
class HeaderValuesTests {

	@Test
	void plainAsciiStaysAsItIs() {
		assertThat(HeaderValues.encode("us-west1")).isEqualTo("us-west1");
		assertThat(HeaderValues.decode("us-west1")).hasValue("us-west1");
	}

	@Test
	void valuesAHeaderCannotCarryGoInTheBase64Sentinel() {
		assertThat(HeaderValues.encode("Hello, 世界")).isEqualTo("=?base64?SGVsbG8sIOS4lueVjA==?=");
		assertThat(HeaderValues.encode(" padded ")).isEqualTo("=?base64?IHBhZGRlZCA=?=");
		assertThat(HeaderValues.encode("line1\nline2")).isEqualTo("=?base64?bGluZTEKbGluZTI=?=");
		assertThat(HeaderValues.encode("=?base64?literal?=")).isEqualTo("=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=");
	}

	@Test
	void theSentinelIsDecoded() {
		assertThat(HeaderValues.decode("=?base64?SGVsbG8sIOS4lueVjA==?=")).hasValue("Hello, 世界");
		assertThat(HeaderValues.decode("=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=")).hasValue("=?base64?literal?=");
	}

	@Test
	void aBrokenSentinelOrAControlCharacterDecodesToNothing() {
		assertThat(HeaderValues.decode("=?base64?%%%?=")).isEmpty();
		assertThat(HeaderValues.decode("a\u0001b")).isEmpty();
	}

}
