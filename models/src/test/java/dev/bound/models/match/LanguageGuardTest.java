package dev.bound.models.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.models.EmbeddingModelSpec;
import dev.bound.models.match.LanguageGuard.Verdict;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LanguageGuardTest {

    @TempDir
    static Path cache;
    private static LanguageGuard guard;

    @BeforeAll
    static void open() {
        guard = LanguageGuard.open(EmbeddingModelSpec.builtin("all-minilm-l6-v2-q"), cache);
    }

    @AfterAll
    static void close() {
        guard.close();
    }

    @Test
    void english_isAllowed() {
        for (String text : List.of("How do I enable 2FA?", "A man is playing a guitar.",
                "fix this: def f(x): return x**2 + np.sqrt(x)", "Translate 'привет' into English, please",
                "What does the 🤗 Datasets library do?", "ok")) {
            Verdict v = guard.check(text);
            assertTrue(v.allowed(), text + " -> " + v);
            assertEquals("ok", v.reason());
        }
    }

    /** Rows of stsb_ru.csv, the Russian translation of STS-B. */
    @Test
    void russian_isRefusedForItsScript() {
        for (String text : List.of("Девушка укладывает волосы.", "Группа мужчин играет в футбол на пляже.",
                "Одна женщина измеряет лодыжку другой.", "Как включить двухфакторную аутентификацию?")) {
            Verdict v = guard.check(text);
            assertFalse(v.allowed(), text);
            assertEquals("100% of letters are CYRILLIC, a script the model was not trained on", v.reason());
            assertTrue(v.piecesPerWord() > 3, "Russian words shatter into pieces: " + v);
        }
    }

    @Test
    void chineseAndJapanese_areRefused() {
        Verdict chinese = guard.check("如何启用双重身份验证？");
        assertFalse(chinese.allowed());
        assertEquals("100% of letters are HAN, a script the model was not trained on", chinese.reason());
        Verdict japanese = guard.check("二要素認証を有効にするにはどうすればよいですか？");
        assertFalse(japanese.allowed());
        assertTrue(japanese.reason().endsWith("a script the model was not trained on"), japanese.reason());
    }

    @Test
    void latinScriptLanguageThatShatters_isRefusedForFragmentation() {
        Verdict v = guard.check("Hesabımda iki faktörlü kimlik doğrulamayı nasıl etkinleştiririm?");
        assertFalse(v.allowed());
        assertTrue(v.reason().startsWith("words split into 4.0 pieces on average"), v.reason());
        assertFalse(guard.semanticAllowed("Wie aktiviere ich die Zwei-Faktor-Authentifizierung in meinem Konto?"));
    }

    /**
     * Terse developer questions from the hand-written batches, which the guard refused as a
     * language that shatters: identifiers and the names of tools split into many pieces.
     */
    @Test
    void developerQuestionsFullOfIdentifiers_areAllowed() {
        for (String text : List.of("rxjs combineLatest vs forkJoin", "NullInjectorError: No provider for HttpClient!",
                "grpc-java blocking stub withDeadlineAfter", "buildConfigField syntax in build.gradle.kts",
                "IEnumerable vs IQueryable in EF Core", "celery result backend redis config")) {
            assertTrue(guard.semanticAllowed(text), text + " -> " + guard.check(text));
        }
        // the words left must be prose: German around an identifier still shatters
        Verdict v = guard.check("Wie aktiviere ich die Zwei-Faktor-Authentifizierung in meinem Konto mit useAuth?");
        assertFalse(v.allowed(), v.toString());
        assertFalse(guard.semanticAllowed("Docker imajı oluştururken önbelleği nasıl devre dışı bırakırım?"));
    }

    @Test
    void namesCode_identifiersAndToolNames_notWordsOfALanguage() {
        for (String w : List.of("forkJoin", "IQueryable", "libx264", "histogram_quantile", "pyproject.toml",
                "`BaseSettings`", "nginx", "(sqlalchemy)")) {
            assertTrue(LanguageGuard.namesCode(w), w);
        }
        for (String w : List.of("Zwei-Faktor-Authentifizierung", "doğrulamayı", "Konto?", "don't", "NASA", "Wohnung")) {
            assertFalse(LanguageGuard.namesCode(w), w);
        }
    }

    @Test
    void emojiOnly_isRefusedAsUnknown() {
        Verdict v = guard.check("🙂🙂🙂");
        assertFalse(v.allowed());
        assertEquals("100% of word pieces are unknown to the model", v.reason());
    }
}
