package dev.bound.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Finds the ONNX file and tokenizer of a model on disk, unpacking built-in models first. */
public final class ModelFiles {

    static final String TOKENIZER = "tokenizer.json";
    static final String DEFAULT_ONNX = "model.onnx";
    private static final String RESOURCE_ROOT = "bound/models/";

    private final Path directory;
    private final Path onnx;

    private ModelFiles(Path directory, Path onnx) {
        this.directory = directory;
        this.onnx = onnx;
    }

    Path directory() {
        return directory;
    }

    Path onnx() {
        return onnx;
    }

    /** The file name without ".onnx", which is how DJL is told which file to load. */
    String modelName() {
        String file = onnx.getFileName().toString();
        return file.substring(0, file.length() - ".onnx".length());
    }

    static ModelFiles resolve(EmbeddingModelSpec spec, Path cacheDir) {
        if (spec.isBuiltin()) {
            return unpackBuiltin(spec.name(), cacheDir);
        }
        return inspect(spec.directory());
    }

    static ModelFiles inspect(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("embedding model directory " + dir + " does not exist or is not a directory");
        }
        List<String> missing = new ArrayList<>();
        Path onnx = dir.resolve(DEFAULT_ONNX);
        if (!Files.isRegularFile(onnx)) {
            List<Path> candidates = onnxFilesIn(dir);
            if (candidates.size() == 1) {
                onnx = candidates.get(0);
            } else if (candidates.isEmpty()) {
                missing.add("an ONNX model file (*.onnx)");
            } else {
                throw new IllegalArgumentException("embedding model directory " + dir + " holds several .onnx files "
                        + candidates.stream().map(p -> p.getFileName().toString()).sorted().toList()
                        + "; keep one, or name the one to use " + DEFAULT_ONNX);
            }
        }
        if (!Files.isRegularFile(dir.resolve(TOKENIZER))) {
            missing.add(TOKENIZER);
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("embedding model directory " + dir + " is missing "
                    + String.join(" and ", missing));
        }
        return new ModelFiles(dir, onnx);
    }

    private static List<Path> onnxFilesIn(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".onnx") && Files.isRegularFile(p)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list embedding model directory " + dir, e);
        }
    }

    private static ModelFiles unpackBuiltin(String name, Path cacheDir) {
        // ONNX Runtime and the tokenizer read from the file system, not from inside a jar.
        Path dir = cacheDir.resolve(name);
        try {
            Files.createDirectories(dir);
            unpack(RESOURCE_ROOT + name + "/" + name + ".onnx", dir.resolve(name + ".onnx"));
            unpack(RESOURCE_ROOT + name + "/" + name + "-tokenizer.json", dir.resolve(TOKENIZER));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack built-in embedding model '" + name + "' into " + dir + ": " + e, e);
        }
        return new ModelFiles(dir, dir.resolve(name + ".onnx"));
    }

    /**
     * Copies a classpath resource to {@code target} unless a file of its size is there already,
     * through a temporary file and an atomic move, so that a reader never sees half a file and
     * two processes may unpack at once. For data that a library reads from the file system.
     */
    public static void unpack(String resource, Path target) throws IOException {
        URL url = ModelFiles.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IOException("classpath resource " + resource + " is missing (is the build incomplete?)");
        }
        URLConnection connection = url.openConnection();
        // Otherwise a jar: URL keeps the jar file open and cached for the life of the JVM.
        connection.setUseCaches(false);
        long size = connection.getContentLengthLong();
        try (InputStream in = connection.getInputStream()) {
            if (Files.isRegularFile(target) && (size < 0 ? Files.size(target) > 0 : Files.size(target) == size)) {
                return;
            }
            // A temp file in the same folder makes the final move atomic, so readers never see half a model.
            Path temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
            try {
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }
}
