package dev.bound.index;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where a {@link SolrAnswerStore} finds its SolrCloud collection and how it creates one.
 *
 * @param urls base URLs of one or more Solr nodes, such as {@code http://solr1:8983/solr}
 * @param user basic-auth user; empty sends no credentials
 * @param shards shards of a collection created here
 * @param replicas copies of each shard of a collection created here
 * @param softCommit how soon an added answer becomes searchable on every node
 * @param timeout longest one request to Solr may take
 */
public record SolrOptions(List<String> urls, String collection, String user, String password,
    int shards, int replicas, Duration softCommit, Duration timeout) {

  /** Validates every component, naming it in the message. */
  public SolrOptions {
    urls = List.copyOf(Objects.requireNonNull(urls, "urls must not be null"));
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("urls must name at least one Solr node");
    }
    Objects.requireNonNull(collection, "collection must not be null");
    Objects.requireNonNull(user, "user must not be null");
    Objects.requireNonNull(password, "password must not be null");
    if (shards < 1 || replicas < 1) {
      throw new IllegalArgumentException("shards and replicas must be at least 1 but were "
          + shards + " and " + replicas);
    }
    if (softCommit.toMillis() < 1 || timeout.toMillis() < 1) {
      throw new IllegalArgumentException("softCommit and timeout must be at least 1 ms");
    }
  }
}
