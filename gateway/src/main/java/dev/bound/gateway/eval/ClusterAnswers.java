package dev.bound.gateway.eval;

import dev.bound.gateway.eval.QuestionStream.Question;
import dev.bound.gateway.sim.SimulatedUpstream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The answers of the stream's upstream: one text per cluster, naming the cluster and followed by
 * words drawn by the cluster's hash from a wide vocabulary, so that two clusters' answers are
 * neither equal nor close in meaning (sampled verification compares answers by embedding).
 */
final class ClusterAnswers {
  private static final String[] WORDS = ("apple river castle violin glacier thunder pepper "
      + "falcon harbour lantern meadow copper saddle orchard volcano compass tulip anchor "
      + "bakery canyon dolphin ember fabric garlic hammock iceberg jasmine kettle lemon magnet "
      + "nectar oyster pillow quartz rocket salmon tractor umbrella velvet walnut yacht zebra "
      + "algebra ballet cactus desert engine forest guitar honey island jungle kayak ladder "
      + "marble needle ocean parrot quilt rabbit spinach tunnel uniform vinegar window yoghurt "
      + "bicycle cinnamon diamond elephant furnace giraffe hospital insect journal keyboard "
      + "library mountain notebook orange penguin pyramid radio satellite telescope tomato "
      + "village waterfall blanket carpet chimney dragon feather fountain goblet helmet ivory "
      + "jacket kitchen lobster mirror napkin onion pebble puzzle ribbon shovel spider tiger "
      + "trumpet vase wagon wheat acorn badger candle donkey eagle ferry garden hazel igloo "
      + "jelly kiwi lizard mango nutmeg olive panther raccoon sailor turtle unicorn walrus "
      + "archive barley coral dune emerald fossil granite horizon lagoon mosaic nebula oasis "
      + "prairie quarry reef summit tundra valley willow cobalt saffron tungsten basalt "
      + "cathedral monsoon sonnet opera chess rugby cricket tennis surgery vaccine protein "
      + "census tariff mortgage invoice ledger statute verdict ballot senate embassy treaty "
      + "comet galaxy orbit photon neutron enzyme genome pollen fungus lichen coyote bison "
      + "moose beetle hornet cobra heron swan pelican lemur otter ferret hamster").split(" ");
  private static final int LENGTH = 14;

  private final Map<String, String> byCluster = new HashMap<>();
  private final Map<String, String> clusterOfAnswer = new HashMap<>();
  private final Map<String, String> clusterOfQuestion = new HashMap<>();

  ClusterAnswers(List<Question> stream) {
    for (Question q : stream) {
      clusterOfQuestion.put(q.text(), q.cluster());
      byCluster.computeIfAbsent(q.cluster(), c -> {
        String a = text(c);
        clusterOfAnswer.put(a, c);
        return a;
      });
    }
  }

  /** The answer to a question of the stream, or null for any other text. */
  String answer(String question) {
    String c = clusterOfQuestion.get(question);
    return c == null ? null : byCluster.get(c);
  }

  /** The cluster whose answer this is, or null if it is none of them. */
  String clusterOf(String answer) {
    return clusterOfAnswer.get(answer);
  }

  static String text(String cluster) {
    SplittableRandom rnd = new SplittableRandom(SimulatedUpstream.seed(cluster));
    StringBuilder sb = new StringBuilder("Answer for cluster ").append(cluster).append(':');
    for (int i = 0; i < LENGTH; i++) {
      sb.append(' ').append(WORDS[rnd.nextInt(WORDS.length)]);
    }
    return sb.append('.').toString();
  }
}
