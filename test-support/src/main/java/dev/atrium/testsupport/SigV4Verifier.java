package dev.atrium.testsupport;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A SigV4 check written from the specification alone, as a service does it: rebuild the
 * canonical request from what arrived, sign it with the secret, compare. It shares no
 * code with the signer under test, and is itself checked against AWS's test vectors
 * ({@code SigV4TestSuiteTests} in mcp-routing). Used by the endpoints of mcp-routing's
 * tests and the e2e tests that play AWS.
 */
public final class SigV4Verifier {

	private static final Pattern AUTHORIZATION = Pattern.compile(
			"AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})");

	private final String secretAccessKey;

	private final String region;

	private final String service;

	/**
	 * @param secretAccessKey the secret key the signer must have used
	 * @param region the region the signature must be scoped to
	 * @param service the service the signature must be scoped to, e.g.
	 * {@code bedrock-agentcore}
	 */
	public SigV4Verifier(String secretAccessKey, String region, String service) {
		this.secretAccessKey = secretAccessKey;
		this.region = region;
		this.service = service;
	}

	/**
	 * @param method the request's method
	 * @param rawPath the path as it arrived, still percent-encoded
	 * @param rawQuery the query as it arrived; empty for none
	 * @param headers the headers that arrived, names in any case
	 * @param body the body that arrived
	 * @return what the check found
	 */
	public Result verify(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
			byte[] body) {
		Map<String, List<String>> lower = new TreeMap<>();
		headers.forEach(
				(name, values) -> lower.computeIfAbsent(name.toLowerCase(), (key) -> new ArrayList<>()).addAll(values));
		String authorization = first(lower, "authorization");
		Matcher matcher = (authorization != null) ? AUTHORIZATION.matcher(authorization) : null;
		if (matcher == null || !matcher.matches()) {
			return Result.refused("no SigV4 Authorization header: " + authorization);
		}
		String amzDate = first(lower, "x-amz-date");
		if (amzDate == null || !amzDate.startsWith(matcher.group(2))) {
			return Result.refused("x-amz-date " + amzDate + " does not match the credential's date");
		}
		if (!this.region.equals(matcher.group(3)) || !this.service.equals(matcher.group(4))) {
			return Result.refused("scope " + matcher.group(3) + "/" + matcher.group(4));
		}
		List<String> signedHeaders = List.of(matcher.group(5).split(";"));
		if (!signedHeaders.contains("host") || !signedHeaders.contains("x-amz-date")) {
			return Result.refused("host and x-amz-date must be signed: " + signedHeaders);
		}
		StringBuilder canonicalHeaders = new StringBuilder();
		for (String name : signedHeaders) {
			List<String> values = lower.get(name);
			if (values == null) {
				return Result.refused("signed header " + name + " did not arrive");
			}
			canonicalHeaders.append(name)
				.append(':')
				.append(String.join(",", values.stream().map((value) -> value.strip().replaceAll(" +", " ")).toList()))
				.append('\n');
		}
		String canonicalRequest = String.join("\n", method, canonicalPath(rawPath), canonicalQuery(rawQuery),
				canonicalHeaders.toString(), matcher.group(5), hex(sha256(body)));
		String scope = matcher.group(2) + "/" + this.region + "/" + this.service + "/aws4_request";
		String stringToSign = String.join("\n", "AWS4-HMAC-SHA256", amzDate, scope,
				hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8))));
		byte[] key = hmac(("AWS4" + this.secretAccessKey).getBytes(StandardCharsets.UTF_8), matcher.group(2));
		key = hmac(key, this.region);
		key = hmac(key, this.service);
		key = hmac(key, "aws4_request");
		String signature = hex(hmac(key, stringToSign));
		boolean valid = MessageDigest.isEqual(signature.getBytes(StandardCharsets.US_ASCII),
				matcher.group(6).getBytes(StandardCharsets.US_ASCII));
		return new Result(valid, canonicalRequest, stringToSign, signature,
				valid ? "valid" : "signature mismatch, expected " + signature);
	}

	/** Each segment encoded once more, as every service but S3 expects. */
	private static String canonicalPath(String rawPath) {
		if (rawPath == null || rawPath.isEmpty()) {
			return "/";
		}
		List<String> segments = new ArrayList<>();
		for (String segment : rawPath.split("/", -1)) {
			segments.add(encode(segment));
		}
		return String.join("/", segments);
	}

	private static String canonicalQuery(String rawQuery) {
		if (rawQuery == null || rawQuery.isEmpty()) {
			return "";
		}
		List<String[]> pairs = new ArrayList<>();
		for (String pair : rawQuery.split("&")) {
			int equals = pair.indexOf('=');
			String name = (equals < 0) ? pair : pair.substring(0, equals);
			String value = (equals < 0) ? "" : pair.substring(equals + 1);
			pairs.add(new String[] { encode(URLDecoder.decode(name, StandardCharsets.UTF_8)),
					encode(URLDecoder.decode(value, StandardCharsets.UTF_8)) });
		}
		pairs.sort((a, b) -> (a[0].equals(b[0])) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
		return String.join("&", pairs.stream().map((pair) -> pair[0] + "=" + pair[1]).toList());
	}

	/** RFC 3986 unreserved characters stay, everything else is %XX in upper case. */
	private static String encode(String text) {
		StringBuilder encoded = new StringBuilder();
		for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
			char c = (char) (b & 0xff);
			if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
					|| c == '.' || c == '~') {
				encoded.append(c);
			}
			else {
				encoded.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
			}
		}
		return encoded.toString();
	}

	private static String first(Map<String, List<String>> headers, String name) {
		List<String> values = headers.get(name);
		return (values != null && !values.isEmpty()) ? values.get(0) : null;
	}

	private static byte[] sha256(byte[] bytes) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(bytes);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] hmac(byte[] key, String data) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String hex(byte[] bytes) {
		return HexFormat.of().formatHex(bytes);
	}

	/**
	 * What the check found.
	 *
	 * @param valid whether the signature is the one the secret makes
	 * @param canonicalRequest the canonical request rebuilt; null when refused before
	 * @param stringToSign the string to sign; null when refused before
	 * @param signature the signature the secret makes; null when refused before
	 * @param reason why it is valid or not
	 */
	public record Result(boolean valid, String canonicalRequest, String stringToSign, String signature, String reason) {

		public static Result refused(String reason) {
			return new Result(false, null, null, null, reason);
		}

	}

}
