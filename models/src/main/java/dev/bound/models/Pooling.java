package dev.bound.models;

/** How token vectors are reduced to one sentence vector; must match how the model was trained. */
public enum Pooling {
    /** Average of all token vectors, ignoring padding (sentence-transformers models such as MiniLM). */
    MEAN("mean"),
    /** The vector of the leading [CLS] token (BGE models). */
    CLS("cls");

    private final String djlName;

    Pooling(String djlName) {
        this.djlName = djlName;
    }

    /** The value DJL's text-embedding translator expects for its "pooling" argument. */
    String djlName() {
        return djlName;
    }
}
