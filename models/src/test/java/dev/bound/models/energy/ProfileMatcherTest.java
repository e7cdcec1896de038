package dev.bound.models.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ProfileMatcherTest {

    private final ProfileMatcher matcher = ProfileMatcher.builtin();

    private void assertMaps(String upstreamName, String profile) {
        ProfileMatcher.Match m = matcher.match(upstreamName);
        assertTrue(m.matched(), upstreamName + " did not match");
        assertEquals(profile, m.profile().name(), upstreamName);
    }

    @Test
    void match_namesFromTheIssue() {
        assertMaps("gpt-4o-2024-08-06", "gpt-4o-class");
        assertMaps("meta-llama/Llama-3.1-8B-Instruct", "llama-3.1-8b");
        assertMaps("llama3.1:8b", "llama-3.1-8b");
        assertMaps("qwen2.5:72b", "qwen2.5-72b");
        assertMaps("deepseek-chat", "deepseek-v3");
        assertMaps("mixtral-8x7b-instruct", "mixtral-8x7b");
    }

    @Test
    void match_otherSpellings() {
        assertMaps("gpt-4o-mini-2024-07-18", "gpt-4o-mini-class");
        assertMaps("claude-3-5-sonnet-20241022", "claude-sonnet-class");
        assertMaps("gemini-2.0-flash", "gemini-flash-class");
        assertMaps("Qwen/Qwen2.5-7B-Instruct", "qwen2.5-7b");
        assertMaps("qwen2.5:7b", "qwen2.5-7b");
        assertMaps("llama3.3:70b", "llama-3.1-70b");
        assertMaps("Meta-Llama-3.1-405B-Instruct-FP8", "llama-3.1-405b");
        assertMaps("llama3.1", "llama-3.1-8b");
        assertMaps("deepseek-reasoner", "deepseek-v3");
        assertMaps("deepseek-ai/DeepSeek-R1", "deepseek-v3");
        assertMaps("deepseek-r1:671b", "deepseek-v3");
        assertMaps("deepseek-r1:8b", "llama-3.1-8b");
        assertMaps("bound-simulated", "simulated");
        assertMaps("DENSE-1T", "dense-1t");
    }

    @Test
    void match_embeddingModels() {
        for (String name : List.of("text-embedding-3-small", "text-embedding-3-large", "text-embedding-ada-002",
                "nomic-embed-text", "nomic-ai/nomic-embed-text-v1.5", "mxbai-embed-large", "bge-m3",
                "BAAI/bge-small-en-v1.5", "all-minilm:l6-v2", "sentence-transformers/all-MiniLM-L6-v2")) {
            assertMaps(name, "embedding-small");
        }
        ModelProfile p = ModelProfile.builtin("embedding-small");
        assertEquals(110_000_000L, p.activeParams());
        assertFalse(p.isMixtureOfExperts());
    }

    @Test
    void match_unknownOrOtherSize_fallsBackUnmatched() {
        for (String name : List.of("mistral-large-2411", "deepseek-r1:14b", "mixtral-8x22b", "qwen2.5:1.5b", "")) {
            ProfileMatcher.Match m = matcher.match(name);
            assertFalse(m.matched(), name);
            assertEquals(ProfileMatcher.DEFAULT_PROFILE, m.profile().name(), name);
            assertEquals("default", m.rule());
        }
        assertFalse(matcher.match(null).matched());
    }

    @Test
    void of_userRulesFirst_userProfilesAndDefault() {
        ModelProfile mine = ModelProfile.fromProperties("my-70b-fp8", Map.of("like", "llama-3.1-70b",
                "weight-bytes", "1"));
        ProfileMatcher m = ProfileMatcher.of(List.of(new ProfileMatcher.Rule("^gpt-4o", "my-70b-fp8"),
                new ProfileMatcher.Rule("corp-.*", "qwen2.5-7b")), List.of(mine), "llama-3.1-8b");
        assertEquals(new ProfileMatcher.Match(mine, true, "^gpt-4o"), m.match("gpt-4o-2024-08-06"));
        assertEquals("qwen2.5-7b", m.match("CORP-assistant").profile().name());
        assertEquals(mine, m.match("my-70b-fp8").profile());
        assertEquals("gpt-4o-mini-class", m.match("openai/gpt-4o-mini").profile().name());
        ProfileMatcher.Match unknown = m.match("something-else");
        assertFalse(unknown.matched());
        assertEquals("llama-3.1-8b", unknown.profile().name());
    }

    @Test
    void of_badConfig_messagesNameTheProblem() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> ProfileMatcher.of(List.of(new ProfileMatcher.Rule("gpt-(4", "gpt-4o-class")), List.of(),
                        "llama-3.1-8b"));
        assertEquals("energy.match rule 'gpt-(4' is not a valid regular expression: Unclosed group",
                bad.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> ProfileMatcher.of(List.of(new ProfileMatcher.Rule("x", "nope")), List.of(), "llama-3.1-8b"));
        assertTrue(unknown.getMessage().startsWith("energy.match rule 'x' names profile 'nope', which is not known;"),
                unknown.getMessage());
        IllegalArgumentException fallback = assertThrows(IllegalArgumentException.class,
                () -> ProfileMatcher.of(List.of(), List.of(), "nope"));
        assertTrue(fallback.getMessage().startsWith("default profile 'nope' is not a known profile;"),
                fallback.getMessage());
    }
}
