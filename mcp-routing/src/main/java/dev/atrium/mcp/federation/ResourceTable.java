package dev.atrium.mcp.federation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps resource URIs unique across the targets of a scenario and routes a
 * {@code resources/read} to the target that owns the URI.
 * <p>
 * URIs and templates keep their form unless two targets list the same one; then each
 * becomes {@code prefix+uri}, a valid URI whose scheme names the target, and the prefix
 * is removed again before the target sees it.
 */
public final class ResourceTable {

	static final String PREFIX_SEPARATOR = "+";

	private static final Pattern EXPRESSION = Pattern.compile("\\{([+#./;?&]?)[^}]*}");

	private final Map<String, QualifiedName> exact = new HashMap<>();

	private final Map<QualifiedName, String> exposedUris = new HashMap<>();

	private final Map<QualifiedName, String> exposedTemplates = new HashMap<>();

	private final Map<String, String> targetByPrefix = new HashMap<>();

	private final List<TemplateRoute> templateRoutes = new ArrayList<>();

	private final List<String> targetsWithResources = new ArrayList<>();

	public static ResourceTable build(List<TargetResources> targets) {
		ResourceTable table = new ResourceTable();
		Map<String, Integer> uriUses = new HashMap<>();
		Map<String, Integer> templateUses = new HashMap<>();
		targets.forEach((target) -> {
			target.uris().stream().distinct().forEach((uri) -> uriUses.merge(uri, 1, Integer::sum));
			target.templates().stream().distinct().forEach((template) -> templateUses.merge(template, 1, Integer::sum));
		});
		for (TargetResources target : targets) {
			table.targetByPrefix.put(target.prefix(), target.target());
			if (!target.uris().isEmpty() || !target.templates().isEmpty()) {
				table.targetsWithResources.add(target.target());
			}
			for (String uri : target.uris()) {
				String exposed = (uriUses.get(uri) > 1) ? target.prefix() + PREFIX_SEPARATOR + uri : uri;
				QualifiedName qualified = new QualifiedName(target.target(), uri);
				table.exact.putIfAbsent(exposed, qualified);
				table.exposedUris.put(qualified, exposed);
			}
			for (String template : target.templates()) {
				boolean prefixed = templateUses.get(template) > 1;
				String exposed = prefixed ? target.prefix() + PREFIX_SEPARATOR + template : template;
				table.exposedTemplates.put(new QualifiedName(target.target(), template), exposed);
				if (!prefixed) {
					table.templateRoutes.add(new TemplateRoute(target.target(), toPattern(template)));
				}
			}
		}
		return table;
	}

	public String exposedUri(QualifiedName resource) {
		return this.exposedUris.getOrDefault(resource, resource.name());
	}

	/**
	 * The URI a client knows for a URI of a target, also for one the target does not list
	 * (read through a template): prefixed when the unprefixed URI would not lead back to
	 * that target.
	 */
	public String exposedUriOf(String target, String uri) {
		QualifiedName resource = new QualifiedName(target, uri);
		String listed = this.exposedUris.get(resource);
		if (listed != null) {
			return listed;
		}
		if (resolve(uri).filter(resource::equals).isPresent()) {
			return uri;
		}
		return this.targetByPrefix.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().equals(target))
			.findFirst()
			.map((entry) -> entry.getKey() + PREFIX_SEPARATOR + uri)
			.orElse(uri);
	}

	public String exposedTemplate(QualifiedName template) {
		return this.exposedTemplates.getOrDefault(template, template.name());
	}

	/** The target and the URI it knows for a URI a client asks to read. */
	public Optional<QualifiedName> resolve(String uri) {
		QualifiedName listed = this.exact.get(uri);
		if (listed != null) {
			return Optional.of(listed);
		}
		int separator = uri.indexOf(PREFIX_SEPARATOR);
		if (separator > 0) {
			String target = this.targetByPrefix.get(uri.substring(0, separator));
			if (target != null) {
				return Optional.of(new QualifiedName(target, uri.substring(separator + 1)));
			}
		}
		for (TemplateRoute route : this.templateRoutes) {
			if (route.pattern().matcher(uri).matches()) {
				return Optional.of(new QualifiedName(route.target(), uri));
			}
		}
		if (this.targetsWithResources.size() == 1) {
			// A target may serve URIs it does not list (resource links in tool results).
			return Optional.of(new QualifiedName(this.targetsWithResources.get(0), uri));
		}
		return Optional.empty();
	}

	/** RFC 6570 expressions become wildcards: reserved expansions may span '/'. */
	static Pattern toPattern(String template) {
		StringBuilder regex = new StringBuilder();
		Matcher matcher = EXPRESSION.matcher(template);
		int last = 0;
		while (matcher.find()) {
			regex.append(Pattern.quote(template.substring(last, matcher.start())));
			String operator = matcher.group(1);
			regex.append(switch (operator) {
				case "+", "#", "?", "&" -> ".*";
				default -> "[^/?#]*";
			});
			last = matcher.end();
		}
		regex.append(Pattern.quote(template.substring(last)));
		return Pattern.compile(regex.toString());
	}

	private record TemplateRoute(String target, Pattern pattern) {
	}

	/**
	 * One target's resources.
	 *
	 * @param target the target's name
	 * @param prefix the target's prefix
	 * @param uris the resource URIs it lists
	 * @param templates the URI templates it lists
	 */
	public record TargetResources(String target, String prefix, List<String> uris, List<String> templates) {

	}

}
