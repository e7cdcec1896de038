package dev.bound.index.docs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Groups cached prompts that ask the same thing, so the most asked questions can be offered to an
 * admin as candidates for a bound document.
 */
public final class PromptGroups {

  /** How many distinct example prompts a group lists at most. */
  public static final int MAX_EXAMPLES = 5;

  private PromptGroups() {}

  /** One cached prompt: its text, its embedding, how often it was asked and its cache entry. */
  public record Item(String prompt, float[] vector, long count, String entryId) {

    /** Rejects missing parts, a negative count and a vector that is empty, zero or not finite. */
    public Item {
      Objects.requireNonNull(prompt, "prompt must not be null");
      Objects.requireNonNull(vector, "vector must not be null");
      Objects.requireNonNull(entryId, "entryId must not be null");
      if (count < 0) {
        throw new IllegalArgumentException("count must be >= 0 but was " + count);
      }
      vector = DocumentIndex.unit(vector, "vector");
    }

    /** The unit-length copy of the vector given. */
    @Override
    public float[] vector() {
      return vector.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Item i
          && count == i.count
          && prompt.equals(i.prompt)
          && entryId.equals(i.entryId)
          && Arrays.equals(vector, i.vector);
    }

    @Override
    public int hashCode() {
      return Objects.hash(prompt, count, entryId) * 31 + Arrays.hashCode(vector);
    }

    @Override
    public String toString() {
      return "Item[entryId="
          + entryId
          + ", count="
          + count
          + ", prompt="
          + prompt.length()
          + " chars]";
    }
  }

  /**
   * A group of prompts: its most asked member (the representative), the summed count, up to {@value
   * #MAX_EXAMPLES} distinct example prompts (most asked first) and every member's entry.
   */
  public record Group(
      String representativeEntryId,
      String representativePrompt,
      long totalCount,
      List<String> examples,
      List<String> entryIds) {

    /** Copies the lists. */
    public Group {
      examples = List.copyOf(examples);
      entryIds = List.copyOf(entryIds);
    }
  }

  /** Whether an item means the same as a group's leader, so that one answer fits both. */
  @FunctionalInterface
  public interface SameMeaning {
    /**
     * @param cosine the cosine of the two prompts' vectors
     */
    boolean test(Item leader, Item item, double cosine);
  }

  /** Groups by a plain cosine threshold: {@link #cluster(List, SameMeaning)} with that rule. */
  public static List<Group> cluster(List<Item> items, double threshold) {
    if (!(threshold >= -1 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be between -1 and 1 but was " + threshold);
    }
    return cluster(items, (leader, item, cosine) -> cosine >= threshold);
  }

  /**
   * Greedy leader clustering: items are taken most asked first, each joins the existing group whose
   * leader it is most similar to among those {@code same} accepts, or leads a new one. The gateway
   * passes the cache's own matcher, so a group never joins prompts the cache would not serve each
   * other's answer for. Comparing
   * with leaders only, never with other members, keeps a chain of small rewordings from drifting
   * into an unrelated question. Groups come most asked first; the result is the same for the same
   * items in any order.
   */
  public static List<Group> cluster(List<Item> items, SameMeaning same) {
    Objects.requireNonNull(items, "items must not be null");
    Objects.requireNonNull(same, "same must not be null");
    List<Item> ordered = new ArrayList<>(items);
    ordered.forEach(i -> Objects.requireNonNull(i, "items must not contain null"));
    ordered.sort(
        Comparator.comparingLong(Item::count)
            .reversed()
            .thenComparing(Item::prompt)
            .thenComparing(Item::entryId));
    List<List<Item>> groups = new ArrayList<>();
    for (Item item : ordered) {
      List<Item> home = null;
      double best = Double.NEGATIVE_INFINITY;
      for (List<Item> g : groups) {
        Item leader = g.getFirst();
        if (leader.vector.length != item.vector.length) {
          throw new IllegalArgumentException(
              "item "
                  + item.entryId()
                  + " has dimension "
                  + item.vector.length
                  + " but item "
                  + leader.entryId()
                  + " has "
                  + leader.vector.length);
        }
        double sim = DocumentIndex.dot(leader.vector, item.vector);
        if (sim > best && same.test(leader, item, sim)) {
          home = g;
          best = sim;
        }
      }
      if (home == null) {
        home = new ArrayList<>();
        groups.add(home);
      }
      home.add(item);
    }
    List<Group> out = new ArrayList<>(groups.size());
    for (List<Item> g : groups) {
      long total = 0;
      Set<String> examples = new LinkedHashSet<>();
      List<String> ids = new ArrayList<>(g.size());
      for (Item i : g) {
        total += i.count();
        if (examples.size() < MAX_EXAMPLES) {
          examples.add(i.prompt());
        }
        ids.add(i.entryId());
      }
      Item leader = g.getFirst();
      out.add(new Group(leader.entryId(), leader.prompt(), total, List.copyOf(examples), ids));
    }
    out.sort(
        Comparator.comparingLong(Group::totalCount)
            .reversed()
            .thenComparing(Group::representativePrompt)
            .thenComparing(Group::representativeEntryId));
    return List.copyOf(out);
  }
}
