package dev.bound.models;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
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
 * prompt at the median in {@code EmbeddingBenchmark}; gateway/PERFORMANCE.md). It keeps DJL's default
 * batchifier, with which the predictor hands every call, one text or many, to the batch methods
 * here; the batch is DJL's own ({@code Encoding.toNDList}), padded to its longest text as the
 * tokenizer is configured to.
 */
final class PoolingTranslator implements Translator<String, float[]> {

    private static final String ENCODINGS = "bound.encodings";
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
        ctx.setAttachment(ENCODINGS, encodings);
        // DJL's own batch: ids, attention mask and token types, unnamed, in that order, as its
        // translator sends them; ONNX Runtime then takes them by position, so a model whose
        // inputs are named otherwise still loads.
        return Encoding.toNDList(encodings, ctx.getNDManager(), true, false);
    }

    @Override
    public List<float[]> batchProcessOutput(TranslatorContext ctx, NDList list) {
        Encoding[] encodings = (Encoding[]) ctx.getAttachment(ENCODINGS);
        int batch = encodings.length;
        int length = encodings[0].getAttentionMask().length;
        NDArray hidden = list.get("last_hidden_state");
        if (hidden == null) {
            hidden = list.head(); // ONNX outputs are in the graph's order, the token vectors first
        }
        if (hidden.getDataType() != DataType.FLOAT32) {
            throw new IllegalStateException("the model's first output holds " + hidden.getDataType()
                    + ", not 32-bit floats");
        }
        Shape shape = hidden.getShape();
        if (shape.dimension() != 3 || shape.get(0) != batch || shape.get(1) != length) {
            throw new IllegalStateException("the model's first output has shape " + shape
                    + ", not (" + batch + ", " + length + ", dimension)");
        }
        int dim = Math.toIntExact(shape.get(2));
        float[] tokens = hidden.toFloatArray();
        List<float[]> out = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            out.add(normalized(pool(tokens, encodings[b].getAttentionMask(), b, dim)));
        }
        return out;
    }

    /** Row {@code b}'s sentence vector from the batch's token vectors and its attention mask. */
    private float[] pool(float[] tokens, long[] mask, int b, int dim) {
        int first = b * mask.length * dim;
        float[] v = new float[dim];
        if (pooling == Pooling.CLS) {
            System.arraycopy(tokens, first, v, 0, dim);
            return v;
        }
        int counted = 0;
        for (int t = 0; t < mask.length; t++) {
            if (mask[t] == 0) {
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
}
