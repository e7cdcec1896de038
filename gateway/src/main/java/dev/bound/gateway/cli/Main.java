package dev.bound.gateway.cli;

import dev.bound.config.BoundConfig;
import dev.bound.config.ConfigException;
import dev.bound.config.Key;
import dev.bound.config.Keys;
import dev.bound.gateway.Gateway;
import dev.bound.gateway.bench.TtftBench;
import dev.bound.gateway.eval.StreamBuilder;
import dev.bound.gateway.eval.StreamEval;
import dev.bound.gateway.sim.SimulatedUpstream;
import dev.bound.models.match.ServedEvidence;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.commons.text.similarity.LevenshteinDistance;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/** The {@code bound} command line: {@code serve}, {@code demo} and the benchmarks. */
public final class Main {
  static final String VERSION = "0.1.0";

  private Main() {}

  public static void main(String[] args) {
    System.setProperty("ai.djl.offline", "true");
    int code = run(args, System.getenv(), System.out, System.err);
    if (code != Integer.MIN_VALUE) {
      System.exit(code);
    }
  }

  /**
   * Runs a command. Returns its exit code, or {@code Integer.MIN_VALUE} when a server was started
   * and has since been stopped by a signal.
   */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    CommandLine cli = commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    ParseResult parsed;
    try {
      parsed = cli.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      err.println("bound: " + e.getMessage());
      err.println("Run 'bound --help' for the commands, 'bound <command> --help' for options.");
      return 2;
    }
    try {
      if (CommandLine.printHelpIfRequested(parsed)) {
        return 0;
      }
    } catch (CommandLine.ParameterException e) { // "bound help nope"
      err.println("bound: " + e.getMessage());
      err.println("Run 'bound --help' for the commands, 'bound <command> --help' for options.");
      return 2;
    }
    if (!parsed.hasSubcommand()) {
      cli.usage(out);
      return 2;
    }
    ParseResult sub = parsed.subcommand();
    String name = sub.commandSpec().name();
    if (name.equals("verify")) {
      String file = sub.matchedPositionals().get(0).getValue();
      return dev.bound.gateway.Verify.run(Path.of(file), Path.of(sub.<String>matchedOptionValue(
          "--key", "")), out, err);
    }
    if (name.equals("bench")) {
      return dev.bound.gateway.bench.LoadBench.main(sub, out, err);
    }
    if (name.equals("compare")) {
      return dev.bound.gateway.bench.Compare.main(sub, out, err);
    }
    if (name.equals("ttft")) {
      int n = sub.matchedOptionValue("--requests", 200);
      int upstreamTtft = sub.matchedOptionValue("--upstream-ttft", 50);
      if (n < 1 || upstreamTtft < 0) {
        err.println("bound: --requests must be at least 1 and --upstream-ttft at least 0");
        return 2;
      }
      try {
        TtftBench.run(out, n, Duration.ofMillis(upstreamTtft));
        return 0;
      } catch (Exception e) {
        err.println("bound: the benchmark failed: " + e.getMessage());
        return 1;
      }
    }
    if (name.equals("eval")) {
      String misplaced = misplacedEvalOption(sub);
      if (misplaced != null) {
        err.println("bound: " + misplaced);
        return 2;
      }
      if (sub.hasMatchedOption("--make-stream")) {
        return makeStream(sub, out, err);
      }
    }
    Map<String, String> flags = new HashMap<>();
    for (Key<?> key : Keys.ALL) {
      if (sub.hasMatchedOption(key.flag())) {
        flags.put(key.name(), sub.matchedOptionValue(key.flag(), ""));
      }
    }
    boolean stream = name.equals("eval") && sub.hasMatchedOption("--stream");
    if (name.equals("eval") && stream != sub.matchedPositionals().isEmpty()) {
      err.println("bound: eval takes files of labelled pairs, or --stream FILE, or "
          + "--make-stream SOURCE --out FILE; see 'bound eval --help'");
      return 2;
    }
    Path scratch = null;
    if (stream) {
      // The stream's Bound listens on a free loopback port, in a fresh directory unless --data.
      flags.put(Keys.HOST.name(), "127.0.0.1");
      flags.put(Keys.PORT.name(), "0");
      if (!flags.containsKey(Keys.DATA.name())) {
        try {
          scratch = Files.createTempDirectory("bound-eval-");
        } catch (java.io.IOException e) {
          err.println("bound: cannot make a temporary data directory: " + e.getMessage());
          return 1;
        }
        flags.put(Keys.DATA.name(), scratch.toString());
      }
    }
    Path file = null;
    if (sub.hasMatchedOption("--config")) {
      file = Path.of(sub.<String>matchedOptionValue("--config", ""));
      if (!Files.isRegularFile(file)) {
        // A directory was reported as a file that does not exist.
        err.println("bound: config file " + file + (Files.isDirectory(file)
            ? " is a directory; --config takes a properties file" : " does not exist"));
        return 2;
      }
    }
    BoundConfig cfg;
    try {
      cfg = BoundConfig.resolve(flags, env, file,
          name.equals("demo") ? Map.of("data.dir", "./bound-demo-data",
              "energy.default-profile", "simulated") : Map.of());
    } catch (ConfigException e) {
      err.println("bound: " + e.getMessage());
      if (scratch != null) {
        scratch.toFile().delete();
      }
      return 2;
    }
    warnUnknownVariables(env, err);
    if (stream) {
      return StreamEval.run(new StreamEval.Options(Path.of(sub.<String>matchedOptionValue(
          "--stream", "")), sub.hasMatchedOption("--sse"), sub.hasMatchedOption("--json"),
          sub.hasMatchedOption("--decisions") ? Path.of(sub.<String>matchedOptionValue(
              "--decisions", "")) : null, scratch != null,
          sub.hasMatchedOption("--calibration-out") ? Path.of(sub.<String>matchedOptionValue(
              "--calibration-out", "")) : null), cfg, out, err);
    }
    return switch (name) {
      case "serve" -> serve(cfg, out, err);
      case "demo" -> demo(cfg, out, err);
      case "energy" -> energy(cfg, sub, out, err);
      case "eval" -> dev.bound.gateway.Evaluate.run(sub.matchedPositionals().get(0)
          .<List<String>>getValue().stream().map(Path::of).toList(), cfg,
          sub.hasMatchedOption("--json"), out, err);
      default -> throw new IllegalStateException(name);
    };
  }

  /** An option of one mode of 'eval' given in another, said as a sentence; null if none. */
  private static String misplacedEvalOption(ParseResult sub) {
    for (String o : List.of("--sse", "--decisions", "--calibration-out")) {
      if (sub.hasMatchedOption(o) && !sub.hasMatchedOption("--stream")) {
        return o + " applies only with --stream FILE";
      }
    }
    for (String o : List.of("--out", "--part", "--limit", "--seed", "--shared-data")) {
      if (sub.hasMatchedOption(o) && !sub.hasMatchedOption("--make-stream")) {
        return o + " applies only with --make-stream SOURCE";
      }
    }
    return null;
  }

  private static int makeStream(ParseResult sub, PrintStream out, PrintStream err) {
    if (!sub.matchedPositionals().isEmpty() || sub.hasMatchedOption("--stream")) {
      err.println("bound: --make-stream writes a stream; run it with --stream FILE afterwards");
      return 2;
    }
    if (!sub.hasMatchedOption("--out")) {
      err.println("bound: --make-stream needs --out FILE");
      return 2;
    }
    Path shared = sub.hasMatchedOption("--shared-data")
        ? Path.of(sub.<String>matchedOptionValue("--shared-data", ""))
        : StreamBuilder.defaultSharedData();
    return StreamBuilder.run(sub.matchedOptionValue("--make-stream", ""), shared,
        sub.<String>matchedOptionValue("--part", null), sub.matchedOptionValue("--limit",
            Integer.MAX_VALUE), sub.matchedOptionValue("--seed", 1L),
        Path.of(sub.<String>matchedOptionValue("--out", "")), out, err);
  }

  private static int serve(BoundConfig cfg, PrintStream out, PrintStream err) {
    if (cfg.upstream().url() == null) {
      err.println("bound: upstream.url is required: pass --upstream URL or set "
          + Keys.UPSTREAM.env() + " (for example --upstream http://localhost:11434/v1)");
      return 2;
    }
    Gateway g = startOrReport(cfg, err);
    if (g == null) {
      return 1;
    }
    out.println("Bound " + VERSION + " is listening on " + g.url());
    out.println("Upstream: " + cfg.upstream().url());
    out.println("Data: " + cfg.dataDir().toAbsolutePath().normalize() + " (" + entries(g)
        + ")");
    waitForSignal(g::close);
    return Integer.MIN_VALUE;
  }

  /** The curl commands the demo suggests: a miss, an exact and a semantic hit, other APIs. */
  private static void printTryIt(PrintStream out, String url) {
    out.println("Ask twice, then ask in other words, and watch the X-Bound-Cache header:");
    for (String q : List.of("How do I reset my password?", "How do I reset my password?",
        "What is the way to reset my password?")) {
      out.println("  curl -si " + url + "/chat/completions -H 'Content-Type: application/json' \\");
      out.println("    -d '{\"model\":\"demo\",\"temperature\":0,\"messages\":[{\"role\":\"user\","
          + "\"content\":\"" + q + "\"}]}' | grep -iE '^x-bound|content'");
    }
    out.println("The same question through the Responses and Anthropic Messages APIs is served "
        + "from the same answer:");
    out.println("  curl -si " + url + "/responses -H 'Content-Type: application/json' \\");
    out.println("    -d '{\"model\":\"demo\",\"temperature\":0,\"input\":\"How do I reset my "
        + "password?\"}' | grep -iE '^x-bound|output_text'");
    out.println("  curl -si " + url + "/messages -H 'Content-Type: application/json' \\");
    out.println("    -d '{\"model\":\"demo\",\"temperature\":0,\"max_tokens\":1024,\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"How do I reset my password?\"}]}' "
        + "| grep -iE '^x-bound|\"text\"'");
    out.println();
  }

  private static int demo(BoundConfig cfg, PrintStream out, PrintStream err) {
    if (cfg.upstream().url() != null) {
      err.println("bound: 'demo' runs its own simulated upstream; use 'bound serve --upstream "
          + cfg.upstream().url() + "' to use a real one");
      return 2;
    }
    // The demo always has a dashboard: with no token configured it makes one up for this run.
    boolean madeUpToken = cfg.admin().adminToken().isEmpty()
        && cfg.admin().dashboardToken().isEmpty();
    if (madeUpToken) {
      byte[] b = new byte[18];
      new java.security.SecureRandom().nextBytes(b);
      cfg = cfg.withDashboardToken(java.util.Base64.getUrlEncoder().withoutPadding()
          .encodeToString(b));
    }
    SimulatedUpstream sim = SimulatedUpstream.start(cfg.demo().ttft(),
        cfg.demo().tokensPerSecond()).sampling(true);
    Gateway g = startOrReport(cfg.withUpstream(sim.url()), err);
    if (g == null) {
      sim.close();
      return 1;
    }
    String url = g.url().toString();
    out.println("Bound " + VERSION + " demo is listening on " + url);
    out.println();
    out.println("The upstream is SIMULATED: no language model is called. Answers are made up from "
        + "the prompt,");
    out.println("paced at " + cfg.demo().ttft().toMillis() + " ms to the first token and "
        + cfg.demo().tokensPerSecond() + " tokens/s, so that misses cost time the way real ones "
        + "do.");
    out.println("Data: " + cfg.dataDir().toAbsolutePath().normalize() + " (" + entries(g)
        + ")");
    out.println();
    printTryIt(out, url);
    String dashboard = url.substring(0, url.length() - "/v1".length()) + "/dashboard";
    if (madeUpToken) {
      out.println("Dashboard: " + dashboard + "  sign in with the token "
          + cfg.admin().dashboardToken());
      out.println("  (made up for this run; set " + Keys.DASHBOARD_TOKEN.env()
          + " to choose one)");
    } else {
      out.println("Dashboard: " + dashboard + "  (sign in with your dashboard or admin token)");
    }
    out.println("Point an OpenAI SDK at base URL " + url + ", or an Anthropic SDK at "
        + url.substring(0, url.length() - "/v1".length()) + " (any API key). Ctrl-C stops.");
    out.println();
    waitForSignal(() -> {
      g.close();
      sim.close();
    });
    return Integer.MIN_VALUE;
  }

  private static int energy(BoundConfig cfg, ParseResult sub, PrintStream out,
      PrintStream err) {
    try {
      List<Integer> minutes = new java.util.ArrayList<>();
      for (String m : sub.matchedOptionValue("--minutes", "5,55,205,305,505").split(",")) {
        minutes.add(within("--minutes", Integer.parseInt(m.strip()), 0));
      }
      out.print(dev.bound.gateway.EnergyTable.render(cfg.energy(), sub.matchedOptionValue("--model",
          dev.bound.gateway.EnergyTable.DEFAULT_MODEL),
          within("--tokens-per-minute", sub.matchedOptionValue("--tokens-per-minute", 225), 1),
          within("--phrase-tokens", sub.matchedOptionValue("--phrase-tokens", 30), 1),
          within("--answer-tokens", sub.matchedOptionValue("--answer-tokens", 30), 0), minutes));
      return 0;
    } catch (NumberFormatException e) {
      err.println("bound: --minutes takes whole minutes separated by commas, such as 5,55,205");
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("bound: " + e.getMessage());
      return 2;
    }
  }

  /** {@code value} when it lies from {@code min} to 100,000; otherwise a message naming the option. */
  private static int within(String option, int value, int min) {
    if (value < min || value > 100_000) {
      throw new IllegalArgumentException(option + " takes whole numbers from " + min
          + " to 100000, not " + value);
    }
    return value;
  }

  private static Gateway startOrReport(BoundConfig cfg, PrintStream err) {
    try {
      return Gateway.start(cfg);
    } catch (IllegalStateException | IllegalArgumentException | ConfigException e) {
      err.println("bound: " + e.getMessage());
      return null;
    } catch (RuntimeException e) {
      // A data directory that is a file or read-only, a store another program wrote, a price
      // file that cannot be read: what went wrong and where, in one line, not a stack trace.
      // Nothing is written before the stores open, so what the directory holds stays as it is.
      err.println("bound: " + causes(e));
      return null;
    }
  }

  /** Names at most two edits apart; -1 for those further. */
  private static final LevenshteinDistance NEAR = new LevenshteinDistance(2);

  /**
   * Names each {@code BOUND_*} variable that is no setting, with the one it is closest to: a
   * misspelt one (BOUND_SERVER_PROT) was ignored without a word, and Bound started with the
   * default instead. {@code BOUND_JAVA_OPTS} is the launcher's own.
   */
  static void warnUnknownVariables(Map<String, String> env, PrintStream err) {
    java.util.Set<String> known = new java.util.HashSet<>(java.util.Set.of("BOUND_JAVA_OPTS"));
    Keys.ALL.forEach(k -> known.add(k.env()));
    env.keySet().stream().filter(v -> v.startsWith("BOUND_") && !known.contains(v)).sorted()
        .forEach(v -> {
          String near = known.stream().filter(k -> NEAR.apply(v, k) >= 0).sorted().findFirst()
              .orElse(null);
          err.println("bound: warning: the environment variable " + v + " is not a setting of "
              + "Bound and is ignored" + (near == null ? "" : "; did you mean " + near + "?"));
        });
  }

  /**
   * A failure's message and those of its causes, each once, joined: "x: y: z". A file-system
   * failure says what it was: Java's own message for a permission denied is the path alone, so
   * a data directory owned by another user was reported as just the name of a file in it.
   */
  static String causes(Throwable e) {
    StringBuilder sb = new StringBuilder();
    java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(
        new java.util.IdentityHashMap<>());
    for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
      if (t.getCause() != null && String.valueOf(t.getCause()).equals(t.getMessage())) {
        continue; // a wrapper that only repeats its cause, which comes next
      }
      String m = t instanceof java.nio.file.FileSystemException f ? fileProblem(f)
          : t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      if (sb.indexOf(m) < 0) {
        sb.append(sb.isEmpty() ? "" : ": ").append(m);
      }
    }
    return sb.toString();
  }

  /** The file and what is wrong with it, in words, with what to do where that is clear. */
  private static String fileProblem(java.nio.file.FileSystemException f) {
    String file = f.getFile() == null ? "" : f.getFile();
    String other = f.getOtherFile() == null ? "" : " -> " + f.getOtherFile();
    String what = switch (f) {
      case java.nio.file.AccessDeniedException a -> "permission denied (Bound runs as user "
          + System.getProperty("user.name") + ", who must be able to read and write the data "
          + "directory and everything in it; change their owner or run Bound as their owner)";
      case java.nio.file.NoSuchFileException n -> "no such file or directory";
      case java.nio.file.NotDirectoryException n -> "not a directory";
      case java.nio.file.FileAlreadyExistsException x -> "already exists";
      default -> f.getReason() == null ? f.getClass().getSimpleName() : f.getReason();
    };
    return file + other + ": " + what;
  }

  /** The number of stored answers, or a word on why it is not known yet. */
  private static String entries(Gateway g) {
    try {
      return g.entries() + " stored answers";
    } catch (RuntimeException e) { // shared storage not reachable yet; /readyz says so
      return "stored answers not known yet: " + causes(e);
    }
  }

  private static void waitForSignal(Runnable onStop) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      onStop.run();
      stopped.countDown();
    }, "bound-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static CommandLine commandLine() {
    CommandSpec top = CommandSpec.create().name("bound").version("Bound " + VERSION)
        .mixinStandardHelpOptions(true);
    top.usageMessage().description("Bound: a caching gateway for OpenAI-compatible and "
        + "Anthropic LLM endpoints. It answers repeated and paraphrased prompts from its cache, "
        + "serves creative requests from pools of different answers, and sends only novel ones "
        + "to the model.");
    top.addSubcommand("demo", serverCommand("demo",
        "Run Bound in front of a built-in simulated upstream: no network, no key. Its data "
            + "directory defaults to ./bound-demo-data."));
    top.addSubcommand("serve", serverCommand("serve",
        "Run Bound in front of an OpenAI-compatible or Anthropic endpoint (--upstream URL)."));
    CommandSpec ttft = CommandSpec.create().name("ttft").mixinStandardHelpOptions(true);
    ttft.usageMessage().description("Benchmark: time to first token of streamed answers, the "
        + "simulated upstream directly versus through Bound (miss and bypass paths), measured "
        + "side by side in one run on loopback.");
    ttft.addOption(OptionSpec.builder("--requests").paramLabel("N").type(int.class)
        .defaultValue("200").description("Requests per path (default 200).").build());
    ttft.addOption(OptionSpec.builder("--upstream-ttft").paramLabel("MS").type(int.class)
        .defaultValue("50").description("The simulated upstream's own TTFT in ms (default 50)")
        .build());
    top.addSubcommand("ttft", ttft);
    top.addSubcommand("bench", dev.bound.gateway.bench.LoadBench.command());
    top.addSubcommand("compare", dev.bound.gateway.bench.Compare.command());
    top.addSubcommand("energy", energyCommand());
    top.addSubcommand("eval", evalCommand());
    CommandSpec verify = CommandSpec.create().name("verify").mixinStandardHelpOptions(true);
    verify.usageMessage().description("Check bound documents offline: each signature against "
        + "the given public key. FILE holds one document or an export (an array). Exit code 0 "
        + "when all verify, 1 when one does not.");
    verify.addPositional(CommandLine.Model.PositionalParamSpec.builder().paramLabel("FILE")
        .type(String.class).arity("1").description("The document or export file.").build());
    verify.addOption(OptionSpec.builder("--key").paramLabel("JWK_FILE").type(String.class)
        .required(true).description("A JWK or a JWK Set file, such as the one served at "
            + "/.well-known/bound-keys.").build());
    top.addSubcommand("verify", verify);
    CommandLine cli = new CommandLine(top);
    cli.addSubcommand("help", new CommandLine.HelpCommand());
    return cli;
  }

  private static CommandSpec evalCommand() {
    CommandSpec spec = CommandSpec.create().name("eval").mixinStandardHelpOptions(true);
    spec.usageMessage().customSynopsis(
        "bound eval [--json] [SETTINGS] FILE...",
        "       bound eval --stream FILE [--json] [--sse] [--decisions FILE]",
        "                  [--calibration-out FILE] [SETTINGS]",
        "       bound eval --make-stream SOURCE --out FILE [--limit N] [--seed S]",
        "                  [--part PART] [--shared-data DIR]",
        "");
    spec.usageMessage().description("Measure how well the configured matcher tells paraphrases "
        + "from look-alikes on labelled pairs, through the same decisions a lookup makes: the "
        + "precision/recall curve, best F1 and its threshold, recall at precision 0.95 and 0.98, "
        + "and the cost per lookup. Formats: PAWS TSV (id, s1, s2, label), STS-B CSV (s1, s2, "
        + "score; >= 4 paraphrase, <= 2 not), question1,question2,label CSV with a header, and "
        + "a JSON array of {origin, similar} (paraphrases only).",
        "",
        "With --stream, replay a labelled question stream through a real Bound over HTTP, one "
            + "question at a time in file order, in front of an in-process upstream that "
            + "answers each cluster with its own text, and score every answer served: counts "
            + "per tier (X-Bound-Cache), wrong hits (another cluster's answer) with their 95 %% "
            + "Wilson interval, recall (right hits over questions that had an earlier question "
            + "of their cluster) and client-side p50/p99 latency per tier. FILE is JSON lines "
            + "{\"q\": question, \"c\": cluster}, the cluster a string or an integer. Bound "
            + "runs with the settings below (defaults otherwise), on a fresh temporary data "
            + "directory unless --data is given.",
        "",
        "With --make-stream, write such a stream from labelled pairs: SOURCE is qqp, "
            + "paraphrases, stsb, paws (the files of ../shared/data) or a file of pairs. "
            + "Clusters are joined by positive pairs; whole components (a cluster with its "
            + "look-alikes) are taken in a seeded random order, a fifth of the questions from "
            + "components without a positive pair, and their questions are shuffled together.");
    spec.addPositional(CommandLine.Model.PositionalParamSpec.builder().paramLabel("FILE")
        .type(List.class).auxiliaryTypes(String.class).arity("0..*")
        .description("Files of labelled pairs.").build());
    spec.addOption(OptionSpec.builder("--json").arity("0").type(boolean.class)
        .description("Print JSON instead of a table (with --stream: every request too).")
        .build());
    spec.addOption(OptionSpec.builder("--stream").paramLabel("FILE").type(String.class)
        .description("Replay this question stream (JSON lines) and score the answers.").build());
    spec.addOption(OptionSpec.builder("--sse").arity("0").type(boolean.class)
        .description("With --stream: ask for streamed answers (stream: true).").build());
    spec.addOption(OptionSpec.builder("--decisions").paramLabel("FILE").type(String.class)
        .description("With --stream: write Bound's decision lines to FILE.").build());
    spec.addOption(OptionSpec.builder("--calibration-out").paramLabel("FILE").type(String.class)
        .description("With --stream: put the semantic hits' scores, per score bin right and "
            + "wrong, into FILE under the matcher's name, as the offline evidence of the error "
            + "bound (the file Bound ships is models/src/main/resources/"
            + ServedEvidence.RESOURCE + "). Run it on questions the verifier never trained "
            + "on, such as --make-stream qqp --part calibration.")
        .build());
    spec.addOption(OptionSpec.builder("--make-stream").paramLabel("SOURCE").type(String.class)
        .description("Write a question stream from qqp, paraphrases, stsb, paws or a file of "
            + "labelled pairs.").build());
    spec.addOption(OptionSpec.builder("--out").paramLabel("FILE").type(String.class)
        .description("With --make-stream: the stream file to write.").build());
    spec.addOption(OptionSpec.builder("--part").paramLabel("PART").type(String.class)
        .description("With --make-stream: train, calibration, test or all; components are "
            + "split by a hash of their first question, as the verifier's training splits "
            + "them (default test for qqp, all for the others).").build());
    spec.addOption(OptionSpec.builder("--limit").paramLabel("N").type(int.class)
        .description("With --make-stream: at most N questions (default: every component of "
            + "the part).").build());
    spec.addOption(OptionSpec.builder("--seed").paramLabel("S").type(long.class)
        .description("With --make-stream: the seed of the order (default 1).").build());
    spec.addOption(OptionSpec.builder("--shared-data").paramLabel("DIR").type(String.class)
        .description("With --make-stream: where qqp, paraphrases, stsb and paws are (default "
            + "../shared/data beside the repository).").build());
    addConfigOptions(spec, k -> k.name().startsWith("cache.") || k.name().startsWith("embedding.")
        || k.name().equals("data.dir"));
    return spec;
  }

  private static CommandSpec energyCommand() {
    CommandSpec spec = CommandSpec.create().name("energy").mixinStandardHelpOptions(true);
    spec.usageMessage().description("What the next phrase of a growing conversation costs the "
        + "model at several minutes into it, with and without keeping the KV cache between "
        + "turns, at batch 1 and batched: J per token, Wh per phrase with its low-high band, "
        + "gCO2e and money, where the memory limit shrinks the batch, and the whole "
        + "conversation's kWh. The method and its sources are in models/ENERGY.md.");
    spec.addOption(OptionSpec.builder("--model").paramLabel("NAME").type(String.class)
        .description("A profile name, an alias (1t, 8b, 70b, 405b, 7b, 72b, 8x7b, v3, 4o, "
            + "4o-mini, sonnet, flash) or an upstream model name a rule recognises; an unknown "
            + "name is refused with the list (default: dense-1t, a dense 1-trillion-parameter "
            + "model).").build());
    spec.addOption(OptionSpec.builder("--minutes").paramLabel("LIST").type(String.class)
        .description("Minutes into the conversation (default 5,55,205,305,505).").build());
    spec.addOption(OptionSpec.builder("--tokens-per-minute").paramLabel("N").type(int.class)
        .description("How fast the conversation grows (default 225).").build());
    spec.addOption(OptionSpec.builder("--phrase-tokens").paramLabel("N").type(int.class)
        .description("Tokens of the new phrase (default 30).").build());
    spec.addOption(OptionSpec.builder("--answer-tokens").paramLabel("N").type(int.class)
        .description("Tokens of the answer to it (default 30).").build());
    addConfigOptions(spec, k -> k.name().startsWith("energy."));
    return spec;
  }

  private static void addConfigOptions(CommandSpec spec, java.util.function.Predicate<Key<?>> which) {
    spec.addOption(OptionSpec.builder("--config").paramLabel("FILE").type(String.class)
        .description("A properties file of settings, one 'key = value' per line.").build());
    for (Key<?> key : Keys.ALL) {
      if (!which.test(key)) {
        continue;
      }
      String def = key.defaultValue().isEmpty() ? "(not set)" : key.defaultValue();
      spec.addOption(OptionSpec.builder(key.flag()).paramLabel("VALUE").type(String.class)
          .description(key.description(), "  Allowed: " + key.allowed() + ".",
              "  Default: " + def + ". Key: " + key.name() + ". Env: " + key.env() + ".")
          .build());
    }
  }

  private static CommandSpec serverCommand(String name, String description) {
    CommandSpec spec = CommandSpec.create().name(name).mixinStandardHelpOptions(true);
    spec.usageMessage().description(description,
        "", "Each option can also be set by its environment variable or by its key in a "
            + "properties file given with --config; a flag beats the environment, which beats "
            + "the file, which beats the default.");
    addConfigOptions(spec, k -> true);
    return spec;
  }
}
