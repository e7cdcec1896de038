package dev.bound.models.energy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Maps the model name a client sends upstream ({@code gpt-4o-2024-08-06}, {@code llama3.1:8b}) to a
 * {@link ModelProfile}. It tries, in order: the user's rules, an exact profile name, the built-in
 * rules (case-insensitive regular expressions, searched anywhere in the name), and falls back to a
 * default profile with {@code matched=false}.
 */
public final class ProfileMatcher {

    /**
     * A user rule: names in which {@code pattern} is found (case-insensitive) use {@code profile}.
     *
     * @param pattern a Java regular expression
     * @param profile the name of a built-in or user profile
     */
    public record Rule(String pattern, String profile) {
        public Rule {
            Check.text("ProfileMatcher.Rule.pattern", pattern);
            Check.text("ProfileMatcher.Rule.profile", profile);
        }
    }

    /**
     * The outcome of a lookup.
     *
     * @param profile the profile to cost the call with
     * @param matched false when no rule or name matched and {@code profile} is the default
     * @param rule the pattern or name that matched, or {@code "default"}
     */
    public record Match(ModelProfile profile, boolean matched, String rule) {
        public Match {
            Objects.requireNonNull(profile, "Match.profile");
            Objects.requireNonNull(rule, "Match.rule");
        }
    }

    /** The profile that unknown names fall back to unless another is configured. */
    public static final String DEFAULT_PROFILE = "llama-3.1-70b";

    // Most specific first: distilled and small variants before their family's catch-all.
    private static final List<Rule> BUILTIN_RULES = List.of(
            new Rule("^(bound-)?simulated$", "simulated"),
            // Embedding models first, as small encoders; a large one named after a chat family
            // (Qwen3-Embedding-8B, e5-mistral-7b) is costed right only with an energy.match rule.
            new Rule("embed|(^|/)bge-|all-minilm", "embedding-small"),
            new Rule("gpt-4o-mini|gpt-4\\.1-(mini|nano)", "gpt-4o-mini-class"),
            new Rule("gpt-4o|chatgpt-4o|gpt-4\\.1", "gpt-4o-class"),
            new Rule("claude.*sonnet|sonnet.*claude", "claude-sonnet-class"),
            new Rule("gemini.*flash", "gemini-flash-class"),
            new Rule("deepseek-r1-distill-llama-8b|deepseek-r1:8b", "llama-3.1-8b"),
            new Rule("deepseek-r1-distill-llama-70b|deepseek-r1:70b", "llama-3.1-70b"),
            new Rule("deepseek-r1-distill-qwen-7b|deepseek-r1:7b", "qwen2.5-7b"),
            new Rule("deepseek[-_ ]?(v3|chat|reasoner)|deepseek-r1(?!-distill|:(?!671b)\\d)", "deepseek-v3"),
            new Rule("mixtral(?!.*8x22b)", "mixtral-8x7b"),
            new Rule("llama.?3.*405b", "llama-3.1-405b"),
            new Rule("llama.?3.*70b", "llama-3.1-70b"),
            new Rule("llama.?3.*[^0-9.]8b|llama.?3(\\.1)?(:latest)?$", "llama-3.1-8b"),
            new Rule("qwen.?2\\.5.*72b", "qwen2.5-72b"),
            new Rule("qwen.?2\\.5.*[^0-9.]7b", "qwen2.5-7b"));

    private record Compiled(Pattern pattern, String source, ModelProfile profile) {}

    private final List<Compiled> userRules;
    private final List<Compiled> builtinRules;
    private final Map<String, ModelProfile> profiles;
    private final ModelProfile fallback;

    private ProfileMatcher(List<Compiled> userRules, List<Compiled> builtinRules, Map<String, ModelProfile> profiles,
            ModelProfile fallback) {
        this.userRules = userRules;
        this.builtinRules = builtinRules;
        this.profiles = profiles;
        this.fallback = fallback;
    }

    /** Built-in profiles and rules only, falling back to {@value #DEFAULT_PROFILE}. */
    public static ProfileMatcher builtin() {
        return of(List.of(), List.of(), DEFAULT_PROFILE);
    }

    /**
     * A matcher with user rules (tried first, in order), user profiles (which may replace a built-in
     * of the same name) and the name of the default profile.
     *
     * @throws IllegalArgumentException if a pattern does not compile or a profile name is unknown
     */
    public static ProfileMatcher of(List<Rule> rules, List<ModelProfile> userProfiles, String defaultProfile) {
        Map<String, ModelProfile> profiles = new LinkedHashMap<>();
        for (ModelProfile p : ModelProfile.builtins()) {
            profiles.put(p.name().toLowerCase(Locale.ROOT), p);
        }
        for (ModelProfile p : userProfiles) {
            profiles.put(p.name().toLowerCase(Locale.ROOT), p);
        }
        List<Compiled> user = new ArrayList<>();
        for (Rule r : rules) {
            user.add(compile(r, profiles, "energy.match rule '" + r.pattern() + "'"));
        }
        List<Compiled> builtin = new ArrayList<>();
        for (Rule r : BUILTIN_RULES) {
            builtin.add(compile(r, profiles, "built-in rule"));
        }
        ModelProfile fallback = profiles.get(Check.text("default profile", defaultProfile).toLowerCase(Locale.ROOT));
        if (fallback == null) {
            throw new IllegalArgumentException("default profile '" + defaultProfile + "' is not a known profile;"
                    + " known: " + String.join(", ", profiles.keySet()));
        }
        return new ProfileMatcher(List.copyOf(user), List.copyOf(builtin), Map.copyOf(profiles), fallback);
    }

    /** The profile for an upstream model name. */
    public Match match(String modelName) {
        String name = modelName == null ? "" : modelName.strip();
        for (Compiled c : userRules) {
            if (c.pattern.matcher(name).find()) {
                return new Match(c.profile, true, c.source);
            }
        }
        ModelProfile exact = profiles.get(name.toLowerCase(Locale.ROOT));
        if (exact != null) {
            return new Match(exact, true, exact.name());
        }
        for (Compiled c : builtinRules) {
            if (c.pattern.matcher(name).find()) {
                return new Match(c.profile, true, c.source);
            }
        }
        return new Match(fallback, false, "default");
    }

    private static Compiled compile(Rule r, Map<String, ModelProfile> profiles, String what) {
        ModelProfile p = profiles.get(r.profile().toLowerCase(Locale.ROOT));
        if (p == null) {
            throw new IllegalArgumentException(what + " names profile '" + r.profile()
                    + "', which is not known; known: " + String.join(", ", profiles.keySet()));
        }
        try {
            return new Compiled(Pattern.compile(r.pattern(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE),
                    r.pattern(), p);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(what + " is not a valid regular expression: "
                    + e.getDescription(), e);
        }
    }
}
