package dev.bound.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.bound.config.BoundConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform threads that do the semantic tier's CPU work (embedding, the language guard, the
 * verifier), reached through a bounded queue. Native calls pin the carrier thread of a virtual
 * thread, so running them on request threads lets a few huge prompts stall every other request,
 * health checks included; here they can only fill this pool.
 *
 * <p>Admission: the budget bounds how long a request waits for the semantic tier, the work
 * queued ahead of its lookup and the lookup itself. Work that cannot be queued, that the queue
 * ahead of it and its own run (as long as work has lately been taking) would keep from ending
 * within the budget, or that has not started early enough to end within it, is not run at all,
 * and the caller gets {@link Overloaded}. The first two are known when the work is offered, so
 * the caller goes upstream at once instead of waiting out a budget it could never meet. Work that
 * has started runs to its end and the caller waits for it; its length is bounded by how much text
 * the models read. Work a free thread takes at once waits for nothing but itself. (The budget
 * once bounded only the wait to start, so a semantic hit could take the budget and a lookup more:
 * 51–56 ms at p99 under 32 connections with the 50 ms default, gateway/PERFORMANCE.md.)
 *
 * <p>Value: while no thread is free, work whose lookups have lately found little is offered only a
 * share of the room. The pool keeps a running share of the lookups that found something to serve
 * ({@link #found}); below {@link #FULL_VALUE} a request that would have to queue is taken with
 * probability {@code share / FULL_VALUE}, and never less than {@link #MIN_SHARE}, so that the
 * share keeps being measured. A flood of novel prompts then leaves most of the CPU to forwarding
 * them instead of keeping a core busy embedding prompts that find nothing; traffic that finds hits
 * keeps the whole pool. Only lookups that report what they found are weighed ({@link
 * #callWeighed}).
 *
 * <p>Value by tenant: the share that admits a lookup is its tenant's own ({@link
 * #admittedShare(String)}), kept beside the pool's over all tenants, which sizes the pool. One
 * tenant's paraphrases then do not buy lookups for another tenant whose prompts are all new, and
 * a tenant that finds hits is not shed because another floods the gateway with novel prompts. A
 * tenant not seen lately starts from the pool's share. (With one share for all, each change of
 * traffic from hits to novel prompts took some fifty lookups to notice, each waiting up to the
 * budget: in {@code ./bound compare}, whose paths take turns, 43–52 of the first 200 misses were
 * looked up every time the misses' turn came, about 43 ms more each.)
 *
 * <p>Size: built for the gateway with {@code cache.semantic-threads} at 0, the pool runs one
 * thread per core but one while lookups find little, and one per core once they find enough
 * ({@link #resize}); a pool built with a thread count keeps it.
 *
 * <p>Busy share: a thread that is free when work is offered does not mean the pool is idle. Under
 * a flood, each thread is freed and taken again at once, so the share above never applies and the
 * pool keeps its cores embedding prompts that find nothing, while the requests wait for CPU to be
 * forwarded (on two cores, misses at concurrency 32 reached 64–69 % of the upstream's own rate
 * in {@code ./bound compare}, and 74–78 % with the rule below).
 * While lookups find little and more requests are in flight than the machine has cores, weighed
 * work is therefore also refused, free thread or not, once the threads have been busy for more
 * than the admitted share of the last second ({@link #busyShare}); at least a tenth, {@link
 * #MIN_SHARE}, so that the share of lookups finding something keeps being measured. (The cap was
 * once a quarter at least; with a tenth a flood of misses was forwarded at 1,360–1,377 a second
 * against 1,318–1,321, gateway/PERFORMANCE.md.) With no more requests than cores, a lookup takes no
 * CPU another request is waiting for, so clients asking one at a time are always looked up.
 *
 * <p>Beside the request: a lookup of a tenant whose lookups find next to nothing runs beside its
 * request rather than before it ({@link #callWeighed}); the request goes upstream at once, and
 * its caller may still serve what the lookup finds if it comes before the upstream's answer.
 */
final class SemanticPool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SemanticPool.class);

  /** The semantic tier had no room for a request within its budget. */
  static final class Overloaded extends Exception {
    Overloaded(String message) {
      super(message, null, false, false);
    }
  }

  /** The share of lookups finding something at or above which the pool admits all it has room for. */
  static final double FULL_VALUE = 0.2;
  /** The least share of queueing work a pool whose lookups find nothing still admits. */
  static final double MIN_SHARE = 0.1;
  /** Tenants whose own running share is kept; the least used lately go first. */
  static final int TENANTS = 4_096;
  /** The tenant of work weighed without one. */
  static final String NO_TENANT = "";
  /** The weight of one lookup in the running share: roughly the last 32 count. */
  private static final double VALUE_WEIGHT = 1.0 / 32;
  /** The time over which the pool's busy share is averaged (an exponential decay). */
  private static final long BUSY_NANOS = 1_000_000_000L;

  private static final int QUEUED = 0;
  private static final int STARTED = 1;
  private static final int ABANDONED = 2;

  private final ThreadPoolExecutor executor;
  private final long budgetNanos;
  /** Threads while lookups find little, and while they find enough ({@link #FULL_VALUE}). */
  private final int fewThreads;
  private final int allThreads;
  /** Guards changes to the executor's size. */
  private final Object sizeLock = new Object();
  /**
   * Threads doing work now; kept here because the executor's own count takes its lock, on every
   * request.
   */
  private final AtomicInteger running = new AtomicInteger();
  /** How long work has taken once started, smoothed; 0 until some has finished. */
  private final AtomicLong serviceNanos = new AtomicLong();
  /** The running share of lookups that found something; 1 until told otherwise. */
  private final RunningShare value = new RunningShare(1.0, VALUE_WEIGHT);
  /** Each tenant's own running share, as {@link #value} is the pool's. */
  private final Cache<String, RunningShare> tenantValues =
      Caffeine.newBuilder().maximumSize(TENANTS).build();
  private final DoubleSupplier random;
  /** Guards {@link #busy} and {@link #busyAt}. */
  private final Object busyLock = new Object();
  /** Threads busy on average over about the last {@link #BUSY_NANOS}, as of {@link #busyAt}. */
  private double busy;
  private long busyAt;
  /** Times the work and the busy share: {@code System::nanoTime} but in tests. */
  private final LongSupplier clock;
  /** Requests in flight now, and the count above which they crowd the cores. */
  private final IntSupplier inFlight;
  private final int cores;

  /**
   * A pool for the gateway, whose requests in flight {@code inFlight} counts, drawing the coins
   * that admit a share of a tenant's lookups from {@code coins} (uniform in [0, 1)).
   */
  SemanticPool(BoundConfig.Admission cfg, IntSupplier inFlight, DoubleSupplier coins) {
    this(cfg, inFlight, coins, Runtime.getRuntime().availableProcessors());
  }

  private SemanticPool(BoundConfig.Admission cfg, IntSupplier inFlight, DoubleSupplier coins,
      int cores) {
    this(cfg.threads() == 0 ? defaultThreads(cores) : cfg.threads(),
        cfg.threads() == 0 ? cores : cfg.threads(), cfg.queue(), cfg.budget(),
        coins, System::nanoTime, inFlight, cores);
  }

  /**
   * The threads while lookups find little: one per core but one, and at least one. The pool
   * embeds at full tilt whenever more prompts come than it can take, and every core it holds is
   * one the requests themselves (parsing, forwarding, exact hits) cannot use: in {@code ./bound
   * compare} on two cores, one thread instead of two served 48 % more misses and 74 % more exact
   * hits at concurrency 32, and 28 % fewer semantic hits (gateway/PERFORMANCE.md). Once lookups
   * find enough ({@link #FULL_VALUE}) each one saves an upstream call, and the pool takes every
   * core ({@link #resize}).
   */
  static int defaultThreads(int cores) {
    return Math.max(1, cores - 1);
  }

  SemanticPool(int threads, int queue, Duration budget) {
    this(threads, queue, budget, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** As above, with the draws that decide which queueing work of little value is taken. */
  SemanticPool(int threads, int queue, Duration budget, DoubleSupplier random) {
    this(threads, queue, budget, random, System::nanoTime, () -> 0, 1);
  }

  /**
   * As above, with the clock that times the work, the count of requests in flight and the
   * number of cores they may exceed before the busy share is capped.
   */
  SemanticPool(int threads, int queue, Duration budget, DoubleSupplier random,
      LongSupplier clock, IntSupplier inFlight, int cores) {
    this(threads, threads, queue, budget, random, clock, inFlight, cores);
  }

  /**
   * As above, with {@code fewThreads} while lookups find little and {@code allThreads} while
   * they find enough. The pool starts with all, as its running share starts at 1.
   */
  SemanticPool(int fewThreads, int allThreads, int queue, Duration budget, DoubleSupplier random,
      LongSupplier clock, IntSupplier inFlight, int cores) {
    if (fewThreads < 1 || allThreads < fewThreads) {
      throw new IllegalArgumentException("threads: " + fewThreads + " to " + allThreads);
    }
    this.random = random;
    this.clock = clock;
    this.inFlight = inFlight;
    this.cores = cores;
    this.busyAt = clock.getAsLong();
    AtomicInteger n = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(allThreads, allThreads, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(queue), r -> {
          Thread t = new Thread(r, "bound-semantic-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    executor.allowCoreThreadTimeOut(true); // an idle gateway (and each test's) keeps no threads
    this.budgetNanos = budget.toNanos();
    this.fewThreads = fewThreads;
    this.allThreads = allThreads;
  }

  /**
   * How long work offered now would wait to start, from the work queued ahead of it and how long
   * work has been taking: each thread takes the queue in turn, and work already running is about
   * half done. 0 while a thread is free, or before any work has finished.
   */
  long expectedWaitNanos() {
    int ahead = executor.getQueue().size();
    return expectedWaitNanos(ahead, ahead > 0 || running.get() >= threads(), serviceNanos.get());
  }

  private long expectedWaitNanos(int ahead, boolean noneFree, long service) {
    if (service == 0 || !noneFree) {
      return 0;
    }
    return (long) ((ahead + 0.5) * service / threads());
  }

  /**
   * Tells the pool whether a lookup it ran for {@code tenant} found something to serve (a
   * semantic hit or a document), whether or not it was then served.
   */
  void found(String tenant, boolean something) {
    double before = value(); // a tenant not seen lately starts from the pool's share
    tenantValues.get(tenant == null ? NO_TENANT : tenant,
        t -> new RunningShare(before, VALUE_WEIGHT)).add(something);
    resize(value.add(something));
  }

  /**
   * Gives the pool all its threads once lookups find enough ({@link #FULL_VALUE}), and takes
   * it back to the few once they find less than {@link #MIN_SHARE}; between the two it keeps
   * what it has, so that a share near one bound does not resize the pool back and forth.
   */
  private void resize(double value) {
    if (wanted(value) == threads()) {
      return;
    }
    synchronized (sizeLock) {
      int want = wanted(value()); // the share as it is now, which other lookups may have moved
      if (want > threads()) {
        executor.setMaximumPoolSize(want);
        executor.setCorePoolSize(want); // starts threads for work already queued
      } else if (want < threads()) {
        executor.setCorePoolSize(want);
        executor.setMaximumPoolSize(want); // threads past it end once idle
      }
    }
  }

  private int wanted(double value) {
    return value >= FULL_VALUE ? allThreads : value < MIN_SHARE ? fewThreads : threads();
  }

  /**
   * Threads the pool may run now: {@link #fewThreads} or {@link #allThreads}. The executor's
   * maximum is a volatile field, so reading it takes no lock.
   */
  int threads() {
    return executor.getMaximumPoolSize();
  }

  /** The running share of lookups that found something, over all tenants. */
  double value() {
    return value.get();
  }

  /** The running share of {@code tenant}'s lookups that found something; the pool's if unknown. */
  double value(String tenant) {
    RunningShare own = tenantValues.getIfPresent(tenant);
    return own == null ? value() : own.get();
  }

  /** The share of work that would have to queue that is taken now, over all tenants. */
  double admittedShare() {
    return share(value());
  }

  /** The share of {@code tenant}'s work that would have to queue that is taken now. */
  double admittedShare(String tenant) {
    return share(value(tenant));
  }

  private static double share(double value) {
    return Math.max(MIN_SHARE, Math.min(1, value / FULL_VALUE));
  }

  /**
   * The share of its threads' time the pool spent working over about the last second: each
   * piece of work adds its length, and what was added decays with a time constant of {@link
   * #BUSY_NANOS}. Work still running counts once it ends, so one long piece can push the sum
   * past 1 when it does; the share reported is at most 1.
   */
  double busyShare() {
    long now = clock.getAsLong();
    synchronized (busyLock) {
      return Math.min(1, decayed(now) / threads());
    }
  }

  private double decayed(long now) {
    long since = now - busyAt;
    return since <= 0 ? busy : busy * Math.exp(-(double) since / BUSY_NANOS);
  }

  private void worked(long startedAt, long nanos) {
    long now = startedAt + nanos;
    synchronized (busyLock) {
      busy = decayed(now) + (double) nanos / BUSY_NANOS;
      busyAt = Math.max(busyAt, now);
    }
  }

  private void finished(long nanos) {
    // An average over roughly the last eight pieces of work; one huge prompt counts as ten
    // budgets at most, so it cannot shed every request for long after it.
    long n = Math.min(nanos, 10 * budgetNanos);
    serviceNanos.updateAndGet(old -> old == 0 ? n : old + (n - old) / 8);
  }

  /**
   * Runs {@code work} on the pool and returns its result.
   *
   * @throws Overloaded when the queue is full, the queue ahead ({@link #expectedWaitNanos}) and
   *     the work's own run would keep it from ending within the budget, or the work did not start
   *     early enough to end within it; the work then never runs
   */
  <T> T call(Callable<T> work) throws Overloaded {
    return call(work, null);
  }

  /**
   * What a weighed lookup came to: its result, or, when it runs beside its request, the lookup
   * that will tell what it found (and null {@code now}).
   */
  record Weighed<T>(T now, CompletableFuture<T> beside) {}

  /**
   * As {@link #call}, for a lookup of {@code tenant}'s whose caller reports what it found
   * ({@link #found(String, boolean)}): while the tenant's lookups find little it is also refused
   * when no thread is free unless it falls within {@link #admittedShare(String)}, and, free
   * thread or not, when the cores are crowded and the pool has been busy past that share ({@link
   * #busyShare}).
   *
   * <p>A lookup of a tenant whose lookups find next to nothing ({@link #MIN_SHARE}) would make
   * its request wait, for next to no chance of a hit: every one of them on a crowded CPU, and
   * the embedding, 2.5–4 ms on a core gone cold while the upstream answered the request
   * before, on an idle one. Such a lookup therefore runs beside its request instead: {@code
   * beside}, when given, is queued to run the same lookup with nobody waiting for it, the pool
   * records what it found ({@code found}) itself, and the caller gets it back as {@link
   * Weighed#beside} at once, to go upstream meanwhile. {@code work} then never runs.
   *
   * @throws Overloaded as {@link #call}, or when {@code beside} cannot be queued
   */
  <T> Weighed<T> callWeighed(String tenant, Callable<T> work, Callable<T> beside,
      Predicate<? super T> found) throws Overloaded {
    String t = tenant == null ? NO_TENANT : tenant;
    if (beside != null && admittedShare(t) <= MIN_SHARE) {
      admit(t); // the same refusals as any lookup of the tenant's while the cores are crowded
      return new Weighed<>(null, runBeside(t, beside, found));
    }
    return new Weighed<>(call(work, t), null);
  }

  /** Whether more requests are in flight than the machine has cores. */
  boolean crowded() {
    return inFlight.getAsInt() > cores;
  }

  /**
   * Runs {@code work}, weighed by {@code tenant}'s share unless that is null (see {@link
   * #callWeighed}).
   */
  private <T> T call(Callable<T> work, String tenant) throws Overloaded {
    int ahead = executor.getQueue().size(); // one read of the queue, under its lock
    boolean noneFree = ahead > 0 || running.get() >= threads();
    long service = serviceNanos.get();
    long expected = expectedWaitNanos(ahead, noneFree, service);
    // Work that must queue has the budget for its wait and its own run together, so it must
    // start early enough to end within it. Work a free thread takes at once waits for nothing
    // but itself, which the text the models read bounds.
    long own = noneFree ? service : 0;
    if (expected + own > budgetNanos) {
      throw new Overloaded("the queue ahead would take about " + expected / 1_000_000
          + " ms to start it, and the lookup about " + own / 1_000_000 + " ms more");
    }
    if (tenant != null) {
      admit(tenant, noneFree);
    }
    long deadline = System.nanoTime() + budgetNanos - own;
    AtomicInteger state = new AtomicInteger(QUEUED);
    CompletableFuture<T> result = new CompletableFuture<>();
    Runnable task = () -> {
      if (!state.compareAndSet(QUEUED, STARTED)) {
        return; // its caller has given up and gone upstream
      }
      if (System.nanoTime() - deadline > 0) {
        result.completeExceptionally(new Overloaded("started after the budget"));
        return;
      }
      T value = null;
      Throwable failed = null;
      try {
        value = timed(work);
      } catch (Throwable e) {
        failed = e;
      }
      // The thread already counts as free (timed) when its caller wakes, so that the caller's
      // next request, sent at once, finds it free and is not taken for work that would queue.
      if (failed == null) {
        result.complete(value);
      } else {
        result.completeExceptionally(failed);
      }
    };
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      throw new Overloaded("the semantic queue is full");
    }
    return await(result, state, deadline, task);
  }

  /** Refuses a lookup of {@code tenant}'s that its share does not admit now. */
  private void admit(String tenant) throws Overloaded {
    int ahead = executor.getQueue().size();
    admit(tenant, ahead > 0 || running.get() >= threads());
  }

  private void admit(String tenant, boolean noneFree) throws Overloaded {
    double share = admittedShare(tenant);
    if (share < 1 && crowded()) {
      double busyShare = busyShare();
      if (busyShare > share) {
        throw new Overloaded(String.format(Locale.ROOT, "only %.0f %% of the tenant's recent "
            + "lookups found something, and with more requests in flight than cores the "
            + "semantic threads have been busy %.0f %% of the last second, more than the %.0f %% "
            + "such lookups may take",
            100 * value(tenant), 100 * busyShare, 100 * share));
      }
    }
    if (noneFree && share < 1 && random.getAsDouble() >= share) {
      throw new Overloaded(String.format(Locale.ROOT, "no semantic thread is free and only "
          + "%.0f %% of the tenant's recent lookups found something, so %.0f %% of those that "
          + "would wait are taken", 100 * value(tenant), 100 * share));
    }
  }

  /**
   * Queues {@code lookup} to run with no caller waiting for it, and records for {@code tenant}
   * whether what it returns was {@code found}.
   *
   * @throws Overloaded when the queue is full
   */
  private <T> CompletableFuture<T> runBeside(String tenant, Callable<T> lookup,
      Predicate<? super T> found) throws Overloaded {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      executor.execute(() -> {
        try {
          T value = timed(lookup);
          found(tenant, found.test(value));
          result.complete(value);
        } catch (Throwable e) {
          // Its request has gone upstream and gets its answer regardless; the share is unmoved.
          LOG.debug("a lookup run beside its request failed", e);
          result.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      throw new Overloaded("the semantic queue is full");
    }
    return result;
  }

  /** Runs {@code work} as one piece of the pool's work: counted running, timed, and busy. */
  private <T> T timed(Callable<T> work) throws Exception {
    running.incrementAndGet();
    long started = clock.getAsLong();
    try {
      return work.call();
    } finally {
      long took = clock.getAsLong() - started;
      finished(took);
      worked(started, took);
      running.decrementAndGet();
    }
  }

  private <T> T await(CompletableFuture<T> result, AtomicInteger state, long deadline,
      Runnable task) throws Overloaded {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          if (state.get() == QUEUED) {
            long left = deadline - System.nanoTime();
            try {
              return result.get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
              if (state.compareAndSet(QUEUED, ABANDONED)) {
                executor.remove(task); // frees its place in the queue for the next request
                throw new Overloaded("not started within the budget");
              }
              continue; // it started just now: wait for its end
            }
          }
          return result.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          throw rethrow(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static RuntimeException rethrow(Throwable cause) throws Overloaded {
    if (cause instanceof Overloaded o) {
      throw o;
    }
    if (cause instanceof RuntimeException r) {
      throw r;
    }
    if (cause instanceof Error err) {
      throw err;
    }
    throw new IllegalStateException(cause);
  }

  /** Requests waiting for a semantic thread now. */
  int queued() {
    return executor.getQueue().size();
  }

  @Override
  public void close() {
    Background.stop(executor, Duration.ofSeconds(5), "the semantic pool");
  }
}
