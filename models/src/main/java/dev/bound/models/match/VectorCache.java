package dev.bound.models.match;

import dev.bound.models.Embedder;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Embeddings of the training texts kept on disk between runs of the training command, so that
 * changing a lexical feature does not cost a quarter of an hour of embedding. The vectors are
 * deterministic, so the cache changes speed only, never results.
 */
final class VectorCache {

    private VectorCache() {
    }

    static Map<String, float[]> embed(Embedder embedder, List<String> texts, Path dir, int threads) throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve(embedder.name() + ".vectors");
        Map<String, float[]> known = load(file);
        List<String> missing = new ArrayList<>();
        for (String t : new LinkedHashSet<>(texts)) {
            if (!known.containsKey(t)) {
                missing.add(t);
            }
        }
        if (!missing.isEmpty()) {
            System.out.printf("  embedding %d texts with %s (%d cached)%n", missing.size(), embedder.name(), known.size());
            Map<String, float[]> fresh = embedConcurrently(embedder, missing, threads);
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND)))) {
                for (String t : missing) {
                    byte[] bytes = t.getBytes(StandardCharsets.UTF_8);
                    float[] v = fresh.get(t);
                    out.writeInt(bytes.length);
                    out.write(bytes);
                    out.writeInt(v.length);
                    for (float f : v) {
                        out.writeFloat(f);
                    }
                }
            }
            known.putAll(fresh);
        }
        return known;
    }

    private static Map<String, float[]> load(Path file) throws IOException {
        Map<String, float[]> map = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return map;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            while (true) {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException e) {
                    break;
                }
                byte[] bytes = in.readNBytes(length);
                float[] v = new float[in.readInt()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = in.readFloat();
                }
                map.put(new String(bytes, StandardCharsets.UTF_8), v);
            }
        } catch (EOFException e) {
            // A run stopped while appending: keep what was complete.
        }
        return map;
    }

    private static Map<String, float[]> embedConcurrently(Embedder embedder, List<String> texts, int threads)
            throws Exception {
        int chunk = 256;
        Map<String, float[]> out = new java.util.concurrent.ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int from = 0; from < texts.size(); from += chunk) {
                List<String> part = texts.subList(from, Math.min(texts.size(), from + chunk));
                futures.add(pool.submit(() -> {
                    List<float[]> v = embedder.embedAll(part);
                    for (int i = 0; i < part.size(); i++) {
                        out.put(part.get(i), v.get(i));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return out;
    }
}
