package dev.bound.models;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns texts into unit sentence vectors: the tokenizer's ids, attention mask and token types in,
 * the model's token vectors out, pooled and normalised here in plain Java.
 *
 * <p>It gives the vectors of DJL's {@code TextEmbeddingTranslator} with pooling {@code mean} or
 * {@code cls}, {@code includeTokenTypes} and {@code normalize} (a test compares the two on every
 * built-in model), at less cost per text: that translator pools with NDArray operations, each a
 * native array of its own, where this one reads the token vectors once (2.04 against 2.20 ms per
 * prompt at the median in {@code EmbeddingBenchmark}; README, Performance). It keeps DJL's default
 * batchifier, with which the predictor hands every call, one text or many, to the batch methods
 * here; they build the batch themselves, padded to its longest text as the tokenizer is
 * configured to.
 */
final class PoolingTranslator implements Translator<String, float[]> {

    private static final String MASK = "bound.attentionMask";
    /** The smallest norm divided by, as DJL's {@code normalize} clamps it. */
    private static final double MIN_NORM = 1e-12;

    private final HuggingFaceTokenizer tokenizer;
    private final Pooling pooling;

    PoolingTranslator(HuggingFaceTokenizer tokenizer, Pooling pooling) {
        this.tokenizer = tokenizer;
        this.pooling = pooling;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, String input) {
        return batchProcessInput(ctx, List.of(input));
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        return batchProcessOutput(ctx, list).get(0);
    }

    @Override
    public NDList batchProcessInput(TranslatorContext ctx, List<String> inputs) {
        Encoding[] encodings = inputs.size() == 1
                ? new Encoding[] {tokenizer.encode(inputs.get(0))}
                : tokenizer.batchEncode(inputs);
        int batch = encodings.length;
        int length = encodings[0].getIds().length;
        long[] ids = new long[batch * length];
        long[] mask = new long[batch * length];
        long[] types = new long[batch * length];
        for (int b = 0; b < batch; b++) {
            Encoding e = encodings[b];
            if (e.getIds().length != length) {
                throw new IllegalStateException("the tokenizer did not pad the batch to one length");
            }
            System.arraycopy(e.getIds(), 0, ids, b * length, length);
            System.arraycopy(e.getAttentionMask(), 0, mask, b * length, length);
            System.arraycopy(e.getTypeIds(), 0, types, b * length, length);
        }
        ctx.setAttachment(MASK, new Mask(mask, batch, length));
        NDManager manager = ctx.getNDManager();
        Shape shape = new Shape(batch, length);
        // Unnamed, in this order, as DJL's own translator sends them: ONNX Runtime then takes them
        // by position, so a model whose inputs are named otherwise still loads.
        return new NDList(manager.create(ids, shape), manager.create(mask, shape), manager.create(types, shape));
    }

    @Override
    public List<float[]> batchProcessOutput(TranslatorContext ctx, NDList list) {
        Mask mask = (Mask) ctx.getAttachment(MASK);
        NDArray hidden = list.get("last_hidden_state");
        if (hidden == null) {
            hidden = list.head(); // ONNX outputs are in the graph's order, the token vectors first
        }
        if (hidden.getDataType() != DataType.FLOAT32) {
            throw new IllegalStateException("the model's first output holds " + hidden.getDataType()
                    + ", not 32-bit floats");
        }
        Shape shape = hidden.getShape();
        if (shape.dimension() != 3 || shape.get(0) != mask.batch() || shape.get(1) != mask.length()) {
            throw new IllegalStateException("the model's first output has shape " + shape
                    + ", not (" + mask.batch() + ", " + mask.length() + ", dimension)");
        }
        int dim = Math.toIntExact(shape.get(2));
        float[] tokens = hidden.toFloatArray();
        List<float[]> out = new ArrayList<>(mask.batch());
        for (int b = 0; b < mask.batch(); b++) {
            out.add(normalized(pool(tokens, mask, b, dim)));
        }
        return out;
    }

    private float[] pool(float[] tokens, Mask mask, int b, int dim) {
        int first = b * mask.length() * dim;
        float[] v = new float[dim];
        if (pooling == Pooling.CLS) {
            System.arraycopy(tokens, first, v, 0, dim);
            return v;
        }
        int counted = 0;
        for (int t = 0; t < mask.length(); t++) {
            if (mask.values()[b * mask.length() + t] == 0) {
                continue; // padding
            }
            counted++;
            int at = first + t * dim;
            for (int j = 0; j < dim; j++) {
                v[j] += tokens[at + j];
            }
        }
        for (int j = 0; j < dim; j++) {
            v[j] /= Math.max(counted, 1); // a text has at least its [CLS] token
        }
        return v;
    }

    private static float[] normalized(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        float norm = (float) Math.max(Math.sqrt(sum), MIN_NORM);
        for (int j = 0; j < v.length; j++) {
            v[j] /= norm;
        }
        return v;
    }

    /** The attention mask of a batch, row-major. */
    private record Mask(long[] values, int batch, int length) {
    }
}
